//! The window (egui). Only this module knows egui; it reads and changes data through `ops`.

pub mod accounts_view;
pub mod action;
pub mod app;
pub mod audit_view;
pub mod charts;
pub mod check_view;
pub mod checkin_view;
pub mod chief;
pub mod confirm;
pub mod dialogs;
pub mod file_list;
pub mod fonts;
pub mod grid;
pub mod page_preview;
pub mod people_view;
pub mod print_view;
pub mod registration_view;
pub mod renderer;
pub mod results_view;
pub mod safety_view;
pub mod scheme_editor;
pub mod scores_view;
pub mod settings_view;
pub mod signin;
pub mod startup;
pub mod status_dialog;
pub mod supervisor;
pub mod task;
pub mod text;
pub mod view;

use std::path::Path;
use std::process::ExitCode;

/// Opens the window on `db`, creating it from the built-in competition on first start. The
/// window holds the database's writer lock for its life; a locked or damaged file is refused.
/// `renderer` is `--renderer`'s value (else `JUDGEDESK_RENDERER`, else automatic: see
/// [`renderer`]); a renderer that cannot start gives way to the next.
pub fn run(db: &Path, renderer: Option<&str>) -> anyhow::Result<ExitCode> {
    // The window opens maximised: a venue laptop scaled to 150 % has 1280×720 logical pixels
    // (a 1920×1080 screen) or 910×512 (1366×768), less than the size the screens are laid out
    // for, and a window larger than its screen comes up partly off it. The inner size is the
    // size it returns to when restored; the minimum fits a 1366×768 screen at 150 %.
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(text::WINDOW_TITLE)
            .with_maximized(true)
            .with_inner_size([1280.0, 720.0])
            .with_min_inner_size([880.0, 480.0]),
        ..Default::default()
    };
    let attempts = renderer::Choice::from_flag_or_env(renderer).attempts();
    let lock = match startup::prepare(db) {
        Ok(lock) => lock,
        Err(refusal) => {
            let db = db.to_path_buf();
            let mut refusal = Some(refusal);
            open_window(attempts, &options, |cc| {
                fonts::install_fonts(&cc.egui_ctx);
                let app: Box<dyn eframe::App> =
                    Box::new(startup::RefusalApp::new(&db, refusal.take()?));
                Some(app)
            })?;
            return Ok(ExitCode::from(1));
        }
    };
    let conn = startup::open_database(db)?;
    let label = db.display().to_string();
    let mut conn = Some(conn);
    open_window(attempts, &options, |cc| {
        fonts::install_fonts(&cc.egui_ctx);
        let mut app = app::JudgeDeskApp::new(conn.take()?, label.clone());
        app.restore(cc.storage);
        let app: Box<dyn eframe::App> = Box::new(app);
        Some(app)
    })?;
    drop(lock);
    Ok(ExitCode::SUCCESS)
}

/// Runs the window with the first of `attempts` that starts. `make` builds the app once a
/// renderer is up; it gives None only if asked twice (a renderer failed after the app began),
/// and then no further renderer is tried.
fn open_window<'a>(
    attempts: &[renderer::Attempt],
    options: &eframe::NativeOptions,
    mut make: impl FnMut(&eframe::CreationContext<'_>) -> Option<Box<dyn eframe::App + 'a>>,
) -> anyhow::Result<()> {
    let mut failures = Vec::new();
    for attempt in attempts {
        let mut started = false;
        let result = eframe::run_native(
            text::APP_NAME,
            attempt.options(options),
            Box::new(|cc| {
                started = true;
                make(cc).ok_or_else(|| text::WINDOW_ALREADY_STARTED.into())
            }),
        );
        match result {
            Ok(()) => return Ok(()),
            Err(error) if !started => {
                eprintln!("{attempt}: {error}");
                failures.push(format!("{attempt}: {error}"));
            }
            Err(error) => anyhow::bail!("{}（{attempt}）: {error}", text::WINDOW_FAILED),
        }
    }
    anyhow::bail!("{}: {}", text::WINDOW_FAILED, failures.join("；"))
}
