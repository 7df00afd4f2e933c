//! Files a screen is about to read: chosen with the open dialog, typed as a path, or dropped on
//! the window; listed with a button to take one out. The registration and score-import screens
//! share it.

use super::dialogs::{self, Filter, Pending};
use super::text;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct FileList {
    files: Vec<PathBuf>,
    typed: String,
    picking: Option<Pending<Option<Vec<PathBuf>>>>,
    /// A typed path that is not a file.
    missing: Option<String>,
}

/// What the person did to the list this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    None,
    Added,
    Removed,
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    )
}

impl FileList {
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn clear(&mut self) {
        self.files.clear();
    }

    /// Adds the files not listed yet. Returns `Added` when any file was given: a file given
    /// again may have been corrected since.
    pub fn add(&mut self, files: impl IntoIterator<Item = PathBuf>) -> Change {
        let mut given = false;
        for file in files {
            given = true;
            if !self.files.contains(&file) {
                self.files.push(file);
            }
        }
        if given {
            self.missing = None;
            Change::Added
        } else {
            Change::None
        }
    }

    /// The choose button, the path field with its add button (Enter adds too), and the
    /// message for a typed path that is not a file. `dir` is where the dialog opens when
    /// nothing is listed yet.
    pub fn chooser_ui(
        &mut self,
        ui: &mut egui::Ui,
        choose: &str,
        hint: &str,
        filter: Filter,
        dir: Option<&Path>,
    ) -> Change {
        let mut change = Change::None;
        if let Some(answer) = self.picking.as_ref().and_then(Pending::take) {
            self.picking = None;
            if let Some(files) = answer {
                change = self.add(files);
            }
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.picking.is_none(), egui::Button::new(choose))
                .clicked()
            {
                let start = self
                    .files
                    .last()
                    .and_then(|f| f.parent())
                    .or(dir)
                    .map(Path::to_path_buf);
                self.picking = Some(dialogs::pick_files(ui.ctx(), choose, filter, start));
            }
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.typed)
                    .hint_text(hint)
                    .desired_width(420.0),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(text::ADD_FILE).clicked() || entered) && self.add_typed() {
                change = Change::Added;
            }
        });
        if let Some(missing) = &self.missing {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{}：{missing}", text::FILE_NOT_FOUND),
            );
        }
        change
    }

    fn add_typed(&mut self) -> bool {
        let typed = self.typed.trim().trim_matches('"').to_string();
        if typed.is_empty() {
            return false;
        }
        let path = PathBuf::from(&typed);
        if path.is_file() {
            self.add([path]);
            self.typed.clear();
            true
        } else {
            self.missing = Some(typed);
            false
        }
    }

    /// The listed files, each with its folder and a button to take it out.
    pub fn list_ui(&mut self, ui: &mut egui::Ui, id: &str, empty: &str) -> Change {
        if self.files.is_empty() {
            ui.label(empty);
            return Change::None;
        }
        let mut remove = None;
        egui::ScrollArea::vertical()
            .id_salt(id)
            .max_height(96.0)
            .show(ui, |ui| {
                for (index, file) in self.files.iter().enumerate() {
                    ui.horizontal(|ui| {
                        if ui.small_button(text::REMOVE).clicked() {
                            remove = Some(index);
                        }
                        ui.label(file_name(file));
                        if let Some(dir) = file.parent() {
                            ui.weak(dir.display().to_string());
                        }
                    });
                }
            });
        match remove {
            Some(index) => {
                self.files.remove(index);
                Change::Removed
            }
            None => Change::None,
        }
    }
}
