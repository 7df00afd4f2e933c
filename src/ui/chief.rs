//! The chief judge's screens: the progress board (who has scored what, submitted sheets,
//! reopening with a reason, locking and the joint unlock) and the flags (spread flags and
//! measurement conflicts with every judge's value side by side, resolved by a re-score
//! request or an acceptance with a note). Workstation numbers only: no names.
//!
//! One file over 600 lines: the chief judge's two screens (progress, 差异处理) are one state rebuilt
//! from one snapshot, with one dialog between them.

use super::action::{Action, Screen};
use super::text;
use super::view::{Cx, View};
use crate::core::model::{PoolKey, PoolState, Role, Status};
use crate::ops::results::PoolResults;
use crate::ops::view::{self, JudgeProgress};
use crate::ops::workflow::{self, Desk, PoolWorkflow};
use egui_extras::{Column, TableBuilder};

#[derive(Clone, Debug)]
pub struct FlagRow {
    pub contestant: i64,
    pub workstation: String,
    pub criterion: String,
    pub criterion_name: String,
    pub conflict: bool,
    pub values: Vec<(i64, String, String)>,
    pub spread: String,
    pub resolved: Option<String>,
}

#[derive(Clone, Debug)]
enum Dialog {
    Reopen {
        judge: i64,
        name: String,
        contestant: Option<i64>,
        reason: String,
    },
    Accept {
        flag: usize,
        note: String,
    },
    Rescore {
        flag: usize,
        judge: Option<i64>,
        reason: String,
    },
    Unlock {
        supervisor: String,
        pin: String,
        reason: String,
    },
}

/// The width of the 各裁判评分 column; its text wraps inside.
const VALUES_WIDTH: f32 = 430.0;

/// Each judge's value of a flagged cell, as the 各裁判评分 column shows them.
fn flag_values(f: &FlagRow) -> String {
    let values: Vec<String> = f
        .values
        .iter()
        .map(|(_, n, v)| text::rescore_which(n, v))
        .collect();
    values.join("  ")
}

#[derive(Default)]
pub struct ChiefScreen {
    pool: Option<PoolKey>,
    judges: Vec<JudgeProgress>,
    flags: Vec<FlagRow>,
    workstations: Vec<(i64, u32)>,
    /// The workstation chosen for 取消资格.
    disqualify: Option<usize>,
    /// Open re-scores and missing cells, one line each (built when data changes).
    rescore_lines: Vec<String>,
    missing_lines: Vec<String>,
    supervisors: Vec<String>,
    theory_missing: usize,
    unresolved: usize,
    conflicts: usize,
    dialog: Option<Dialog>,
}

impl ChiefScreen {
    pub fn flags(&self) -> &[FlagRow] {
        &self.flags
    }

    pub fn rebuild(&mut self, desk: &Desk, pool: &PoolResults, flow: &PoolWorkflow) {
        let sheet = &pool.sheet;
        let ws = |key: i64| desk.results.contestant(key).and_then(|c| c.workstation);
        let judge_name = |id: i64| {
            flow.judges
                .iter()
                .find(|(j, _)| *j == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let criterion_name = |code: &str| crate::core::model::criterion_name(&sheet.criteria, code);
        self.rescore_lines = workflow::open_rescores(sheet, &flow.resolutions)
            .iter()
            .map(|r| {
                text::rescore_line_for_chief(
                    &judge_name(r.judge),
                    ws(r.contestant).unwrap_or(0),
                    &criterion_name(&r.criterion),
                    &r.reason,
                )
            })
            .collect();
        let mut missing = workflow::missing_cells(sheet);
        missing.sort_by_key(|m| (ws(m.contestant), m.criterion.clone(), m.judge));
        self.missing_lines = missing
            .iter()
            .map(|m| {
                let judge = m.judge.map(judge_name);
                text::missing_line(
                    ws(m.contestant).unwrap_or(0),
                    &criterion_name(&m.criterion),
                    judge.as_deref(),
                )
            })
            .collect();
        let normal: Vec<usize> = (0..sheet.contestants.len())
            .filter(|&i| sheet.contestants[i].status == Status::Normal)
            .collect();
        self.judges = view::judge_progress(pool, flow);
        let mut flags = flag_rows(desk, pool, flow);
        flags.sort_by(|a, b| {
            a.workstation
                .parse::<u32>()
                .unwrap_or(u32::MAX)
                .cmp(&b.workstation.parse::<u32>().unwrap_or(u32::MAX))
                .then(a.criterion.cmp(&b.criterion))
        });
        self.unresolved = flags
            .iter()
            .filter(|f| !f.conflict && f.resolved.is_none())
            .count();
        self.conflicts = pool.outcome.conflicts.len();
        self.flags = flags;
        self.theory_missing = normal
            .iter()
            .filter(|&&i| sheet.contestants[i].theory.is_none())
            .count();
        let mut workstations: Vec<(i64, u32)> = normal
            .iter()
            .filter_map(|&i| Some((sheet.contestants[i].key, ws(sheet.contestants[i].key)?)))
            .collect();
        workstations.sort_by_key(|w| w.1);
        self.workstations = workstations;
        self.supervisors = desk
            .accounts
            .iter()
            .filter(|a| a.role == Role::Supervisor)
            .map(|a| a.name.clone())
            .collect();
        if self.pool.as_ref() != Some(&pool.info.key) {
            self.dialog = None;
        }
        self.pool = Some(pool.info.key.clone());
    }

    fn header_ui(&self, ui: &mut egui::Ui, pool: &PoolResults) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
            ui.separator();
            ui.label(text::lock_blockers(
                pool.outcome.missing_items,
                self.unresolved,
                self.conflicts,
            ));
            if self.theory_missing > 0 {
                ui.separator();
                ui.label(format!(
                    "{} {} 人",
                    text::THEORY_MISSING,
                    self.theory_missing
                ));
            }
        });
    }

    pub fn progress_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        self.header_ui(ui, pool);
        self.lock_ui(ui, pool, busy, actions);
        self.open_work_ui(ui);
        if pool.info.state == PoolState::Scoring && !self.workstations.is_empty() {
            self.disqualify_ui(ui, busy, actions);
        }
        ui.add_space(6.0);
        self.judges_ui(ui, pool, busy);
        self.dialog_ui(ui, &pool.info.key, actions);
    }

    /// Lock when everything is in (or why not yet, in words); the joint unlock once locked.
    fn lock_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let key = &pool.info.key;
        ui.horizontal(|ui| {
            let ready = pool.info.state == PoolState::Scoring
                && pool.outcome.complete
                && self.unresolved == 0
                && self.conflicts == 0;
            if ui
                .add_enabled(ready && !busy, egui::Button::new(text::LOCK))
                .clicked()
            {
                let submitted = self.judges.iter().map(|j| j.submitted).sum();
                let rows = self.judges.iter().map(|j| j.rows).sum();
                actions.push(text::ask_lock(
                    &pool.info.title(),
                    submitted,
                    rows,
                    Action::Lock(key.clone()),
                ));
            }
            if ready {
                ui.label(text::LOCK_READY);
            } else if pool.info.state == PoolState::Scoring {
                // Why the button is disabled, in words.
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    text::lock_not_ready(
                        pool.outcome.missing_items,
                        self.unresolved,
                        self.conflicts,
                    ),
                );
            }
            if pool.info.state == PoolState::Locked
                && ui
                    .add_enabled(!busy, egui::Button::new(text::UNLOCK))
                    .clicked()
            {
                self.dialog = Some(Dialog::Unlock {
                    supervisor: self.supervisors.first().cloned().unwrap_or_default(),
                    pin: String::new(),
                    reason: String::new(),
                });
            }
        });
    }

    /// Open re-scores and missing cells, one line each.
    fn open_work_ui(&self, ui: &mut egui::Ui) {
        if !self.rescore_lines.is_empty() {
            egui::CollapsingHeader::new(text::open_rescores(self.rescore_lines.len()))
                .id_salt("open_rescores")
                .default_open(true)
                .show(ui, |ui| {
                    for line in &self.rescore_lines {
                        ui.label(line);
                    }
                });
        }
        if !self.missing_lines.is_empty() {
            egui::CollapsingHeader::new(text::missing_cells(self.missing_lines.len()))
                .id_salt("missing_cells")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("missing_scroll")
                        .max_height(160.0)
                        .show(ui, |ui| {
                            for line in &self.missing_lines {
                                ui.label(line);
                            }
                        });
                });
        }
    }

    /// 取消资格 of the contestant at a chosen workstation (through the status dialog).
    fn disqualify_ui(&mut self, ui: &mut egui::Ui, busy: bool, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            let label = ui.label(text::DISQUALIFY_AT);
            let chosen = self
                .disqualify
                .and_then(|i| self.workstations.get(i))
                .map(|(_, ws)| text::workstation(*ws))
                .unwrap_or_default();
            egui::ComboBox::from_id_salt("disqualify_ws")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for (i, (_, ws)) in self.workstations.iter().enumerate() {
                        ui.selectable_value(&mut self.disqualify, Some(i), text::workstation(*ws));
                    }
                })
                .response
                .labelled_by(label.id);
            let picked = self.disqualify.and_then(|i| self.workstations.get(i));
            if ui
                .add_enabled(
                    !busy && picked.is_some(),
                    egui::Button::new(text::CHANGE_STATUS_BUTTON),
                )
                .clicked()
                && let Some((contestant, ws)) = picked
            {
                actions.push(Action::OpenStatus {
                    contestant: *contestant,
                    who: text::workstation(*ws),
                });
            }
        });
    }

    /// Every judge's progress, with 退回 for a judge's submitted rows.
    fn judges_ui(&mut self, ui: &mut egui::Ui, pool: &PoolResults, busy: bool) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let editable = pool.info.state < PoolState::Locked;
        let mut reopen: Option<(i64, String)> = None;
        TableBuilder::new(ui)
            .id_salt("chief_progress")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(180.0))
            .column(Column::initial(200.0))
            .column(Column::initial(120.0))
            .column(Column::initial(120.0))
            .column(Column::remainder())
            .header(row_height, |mut h| {
                for t in [
                    text::COL_JUDGE,
                    text::COL_PROGRESS,
                    text::MEASUREMENT,
                    text::COL_SUBMITTED,
                    "",
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.judges.len(), |mut row| {
                    let j = &self.judges[row.index()];
                    row.col(|ui| {
                        ui.label(&j.name);
                    });
                    row.col(|ui| {
                        let fraction = if j.judged_need == 0 {
                            1.0
                        } else {
                            j.judged as f32 / j.judged_need as f32
                        };
                        ui.add(
                            egui::ProgressBar::new(fraction)
                                .text(format!("{}/{}", j.judged, j.judged_need))
                                .desired_width(180.0),
                        );
                    });
                    row.col(|ui| {
                        ui.label(j.measured.to_string());
                    });
                    row.col(|ui| {
                        ui.label(format!("{}/{}", j.submitted, j.rows));
                    });
                    row.col(|ui| {
                        if ui
                            .add_enabled(
                                editable && !busy && j.submitted > 0,
                                egui::Button::new(text::REOPEN),
                            )
                            .clicked()
                        {
                            reopen = Some((j.id, j.name.clone()));
                        }
                    });
                });
            });
        if let Some((judge, name)) = reopen {
            self.dialog = Some(Dialog::Reopen {
                judge,
                name,
                contestant: None,
                reason: String::new(),
            });
        }
    }

    pub fn flags_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        self.header_ui(ui, pool);
        let key = pool.info.key.clone();
        if self.flags.is_empty() {
            ui.label(text::NO_FLAGS);
            return;
        }
        let editable = pool.info.state < PoolState::Locked && !busy;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut open: Option<Dialog> = None;
        // Every judge's value is read whole: the cell wraps and its row grows to fit.
        let font = egui::TextStyle::Body.resolve(ui.style());
        let heights: Vec<f32> = self
            .flags
            .iter()
            .map(|f| {
                let galley = ui.fonts_mut(|fonts| {
                    fonts.layout(
                        flag_values(f),
                        font.clone(),
                        egui::Color32::WHITE,
                        VALUES_WIDTH,
                    )
                });
                row_height.max(galley.size().y + 8.0)
            })
            .collect();
        TableBuilder::new(ui)
            .id_salt("chief_flags")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(52.0))
            .column(Column::initial(200.0).clip(true))
            .column(Column::exact(VALUES_WIDTH))
            .column(Column::initial(110.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::remainder().at_least(120.0))
            .header(row_height, |mut h| {
                for t in [
                    text::COL_WORKSTATION,
                    text::COL_CRITERION,
                    text::COL_VALUES,
                    text::COL_SPREAD,
                    text::COL_STATUS,
                    text::COL_RESOLUTION,
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.heterogeneous_rows(heights.into_iter(), |mut row| {
                    let index = row.index();
                    let f = &self.flags[index];
                    row.col(|ui| {
                        ui.strong(&f.workstation);
                    });
                    row.col(|ui| {
                        ui.label(format!("{} {}", f.criterion, f.criterion_name));
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(flag_values(f)).wrap());
                    });
                    row.col(|ui| {
                        ui.label(&f.spread);
                    });
                    row.col(|ui| match &f.resolved {
                        Some(note) => {
                            ui.label(note);
                        }
                        None => {
                            ui.colored_label(ui.visuals().warn_fg_color, text::UNRESOLVED);
                        }
                    });
                    row.col(|ui| {
                        if !f.conflict
                            && f.resolved.is_none()
                            && ui
                                .add_enabled(editable, egui::Button::new(text::ACCEPT))
                                .clicked()
                        {
                            open = Some(Dialog::Accept {
                                flag: index,
                                note: String::new(),
                            });
                        }
                        if ui
                            .add_enabled(editable, egui::Button::new(text::RESCORE))
                            .clicked()
                        {
                            open = Some(Dialog::Rescore {
                                flag: index,
                                judge: None,
                                reason: String::new(),
                            });
                        }
                    });
                });
            });
        if open.is_some() {
            self.dialog = open;
        }
        self.dialog_ui(ui, &key, actions);
    }

    /// Which of a judge's rows to reopen: all, or the row at one workstation.
    fn rows_choice(&self, ui: &mut egui::Ui, contestant: &mut Option<i64>) {
        egui::ComboBox::from_label(text::COL_WORKSTATION)
            .selected_text(match contestant {
                None => text::ALL_ROWS.to_string(),
                Some(c) => self
                    .workstations
                    .iter()
                    .find(|w| w.0 == *c)
                    .map(|w| w.1.to_string())
                    .unwrap_or_default(),
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(contestant, None, text::ALL_ROWS);
                for (key, ws) in &self.workstations {
                    ui.selectable_value(contestant, Some(*key), ws.to_string());
                }
            });
    }

    /// The flag a dialog is about: workstation and criterion.
    fn flag_label(&self, ui: &mut egui::Ui, flag: usize) {
        if let Some(f) = self.flags.get(flag) {
            ui.label(format!(
                "{} {} {}",
                text::COL_WORKSTATION,
                f.workstation,
                f.criterion
            ));
        }
    }

    /// The supervisor who unlocks together with the chief judge.
    fn supervisor_choice(&self, ui: &mut egui::Ui, supervisor: &mut String) {
        egui::ComboBox::from_label(text::SUPERVISOR)
            .selected_text(supervisor.as_str())
            .show_ui(ui, |ui| {
                for name in &self.supervisors {
                    ui.selectable_value(supervisor, name.clone(), name.as_str());
                }
            });
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, pool: &PoolKey, actions: &mut Vec<Action>) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("chief_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            match &mut dialog {
                Dialog::Reopen {
                    judge,
                    name,
                    contestant,
                    reason,
                } => {
                    ui.heading(text::REOPEN_TITLE);
                    ui.label(name.as_str());
                    self.rows_choice(ui, contestant);
                    let label = ui.label(text::REASON);
                    ui.text_edit_singleline(reason).labelled_by(label.id);
                    if dialog_buttons(ui, !reason.trim().is_empty(), &mut keep) {
                        actions.push(Action::Reopen {
                            pool: pool.clone(),
                            judge: *judge,
                            contestant: *contestant,
                            reason: reason.clone(),
                        });
                    }
                }
                Dialog::Accept { flag, note } => {
                    ui.heading(text::ACCEPT_TITLE);
                    self.flag_label(ui, *flag);
                    let label = ui.label(text::NOTE);
                    ui.text_edit_singleline(note).labelled_by(label.id);
                    if dialog_buttons(ui, !note.trim().is_empty(), &mut keep)
                        && let Some(f) = self.flags.get(*flag)
                    {
                        actions.push(Action::AcceptFlag {
                            pool: pool.clone(),
                            contestant: f.contestant,
                            criterion: f.criterion.clone(),
                            note: note.clone(),
                        });
                    }
                }
                Dialog::Rescore {
                    flag,
                    judge,
                    reason,
                } => {
                    ui.heading(text::RESCORE_TITLE);
                    self.flag_label(ui, *flag);
                    if let Some(f) = self.flags.get(*flag) {
                        for (id, name, value) in &f.values {
                            ui.radio_value(judge, Some(*id), text::rescore_which(name, value));
                        }
                    }
                    let label = ui.label(text::REASON);
                    ui.text_edit_singleline(reason).labelled_by(label.id);
                    if dialog_buttons(ui, judge.is_some() && !reason.trim().is_empty(), &mut keep)
                        && let (Some(f), Some(j)) = (self.flags.get(*flag), *judge)
                    {
                        actions.push(Action::Rescore {
                            pool: pool.clone(),
                            contestant: f.contestant,
                            criterion: f.criterion.clone(),
                            judge: j,
                            reason: reason.clone(),
                        });
                    }
                }
                Dialog::Unlock {
                    supervisor,
                    pin,
                    reason,
                } => {
                    ui.heading(text::UNLOCK_TITLE);
                    self.supervisor_choice(ui, supervisor);
                    let label = ui.label(text::SUPERVISOR_PIN);
                    ui.add(egui::TextEdit::singleline(pin).password(true))
                        .labelled_by(label.id);
                    let label = ui.label(text::REASON);
                    ui.text_edit_singleline(reason).labelled_by(label.id);
                    if dialog_buttons(
                        ui,
                        !pin.is_empty() && !reason.trim().is_empty() && !supervisor.is_empty(),
                        &mut keep,
                    ) {
                        actions.push(Action::Unlock {
                            pool: pool.clone(),
                            supervisor: supervisor.clone(),
                            pin: std::mem::take(pin),
                            reason: reason.clone(),
                        });
                    }
                }
            }
        });
        if modal.should_close() {
            keep = false;
        }
        if keep {
            self.dialog = Some(dialog);
        }
    }
}

/// The spread flags and measurement conflicts of a pool, one row each, every judge's value
/// side by side (workstation numbers only).
fn flag_rows(desk: &Desk, pool: &PoolResults, flow: &PoolWorkflow) -> Vec<FlagRow> {
    let sheet = &pool.sheet;
    let ws = |key: i64| desk.results.contestant(key).and_then(|c| c.workstation);
    let judge_name = |id: i64| {
        flow.judges
            .iter()
            .find(|(j, _)| *j == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut flags = Vec::new();
    let limit = sheet.settings.spread_limit_percent;
    for f in &pool.outcome.spread_flags {
        let entries = workflow::sheet_cell(sheet, f.contestant, &f.criterion);
        let values_text = workflow::values_text(&entries);
        let resolved =
            workflow::flag_accepted(&flow.resolutions, f.contestant, &f.criterion, &values_text)
                .map(|r| format!("{}：{}", text::ACCEPTED, r.note));
        flags.push(FlagRow {
            contestant: f.contestant,
            workstation: ws(f.contestant).map(|w| w.to_string()).unwrap_or_default(),
            criterion: f.criterion.clone(),
            criterion_name: crate::core::model::criterion_name(&sheet.criteria, &f.criterion),
            conflict: false,
            values: entries
                .iter()
                .map(|(j, v)| (*j, judge_name(*j), v.to_short()))
                .collect(),
            spread: text::spread_of(
                &crate::core::score::Hundredths(f.max.0 - f.min.0).to_short(),
                limit,
            ),
            resolved,
        });
    }
    for c in &pool.outcome.conflicts {
        flags.push(FlagRow {
            contestant: c.contestant,
            workstation: ws(c.contestant).map(|w| w.to_string()).unwrap_or_default(),
            criterion: c.criterion.clone(),
            criterion_name: sheet
                .criteria
                .iter()
                .find(|k| k.code == c.criterion)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            conflict: true,
            values: c
                .entries
                .iter()
                .map(|(j, v)| (*j, judge_name(*j), v.to_short()))
                .collect(),
            spread: text::CONFLICTS.to_string(),
            resolved: None,
        });
    }
    flags
}

/// Confirm / cancel; returns true when confirmed (and closes the dialog either way).
pub fn dialog_buttons(ui: &mut egui::Ui, ready: bool, keep: &mut bool) -> bool {
    let mut confirmed = false;
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(text::CONFIRM))
            .clicked()
        {
            confirmed = true;
            *keep = false;
        }
        if ui.button(text::CANCEL).clicked() {
            *keep = false;
        }
    });
    confirmed
}

/// One state draws both of the chief judge's screens: the progress board and the flags.
impl View for ChiefScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let Some(pool) = cx.pool_or_hint(ui) else {
            return;
        };
        if cx.screen == Screen::Flags {
            self.flags_ui(ui, pool, cx.busy, cx.actions);
        } else {
            self.progress_ui(ui, pool, cx.busy, cx.actions);
        }
    }
}
