//! The coordinator's accounts: create an account (a judge's or chief judge's with its pools),
//! see who is locked out, assign pools and unlock (optionally with a new PIN).

use super::action::Action;
use super::chief::dialog_buttons;
use super::text;
use super::view::{Cx, View};
use crate::core::model::{PoolKey, Role};
use crate::ops::view::{self, PoolChoice};
use crate::ops::workflow::{AccountView, Desk};
use egui_extras::{Column, TableBuilder};

#[derive(Clone, Debug)]
enum Dialog {
    AssignPools { name: String, pools: Vec<PoolKey> },
    Reset { name: String, pin: String },
}

#[derive(Default)]
pub struct AccountsScreen {
    new_name: String,
    new_role: Option<Role>,
    new_pin: String,
    new_pools: Vec<PoolKey>,
    dialog: Option<Dialog>,
}

/// Do accounts of this role work in pools of their own?
fn has_pools(role: Role) -> bool {
    matches!(role, Role::Judge | Role::Chief)
}

impl AccountsScreen {
    fn draw(&mut self, ui: &mut egui::Ui, desk: &Desk, busy: bool, actions: &mut Vec<Action>) {
        let pools = view::pool_choices(desk);
        // Exact, so that the table beside it cannot squeeze the fields (and the PIN hint).
        egui::Panel::right("new_account")
            .resizable(false)
            .exact_size(300.0)
            .show(ui, |ui| self.new_account_ui(ui, &pools, busy, actions));
        // Beside the new account's fields, narrower than the table at 150 %: it scrolls sideways.
        let opened = egui::ScrollArea::horizontal()
            .id_salt("accounts_sideways")
            .show(ui, |ui| accounts_table_ui(ui, &desk.accounts, &pools, busy))
            .inner;
        if let Some(open) = opened {
            self.dialog = Some(open);
        }
        self.dialog_ui(ui, &pools, actions);
    }

    fn new_account_ui(
        &mut self,
        ui: &mut egui::Ui,
        pools: &[PoolChoice],
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.heading(text::ADD_ACCOUNT);
        egui::Grid::new("new_account_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(text::YOUR_NAME);
                ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(200.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(text::COL_ROLE);
                egui::ComboBox::from_id_salt("new_role")
                    .selected_text(self.new_role.map(|r| r.label()).unwrap_or(""))
                    .show_ui(ui, |ui| {
                        for role in Role::ALL {
                            ui.selectable_value(&mut self.new_role, Some(*role), role.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(text::PIN);
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_pin)
                        .password(true)
                        .desired_width(200.0)
                        .hint_text(text::PIN_HINT),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        if self.new_role.is_some_and(has_pools) {
            ui.label(text::ASSIGN_POOLS);
            egui::ScrollArea::vertical()
                .id_salt("new_pools")
                .max_height(200.0)
                .show(ui, |ui| pool_checkboxes(ui, pools, &mut self.new_pools));
        }
        let ready = !busy
            && !self.new_name.trim().is_empty()
            && self.new_role.is_some()
            && !self.new_pin.is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(text::ADD_ACCOUNT))
            .clicked()
            && let Some(role) = self.new_role
        {
            let pools = if has_pools(role) {
                self.new_pools.clone()
            } else {
                Vec::new()
            };
            actions.push(Action::AddUser {
                name: self.new_name.trim().to_string(),
                role,
                pin: std::mem::take(&mut self.new_pin),
                pools,
            });
            self.new_name.clear();
        }
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, pools: &[PoolChoice], actions: &mut Vec<Action>) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("coordinator_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            match &mut dialog {
                Dialog::AssignPools {
                    name,
                    pools: chosen,
                } => {
                    ui.heading(format!("{} · {name}", text::ASSIGN_POOLS));
                    pool_checkboxes(ui, pools, chosen);
                    if dialog_buttons(ui, true, &mut keep) {
                        actions.push(Action::SetPools {
                            name: name.clone(),
                            pools: chosen.clone(),
                        });
                    }
                }
                Dialog::Reset { name, pin } => {
                    ui.heading(format!("{} · {name}", text::RESET_ACCOUNT));
                    let label = ui.label(text::NEW_PIN_OPTIONAL);
                    ui.add(egui::TextEdit::singleline(pin).password(true))
                        .labelled_by(label.id);
                    if dialog_buttons(ui, true, &mut keep) {
                        let pin = (!pin.is_empty()).then(|| std::mem::take(pin));
                        actions.push(Action::ResetAccount {
                            name: name.clone(),
                            pin,
                        });
                    }
                }
            }
        });
        if keep && !modal.should_close() {
            self.dialog = Some(dialog);
        }
    }
}

impl View for AccountsScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        self.draw(ui, cx.desk, cx.busy, cx.actions);
    }
}

/// One checkbox a pool; `chosen` follows the ticks.
fn pool_checkboxes(ui: &mut egui::Ui, pools: &[PoolChoice], chosen: &mut Vec<PoolKey>) {
    for pool in pools {
        let mut on = chosen.contains(&pool.key);
        if ui.checkbox(&mut on, pool.title.as_str()).changed() {
            if on {
                chosen.push(pool.key.clone());
            } else {
                chosen.retain(|k| *k != pool.key);
            }
        }
    }
}

/// The accounts with their pools and lockout state; returns the dialog a button opened.
fn accounts_table_ui(
    ui: &mut egui::Ui,
    accounts: &[AccountView],
    pools: &[PoolChoice],
    busy: bool,
) -> Option<Dialog> {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let key_of = |id: &i64| pools.iter().find(|p| p.id == *id).map(|p| &p.key);
    let mut open: Option<Dialog> = None;
    TableBuilder::new(ui)
        .id_salt("accounts_table")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(150.0))
        .column(Column::exact(64.0))
        .column(Column::initial(160.0).clip(true))
        .column(Column::initial(90.0))
        .column(Column::remainder().at_least(120.0))
        .header(row_height, |mut h| {
            for t in [
                text::COL_ACCOUNT,
                text::COL_ROLE,
                text::COL_POOL,
                text::COL_ACCOUNT_STATE,
                "",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, accounts.len(), |mut row| {
                let a = &accounts[row.index()];
                row.col(|ui| {
                    ui.label(&a.name);
                });
                row.col(|ui| {
                    ui.label(a.role.label());
                });
                row.col(|ui| {
                    let names: Vec<String> = a
                        .pools
                        .iter()
                        .filter_map(key_of)
                        .map(|k| k.to_string())
                        .collect();
                    ui.label(names.join(","));
                });
                row.col(|ui| {
                    if a.locked {
                        ui.colored_label(ui.visuals().error_fg_color, text::ACCOUNT_LOCKED_SHORT);
                    } else if a.failed_attempts > 0 {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            text::account_waiting(a.failed_attempts),
                        );
                    } else {
                        ui.label(text::ACCOUNT_OK);
                    }
                });
                row.col(|ui| {
                    if has_pools(a.role)
                        && ui
                            .add_enabled(!busy, egui::Button::new(text::ASSIGN_POOLS).small())
                            .clicked()
                    {
                        open = Some(Dialog::AssignPools {
                            name: a.name.clone(),
                            pools: a.pools.iter().filter_map(key_of).cloned().collect(),
                        });
                    }
                    if ui
                        .add_enabled(!busy, egui::Button::new(text::RESET_ACCOUNT).small())
                        .clicked()
                    {
                        open = Some(Dialog::Reset {
                            name: a.name.clone(),
                            pin: String::new(),
                        });
                    }
                });
            });
        });
    open
}
