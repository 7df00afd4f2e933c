//! 数据安全: backups and restore (coordinator), this laptop's key and the laptops this database
//! trusts (chief judge, coordinator), the USB exchange of signed bundles and the merge
//! conflicts they leave for the chief judge, and a check of the file and its audit chain
//! (everyone who sees the screen). Every database step runs on the worker as a task; a restore
//! goes through the window (`Action::Restore`), which closes and reopens the database.
//!
//! One file over 600 lines: the safety screen's parts (backups, this laptop's key and the
//! registered laptops, bundles, verify) share one state and one task inbox.

use super::action::Action;
use super::chief::dialog_buttons;
use super::dialogs::{self, Pending};
use super::task::{Done, Inbox, Outcome, TaskEnv};
use super::text;
use super::view::{Cx, View};
use crate::core::model::Role;
use crate::ops::backup::{self, BackupFile, BackupInfo};
use crate::ops::bundle::{self, Exported, Imported, Keep};
use crate::ops::device::{self, ThisDevice, Trusted};
use crate::ops::verify::{self, LockHead, Report};
use crate::ops::{self, OpsError};
use crate::store::merge::Conflict;
use egui_extras::{Column, TableBuilder};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Backups,
    Devices,
    Exchange,
    Conflicts,
    Verify,
}

impl Tab {
    fn label(self) -> &'static str {
        match self {
            Tab::Backups => text::SAFETY_TAB_BACKUPS,
            Tab::Devices => text::SAFETY_TAB_DEVICES,
            Tab::Exchange => text::SAFETY_TAB_EXCHANGE,
            Tab::Conflicts => text::SAFETY_TAB_CONFLICTS,
            Tab::Verify => text::SAFETY_TAB_VERIFY,
        }
    }

    /// The tabs a role sees, the first being where it starts.
    pub fn for_role(role: Role) -> &'static [Tab] {
        match role {
            Role::Coordinator => &[
                Tab::Backups,
                Tab::Devices,
                Tab::Exchange,
                Tab::Conflicts,
                Tab::Verify,
            ],
            Role::Chief => &[Tab::Conflicts, Tab::Exchange, Tab::Devices, Tab::Verify],
            Role::Supervisor => &[Tab::Verify],
            Role::Judge => &[],
        }
    }
}

/// What the screen shows, read in one task.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    pub device: Option<ThisDevice>,
    pub trusted: Vec<device::TrustedDevice>,
    pub conflicts: Vec<Conflict>,
    pub backups: Vec<BackupFile>,
}

/// The outcome of one step, shown above the tab's content.
#[derive(Clone, Debug)]
pub enum Note {
    BackedUp(BackupInfo),
    Exported(Exported),
    Imported(Imported),
    Verified {
        what: String,
        report: Report,
        /// Each lock's chain head as the file has it now (the open database only).
        heads: Vec<LockHead>,
    },
    Trusted(Trusted, String),
    Resolved(i64),
}

struct Reply {
    note: Option<Note>,
    overview: Overview,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Dialog {
    Restore(PathBuf),
    Resolve { id: i64, keep: Keep, text: String },
}

#[derive(Default)]
pub struct SafetyScreen {
    /// Where this screen's tasks deliver their replies.
    inbox: Inbox<Reply>,
    tab: Option<Tab>,
    requested: bool,
    overview: Overview,
    note: Option<Note>,
    error: Option<String>,
    backup_out: String,
    bundle_out: String,
    bundle_in: String,
    restore_from: String,
    /// The reason the coordinator gives for a backup that departs from this laptop's record.
    restore_reason: String,
    trust_name: String,
    trust_key: String,
    dialog: Option<Dialog>,
    save_backup: Option<Pending<Option<PathBuf>>>,
    save_bundle: Option<Pending<Option<PathBuf>>>,
    open_bundle: Option<Pending<Option<PathBuf>>>,
    open_backup: Option<Pending<Option<PathBuf>>>,
}

/// Reads everything the screen shows.
fn overview(env: &TaskEnv) -> ops::Result<Overview> {
    let backups = env.db.map(backup::listing).unwrap_or_default();
    Ok(Overview {
        device: Some(device::this_device(env.conn)?),
        trusted: device::trusted(env.conn)?,
        conflicts: bundle::conflicts(env.conn, false)?,
        backups,
    })
}

/// Runs `step`, then reads the overview again, as one task of this screen.
fn step(
    cx: &mut Cx,
    inbox: &Inbox<Reply>,
    changes: bool,
    run: impl FnOnce(&TaskEnv) -> ops::Result<(String, Option<Note>)> + Send + 'static,
) {
    cx.run(inbox, move |env| {
        let (message, note) = run(env).map_err(OpsError::into_text)?;
        let overview = overview(env).map_err(OpsError::into_text)?;
        let done = Done::with(message, Reply { note, overview });
        Ok(if changes { done.changed() } else { done })
    });
}

fn stamp() -> String {
    chrono::Local::now().format("%Y%m%d-%H%M").to_string()
}

impl SafetyScreen {
    /// The open tab (the role's first until the person picks another).
    pub fn tab(&self, role: Role) -> Option<Tab> {
        let tabs = Tab::for_role(role);
        match self.tab {
            Some(t) if tabs.contains(&t) => Some(t),
            _ => tabs.first().copied(),
        }
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = Some(tab);
    }

    pub fn overview(&self) -> &Overview {
        &self.overview
    }

    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn poll_dialogs(&mut self) {
        if let Some(Some(path)) = self.save_backup.as_ref().and_then(Pending::take) {
            self.backup_out = path.display().to_string();
        }
        if let Some(Some(path)) = self.save_bundle.as_ref().and_then(Pending::take) {
            self.bundle_out = path.display().to_string();
        }
        if let Some(Some(path)) = self.open_bundle.as_ref().and_then(Pending::take) {
            self.bundle_in = path.display().to_string();
        }
        if let Some(Some(path)) = self.open_backup.as_ref().and_then(Pending::take) {
            self.restore_from = path.display().to_string();
        }
    }

    fn note_ui(&self, ui: &mut egui::Ui) {
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
            ui.add_space(4.0);
        }
        let Some(note) = &self.note else { return };
        let good = egui::Color32::from_rgb(0, 120, 60);
        match note {
            Note::BackedUp(info) => {
                ui.colored_label(good, text::backed_up(&info.path.display().to_string()));
                ui.label(text::backup_facts(
                    info.score_entries,
                    info.links,
                    info.bytes,
                ));
            }
            Note::Exported(e) => {
                ui.colored_label(good, text::SAFE_TO_REMOVE);
                ui.label(text::bundle_written(
                    &e.path.display().to_string(),
                    e.entries,
                    e.bytes,
                ));
            }
            Note::Imported(i) => {
                let color = if i.conflicts.is_empty() {
                    good
                } else {
                    ui.visuals().warn_fg_color
                };
                ui.colored_label(
                    color,
                    text::bundle_merged(&i.device, i.added, i.already, i.conflicts.len()),
                );
            }
            Note::Verified {
                what,
                report,
                heads,
            } => report_ui(ui, what, report, heads),
            Note::Trusted(outcome, name) => {
                let line = match outcome {
                    Trusted::Added => text::device_added(name),
                    Trusted::Renamed => text::device_renamed(name),
                    Trusted::Unchanged => text::device_unchanged(name),
                };
                ui.colored_label(good, line);
            }
            Note::Resolved(id) => {
                ui.colored_label(good, text::conflict_resolved(*id));
            }
        }
        ui.add_space(4.0);
    }

    fn backups_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        self.write_backup_ui(ui, cx);
        self.backup_list_ui(ui, cx);
        self.restore_from_file_ui(ui, cx);
    }

    /// Back up now into the backups folder, or write a backup to a file the person chooses.
    fn write_backup_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::BACKUPS_HINT);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!cx.busy, egui::Button::new(text::BACKUP_NOW))
                .clicked()
            {
                step(cx, &self.inbox, false, |env| {
                    let info = backup::automatic(env.conn, backup::Reason::Manual)?;
                    Ok((
                        text::backed_up(&info.path.display().to_string()),
                        Some(Note::BackedUp(info)),
                    ))
                });
            }
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(text::BACKUP_TO);
            ui.add(
                egui::TextEdit::singleline(&mut self.backup_out)
                    .desired_width(420.0)
                    .hint_text(text::BACKUP_PATH_HINT),
            );
            if ui.button(text::CHOOSE_PLACE).clicked() {
                let name = format!("judgedesk-备份-{}.sqlite", stamp());
                self.save_backup = Some(dialogs::save_file(
                    ui.ctx(),
                    text::BACKUP_TO,
                    dialogs::BACKUPS,
                    cx.db_dir().map(Path::to_path_buf),
                    &name,
                ));
            }
            let out = self.backup_out.trim().to_string();
            if ui
                .add_enabled(
                    !cx.busy && !out.is_empty(),
                    egui::Button::new(text::WRITE_BACKUP),
                )
                .clicked()
            {
                step(cx, &self.inbox, false, move |env| {
                    let info = backup::backup_to(env.conn, Path::new(&out))?;
                    Ok((
                        text::backed_up(&info.path.display().to_string()),
                        Some(Note::BackedUp(info)),
                    ))
                });
            }
        });
    }

    /// The backups in the backups folder, newest first, each with verify and restore.
    fn backup_list_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.add_space(8.0);
        ui.strong(text::BACKUP_LIST);
        if self.overview.backups.is_empty() {
            ui.label(text::NO_BACKUPS_YET);
        }
        let rows = self.overview.backups.clone();
        let busy = cx.busy;
        TableBuilder::new(ui)
            .id_salt("backups")
            .striped(true)
            .max_scroll_height(260.0)
            .column(Column::auto().at_least(170.0))
            .column(Column::remainder().at_least(260.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(160.0))
            .header(22.0, |mut h| {
                for title in [text::COL_TIME, text::COL_FILE, text::COL_SIZE, ""] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|mut body| {
                for row in &rows {
                    body.row(24.0, |mut r| {
                        r.col(|ui| {
                            ui.label(&row.modified);
                        });
                        r.col(|ui| {
                            ui.label(&row.name);
                        });
                        r.col(|ui| {
                            ui.label(text::size_kb(row.bytes));
                        });
                        r.col(|ui| {
                            if ui
                                .add_enabled(!busy, egui::Button::new(text::VERIFY_FILE))
                                .clicked()
                            {
                                let path = row.path.clone();
                                let name = row.name.clone();
                                step(cx, &self.inbox, false, move |_| {
                                    let report = verify::verify_file(&path)?;
                                    Ok((
                                        text::verified_line(&name, report.is_clean()),
                                        Some(Note::Verified {
                                            what: name,
                                            report,
                                            heads: Vec::new(),
                                        }),
                                    ))
                                });
                            }
                            if ui
                                .add_enabled(!busy, egui::Button::new(text::RESTORE))
                                .clicked()
                            {
                                self.dialog = Some(Dialog::Restore(row.path.clone()));
                            }
                        });
                    });
                }
            });
    }

    /// Restore from a backup file the person names or chooses (asked first in a dialog).
    fn restore_from_file_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let busy = cx.busy;
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label(text::RESTORE_FROM_FILE);
            ui.add(
                egui::TextEdit::singleline(&mut self.restore_from)
                    .desired_width(420.0)
                    .hint_text(text::RESTORE_PATH_HINT),
            );
            if ui.button(text::CHOOSE_FILE).clicked() {
                self.open_backup = Some(dialogs::pick_file(
                    ui.ctx(),
                    text::RESTORE_FROM_FILE,
                    dialogs::BACKUPS,
                    cx.db_dir().map(Path::to_path_buf),
                ));
            }
            let from = self.restore_from.trim().to_string();
            if ui
                .add_enabled(!busy && !from.is_empty(), egui::Button::new(text::RESTORE))
                .clicked()
            {
                self.dialog = Some(Dialog::Restore(PathBuf::from(from)));
            }
        });
    }

    fn devices_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::DEVICES_HINT);
        ui.add_space(4.0);
        if let Some(device) = &self.overview.device {
            egui::Grid::new("this_device")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    ui.label(text::DEVICE_NAME);
                    ui.strong(&device.name);
                    ui.end_row();
                    ui.label(text::FINGERPRINT);
                    ui.monospace(&device.fingerprint);
                    ui.end_row();
                    ui.label(text::PUBLIC_KEY);
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(&device.public_key).monospace())
                                .selectable(true),
                        );
                        if ui.button(text::COPY).clicked() {
                            ui.ctx().copy_text(device.public_key.clone());
                        }
                    });
                    ui.end_row();
                });
        }
        ui.add_space(8.0);
        ui.strong(text::TRUSTED_DEVICES);
        if self.overview.trusted.is_empty() {
            ui.label(text::NO_TRUSTED_DEVICES);
        }
        egui::Grid::new("trusted")
            .striped(true)
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for device in &self.overview.trusted {
                    ui.label(&device.name);
                    ui.monospace(&device.fingerprint);
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        ui.strong(text::TRUST_DEVICE);
        ui.horizontal(|ui| {
            ui.label(text::DEVICE_NAME);
            ui.add(
                egui::TextEdit::singleline(&mut self.trust_name)
                    .desired_width(160.0)
                    .hint_text(text::DEVICE_NAME_HINT),
            );
            ui.label(text::PUBLIC_KEY);
            ui.add(
                egui::TextEdit::singleline(&mut self.trust_key)
                    .desired_width(520.0)
                    .font(egui::TextStyle::Monospace)
                    .hint_text(text::PUBLIC_KEY_HINT),
            );
        });
        let ready = !self.trust_name.trim().is_empty() && !self.trust_key.trim().is_empty();
        if ui
            .add_enabled(!cx.busy && ready, egui::Button::new(text::TRUST))
            .clicked()
        {
            let (key, name) = (self.trust_key.clone(), self.trust_name.trim().to_string());
            step(cx, &self.inbox, true, move |env| {
                let outcome = device::trust(env.conn, env.actor, &key, &name)?;
                Ok((
                    text::device_added(&name),
                    Some(Note::Trusted(outcome, name)),
                ))
            });
        }
    }

    fn exchange_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::EXCHANGE_HINT);
        ui.add_space(6.0);
        ui.strong(text::EXPORT_BUNDLE);
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.bundle_out)
                    .desired_width(460.0)
                    .hint_text(text::BUNDLE_PATH_HINT),
            );
            if ui.button(text::CHOOSE_PLACE).clicked() {
                let device = self
                    .overview
                    .device
                    .as_ref()
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let name = format!("评分数据-{device}-{}.jdbundle", stamp());
                self.save_bundle = Some(dialogs::save_file(
                    ui.ctx(),
                    text::EXPORT_BUNDLE,
                    dialogs::BUNDLES,
                    None,
                    &name,
                ));
            }
            let out = self.bundle_out.trim().to_string();
            if ui
                .add_enabled(
                    !cx.busy && !out.is_empty(),
                    egui::Button::new(text::WRITE_BUNDLE),
                )
                .clicked()
            {
                step(cx, &self.inbox, false, move |env| {
                    let exported = bundle::export(env.conn, Path::new(&out))?;
                    Ok((
                        text::SAFE_TO_REMOVE.to_string(),
                        Some(Note::Exported(exported)),
                    ))
                });
            }
        });
        ui.add_space(10.0);
        ui.strong(text::IMPORT_BUNDLE);
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.bundle_in)
                    .desired_width(460.0)
                    .hint_text(text::BUNDLE_IN_HINT),
            );
            if ui.button(text::CHOOSE_FILE).clicked() {
                self.open_bundle = Some(dialogs::pick_file(
                    ui.ctx(),
                    text::IMPORT_BUNDLE,
                    dialogs::BUNDLES,
                    None,
                ));
            }
            let from = self.bundle_in.trim().to_string();
            if ui
                .add_enabled(
                    !cx.busy && !from.is_empty(),
                    egui::Button::new(text::MERGE_BUNDLE),
                )
                .clicked()
            {
                step(cx, &self.inbox, true, move |env| {
                    let imported = bundle::import(env.conn, env.actor, Path::new(&from))?;
                    Ok((
                        text::bundle_merged(
                            &imported.device,
                            imported.added,
                            imported.already,
                            imported.conflicts.len(),
                        ),
                        Some(Note::Imported(imported)),
                    ))
                });
            }
        });
    }

    fn conflicts_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::CONFLICTS_HINT);
        ui.add_space(4.0);
        // The chief judge decides the conflicts of the pool selected on the left.
        let pool = cx.pool.map(|p| p.info.key.to_string());
        let shown: Vec<&Conflict> = self
            .overview
            .conflicts
            .iter()
            .filter(|c| {
                cx.role() != Role::Chief
                    || pool.as_deref() == Some(&format!("{}-{}", c.pool_event, c.pool_group))
            })
            .collect();
        if shown.is_empty() {
            ui.label(text::NO_CONFLICTS);
            return;
        }
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .id_salt("conflicts")
            .max_height(420.0)
            .show(ui, |ui| {
                for conflict in shown {
                    ui.horizontal(|ui| {
                        ui.label(bundle::describe(conflict));
                        if ui
                            .add_enabled(!cx.busy, egui::Button::new(text::KEEP_LOCAL))
                            .clicked()
                        {
                            chosen = Some((conflict.id, Keep::Local, bundle::describe(conflict)));
                        }
                        if ui
                            .add_enabled(!cx.busy, egui::Button::new(text::KEEP_INCOMING))
                            .clicked()
                        {
                            chosen =
                                Some((conflict.id, Keep::Incoming, bundle::describe(conflict)));
                        }
                    });
                }
            });
        if let Some((id, keep, text)) = chosen {
            self.dialog = Some(Dialog::Resolve { id, keep, text });
        }
    }

    fn verify_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.weak(text::VERIFY_HINT);
        ui.add_space(4.0);
        if ui
            .add_enabled(!cx.busy, egui::Button::new(text::VERIFY_DATABASE))
            .clicked()
        {
            step(cx, &self.inbox, false, |env| {
                let report = verify::verify(env.conn, true)?;
                let heads = verify::lock_heads(env.conn)?;
                let what = env
                    .db
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|| text::THIS_DATABASE.to_string());
                let clean = report.is_clean() && heads.iter().all(LockHead::matches);
                Ok((
                    text::verified_line(&what, clean),
                    Some(Note::Verified {
                        what,
                        report,
                        heads,
                    }),
                ))
            });
        }
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let Some(dialog) = self.dialog.clone() else {
            return;
        };
        let mut keep = true;
        egui::Window::new(text::PLEASE_CONFIRM)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
            .show(ui.ctx(), |ui| match &dialog {
                Dialog::Restore(path) => {
                    ui.label(text::restore_question(&path.display().to_string()));
                    ui.weak(text::RESTORE_EXPLAINED);
                    ui.horizontal(|ui| {
                        let label = ui.label(text::RESTORE_REASON);
                        ui.add(
                            egui::TextEdit::singleline(&mut self.restore_reason)
                                .desired_width(360.0)
                                .hint_text(text::RESTORE_REASON_HINT),
                        )
                        .labelled_by(label.id);
                    });
                    if dialog_buttons(ui, !cx.busy, &mut keep) {
                        let reason = self.restore_reason.trim().to_string();
                        cx.actions.push(Action::Restore {
                            file: path.clone(),
                            reason: (!reason.is_empty()).then_some(reason),
                        });
                    }
                }
                Dialog::Resolve {
                    id,
                    keep: which,
                    text: line,
                } => {
                    ui.label(line);
                    ui.label(match which {
                        Keep::Local => text::KEEP_LOCAL_QUESTION,
                        Keep::Incoming => text::KEEP_INCOMING_QUESTION,
                    });
                    if dialog_buttons(ui, !cx.busy, &mut keep) {
                        let (id, which) = (*id, *which);
                        step(cx, &self.inbox, true, move |env| {
                            bundle::resolve(env.conn, env.actor, id, which)?;
                            Ok((text::conflict_resolved(id), Some(Note::Resolved(id))))
                        });
                    }
                }
            });
        if !keep {
            self.dialog = None;
        }
    }
}

/// A verification report: clean in green, else every finding in the error colour; then each
/// lock's chain head, to compare with the printed score sheets.
fn report_ui(ui: &mut egui::Ui, what: &str, report: &Report, heads: &[LockHead]) {
    report_findings_ui(ui, what, report);
    if heads.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong(text::LOCK_HEADS);
    for head in heads {
        if head.matches() {
            ui.add(egui::Label::new(head.to_string()).wrap());
        } else {
            ui.colored_label(ui.visuals().error_fg_color, head.to_string());
        }
    }
}

fn report_findings_ui(ui: &mut egui::Ui, what: &str, report: &Report) {
    if report.is_clean() {
        ui.colored_label(
            egui::Color32::from_rgb(0, 120, 60),
            text::verified_line(what, true),
        );
        ui.label(text::chain_facts(
            report.links,
            report.root.as_deref().unwrap_or("-"),
            report.signers.len(),
        ));
        return;
    }
    let red = ui.visuals().error_fg_color;
    ui.colored_label(red, text::verified_line(what, false));
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .max_height(200.0)
        .show(ui, |ui| {
            for finding in &report.findings {
                ui.colored_label(red, finding.to_string());
            }
        });
}

impl SafetyScreen {
    /// What one of this screen's tasks brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome<Reply>) {
        match outcome {
            Ok(Some(reply)) => {
                self.overview = reply.overview;
                if reply.note.is_some() {
                    self.note = reply.note;
                }
                self.error = None;
            }
            Ok(None) => {}
            Err(e) => {
                self.note = None;
                self.error = Some(e);
            }
        }
    }
}

impl View for SafetyScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        for outcome in self.inbox.take() {
            self.finished(outcome);
        }
        self.poll_dialogs();
        if !self.requested && !cx.busy {
            self.requested = true;
            step(cx, &self.inbox, false, |_| Ok((String::new(), None)));
        }
        let Some(tab) = self.tab(cx.role()) else {
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(text::SCREEN_SAFETY);
            ui.separator();
            for &t in Tab::for_role(cx.role()) {
                if ui.selectable_label(tab == t, t.label()).clicked() {
                    self.tab = Some(t);
                    self.note = None;
                    self.error = None;
                }
            }
        });
        ui.separator();
        self.note_ui(ui);
        match tab {
            Tab::Backups => self.backups_ui(ui, cx),
            Tab::Devices => self.devices_ui(ui, cx),
            Tab::Exchange => self.exchange_ui(ui, cx),
            Tab::Conflicts => self.conflicts_ui(ui, cx),
            Tab::Verify => self.verify_ui(ui, cx),
        }
        self.dialog_ui(ui, cx);
    }
}
