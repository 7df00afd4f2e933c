//! The coordinator's screens: check-in and the draw, contestants and units (search, sort,
//! edit; ID numbers masked, a full number only on an explicit, logged reveal), accounts and
//! their pools, and a pool's settings (editable only before scoring starts).

use super::app::Action;
use super::chief::dialog_buttons;
use super::text;
use crate::core::date::Date;
use crate::core::model::{
    Criterion, Dimension, Kind, PoolKey, PoolSettings, PoolState, Role, Stage, Status, TieBreaker,
};
use crate::core::score::Hundredths;
use crate::ops::admin::ContestantEdit;
use crate::ops::draw::mask_id_number;
use crate::ops::results::PoolResults;
use crate::ops::workflow::Desk;
use egui_extras::{Column, TableBuilder};
use std::collections::HashMap;

/// One contestant as the coordinator's tables show them.
#[derive(Clone, Debug)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub pool: String,
    pub pool_id: i64,
    pub masked_id: String,
    pub status: Status,
    pub checkin: Option<u32>,
    pub workstation: Option<u32>,
    pub coach: String,
    pub department: String,
}

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
    AssignPools { name: String, pools: Vec<PoolKey> },
    Reset { name: String, pin: String },
    ConfirmDraw(PoolKey),
}

#[derive(Default)]
pub struct CoordinatorScreen {
    people: Vec<PersonRow>,
    shown: Vec<usize>,
    search: String,
    sort: SortKey,
    descending: bool,
    revealed: HashMap<i64, String>,
    dialog: Option<Dialog>,
    // new account form
    new_name: String,
    new_role: Option<Role>,
    new_pin: String,
    new_pools: Vec<PoolKey>,
    // settings form of the selected pool
    settings_pool: Option<PoolKey>,
    venue: Option<i64>,
    settings: PoolSettings,
    end_date: String,
    end_time: String,
    settings_error: Option<String>,
    // scheme editor of the selected pool
    scheme: Vec<SchemeRow>,
    scheme_error: Option<String>,
    /// A row was just added: show it and put the cursor in its name.
    focus_new_row: bool,
}

/// One criterion as typed in the scheme editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemeRow {
    pub code: String,
    pub name: String,
    pub max: String,
    pub step: String,
    pub stage: Stage,
    pub dimension: Dimension,
    pub kind: Kind,
}

impl SchemeRow {
    fn of(c: &Criterion) -> SchemeRow {
        SchemeRow {
            code: c.code.clone(),
            name: c.name.clone(),
            max: c.max.to_short(),
            step: c.step.to_short(),
            stage: c.stage,
            dimension: c.dimension,
            kind: c.kind,
        }
    }

    fn blank(n: usize) -> SchemeRow {
        SchemeRow {
            code: format!("C{n:02}"),
            name: String::new(),
            max: String::new(),
            step: "0.5".into(),
            stage: Stage::Process,
            dimension: Dimension::Ability,
            kind: Kind::Judgement,
        }
    }
}

/// The typed rows as criteria, or every field that is not a number (row and column named).
pub fn parse_scheme(rows: &[SchemeRow]) -> Result<Vec<Criterion>, String> {
    let mut problems = Vec::new();
    let mut criteria = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let number = |field: &str, typed: &str, problems: &mut Vec<String>| {
            Hundredths::parse(typed)
                .map_err(|e| {
                    problems.push(text::scheme_field_problem(i + 1, field, &e.to_string()))
                })
                .ok()
        };
        let max = number(text::SCHEME_COLS[2], &row.max, &mut problems);
        let step = number(text::SCHEME_COLS[3], &row.step, &mut problems);
        if let (Some(max), Some(step)) = (max, step) {
            criteria.push(Criterion {
                code: row.code.trim().to_string(),
                name: row.name.trim().to_string(),
                max,
                step,
                stage: row.stage,
                dimension: row.dimension,
                kind: row.kind,
            });
        }
    }
    if problems.is_empty() {
        Ok(criteria)
    } else {
        Err(problems.join("；"))
    }
}

impl CoordinatorScreen {
    pub fn rebuild(&mut self, desk: &Desk, pool: &PoolResults) {
        let titles: HashMap<i64, String> = desk
            .results
            .pools
            .iter()
            .map(|p| (p.info.id, p.info.key.to_string()))
            .collect();
        let mut people: Vec<PersonRow> = desk
            .results
            .contestants
            .values()
            .map(|c| PersonRow {
                id: c.id,
                name: c.record.name.clone(),
                unit: c.record.unit.clone(),
                pool: titles.get(&c.record.pool_id).cloned().unwrap_or_default(),
                pool_id: c.record.pool_id,
                masked_id: mask_id_number(&c.record.id_number),
                status: c.status,
                checkin: c.checkin_no,
                workstation: c.workstation,
                coach: c.record.coach.clone().unwrap_or_default(),
                department: c.record.department.clone().unwrap_or_default(),
            })
            .collect();
        people.sort_by_key(|p| p.id);
        self.people = people;
        self.refilter();
        if self.settings_pool.as_ref() != Some(&pool.info.key) {
            self.settings_pool = Some(pool.info.key.clone());
            self.venue = pool.info.venue.as_ref().map(|v| v.id);
            self.settings = pool.info.settings.clone();
            self.end_date = pool.info.settings.end_date.to_string();
            self.end_time = pool.info.settings.end_time.clone().unwrap_or_default();
            self.settings_error = None;
            self.scheme = pool.sheet.criteria.iter().map(SchemeRow::of).collect();
            self.scheme_error = None;
        }
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

    // ---- check-in and draw --------------------------------------------------------------

    pub fn checkin_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let drawn = pool.info.draw_seed.is_some();
        let mut rows: Vec<&PersonRow> = self
            .people
            .iter()
            .filter(|p| p.pool_id == pool.info.id)
            .collect();
        if drawn {
            rows.sort_by_key(|p| (p.checkin.is_none(), p.checkin, p.id));
        } else {
            rows.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.id.cmp(&b.id)));
        }
        let present = rows.iter().filter(|p| p.status != Status::Absent).count();
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
            ui.separator();
            ui.label(text::checkin_counts(
                present,
                rows.len() - present,
                rows.len(),
            ));
        });
        ui.horizontal_wrapped(|ui| {
            let scored = pool.info.state > PoolState::Scoring
                || pool.sheet.cells.iter().any(|c| !c.is_empty());
            let label = if drawn { text::REDRAW } else { text::RUN_DRAW };
            if ui
                .add_enabled(!busy && !scored && present > 0, egui::Button::new(label))
                .clicked()
            {
                self.dialog = Some(Dialog::ConfirmDraw(pool.info.key.clone()));
            }
            if drawn {
                if ui
                    .add_enabled(!busy, egui::Button::new(text::VERIFY_DRAW))
                    .clicked()
                {
                    actions.push(Action::VerifyDraw(pool.info.key.clone()));
                }
                if ui
                    .add_enabled(!busy, egui::Button::new(text::WRITE_SHEETS))
                    .clicked()
                {
                    actions.push(Action::WriteSheets(pool.info.key.clone()));
                }
                ui.label(text::drawn_count(
                    rows.iter().filter(|p| p.checkin.is_some()).count(),
                ));
            } else {
                ui.weak(text::CHECK_IN_HINT);
            }
        });
        if let Some(seed) = &pool.info.draw_seed {
            ui.horizontal(|ui| {
                ui.label(text::DRAW_SEED);
                ui.monospace(seed);
            });
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut mark: Option<(i64, Status)> = None;
        let changeable = drawn && pool.info.state < PoolState::Locked;
        TableBuilder::new(ui)
            .id_salt("checkin_table")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(100.0))
            .column(Column::initial(260.0).clip(true))
            .column(Column::initial(170.0))
            .column(Column::initial(150.0))
            .column(Column::exact(60.0))
            .column(Column::remainder().at_least(60.0))
            .header(row_height, |mut h| {
                for t in [
                    text::COL_NAME,
                    text::COL_UNIT,
                    text::COL_ID_NUMBER,
                    text::COL_STATUS,
                    text::COL_CHECKIN,
                    text::COL_WORKSTATION,
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let p = rows[row.index()];
                    row.col(|ui| {
                        ui.label(&p.name);
                    });
                    row.col(|ui| {
                        ui.label(&p.unit);
                    });
                    row.col(|ui| {
                        ui.monospace(&p.masked_id);
                    });
                    row.col(|ui| {
                        if drawn {
                            ui.label(p.status.label());
                            if changeable
                                && ui
                                    .add_enabled(
                                        !busy,
                                        egui::Button::new(text::CHANGE_STATUS_BUTTON).small(),
                                    )
                                    .clicked()
                            {
                                actions.push(Action::OpenStatus {
                                    contestant: p.id,
                                    who: p.name.clone(),
                                });
                            }
                        } else {
                            for status in [Status::Normal, Status::Absent] {
                                let label = if status == Status::Normal {
                                    text::MARK_PRESENT
                                } else {
                                    text::MARK_ABSENT
                                };
                                if ui
                                    .add_enabled(
                                        !busy,
                                        egui::Button::selectable(p.status == status, label),
                                    )
                                    .clicked()
                                    && p.status != status
                                {
                                    mark = Some((p.id, status));
                                }
                            }
                        }
                    });
                    row.col(|ui| {
                        ui.label(p.checkin.map(|c| c.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(p.workstation.map(|c| c.to_string()).unwrap_or_default());
                    });
                });
            });
        if let Some((contestant, status)) = mark {
            actions.push(Action::CheckIn { contestant, status });
        }
        self.dialog_ui(ui, actions);
    }

    // ---- contestants and units ----------------------------------------------------------

    pub fn people_ui(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
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
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut resort: Option<SortKey> = None;
        let mut reveal: Option<i64> = None;
        let mut edit: Option<usize> = None;
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
                                resort = Some(key);
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
                                reveal = Some(p.id);
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
                            edit = Some(index);
                        }
                    });
                });
            });
        if let Some(key) = resort {
            if self.sort == key {
                self.descending = !self.descending;
            } else {
                self.sort = key;
                self.descending = false;
            }
            self.refilter();
        }
        if let Some(id) = reveal {
            actions.push(Action::RevealId(id));
        }
        if let Some(index) = edit {
            let p = &self.people[index];
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

    // ---- accounts -----------------------------------------------------------------------

    pub fn accounts_ui(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let pool_keys: Vec<(i64, PoolKey, String)> = desk
            .results
            .pools
            .iter()
            .map(|p| (p.info.id, p.info.key.clone(), p.info.title()))
            .collect();
        // Exact, so that the table beside it cannot squeeze the fields (and the PIN hint).
        egui::Panel::right("new_account")
            .resizable(false)
            .exact_size(300.0)
            .show(ui, |ui| {
                ui.heading(text::ADD_ACCOUNT);
                egui::Grid::new("new_account_grid")
                    .num_columns(2)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        let label = ui.label(text::YOUR_NAME);
                        ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(200.0))
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(text::COL_ROLE);
                        egui::ComboBox::from_id_salt("new_role")
                            .selected_text(self.new_role.map(|r| r.label()).unwrap_or(""))
                            .show_ui(ui, |ui| {
                                for role in Role::ALL {
                                    ui.selectable_value(
                                        &mut self.new_role,
                                        Some(*role),
                                        role.label(),
                                    );
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(text::PIN);
                        ui.add(
                            egui::TextEdit::singleline(&mut self.new_pin)
                                .password(true)
                                .desired_width(200.0)
                                .hint_text(text::PIN_HINT),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                if matches!(self.new_role, Some(Role::Judge | Role::Chief)) {
                    ui.label(text::ASSIGN_POOLS);
                    egui::ScrollArea::vertical()
                        .id_salt("new_pools")
                        .max_height(200.0)
                        .show(ui, |ui| {
                            for (_, key, title) in &pool_keys {
                                let mut on = self.new_pools.contains(key);
                                if ui.checkbox(&mut on, title.as_str()).changed() {
                                    if on {
                                        self.new_pools.push(key.clone());
                                    } else {
                                        self.new_pools.retain(|k| k != key);
                                    }
                                }
                            }
                        });
                }
                let ready = !busy
                    && !self.new_name.trim().is_empty()
                    && self.new_role.is_some()
                    && !self.new_pin.is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(text::ADD_ACCOUNT))
                    .clicked()
                    && let Some(role) = self.new_role
                {
                    let pools = if matches!(role, Role::Judge | Role::Chief) {
                        self.new_pools.clone()
                    } else {
                        Vec::new()
                    };
                    actions.push(Action::AddUser {
                        name: self.new_name.trim().to_string(),
                        role,
                        pin: std::mem::take(&mut self.new_pin),
                        pools,
                    });
                    self.new_name.clear();
                }
            });
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let names: HashMap<i64, String> = pool_keys
            .iter()
            .map(|(id, key, _)| (*id, key.to_string()))
            .collect();
        let mut open: Option<Dialog> = None;
        TableBuilder::new(ui)
            .id_salt("accounts_table")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(150.0))
            .column(Column::exact(64.0))
            .column(Column::initial(160.0).clip(true))
            .column(Column::initial(90.0))
            .column(Column::remainder().at_least(120.0))
            .header(row_height, |mut h| {
                for t in [
                    text::COL_ACCOUNT,
                    text::COL_ROLE,
                    text::COL_POOL,
                    text::COL_ACCOUNT_STATE,
                    "",
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, desk.accounts.len(), |mut row| {
                    let a = &desk.accounts[row.index()];
                    row.col(|ui| {
                        ui.label(&a.name);
                    });
                    row.col(|ui| {
                        ui.label(a.role.label());
                    });
                    row.col(|ui| {
                        let pools: Vec<String> = a
                            .pools
                            .iter()
                            .filter_map(|p| names.get(p).cloned())
                            .collect();
                        ui.label(pools.join(","));
                    });
                    row.col(|ui| {
                        if a.locked {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                text::ACCOUNT_LOCKED_SHORT,
                            );
                        } else if a.failed_attempts > 0 {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                text::account_waiting(a.failed_attempts),
                            );
                        } else {
                            ui.label(text::ACCOUNT_OK);
                        }
                    });
                    row.col(|ui| {
                        if matches!(a.role, Role::Judge | Role::Chief)
                            && ui
                                .add_enabled(!busy, egui::Button::new(text::ASSIGN_POOLS).small())
                                .clicked()
                        {
                            let pools = a
                                .pools
                                .iter()
                                .filter_map(|id| pool_keys.iter().find(|p| p.0 == *id))
                                .map(|p| p.1.clone())
                                .collect();
                            open = Some(Dialog::AssignPools {
                                name: a.name.clone(),
                                pools,
                            });
                        }
                        if ui
                            .add_enabled(!busy, egui::Button::new(text::RESET_ACCOUNT).small())
                            .clicked()
                        {
                            open = Some(Dialog::Reset {
                                name: a.name.clone(),
                                pin: String::new(),
                            });
                        }
                    });
                });
            });
        if open.is_some() {
            self.dialog = open;
        }
        self.dialog_with_pools(ui, &pool_keys, actions);
    }

    // ---- pool settings ------------------------------------------------------------------

    pub fn settings_ui(
        &mut self,
        ui: &mut egui::Ui,
        desk: &Desk,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let editable =
            pool.info.state < PoolState::Scoring && pool.sheet.cells.iter().all(|c| c.is_empty());
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
                .show(ui, |ui| {
                    let label = ui.label(text::VENUE);
                    let venue_name = self
                        .venue
                        .and_then(|id| desk.venues.iter().find(|v| v.id == id))
                        .map(|v| v.name.clone())
                        .unwrap_or_else(|| text::NO_VENUE.to_string());
                    egui::ComboBox::from_id_salt("venue")
                        .selected_text(venue_name)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.venue, None, text::NO_VENUE);
                            for v in &desk.venues {
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
                        ui.add(
                            egui::DragValue::new(&mut self.settings.theory_weight).range(0..=100),
                        )
                        .labelled_by(label.id);
                        ui.label(format!(
                            "{} {}%",
                            text::COL_PRACTICAL,
                            self.settings.practical_weight()
                        ));
                    });
                    ui.end_row();
                    ui.label(text::TIE_BREAKERS);
                    ui.vertical(|ui| {
                        let mut up: Option<usize> = None;
                        for (i, t) in self.settings.tie_breakers.iter().enumerate() {
                            ui.horizontal(|ui| {
                                ui.label(format!("{}. {}", i + 1, t.label()));
                                if i > 0 && ui.small_button(text::MOVE_UP).clicked() {
                                    up = Some(i);
                                }
                            });
                        }
                        if let Some(i) = up {
                            self.settings.tie_breakers.swap(i, i - 1);
                        }
                        for t in TieBreaker::ALL {
                            if !self.settings.tie_breakers.contains(t)
                                && ui.small_button(format!("+ {}", t.label())).clicked()
                            {
                                self.settings.tie_breakers.push(*t);
                            }
                        }
                    });
                    ui.end_row();
                });
            if ui.button(text::SAVE).clicked() {
                let time = self.end_time.trim();
                match Date::parse(self.end_date.trim()) {
                    None => self.settings_error = Some(text::BAD_DATE.to_string()),
                    // The end time is checked by the operation (the same rule as on the
                    // command line); a refusal shows in the status line.
                    Some(date) => {
                        self.settings.end_date = date;
                        self.settings.end_time = (!time.is_empty()).then(|| time.to_string());
                        self.settings_error = None;
                        actions.push(Action::SaveSettings {
                            pool: pool.info.key.clone(),
                            venue: self.venue,
                            settings: self.settings.clone(),
                        });
                    }
                }
            }
        });
        if let Some(e) = &self.settings_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.separator();
        if editable {
            self.scheme_editor_ui(ui, pool, busy, actions);
        } else {
            scheme_table_ui(ui, &pool.sheet.criteria);
        }
    }

    /// The pool's criteria as editable rows: add, remove, change; saved as one scheme (checked
    /// by the same rules as `import scheme`: maxima add up to 100, steps divide maxima, …).
    fn scheme_editor_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let total: i64 = self
            .scheme
            .iter()
            .filter_map(|r| Hundredths::parse(&r.max).ok())
            .map(|h| h.0)
            .sum();
        ui.horizontal(|ui| {
            ui.heading(text::SCHEME);
            ui.separator();
            let line = text::scheme_total(&Hundredths(total).to_short());
            if total == 10_000 {
                ui.label(line);
            } else {
                ui.colored_label(ui.visuals().warn_fg_color, line);
            }
        });
        let mut remove = None;
        egui::ScrollArea::vertical()
            .id_salt("scheme_editor")
            .max_height(ui.available_height() - 70.0)
            .show(ui, |ui| {
                egui::Grid::new("scheme_rows")
                    .striped(true)
                    .num_columns(8)
                    .spacing([8.0, 4.0])
                    .show(ui, |ui| {
                        for t in text::SCHEME_EDIT_COLS {
                            ui.strong(t);
                        }
                        ui.end_row();
                        let rows = self.scheme.len();
                        for (i, row) in self.scheme.iter_mut().enumerate() {
                            let cols = text::SCHEME_EDIT_COLS;
                            // Sized explicitly: a grid cell would otherwise shrink its field to the
                            // column's width of the frame before.
                            let h = ui.spacing().interact_size.y;
                            let r =
                                ui.add_sized([64.0, h], egui::TextEdit::singleline(&mut row.code));
                            named(&r, i, cols[0]);
                            let r = ui.add_sized(
                                [240.0, h],
                                egui::TextEdit::singleline(&mut row.name)
                                    .hint_text(text::CRITERION_NAME_HINT),
                            );
                            named(&r, i, cols[1]);
                            if self.focus_new_row && i + 1 == rows {
                                r.scroll_to_me(None);
                                r.request_focus();
                                self.focus_new_row = false;
                            }
                            let r = ui.add_sized(
                                [56.0, h],
                                egui::TextEdit::singleline(&mut row.max)
                                    .hint_text(text::CRITERION_MAX_HINT),
                            );
                            named(&r, i, cols[2]);
                            let r =
                                ui.add_sized([56.0, h], egui::TextEdit::singleline(&mut row.step));
                            named(&r, i, cols[3]);
                            let r =
                                choice(ui, ("stage", i), &mut row.stage, Stage::ALL, Stage::label);
                            named(&r, i, cols[4]);
                            let r = choice(
                                ui,
                                ("dimension", i),
                                &mut row.dimension,
                                Dimension::ALL,
                                Dimension::label,
                            );
                            named(&r, i, cols[5]);
                            let r = choice(ui, ("kind", i), &mut row.kind, Kind::ALL, Kind::label);
                            named(&r, i, cols[6]);
                            if ui
                                .small_button(text::REMOVE)
                                .on_hover_text(text::REMOVE_ROW_HINT)
                                .clicked()
                            {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(i) = remove {
            self.scheme.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button(text::ADD_CRITERION).clicked() {
                let n = self.scheme.len() + 1;
                self.scheme.push(SchemeRow::blank(n));
                self.focus_new_row = true;
            }
            if ui
                .add_enabled(!busy, egui::Button::new(text::SAVE_SCHEME))
                .clicked()
            {
                match parse_scheme(&self.scheme) {
                    Ok(criteria) => {
                        self.scheme_error = None;
                        actions.push(Action::SaveScheme {
                            pool: pool.info.key.clone(),
                            criteria,
                        });
                    }
                    Err(e) => self.scheme_error = Some(e),
                }
            }
            if ui.button(text::UNDO_SCHEME).clicked() {
                self.scheme = pool.sheet.criteria.iter().map(SchemeRow::of).collect();
                self.scheme_error = None;
            }
        });
        if let Some(e) = &self.scheme_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    }

    // ---- dialogs ------------------------------------------------------------------------

    fn dialog_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        self.dialog_with_pools(ui, &[], actions);
    }

    fn dialog_with_pools(
        &mut self,
        ui: &mut egui::Ui,
        pools: &[(i64, PoolKey, String)],
        actions: &mut Vec<Action>,
    ) {
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
                Dialog::AssignPools {
                    name,
                    pools: chosen,
                } => {
                    ui.heading(format!("{} · {name}", text::ASSIGN_POOLS));
                    for (_, key, title) in pools {
                        let mut on = chosen.contains(key);
                        if ui.checkbox(&mut on, title.as_str()).changed() {
                            if on {
                                chosen.push(key.clone());
                            } else {
                                chosen.retain(|k| k != key);
                            }
                        }
                    }
                    if dialog_buttons(ui, true, &mut keep) {
                        actions.push(Action::SetPools {
                            name: name.clone(),
                            pools: chosen.clone(),
                        });
                    }
                }
                Dialog::Reset { name, pin } => {
                    ui.heading(format!("{} · {name}", text::RESET_ACCOUNT));
                    let label = ui.label(text::NEW_PIN_OPTIONAL);
                    ui.add(egui::TextEdit::singleline(pin).password(true))
                        .labelled_by(label.id);
                    if dialog_buttons(ui, true, &mut keep) {
                        let pin = (!pin.is_empty()).then(|| std::mem::take(pin));
                        actions.push(Action::ResetAccount {
                            name: name.clone(),
                            pin,
                        });
                    }
                }
                Dialog::ConfirmDraw(pool) => {
                    ui.heading(text::RUN_DRAW);
                    ui.label(text::CONFIRM_DRAW);
                    if dialog_buttons(ui, true, &mut keep) {
                        actions.push(Action::Draw(pool.clone()));
                    }
                }
            }
        });
        if modal.should_close() {
            keep = false;
        }
        if keep {
            self.dialog = Some(dialog);
        }
    }
}

/// A drop-down of a closed set of labelled values.
fn choice<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    value: &mut T,
    all: &[T],
    label: fn(T) -> &'static str,
) -> egui::Response {
    egui::ComboBox::from_id_salt(id)
        .selected_text(label(*value))
        .width(96.0)
        .show_ui(ui, |ui| {
            for &v in all {
                ui.selectable_value(value, v, label(v));
            }
        })
        .response
}

/// Names a field of the scheme editor for screen readers: `第 2 项 满分`.
fn named(response: &egui::Response, row: usize, column: &str) {
    let name = text::scheme_cell_name(row + 1, column);
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(name));
}

/// A pool's criteria, read only (scoring has started).
fn scheme_table_ui(ui: &mut egui::Ui, criteria: &[Criterion]) {
    ui.heading(text::SCHEME);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    TableBuilder::new(ui)
        .id_salt("scheme_table")
        .striped(true)
        .column(Column::exact(60.0))
        .column(Column::initial(220.0))
        .column(Column::exact(50.0))
        .column(Column::exact(50.0))
        .column(Column::initial(160.0))
        .column(Column::remainder())
        .header(row_height, |mut h| {
            for t in text::SCHEME_COLS {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, criteria.len(), |mut row| {
                let c = &criteria[row.index()];
                for cell in [
                    c.code.clone(),
                    c.name.clone(),
                    c.max.to_short(),
                    c.step.to_short(),
                    format!("{}/{}", c.stage.label(), c.dimension.label()),
                    c.kind.label().to_string(),
                ] {
                    row.col(|ui| {
                        ui.label(cell);
                    });
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_scheme_names_the_row_and_column_of_every_bad_number() {
        let mut rows = vec![SchemeRow::blank(1), SchemeRow::blank(2)];
        rows[0].max = "60".into();
        rows[1].max = "四十".into();
        rows[1].step = "0.5".into();
        let e = parse_scheme(&rows).err().unwrap_or_default();
        assert!(e.contains("第 2 行") && e.contains("满分"), "{e}");
        rows[1].max = "４０".into();
        let criteria = parse_scheme(&rows).unwrap_or_default();
        assert_eq!(criteria.len(), 2);
        assert_eq!(criteria[1].max, Hundredths(4000));
    }
}
