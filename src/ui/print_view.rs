//! (being built)

use super::app::ToolScreen;
use super::task::{Cx, Outcome};
use super::text;

#[derive(Default)]
pub struct PrintScreen {}

impl ToolScreen for PrintScreen {
    fn ui(&mut self, ui: &mut egui::Ui, _cx: &mut Cx) {
        ui.heading(text::SCREEN_PRINTING);
    }

    fn finished(&mut self, _outcome: Outcome) {}
}
