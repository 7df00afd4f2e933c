//! Native open and save dialogs (rfd), run on their own thread so the window keeps drawing
//! while one is open. Where the system has no dialog (no desktop portal), the dialog returns
//! nothing, as if cancelled: every screen that uses one also has a path field beside it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A dialog that is open or has answered.
pub struct Pending<T> {
    answer: Arc<Mutex<Option<T>>>,
}

impl<T: Send + 'static> Pending<T> {
    fn spawn(ctx: &egui::Context, ask: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
        let answer = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&answer);
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let value = ask();
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(value);
            }
            ctx.request_repaint();
        });
        Pending { answer }
    }

    /// The answer, once, when the person has closed the dialog.
    pub fn take(&self) -> Option<T> {
        self.answer.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// A filter of the open dialog: its label and the extensions it shows.
pub type Filter = (&'static str, &'static [&'static str]);

pub const SPREADSHEETS: Filter = ("报名表（xlsx/csv）", &["xlsx", "xls", "csv", "tsv", "txt"]);
pub const PDF: Filter = ("PDF 文件", &["pdf"]);
pub const XLSX: Filter = ("Excel 工作簿", &["xlsx"]);
pub const BACKUPS: Filter = ("数据库备份", &["sqlite", "db", "bak"]);
pub const BUNDLES: Filter = ("评分数据包", &["jdbundle", "bundle"]);

/// A dialog with its title, the folder it opens in and, for files, the filter.
fn dialog(title: &str, filter: Option<Filter>, dir: Option<PathBuf>) -> rfd::FileDialog {
    let mut dialog = rfd::FileDialog::new().set_title(title);
    if let Some((label, extensions)) = filter {
        dialog = dialog.add_filter(label, extensions);
    }
    match dir {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    }
}

/// Asks for one or more files to open.
pub fn pick_files(
    ctx: &egui::Context,
    title: &str,
    filter: Filter,
    dir: Option<PathBuf>,
) -> Pending<Option<Vec<PathBuf>>> {
    let dialog = dialog(title, Some(filter), dir);
    Pending::spawn(ctx, move || dialog.pick_files())
}

/// Asks for one file to open.
pub fn pick_file(
    ctx: &egui::Context,
    title: &str,
    filter: Filter,
    dir: Option<PathBuf>,
) -> Pending<Option<PathBuf>> {
    let dialog = dialog(title, Some(filter), dir);
    Pending::spawn(ctx, move || dialog.pick_file())
}

/// Asks where to save a file, suggesting `name` in `dir`.
pub fn save_file(
    ctx: &egui::Context,
    title: &str,
    filter: Filter,
    dir: Option<PathBuf>,
    name: &str,
) -> Pending<Option<PathBuf>> {
    let dialog = dialog(title, Some(filter), dir).set_file_name(name);
    Pending::spawn(ctx, move || dialog.save_file())
}

/// Asks for a folder (a USB stick).
pub fn pick_folder(
    ctx: &egui::Context,
    title: &str,
    dir: Option<PathBuf>,
) -> Pending<Option<PathBuf>> {
    let dialog = dialog(title, None, dir);
    Pending::spawn(ctx, move || dialog.pick_folder())
}
