//! Before the window works on a database: hold the one-writer lock and run the startup check.
//! A refused start (another window has the file, or the file is damaged) shows a small window
//! that says why and, for a damaged file, offers the newest verified backup.

use super::text;
use crate::ops::safety::WriterLock;
use crate::ops::verify::{Startup, startup_check};
use crate::ops::{Actor, Connection};
use std::path::{Path, PathBuf};

/// Why the main window cannot open the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Another window or command holds the database.
    Locked(String),
    /// The file failed its check; the newest verified backup, if any.
    Damaged {
        problems: Vec<String>,
        backup: Option<PathBuf>,
    },
}

/// Takes the writer lock and checks the file. The lock must be held for the window's life.
pub fn prepare(db: &Path) -> Result<WriterLock, Refusal> {
    let lock = WriterLock::for_window(db).map_err(|e| Refusal::Locked(e.to_string()))?;
    match startup_check(db) {
        Startup::New | Startup::Sound => Ok(lock),
        Startup::Damaged { problems, backup } => Err(Refusal::Damaged { problems, backup }),
    }
}

/// The database the main window works on, created from the built-in competition on first start
/// (its folder too: on a laptop where the app never ran, nothing exists yet).
pub fn open_database(db: &Path) -> anyhow::Result<Connection> {
    crate::ops::setup::open_or_create(db).map_err(|e| anyhow::anyhow!("{}: {e}", text::OPEN_FAILED))
}

/// The small window shown instead of the main one.
pub struct RefusalApp {
    db: PathBuf,
    refusal: Refusal,
    outcome: Option<String>,
}

impl RefusalApp {
    pub fn new(db: &Path, refusal: Refusal) -> RefusalApp {
        RefusalApp {
            db: db.to_path_buf(),
            refusal,
            outcome: None,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(text::STARTUP_REFUSED);
            ui.label(format!("{} {}", text::DATABASE, self.db.display()));
            ui.add_space(8.0);
            match &self.refusal {
                Refusal::Locked(message) => {
                    ui.label(message.as_str());
                }
                Refusal::Damaged { problems, backup } => {
                    ui.colored_label(ui.visuals().error_fg_color, text::DATABASE_DAMAGED);
                    for problem in problems.iter().take(10) {
                        ui.label(problem.as_str());
                    }
                    ui.add_space(8.0);
                    match backup {
                        Some(path) => {
                            ui.label(format!("{} {}", text::NEWEST_BACKUP, path.display()));
                            let enabled = self.outcome.is_none();
                            if ui
                                .add_enabled(enabled, egui::Button::new(text::RESTORE_BACKUP))
                                .clicked()
                            {
                                let actor = Actor {
                                    name: "窗口启动".into(),
                                    ..Actor::command_line()
                                };
                                let outcome = WriterLock::for_window(&self.db)
                                    .map_err(|e| e.to_string())
                                    .and_then(|_lock| {
                                        crate::ops::backup::restore(&self.db, path, &actor)
                                            .map_err(|e| e.to_string())
                                    });
                                self.outcome = Some(match outcome {
                                    Ok(_) => text::RESTORED_RESTART.to_string(),
                                    Err(message) => message,
                                });
                            }
                        }
                        None => {
                            ui.label(text::NO_BACKUP);
                        }
                    }
                }
            }
            if let Some(outcome) = &self.outcome {
                ui.add_space(8.0);
                ui.strong(outcome.as_str());
            }
        });
    }
}

impl eframe::App for RefusalApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        RefusalApp::ui(self, ui);
    }
}
