//! (being built)

use super::app::ToolScreen;
use super::task::{Cx, Outcome};
use super::text;

#[derive(Default)]
pub struct CheckScreen {}

impl ToolScreen for CheckScreen {
    fn ui(&mut self, ui: &mut egui::Ui, _cx: &mut Cx) {
        ui.heading(text::SCREEN_CERT_CHECK);
    }

    fn finished(&mut self, _outcome: Outcome) {}
}
