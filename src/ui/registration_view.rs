//! The coordinator's registration screen. Forms and flat rosters (chosen, typed or dropped on
//! the window) are previewed first: what would be added, updated or left alone, what changed,
//! every warning and error with its file, sheet, row and field. Errors block the import and
//! warnings do not; a contestant over their unit's quota is admitted only with a reason, which
//! the import records in the audit log. The import is one transaction. The screen also writes
//! the blank form, shows the logistics (rooms per venue and night, arrivals, head counts) and
//! saves them as xlsx or PDF, and saves the venue roster per pool with ID numbers masked unless
//! the coordinator asks for full numbers (logged).
//!
//! One file over 600 lines: the screen's three tabs (import, 住宿与接站, roster) share one state, one
//! export folder and one task inbox.

use super::dialogs::{self, Pending};
use super::file_list::{Change, FileList};
use super::task::{self, Done, Inbox, Outcome, TaskEnv};
use super::text;
use super::view::{Cx, View};
use crate::core::model::PoolKey;
use crate::core::problem::Problem;
use crate::ops::documents::Format;
use crate::ops::registration::{ImportOptions, ImportReport, Preview};
use crate::ops::{self, OpsError};
use crate::print::tables::Table;
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Import,
    Logistics,
    Roster,
}

/// What the screen's tasks bring back.
enum Reply {
    /// The preview of these files (nothing written).
    Preview(Vec<PathBuf>, Preview),
    /// The files were imported.
    Imported(ImportReport),
    /// The logistics as tables.
    Logistics(Vec<Table>),
    /// A file was written.
    Written(PathBuf),
}

#[derive(Default)]
pub struct RegistrationScreen {
    /// Where this screen's tasks deliver their replies.
    inbox: Inbox<Reply>,
    tab: Tab,
    /// The files to import, in the order chosen.
    forms: FileList,
    picking_folder: Option<Pending<Option<PathBuf>>>,
    /// The files changed: preview them as soon as the database is free.
    preview_wanted: bool,
    /// The last preview and the files it was of.
    preview: Option<(Vec<PathBuf>, Preview)>,
    /// Override reasons typed for over-quota contestants, by ID number.
    reasons: BTreeMap<String, String>,
    /// The outcome of the last import.
    imported: Option<ImportReport>,
    /// A message on the screen (text, is an error).
    note: Option<(String, bool)>,
    logistics: Option<Vec<Table>>,
    logistics_asked: bool,
    /// The folder exports go to; beside the database until the person changes it.
    export_dir: Option<String>,
    roster_pool: Option<PoolKey>,
    full_ids: bool,
    /// The last file written.
    written: Option<PathBuf>,
}

fn preview_options() -> ImportOptions {
    ImportOptions {
        dry_run: true,
        quota_overrides: Vec::new(),
    }
}

impl RegistrationScreen {
    /// Files to import (a file already listed is not added twice), previewed again: a file
    /// given again may have been corrected since.
    pub fn add_files(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        let change = self.forms.add(files);
        self.files_changed(change);
    }

    fn files_changed(&mut self, change: Change) {
        match change {
            Change::None => {}
            Change::Added => {
                self.preview_wanted = true;
                self.imported = None;
                self.tab = Tab::Import;
            }
            Change::Removed => {
                self.preview = None;
                self.preview_wanted = !self.forms.is_empty();
            }
        }
    }

    fn export_dir(&mut self, cx: &Cx) -> &mut String {
        self.export_dir
            .get_or_insert_with(|| cx.beside_db(text::EXPORT_DIR_NAME).display().to_string())
    }

    fn export_path(&mut self, cx: &Cx, name: &str) -> PathBuf {
        PathBuf::from(self.export_dir(cx).trim()).join(name)
    }

    /// The overrides the import would use, or why it cannot run yet.
    fn import_options(&self) -> Result<ImportOptions, &'static str> {
        let Some((files, preview)) = &self.preview else {
            return Err(text::PREVIEW_FIRST);
        };
        if files.as_slice() != self.forms.files() || self.forms.is_empty() {
            return Err(text::PREVIEW_STALE);
        }
        if preview.blocking().next().is_some() {
            return Err(text::FIX_ERRORS);
        }
        let mut quota_overrides = Vec::new();
        for person in &preview.over_quota {
            let reason = self
                .reasons
                .get(&person.id_number)
                .map(|r| r.trim())
                .filter(|r| !r.is_empty());
            match reason {
                Some(reason) => quota_overrides.push(ops::registration::QuotaOverride {
                    id_number: person.id_number.clone(),
                    reason: reason.to_string(),
                }),
                None => return Err(text::NEED_REASONS),
            }
        }
        Ok(ImportOptions {
            dry_run: false,
            quota_overrides,
        })
    }

    fn start_preview(&mut self, cx: &mut Cx) {
        self.preview_wanted = false;
        if self.forms.is_empty() {
            self.preview = None;
            return;
        }
        let files = self.forms.files().to_vec();
        cx.run(&self.inbox, move |env| {
            let preview =
                ops::registration::preview_registration(env.conn, &files, &preview_options())
                    .map_err(OpsError::into_text)?;
            Ok(Done::with(
                text::previewed(files.len()),
                Reply::Preview(files, preview),
            ))
        });
    }

    fn start_import(&mut self, cx: &mut Cx, options: ImportOptions) {
        let files = self.forms.files().to_vec();
        cx.run(&self.inbox, move |env| {
            match ops::registration::import_registration(env.conn, &files, env.actor, &options) {
                Ok(report) => Ok(Done::with(
                    text::imported(report.added, report.updated, report.unchanged),
                    Reply::Imported(report),
                )
                .changed()),
                // The database changed since the preview: show what stands in the way now.
                Err(OpsError::Refused(_)) => {
                    let preview = ops::registration::preview_registration(
                        env.conn,
                        &files,
                        &preview_options(),
                    )
                    .map_err(OpsError::into_text)?;
                    Ok(Done::with(text::FIX_ERRORS, Reply::Preview(files, preview)))
                }
                Err(e) => Err(e.into_text()),
            }
        });
    }

    /// Writes the bytes `make` produces to `path` on the worker.
    fn start_write(
        &mut self,
        cx: &mut Cx,
        path: PathBuf,
        logged: bool,
        make: impl FnOnce(&TaskEnv) -> ops::Result<Vec<u8>> + Send + 'static,
    ) {
        cx.run(&self.inbox, move |env| {
            let bytes = make(env).map_err(OpsError::into_text)?;
            ops::safety::save_file(&path, &bytes).map_err(OpsError::into_text)?;
            let shown = path.display().to_string();
            let message = if logged {
                text::full_ids_written(&shown)
            } else {
                text::file_written(&shown)
            };
            let done = Done::with(message, Reply::Written(path));
            // A roster with full ID numbers left a row in the audit log.
            Ok(if logged { done.changed() } else { done })
        });
    }

    fn poll_dialogs(&mut self) {
        if let Some(answer) = self.picking_folder.as_ref().and_then(Pending::take) {
            self.picking_folder = None;
            if let Some(dir) = answer {
                self.export_dir = Some(dir.display().to_string());
            }
        }
    }

    fn export_row(&mut self, ui: &mut egui::Ui, cx: &Cx) {
        ui.horizontal(|ui| {
            let label = ui.label(text::EXPORT_FOLDER);
            let start = self.export_dir(cx).clone();
            let dir = self.export_dir(cx);
            ui.add(egui::TextEdit::singleline(dir).desired_width(380.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    self.picking_folder.is_none(),
                    egui::Button::new(text::CHOOSE_FOLDER),
                )
                .clicked()
            {
                self.picking_folder = Some(dialogs::pick_folder(
                    ui.ctx(),
                    text::CHOOSE_FOLDER_TITLE,
                    Some(PathBuf::from(start)),
                ));
            }
            if let Some(path) = &self.written {
                ui.separator();
                ui.label(text::file_written(&path.display().to_string()));
                if ui.button(text::OPEN).clicked()
                    && let Err(e) = task::open_in_system_viewer(path)
                {
                    self.note = Some((e, true));
                }
            }
        });
    }

    fn import_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let chosen = self.forms.chooser_ui(
            ui,
            text::CHOOSE_FORMS,
            text::FILE_PATH_HINT,
            dialogs::SPREADSHEETS,
            cx.db_dir(),
        );
        self.files_changed(chosen);
        ui.horizontal(|ui| {
            ui.weak(text::DROP_HINT);
            ui.separator();
            if ui
                .add_enabled(!cx.busy, egui::Button::new(text::WRITE_TEMPLATE))
                .clicked()
            {
                let path = self.export_path(cx, text::TEMPLATE_FILE);
                self.start_write(cx, path, false, |env| {
                    ops::registration::registration_template(env.conn)
                });
            }
        });
        ui.add_space(4.0);
        let removed = self.forms.list_ui(ui, "registration_files", text::NO_FILES);
        self.files_changed(removed);

        ui.add_space(4.0);
        let ready = self.import_options();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !cx.busy && !self.forms.is_empty(),
                    egui::Button::new(text::PREVIEW),
                )
                .clicked()
            {
                self.start_preview(cx);
            }
            let import = ui.add_enabled(
                !cx.busy && ready.is_ok(),
                egui::Button::new(egui::RichText::new(text::IMPORT).strong()),
            );
            if import.clicked()
                && let Ok(options) = ready.clone()
            {
                self.start_import(cx, options);
            }
            if !self.forms.is_empty() && ui.button(text::CLEAR_FILES).clicked() {
                self.forms.clear();
                self.preview = None;
                self.preview_wanted = false;
            }
            match &ready {
                Ok(_) => ui.label(text::READY_TO_IMPORT),
                Err(why) if self.forms.is_empty() || self.imported.is_some() => ui.weak(*why),
                Err(why) => ui.colored_label(ui.visuals().warn_fg_color, *why),
            };
        });
        ui.separator();

        egui::ScrollArea::vertical()
            .id_salt("registration_preview")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(report) = &self.imported {
                    ui.strong(text::imported(
                        report.added,
                        report.updated,
                        report.unchanged,
                    ));
                    changes_ui(ui, text::CHANGED_TITLE, &report.changes);
                    if !report.problems.is_empty() {
                        problems_ui(ui, "imported_problems", &report.problems);
                    }
                    return;
                }
                let Some((_, preview)) = &self.preview else {
                    return;
                };
                let report = &preview.report;
                ui.horizontal(|ui| {
                    ui.strong(text::preview_counts(
                        report.added,
                        report.updated,
                        report.unchanged,
                    ));
                    ui.separator();
                    ui.label(text::problem_counts(
                        preview.errors.len(),
                        report.problems.len(),
                    ));
                });
                over_quota_ui(ui, preview, &mut self.reasons);
                let mut problems: Vec<Problem> = preview
                    .errors
                    .iter()
                    .chain(&report.problems)
                    .cloned()
                    .collect();
                problems.sort_by(|a, b| {
                    (a.severity, &a.file, &a.sheet, a.row)
                        .cmp(&(b.severity, &b.file, &b.sheet, b.row))
                });
                if problems.is_empty() {
                    ui.label(text::NO_PROBLEMS);
                } else {
                    problems_ui(ui, "preview_problems", &problems);
                }
                changes_ui(ui, text::CHANGES_TITLE, &report.changes);
            });
    }

    fn logistics_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if self.logistics.is_none() && !self.logistics_asked {
            self.start_logistics(cx);
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!cx.busy, egui::Button::new(text::LOAD_LOGISTICS))
                .clicked()
            {
                self.start_logistics(cx);
            }
            for (label, format, ext) in [
                (text::EXPORT_XLSX, Format::Xlsx, "xlsx"),
                (text::EXPORT_PDF, Format::Pdf, "pdf"),
            ] {
                if ui.add_enabled(!cx.busy, egui::Button::new(label)).clicked() {
                    let path = self.export_path(cx, &format!("{}.{ext}", text::LOGISTICS_FILE));
                    self.start_write(cx, path, false, move |env| {
                        ops::logistics::export_logistics(env.conn, format)
                    });
                }
            }
        });
        ui.weak(text::LOGISTICS_HINT);
        ui.separator();
        let Some(tables) = &self.logistics else {
            if cx.busy {
                ui.spinner();
            }
            return;
        };
        if tables.iter().all(|t| t.rows.is_empty()) {
            ui.label(text::NO_LOGISTICS);
        }
        egui::ScrollArea::both()
            .id_salt("logistics_tables")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (index, table) in tables.iter().enumerate() {
                    table_ui(ui, index, table);
                    ui.add_space(10.0);
                }
            });
    }

    fn start_logistics(&mut self, cx: &mut Cx) {
        self.logistics_asked = true;
        cx.run(&self.inbox, |env| {
            let plan = ops::logistics::logistics(env.conn).map_err(OpsError::into_text)?;
            let tables = ops::logistics::logistics_tables(&plan);
            Ok(Done::with(
                text::logistics_loaded(tables.len()),
                Reply::Logistics(tables),
            ))
        });
    }

    fn roster_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::ROSTER_HINT);
        ui.add_space(4.0);
        let pools: Vec<(PoolKey, String)> = cx
            .desk
            .results
            .pools
            .iter()
            .map(|p| (p.info.key.clone(), p.info.title()))
            .collect();
        let selected = self
            .roster_pool
            .as_ref()
            .and_then(|key| pools.iter().find(|(k, _)| k == key))
            .map_or(text::ALL_POOLS.to_string(), |(_, title)| title.clone());
        ui.horizontal(|ui| {
            let label = ui.label(text::COL_POOL);
            egui::ComboBox::from_id_salt("roster_pool")
                .selected_text(selected)
                .width(280.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.roster_pool, None, text::ALL_POOLS);
                    for (key, title) in &pools {
                        ui.selectable_value(&mut self.roster_pool, Some(key.clone()), title);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.checkbox(&mut self.full_ids, text::SHOW_FULL_IDS);
        if ui
            .add_enabled(!cx.busy, egui::Button::new(text::EXPORT_ROSTER))
            .clicked()
        {
            let pool = self.roster_pool.clone();
            let full = self.full_ids;
            let which = pool
                .as_ref()
                .map_or_else(|| text::ANY.to_string(), ToString::to_string);
            let name = if full {
                format!("{}-{which}-{}.xlsx", text::ROSTER_FILE, text::FULL_ID_FILE)
            } else {
                format!("{}-{which}.xlsx", text::ROSTER_FILE)
            };
            let path = self.export_path(cx, &name);
            self.start_write(cx, path, full, move |env| {
                ops::registration::export_roster(
                    env.conn,
                    env.actor,
                    pool.as_ref(),
                    full,
                    Format::Xlsx,
                )
            });
        }
    }
}

/// The over-quota contestants, each with a field for the override's reason.
fn over_quota_ui(ui: &mut egui::Ui, preview: &Preview, reasons: &mut BTreeMap<String, String>) {
    if preview.over_quota.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.colored_label(ui.visuals().warn_fg_color, text::OVER_QUOTA_TITLE);
    egui::Grid::new("over_quota")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for header in [
                text::COL_NAME,
                text::COL_UNIT,
                text::COL_POOL,
                text::COL_ID_NUMBER,
                text::OVERRIDE_REASON,
            ] {
                ui.strong(header);
            }
            ui.end_row();
            for person in &preview.over_quota {
                let name = ui.label(&person.name);
                ui.label(&person.unit);
                ui.label(&person.pool);
                ui.label(&person.masked_id);
                let reason = reasons.entry(person.id_number.clone()).or_default();
                ui.add(
                    egui::TextEdit::singleline(reason)
                        .hint_text(text::OVERRIDE_REASON)
                        .desired_width(260.0),
                )
                .labelled_by(name.id);
                ui.end_row();
            }
        });
}

/// Errors (in the error colour) and warnings with where each is.
pub(super) fn problems_ui(ui: &mut egui::Ui, id: &str, problems: &[Problem]) {
    ui.add_space(6.0);
    ui.strong(text::PROBLEMS_TITLE);
    const FIXED: [f32; 5] = [44.0, 170.0, 110.0, 40.0, 100.0];
    let spacing = ui.spacing().item_spacing.x * 6.0;
    let message_width = (ui.available_width() - FIXED.iter().sum::<f32>() - spacing).max(200.0);
    let line = ui.text_style_height(&egui::TextStyle::Body) + 3.0;
    // Long messages wrap: a row is as tall as its message needs (CJK characters are about as
    // wide as the font size).
    let heights = problems.iter().map(|p| {
        let width: f32 = p
            .message
            .chars()
            .map(|c| if c.is_ascii() { 8.5 } else { 15.5 })
            .sum();
        (width / message_width).ceil().max(1.0) * line + 4.0
    });
    let error = ui.visuals().error_fg_color;
    let warn = ui.visuals().warn_fg_color;
    TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Min))
        .column(Column::exact(FIXED[0]))
        .column(Column::exact(FIXED[1]).clip(true))
        .column(Column::exact(FIXED[2]).clip(true))
        .column(Column::exact(FIXED[3]))
        .column(Column::exact(FIXED[4]).clip(true))
        .column(Column::remainder().at_least(200.0))
        .header(line + 4.0, |mut h| {
            for title in [
                text::COL_KIND,
                text::COL_FILE,
                text::COL_SHEET,
                text::COL_ROW,
                text::COL_FIELD,
                text::COL_MESSAGE,
            ] {
                h.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.heterogeneous_rows(heights, |mut row| {
                let Some(p) = problems.get(row.index()) else {
                    return;
                };
                let color = if p.is_error() { error } else { warn };
                row.col(|ui| {
                    ui.colored_label(color, p.severity.label());
                });
                row.col(|ui| {
                    ui.label(&p.file).on_hover_text(&p.file);
                });
                row.col(|ui| {
                    ui.label(p.sheet.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    ui.label(p.row.map(|r| r.to_string()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(p.field.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    let label =
                        egui::Label::new(egui::RichText::new(&p.message).color(color)).wrap();
                    ui.add(label);
                });
            });
        });
}

fn changes_ui(ui: &mut egui::Ui, title: &str, changes: &[String]) {
    if changes.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong(title);
    for change in changes {
        ui.label(format!("● {change}"));
    }
}

/// One logistics table as on paper: title, subtitle lines, the rows, closing lines.
fn table_ui(ui: &mut egui::Ui, index: usize, table: &Table) {
    ui.strong(&table.title);
    for line in &table.subtitle {
        ui.weak(line);
    }
    let line = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let columns = table.columns.len();
    // The last column holds the notes (需核实): it takes the width left, at least
    // NOTE_WIDTH, and wraps, each row as tall as its note needs at that width, so a note is read
    // whole, never cut at the window's edge. Every cell wraps, and a row has room for two lines
    // at least (a long unit or venue name shares the width with the others).
    const NOTE_WIDTH: f32 = 240.0;
    let heights: Vec<f32> = table
        .rows
        .iter()
        .map(|cells| {
            let note = cells
                .get(columns.saturating_sub(1))
                .cloned()
                .unwrap_or_default();
            let font = egui::TextStyle::Body.resolve(ui.style());
            let galley = ui.fonts_mut(|f| f.layout(note, font, egui::Color32::WHITE, NOTE_WIDTH));
            (2.0 * (line - 6.0) + 6.0).max(galley.size().y + 6.0)
        })
        .collect();
    let mut builder = TableBuilder::new(ui)
        .id_salt(("logistics_table", index))
        .striped(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for _ in 1..columns {
        builder = builder.column(Column::auto().at_least(60.0));
    }
    builder = builder.column(Column::remainder().at_least(NOTE_WIDTH));
    builder
        .header(line, |mut h| {
            for column in &table.columns {
                h.col(|ui| {
                    ui.strong(&column.header);
                });
            }
        })
        .body(|body| {
            body.heterogeneous_rows(heights.into_iter(), |mut row| {
                let Some(cells) = table.rows.get(row.index()) else {
                    return;
                };
                for i in 0..columns {
                    row.col(|ui| {
                        let cell = cells.get(i).map(String::as_str).unwrap_or("");
                        ui.add(egui::Label::new(cell).wrap());
                    });
                }
            });
        });
    if table.rows.is_empty() {
        ui.weak(text::EMPTY_TABLE);
    }
    for line in &table.closing {
        ui.weak(line);
    }
}

impl RegistrationScreen {
    /// What one of this screen's tasks brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome<Reply>) {
        match outcome {
            Ok(Some(Reply::Preview(files, preview))) => {
                self.imported = None;
                self.note = None;
                self.preview = Some((files, preview));
            }
            Ok(Some(Reply::Imported(report))) => {
                self.note = None;
                self.preview = None;
                self.imported = Some(report);
                // The logistics come from the forms just imported.
                self.logistics = None;
                self.logistics_asked = false;
            }
            Ok(Some(Reply::Logistics(tables))) => self.logistics = Some(tables),
            Ok(Some(Reply::Written(path))) => {
                self.note = None;
                self.written = Some(path);
            }
            Ok(None) => {}
            Err(e) => self.note = Some((e, true)),
        }
    }
}

impl View for RegistrationScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        for outcome in self.inbox.take() {
            self.finished(outcome);
        }
        self.poll_dialogs();
        if self.preview_wanted && !cx.busy {
            self.start_preview(cx);
        }
        ui.horizontal(|ui| {
            ui.heading(text::SCREEN_REGISTRATION);
            ui.add_space(16.0);
            for (tab, label) in [
                (Tab::Import, text::REG_TAB_IMPORT),
                (Tab::Logistics, text::REG_TAB_LOGISTICS),
                (Tab::Roster, text::REG_TAB_ROSTER),
            ] {
                ui.selectable_value(&mut self.tab, tab, label);
            }
        });
        self.export_row(ui, cx);
        if let Some((message, is_error)) = &self.note {
            let color = if *is_error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(color, message);
        }
        ui.separator();
        match self.tab {
            Tab::Import => self.import_ui(ui, cx),
            Tab::Logistics => self.logistics_ui(ui, cx),
            Tab::Roster => self.roster_ui(ui, cx),
        }
    }

    fn dropped(&mut self, files: &[PathBuf]) -> bool {
        self.add_files(files.iter().cloned());
        true
    }
}
