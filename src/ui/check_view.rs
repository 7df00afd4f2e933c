//! The certificate check screen (证书查验): a scanner types a certificate's QR text into the
//! field (focused when the screen opens) and ends it with Enter; `ops::certificates::verify`
//! checks it on the worker thread, and the answer is shown large: 有效 with the number, the
//! holder, the award and the issue date, or 无效 / 已作废 / 签名不符 with the reason.

use super::task::{Done, Inbox, Outcome};
use super::text;
use super::view::{Cx, View};
use crate::ops::OpsError;
use crate::ops::certificates::{self, Invalidity, Verification};

const FIELD_ID: &str = "certificate_check_input";
const VALID_GREEN: egui::Color32 = egui::Color32::from_rgb(0, 135, 60);
/// The verdict's size in points: readable from a step away.
const VERDICT_SIZE: f32 = 44.0;

/// One checked text and what `verify` said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub scanned: String,
    pub verification: Verification,
}

#[derive(Default)]
pub struct CheckScreen {
    /// Where this screen's tasks deliver their replies.
    inbox: Inbox<Checked>,
    input: String,
    /// The frame this screen was last drawn in: a gap means it has just been opened.
    last_frame: Option<u64>,
    refocus: bool,
    checking: bool,
    result: Option<Checked>,
    error: Option<String>,
}

impl CheckScreen {
    /// The last answer.
    pub fn result(&self) -> Option<&Checked> {
        self.result.as_ref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn check(&mut self, cx: &mut Cx) {
        let scanned = self.input.trim().to_string();
        self.input.clear();
        self.refocus = true;
        if scanned.is_empty() {
            return;
        }
        self.checking = true;
        cx.run(&self.inbox, move |env| {
            let verification =
                certificates::verify(env.conn, &scanned).map_err(OpsError::into_text)?;
            Ok(Done::with(
                "",
                Checked {
                    scanned,
                    verification,
                },
            ))
        });
    }

    fn result_ui(&self, ui: &mut egui::Ui) {
        let Some(checked) = &self.result else { return };
        let error = ui.visuals().error_fg_color;
        match &checked.verification {
            Verification::Valid {
                number,
                holder,
                body,
                issued_on,
            } => {
                ui.label(
                    egui::RichText::new(text::CERT_VALID)
                        .size(VERDICT_SIZE)
                        .strong()
                        .color(VALID_GREEN),
                );
                ui.label(text::VALID_NOTE);
                ui.add_space(8.0);
                egui::Grid::new("certificate_check_valid")
                    .num_columns(2)
                    .spacing([16.0, 8.0])
                    .show(ui, |ui| {
                        for (label, value) in [
                            (text::COL_NUMBER, number),
                            (text::HOLDER, holder),
                            (text::AWARD, body),
                            (text::ISSUED_ON, issued_on),
                        ] {
                            ui.strong(label);
                            // The prize text is long: it wraps instead of running off the window.
                            ui.add(egui::Label::new(egui::RichText::new(value).size(18.0)).wrap());
                            ui.end_row();
                        }
                    });
            }
            Verification::Invalid { kind, reason } => {
                let verdict = match kind {
                    Invalidity::Void => text::CERT_VOID,
                    Invalidity::Forged => text::VERDICT_FORGED,
                    Invalidity::NoKey => text::VERDICT_NO_KEY,
                    Invalidity::Malformed | Invalidity::Unknown => text::VERDICT_INVALID,
                };
                ui.label(
                    egui::RichText::new(verdict)
                        .size(VERDICT_SIZE)
                        .strong()
                        .color(error),
                );
                ui.label(egui::RichText::new(reason).size(18.0).color(error));
            }
        }
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            ui.weak(text::SCANNED);
            ui.weak(&checked.scanned);
        });
    }
}

impl CheckScreen {
    /// What one of this screen's tasks brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome<Checked>) {
        self.checking = false;
        match outcome {
            Ok(Some(checked)) => {
                self.error = None;
                self.result = Some(checked);
            }
            Ok(None) => {}
            Err(e) => {
                self.result = None;
                self.error = Some(e);
            }
        }
    }
}

impl View for CheckScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        for outcome in self.inbox.take() {
            self.finished(outcome);
        }
        let frame = ui.ctx().cumulative_frame_nr();
        let just_opened = self.last_frame.is_none_or(|last| last + 1 < frame);
        self.last_frame = Some(frame);

        ui.heading(text::SCREEN_CERT_CHECK);
        ui.label(text::CHECK_HINT);
        ui.add_space(8.0);
        let mut submit = false;
        ui.horizontal(|ui| {
            ui.label(text::CHECK_FIELD);
            // Focus first, so that keys arriving in this very frame already land in the field.
            let id = ui.make_persistent_id(FIELD_ID);
            // Also whenever nothing holds the keyboard (the click that opened the screen can
            // take the focus away again): a scan must never be lost.
            let idle = ui.memory(|m| m.focused().is_none());
            if just_opened || idle || std::mem::take(&mut self.refocus) {
                ui.memory_mut(|m| m.request_focus(id));
            }
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.input)
                        .id(id)
                        .font(egui::TextStyle::Monospace)
                        .desired_width(560.0),
                )
                .accessible_name(text::CHECK_FIELD);
            submit |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            submit |= ui.button(text::CHECK).clicked();
            if ui.button(text::CLEAR).clicked() {
                self.input.clear();
                self.result = None;
                self.error = None;
                self.refocus = true;
            }
        });
        if submit {
            self.check(cx);
        }
        ui.add_space(12.0);
        if self.checking {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(text::CHECKING);
            });
        }
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        self.result_ui(ui);
    }
}
