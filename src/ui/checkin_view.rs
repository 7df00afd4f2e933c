//! The coordinator's check-in and draw for the selected pool: mark each contestant present or
//! absent before the draw, run (or re-run) the draw, verify it, write the mapping sheets, and
//! change a contestant's status after the draw (ID numbers masked).

use super::action::Action;
use super::chief::dialog_buttons;
use super::text;
use super::view::{Cx, View};
use crate::core::model::{PoolKey, PoolState, Status};
use crate::ops::results::PoolResults;
use crate::ops::view::{self, PersonRow};
use crate::ops::workflow::Desk;
use egui_extras::{Column, TableBuilder};

#[derive(Default)]
pub struct CheckInScreen {
    /// The selected pool's contestants in check-in order.
    rows: Vec<PersonRow>,
    /// The draw asked for and not yet confirmed.
    confirm_draw: Option<PoolKey>,
}

impl CheckInScreen {
    pub fn rebuild(&mut self, desk: &Desk, pool: &PoolResults) {
        self.rows = view::checkin_rows(desk, pool);
    }

    fn pool_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let drawn = pool.info.draw_seed.is_some();
        let present = self
            .rows
            .iter()
            .filter(|p| p.status != Status::Absent)
            .count();
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
            ui.separator();
            ui.label(text::checkin_counts(
                present,
                self.rows.len() - present,
                self.rows.len(),
            ));
        });
        ui.horizontal_wrapped(|ui| {
            let label = if drawn { text::REDRAW } else { text::RUN_DRAW };
            if ui
                .add_enabled(
                    !busy && view::may_draw(pool) && present > 0,
                    egui::Button::new(label),
                )
                .clicked()
            {
                self.confirm_draw = Some(pool.info.key.clone());
            }
            if drawn {
                if ui
                    .add_enabled(!busy, egui::Button::new(text::VERIFY_DRAW))
                    .clicked()
                {
                    actions.push(Action::VerifyDraw(pool.info.key.clone()));
                }
                if ui
                    .add_enabled(!busy, egui::Button::new(text::WRITE_SHEETS))
                    .clicked()
                {
                    actions.push(Action::WriteSheets(pool.info.key.clone()));
                }
                ui.label(text::drawn_count(
                    self.rows.iter().filter(|p| p.checkin.is_some()).count(),
                ));
            } else {
                ui.weak(text::CHECK_IN_HINT);
            }
        });
        if let Some(seed) = &pool.info.draw_seed {
            ui.horizontal(|ui| {
                ui.label(text::DRAW_SEED);
                ui.monospace(seed);
            });
        }
        let changeable = drawn && pool.info.state < PoolState::Locked;
        // Wider than a 1366-pixel screen at 150 %: the table scrolls sideways there.
        egui::ScrollArea::horizontal()
            .id_salt("checkin_sideways")
            .show(ui, |ui| self.table_ui(ui, drawn, changeable, busy, actions));
        self.confirm_ui(ui, actions);
    }

    fn table_ui(
        &self,
        ui: &mut egui::Ui,
        drawn: bool,
        changeable: bool,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let rows = &self.rows;
        let mut mark: Option<(i64, Status)> = None;
        TableBuilder::new(ui)
            .id_salt("checkin_table")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(100.0))
            .column(Column::initial(260.0).clip(true))
            .column(Column::initial(170.0))
            .column(Column::initial(150.0))
            .column(Column::exact(60.0))
            .column(Column::remainder().at_least(60.0))
            .header(row_height, |mut h| {
                for t in [
                    text::COL_NAME,
                    text::COL_UNIT,
                    text::COL_ID_NUMBER,
                    text::COL_STATUS,
                    text::COL_CHECKIN,
                    text::COL_WORKSTATION,
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let p = &rows[row.index()];
                    row.col(|ui| {
                        ui.label(&p.name);
                    });
                    row.col(|ui| {
                        ui.label(&p.unit);
                    });
                    row.col(|ui| {
                        ui.monospace(&p.masked_id);
                    });
                    row.col(|ui| {
                        if drawn {
                            ui.label(p.status.label());
                            if changeable
                                && ui
                                    .add_enabled(
                                        !busy,
                                        egui::Button::new(text::CHANGE_STATUS_BUTTON).small(),
                                    )
                                    .clicked()
                            {
                                actions.push(Action::OpenStatus {
                                    contestant: p.id,
                                    who: p.name.clone(),
                                });
                            }
                        } else if let Some(status) = presence_ui(ui, p.status, busy) {
                            mark = Some((p.id, status));
                        }
                    });
                    row.col(|ui| {
                        ui.label(p.checkin.map(|c| c.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(p.workstation.map(|c| c.to_string()).unwrap_or_default());
                    });
                });
            });
        if let Some((contestant, status)) = mark {
            actions.push(Action::CheckIn { contestant, status });
        }
    }

    /// Asks before the draw runs.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(pool) = self.confirm_draw.take() else {
            return;
        };
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("coordinator_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            ui.heading(text::RUN_DRAW);
            ui.label(text::CONFIRM_DRAW);
            if dialog_buttons(ui, true, &mut keep) {
                actions.push(Action::Draw(pool.clone()));
            }
        });
        if keep && !modal.should_close() {
            self.confirm_draw = Some(pool);
        }
    }
}

/// 到场 / 缺考 before the draw; the status clicked when it differs from the current one.
fn presence_ui(ui: &mut egui::Ui, current: Status, busy: bool) -> Option<Status> {
    let mut chosen = None;
    for status in [Status::Normal, Status::Absent] {
        let label = if status == Status::Normal {
            text::MARK_PRESENT
        } else {
            text::MARK_ABSENT
        };
        if ui
            .add_enabled(!busy, egui::Button::selectable(current == status, label))
            .clicked()
            && current != status
        {
            chosen = Some(status);
        }
    }
    chosen
}

impl View for CheckInScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if let Some(pool) = cx.pool_or_hint(ui) {
            self.pool_ui(ui, pool, cx.busy, cx.actions);
        }
    }
}
