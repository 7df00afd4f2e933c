//! The window's frame around the open screen: the bar of screens on top, the status line at
//! the bottom, the pools on the left, and the venue's text sizes.

use super::{Action, JudgeDeskApp, Screen, StatusLine};
use crate::ui::text;

impl JudgeDeskApp {
    /// The screens on the left, the person and sign-out on the right. On a narrow window (a
    /// 1366-pixel screen at 150 % is 910 points wide) the screens wrap onto a second row
    /// instead of running under the right-hand group, whose width is measured each frame.
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let right_width_id = egui::Id::unique("top_bar_right_width");
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal_top(|ui| {
                let right_width: f32 = ui.data(|d| d.get_temp(right_width_id)).unwrap_or(280.0);
                let spacing = ui.spacing().item_spacing.x;
                let tabs_width = (ui.available_width() - right_width - 2.0 * spacing).max(120.0);
                ui.allocate_ui_with_layout(
                    egui::vec2(tabs_width, 0.0),
                    egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                    |ui| self.screen_tabs_ui(ui),
                );
                let right = ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    self.session_controls_ui(ui);
                    ui.min_rect().width()
                });
                ui.data_mut(|d| d.insert_temp(right_width_id, right.inner));
            });
        });
    }

    fn screen_tabs_ui(&mut self, ui: &mut egui::Ui) {
        // Signed in, the bar holds the screens (the window's title names the app).
        let Some(session) = &self.session else {
            ui.strong(text::WINDOW_TITLE);
            return;
        };
        for &screen in Screen::for_role(session.role()) {
            if ui
                .selectable_label(self.screen == screen, screen.label())
                .clicked()
            {
                self.actions.push(Action::Open(screen));
            }
        }
    }

    fn session_controls_ui(&mut self, ui: &mut egui::Ui) {
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
