//! The results pipeline of one pool (§4–§6): aggregate each criterion, check completeness,
//! publish 2-decimal values, rank, and award. Pure: plain structs in, plain structs out.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 490).

use super::awards::{self, AwardInput, AwardLimits};
use super::date::Date;
use super::model::{
    Criterion, Dimension, Group, Kind, PoolSettings, Prize, SkillLevel, Stage, Status, TieBreaker,
    TitleAward, TitleLevel,
};
use super::ranking::{self, RankKey};
use super::score::{Hundredths, div_round_half_up};

/// One contestant as the rules see them. `key` is any stable identifier (the database id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestantInput {
    pub key: i64,
    /// Used only to order unranked rows deterministically.
    pub sort_key: String,
    pub status: Status,
    pub theory: Option<Hundredths>,
    pub held_level: Option<SkillLevel>,
    pub held_level_date: Option<Date>,
    pub held_title: Option<TitleLevel>,
}

/// Everything needed to compute one pool. `cells[c * criteria.len() + k]` holds the current
/// `(judge, value)` entries of contestant `c` for criterion `k`, one per judge.
#[derive(Clone, Debug)]
pub struct PoolSheet {
    pub group: Group,
    pub criteria: Vec<Criterion>,
    pub judges: Vec<i64>,
    pub settings: PoolSettings,
    pub contestants: Vec<ContestantInput>,
    pub cells: Vec<Vec<(i64, Hundredths)>>,
}

impl PoolSheet {
    pub fn new(
        group: Group,
        criteria: Vec<Criterion>,
        judges: Vec<i64>,
        settings: PoolSettings,
        contestants: Vec<ContestantInput>,
    ) -> Self {
        let cells = vec![Vec::new(); contestants.len() * criteria.len()];
        PoolSheet {
            group,
            criteria,
            judges,
            settings,
            contestants,
            cells,
        }
    }

    pub fn contestant_index(&self, key: i64) -> Option<usize> {
        self.contestants.iter().position(|c| c.key == key)
    }

    pub fn criterion_index(&self, code: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.code == code)
    }

    /// Sets the current value of one judge for one cell (a later entry replaces the earlier).
    /// Returns false when the contestant or criterion is not in this pool.
    pub fn set_entry(
        &mut self,
        contestant_key: i64,
        criterion_code: &str,
        judge: i64,
        value: Hundredths,
    ) -> bool {
        let (Some(c), Some(k)) = (
            self.contestant_index(contestant_key),
            self.criterion_index(criterion_code),
        ) else {
            return false;
        };
        let cell = &mut self.cells[c * self.criteria.len() + k];
        match cell.iter_mut().find(|(j, _)| *j == judge) {
            Some(entry) => entry.1 = value,
            None => cell.push((judge, value)),
        }
        true
    }

    /// Removes one judge's current value from a cell (an entry withdrawn for re-scoring).
    pub fn clear_entry(&mut self, contestant_key: i64, criterion_code: &str, judge: i64) -> bool {
        let (Some(c), Some(k)) = (
            self.contestant_index(contestant_key),
            self.criterion_index(criterion_code),
        ) else {
            return false;
        };
        self.cells[c * self.criteria.len() + k].retain(|(j, _)| *j != judge);
        true
    }

    fn cell(&self, contestant: usize, criterion: usize) -> &[(i64, Hundredths)] {
        &self.cells[contestant * self.criteria.len() + criterion]
    }
}

/// The state of one contestant × criterion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellState {
    /// Aggregated, rounded to 2 decimals.
    Done(Hundredths),
    /// Not every judge has scored, or a measurement lacks its confirmation.
    Missing { have: usize, need: usize },
    /// Measurement entries disagree: a conflict for the chief judge.
    Conflict,
}

/// A judgement criterion whose judges' values spread more than the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpreadFlag {
    pub contestant: i64,
    pub criterion: String,
    pub min: Hundredths,
    pub max: Hundredths,
}

/// Two measurement entries for the same cell that do not agree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasurementConflict {
    pub contestant: i64,
    pub criterion: String,
    pub entries: Vec<(i64, Hundredths)>,
}

/// A tied group that reaches over a prize limit, so a tier has more winners than its quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierOverflow {
    pub prize: Prize,
    pub rank: u32,
    pub tied: u32,
    pub limit: u32,
}

/// One contestant's outcome. Scores are the published 2-decimal values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestantOutcome {
    pub key: i64,
    pub status: Status,
    pub theory: Option<Hundredths>,
    pub practical: Option<Hundredths>,
    pub result_stage: Option<Hundredths>,
    pub professional_quality: Option<Hundredths>,
    pub total: Option<Hundredths>,
    /// Index-aligned with the pool's criteria.
    pub criteria: Vec<CellState>,
    pub rank: Option<u32>,
    pub prize: Option<Prize>,
    pub double_qualified: Option<bool>,
    pub technical_expert: Option<bool>,
    pub skill_level: Option<SkillLevel>,
    pub already_holds_level: Option<bool>,
    pub title: Option<TitleAward>,
    pub tie_break: Option<TieBreaker>,
    /// City-selection mode only: advances to the final.
    pub advances: Option<bool>,
}

/// The outcome of one pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolOutcome {
    pub complete: bool,
    pub participants: u32,
    pub quota: [u32; 3],
    /// Ranked contestants by rank, then the others; ties and unranked rows by `sort_key`.
    pub rows: Vec<ContestantOutcome>,
    pub spread_flags: Vec<SpreadFlag>,
    pub conflicts: Vec<MeasurementConflict>,
    pub overflows: Vec<TierOverflow>,
    /// Items still needed before the pool is complete (theory scores and criterion cells).
    pub missing_items: usize,
}

/// Aggregate of judgement scores: with `trim_from` or more, drop one highest and one lowest;
/// the mean is rounded half up to 2 decimals.
pub fn judgement_aggregate(values: &[Hundredths], trim_from: u32) -> Option<Hundredths> {
    let min = values.iter().min()?;
    let max = values.iter().max()?;
    let sum = values.iter().map(|v| v.0).sum();
    Some(trimmed_mean(sum, values.len(), *min, *max, trim_from))
}

/// The judgement rule on precomputed sum, count (> 0), min and max.
fn trimmed_mean(
    sum: i64,
    count: usize,
    min: Hundredths,
    max: Hundredths,
    trim_from: u32,
) -> Hundredths {
    let trim = count as u32 >= trim_from && count >= 3;
    let (sum, count) = if trim {
        (sum - max.0 - min.0, count - 2)
    } else {
        (sum, count)
    };
    Hundredths(div_round_half_up(sum, count as i64))
}

/// theory × w% + practical × (100 − w)%, rounded half up to 2 decimals.
pub fn weighted_total(theory: Hundredths, practical: Hundredths, theory_weight: u32) -> Hundredths {
    let tw = i64::from(theory_weight.min(100));
    Hundredths(div_round_half_up(
        theory.0 * tw + practical.0 * (100 - tw),
        100,
    ))
}

/// 双合格: theory and practical both at or above their pass lines.
pub fn double_qualified(
    theory: Hundredths,
    practical: Hundredths,
    settings: &PoolSettings,
) -> bool {
    theory >= settings.theory_pass && practical >= settings.practical_pass
}

/// Sum, count, min and max of the pool judges' values in one cell, without allocating.
fn panel_values(
    sheet: &PoolSheet,
    entries: &[(i64, Hundredths)],
) -> (i64, usize, Hundredths, Hundredths) {
    let mut sum = 0;
    let mut count = 0;
    let mut min = Hundredths(i64::MAX);
    let mut max = Hundredths(i64::MIN);
    for (judge, value) in entries {
        if sheet.judges.contains(judge) {
            sum += value.0;
            count += 1;
            min = min.min(*value);
            max = max.max(*value);
        }
    }
    (sum, count, min, max)
}

fn cell_state(
    sheet: &PoolSheet,
    contestant: usize,
    k: usize,
    flags: &mut Vec<SpreadFlag>,
    conflicts: &mut Vec<MeasurementConflict>,
) -> CellState {
    let criterion = &sheet.criteria[k];
    let key = sheet.contestants[contestant].key;
    let entries = sheet.cell(contestant, k);
    let (sum, count, min, max) = panel_values(sheet, entries);
    match criterion.kind {
        Kind::Judgement => {
            if count > 0
                && (max.0 - min.0) * 100
                    > i64::from(sheet.settings.spread_limit_percent) * criterion.max.0
            {
                flags.push(SpreadFlag {
                    contestant: key,
                    criterion: criterion.code.clone(),
                    min,
                    max,
                });
            }
            let need = sheet.judges.len().max(1);
            if count < need {
                return CellState::Missing { have: count, need };
            }
            CellState::Done(trimmed_mean(sum, count, min, max, sheet.settings.trim_from))
        }
        Kind::Measurement => {
            if count > 0 && min != max {
                let mut entries: Vec<(i64, Hundredths)> = entries
                    .iter()
                    .copied()
                    .filter(|(j, _)| sheet.judges.contains(j))
                    .collect();
                entries.sort_unstable();
                conflicts.push(MeasurementConflict {
                    contestant: key,
                    criterion: criterion.code.clone(),
                    entries,
                });
                return CellState::Conflict;
            }
            if count >= 2 {
                CellState::Done(min)
            } else {
                CellState::Missing {
                    have: count,
                    need: 2,
                }
            }
        }
    }
}

/// Computes one pool's outcome.
pub fn evaluate(sheet: &PoolSheet) -> PoolOutcome {
    let settings = &sheet.settings;
    let mut spread_flags = Vec::new();
    let mut conflicts = Vec::new();
    let mut missing_items = 0;
    let mut rows: Vec<ContestantOutcome> = Vec::with_capacity(sheet.contestants.len());

    for (c, contestant) in sheet.contestants.iter().enumerate() {
        let scored = contestant.status == Status::Normal;
        let (flags_before, conflicts_before) = (spread_flags.len(), conflicts.len());
        let criteria: Vec<CellState> = (0..sheet.criteria.len())
            .map(|k| cell_state(sheet, c, k, &mut spread_flags, &mut conflicts))
            .collect();
        if !scored {
            // Flags and conflicts of contestants who are not scored block nothing.
            spread_flags.truncate(flags_before);
            conflicts.truncate(conflicts_before);
        }
        let mut practical = Some(0i64);
        let mut result_stage = 0i64;
        let mut quality = 0i64;
        for (k, state) in criteria.iter().enumerate() {
            match state {
                CellState::Done(v) => {
                    practical = practical.map(|p| p + v.0);
                    if sheet.criteria[k].stage == Stage::Result {
                        result_stage += v.0;
                    }
                    if sheet.criteria[k].dimension == Dimension::Professionalism {
                        quality += v.0;
                    }
                }
                _ => {
                    practical = None;
                    if scored {
                        missing_items += 1;
                    }
                }
            }
        }
        if scored && contestant.theory.is_none() {
            missing_items += 1;
        }
        let practical = practical.map(Hundredths);
        let complete_practical = practical.is_some();
        let total = match (contestant.theory, practical) {
            (Some(t), Some(p)) => Some(weighted_total(t, p, settings.theory_weight)),
            _ => None,
        };
        rows.push(ContestantOutcome {
            key: contestant.key,
            status: contestant.status,
            theory: contestant.theory,
            practical,
            result_stage: complete_practical.then_some(Hundredths(result_stage)),
            professional_quality: complete_practical.then_some(Hundredths(quality)),
            total,
            criteria,
            rank: None,
            prize: None,
            double_qualified: None,
            technical_expert: None,
            skill_level: None,
            already_holds_level: None,
            title: None,
            tie_break: None,
            advances: None,
        });
    }

    let participants = sheet
        .contestants
        .iter()
        .filter(|c| c.status.is_participant())
        .count() as u32;
    let quota = awards::quotas(participants, settings.prize_percents);
    // Reported in a fixed order whatever the input order.
    spread_flags.sort_by(|a, b| (a.contestant, &a.criterion).cmp(&(b.contestant, &b.criterion)));
    conflicts.sort_by(|a, b| (a.contestant, &a.criterion).cmp(&(b.contestant, &b.criterion)));
    let complete = missing_items == 0;
    let mut overflows = Vec::new();

    if complete {
        let ranked: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].status == Status::Normal)
            .collect();
        let keys: Vec<RankKey> = ranked
            .iter()
            .map(|&i| RankKey {
                total: rows[i].total.unwrap_or_default(),
                practical: rows[i].practical.unwrap_or_default(),
                result_stage: rows[i].result_stage.unwrap_or_default(),
                professional_quality: rows[i].professional_quality.unwrap_or_default(),
            })
            .collect();
        let placings = ranking::rank(&keys, &settings.tie_breakers);
        let limits = AwardLimits {
            end_date: settings.end_date,
            expert_rank_limit: settings.expert_rank_limit,
            student_senior_rank_limit: settings.student_senior_rank_limit,
        };
        for (slot, &i) in ranked.iter().enumerate() {
            let placing = placings[slot];
            let contestant = &sheet.contestants[i];
            let row = &mut rows[i];
            let dq = double_qualified(
                row.theory.unwrap_or_default(),
                row.practical.unwrap_or_default(),
                settings,
            );
            let input = AwardInput {
                group: sheet.group,
                rank: placing.rank,
                double_qualified: dq,
                held_level: contestant.held_level,
                held_level_date: contestant.held_level_date,
                held_title: contestant.held_title,
            };
            let (level, already) = awards::skill_level(&input, &limits);
            row.rank = Some(placing.rank);
            row.tie_break = placing.tie_break;
            row.prize = awards::prize_for_rank(placing.rank, quota);
            row.double_qualified = Some(dq);
            row.technical_expert = Some(awards::technical_expert(&input, &limits));
            row.skill_level = level;
            row.already_holds_level = Some(already);
            row.title = awards::title_award(&input);
            row.advances = settings
                .city_selection
                .then_some(placing.rank <= settings.advance_rank_limit);
        }
        overflows = tier_overflows(&rows, quota);
    }

    let sort_keys: std::collections::HashMap<i64, &str> = sheet
        .contestants
        .iter()
        .map(|c| (c.key, c.sort_key.as_str()))
        .collect();
    rows.sort_by(|a, b| {
        let rank_a = a.rank.unwrap_or(u32::MAX);
        let rank_b = b.rank.unwrap_or(u32::MAX);
        rank_a
            .cmp(&rank_b)
            .then_with(|| sort_keys.get(&a.key).cmp(&sort_keys.get(&b.key)))
            .then_with(|| a.key.cmp(&b.key))
    });

    PoolOutcome {
        complete,
        participants,
        quota,
        rows,
        spread_flags,
        conflicts,
        overflows,
        missing_items,
    }
}

/// Tied groups that straddle a cumulative prize limit.
fn tier_overflows(rows: &[ContestantOutcome], quota: [u32; 3]) -> Vec<TierOverflow> {
    let limits = awards::cumulative_limits(quota);
    let prizes = [Prize::First, Prize::Second, Prize::Third];
    let mut overflows = Vec::new();
    for (tier, &limit) in limits.iter().enumerate() {
        let Some(prize_rank) = rows
            .iter()
            .filter_map(|r| r.rank)
            .filter(|&r| r <= limit)
            .max()
        else {
            continue;
        };
        let tied = rows.iter().filter(|r| r.rank == Some(prize_rank)).count() as u32;
        if prize_rank + tied - 1 > limit {
            overflows.push(TierOverflow {
                prize: prizes[tier],
                rank: prize_rank,
                tied,
                limit,
            });
        }
    }
    overflows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Dimension, Kind, Stage};

    fn h(points: f64) -> Hundredths {
        Hundredths((points * 100.0).round() as i64)
    }

    fn criterion(
        code: &str,
        max: i64,
        stage: Stage,
        dimension: Dimension,
        kind: Kind,
    ) -> Criterion {
        Criterion {
            code: code.into(),
            name: code.into(),
            max: Hundredths(max * 100),
            step: Hundredths(1),
            stage,
            dimension,
            kind,
        }
    }

    /// A: 60 process/ability judgement; B: 30 result/ability judgement; C: 10 result/quality measurement.
    fn scheme() -> Vec<Criterion> {
        vec![
            criterion("A", 60, Stage::Process, Dimension::Ability, Kind::Judgement),
            criterion("B", 30, Stage::Result, Dimension::Ability, Kind::Judgement),
            criterion(
                "C",
                10,
                Stage::Result,
                Dimension::Professionalism,
                Kind::Measurement,
            ),
        ]
    }

    fn contestant(key: i64, status: Status, theory: Option<f64>) -> ContestantInput {
        ContestantInput {
            key,
            sort_key: format!("{key:04}"),
            status,
            theory: theory.map(h),
            held_level: None,
            held_level_date: None,
            held_title: None,
        }
    }

    /// Gives contestant `key` the same value `a`, `b`, `c` from every judge.
    fn score_all(sheet: &mut PoolSheet, key: i64, a: f64, b: f64, c: f64) {
        for judge in sheet.judges.clone() {
            sheet.set_entry(key, "A", judge, h(a));
            sheet.set_entry(key, "B", judge, h(b));
        }
        sheet.set_entry(key, "C", 1, h(c));
        sheet.set_entry(key, "C", 2, h(c));
    }

    fn sheet(group: Group, contestants: Vec<ContestantInput>) -> PoolSheet {
        PoolSheet::new(
            group,
            scheme(),
            vec![1, 2, 3],
            PoolSettings::default(),
            contestants,
        )
    }

    fn row(outcome: &PoolOutcome, key: i64) -> &ContestantOutcome {
        outcome
            .rows
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("no row {key}"))
    }

    #[test]
    fn trimmed_mean_drops_one_highest_and_one_lowest_from_five_scores() {
        let values = [h(10.0), h(12.0), h(13.0), h(14.0), h(20.0)];
        assert_eq!(judgement_aggregate(&values, 5), Some(h(13.0)));
    }

    #[test]
    fn plain_mean_with_fewer_than_five_scores() {
        let values = [h(10.0), h(12.0), h(20.0), h(13.0)];
        assert_eq!(judgement_aggregate(&values, 5), Some(h(13.75)));
    }

    #[test]
    fn mean_rounds_half_up_to_two_decimals() {
        // (10 + 10 + 10.01) / 3 = 10.00333… → 10.00; (10.01 + 10.01 + 10.00) / 3 = 10.00666… → 10.01
        assert_eq!(
            judgement_aggregate(&[h(10.0), h(10.0), h(10.01)], 5),
            Some(h(10.0))
        );
        assert_eq!(
            judgement_aggregate(&[h(10.01), h(10.01), h(10.0)], 5),
            Some(h(10.01))
        );
        // 0.005 exactly rounds up: (0.01 + 0.00) / 2 = 0.005 → 0.01
        assert_eq!(judgement_aggregate(&[h(0.01), h(0.0)], 5), Some(h(0.01)));
    }

    #[test]
    fn total_is_weighted_and_rounded_half_up() {
        // 85.50 × 20% + 78.25 × 80% = 17.10 + 62.60 = 79.70
        assert_eq!(weighted_total(h(85.5), h(78.25), 20), h(79.7));
        // 70.01 × 30% + 60.01 × 70% = 21.003 + 42.007 = 63.01
        assert_eq!(weighted_total(h(70.01), h(60.01), 30), h(63.01));
        // 0.05 × 30% = 0.015 → 0.02; half up
        assert_eq!(weighted_total(h(0.05), h(0.0), 30), h(0.02));
    }

    #[test]
    fn practical_is_the_sum_of_rounded_aggregates() {
        // A from 3 judges: 50, 50, 51 → 50.33 (not 50.333…); B: 20, 20, 20.5 → 20.17
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        for (judge, a, b) in [(1, 50.0, 20.0), (2, 50.0, 20.0), (3, 51.0, 20.5)] {
            s.set_entry(1, "A", judge, h(a));
            s.set_entry(1, "B", judge, h(b));
        }
        s.set_entry(1, "C", 1, h(9.0));
        s.set_entry(1, "C", 2, h(9.0));
        let outcome = evaluate(&s);
        let r = row(&outcome, 1);
        assert_eq!(r.practical, Some(h(79.5)));
        assert_eq!(r.result_stage, Some(h(29.17)));
        assert_eq!(r.professional_quality, Some(h(9.0)));
        assert_eq!(r.total, Some(weighted_total(h(80.0), h(79.5), 20)));
    }

    #[test]
    fn pool_incomplete_until_every_judge_scored_every_judgement_criterion() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        assert!(evaluate(&s).complete);
        s.clear_entry(1, "A", 3);
        let outcome = evaluate(&s);
        assert!(!outcome.complete);
        assert_eq!(outcome.missing_items, 1);
        let r = row(&outcome, 1);
        assert_eq!(r.criteria[0], CellState::Missing { have: 2, need: 3 });
        assert_eq!(
            (r.practical, r.total, r.rank, r.prize),
            (None, None, None, None)
        );
        assert_eq!(r.theory, Some(h(80.0)), "partial scores are kept");
    }

    #[test]
    fn pool_incomplete_without_theory_score() {
        let mut s = sheet(Group::Staff, vec![contestant(1, Status::Normal, None)]);
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        let outcome = evaluate(&s);
        assert!(!outcome.complete);
        assert_eq!(row(&outcome, 1).practical, Some(h(83.0)));
        assert_eq!(row(&outcome, 1).total, None);
    }

    #[test]
    fn measurement_needs_two_agreeing_entries_by_different_judges() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        s.clear_entry(1, "C", 2);
        assert_eq!(
            row(&evaluate(&s), 1).criteria[2],
            CellState::Missing { have: 1, need: 2 }
        );
        s.set_entry(1, "C", 2, h(8.0));
        assert_eq!(row(&evaluate(&s), 1).criteria[2], CellState::Done(h(8.0)));
    }

    #[test]
    fn measurement_entries_that_disagree_are_a_conflict_not_an_average() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        s.set_entry(1, "C", 2, h(7.0));
        let outcome = evaluate(&s);
        assert!(!outcome.complete);
        assert_eq!(row(&outcome, 1).criteria[2], CellState::Conflict);
        assert_eq!(outcome.conflicts.len(), 1);
        assert_eq!(outcome.conflicts[0].entries, vec![(1, h(8.0)), (2, h(7.0))]);
    }

    #[test]
    fn spread_over_twenty_percent_of_maximum_is_flagged() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        // B max 30: 20% = 6. Spread of exactly 6 is not flagged, 6.01 is.
        s.set_entry(1, "B", 1, h(19.0));
        s.set_entry(1, "B", 2, h(25.0));
        assert!(evaluate(&s).spread_flags.is_empty());
        s.set_entry(1, "B", 1, h(18.99));
        let flags = evaluate(&s).spread_flags;
        assert_eq!(
            flags,
            vec![SpreadFlag {
                contestant: 1,
                criterion: "B".into(),
                min: h(18.99),
                max: h(25.0)
            }]
        );
        assert!(evaluate(&s).complete, "flags gate locking, not results");
    }

    #[test]
    fn spread_and_conflicts_of_a_withdrawn_contestant_block_nothing() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Withdrawn, Some(80.0))],
        );
        s.set_entry(1, "A", 1, h(0.0));
        s.set_entry(1, "A", 2, h(60.0));
        s.set_entry(1, "C", 1, h(1.0));
        s.set_entry(1, "C", 2, h(2.0));
        let outcome = evaluate(&s);
        assert!(outcome.spread_flags.is_empty() && outcome.conflicts.is_empty());
        assert!(outcome.complete);
    }

    #[test]
    fn scores_from_judges_not_assigned_to_the_pool_are_ignored() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        s.set_entry(1, "A", 99, h(0.0));
        assert_eq!(row(&evaluate(&s), 1).criteria[0], CellState::Done(h(50.0)));
    }

    #[test]
    fn score_of_59_99_is_not_double_qualified_but_60_00_is() {
        let mut s = sheet(
            Group::Staff,
            vec![
                contestant(1, Status::Normal, Some(59.99)),
                contestant(2, Status::Normal, Some(60.0)),
            ],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        score_all(&mut s, 2, 40.0, 15.0, 5.0);
        let outcome = evaluate(&s);
        assert_eq!(row(&outcome, 1).double_qualified, Some(false));
        assert_eq!(row(&outcome, 1).skill_level, None);
        assert_eq!(row(&outcome, 2).practical, Some(h(60.0)));
        assert_eq!(row(&outcome, 2).double_qualified, Some(true));
        assert_eq!(row(&outcome, 2).skill_level, Some(SkillLevel::Technician));
    }

    #[test]
    fn contestant_withdrawn_after_starting_counts_as_participant_but_is_not_ranked() {
        let mut contestants: Vec<ContestantInput> = (1..=4)
            .map(|k| contestant(k, Status::Normal, Some(80.0)))
            .collect();
        contestants.push(contestant(5, Status::Withdrawn, Some(90.0)));
        contestants.push(contestant(6, Status::Absent, None));
        contestants.push(contestant(7, Status::Disqualified, Some(70.0)));
        let mut s = sheet(Group::Staff, contestants);
        for k in 1..=4 {
            score_all(&mut s, k, 30.0 + k as f64, 25.0, 8.0);
        }
        s.set_entry(5, "A", 1, h(55.0)); // partial scores of the withdrawn contestant
        let outcome = evaluate(&s);
        assert!(outcome.complete);
        assert_eq!(outcome.participants, 6);
        assert_eq!(outcome.quota, [1, 1, 2]);
        let withdrawn = row(&outcome, 5);
        assert_eq!(
            (withdrawn.rank, withdrawn.prize, withdrawn.double_qualified),
            (None, None, None)
        );
        assert_eq!(withdrawn.theory, Some(h(90.0)));
        assert_eq!(row(&outcome, 4).rank, Some(1));
        assert_eq!(row(&outcome, 1).rank, Some(4));
        assert_eq!(row(&outcome, 1).prize, Some(Prize::Third));
        let order: Vec<i64> = outcome.rows.iter().map(|r| r.key).collect();
        assert_eq!(order, vec![4, 3, 2, 1, 5, 6, 7]);
    }

    #[test]
    fn tie_across_first_prize_limit_is_reported_as_overflow() {
        // 10 participants: quota (1, 2, 3). Two tied at rank 1 both get 一等奖.
        let contestants: Vec<ContestantInput> = (1..=10)
            .map(|k| contestant(k, Status::Normal, Some(80.0)))
            .collect();
        let mut s = sheet(Group::Staff, contestants);
        for k in 1..=10 {
            let a = if k <= 2 { 55.0 } else { 30.0 + k as f64 };
            score_all(&mut s, k, a, 25.0, 8.0);
        }
        let outcome = evaluate(&s);
        assert_eq!(outcome.quota, [1, 2, 3]);
        assert_eq!(row(&outcome, 1).prize, Some(Prize::First));
        assert_eq!(row(&outcome, 2).prize, Some(Prize::First));
        assert_eq!(row(&outcome, 10).rank, Some(3));
        assert_eq!(row(&outcome, 10).prize, Some(Prize::Second));
        assert_eq!(
            outcome.overflows,
            vec![TierOverflow {
                prize: Prize::First,
                rank: 1,
                tied: 2,
                limit: 1
            }]
        );
    }

    #[test]
    fn city_selection_mode_advances_top_six() {
        let contestants: Vec<ContestantInput> = (1..=8)
            .map(|k| contestant(k, Status::Normal, Some(80.0)))
            .collect();
        let mut s = sheet(Group::Staff, contestants);
        s.settings.city_selection = true;
        for k in 1..=8 {
            score_all(&mut s, k, 30.0 + k as f64, 25.0, 8.0);
        }
        let outcome = evaluate(&s);
        assert_eq!(row(&outcome, 8).advances, Some(true));
        assert_eq!(row(&outcome, 3).advances, Some(true));
        assert_eq!(row(&outcome, 2).advances, Some(false));
        s.settings.city_selection = false;
        assert_eq!(row(&evaluate(&s), 8).advances, None);
    }

    #[test]
    fn student_awards_follow_student_rules() {
        let contestants: Vec<ContestantInput> = (1..=5)
            .map(|k| contestant(k, Status::Normal, Some(80.0)))
            .collect();
        let mut s = sheet(Group::Student, contestants);
        for k in 1..=5 {
            score_all(&mut s, k, 40.0 + k as f64, 25.0, 8.0);
        }
        let outcome = evaluate(&s);
        assert_eq!(row(&outcome, 5).skill_level, Some(SkillLevel::Senior));
        assert_eq!(row(&outcome, 5).technical_expert, Some(false));
        assert_eq!(row(&outcome, 5).title, None);
        assert_eq!(row(&outcome, 1).skill_level, Some(SkillLevel::Intermediate));
    }

    #[test]
    fn empty_pool_is_complete_with_no_prizes() {
        let outcome = evaluate(&sheet(Group::Staff, vec![]));
        assert!(outcome.complete);
        assert_eq!((outcome.participants, outcome.quota), (0, [0, 0, 0]));
    }

    #[test]
    fn single_participant_is_ranked_first_without_prize() {
        let mut s = sheet(
            Group::Staff,
            vec![contestant(1, Status::Normal, Some(80.0))],
        );
        score_all(&mut s, 1, 50.0, 25.0, 8.0);
        let outcome = evaluate(&s);
        assert_eq!(outcome.quota, [0, 0, 0]);
        assert_eq!(row(&outcome, 1).rank, Some(1));
        assert_eq!(row(&outcome, 1).prize, None);
        assert_eq!(row(&outcome, 1).technical_expert, Some(true));
    }
}
