//! The window (egui). Only this module knows egui; it reads and changes data through `ops`.

pub mod app;
pub mod audit_view;
pub mod charts;
pub mod check_view;
pub mod chief;
pub mod confirm;
pub mod coordinator;
pub mod dialogs;
pub mod file_list;
pub mod fonts;
pub mod grid;
pub mod page_preview;
pub mod print_view;
pub mod registration_view;
pub mod results_view;
pub mod safety_view;
pub mod scores_view;
pub mod signin;
pub mod startup;
pub mod status_dialog;
pub mod supervisor;
pub mod task;
pub mod text;

use std::path::Path;
use std::process::ExitCode;

/// Opens the window on `db`, creating it from the built-in competition on first start. The
/// window holds the database's writer lock for its life; a locked or damaged file is refused.
pub fn run(db: &Path) -> anyhow::Result<ExitCode> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(text::WINDOW_TITLE)
            .with_inner_size([1366.0, 768.0])
            .with_min_inner_size([1024.0, 600.0]),
        renderer: eframe::Renderer::Wgpu,
        ..Default::default()
    };
    let lock = match startup::prepare(db) {
        Ok(lock) => lock,
        Err(refusal) => {
            let db = db.to_path_buf();
            eframe::run_native(
                text::APP_NAME,
                options,
                Box::new(move |cc| {
                    fonts::install_fonts(&cc.egui_ctx);
                    Ok(Box::new(startup::RefusalApp::new(&db, refusal)))
                }),
            )
            .map_err(|e| anyhow::anyhow!("窗口无法启动: {e}"))?;
            return Ok(ExitCode::from(1));
        }
    };
    let conn = startup::open_database(db)?;
    let label = db.display().to_string();
    eframe::run_native(
        text::APP_NAME,
        options,
        Box::new(move |cc| {
            fonts::install_fonts(&cc.egui_ctx);
            let mut app = app::JudgeDeskApp::new(conn, label);
            app.restore(cc.storage);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("窗口无法启动: {e}"))?;
    drop(lock);
    Ok(ExitCode::SUCCESS)
}
