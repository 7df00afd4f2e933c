//! The question an irreversible step asks first (lock, 确认并解密, 公示, 定稿): what will happen,
//! what cannot be undone, and a button that names the step. Nothing happens until it is pressed.

use super::action::{Action, Question};
use super::text;

impl Question {
    /// Draws the question; false once it is answered or dismissed.
    pub fn ui(&self, ctx: &egui::Context, actions: &mut Vec<Action>) -> bool {
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("confirm_step")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(self.title.as_str());
            ui.add_space(4.0);
            for line in &self.happens {
                ui.label(format!("· {line}"));
            }
            ui.add_space(4.0);
            ui.colored_label(ui.visuals().warn_fg_color, self.irreversible.as_str());
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(self.yes.as_str()).clicked() {
                    actions.push(self.then.clone());
                    keep = false;
                }
                if ui.button(text::CANCEL).clicked() {
                    keep = false;
                }
            });
        });
        if modal.should_close() {
            keep = false;
        }
        keep
    }
}
