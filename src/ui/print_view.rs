//! The print centre (打印中心): 荣誉证书 (full design or 套打, drafts before a pool is final,
//! reprints and voids from the register), the calibration page and the printer profiles'
//! offsets, 成绩公示, each judge's score sheet and the award rosters, written to a PDF (or an
//! xlsx) in a folder beside the database or wherever the save dialog says, with a preview of
//! the first page drawn from the page model.
//!
//! Every rule lives in `ops` (the same functions the command line calls): this screen only
//! chooses, hands the work to the worker thread and shows the answer. The preview and the
//! register are rebuilt on the worker when the choice or the data changes, never per frame.
//!
//! One file over 600 lines: the print centre's choices, first-page preview and printing share one
//! state (what, which pool, paper, printer); the preview's drawing is in `page_preview`.

use super::dialogs::{self, Pending};
use super::page_preview;
use super::task::{self, Done, Inbox, Outcome, TaskEnv};
use super::text;
use super::view::{Cx, View};
use crate::core::model::PoolKey;
use crate::ops::certificates::CertificateRow;
use crate::ops::certificates::{self, DEFAULT_PRINTER, PrintRequest};
use crate::ops::documents::{self, Format, Preview};
use crate::ops::view::names_visible;
use crate::ops::{self, OpsError};
use crate::print::certificate::{Layout, Offset, Paper};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// What the print centre writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Certificates,
    Drafts,
    Calibration,
    Publication,
    ScoreSheets,
    RostersPdf,
    RostersXlsx,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Certificates,
        Kind::Drafts,
        Kind::Calibration,
        Kind::Publication,
        Kind::ScoreSheets,
        Kind::RostersPdf,
        Kind::RostersXlsx,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Certificates => text::KIND_CERTIFICATES,
            Kind::Drafts => text::KIND_DRAFTS,
            Kind::Calibration => text::KIND_CALIBRATION,
            Kind::Publication => text::KIND_PUBLICATION,
            Kind::ScoreSheets => text::KIND_SCORE_SHEETS,
            Kind::RostersPdf => text::KIND_ROSTERS_PDF,
            Kind::RostersXlsx => text::KIND_ROSTERS_XLSX,
        }
    }

    fn is_certificate(self) -> bool {
        matches!(self, Kind::Certificates | Kind::Drafts)
    }

    /// Does the paper (and the printer profile) matter?
    fn uses_paper(self) -> bool {
        self.is_certificate() || self == Kind::Calibration
    }

    /// Can it be printed as a 样张 before its pools reach the required state?
    fn has_table_draft(self) -> bool {
        matches!(
            self,
            Kind::Publication | Kind::RostersPdf | Kind::RostersXlsx
        )
    }

    fn uses_pool(self) -> bool {
        self != Kind::Calibration
    }

    fn is_xlsx(self) -> bool {
        self == Kind::RostersXlsx
    }

    fn file_stem(self) -> &'static str {
        match self {
            Kind::Certificates => text::FILE_CERTIFICATES,
            Kind::Drafts => text::FILE_DRAFTS,
            Kind::Calibration => text::FILE_CALIBRATION,
            Kind::Publication => text::FILE_PUBLICATION,
            Kind::ScoreSheets => text::FILE_SCORE_SHEETS,
            Kind::RostersPdf | Kind::RostersXlsx => text::FILE_ROSTERS,
        }
    }
}

/// Everything the preview depends on; fields that do not matter to the kind are left at
/// their defaults so that changing them rebuilds nothing.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    kind: Kind,
    pool: Option<PoolKey>,
    paper: Paper,
    layout: Layout,
    printer: String,
    draft: bool,
    /// The window's data version: a reload may change what would print.
    version: u64,
}

impl Choice {
    fn request(&self) -> PrintRequest {
        PrintRequest {
            pool: self.pool.clone(),
            paper: self.paper,
            layout: self.layout,
            printer: self.printer().map(str::to_string),
            draft: self.kind == Kind::Drafts,
        }
    }

    fn printer(&self) -> Option<&str> {
        Some(self.printer.trim()).filter(|p| !p.is_empty())
    }

    /// The file name offered: `证书-DS-ZG.pdf`, `获奖名册-全部.xlsx`.
    fn file_name(&self) -> String {
        let scope = match (&self.pool, self.kind) {
            (_, Kind::Calibration) => {
                format!("{}-{}", safe_name(&self.printer), self.paper.code())
            }
            (Some(pool), _) => pool.to_string(),
            (None, _) => text::ANY.to_string(),
        };
        let draft = if self.draft && self.kind.has_table_draft() {
            format!("-{}", text::FILE_DRAFT_SUFFIX)
        } else {
            String::new()
        };
        let ext = if self.kind.is_xlsx() { "xlsx" } else { "pdf" };
        format!("{}-{scope}{draft}.{ext}", self.kind.file_stem())
    }
}

/// A printer name as part of a file name.
fn safe_name(name: &str) -> String {
    let name: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        DEFAULT_PRINTER.to_string()
    } else {
        name
    }
}

/// What the worker built for a choice: the preview (or why it cannot print), the printer
/// profiles and the certificate register of the pool.
struct Snapshot {
    choice: Choice,
    preview: Result<Preview, String>,
    printers: Vec<certificates::PrinterProfile>,
    register: Vec<CertificateRow>,
}

/// A file the print centre wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// Pages of a PDF; `None` for a workbook.
    pub pages: Option<usize>,
    pub summary: String,
    /// The last progress the batch reported: `(done, total)` pages.
    pub progress: (usize, usize),
}

enum Reply {
    Snapshot(Box<Snapshot>),
    Written(Written),
    Changed,
}

#[derive(Default)]
pub struct PrintScreen {
    /// Where this screen's tasks deliver their replies.
    inbox: Inbox<Reply>,
    kind: Option<Kind>,
    all_pools: bool,
    paper: Option<Paper>,
    layout: Option<Layout>,
    table_draft: bool,
    printer: Option<String>,
    /// The offset being edited, and the profile it was loaded from.
    offset: Offset,
    offset_for: Option<String>,
    out: String,
    out_default: String,
    save_dialog: Option<Pending<Option<PathBuf>>>,
    shown: Option<Snapshot>,
    requested: Option<Choice>,
    working: bool,
    written: Option<Written>,
    error: Option<String>,
    selected: Option<String>,
    reason: String,
    confirm_void: bool,
}

impl PrintScreen {
    fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Certificates)
    }

    fn printer(&self) -> &str {
        self.printer.as_deref().unwrap_or(DEFAULT_PRINTER)
    }

    fn choice(&self, cx: &Cx) -> Choice {
        let kind = self.kind();
        let layout = self.layout.unwrap_or(Layout::Full);
        let pool = if self.all_pools || !kind.uses_pool() {
            None
        } else {
            cx.pool.map(|p| p.info.key.clone())
        };
        let offset_matters =
            kind == Kind::Calibration || (kind.is_certificate() && layout == Layout::Overlay);
        Choice {
            kind,
            pool,
            paper: if kind.uses_paper() {
                self.paper.unwrap_or(Paper::A4Landscape)
            } else {
                Paper::A4Landscape
            },
            layout: if kind.is_certificate() {
                layout
            } else {
                Layout::Full
            },
            printer: if offset_matters {
                self.printer().to_string()
            } else {
                String::new()
            },
            draft: kind.has_table_draft() && self.table_draft,
            version: cx.version,
        }
    }

    // ---- for tests ----------------------------------------------------------------------

    /// Chooses what to print (as clicking its name does).
    pub fn choose(&mut self, kind: Kind) {
        self.kind = Some(kind);
    }

    /// The document chosen, if any.
    pub fn chosen_kind(&self) -> Option<Kind> {
        self.kind
    }

    /// Chooses the whole competition instead of the selected pool.
    pub fn choose_all_pools(&mut self, all: bool) {
        self.all_pools = all;
    }

    /// Types a path into the output field.
    pub fn set_output(&mut self, path: &str) {
        self.out = path.to_string();
    }

    pub fn output(&self) -> &str {
        &self.out
    }

    /// Every text of the preview's page (and the blocks it places).
    pub fn preview_texts(&self) -> Vec<String> {
        match self.shown.as_ref().map(|s| &s.preview) {
            Some(Ok(preview)) => preview.document.texts().map(|t| t.text.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// The page count of what the preview shows the first page of.
    pub fn preview_pages(&self) -> Option<usize> {
        match self.shown.as_ref().map(|s| &s.preview) {
            Some(Ok(preview)) => Some(preview.pages),
            _ => None,
        }
    }

    /// Why the chosen document cannot be printed, as the preview found.
    pub fn preview_error(&self) -> Option<&str> {
        match self.shown.as_ref().map(|s| &s.preview) {
            Some(Err(e)) => Some(e),
            _ => None,
        }
    }

    pub fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The certificate register of the pool, as last loaded.
    pub fn register(&self) -> &[CertificateRow] {
        self.shown.as_ref().map_or(&[], |s| &s.register)
    }

    // ---- work on the worker thread ----------------------------------------------------

    fn refresh(&mut self, cx: &mut Cx, choice: Choice) {
        self.requested = Some(choice.clone());
        cx.run(&self.inbox, move |env| {
            let preview = build_preview(env, &choice).map_err(OpsError::into_text);
            let printers = certificates::printers(env.conn).unwrap_or_default();
            let register = match (&choice.pool, choice.kind.is_certificate()) {
                (Some(pool), true) => certificates::list(env.conn, Some(pool)).unwrap_or_default(),
                _ => Vec::new(),
            };
            let snapshot = Snapshot {
                choice,
                preview,
                printers,
                register,
            };
            Ok(Done::with("", Reply::Snapshot(Box::new(snapshot))))
        });
    }

    fn start(
        &mut self,
        cx: &mut Cx,
        run: impl FnOnce(&TaskEnv) -> Result<Done<Reply>, String> + Send + 'static,
    ) {
        self.working = true;
        self.error = None;
        self.written = None;
        cx.run(&self.inbox, run);
    }

    fn print(&mut self, cx: &mut Cx, choice: Choice) {
        let out = PathBuf::from(self.out.trim());
        self.start(cx, move |env| print(env, &choice, &out));
    }

    fn reprint(&mut self, cx: &mut Cx, choice: &Choice, number: String) {
        let reason = self.reason.trim().to_string();
        let out = cx
            .beside_db(text::PRINT_FOLDER)
            .join(format!("{}-{number}.pdf", text::FILE_REPRINT));
        let request = PrintRequest {
            pool: None,
            draft: false,
            ..choice.request()
        };
        self.start(cx, move |env| {
            let last = Cell::new((0, 0));
            let report = certificates::reprint(
                env.conn,
                env.actor,
                &number,
                &reason,
                &request,
                &out,
                &mut |done, total| {
                    env.progress.set(done, total);
                    last.set((done, total));
                },
            )
            .map_err(OpsError::into_text)?;
            let path = report.path.display().to_string();
            let written = Written {
                path: report.path,
                pages: Some(report.pages),
                summary: text::reprinted(&number, &path),
                progress: last.get(),
            };
            Ok(Done::with(written.summary.clone(), Reply::Written(written)).changed())
        });
    }

    fn void(&mut self, cx: &mut Cx, number: String) {
        let reason = self.reason.trim().to_string();
        self.start(cx, move |env| {
            let row = certificates::void(env.conn, env.actor, &number, &reason)
                .map_err(OpsError::into_text)?;
            Ok(Done::with(text::voided(&row.number), Reply::Changed).changed())
        });
    }

    fn save_offset(&mut self, cx: &mut Cx) {
        let printer = self.printer().trim().to_string();
        let offset = self.offset;
        self.start(cx, move |env| {
            certificates::set_printer_offset(env.conn, env.actor, &printer, offset)
                .map_err(OpsError::into_text)?;
            Ok(Done::with(
                text::offset_saved(&printer, offset.x, offset.y),
                Reply::Changed,
            )
            .changed())
        });
    }

    // ---- drawing -------------------------------------------------------------------------

    /// The output path follows the choice until the person types or picks another.
    fn follow_default_path(&mut self, cx: &Cx, choice: &Choice) {
        let default = cx
            .beside_db(text::PRINT_FOLDER)
            .join(choice.file_name())
            .display()
            .to_string();
        if self.out.is_empty() || self.out == self.out_default {
            self.out = default.clone();
        }
        self.out_default = default;
    }

    /// Loads the saved offset of the chosen printer profile into the fields.
    fn follow_printer(&mut self) {
        let printer = self.printer().to_string();
        let Some(shown) = &self.shown else { return };
        if self.offset_for.as_deref() == Some(printer.as_str()) {
            return;
        }
        self.offset = shown
            .printers
            .iter()
            .find(|profile| profile.name == printer)
            .map(|profile| profile.offset)
            .unwrap_or_default();
        self.offset_for = Some(printer);
    }

    fn poll_dialog(&mut self) {
        let Some(dialog) = &self.save_dialog else {
            return;
        };
        if let Some(answer) = dialog.take() {
            if let Some(path) = answer {
                self.out = path.display().to_string();
            }
            self.save_dialog = None;
        }
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, choice: &Choice) {
        let kind = choice.kind;
        ui.heading(text::SCREEN_PRINTING);
        ui.add_space(4.0);
        ui.label(text::PRINT_KIND);
        ui.horizontal_wrapped(|ui| {
            for k in Kind::ALL {
                if ui.selectable_label(kind == k, k.label()).clicked() {
                    self.kind = Some(k);
                }
            }
        });
        ui.add_space(6.0);
        egui::Grid::new("print_choice")
            .num_columns(2)
            .spacing([10.0, 8.0])
            .show(ui, |ui| {
                if kind.uses_pool() {
                    ui.label(text::PRINT_POOL);
                    ui.horizontal_wrapped(|ui| {
                        if let Some(pool) = cx.pool {
                            let this = format!("{} {}", pool.info.key, pool.info.title());
                            if ui.radio(!self.all_pools, this).clicked() {
                                self.all_pools = false;
                            }
                        }
                        if ui.radio(choice.pool.is_none(), text::ALL_POOLS).clicked() {
                            self.all_pools = true;
                        }
                    });
                    ui.end_row();
                }
                if kind.uses_paper() {
                    ui.label(text::PAPER);
                    egui::ComboBox::from_id_salt("print_paper")
                        .width(250.0)
                        .selected_text(choice.paper.label())
                        .show_ui(ui, |ui| {
                            for paper in Paper::ALL {
                                if ui
                                    .selectable_label(choice.paper == paper, paper.label())
                                    .clicked()
                                {
                                    self.paper = Some(paper);
                                }
                            }
                        })
                        .response
                        .accessible_name(text::PAPER);
                    ui.end_row();
                }
                if kind.is_certificate() {
                    ui.label(text::LAYOUT);
                    ui.horizontal(|ui| {
                        for layout in [Layout::Full, Layout::Overlay] {
                            if ui.radio(choice.layout == layout, layout.label()).clicked() {
                                self.layout = Some(layout);
                            }
                        }
                    });
                    ui.end_row();
                }
                if kind.uses_paper() {
                    ui.label(text::PRINTER);
                    self.printer_ui(ui);
                    ui.end_row();
                }
                if kind.has_table_draft() {
                    ui.label("");
                    ui.checkbox(&mut self.table_draft, text::TABLE_DRAFT);
                    ui.end_row();
                }
            });
        if kind.is_certificate() {
            let note = if kind == Kind::Drafts {
                text::DRAFT_NOTE
            } else {
                text::FINAL_NOTE
            };
            ui.add_space(4.0);
            ui.weak(note);
        }
        if kind == Kind::Calibration || (kind.is_certificate() && choice.layout == Layout::Overlay)
        {
            self.offset_ui(ui, cx);
        }

        ui.separator();
        self.output_ui(ui, cx, choice);
        self.outcome_ui(ui);
    }

    /// The printer's name (its saved offsets go by it), typed or chosen from those known.
    fn printer_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let mut name = self.printer().to_string();
            let edit = ui.add(
                egui::TextEdit::singleline(&mut name)
                    .hint_text(text::PRINTER_HINT)
                    .desired_width(170.0),
            );
            if edit.changed() {
                self.printer = Some(name);
            }
            let mut names = vec![DEFAULT_PRINTER.to_string()];
            if let Some(shown) = &self.shown {
                for profile in &shown.printers {
                    if !names.contains(&profile.name) {
                        names.push(profile.name.clone());
                    }
                }
            }
            egui::ComboBox::from_id_salt("print_printers")
                .width(24.0)
                .selected_text("")
                .show_ui(ui, |ui| {
                    for profile in names {
                        let on = self.printer() == profile;
                        if ui.selectable_label(on, &profile).clicked() {
                            self.printer = Some(profile);
                        }
                    }
                })
                .response
                .accessible_name(text::PRINTER);
        });
    }

    /// The print offset for this printer, in millimetres, and the button that saves it.
    fn offset_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(text::OFFSET_X);
            ui.add(
                egui::DragValue::new(&mut self.offset.x)
                    .range(-50.0..=50.0)
                    .speed(0.1)
                    .fixed_decimals(1)
                    .suffix(text::MM),
            );
            ui.label(text::OFFSET_Y);
            ui.add(
                egui::DragValue::new(&mut self.offset.y)
                    .range(-50.0..=50.0)
                    .speed(0.1)
                    .fixed_decimals(1)
                    .suffix(text::MM),
            );
            if ui
                .add_enabled(!cx.busy, egui::Button::new(text::SAVE_OFFSET))
                .clicked()
            {
                self.save_offset(cx);
            }
        });
        ui.weak(text::OFFSET_HINT);
    }

    /// Where the file goes, and the button that writes it.
    fn output_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, choice: &Choice) {
        let kind = choice.kind;
        ui.label(text::OUTPUT);
        ui.add(egui::TextEdit::singleline(&mut self.out).desired_width(f32::INFINITY))
            .accessible_name(text::OUTPUT);
        ui.horizontal(|ui| {
            let open = self.save_dialog.is_some();
            if ui
                .add_enabled(!open, egui::Button::new(text::SAVE_AS))
                .clicked()
            {
                let path = PathBuf::from(self.out.trim());
                let dir = path.parent().map(Path::to_path_buf);
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| choice.file_name());
                let filter = if kind.is_xlsx() {
                    dialogs::XLSX
                } else {
                    dialogs::PDF
                };
                self.save_dialog = Some(dialogs::save_file(
                    ui.ctx(),
                    text::SAVE_TITLE,
                    filter,
                    dir,
                    &name,
                ));
            }
            let label = if kind.is_xlsx() {
                text::EXPORT_XLSX
            } else {
                text::PRINT_TO_PDF
            };
            let ready = !cx.busy && !self.out.trim().is_empty();
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(egui::RichText::new(label).strong()),
                )
                .clicked()
            {
                self.print(cx, choice.clone());
            }
        });
    }

    fn outcome_ui(&mut self, ui: &mut egui::Ui) {
        if self.working {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(text::PRINTING);
            });
        }
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let mut open_failed = None;
        if let Some(written) = &self.written {
            ui.group(|ui| {
                ui.label(text::written(&written.path.display().to_string()));
                ui.horizontal(|ui| {
                    ui.label(&written.summary);
                    if let Some(pages) = written.pages {
                        ui.label(text::pages(pages));
                    }
                    if ui.button(text::OPEN).clicked()
                        && let Err(e) = task::open_in_system_viewer(&written.path)
                    {
                        open_failed = Some(e);
                    }
                });
            });
        }
        if open_failed.is_some() {
            self.error = open_failed;
        }
    }

    fn register_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, choice: &Choice) {
        if !choice.kind.is_certificate() {
            return;
        }
        ui.separator();
        ui.heading(text::REGISTER);
        let Some(pool) = choice.pool.as_ref().and(cx.pool) else {
            ui.weak(text::REGISTER_POOL);
            return;
        };
        let rows: Vec<CertificateRow> = self
            .shown
            .as_ref()
            .filter(|s| s.choice.pool.as_ref() == Some(&pool.info.key))
            .map(|s| s.register.clone())
            .unwrap_or_default();
        if rows.is_empty() {
            ui.weak(text::REGISTER_EMPTY);
            return;
        }
        let show_names = names_visible(cx.role(), pool.info.state);
        egui::Grid::new("certificate_register")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for header in [
                    text::COL_NUMBER,
                    text::COL_NAME,
                    text::COL_PRIZE,
                    text::COL_STATUS,
                    text::COL_PRINTS,
                ] {
                    ui.strong(header);
                }
                ui.end_row();
                for row in &rows {
                    let on = self.selected.as_deref() == Some(row.number.as_str());
                    if ui.selectable_label(on, &row.number).clicked() {
                        self.selected = Some(row.number.clone());
                        self.confirm_void = false;
                    }
                    ui.label(if show_names {
                        row.text.holder_name.as_str()
                    } else {
                        text::HIDDEN_NAME
                    });
                    ui.label(row.prize.label());
                    match &row.voided_at {
                        Some(at) => {
                            let state =
                                text::void_state(at, row.void_reason.as_deref().unwrap_or(""));
                            ui.colored_label(ui.visuals().error_fg_color, text::CERT_VOID)
                                .on_hover_text(state);
                        }
                        None => {
                            ui.label(text::CERT_VALID);
                        }
                    }
                    ui.label(row.prints.to_string());
                    ui.end_row();
                }
            });
        let Some(row) = self
            .selected
            .as_ref()
            .and_then(|n| rows.iter().find(|r| &r.number == n))
        else {
            ui.weak(text::CHOOSE_CERTIFICATE);
            return;
        };
        if row.is_void() {
            return;
        }
        let number = row.number.clone();
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.strong(&number);
            ui.add(
                egui::TextEdit::singleline(&mut self.reason)
                    .hint_text(text::REASON_REQUIRED)
                    .desired_width(200.0),
            );
        });
        let ready = !cx.busy && !self.reason.trim().is_empty();
        if self.confirm_void {
            ui.colored_label(ui.visuals().error_fg_color, text::confirm_void(&number));
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(text::CONFIRM))
                    .clicked()
                {
                    self.confirm_void = false;
                    self.void(cx, number.clone());
                }
                if ui.button(text::CANCEL).clicked() {
                    self.confirm_void = false;
                }
            });
        } else {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(text::REPRINT))
                    .clicked()
                {
                    self.reprint(cx, choice, number.clone());
                }
                if ui
                    .add_enabled(ready, egui::Button::new(text::VOID))
                    .clicked()
                {
                    self.confirm_void = true;
                }
            });
        }
    }

    /// Does the preview's page carry a QR code (a certificate already issued)?
    fn preview_has_qr(&self) -> bool {
        match self.shown.as_ref().map(|s| &s.preview) {
            Some(Ok(preview)) => preview
                .document
                .pages
                .iter()
                .flat_map(|p| p.items.iter())
                .any(|item| matches!(item, crate::print::layout::Item::Qr { .. })),
            _ => false,
        }
    }

    fn preview_ui(&self, ui: &mut egui::Ui, choice: &Choice) {
        let current = self.shown.as_ref().is_some_and(|s| &s.choice == choice);
        ui.horizontal(|ui| {
            ui.strong(text::PREVIEW_TITLE);
            if let Some(pages) = self.preview_pages() {
                ui.label(text::preview_pages(pages));
            }
            if !current {
                ui.spinner();
                ui.weak(text::PREVIEW_BUILDING);
            }
        });
        if choice.kind.is_xlsx() {
            ui.weak(text::PREVIEW_XLSX);
        }
        if choice.kind == Kind::Certificates && !self.preview_has_qr() {
            ui.weak(text::PREVIEW_PROVISIONAL);
        }
        match self.shown.as_ref().map(|s| &s.preview) {
            Some(Ok(preview)) if !preview.document.pages.is_empty() => {
                page_preview::show(ui, &preview.document, 0);
            }
            Some(Ok(_)) => {
                ui.weak(text::PREVIEW_NONE);
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }
}

impl PrintScreen {
    /// What one of this screen's tasks brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome<Reply>) {
        match outcome {
            Ok(Some(Reply::Snapshot(snapshot))) => self.shown = Some(*snapshot),
            Ok(Some(Reply::Written(written))) => {
                self.working = false;
                self.written = Some(written);
            }
            Ok(Some(Reply::Changed)) => {
                self.working = false;
                self.reason.clear();
            }
            Ok(None) => self.working = false,
            Err(e) => {
                self.working = false;
                self.error = Some(e);
            }
        }
    }
}

impl View for PrintScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        for outcome in self.inbox.take() {
            self.finished(outcome);
        }
        self.poll_dialog();
        let choice = self.choice(cx);
        self.follow_default_path(cx, &choice);
        self.follow_printer();
        let stale = self.shown.as_ref().map(|s| &s.choice) != Some(&choice);
        if stale && !cx.busy && self.requested.as_ref() != Some(&choice) {
            self.refresh(cx, choice.clone());
        }
        egui::Panel::left("print_controls")
            .resizable(false)
            .exact_size(450.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.controls_ui(ui, cx, &choice);
                    self.register_ui(ui, cx, &choice);
                });
            });
        self.preview_ui(ui, &choice);
    }
}

/// The first page of what `choice` prints, through the same `ops` functions as the file.
fn build_preview(env: &TaskEnv, choice: &Choice) -> crate::ops::Result<Preview> {
    let conn = env.conn;
    let pool = choice.pool.as_ref();
    match choice.kind {
        Kind::Certificates | Kind::Drafts => certificates::preview(conn, &choice.request()),
        Kind::Calibration => {
            certificates::calibration_document(conn, choice.printer(), choice.paper)
                .map(Preview::of)
        }
        Kind::Publication => {
            documents::publication_document(conn, pool, choice.draft).map(Preview::of)
        }
        Kind::ScoreSheets => documents::score_sheets_document(conn, pool).map(Preview::of),
        Kind::RostersPdf | Kind::RostersXlsx => {
            documents::rosters_document(conn, pool, choice.draft).map(Preview::of)
        }
    }
}

/// Writes `choice` to `out` on the worker thread, reporting pages as they are laid down.
fn print(env: &TaskEnv, choice: &Choice, out: &Path) -> Result<Done<Reply>, String> {
    let last = Cell::new((0, 0));
    let mut progress = |done: usize, total: usize| {
        env.progress.set(done, total);
        last.set((done, total));
    };
    let pool = choice.pool.as_ref();
    let bytes = match choice.kind {
        Kind::Certificates | Kind::Drafts => {
            let key = env
                .db
                .map(certificates::key_path)
                .unwrap_or_else(|| certificates::key_path(Path::new("judgedesk.sqlite")));
            let report = certificates::print_certificates(
                env.conn,
                env.actor,
                &choice.request(),
                &key,
                out,
                &mut progress,
            )
            .map_err(OpsError::into_text)?;
            let summary = if report.draft {
                text::drafts_written(report.pages)
            } else {
                text::certificates_written(
                    choice.kind.label(),
                    report.pages,
                    report.issued,
                    report.reprinted,
                )
            };
            let message = format!("{}：{summary}", text::written(&out.display().to_string()));
            let written = Written {
                path: report.path,
                pages: Some(report.pages),
                summary,
                progress: last.get(),
            };
            let done = Done::with(message, Reply::Written(written));
            return Ok(if report.draft { done } else { done.changed() });
        }
        Kind::Calibration => {
            let bytes = certificates::calibration_page(env.conn, choice.printer(), choice.paper);
            progress(1, 1);
            bytes
        }
        Kind::Publication => documents::publication(env.conn, pool, choice.draft, &mut progress),
        Kind::ScoreSheets => documents::score_sheets(env.conn, pool, &mut progress),
        Kind::RostersPdf => {
            documents::rosters(env.conn, pool, Format::Pdf, choice.draft, &mut progress)
        }
        Kind::RostersXlsx => {
            documents::rosters(env.conn, pool, Format::Xlsx, choice.draft, &mut progress)
        }
    }
    .map_err(OpsError::into_text)?;
    ops::safety::save_file(out, &bytes).map_err(OpsError::into_text)?;
    let pages = (!choice.kind.is_xlsx()).then(|| last.get().1);
    let written = Written {
        path: out.to_path_buf(),
        pages,
        summary: choice.kind.label().to_string(),
        progress: last.get(),
    };
    let message = format!(
        "{}：{}",
        text::written(&out.display().to_string()),
        choice.kind.label()
    );
    Ok(Done::with(message, Reply::Written(written)))
}
