//! A pool's settings on the coordinator's settings screen: venue, end date and time, theory
//! weight, tie-breakers, and the scheme (see [`scheme_editor`](super::scheme_editor)). Editable
//! only before scoring starts ([`crate::ops::view::may_change_setup`]).

use super::action::Action;
use super::scheme_editor::{SchemeEditor, scheme_table_ui};
use super::text;
use super::view::{Cx, View};
use crate::core::date::Date;
use crate::core::model::{PoolKey, PoolSettings, TieBreaker};
use crate::ops::results::PoolResults;
use crate::ops::view;
use crate::ops::workflow::Desk;

#[derive(Default)]
pub struct SettingsScreen {
    /// The pool the form was filled from: another pool selected starts the form over.
    pool: Option<PoolKey>,
    venue: Option<i64>,
    settings: PoolSettings,
    end_date: String,
    end_time: String,
    error: Option<String>,
    scheme: SchemeEditor,
}

impl SettingsScreen {
    /// Fills the form from `pool` when another pool was selected (what is typed for the same
    /// pool stays across reloads).
    pub fn rebuild(&mut self, pool: &PoolResults) {
        if self.pool.as_ref() == Some(&pool.info.key) {
            return;
        }
        self.pool = Some(pool.info.key.clone());
        self.venue = pool.info.venue.as_ref().map(|v| v.id);
        self.settings = pool.info.settings.clone();
        self.end_date = pool.info.settings.end_date.to_string();
        self.end_time = pool.info.settings.end_time.clone().unwrap_or_default();
        self.error = None;
        self.scheme.reset(&pool.sheet.criteria);
    }

    fn pool_ui(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let editable = view::may_change_setup(pool);
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
            if !editable {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, text::SETTINGS_LOCKED);
            }
        });
        ui.add_enabled_ui(editable && !busy, |ui| {
            egui::Grid::new("pool_settings")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| self.form_ui(ui, desk));
            if ui.button(text::SAVE).clicked() {
                self.save(pool, actions);
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.separator();
        if editable {
            self.scheme.ui(ui, pool, busy, actions);
        } else {
            scheme_table_ui(ui, &pool.sheet.criteria);
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) {
        let venues = &desk.venues;
        let label = ui.label(text::VENUE);
        let venue_name = self
            .venue
            .and_then(|id| venues.iter().find(|v| v.id == id))
            .map(|v| v.name.clone())
            .unwrap_or_else(|| text::NO_VENUE.to_string());
        egui::ComboBox::from_id_salt("venue")
            .selected_text(venue_name)
            .width(260.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.venue, None, text::NO_VENUE);
                for v in venues {
                    ui.selectable_value(
                        &mut self.venue,
                        Some(v.id),
                        format!("{}（{}）", v.name, v.city),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(text::END_DATE);
        ui.add(
            egui::TextEdit::singleline(&mut self.end_date)
                .hint_text(text::DATE_FORMAT_HINT)
                .desired_width(120.0),
        )
        .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(text::END_TIME);
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.end_time)
                    .hint_text(text::TIME_FORMAT_HINT)
                    .desired_width(80.0),
            )
            .labelled_by(label.id);
            ui.weak(text::END_TIME_HINT);
        });
        ui.end_row();
        let label = ui.label(text::THEORY_WEIGHT);
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut self.settings.theory_weight).range(0..=100))
                .labelled_by(label.id);
            ui.label(format!(
                "{} {}%",
                text::COL_PRACTICAL,
                self.settings.practical_weight()
            ));
        });
        ui.end_row();
        ui.label(text::TIE_BREAKERS);
        ui.vertical(|ui| tie_breakers_ui(ui, &mut self.settings.tie_breakers));
        ui.end_row();
    }

    fn save(&mut self, pool: &PoolResults, actions: &mut Vec<Action>) {
        let time = self.end_time.trim();
        match Date::parse(self.end_date.trim()) {
            None => self.error = Some(text::BAD_DATE.to_string()),
            // The end time is checked by the operation (the same rule as on the command line);
            // a refusal shows in the status line.
            Some(date) => {
                self.settings.end_date = date;
                self.settings.end_time = (!time.is_empty()).then(|| time.to_string());
                self.error = None;
                actions.push(Action::SaveSettings {
                    pool: pool.info.key.clone(),
                    venue: self.venue,
                    settings: self.settings.clone(),
                });
            }
        }
    }
}

impl View for SettingsScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if let Some(pool) = cx.pool_or_hint(ui) {
            self.pool_ui(ui, cx.desk, pool, cx.busy, cx.actions);
        }
    }
}

/// The tie-breakers in order, each movable up; the unused ones offered to add.
fn tie_breakers_ui(ui: &mut egui::Ui, order: &mut Vec<TieBreaker>) {
    let mut up: Option<usize> = None;
    for (i, t) in order.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}. {}", i + 1, t.label()));
            if i > 0 && ui.small_button(text::MOVE_UP).clicked() {
                up = Some(i);
            }
        });
    }
    if let Some(i) = up {
        order.swap(i, i - 1);
    }
    for t in TieBreaker::ALL {
        if !order.contains(t) && ui.small_button(format!("+ {}", t.label())).clicked() {
            order.push(*t);
        }
    }
}
