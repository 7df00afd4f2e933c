//! The supervisor's screen: confirm a locked pool (which decrypts it), publish the results
//! (公示), record appeals with their outcome and the score changes they caused, and make the
//! results final.

use super::action::Action;
use super::text;
use super::view::{Cx, View};
use crate::core::model::{PoolState, Status};
use crate::core::score::Hundredths;
use crate::ops::results::PoolResults;
use crate::ops::workflow::{self, AppealChange, Desk, PoolWorkflow};

#[derive(Default)]
pub struct SupervisorScreen {
    leader: String,
    unit: String,
    received_at: String,
    content: String,
    change_contestant: Option<i64>,
    /// `None` = theory; `Some((criterion, judge))` = a practical entry.
    change_item: Option<(String, i64)>,
    change_value: String,
    outcome_keep: bool,
    outcome_note: String,
    message: Option<String>,
}

impl SupervisorScreen {
    pub fn pool_ui(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        pool: &PoolResults,
        flow: &PoolWorkflow,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let key = pool.info.key.clone();
        let state = pool.info.state;
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, state.label()));
        });
        ui.weak(text::OVERSIGHT_HINT);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !busy && state == PoolState::Locked,
                    egui::Button::new(text::CONFIRM_DECRYPT),
                )
                .clicked()
            {
                actions.push(text::ask_decrypt(
                    &pool.info.title(),
                    Action::Decrypt(key.clone()),
                ));
            }
            if ui
                .add_enabled(
                    !busy && state == PoolState::Decrypted,
                    egui::Button::new(text::PUBLISH),
                )
                .clicked()
            {
                actions.push(text::ask_publish(
                    &pool.info.title(),
                    Action::Publish(key.clone()),
                ));
            }
            let open_appeals = flow.appeals.iter().any(|a| a.outcome.is_none());
            if ui
                .add_enabled(
                    !busy && state == PoolState::Published && !open_appeals,
                    egui::Button::new(text::FINALIZE),
                )
                .clicked()
            {
                actions.push(text::ask_finalize(
                    &pool.info.title(),
                    Action::Finalize(key.clone()),
                ));
            }
        });
        if let Some(deadline) = workflow::appeal_deadline(&pool.info.settings, &flow.events) {
            ui.label(text::appeal_deadline(
                &deadline.format("%Y-%m-%d %H:%M").to_string(),
            ));
        }
        ui.separator();
        ui.heading(text::APPEALS);
        let people = appeal_people(desk, pool);
        egui::ScrollArea::vertical()
            .id_salt("appeals")
            .show(ui, |ui| {
                if flow.appeals.is_empty() {
                    ui.label(text::NO_APPEALS);
                }
                for appeal in &flow.appeals {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.strong(text::appeal_title(appeal.id, &appeal.unit, &appeal.leader));
                        ui.label(format!("{} {}", text::RECEIVED_AT, appeal.received_at));
                        ui.label(&appeal.content);
                        if let Some(changes) = &appeal.changes {
                            ui.label(format!("{}：{changes}", text::SCORE_CHANGE));
                            // A changed score changes the 公示: its reprint is due.
                            ui.colored_label(ui.visuals().warn_fg_color, text::REPRINT_PUBLICATION);
                        }
                        match &appeal.outcome {
                            Some(outcome) => {
                                ui.label(format!("{}：{outcome}", text::OUTCOME));
                            }
                            None if state == PoolState::Published => {
                                self.decide_ui(ui, pool, &people, flow, appeal.id, busy, actions);
                            }
                            None => {}
                        }
                    });
                }
                if state == PoolState::Published {
                    ui.add_space(8.0);
                    self.new_appeal_ui(ui, pool, desk, busy, actions);
                }
            });
    }

    #[allow(clippy::too_many_arguments)]
    fn decide_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        people: &[(i64, String)],
        flow: &PoolWorkflow,
        appeal: i64,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(text::SCORE_CHANGE);
            let chosen = self
                .change_contestant
                .and_then(|c| people.iter().find(|p| p.0 == c))
                .map(|p| p.1.clone())
                .unwrap_or_default();
            egui::ComboBox::from_id_salt(("appeal_contestant", appeal))
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for (id, name) in people {
                        ui.selectable_value(&mut self.change_contestant, Some(*id), name);
                    }
                })
                .response
                .labelled_by(label.id);
            let criterion_name =
                |code: &str| crate::core::model::criterion_name(&pool.sheet.criteria, code);
            let item_text = match &self.change_item {
                None => text::THEORY_ITEM.to_string(),
                Some((c, j)) => {
                    let judge = flow
                        .judges
                        .iter()
                        .find(|x| x.0 == *j)
                        .map(|x| x.1.clone())
                        .unwrap_or_default();
                    format!("{} {judge}", criterion_name(c))
                }
            };
            egui::ComboBox::from_id_salt(("appeal_item", appeal))
                .selected_text(item_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.change_item, None, text::THEORY_ITEM);
                    for c in &pool.sheet.criteria {
                        for (j, name) in &flow.judges {
                            ui.selectable_value(
                                &mut self.change_item,
                                Some((c.code.clone(), *j)),
                                format!("{} {name}", c.name),
                            );
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            // The value the change replaces.
            if let Some(contestant) = self.change_contestant {
                let current = replaced_value(pool, contestant, self.change_item.as_ref());
                ui.weak(text::current_value(
                    &current.map(Hundredths::to_short).unwrap_or_default(),
                ));
            }
            let label = ui.label(text::NEW_VALUE);
            ui.add(egui::TextEdit::singleline(&mut self.change_value).desired_width(60.0))
                .labelled_by(label.id);
            let value = Hundredths::parse(&self.change_value).ok();
            if ui
                .add_enabled(
                    !busy && value.is_some() && self.change_contestant.is_some(),
                    egui::Button::new(text::APPLY_CHANGE),
                )
                .clicked()
                && let (Some(contestant), Some(value)) = (self.change_contestant, value)
            {
                let change = match &self.change_item {
                    None => AppealChange::Theory { contestant, value },
                    Some((criterion, judge)) => AppealChange::Practical {
                        contestant,
                        criterion: criterion.clone(),
                        judge: *judge,
                        value,
                    },
                };
                actions.push(Action::AppealChange { appeal, change });
                self.change_value.clear();
            }
        });
        self.outcome_ui(ui, appeal, busy, actions);
    }

    /// How the appeal ends (scores kept or changed, with a note), and the button that closes it.
    fn outcome_ui(
        &mut self,
        ui: &mut egui::Ui,
        appeal: i64,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(text::OUTCOME);
            ui.selectable_value(&mut self.outcome_keep, true, text::KEEP_SCORES);
            ui.selectable_value(&mut self.outcome_keep, false, text::CHANGE_SCORES);
            ui.add(
                egui::TextEdit::singleline(&mut self.outcome_note)
                    .hint_text(text::NOTE)
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(!busy, egui::Button::new(text::CLOSE_APPEAL))
                .clicked()
            {
                let head = if self.outcome_keep {
                    text::KEEP_SCORES
                } else {
                    text::CHANGE_SCORES
                };
                let outcome = if self.outcome_note.trim().is_empty() {
                    head.to_string()
                } else {
                    format!("{head}：{}", self.outcome_note.trim())
                };
                actions.push(Action::DecideAppeal { appeal, outcome });
                self.outcome_note.clear();
            }
        });
    }

    fn new_appeal_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        desk: &Desk,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.strong(text::NEW_APPEAL);
        if self.received_at.is_empty() {
            self.received_at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        }
        let mut units: Vec<String> = pool
            .sheet
            .contestants
            .iter()
            .filter_map(|c| {
                desk.results
                    .contestant(c.key)
                    .map(|p| p.record.unit.clone())
            })
            .collect();
        units.sort();
        units.dedup();
        egui::Grid::new("new_appeal")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(text::COL_UNIT);
                egui::ComboBox::from_id_salt("appeal_unit")
                    .selected_text(self.unit.as_str())
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for unit in &units {
                            ui.selectable_value(&mut self.unit, unit.clone(), unit.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(text::LEADER);
                ui.text_edit_singleline(&mut self.leader)
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(text::RECEIVED_AT);
                ui.text_edit_singleline(&mut self.received_at)
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(text::CONTENT);
                ui.add(
                    egui::TextEdit::multiline(&mut self.content)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        let ready = !busy
            && !self.leader.trim().is_empty()
            && !self.unit.is_empty()
            && !self.content.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(text::NEW_APPEAL))
            .clicked()
        {
            actions.push(Action::RecordAppeal {
                pool: pool.info.key.clone(),
                leader: std::mem::take(&mut self.leader),
                unit: self.unit.clone(),
                received_at: self.received_at.clone(),
                content: std::mem::take(&mut self.content),
            });
        }
        if let Some(message) = &self.message {
            ui.label(message);
        }
    }
}

/// The value an appeal's change would replace: the theory score (`item` none) or one judge's
/// value for one criterion.
fn replaced_value(
    pool: &PoolResults,
    contestant: i64,
    item: Option<&(String, i64)>,
) -> Option<Hundredths> {
    match item {
        None => pool
            .sheet
            .contestants
            .iter()
            .find(|c| c.key == contestant)
            .and_then(|c| c.theory),
        Some((code, judge)) => workflow::sheet_cell(&pool.sheet, contestant, code)
            .into_iter()
            .find(|(j, _)| j == judge)
            .map(|(_, v)| v),
    }
}

/// Each contestant scored normally by workstation and name, with the current total, for the
/// appeal forms: the person at the desk finds them either way and sees what the appeal is about.
fn appeal_people(desk: &Desk, pool: &PoolResults) -> Vec<(i64, String)> {
    let mut people: Vec<(u32, i64, String)> = pool
        .sheet
        .contestants
        .iter()
        .filter(|c| c.status == Status::Normal)
        .filter_map(|c| {
            let person = desk.results.contestant(c.key)?;
            let ws = person.workstation.unwrap_or(0);
            let total = pool
                .outcome
                .rows
                .iter()
                .find(|r| r.key == c.key)
                .and_then(|r| r.total)
                .map(Hundredths::to_fixed2)
                .unwrap_or_default();
            Some((
                ws,
                c.key,
                text::appeal_person(ws, &person.record.name, &total),
            ))
        })
        .collect();
    people.sort();
    people
        .into_iter()
        .map(|(_, id, label)| (id, label))
        .collect()
}

impl View for SupervisorScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let Some(pool) = cx.pool_or_hint(ui) else {
            return;
        };
        let empty = PoolWorkflow::default();
        let flow = cx.flow.unwrap_or(&empty);
        self.pool_ui(ui, cx.desk, pool, flow, cx.busy, cx.actions);
    }
}
