//! The results screen: one pool's ranking, awards and the reason for every tie split.
//! Before a pool is decrypted only the coordinator (who ran the draw) sees names; everyone
//! else sees workstation numbers.

use super::action::{Action, Screen};
use super::text;
use super::view::{Cx, View};
use crate::core::evaluate::ContestantOutcome;
use crate::core::model::Role;
use crate::core::score::Hundredths;
use crate::ops::results::{PoolResults, Results};
use crate::ops::view::names_visible;
use egui_extras::{Column, TableBuilder};

fn score(value: Option<Hundredths>) -> String {
    value
        .map(Hundredths::to_fixed2)
        .unwrap_or_else(|| "—".to_string())
}

/// One row as the table shows it; built once per data change, not per frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultLine {
    pub rank: String,
    pub workstation: String,
    pub name: String,
    pub unit: String,
    pub status: String,
    pub theory: String,
    pub practical: String,
    pub total: String,
    pub prize: String,
    pub level: String,
    pub expert: String,
    pub title: String,
    pub coach: String,
    pub tie_break: String,
}

impl ResultLine {
    fn new(results: &Results, row: &ContestantOutcome, show_names: bool) -> ResultLine {
        let person = results.contestant(row.key);
        let level = match (row.skill_level, row.already_holds_level) {
            (Some(level), Some(true)) => format!("{}{}", level.label(), text::ALREADY_HELD),
            (Some(level), _) => level.label().to_string(),
            (None, _) => String::new(),
        };
        ResultLine {
            rank: row.rank.map(|r| r.to_string()).unwrap_or_default(),
            workstation: person
                .and_then(|p| p.workstation)
                .map(|w| w.to_string())
                .unwrap_or_default(),
            name: if show_names {
                person.map(|p| p.record.name.clone()).unwrap_or_default()
            } else {
                text::HIDDEN_NAME.to_string()
            },
            unit: if show_names {
                person.map(|p| p.record.unit.clone()).unwrap_or_default()
            } else {
                String::new()
            },
            status: row.status.label().to_string(),
            theory: score(row.theory),
            practical: score(row.practical),
            total: score(row.total),
            prize: row.prize.map(|p| p.label().to_string()).unwrap_or_default(),
            level,
            expert: if row.technical_expert == Some(true) {
                text::YES.to_string()
            } else {
                String::new()
            },
            title: row.title.map(|t| t.label().to_string()).unwrap_or_default(),
            coach: if show_names {
                person
                    .and_then(|p| p.record.coach.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            },
            tie_break: row
                .tie_break
                .map(|t| text::tie_break_reason(t.label()))
                .unwrap_or_default(),
        }
    }
}

/// The results screen: the selected pool's lines, built when data or the selection changes.
#[derive(Default)]
pub struct ResultsScreen {
    lines: Vec<ResultLine>,
}

impl ResultsScreen {
    pub fn lines(&self) -> &[ResultLine] {
        &self.lines
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }

    pub fn rebuild(&mut self, results: &Results, pool: &PoolResults, role: Role) {
        self.lines = lines(results, pool, names_visible(role, pool.info.state));
    }
}

impl View for ResultsScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let Some(pool) = cx.pool_or_hint(ui) else {
            return;
        };
        let empty = crate::ops::workflow::PoolWorkflow::default();
        let flow = cx.flow.unwrap_or(&empty);
        let show_names = names_visible(cx.role(), pool.info.state);
        let may_print = Screen::for_role(cx.role()).contains(&Screen::Printing);
        let reprint = may_print.then_some(&mut *cx.actions);
        pool_results_ui(ui, pool, flow, &self.lines, show_names, reprint);
    }
}

/// The lines of one pool; names and units only when `show_names`. Without names the lines go
/// by workstation: the stored order (ID numbers, hence regions and units) would let anyone with
/// the roster link workstations to people before decryption.
pub fn lines(results: &Results, pool: &PoolResults, show_names: bool) -> Vec<ResultLine> {
    let mut rows: Vec<&ContestantOutcome> = pool.outcome.rows.iter().collect();
    if !show_names {
        rows.sort_by_key(|row| {
            let workstation = results.contestant(row.key).and_then(|p| p.workstation);
            (workstation.is_none(), workstation)
        });
    }
    rows.into_iter()
        .map(|row| ResultLine::new(results, row, show_names))
        .collect()
}

/// Draws the summary and the table of one pool.
pub fn pool_results_ui(
    ui: &mut egui::Ui,
    pool: &PoolResults,
    flow: &crate::ops::workflow::PoolWorkflow,
    lines: &[ResultLine],
    show_names: bool,
    reprint: Option<&mut Vec<Action>>,
) {
    let outcome = &pool.outcome;
    // A score an appeal changed after the 公示 makes the printed 公示 out of date: whoever may
    // print is offered the reprint here.
    if let Some(actions) = reprint
        && let Some(appeal) = crate::ops::view::publication_outdated_by(pool.info.state, flow)
    {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                text::publication_out_of_date(appeal.id, appeal.decided_at.as_deref()),
            );
            if ui.button(text::REPRINT_PUBLICATION_BUTTON).clicked() {
                actions.push(Action::ReprintPublication);
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.heading(pool.info.title());
        let (label, color) = if outcome.complete {
            (
                text::COMPLETE.to_string(),
                ui.visuals().widgets.active.text_color(),
            )
        } else {
            (
                format!(
                    "{}（{} {} 项）",
                    text::INCOMPLETE,
                    text::MISSING_ITEMS,
                    outcome.missing_items
                ),
                ui.visuals().warn_fg_color,
            )
        };
        ui.colored_label(color, label);
        ui.separator();
        ui.label(format!(
            "{} {} 人",
            text::PARTICIPANTS,
            outcome.participants
        ));
        ui.separator();
        ui.label(format!(
            "{} {}/{}/{}",
            text::QUOTA,
            outcome.quota[0],
            outcome.quota[1],
            outcome.quota[2]
        ));
        if let Some(venue) = &pool.info.venue {
            ui.separator();
            ui.label(format!("{} {}", text::VENUE, venue.name));
        }
        ui.separator();
        ui.label(format!("{} {}", text::STATE, pool.info.state.label()));
    });
    for overflow in &outcome.overflows {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            text::overflow_line(
                overflow.prize.label(),
                overflow.rank,
                overflow.tied,
                overflow.limit,
            ),
        );
    }
    // A flag the chief judge accepted is settled: only open ones are counted.
    let open_flags =
        crate::ops::workflow::unresolved_flags(&pool.sheet, outcome, &flow.resolutions);
    if open_flags > 0 || !outcome.conflicts.is_empty() {
        ui.label(format!(
            "{} {} 项 · {} {} 项",
            text::SPREAD_FLAGS_OPEN,
            open_flags,
            text::CONFLICTS,
            outcome.conflicts.len()
        ));
    }
    if !show_names {
        ui.weak(text::NAMES_HIDDEN);
    }
    ui.add_space(4.0);
    if lines.is_empty() {
        ui.label(text::NO_CONTESTANTS);
        return;
    }
    results_table_ui(ui, lines);
}

/// The virtualised results table: only visible rows are laid out.
pub fn results_table_ui(ui: &mut egui::Ui, lines: &[ResultLine]) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    TableBuilder::new(ui)
        .id_salt("results_table")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(40.0))
        .column(Column::exact(40.0))
        .column(Column::initial(70.0).at_least(60.0).clip(true))
        // Wide enough at 1366×768 for the units' full names and 高级工（已持有）.
        .column(Column::initial(196.0).at_least(60.0).clip(true))
        .column(Column::exact(56.0))
        .columns(Column::exact(58.0), 3)
        .column(Column::exact(56.0))
        .column(Column::initial(130.0).clip(true))
        .column(Column::exact(60.0))
        .column(Column::exact(40.0))
        .column(Column::initial(66.0).clip(true))
        .column(Column::remainder().at_least(80.0).clip(true))
        .header(row_height, |mut header| {
            for title in [
                text::COL_RANK,
                text::COL_WORKSTATION,
                text::COL_NAME,
                text::COL_UNIT,
                text::COL_STATUS,
                text::COL_THEORY,
                text::COL_PRACTICAL,
                text::COL_TOTAL,
                text::COL_PRIZE,
                text::COL_LEVEL,
                text::COL_EXPERT,
                text::COL_TITLE,
                text::COL_COACH,
                text::COL_TIE_BREAK,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, lines.len(), |mut row| {
                let line = &lines[row.index()];
                for cell in [
                    &line.rank,
                    &line.workstation,
                    &line.name,
                    &line.unit,
                    &line.status,
                    &line.theory,
                    &line.practical,
                    &line.total,
                    &line.prize,
                    &line.level,
                    &line.expert,
                    &line.title,
                    &line.coach,
                    &line.tie_break,
                ] {
                    row.col(|ui| {
                        // A cell cut off by its column is read whole on hover.
                        ui.label(cell.as_str()).on_hover_text(cell.as_str());
                    });
                }
            });
        });
}
