//! 成绩导入: the theory scores from the exam system and practical scores typed from paper
//! sheets, as CSV or XLSX files (chosen, typed or dropped on the window), in the columns of
//! `interchange.md`. One import is one transaction: any error refuses every file, names the
//! file, row and field, and changes nothing; warnings do not block.

use super::dialogs;
use super::file_list::{Change, FileList};
use super::registration_view::problems_ui;
use super::task::{Done, Inbox, Outcome};
use super::text;
use super::view::{Cx, View};
use crate::core::problem::Problem;
use crate::ops::{self, OpsError};
use std::path::PathBuf;

/// Which scores the files hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Theory,
    Practical,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Theory => text::SCORES_THEORY,
            Kind::Practical => text::SCORES_PRACTICAL,
        }
    }

    fn columns(self) -> &'static str {
        match self {
            Kind::Theory => text::SCORES_THEORY_COLUMNS,
            Kind::Practical => text::SCORES_PRACTICAL_COLUMNS,
        }
    }
}

/// What an import brought back.
#[derive(Clone, Debug)]
pub enum Imported {
    /// Done: how many values changed, and the warnings.
    Done {
        kind: Kind,
        changed: usize,
        warnings: Vec<Problem>,
    },
    /// Refused as a whole: every problem found; nothing changed.
    Refused(Vec<Problem>),
}

#[derive(Default)]
pub struct ScoresScreen {
    /// Where this screen's tasks deliver their replies.
    inbox: Inbox<Imported>,
    kind: Kind,
    files: FileList,
    outcome: Option<Imported>,
    note: Option<String>,
}

impl ScoresScreen {
    pub fn outcome(&self) -> Option<&Imported> {
        self.outcome.as_ref()
    }

    pub fn set_kind(&mut self, kind: Kind) {
        self.kind = kind;
    }

    pub fn add_files(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        let change = self.files.add(files);
        self.files_changed(change);
    }

    fn files_changed(&mut self, change: Change) {
        if change != Change::None {
            self.outcome = None;
        }
    }

    fn start_import(&mut self, cx: &mut Cx) {
        let (kind, files) = (self.kind, self.files.files().to_vec());
        cx.run(&self.inbox, move |env| {
            let mut tables = Vec::new();
            let mut problems = Vec::new();
            for file in &files {
                match ops::imports::read_file(file) {
                    Ok(read) => tables.extend(read),
                    Err(OpsError::Refused(found)) => problems.extend(found),
                    Err(other) => return Err(other.to_string()),
                }
            }
            if !problems.is_empty() {
                let message = text::scores_refused(problems.len());
                return Ok(Done::with(message, Imported::Refused(problems)));
            }
            let imported = match kind {
                Kind::Theory => ops::imports::import_theory(env.conn, env.actor, &tables),
                Kind::Practical => ops::setup::device_label(env.conn).and_then(|device| {
                    ops::imports::import_scores(env.conn, env.actor, &device, &tables)
                }),
            };
            match imported {
                Ok((warnings, changed)) => Ok(Done::with(
                    text::scores_imported(kind.label(), changed),
                    Imported::Done {
                        kind,
                        changed,
                        warnings,
                    },
                )
                .changed()),
                Err(OpsError::Refused(problems)) => Ok(Done::with(
                    text::scores_refused(problems.len()),
                    Imported::Refused(problems),
                )),
                Err(other) => Err(other.to_string()),
            }
        });
    }
}

impl ScoresScreen {
    /// What one of this screen's tasks brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome<Imported>) {
        match outcome {
            Ok(Some(imported)) => {
                if matches!(imported, Imported::Done { .. }) {
                    self.files.clear();
                }
                self.outcome = Some(imported);
                self.note = None;
            }
            Ok(None) => {}
            Err(e) => self.note = Some(e),
        }
    }
}

impl View for ScoresScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        for outcome in self.inbox.take() {
            self.finished(outcome);
        }
        ui.horizontal(|ui| {
            ui.heading(text::SCREEN_SCORE_IMPORT);
            ui.add_space(16.0);
            for kind in [Kind::Theory, Kind::Practical] {
                if ui
                    .selectable_label(self.kind == kind, kind.label())
                    .clicked()
                {
                    self.kind = kind;
                    self.outcome = None;
                }
            }
        });
        ui.weak(self.kind.columns());
        ui.weak(text::SCORES_HINT);
        ui.add_space(6.0);
        let chosen = self.files.chooser_ui(
            ui,
            text::CHOOSE_SCORE_FILES,
            text::SCORE_FILE_HINT,
            dialogs::SPREADSHEETS,
            cx.db_dir(),
        );
        self.files_changed(chosen);
        if let Some(note) = &self.note {
            ui.colored_label(ui.visuals().error_fg_color, note);
        }
        let removed = self.files.list_ui(ui, "score_files", text::NO_FILES);
        self.files_changed(removed);
        ui.add_space(4.0);
        let ready = !cx.busy && !self.files.is_empty();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(text::import_scores_button(self.kind.label())),
            )
            .clicked()
        {
            self.start_import(cx);
        }
        ui.separator();
        match &self.outcome {
            Some(Imported::Done {
                kind,
                changed,
                warnings,
            }) => {
                ui.colored_label(
                    egui::Color32::from_rgb(0, 120, 60),
                    text::scores_imported(kind.label(), *changed),
                );
                if !warnings.is_empty() {
                    problems_ui(ui, "score_warnings", warnings);
                }
            }
            Some(Imported::Refused(problems)) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    text::scores_refused(problems.len()),
                );
                egui::ScrollArea::vertical()
                    .id_salt("score_problems")
                    .show(ui, |ui| problems_ui(ui, "score_problems", problems));
            }
            None => {}
        }
    }

    fn dropped(&mut self, files: &[PathBuf]) -> bool {
        self.add_files(files.iter().cloned());
        true
    }
}
