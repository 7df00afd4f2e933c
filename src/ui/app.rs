//! The application state: the open database, a results snapshot recomputed only when data
//! changes, the selected pool, and the actions views push.

use super::results_view::{self, ResultLine};
use super::text;
use crate::ops::results::{self, Results};
use rusqlite::Connection;

/// What a person asked for, applied after the frame is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Show another pool.
    SelectPool(usize),
    /// Reload everything from the database.
    Reload,
}

pub struct JudgeDeskApp {
    conn: Connection,
    db_label: String,
    results: Results,
    selected: usize,
    lines: Vec<ResultLine>,
    error: Option<String>,
    actions: Vec<Action>,
}

impl JudgeDeskApp {
    pub fn new(conn: Connection, db_label: String) -> JudgeDeskApp {
        let mut app = JudgeDeskApp {
            conn,
            db_label,
            results: Results::default(),
            selected: 0,
            lines: Vec::new(),
            error: None,
            actions: Vec::new(),
        };
        app.reload();
        app
    }

    pub fn results(&self) -> &Results {
        &self.results
    }

    pub fn selected_pool(&self) -> Option<&str> {
        self.results
            .pools
            .get(self.selected)
            .map(|p| p.info.key.event.as_str())
    }

    pub fn lines(&self) -> &[ResultLine] {
        &self.lines
    }

    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    fn reload(&mut self) {
        match results::compute(&self.conn) {
            Ok(results) => {
                self.results = results;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        self.selected = self
            .selected
            .min(self.results.pools.len().saturating_sub(1));
        self.rebuild_lines();
    }

    fn rebuild_lines(&mut self) {
        self.lines = match self.results.pools.get(self.selected) {
            Some(pool) => results_view::lines(&self.results, pool),
            None => Vec::new(),
        };
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::SelectPool(index) => {
                if index < self.results.pools.len() {
                    self.selected = index;
                    self.rebuild_lines();
                }
            }
            Action::Reload => self.reload(),
        }
    }

    /// Draws the whole window into `ui`, then applies what the person asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(text::WINDOW_TITLE);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(text::RELOAD).clicked() {
                        self.actions.push(Action::Reload);
                    }
                    ui.weak(format!("{} {}", text::DATABASE, self.db_label));
                });
            });
        });
        egui::Panel::left("pools").resizable(false).show(ui, |ui| {
            ui.heading(text::POOLS);
            ui.add_space(4.0);
            for (index, pool) in self.results.pools.iter().enumerate() {
                let mark = if pool.outcome.complete { "●" } else { "○" };
                let label = format!("{mark} {}", pool.info.title());
                if ui.selectable_label(index == self.selected, label).clicked() {
                    self.actions.push(Action::SelectPool(index));
                }
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(pool) = self.results.pools.get(self.selected) {
                results_view::pool_results_ui(ui, pool, &self.lines);
            }
        });
        for action in std::mem::take(&mut self.actions) {
            self.apply(action);
        }
    }
}

impl eframe::App for JudgeDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        JudgeDeskApp::ui(self, ui);
    }
}
