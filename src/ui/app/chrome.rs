//! The window's frame around the open screen: the bar of screens on top, the status line at
//! the bottom, the pools on the left, and the venue's text sizes.

use super::{Action, JudgeDeskApp, Screen, StatusLine};
use crate::ui::text;

impl JudgeDeskApp {
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                // Signed in, the bar holds the screens (the window's title names the app).
                if self.session.is_none() {
                    ui.strong(text::WINDOW_TITLE);
                }
                if let Some(session) = &self.session {
                    for &screen in Screen::for_role(session.role()) {
                        if ui
                            .selectable_label(self.screen == screen, screen.label())
                            .clicked()
                        {
                            self.actions.push(Action::Open(screen));
                        }
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(session) = &self.session {
                        if ui.button(text::SIGN_OUT).clicked() {
                            self.actions.push(Action::SignOut);
                        }
                        ui.label(text::signed_in_as(
                            &session.account.name,
                            session.role().label(),
                        ));
                        if ui.button(text::RELOAD).clicked() {
                            self.actions.push(Action::Reload);
                        }
                    }
                    if self.is_busy() {
                        ui.spinner();
                        ui.weak(text::WORKING);
                    }
                });
            });
        });
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(StatusLine { message, is_error }) = &self.status {
                    let color = if *is_error {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.colored_label(color, message);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak(format!("{} {}", text::DATABASE, self.db_label));
                    if let Some((done, total)) = self.progress() {
                        ui.add(
                            egui::ProgressBar::new(done as f32 / total as f32)
                                .desired_width(220.0)
                                .text(text::progress(done, total)),
                        );
                    }
                });
            });
        });
    }

    pub(super) fn pools_ui(&mut self, ui: &mut egui::Ui) {
        let visible = self.visible_pools();
        egui::Panel::left("pools")
            .resizable(false)
            .exact_size(250.0)
            .show(ui, |ui| {
                ui.heading(text::POOLS);
                ui.add_space(4.0);
                if visible.is_empty() {
                    ui.label(text::NO_POOLS);
                }
                for index in visible {
                    let Some(pool) = self.desk.results.pools.get(index) else {
                        continue;
                    };
                    let mark = if pool.outcome.complete { "●" } else { "○" };
                    let label = format!("{mark} {}", pool.info.title());
                    let response = ui.selectable_label(index == self.selected, label);
                    if response.clicked() {
                        self.actions.push(Action::SelectPool(index));
                    }
                    ui.weak(format!("    {}", pool.info.state.label()));
                }
            });
    }
}

/// Larger text than egui's default, for a 1366×768 laptop read at arm's length.
pub fn venue_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
        ]
        .into();
    });
}
