//! What the window's screens show, computed from a [`Desk`] snapshot: the rows of the
//! coordinator's tables and the questions a screen asks before offering a button ("may the draw
//! run?", "may the settings still change?"). Each answer is the same function the operation
//! checks, so a button is never offered that the operation refuses, nor the other way round.

use crate::core::model::{Kind, PoolKey, PoolState, Role, Status};
use crate::ops::admin::setup_open;
use crate::ops::draw::{draw_allowed, mask_id_number};
use crate::ops::results::PoolResults;
use crate::ops::workflow::{Desk, PoolWorkflow};
use crate::store::workflow::Appeal;
use std::collections::HashMap;

/// One contestant as the coordinator's tables show them (the ID number masked).
#[derive(Clone, Debug)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    /// The pool's key as text (`KJ-XS`).
    pub pool: String,
    pub pool_id: i64,
    pub masked_id: String,
    pub status: Status,
    pub checkin: Option<u32>,
    pub workstation: Option<u32>,
    pub coach: String,
    pub department: String,
}

/// Every contestant of the snapshot, in registration order.
pub fn people(desk: &Desk) -> Vec<PersonRow> {
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
    people
}

/// The contestants of one pool in check-in order: by check-in number once drawn (the undrawn
/// last), else by unit.
pub fn checkin_rows(desk: &Desk, pool: &PoolResults) -> Vec<PersonRow> {
    let mut rows: Vec<PersonRow> = people(desk)
        .into_iter()
        .filter(|p| p.pool_id == pool.info.id)
        .collect();
    if pool.info.draw_seed.is_some() {
        rows.sort_by_key(|p| (p.checkin.is_none(), p.checkin, p.id));
    } else {
        rows.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.id.cmp(&b.id)));
    }
    rows
}

/// One pool as the account screens offer it: id, key and title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolChoice {
    pub id: i64,
    pub key: PoolKey,
    pub title: String,
}

/// Every pool of the snapshot, for choosing an account's pools.
pub fn pool_choices(desk: &Desk) -> Vec<PoolChoice> {
    desk.results
        .pools
        .iter()
        .map(|p| PoolChoice {
            id: p.info.id,
            key: p.info.key.clone(),
            title: p.info.title(),
        })
        .collect()
}

/// How far one judge has come in a pool, counted over the contestants scored normally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeProgress {
    pub id: i64,
    pub name: String,
    /// Judgement cells with this judge's value, of `judged_need`.
    pub judged: usize,
    pub judged_need: usize,
    /// Measurement cells with this judge's value (any one judge may measure).
    pub measured: usize,
    /// Rows this judge has submitted, of `rows`.
    pub submitted: usize,
    pub rows: usize,
}

/// Every judge's progress in `pool` (the chief judge's board).
pub fn judge_progress(pool: &PoolResults, flow: &PoolWorkflow) -> Vec<JudgeProgress> {
    let sheet = &pool.sheet;
    let width = sheet.criteria.len();
    let normal: Vec<usize> = (0..sheet.contestants.len())
        .filter(|&i| sheet.contestants[i].status == Status::Normal)
        .collect();
    flow.judges
        .iter()
        .map(|(id, name)| {
            let mut judged = 0;
            let mut judged_need = 0;
            let mut measured = 0;
            for &i in &normal {
                for (k, c) in sheet.criteria.iter().enumerate() {
                    let has = sheet.cells[i * width + k].iter().any(|(j, _)| j == id);
                    match c.kind {
                        Kind::Judgement => {
                            judged_need += 1;
                            judged += usize::from(has);
                        }
                        Kind::Measurement => measured += usize::from(has),
                    }
                }
            }
            let submitted = normal
                .iter()
                .filter(|&&i| flow.submissions.contains(&(*id, sheet.contestants[i].key)))
                .count();
            JudgeProgress {
                id: *id,
                name: name.clone(),
                judged,
                judged_need,
                measured,
                submitted,
                rows: normal.len(),
            }
        })
        .collect()
}

/// Has anyone entered a value in the pool (a current value in any cell)?
pub fn has_scores(pool: &PoolResults) -> bool {
    pool.sheet.cells.iter().any(|c| !c.is_empty())
}

/// May this role see contestants' names and units in a pool's results? The coordinator (who
/// ran the draw) always; everyone else once the pool is decrypted (before that, workstation
/// numbers only).
pub fn names_visible(role: Role, state: PoolState) -> bool {
    role == Role::Coordinator || state >= PoolState::Decrypted
}

/// [`draw_allowed`] for a pool of the snapshot.
pub fn may_draw(pool: &PoolResults) -> bool {
    draw_allowed(pool.info.state, has_scores(pool))
}

/// [`setup_open`] for a pool of the snapshot.
pub fn may_change_setup(pool: &PoolResults) -> bool {
    setup_open(pool.info.state, has_scores(pool))
}

/// The appeal that made the printed 公示 of a published pool out of date: the latest decided
/// one that changed a score. `None` before publication or when no appeal changed anything.
pub fn publication_outdated_by(state: PoolState, flow: &PoolWorkflow) -> Option<&Appeal> {
    if state < PoolState::Published {
        return None;
    }
    flow.appeals
        .iter()
        .filter(|a| a.changes.is_some())
        .max_by_key(|a| a.decided_at.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::workflow::works_in_pool;

    #[test]
    fn the_draw_may_run_again_while_scoring_is_open_and_nothing_is_scored() {
        assert!(draw_allowed(PoolState::Registration, false));
        assert!(draw_allowed(PoolState::Scoring, false));
        assert!(!draw_allowed(PoolState::Scoring, true));
        assert!(!draw_allowed(PoolState::Locked, false));
    }

    #[test]
    fn setup_closes_when_scoring_starts_or_a_value_is_entered() {
        assert!(setup_open(PoolState::Registration, false));
        assert!(!setup_open(PoolState::Registration, true));
        assert!(!setup_open(PoolState::Scoring, false));
        assert!(!setup_open(PoolState::Locked, false));
    }

    #[test]
    fn names_stay_hidden_from_all_but_the_coordinator_until_decryption() {
        assert!(names_visible(Role::Coordinator, PoolState::Scoring));
        assert!(!names_visible(Role::Supervisor, PoolState::Locked));
        assert!(!names_visible(Role::Chief, PoolState::Scoring));
        assert!(names_visible(Role::Judge, PoolState::Decrypted));
        assert!(names_visible(Role::Supervisor, PoolState::Final));
    }

    #[test]
    fn judges_and_chief_judges_work_only_in_their_assigned_pools() {
        assert!(works_in_pool(Role::Judge, &[1, 2], 2));
        assert!(!works_in_pool(Role::Judge, &[1, 2], 3));
        assert!(!works_in_pool(Role::Chief, &[], 1));
        assert!(works_in_pool(Role::Coordinator, &[], 1));
        assert!(works_in_pool(Role::Supervisor, &[], 1));
    }

    /// The demo competition (every pool drawn and scored), as the window loads it.
    fn demo_desk() -> crate::ops::Result<Desk> {
        let conn = crate::store::open_in_memory()?;
        crate::ops::setup::init(&conn)?;
        crate::ops::demo::populate(&conn)?;
        crate::ops::workflow::load_desk(&conn)
    }

    #[test]
    fn checkin_rows_are_one_pools_contestants_in_checkin_order() -> crate::ops::Result<()> {
        let desk = demo_desk()?;
        assert!(
            desk.results
                .pools
                .iter()
                .any(|p| p.info.draw_seed.is_some()),
            "the demo has drawn pools"
        );
        for pool in &desk.results.pools {
            let rows = checkin_rows(&desk, pool);
            let expected = desk
                .results
                .contestants
                .values()
                .filter(|c| c.record.pool_id == pool.info.id)
                .count();
            assert!(expected > 0, "{}", pool.info.key);
            assert_eq!(rows.len(), expected, "{}", pool.info.key);
            assert!(rows.iter().all(|r| r.pool_id == pool.info.id));
            if pool.info.draw_seed.is_some() {
                let order: Vec<_> = rows
                    .iter()
                    .map(|r| (r.checkin.is_none(), r.checkin))
                    .collect();
                let mut sorted = order.clone();
                sorted.sort();
                assert_eq!(order, sorted, "{}", pool.info.key);
            }
        }
        Ok(())
    }

    #[test]
    fn the_coordinators_rows_never_show_a_full_id_number() -> crate::ops::Result<()> {
        let desk = demo_desk()?;
        let rows = people(&desk);
        assert_eq!(rows.len(), desk.results.contestants.len());
        assert!(!rows.is_empty());
        for row in &rows {
            let full = desk
                .results
                .contestant(row.id)
                .map(|c| c.record.id_number.clone())
                .unwrap_or_default();
            assert!(!full.is_empty());
            assert_ne!(row.masked_id, full, "{}", row.name);
        }
        Ok(())
    }

    #[test]
    fn a_judges_progress_counts_only_their_own_values_over_the_normal_rows()
    -> crate::ops::Result<()> {
        let desk = demo_desk()?;
        let mut judged_somewhere = false;
        for pool in &desk.results.pools {
            let Some(flow) = desk.flow(pool.info.id) else {
                continue;
            };
            let normal = pool
                .sheet
                .contestants
                .iter()
                .filter(|c| c.status == Status::Normal)
                .count();
            let progress = judge_progress(pool, flow);
            assert_eq!(progress.len(), flow.judges.len());
            for judge in &progress {
                assert_eq!(judge.rows, normal);
                assert!(judge.judged <= judge.judged_need);
                assert!(judge.submitted <= judge.rows);
                judged_somewhere |= judge.judged > 0;
            }
        }
        assert!(judged_somewhere, "the demo has judged values");
        Ok(())
    }

    fn appeal(id: i64, changes: Option<&str>, decided_at: Option<&str>) -> Appeal {
        Appeal {
            id,
            pool_id: 1,
            leader: "王领队".into(),
            unit: "某单位".into(),
            received_at: "2023-11-15 12:00".into(),
            content: "理论成绩有误".into(),
            outcome: decided_at.map(|_| "已处理".into()),
            changes: changes.map(str::to_string),
            decided_at: decided_at.map(str::to_string),
            recorded_by: "监督员".into(),
        }
    }

    #[test]
    fn the_publication_is_outdated_by_the_latest_appeal_that_changed_a_score() {
        let flow = PoolWorkflow {
            appeals: vec![
                appeal(1, Some("理论 70→80"), Some("2023-11-15 13:00")),
                appeal(2, None, Some("2023-11-15 13:30")),
                appeal(3, Some("理论 60→65"), Some("2023-11-15 13:10")),
            ],
            ..PoolWorkflow::default()
        };
        let found = publication_outdated_by(PoolState::Published, &flow).map(|a| a.id);
        assert_eq!(found, Some(3));
        assert_eq!(
            publication_outdated_by(PoolState::Decrypted, &flow).map(|a| a.id),
            None,
            "nothing is printed before the 公示"
        );
        let unchanged = PoolWorkflow {
            appeals: vec![appeal(2, None, Some("2023-11-15 13:30"))],
            ..PoolWorkflow::default()
        };
        assert!(publication_outdated_by(PoolState::Final, &unchanged).is_none());
    }
}
