//! The sign-in screen (pick your name, type your PIN) and the first-start walk-through that
//! creates the coordinator account.

use super::action::Action;
use super::text;
use crate::core::model::Role;
use crate::ops::workflow::AccountView;

#[derive(Default)]
pub struct SignInScreen {
    chosen: Option<String>,
    filter: String,
    pin: String,
    pin_again: String,
    name: String,
    message: Option<String>,
}

impl SignInScreen {
    pub fn clear(&mut self) {
        *self = SignInScreen::default();
    }

    pub fn failed(&mut self, name: &str, message: String) {
        self.chosen = Some(name.to_string());
        self.pin.clear();
        self.message = Some(message);
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        accounts: &[AccountView],
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.vertical_centered(|ui| {
            ui.add_space(16.0);
            ui.heading(text::SIGN_IN);
            ui.label(text::SIGN_IN_HINT);
        });
        ui.add_space(8.0);
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            ui.horizontal(|ui| {
                let label = ui.label(text::FILTER_NAMES);
                ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(160.0))
                    .labelled_by(label.id);
            });
            ui.label(text::CHOOSE_NAME);
            egui::ScrollArea::vertical()
                .id_salt("accounts")
                .max_height(ui.available_height() - 8.0)
                .show(ui, |ui| {
                    for role in [
                        Role::Coordinator,
                        Role::Chief,
                        Role::Judge,
                        Role::Supervisor,
                    ] {
                        let names: Vec<&AccountView> = accounts
                            .iter()
                            .filter(|a| {
                                a.role == role
                                    && (self.filter.is_empty()
                                        || a.name.contains(self.filter.trim()))
                            })
                            .collect();
                        if names.is_empty() {
                            continue;
                        }
                        ui.strong(role.label());
                        ui.horizontal_wrapped(|ui| {
                            for account in names {
                                let chosen = self.chosen.as_deref() == Some(account.name.as_str());
                                if ui.selectable_label(chosen, &account.name).clicked() {
                                    self.chosen = Some(account.name.clone());
                                    self.pin.clear();
                                    self.message = None;
                                }
                            }
                        });
                        ui.add_space(4.0);
                    }
                });
            let ui = &mut columns[1];
            if let Some(name) = self.chosen.clone() {
                ui.heading(&name);
                let label = ui.label(text::PIN);
                // The PIN field takes the keyboard as soon as a name is chosen (before it is
                // drawn, so the very first digit typed lands in it).
                let pin_id = egui::Id::unique("signin_pin");
                if !busy && self.pin.is_empty() && !ui.memory(|m| m.has_focus(pin_id)) {
                    ui.memory_mut(|m| m.request_focus(pin_id));
                    ui.ctx().request_repaint();
                }
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.pin)
                            .id(pin_id)
                            .password(true)
                            .hint_text(text::PIN_HINT)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let clicked = ui
                    .add_enabled(
                        !busy && !self.pin.is_empty(),
                        egui::Button::new(text::SIGN_IN),
                    )
                    .clicked();
                if (enter || clicked) && !busy && !self.pin.is_empty() {
                    actions.push(Action::SignIn {
                        name,
                        pin: std::mem::take(&mut self.pin),
                    });
                    self.message = None;
                }
                if let Some(message) = &self.message {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
            }
        });
    }

    pub fn first_run_ui(&mut self, ui: &mut egui::Ui, busy: bool, actions: &mut Vec<Action>) {
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            ui.heading(text::FIRST_RUN_TITLE);
            ui.add_space(8.0);
            ui.label(text::FIRST_RUN_HINT);
            ui.add_space(12.0);
            egui::Grid::new("first_run")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    let label = ui.label(text::YOUR_NAME);
                    ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(200.0))
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(text::PIN);
                    ui.add(
                        egui::TextEdit::singleline(&mut self.pin)
                            .password(true)
                            .hint_text(text::PIN_HINT)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(text::PIN_AGAIN);
                    ui.add(
                        egui::TextEdit::singleline(&mut self.pin_again)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                });
            ui.add_space(8.0);
            let ready = !busy && !self.name.trim().is_empty() && !self.pin.is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(text::CREATE_COORDINATOR))
                .clicked()
            {
                if self.pin != self.pin_again {
                    self.message = Some(text::PINS_DIFFER.to_string());
                } else {
                    self.message = None;
                    actions.push(Action::CreateFirstCoordinator {
                        name: self.name.trim().to_string(),
                        pin: self.pin.clone(),
                    });
                    self.pin_again.clear();
                }
            }
            if let Some(message) = &self.message {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
        });
    }
}
