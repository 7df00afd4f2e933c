//! Entering practical and theory scores, and replacing a pool's scheme.

use super::{Actor, OpsError, Result};
use crate::core::model::{Criterion, PoolKey, PoolState, Role, Status, check_scheme};
use crate::core::score::Hundredths;
use crate::store::audit::{self, AuditEntry};
use crate::store::competition::{self, PoolInfo};
use crate::store::now_text;
use crate::store::people::{self, Contestant};
use crate::store::scores::{self, NewScore};
use rusqlite::Connection;

/// How a score names its contestant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContestantRef {
    IdNumber(String),
    Workstation(u32),
}

/// One practical score as a judge enters it.
#[derive(Clone, Debug)]
pub struct ScoreInput {
    pub pool: PoolKey,
    pub judge: String,
    pub contestant: ContestantRef,
    pub criterion: String,
    pub value: Hundredths,
}

/// What was stored, for showing "saved".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreReceipt {
    pub entry_uid: String,
    pub contestant_id: i64,
    pub pool_id: i64,
    pub judge_id: i64,
    pub criterion: String,
    pub value: Hundredths,
    pub previous: Option<Hundredths>,
}

/// A fresh unique entry id: 128 random bits in hex.
pub fn new_uid() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn pool_or_denied(conn: &Connection, key: &PoolKey) -> Result<PoolInfo> {
    competition::pool(conn, key)?.ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {key}")))
}

/// Scores may be entered until the pool is locked.
pub(crate) fn ensure_scoring_open(pool: &PoolInfo) -> Result<()> {
    if pool.state >= PoolState::Locked {
        return Err(OpsError::Denied(format!(
            "{} 已{}，不能再录入或修改成绩",
            pool.title(),
            pool.state.label()
        )));
    }
    Ok(())
}

pub(crate) fn find_contestant(
    conn: &Connection,
    pool: &PoolInfo,
    reference: &ContestantRef,
) -> Result<Contestant> {
    let found = match reference {
        ContestantRef::IdNumber(id) => {
            let normalised = crate::core::idcard::normalise(id);
            people::contestant_by_id_number(conn, &normalised)?
                .filter(|c| c.record.pool_id == pool.id)
        }
        ContestantRef::Workstation(w) => people::contestant_by_workstation(conn, pool.id, *w)?,
    };
    found.ok_or_else(|| match reference {
        ContestantRef::IdNumber(_) => {
            OpsError::Denied(format!("{}中没有该身份证号的选手", pool.title()))
        }
        ContestantRef::Workstation(w) => {
            OpsError::Denied(format!("{}中没有工位号 {w}", pool.title()))
        }
    })
}

/// The agreed value of a measurement cell: two (or more) judges entered the same value. Such a
/// cell is closed to every other judge; its two judges may still correct their own entries.
pub fn measurement_agreed(entries: &[(i64, Hundredths)]) -> Option<Hundredths> {
    let (_, first) = entries.first()?;
    (entries.len() >= 2 && entries.iter().all(|(_, v)| v == first)).then_some(*first)
}

/// The agreed value that closes a cell to `judge`: a measurement cell two judges agree on, for a
/// judge with no entry of their own in it. The window greys the cell out by it; `enter_score`
/// refuses by it.
pub fn closed_to_judge(
    kind: crate::core::model::Kind,
    judge: i64,
    entries: &[(i64, Hundredths)],
) -> Option<Hundredths> {
    if kind != crate::core::model::Kind::Measurement || entries.iter().any(|(j, _)| *j == judge) {
        return None;
    }
    measurement_agreed(entries)
}

/// Records one practical score durably (the transaction has committed when this returns Ok).
pub fn enter_score(
    conn: &Connection,
    actor: &Actor,
    device: &str,
    input: &ScoreInput,
) -> Result<ScoreReceipt> {
    let tx = crate::store::begin(conn)?;
    let receipt = enter_score_in(&tx, actor, device, input, "score")?;
    tx.commit()?;
    Ok(receipt)
}

/// The body of `enter_score`, for callers that batch many scores in one transaction.
pub(crate) fn enter_score_in(
    conn: &Connection,
    actor: &Actor,
    device: &str,
    input: &ScoreInput,
    source: &str,
) -> Result<ScoreReceipt> {
    let pool = pool_or_denied(conn, &input.pool)?;
    ensure_scoring_open(&pool)?;
    let judge = people::account_by_name(conn, &input.judge)?
        .filter(|a| a.role == Role::Judge)
        .ok_or_else(|| OpsError::Denied(format!("没有名为 {} 的裁判账号", input.judge)))?;
    if !judge.pools.contains(&pool.id) {
        return Err(OpsError::Denied(format!(
            "裁判 {} 未分配到 {}",
            judge.name,
            pool.title()
        )));
    }
    if actor.role == Role::Judge && actor.account_id != Some(judge.id) {
        return Err(OpsError::Denied("裁判只能录入自己的评分".into()));
    }
    let contestant = find_contestant(conn, &pool, &input.contestant)?;
    if crate::store::workflow::is_submitted(conn, judge.id, contestant.id)? {
        return Err(OpsError::Denied(format!(
            "{} 的评分已提交，需裁判长退回后才能修改",
            workstation_label(&contestant)
        )));
    }
    let (criterion_id, criterion) = competition::criteria(conn, pool.id)?
        .into_iter()
        .find(|(_, c)| c.code.eq_ignore_ascii_case(input.criterion.trim()))
        .ok_or_else(|| {
            OpsError::Denied(format!("{} 没有评分项 {}", pool.title(), input.criterion))
        })?;
    check_practical_value(&criterion, input.value)?;
    let previous = scores::current(conn, contestant.id, criterion_id, judge.id)?.map(|(_, v)| v);
    if criterion.kind == crate::core::model::Kind::Measurement {
        let entries = scores::cell_values(conn, contestant.id, criterion_id)?;
        if let Some(agreed) = closed_to_judge(criterion.kind, judge.id, &entries) {
            return Err(OpsError::Denied(format!(
                "{} 的{}（客观项）已由两位裁判录入一致的数值 {}，不能再由第三位裁判录入",
                workstation_label(&contestant),
                criterion.name,
                agreed.to_short()
            )));
        }
    }
    let uid = new_uid();
    let now = now_text();
    let unchanged = previous == Some(input.value);
    if !unchanged && contestant.status != Status::Normal {
        return Err(OpsError::Denied(format!(
            "该选手状态为{}，不需评分",
            contestant.status.label()
        )));
    }
    if unchanged {
        return Ok(ScoreReceipt {
            entry_uid: uid,
            contestant_id: contestant.id,
            pool_id: pool.id,
            judge_id: judge.id,
            criterion: criterion.code,
            value: input.value,
            previous,
        });
    }
    scores::append(
        conn,
        &NewScore {
            uid: &uid,
            contestant_id: contestant.id,
            criterion_id,
            judge_id: judge.id,
            value: Some(input.value),
            entered_at: &now,
            entered_by: &actor.name,
            device,
            source,
        },
    )?;
    if pool.state < PoolState::Scoring {
        competition::set_pool_state(conn, pool.id, PoolState::Scoring)?;
    }
    if previous.is_some() {
        let pool_name = pool.key.to_string();
        let subject = format!(
            "{} {} {}",
            judge.name,
            workstation_label(&contestant),
            criterion.code
        );
        let old = previous.map(|v| v.to_short());
        let new = input.value.to_short();
        audit::log(
            conn,
            &AuditEntry {
                actor: &actor.name,
                action: "修改评分",
                pool: Some(&pool_name),
                contestant_id: Some(contestant.id),
                subject: Some(&subject),
                old_value: old.as_deref(),
                new_value: Some(&new),
                reason: None,
            },
        )?;
    }
    Ok(ScoreReceipt {
        entry_uid: uid,
        contestant_id: contestant.id,
        pool_id: pool.id,
        judge_id: judge.id,
        criterion: criterion.code,
        value: input.value,
        previous,
    })
}

/// A theory score lies in 0–100.
pub(crate) fn check_theory_value(value: Hundredths) -> Result<()> {
    if value.0 < 0 || value > Hundredths::from_points(100) {
        return Err(OpsError::Denied(format!(
            "理论成绩 {} 超出 0–100",
            value.to_short()
        )));
    }
    Ok(())
}

/// A practical value fits its criterion's range and step; the refusal names the criterion.
pub(crate) fn check_practical_value(criterion: &Criterion, value: Hundredths) -> Result<()> {
    criterion
        .check_value(value)
        .map_err(|e| OpsError::Denied(format!("{} {}: {e}", criterion.code, criterion.name)))
}

/// `工位 12` when drawn, else the internal number; never a name or ID number.
pub fn workstation_label(contestant: &Contestant) -> String {
    match contestant.workstation {
        Some(w) => format!("工位{w}"),
        None => format!("选手#{}", contestant.id),
    }
}

/// Replaces a pool's practical criteria; refused once anything is scored in it.
pub fn replace_scheme(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    criteria: &[Criterion],
) -> Result<()> {
    let tx = crate::store::begin(conn)?;
    replace_scheme_in(&tx, actor, pool_key, criteria)?;
    tx.commit()?;
    Ok(())
}

/// The body of `replace_scheme`, inside the caller's transaction.
pub(crate) fn replace_scheme_in(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    criteria: &[Criterion],
) -> Result<()> {
    if actor.role != Role::Coordinator {
        return Err(OpsError::Denied("只有赛务人员可以修改评分方案".into()));
    }
    let pool = pool_or_denied(conn, pool_key)?;
    let problems = check_scheme(criteria);
    if !problems.is_empty() {
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        return Err(OpsError::Denied(format!(
            "{}: {}",
            pool.title(),
            text.join("；")
        )));
    }
    if competition::score_entry_count(conn, pool.id)? > 0 {
        return Err(OpsError::Denied(format!(
            "{} 已有评分，不能更换评分方案",
            pool.title()
        )));
    }
    if pool.state >= PoolState::Scoring {
        return Err(OpsError::Denied(format!(
            "{} 已进入{}阶段，评分方案不能再修改",
            pool.title(),
            pool.state.label()
        )));
    }
    competition::replace_criteria(conn, pool.id, criteria)?;
    let pool_name = pool.key.to_string();
    let summary = criteria
        .iter()
        .map(|c| format!("{} {}", c.code, c.max.to_short()))
        .collect::<Vec<_>>()
        .join(", ");
    audit::log(
        conn,
        &AuditEntry {
            actor: &actor.name,
            action: "更换评分方案",
            pool: Some(&pool_name),
            new_value: Some(&summary),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// Sets a theory score (`None` clears it). Audited when it changes an earlier value.
pub fn set_theory_in(
    conn: &Connection,
    actor: &Actor,
    contestant: &Contestant,
    pool: &PoolInfo,
    value: Option<Hundredths>,
    source: &str,
) -> Result<bool> {
    ensure_scoring_open(pool)?;
    if let Some(v) = value {
        check_theory_value(v)?;
    }
    let previous = scores::theory(conn, contestant.id)?;
    if previous == value {
        return Ok(false);
    }
    scores::append_theory(conn, contestant.id, value, &actor.name, source)?;
    if previous.is_some() {
        let pool_name = pool.key.to_string();
        let subject = format!("理论成绩 {}", workstation_label(contestant));
        let old = previous.map(|v| v.to_short());
        let new = value.map(|v| v.to_short());
        audit::log(
            conn,
            &AuditEntry {
                actor: &actor.name,
                action: "修改理论成绩",
                pool: Some(&pool_name),
                contestant_id: Some(contestant.id),
                subject: Some(&subject),
                old_value: old.as_deref(),
                new_value: new.as_deref(),
                reason: None,
            },
        )?;
    }
    Ok(true)
}
