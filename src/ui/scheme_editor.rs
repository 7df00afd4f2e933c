//! A pool's scheme on the settings screen: editable rows before scoring starts (add, remove,
//! change; saved as one scheme, checked by the same rules as `import scheme`), a read-only
//! table after.

use super::action::Action;
use super::text;
use crate::core::model::{Criterion, Dimension, Kind, SCHEME_TOTAL, Stage, maxima_total};
use crate::core::score::Hundredths;
use crate::ops::results::PoolResults;
use egui_extras::{Column, TableBuilder};

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

/// The editor's rows for one pool, kept across frames.
#[derive(Default)]
pub struct SchemeEditor {
    rows: Vec<SchemeRow>,
    error: Option<String>,
    /// A row was just added: show it and put the cursor in its name.
    focus_new_row: bool,
}

impl SchemeEditor {
    /// Starts over from the pool's saved scheme.
    pub fn reset(&mut self, criteria: &[Criterion]) {
        self.rows = criteria.iter().map(SchemeRow::of).collect();
        self.error = None;
    }

    /// The editable rows, saved as one scheme (checked by the same rules as `import scheme`:
    /// maxima add up to 100, steps divide maxima, …).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        pool: &PoolResults,
        busy: bool,
        actions: &mut Vec<Action>,
    ) {
        let total = maxima_total(
            self.rows
                .iter()
                .filter_map(|r| Hundredths::parse(&r.max).ok()),
        );
        ui.horizontal(|ui| {
            ui.heading(text::SCHEME);
            ui.separator();
            let line = text::scheme_total(&total.to_short());
            if total == SCHEME_TOTAL {
                ui.label(line);
            } else {
                ui.colored_label(ui.visuals().warn_fg_color, line);
            }
        });
        let remove = egui::ScrollArea::vertical()
            .id_salt("scheme_editor")
            .max_height(ui.available_height() - 70.0)
            .show(ui, |ui| self.rows_ui(ui))
            .inner;
        if let Some(i) = remove {
            self.rows.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button(text::ADD_CRITERION).clicked() {
                let n = self.rows.len() + 1;
                self.rows.push(SchemeRow::blank(n));
                self.focus_new_row = true;
            }
            if ui
                .add_enabled(!busy, egui::Button::new(text::SAVE_SCHEME))
                .clicked()
            {
                match parse_scheme(&self.rows) {
                    Ok(criteria) => {
                        self.error = None;
                        actions.push(Action::SaveScheme {
                            pool: pool.info.key.clone(),
                            criteria,
                        });
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            if ui.button(text::UNDO_SCHEME).clicked() {
                self.reset(&pool.sheet.criteria);
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    }

    /// One grid row a criterion; returns the row whose remove button was clicked.
    fn rows_ui(&mut self, ui: &mut egui::Ui) -> Option<usize> {
        let mut remove = None;
        egui::Grid::new("scheme_rows")
            .striped(true)
            .num_columns(8)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for t in text::SCHEME_EDIT_COLS {
                    ui.strong(t);
                }
                ui.end_row();
                let rows = self.rows.len();
                for (i, row) in self.rows.iter_mut().enumerate() {
                    let focus = self.focus_new_row && i + 1 == rows;
                    if row_ui(ui, i, row, focus) {
                        self.focus_new_row = false;
                    }
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
        remove
    }
}

/// The fields of row `i`; with `focus`, scrolls to the name and puts the cursor there (returns
/// whether it did).
fn row_ui(ui: &mut egui::Ui, i: usize, row: &mut SchemeRow, focus: bool) -> bool {
    let cols = text::SCHEME_EDIT_COLS;
    // Sized explicitly: a grid cell would otherwise shrink its field to the column's width of
    // the frame before.
    let h = ui.spacing().interact_size.y;
    let r = ui.add_sized([64.0, h], egui::TextEdit::singleline(&mut row.code));
    named(&r, i, cols[0]);
    let r = ui.add_sized(
        [240.0, h],
        egui::TextEdit::singleline(&mut row.name).hint_text(text::CRITERION_NAME_HINT),
    );
    named(&r, i, cols[1]);
    if focus {
        r.scroll_to_me(None);
        r.request_focus();
    }
    let r = ui.add_sized(
        [56.0, h],
        egui::TextEdit::singleline(&mut row.max).hint_text(text::CRITERION_MAX_HINT),
    );
    named(&r, i, cols[2]);
    let r = ui.add_sized([56.0, h], egui::TextEdit::singleline(&mut row.step));
    named(&r, i, cols[3]);
    let r = choice(ui, ("stage", i), &mut row.stage, Stage::ALL, Stage::label);
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
    focus
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
pub fn scheme_table_ui(ui: &mut egui::Ui, criteria: &[Criterion]) {
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
