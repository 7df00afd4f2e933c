//! The audit log screen: every change with who, when, old → new and why; filtered by pool,
//! person and contestant. Rows load when the filter is applied, never per frame. Before a pool is
//! decrypted only the coordinator (who ran the draw) may look a contestant up by name or read the
//! pool's draw seed: anyone else could link workstations to people with them.

use super::action::Action;
use super::text;
use super::view::{Cx, View};
use crate::core::model::Role;
use crate::ops::view::names_visible;
use crate::ops::workflow::Desk;
use crate::ops::workflow::{AuditFilter, AuditRow};
use egui_extras::{Column, TableBuilder};

#[derive(Default)]
pub struct AuditScreen {
    loaded: Option<AuditFilter>,
    rows: Vec<AuditRow>,
    actors: Vec<String>,
    pool: Option<String>,
    actor: Option<String>,
    contestant: String,
    contestant_id: Option<i64>,
}

impl AuditScreen {
    pub fn rows(&self) -> &[AuditRow] {
        &self.rows
    }

    /// Loads the rows again on the next frame (the screen was opened anew).
    pub fn refresh(&mut self) {
        self.loaded = None;
    }

    pub fn loaded(&mut self, filter: AuditFilter, rows: Vec<AuditRow>, actors: Vec<String>) {
        self.loaded = Some(filter);
        self.rows = rows;
        self.actors = actors;
    }

    fn filter(&self) -> AuditFilter {
        AuditFilter {
            pool: self.pool.clone(),
            actor: self.actor.clone(),
            contestant_id: self.contestant_id,
            limit: 5000,
        }
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        role: Role,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        // Pools whose names and draw stay hidden from this person.
        let sealed: Vec<String> = desk
            .results
            .pools
            .iter()
            .filter(|p| !names_visible(role, p.info.state))
            .map(|p| p.info.key.to_string())
            .collect();
        let names_open = |pool_id: i64| {
            desk.results
                .pools
                .iter()
                .find(|p| p.info.id == pool_id)
                .is_some_and(|p| !sealed.contains(&p.info.key.to_string()))
        };
        let name_filter =
            role == Role::Coordinator || desk.results.pools.iter().any(|p| names_open(p.info.id));
        if self.loaded.is_none() && !busy {
            actions.push(Action::LoadAudit(self.filter()));
            self.loaded = Some(self.filter());
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(text::FILTER_POOL);
            egui::ComboBox::from_id_salt("audit_pool")
                .selected_text(self.pool.clone().unwrap_or_else(|| text::ANY.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.pool, None, text::ANY);
                    for p in &desk.results.pools {
                        let key = p.info.key.to_string();
                        ui.selectable_value(
                            &mut self.pool,
                            Some(key.clone()),
                            format!("{key} {}", p.info.title()),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(text::FILTER_ACTOR);
            egui::ComboBox::from_id_salt("audit_actor")
                .selected_text(self.actor.clone().unwrap_or_else(|| text::ANY.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.actor, None, text::ANY);
                    for a in &self.actors {
                        ui.selectable_value(&mut self.actor, Some(a.clone()), a.as_str());
                    }
                })
                .response
                .labelled_by(label.id);
            if name_filter {
                let label = ui.label(text::FILTER_CONTESTANT);
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.contestant)
                            .hint_text(text::COL_NAME)
                            .desired_width(120.0),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    let needle = self.contestant.trim();
                    self.contestant_id = if needle.is_empty() {
                        None
                    } else {
                        desk.results
                            .contestants
                            .values()
                            .find(|c| c.record.name == needle && names_open(c.record.pool_id))
                            .map(|c| c.id)
                            .or(Some(-1))
                    };
                }
            } else {
                self.contestant.clear();
                self.contestant_id = None;
            }
            if ui
                .add_enabled(!busy, egui::Button::new(text::APPLY_FILTER))
                .clicked()
            {
                actions.push(Action::LoadAudit(self.filter()));
            }
            ui.label(text::audit_count(self.rows.len()));
        });
        self.table_ui(ui, &sealed);
    }

    /// The rows loaded; a draw's seed hidden in a pool still `sealed` for this person.
    fn table_ui(&self, ui: &mut egui::Ui, sealed: &[String]) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .id_salt("audit_table")
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(170.0))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(100.0).clip(true))
            .column(Column::initial(60.0))
            .column(Column::initial(200.0).clip(true))
            .column(Column::initial(220.0).clip(true))
            .column(Column::remainder().at_least(80.0).clip(true))
            .header(row_height, |mut h| {
                for t in [
                    text::COL_TIME,
                    text::COL_ACTOR,
                    text::COL_ACTION,
                    text::COL_POOL,
                    text::COL_SUBJECT,
                    text::COL_CHANGE,
                    text::COL_REASON,
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.rows.len(), |mut row| {
                    let r = &self.rows[row.index()];
                    let seed_hidden = r.action == text::AUDIT_DRAW
                        && r.pool.as_ref().is_some_and(|p| sealed.contains(p));
                    let change = match (&r.old_value, &r.new_value) {
                        _ if seed_hidden => text::SEED_HIDDEN.to_string(),
                        (Some(old), Some(new)) => format!("{old} → {new}"),
                        (None, Some(new)) => new.clone(),
                        (Some(old), None) => format!("{old} → —"),
                        (None, None) => String::new(),
                    };
                    for cell in [
                        r.at.get(..19).unwrap_or(&r.at),
                        &r.actor,
                        &r.action,
                        r.pool.as_deref().unwrap_or(""),
                        r.subject.as_deref().unwrap_or(""),
                        &change,
                        r.reason.as_deref().unwrap_or(""),
                    ] {
                        row.col(|ui| {
                            ui.label(cell).on_hover_text(cell);
                        });
                    }
                });
            });
    }
}

impl View for AuditScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        self.draw(ui, cx.desk, cx.role(), cx.busy, cx.actions);
    }
}
