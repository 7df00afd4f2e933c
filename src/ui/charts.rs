//! Charts of one pool, computed once per data change: the distribution of totals (or of the
//! practical scores while totals are incomplete), and judge consistency: each judge's mean
//! deviation from the panel mean and their scores against the panel mean.

use super::text;
use super::view::{Cx, View};
use crate::core::model::Kind;
use crate::ops::results::{PoolResults, Results};
use crate::ops::workflow::PoolWorkflow;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

#[derive(Default)]
pub struct ChartsScreen {
    histogram: Vec<(f64, f64)>,
    /// Per judge: name, mean signed deviation in % of maximum, scatter points (mean %, value %).
    judges: Vec<(String, f64, Vec<[f64; 2]>)>,
}

impl ChartsScreen {
    pub fn rebuild(&mut self, _results: &Results, pool: &PoolResults, flow: &PoolWorkflow) {
        let mut bins = [0u32; 20];
        let mut any = false;
        for row in &pool.outcome.rows {
            if let Some(score) = row.total.or(row.practical) {
                let index = ((score.0 / 500) as usize).min(19);
                bins[index] += 1;
                any = true;
            }
        }
        self.histogram = if any {
            bins.iter()
                .enumerate()
                .map(|(i, n)| (i as f64 * 5.0 + 2.5, f64::from(*n)))
                .collect()
        } else {
            Vec::new()
        };
        let sheet = &pool.sheet;
        let width = sheet.criteria.len();
        let mut per_judge: Vec<(String, f64, usize, Vec<[f64; 2]>)> = flow
            .judges
            .iter()
            .map(|(_, name)| (name.clone(), 0.0, 0, Vec::new()))
            .collect();
        for (c, _) in sheet.contestants.iter().enumerate() {
            for (k, criterion) in sheet.criteria.iter().enumerate() {
                if criterion.kind != Kind::Judgement || criterion.max.0 <= 0 {
                    continue;
                }
                let cell = &sheet.cells[c * width + k];
                if cell.len() < 2 {
                    continue;
                }
                let max = criterion.max.0 as f64;
                let mean = cell.iter().map(|e| e.1.0 as f64).sum::<f64>() / cell.len() as f64;
                for (judge, value) in cell {
                    if let Some(slot) = flow.judges.iter().position(|(j, _)| j == judge) {
                        let entry = &mut per_judge[slot];
                        entry.1 += (value.0 as f64 - mean) / max * 100.0;
                        entry.2 += 1;
                        entry
                            .3
                            .push([mean / max * 100.0, value.0 as f64 / max * 100.0]);
                    }
                }
            }
        }
        self.judges = per_judge
            .into_iter()
            .filter(|j| j.2 > 0)
            .map(|(name, sum, n, points)| (name, sum / n as f64, points))
            .collect();
    }

    pub fn pool_ui(&mut self, ui: &mut egui::Ui, pool: &PoolResults) {
        ui.heading(pool.info.title());
        if self.histogram.is_empty() && self.judges.is_empty() {
            ui.label(text::NO_CHART_DATA);
            return;
        }
        let height = (ui.available_height() - 60.0).max(200.0) / 2.0;
        ui.strong(text::DISTRIBUTION);
        let bars: Vec<Bar> = self
            .histogram
            .iter()
            .map(|(x, n)| Bar::new(*x, *n).width(4.5))
            .collect();
        Plot::new("distribution")
            .height(height)
            .x_axis_label(text::SCORE_AXIS)
            .y_axis_label(text::COUNT)
            .allow_scroll(false)
            .show(ui, |plot| plot.bar_chart(BarChart::new(text::COUNT, bars)));
        ui.columns(2, |columns| {
            columns[0].strong(text::CONSISTENCY);
            let bars: Vec<Bar> = self
                .judges
                .iter()
                .enumerate()
                .map(|(i, (name, deviation, _))| {
                    Bar::new(i as f64, *deviation).name(name).width(0.6)
                })
                .collect();
            let names: Vec<String> = self.judges.iter().map(|j| j.0.clone()).collect();
            Plot::new("consistency")
                .height(height)
                .y_axis_label(text::DEVIATION)
                .x_axis_formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                        names.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .allow_scroll(false)
                .show(&mut columns[0], |plot| {
                    plot.bar_chart(BarChart::new(text::DEVIATION, bars))
                });
            columns[1].strong(text::SCATTER);
            Plot::new("scatter")
                .height(height)
                .data_aspect(1.0)
                .legend(Legend::default())
                .allow_scroll(false)
                .show(&mut columns[1], |plot| {
                    plot.line(Line::new(
                        "y = x",
                        PlotPoints::from(vec![[0.0, 0.0], [100.0, 100.0]]),
                    ));
                    for (name, _, points) in &self.judges {
                        plot.points(
                            Points::new(name.as_str(), PlotPoints::from(points.clone()))
                                .radius(2.0),
                        );
                    }
                });
        });
    }
}

impl View for ChartsScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        if let Some(pool) = cx.pool_or_hint(ui) {
            self.pool_ui(ui, pool);
        }
    }
}
