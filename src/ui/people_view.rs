//! The coordinator's contestants and units (选手与单位): search, sort and edit every contestant
//! (ID numbers masked; a full number only on an explicit, logged reveal), and rename units.

use super::action::Action;
use super::chief::dialog_buttons;
use super::text;
use super::view::{Cx, View};
use crate::ops::admin::ContestantEdit;
use crate::ops::view::{self, PersonRow};
use crate::ops::workflow::Desk;
use egui_extras::{Column, TableBuilder};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum SortKey {
    #[default]
    Pool,
    Name,
    Unit,
    Status,
    Workstation,
}

#[derive(Clone, Debug)]
enum Dialog {
    EditContestant { id: i64, edit: ContestantEdit },
    RenameUnit { id: i64, name: String },
}

/// What a click in the table asked for, applied after the table is drawn.
#[derive(Default)]
struct Clicked {
    resort: Option<SortKey>,
    reveal: Option<i64>,
    edit: Option<usize>,
}

#[derive(Default)]
pub struct PeopleScreen {
    people: Vec<PersonRow>,
    /// Indexes into `people` that match the search, in the chosen order.
    shown: Vec<usize>,
    search: String,
    sort: SortKey,
    descending: bool,
    /// Full ID numbers revealed (and logged) on request.
    revealed: HashMap<i64, String>,
    dialog: Option<Dialog>,
}

impl PeopleScreen {
    pub fn rebuild(&mut self, desk: &Desk) {
        self.people = view::people(desk);
        self.refilter();
    }

    pub fn revealed(&mut self, contestant: i64, number: String) {
        self.revealed.insert(contestant, number);
    }

    fn refilter(&mut self) {
        let needle = self.search.trim();
        let mut shown: Vec<usize> = (0..self.people.len())
            .filter(|&i| {
                let p = &self.people[i];
                needle.is_empty()
                    || p.name.contains(needle)
                    || p.unit.contains(needle)
                    || p.pool.contains(needle)
                    || p.workstation.is_some_and(|w| w.to_string() == needle)
            })
            .collect();
        let people = &self.people;
        shown.sort_by(|&a, &b| {
            let (a, b) = (&people[a], &people[b]);
            let order = match self.sort {
                SortKey::Pool => a.pool_id.cmp(&b.pool_id).then(a.unit.cmp(&b.unit)),
                SortKey::Name => a.name.cmp(&b.name),
                SortKey::Unit => a.unit.cmp(&b.unit),
                SortKey::Status => a.status.cmp(&b.status),
                SortKey::Workstation => a.workstation.cmp(&b.workstation),
            };
            let order = order.then(a.id.cmp(&b.id));
            if self.descending {
                order.reverse()
            } else {
                order
            }
        });
        self.shown = shown;
    }

    fn draw(&mut self, ui: &mut egui::Ui, desk: &Desk, busy: bool, actions: &mut Vec<Action>) {
        self.units_ui(ui, desk, busy);
        ui.horizontal(|ui| {
            let label = ui.label(text::SEARCH);
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(text::SEARCH_HINT)
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
            if response.changed() {
                self.refilter();
            }
            ui.label(format!("{} {}", self.shown.len(), text::COL_COUNT));
        });
        // Beside the units, narrower than the table at 150 %: the table scrolls sideways there.
        let clicked = egui::ScrollArea::horizontal()
            .id_salt("people_sideways")
            .show(ui, |ui| self.table_ui(ui, busy))
            .inner;
        if let Some(key) = clicked.resort {
            if self.sort == key {
                self.descending = !self.descending;
            } else {
                self.sort = key;
                self.descending = false;
            }
            self.refilter();
        }
        if let Some(id) = clicked.reveal {
            actions.push(Action::RevealId(id));
        }
        if let Some(p) = clicked.edit.and_then(|i| self.people.get(i)) {
            self.dialog = Some(Dialog::EditContestant {
                id: p.id,
                edit: ContestantEdit {
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    coach: p.coach.clone(),
                    department: p.department.clone(),
                },
            });
        }
        self.dialog_ui(ui, actions);
    }

    /// The units on the right, each with its number of contestants and a rename button.
    fn units_ui(&mut self, ui: &mut egui::Ui, desk: &Desk, busy: bool) {
        egui::Panel::right("units")
            .resizable(false)
            .exact_size(300.0)
            .show(ui, |ui| {
                ui.heading(text::UNITS);
                egui::ScrollArea::vertical()
                    .id_salt("units_scroll")
                    .show(ui, |ui| {
                        for unit in &desk.units {
                            ui.horizontal_top(|ui| {
                                if ui
                                    .add_enabled(!busy, egui::Button::new(text::RENAME).small())
                                    .clicked()
                                {
                                    self.dialog = Some(Dialog::RenameUnit {
                                        id: unit.id,
                                        name: unit.name.clone(),
                                    });
                                }
                                // A long unit name wraps inside the panel instead of running off it.
                                ui.add(
                                    egui::Label::new(format!(
                                        "{}（{}）",
                                        unit.name, unit.contestants
                                    ))
                                    .wrap(),
                                );
                            });
                        }
                    });
            });
    }

    fn table_ui(&self, ui: &mut egui::Ui, busy: bool) -> Clicked {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut clicked = Clicked::default();
        let sort = self.sort;
        let arrow = |key: SortKey, title: &str| {
            if sort == key {
                format!("{title} ↓")
            } else {
                title.to_string()
            }
        };
        TableBuilder::new(ui)
            .id_salt("people_table")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(72.0).clip(true))
            .column(Column::exact(160.0).clip(true))
            .column(Column::exact(64.0))
            .column(Column::exact(224.0))
            .column(Column::exact(44.0))
            .column(Column::exact(40.0))
            .column(Column::exact(64.0).clip(true))
            .column(Column::remainder().at_least(44.0))
            .header(row_height, |mut h| {
                for (key, title) in [
                    (Some(SortKey::Name), text::COL_NAME),
                    (Some(SortKey::Unit), text::COL_UNIT),
                    (Some(SortKey::Pool), text::COL_POOL),
                    (None, text::COL_ID_NUMBER),
                    (Some(SortKey::Status), text::COL_STATUS),
                    (Some(SortKey::Workstation), text::COL_WORKSTATION),
                    (None, text::COL_COACH),
                    (None, ""),
                ] {
                    h.col(|ui| match key {
                        Some(key) => {
                            if ui
                                .add(
                                    egui::Label::new(
                                        egui::RichText::new(arrow(key, title)).strong(),
                                    )
                                    .sense(egui::Sense::click()),
                                )
                                .clicked()
                            {
                                clicked.resort = Some(key);
                            }
                        }
                        None => {
                            ui.strong(title);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut row| {
                    let index = self.shown[row.index()];
                    let p = &self.people[index];
                    row.col(|ui| {
                        ui.label(&p.name);
                    });
                    row.col(|ui| {
                        ui.label(&p.unit);
                    });
                    row.col(|ui| {
                        ui.label(&p.pool);
                    });
                    row.col(|ui| match self.revealed.get(&p.id) {
                        Some(full) => {
                            ui.monospace(full);
                        }
                        None => {
                            ui.monospace(&p.masked_id);
                            if ui
                                .add_enabled(!busy, egui::Button::new(text::SHOW_ID).small())
                                .clicked()
                            {
                                clicked.reveal = Some(p.id);
                            }
                        }
                    });
                    row.col(|ui| {
                        ui.label(p.status.label());
                    });
                    row.col(|ui| {
                        ui.label(p.workstation.map(|w| w.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(&p.coach);
                    });
                    row.col(|ui| {
                        if ui
                            .add_enabled(!busy, egui::Button::new(text::EDIT).small())
                            .clicked()
                        {
                            clicked.edit = Some(index);
                        }
                    });
                });
            });
        clicked
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("coordinator_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            match &mut dialog {
                Dialog::EditContestant { id, edit } => {
                    ui.heading(text::EDIT_CONTESTANT);
                    egui::Grid::new("edit_contestant")
                        .num_columns(2)
                        .show(ui, |ui| {
                            for (label, value) in [
                                (text::COL_NAME, &mut edit.name),
                                (text::COL_UNIT, &mut edit.unit),
                                (text::COL_COACH, &mut edit.coach),
                                (text::COL_DEPARTMENT, &mut edit.department),
                            ] {
                                let label = ui.label(label);
                                ui.add(egui::TextEdit::singleline(value).desired_width(280.0))
                                    .labelled_by(label.id);
                                ui.end_row();
                            }
                        });
                    if dialog_buttons(ui, !edit.name.trim().is_empty(), &mut keep) {
                        actions.push(Action::EditContestant {
                            contestant: *id,
                            edit: edit.clone(),
                        });
                    }
                }
                Dialog::RenameUnit { id, name } => {
                    let label = ui.heading(text::RENAME);
                    ui.add(egui::TextEdit::singleline(name).desired_width(320.0))
                        .labelled_by(label.id);
                    if dialog_buttons(ui, !name.trim().is_empty(), &mut keep) {
                        actions.push(Action::RenameUnit {
                            unit: *id,
                            name: name.clone(),
                        });
                    }
                }
            }
        });
        if keep && !modal.should_close() {
            self.dialog = Some(dialog);
        }
    }
}

impl View for PeopleScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        self.draw(ui, cx.desk, cx.busy, cx.actions);
    }
}
