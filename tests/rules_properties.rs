//! Property tests of the rules engine: input order never changes a result, ranks form a valid
//! standard competition ranking, prize quotas follow the integer formula.

use judgedesk::core::awards::{prize_for_rank, quotas};
use judgedesk::core::evaluate::{ContestantInput, PoolSheet, evaluate};
use judgedesk::core::model::{
    Criterion, Dimension, Group, Kind, PoolSettings, Prize, Stage, Status,
};
use judgedesk::core::ranking::{RankKey, rank};
use judgedesk::core::score::Hundredths;
use proptest::prelude::*;

fn criteria() -> Vec<Criterion> {
    let c = |code: &str, max: i64, stage, dimension, kind| Criterion {
        code: code.into(),
        name: code.into(),
        max: Hundredths(max),
        step: Hundredths(50),
        stage,
        dimension,
        kind,
    };
    vec![
        c(
            "A",
            5000,
            Stage::Process,
            Dimension::Ability,
            Kind::Judgement,
        ),
        c(
            "B",
            3000,
            Stage::Result,
            Dimension::Ability,
            Kind::Judgement,
        ),
        c(
            "C",
            2000,
            Stage::Result,
            Dimension::Professionalism,
            Kind::Measurement,
        ),
    ]
}

/// A pool from generated values: per contestant a status, a theory score and per-judge values.
fn sheet(people: &[(u8, i64, Vec<i64>)], judges: usize) -> PoolSheet {
    let contestants: Vec<ContestantInput> = people
        .iter()
        .enumerate()
        .map(|(i, (status, theory, _))| ContestantInput {
            key: i as i64 + 1,
            sort_key: format!("{:04}", i),
            status: match status % 8 {
                0 => Status::Absent,
                1 => Status::Withdrawn,
                _ => Status::Normal,
            },
            theory: Some(Hundredths(*theory)),
            held_level: None,
            held_level_date: None,
            held_title: None,
        })
        .collect();
    let judge_ids: Vec<i64> = (1..=judges as i64).collect();
    let mut sheet = PoolSheet::new(
        Group::Staff,
        criteria(),
        judge_ids.clone(),
        PoolSettings::default(),
        contestants,
    );
    for (i, (_, _, values)) in people.iter().enumerate() {
        let key = i as i64 + 1;
        for (j, judge) in judge_ids.iter().enumerate() {
            let v = values[j % values.len()];
            sheet.set_entry(key, "A", *judge, Hundredths((v % 101) * 50));
            sheet.set_entry(key, "B", *judge, Hundredths(((v / 3) % 61) * 50));
        }
        let measured = Hundredths((values[0] % 41) * 50);
        sheet.set_entry(key, "C", 1, measured);
        sheet.set_entry(key, "C", 2, measured);
    }
    sheet
}

fn people_strategy() -> impl Strategy<Value = Vec<(u8, i64, Vec<i64>)>> {
    prop::collection::vec(
        (
            any::<u8>(),
            0i64..=10_000,
            prop::collection::vec(0i64..1000, 1..6),
        ),
        0..40,
    )
}

/// Reverses the contestants (and their cells) of a sheet.
fn reversed(sheet: &PoolSheet) -> PoolSheet {
    let mut copy = sheet.clone();
    copy.contestants.reverse();
    let width = sheet.criteria.len();
    let n = sheet.contestants.len();
    copy.cells = (0..n)
        .rev()
        .flat_map(|c| sheet.cells[c * width..(c + 1) * width].to_vec())
        .collect();
    for cell in &mut copy.cells {
        cell.reverse();
    }
    copy
}

proptest! {
    #[test]
    fn input_order_never_changes_a_result(people in people_strategy(), judges in 2usize..7) {
        let s = sheet(&people, judges);
        let forward = evaluate(&s);
        let backward = evaluate(&reversed(&s));
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn ranks_are_a_valid_competition_ranking(totals in prop::collection::vec((0i64..500, 0i64..50, 0i64..5, 0i64..3), 0..60)) {
        let keys: Vec<RankKey> = totals.iter().map(|(t, p, r, q)| RankKey {
            total: Hundredths(*t), practical: Hundredths(*p), result_stage: Hundredths(*r), professional_quality: Hundredths(*q),
        }).collect();
        let breakers = PoolSettings::default().tie_breakers;
        let placings = rank(&keys, &breakers);
        let mut ranks: Vec<u32> = placings.iter().map(|p| p.rank).collect();
        ranks.sort_unstable();
        // Standard competition ranking: the rank of each position is 1 + the number strictly better.
        for (i, &r) in ranks.iter().enumerate() {
            let tied_start = ranks.iter().position(|&x| x == r).unwrap_or(i);
            prop_assert_eq!(r as usize, tied_start + 1);
        }
        for (a, pa) in keys.iter().zip(&placings) {
            for (b, pb) in keys.iter().zip(&placings) {
                if a.total > b.total {
                    prop_assert!(pa.rank < pb.rank);
                }
                if a == b {
                    prop_assert_eq!(pa.rank, pb.rank);
                }
            }
        }
    }

    #[test]
    fn quotas_match_the_integer_formula(n in 0u32..2000, p1 in 0u32..50, p2 in 0u32..50, p3 in 0u32..50) {
        let q = quotas(n, [p1, p2, p3]);
        for (quota, percent) in q.iter().zip([p1, p2, p3]) {
            // Rounded half up: quota is the nearest integer to n·p/100, halves going up.
            let exact_times_100 = n * percent;
            prop_assert!(quota * 100 <= exact_times_100 + 50);
            prop_assert!(exact_times_100 + 50 < (quota + 1) * 100);
        }
        let first = (1..=n).filter(|&r| prize_for_rank(r, q) == Some(Prize::First)).count() as u32;
        prop_assert_eq!(first, q[0].min(n));
    }
}
