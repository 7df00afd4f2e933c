//! Changing a contestant's status after the draw (缺考, 弃赛, 取消资格): the coordinator any, the
//! chief judge 取消资格 in their own pool. The dialog shows what the rules make of the change before
//! it is saved — who is no longer ranked, how the participant count and quotas move — as
//! `ops::status::status_options` offers it, and takes a reason (audited with the change).

use super::action::Action;
use super::text;
use crate::core::model::Status;

/// One choice the dialog offers, with its consequences (or why it cannot be computed).
#[derive(Clone, Debug)]
pub struct StatusChoice {
    pub status: Status,
    pub consequences: Result<Vec<String>, String>,
}

/// The open dialog.
#[derive(Clone, Debug)]
pub struct StatusDialog {
    pub contestant: i64,
    /// Who is changed, as the person acting may see them (name, or workstation).
    pub who: String,
    pub current: Status,
    pub choices: Vec<StatusChoice>,
    pub chosen: usize,
    pub reason: String,
}

impl StatusDialog {
    /// The dialog for `who`, first offering a status other than the current one.
    pub fn new(contestant: i64, who: String, options: crate::ops::status::StatusOptions) -> Self {
        let choices: Vec<StatusChoice> = options
            .options
            .into_iter()
            .map(|(status, consequences)| StatusChoice {
                status,
                consequences,
            })
            .collect();
        let chosen = choices
            .iter()
            .position(|c| c.status != options.current)
            .unwrap_or(0);
        StatusDialog {
            contestant,
            who,
            current: options.current,
            choices,
            chosen,
            reason: String::new(),
        }
    }

    /// Draws the dialog; false once it is closed (saved or cancelled).
    pub fn ui(&mut self, ctx: &egui::Context, busy: bool, actions: &mut Vec<Action>) -> bool {
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("status_dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(format!("{} · {}", text::CHANGE_STATUS, self.who));
            ui.label(format!("{}{}", text::CURRENT_STATUS, self.current.label()));
            ui.horizontal_wrapped(|ui| {
                for (index, choice) in self.choices.iter().enumerate() {
                    ui.selectable_value(&mut self.chosen, index, choice.status.label());
                }
            });
            ui.add_space(6.0);
            let choice = self.choices.get(self.chosen);
            if let Some(choice) = choice {
                ui.strong(text::STATUS_CONSEQUENCES);
                match &choice.consequences {
                    Ok(lines) => {
                        for line in lines {
                            ui.label(format!("· {line}"));
                        }
                    }
                    Err(message) => {
                        ui.colored_label(ui.visuals().error_fg_color, message.as_str());
                    }
                }
            }
            ui.add_space(6.0);
            let label = ui.label(text::STATUS_REASON);
            ui.add(
                egui::TextEdit::singleline(&mut self.reason)
                    .hint_text(text::STATUS_REASON_HINT)
                    .desired_width(480.0),
            )
            .labelled_by(label.id);
            let changes = choice.is_some_and(|c| c.status != self.current);
            let ready = !busy
                && changes
                && !self.reason.trim().is_empty()
                && choice.is_some_and(|c| c.consequences.is_ok());
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(text::SAVE_STATUS))
                    .clicked()
                    && let Some(choice) = choice
                {
                    actions.push(Action::SetStatus {
                        contestant: self.contestant,
                        status: choice.status,
                        reason: self.reason.trim().to_string(),
                    });
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
