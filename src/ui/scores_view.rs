//! 成绩导入: the theory scores from the exam system and practical scores typed from paper
//! sheets, as CSV or XLSX files (chosen, typed or dropped on the window), in the columns of
//! `interchange.md`. One import is one transaction: any error refuses every file, names the
//! file, row and field, and changes nothing; warnings do not block.

use super::app::{Screen, ToolScreen};
use super::dialogs::{self, Pending};
use super::registration_view::problems_ui;
use super::task::{self, Cx, Done, Outcome};
use super::text;
use crate::core::problem::Problem;
use crate::ops::{self, OpsError};
use std::path::{Path, PathBuf};

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
    kind: Kind,
    files: Vec<PathBuf>,
    path_text: String,
    picking: Option<Pending<Option<Vec<PathBuf>>>>,
    outcome: Option<Imported>,
    note: Option<String>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    )
}

impl ScoresScreen {
    pub fn outcome(&self) -> Option<&Imported> {
        self.outcome.as_ref()
    }

    pub fn set_kind(&mut self, kind: Kind) {
        self.kind = kind;
    }

    pub fn add_files(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        for file in files {
            if !self.files.contains(&file) {
                self.files.push(file);
            }
        }
        self.outcome = None;
    }

    fn add_typed_path(&mut self) {
        let typed = self.path_text.trim().trim_matches('"').to_string();
        if typed.is_empty() {
            return;
        }
        let path = PathBuf::from(&typed);
        if path.is_file() {
            self.add_files([path]);
            self.path_text.clear();
            self.note = None;
        } else {
            self.note = Some(format!("{}：{typed}", text::FILE_NOT_FOUND));
        }
    }

    fn start_import(&mut self, cx: &mut Cx) {
        let (kind, files) = (self.kind, self.files.clone());
        cx.run(Screen::ScoreImport, move |env| {
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

impl ToolScreen for ScoresScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if let Some(Some(files)) = self.picking.as_ref().and_then(Pending::take) {
            self.add_files(files);
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
        ui.horizontal(|ui| {
            if ui.button(text::CHOOSE_SCORE_FILES).clicked() {
                let dir = cx.db.and_then(Path::parent).map(Path::to_path_buf);
                self.picking = Some(dialogs::pick_files(
                    ui.ctx(),
                    text::CHOOSE_SCORE_FILES,
                    dialogs::SPREADSHEETS,
                    dir,
                ));
            }
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.path_text)
                    .hint_text(text::SCORE_FILE_HINT)
                    .desired_width(420.0),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(text::ADD_FILE).clicked() || entered {
                self.add_typed_path();
            }
        });
        if let Some(note) = &self.note {
            ui.colored_label(ui.visuals().error_fg_color, note);
        }
        let mut remove = None;
        for (i, file) in self.files.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("● {}", file_name(file)))
                    .on_hover_text(file.display().to_string());
                if ui.small_button(text::REMOVE_ROW).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.files.remove(i);
            self.outcome = None;
        }
        if self.files.is_empty() {
            ui.label(text::NO_SCORE_FILES);
        }
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

    fn finished(&mut self, outcome: Outcome) {
        match task::reply_as::<Imported>(outcome) {
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

    fn dropped(&mut self, files: Vec<PathBuf>) {
        self.add_files(files);
    }
}
