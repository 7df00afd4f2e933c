//! The judge's score grid: rows are workstation numbers (never names), columns the pool's
//! criteria with their maxima. Keyboard first: digits go into the cell under the cursor,
//! Enter/Tab checks and saves it and moves on, arrows move, Esc cancels. A value is checked
//! as typed (range and step, the reason shown inline) and saved the moment it is accepted.
//! The judge sees only their own values; for a measurement criterion only how many others
//! entered it, never their values (blind confirmation).
//!
//! One file over 600 lines: keyboard editing, the inline check of a typed value and drawing the
//! cells share the cursor and the edit state.

use super::action::Action;
use super::text;
use super::view::{Cx, View};
use crate::core::model::{Criterion, Kind, PoolKey, Status};
use crate::core::score::Hundredths;
use crate::ops::results::{PoolResults, Results};
use crate::ops::workflow::PoolWorkflow;
use egui_extras::{Column, TableBuilder};

/// How a cell was last touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    None,
    Saved,
    Error(String),
}

/// One cell as the judge sees it.
#[derive(Clone, Debug)]
pub struct GridCell {
    pub own: Option<Hundredths>,
    pub text: String,
    /// Measurement criteria: how many other judges entered a value (not which).
    pub others: usize,
    /// Measurement criteria: two other judges agree, the cell is closed to this judge.
    pub closed: bool,
    /// The chief judge withdrew this judge's value for re-scoring: the reason.
    pub rescore: Option<String>,
    pub mark: Mark,
}

#[derive(Clone, Debug)]
pub struct GridRow {
    pub contestant: i64,
    pub workstation: u32,
    pub label: String,
    pub cells: Vec<GridCell>,
    pub submitted: bool,
}

impl GridRow {
    fn complete(&self, criteria: &[Criterion]) -> bool {
        self.cells
            .iter()
            .zip(criteria)
            .all(|(cell, c)| c.kind == Kind::Measurement || cell.own.is_some())
    }
}

/// The grid of one judge in one pool, built from the snapshot when data changes.
#[derive(Clone, Debug, Default)]
pub struct GridModel {
    pub pool: Option<PoolKey>,
    pub locked: bool,
    pub drawn: bool,
    pub criteria: Vec<Criterion>,
    /// `(code and kind, maximum)` of each column.
    pub headers: Vec<(String, String)>,
    pub rows: Vec<GridRow>,
}

impl GridModel {
    pub fn build(
        results: &Results,
        pool: &PoolResults,
        flow: &PoolWorkflow,
        judge: i64,
    ) -> GridModel {
        let sheet = &pool.sheet;
        let width = sheet.criteria.len();
        let rescores: Vec<crate::ops::workflow::OpenRescore> =
            crate::ops::workflow::open_rescores(sheet, &flow.resolutions)
                .into_iter()
                .filter(|r| r.judge == judge)
                .collect();
        let mut rows: Vec<GridRow> = sheet
            .contestants
            .iter()
            .enumerate()
            .filter(|(_, c)| c.status == Status::Normal)
            .filter_map(|(index, c)| {
                let workstation = results.contestant(c.key)?.workstation?;
                let cells = (0..width)
                    .map(|k| {
                        let entries = &sheet.cells[index * width + k];
                        let own = entries.iter().find(|(j, _)| *j == judge).map(|e| e.1);
                        let others = entries.iter().filter(|(j, _)| *j != judge).count();
                        let closed = crate::ops::scoring::closed_to_judge(
                            sheet.criteria[k].kind,
                            judge,
                            entries,
                        )
                        .is_some();
                        let rescore = rescores
                            .iter()
                            .find(|r| {
                                r.contestant == c.key && r.criterion == sheet.criteria[k].code
                            })
                            .map(|r| r.reason.clone());
                        GridCell {
                            closed,
                            rescore,
                            own,
                            text: own.map(Hundredths::to_short).unwrap_or_default(),
                            others: if sheet.criteria[k].kind == Kind::Measurement {
                                others
                            } else {
                                0
                            },
                            mark: Mark::None,
                        }
                    })
                    .collect();
                Some(GridRow {
                    contestant: c.key,
                    workstation,
                    label: workstation.to_string(),
                    cells,
                    submitted: flow.submissions.contains(&(judge, c.key)),
                })
            })
            .collect();
        rows.sort_by_key(|r| r.workstation);
        let headers = sheet
            .criteria
            .iter()
            .map(|c| {
                let kind = if c.kind == Kind::Measurement {
                    format!(" {}", text::MEASUREMENT)
                } else {
                    String::new()
                };
                (
                    format!("{}{kind}", c.code),
                    text::max_label(&c.max.to_short()),
                )
            })
            .collect();
        GridModel {
            pool: Some(pool.info.key.clone()),
            locked: pool.info.state >= crate::core::model::PoolState::Locked,
            drawn: pool.info.draw_seed.is_some(),
            criteria: sheet.criteria.clone(),
            headers,
            rows,
        }
    }

    /// `(entered, needed, submitted rows)`: every judgement cell counts; a measurement cell
    /// counts unless two other judges already entered it (then this judge is not needed).
    pub fn progress(&self) -> (usize, usize, usize) {
        let mut done = 0;
        let mut need = 0;
        for row in &self.rows {
            for (cell, c) in row.cells.iter().zip(&self.criteria) {
                let counts = c.kind == Kind::Judgement || cell.own.is_some() || cell.others < 2;
                if counts {
                    need += 1;
                    done += usize::from(cell.own.is_some());
                }
            }
        }
        let submitted = self.rows.iter().filter(|r| r.submitted).count();
        (done, need, submitted)
    }
}

/// A question waiting for the judge's yes.
#[derive(Clone, Debug)]
enum Confirm {
    Row(usize),
    Sheet,
}

#[derive(Default)]
pub struct GridScreen {
    model: GridModel,
    cursor: (usize, usize),
    buffer: String,
    message: Option<(String, bool)>,
    move_down: bool,
    scroll_to_cursor: bool,
    confirm: Option<Confirm>,
    /// A value was refused: the next keystroke replaces it instead of appending to it.
    replace_next: bool,
}

fn check(criterion: &Criterion, buffer: &str) -> Result<Hundredths, String> {
    let value = Hundredths::parse(buffer).map_err(|e| e.to_string())?;
    criterion.check_value(value).map_err(|e| e.to_string())?;
    Ok(value)
}

impl GridScreen {
    pub fn model(&self) -> &GridModel {
        &self.model
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|m| m.0.as_str())
    }

    pub fn rebuild(
        &mut self,
        results: &Results,
        pool: &PoolResults,
        flow: &PoolWorkflow,
        judge: i64,
    ) {
        let same_pool = self.model.pool.as_ref() == Some(&pool.info.key);
        let old = std::mem::take(&mut self.model);
        self.model = GridModel::build(results, pool, flow, judge);
        if same_pool {
            // Keep the saved / error marks the judge just saw.
            for (row, old_row) in self.model.rows.iter_mut().zip(&old.rows) {
                if row.contestant == old_row.contestant {
                    for (cell, old_cell) in row.cells.iter_mut().zip(&old_row.cells) {
                        cell.mark = old_cell.mark.clone();
                    }
                }
            }
        } else {
            self.reset_cursor();
        }
        self.cursor.0 = self.cursor.0.min(self.model.rows.len().saturating_sub(1));
        self.cursor.1 = self
            .cursor
            .1
            .min(self.model.criteria.len().saturating_sub(1));
    }

    pub fn reset_cursor(&mut self) {
        self.cursor = (0, 0);
        self.buffer.clear();
        self.message = None;
        self.confirm = None;
    }

    fn cell_mut(&mut self, contestant: i64, criterion: &str) -> Option<&mut GridCell> {
        let k = self
            .model
            .criteria
            .iter()
            .position(|c| c.code == criterion)?;
        self.model
            .rows
            .iter_mut()
            .find(|r| r.contestant == contestant)?
            .cells
            .get_mut(k)
    }

    /// The save committed.
    /// A criterion's name by its code (the code itself when unknown), for messages.
    pub fn criterion_name(&self, code: &str) -> String {
        crate::core::model::criterion_name(&self.model.criteria, code)
    }

    pub fn saved(&mut self, contestant: i64, criterion: &str, value: Hundredths) {
        if let Some(cell) = self.cell_mut(contestant, criterion) {
            cell.own = Some(value);
            cell.text = value.to_short();
            cell.mark = Mark::Saved;
        }
    }

    /// The save was refused.
    pub fn failed(&mut self, contestant: i64, criterion: &str, message: String) {
        if let Some(cell) = self.cell_mut(contestant, criterion) {
            cell.text = cell.own.map(Hundredths::to_short).unwrap_or_default();
            cell.mark = Mark::Error(message.clone());
        }
        self.message = Some((message, true));
    }

    fn move_by(&mut self, rows: isize, cols: isize) {
        let height = self.model.rows.len() as isize;
        let width = self.model.criteria.len() as isize;
        if height == 0 || width == 0 {
            return;
        }
        let mut r = self.cursor.0 as isize;
        let mut c = self.cursor.1 as isize + cols;
        if c >= width {
            c = 0;
            r += 1;
        } else if c < 0 {
            c = width - 1;
            r -= 1;
        }
        r = (r + rows).clamp(0, height - 1);
        self.cursor = (r as usize, c.clamp(0, width - 1) as usize);
        self.scroll_to_cursor = true;
    }

    /// Checks and saves the typed value; true when the cursor may move on.
    fn commit(&mut self, actions: &mut Vec<Action>) -> bool {
        if self.buffer.trim().is_empty() {
            self.buffer.clear();
            return true;
        }
        let (r, k) = self.cursor;
        let (Some(row), Some(criterion), Some(pool)) = (
            self.model.rows.get(r),
            self.model.criteria.get(k),
            self.model.pool.clone(),
        ) else {
            return true;
        };
        if row.submitted {
            self.message = Some((text::frozen_cell(row.workstation), true));
            self.buffer.clear();
            return true;
        }
        if row.cells.get(k).is_some_and(|c| c.closed) {
            self.message = Some((text::closed_cell(row.workstation, &criterion.name), true));
            self.buffer.clear();
            return true;
        }
        match check(criterion, &self.buffer) {
            Err(reason) => {
                self.message = Some((
                    text::cell_problem(row.workstation, &criterion.name, &reason),
                    true,
                ));
                self.replace_next = true;
                false
            }
            Ok(value) => {
                if row.cells[k].own != Some(value) {
                    actions.push(Action::SaveScore {
                        pool,
                        contestant: row.contestant,
                        workstation: row.workstation,
                        criterion: criterion.code.clone(),
                        value,
                    });
                }
                self.buffer.clear();
                self.message = None;
                true
            }
        }
    }

    /// Reads the keyboard when the grid holds the focus.
    fn keyboard(&mut self, ui: &egui::Ui, actions: &mut Vec<Action>) {
        let events = ui.input(|i| i.events.clone());
        for event in events {
            match event {
                egui::Event::Text(t) => {
                    // After a refused value the next keystroke starts a new one.
                    if std::mem::take(&mut self.replace_next) {
                        self.buffer.clear();
                    }
                    // Everything typed is kept, so that a letter is refused with its message,
                    // never dropped to reshape the value into another number.
                    self.buffer
                        .extend(t.chars().filter(|c| !c.is_control() && !c.is_whitespace()));
                    self.live_check();
                }
                egui::Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } => {
                    // Ctrl+Enter submits the row under the cursor, Ctrl+Shift+Enter the sheet;
                    // a value being typed is saved first. The question that follows takes
                    // Enter to confirm and Esc to cancel.
                    if key == egui::Key::Enter && modifiers.command {
                        if self.commit(actions) {
                            self.confirm = Some(if modifiers.shift {
                                Confirm::Sheet
                            } else {
                                Confirm::Row(self.cursor.0)
                            });
                        }
                        continue;
                    }
                    let (dr, dc) = match key {
                        egui::Key::Enter if self.move_down => (1, 0),
                        egui::Key::Enter => (0, 1),
                        egui::Key::Tab if modifiers.shift => (0, -1),
                        egui::Key::Tab => (0, 1),
                        egui::Key::ArrowDown => (1, 0),
                        egui::Key::ArrowUp => (-1, 0),
                        egui::Key::ArrowRight => (0, 1),
                        egui::Key::ArrowLeft => (0, -1),
                        egui::Key::Backspace => {
                            self.replace_next = false;
                            self.buffer.pop();
                            self.live_check();
                            continue;
                        }
                        egui::Key::Escape => {
                            self.buffer.clear();
                            self.message = None;
                            continue;
                        }
                        _ => continue,
                    };
                    if self.commit(actions) {
                        self.move_by(dr, dc);
                    }
                }
                _ => {}
            }
        }
    }

    /// The reason a value cannot be entered, shown while typing.
    fn live_check(&mut self) {
        let (r, k) = self.cursor;
        let (Some(row), Some(criterion)) = (self.model.rows.get(r), self.model.criteria.get(k))
        else {
            return;
        };
        if row.submitted {
            self.message = Some((text::frozen_cell(row.workstation), true));
            return;
        }
        self.message = match check(criterion, &self.buffer) {
            Err(reason) if !self.buffer.is_empty() => Some((
                text::cell_problem(row.workstation, &criterion.name, &reason),
                true,
            )),
            _ => None,
        };
    }

    pub fn pool_ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(pool.info.title());
            ui.separator();
            ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
            let (done, need, submitted) = self.model.progress();
            ui.separator();
            ui.label(text::grid_progress(
                done,
                need,
                submitted,
                self.model.rows.len(),
            ));
        });
        if !self.model.drawn {
            ui.label(text::NOT_DRAWN);
            return;
        }
        // The chief judge's re-score requests, with their reasons, until answered.
        let requests: Vec<String> = self
            .model
            .rows
            .iter()
            .flat_map(|row| {
                row.cells
                    .iter()
                    .zip(&self.model.criteria)
                    .filter(|(cell, _)| cell.own.is_none())
                    .filter_map(move |(cell, c)| {
                        cell.rescore
                            .as_ref()
                            .map(|reason| text::rescore_line(row.workstation, &c.name, reason))
                    })
            })
            .collect();
        if !requests.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                text::rescore_requests(requests.len()),
            );
            for line in &requests {
                ui.label(line);
            }
        }
        ui.horizontal_wrapped(|ui| {
            ui.weak(text::GRID_HINT);
            ui.separator();
            ui.label(text::ENTER_MOVES);
            ui.selectable_value(&mut self.move_down, false, text::MOVE_RIGHT);
            ui.selectable_value(&mut self.move_down, true, text::MOVE_DOWN);
            ui.separator();
            let enabled =
                !busy && !self.model.locked && self.model.rows.iter().any(|r| !r.submitted);
            if ui
                .add_enabled(enabled, egui::Button::new(text::SUBMIT_SHEET))
                .clicked()
            {
                self.confirm = Some(Confirm::Sheet);
            }
        });
        if self
            .model
            .criteria
            .iter()
            .any(|c| c.kind == Kind::Measurement)
        {
            ui.weak(text::MEASURE_HINT);
        }
        match &self.message {
            Some((m, true)) => ui.colored_label(ui.visuals().error_fg_color, m),
            Some((m, false)) => ui.label(m),
            None => ui.label(" "),
        };
        self.confirm_ui(ui, actions);

        let grid_id = ui.scope_id().with("score_grid");
        let modal_open = self.confirm.is_some();
        // The grid screen has no text fields: while no question is open the grid holds the
        // keyboard, so a click on a cell or a button never strands the typing.
        if !modal_open && !self.model.locked {
            ui.memory_mut(|m| {
                m.request_focus(grid_id);
                m.set_focus_lock_filter(
                    grid_id,
                    egui::EventFilter {
                        tab: true,
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        escape: true,
                    },
                );
            });
            self.keyboard(ui, actions);
        }
        let rect = ui.available_rect_before_wrap();
        let _ = ui.interact(rect, grid_id, egui::Sense::focusable_noninteractive());
        self.table_ui(ui, busy, actions);
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(confirm) = self.confirm.clone() else {
            return;
        };
        let question = match confirm {
            Confirm::Row(r) => {
                text::confirm_submit_row(self.model.rows.get(r).map_or(0, |row| row.workstation))
            }
            Confirm::Sheet => text::CONFIRM_SUBMIT_SHEET.to_string(),
        };
        let modal = egui::Modal::new(egui::Id::unique("grid_confirm")).show(ui.ctx(), |ui| {
            ui.set_max_width(360.0);
            ui.label(question);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(text::CONFIRM).clicked() || enter {
                    let contestants = match confirm {
                        Confirm::Row(r) => self
                            .model
                            .rows
                            .get(r)
                            .map(|row| vec![row.contestant])
                            .unwrap_or_default(),
                        Confirm::Sheet => {
                            self.model.rows.iter().map(|row| row.contestant).collect()
                        }
                    };
                    if let Some(pool) = self.model.pool.clone() {
                        actions.push(Action::Submit { pool, contestants });
                    }
                    self.confirm = None;
                }
                if ui.button(text::CANCEL).clicked() {
                    self.confirm = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm = None;
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, busy: bool, _actions: &mut Vec<Action>) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        let header_height = ui.text_style_height(&egui::TextStyle::Body) * 3.0 + 8.0;
        let width = self.model.criteria.len();
        let cursor = self.cursor;
        let scroll = std::mem::take(&mut self.scroll_to_cursor).then_some(cursor.0);
        let mut clicked: Option<(usize, usize)> = None;
        let mut submit_row: Option<usize> = None;
        let model = &self.model;
        let buffer = &self.buffer;
        let invalid = !buffer.is_empty() && matches!(self.message, Some((_, true)));
        egui::ScrollArea::horizontal()
            .id_salt("grid_h")
            .show(ui, |ui| {
                let mut table = TableBuilder::new(ui)
                    .id_salt("score_grid_table")
                    .striped(true)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(Column::exact(52.0))
                    .columns(Column::exact(84.0), width)
                    .column(Column::exact(84.0));
                if let Some(row) = scroll {
                    table = table.scroll_to_row(row, None);
                }
                table
                    .header(header_height, |mut header| {
                        header.col(|ui| {
                            ui.strong(text::COL_WORKSTATION);
                        });
                        for (k, (title, max)) in model.headers.iter().enumerate() {
                            header.col(|ui| {
                                ui.vertical(|ui| {
                                    // The name first, shortened to the column (whole on hover);
                                    // the code stays for files.
                                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                                    ui.strong(&model.criteria[k].name)
                                        .on_hover_text(&model.criteria[k].name);
                                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                                    ui.weak(title);
                                    ui.weak(max);
                                });
                            });
                        }
                        header.col(|ui| {
                            ui.strong(text::COL_SUBMITTED);
                        });
                    })
                    .body(|body| {
                        body.rows(row_height, model.rows.len(), |mut table_row| {
                            let r = table_row.index();
                            let row = &model.rows[r];
                            table_row.col(|ui| {
                                ui.strong(&row.label);
                            });
                            for (k, cell) in row.cells.iter().enumerate() {
                                table_row.col(|ui| {
                                    let here = cursor == (r, k);
                                    let typed = if here { buffer.as_str() } else { "" };
                                    let invalid = here && invalid;
                                    if cell_ui(ui, cell, here, typed, invalid, row.submitted) {
                                        clicked = Some((r, k));
                                    }
                                });
                            }
                            table_row.col(|ui| {
                                if row.submitted {
                                    ui.weak(text::SUBMITTED);
                                } else {
                                    let ready =
                                        !busy && !model.locked && row.complete(&model.criteria);
                                    if ui
                                        .add_enabled(ready, egui::Button::new(text::SUBMIT_ROW))
                                        .clicked()
                                    {
                                        submit_row = Some(r);
                                    }
                                }
                            });
                        });
                    });
            });
        if let Some(cell) = clicked {
            self.cursor = cell;
            self.buffer.clear();
            self.message = None;
        }
        if let Some(r) = submit_row {
            self.confirm = Some(Confirm::Row(r));
        }
    }
}

/// One cell of the grid: the value (or what is typed into it, with a caret, when `here`), its
/// mark (saved, refused, typed wrong), and what others or the chief judge did with it. Returns
/// whether it was clicked.
fn cell_ui(
    ui: &mut egui::Ui,
    cell: &GridCell,
    here: bool,
    typed: &str,
    invalid: bool,
    submitted: bool,
) -> bool {
    let error = ui.visuals().error_fg_color;
    let saved_color = egui::Color32::from_rgb(0x2e, 0x8b, 0x57);
    let shown = if here && !typed.is_empty() {
        format!("{typed}|")
    } else if cell.text.is_empty() && cell.others > 0 {
        String::new()
    } else {
        cell.text.clone()
    };
    let mut rich = egui::RichText::new(if shown.is_empty() && here {
        "|".to_string()
    } else {
        shown
    });
    match &cell.mark {
        _ if invalid => rich = rich.color(error),
        Mark::Error(_) => rich = rich.color(error),
        Mark::Saved if !here => rich = rich.color(saved_color),
        _ => {}
    }
    if submitted {
        rich = rich.weak();
    }
    let frame = if here {
        egui::Frame::new()
            .fill(ui.visuals().selection.bg_fill)
            .stroke(egui::Stroke::new(1.5, ui.visuals().strong_text_color()))
    } else {
        egui::Frame::new()
    };
    let mut clicked = false;
    frame
        .inner_margin(egui::Margin::symmetric(4, 1))
        .show(ui, |ui| {
            ui.set_min_width(60.0);
            let response = ui.add(egui::Label::new(rich).sense(egui::Sense::click()));
            clicked = response.clicked();
            if let Some(reason) = &cell.rescore
                && cell.own.is_none()
            {
                ui.colored_label(ui.visuals().warn_fg_color, text::RESCORE_CELL)
                    .on_hover_text(reason);
            } else if cell.closed {
                ui.weak(text::MEASUREMENT_AGREED);
            } else if cell.own.is_none() && cell.others > 0 {
                ui.weak(text::others_entered(cell.others));
            }
            if let Mark::Error(m) = &cell.mark {
                response.on_hover_text(m);
            }
        });
    clicked
}

impl View for GridScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if let Some(pool) = cx.pool_or_hint(ui) {
            self.pool_ui(ui, pool, cx.busy, cx.actions);
        }
    }
}
