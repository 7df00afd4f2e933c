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

/// Records one practical score durably (the transaction has committed when this returns Ok).
pub fn enter_score(
    conn: &Connection,
    actor: &Actor,
    device: &str,
    input: &ScoreInput,
) -> Result<ScoreReceipt> {
    let tx = conn.unchecked_transaction()?;
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
    if criterion.kind == crate::core::model::Kind::Measurement && previous.is_none() {
        let others = scores::cell_values(conn, contestant.id, criterion_id)?;
        if let Some(agreed) = measurement_agreed(&others) {
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
    let tx = conn.unchecked_transaction()?;
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

/// What a status change does under the rules, computed before it is saved: who is no longer
/// (or again) ranked, and how the participant count and the prize quotas move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusConsequences {
    pub from: Status,
    pub to: Status,
    pub participants: (u32, u32),
    pub quotas: ([u32; 3], [u32; 3]),
    /// One sentence a line, for the dialog and the command line.
    pub lines: Vec<String>,
}

/// Who may change a status: the coordinator any; the chief judge 取消资格 in their own pool.
fn ensure_may_change_status(
    conn: &Connection,
    actor: &Actor,
    pool: &PoolInfo,
    status: Status,
) -> Result<()> {
    match actor.role {
        Role::Coordinator => Ok(()),
        Role::Chief if status == Status::Disqualified => {
            super::workflow::ensure_assigned(conn, actor, pool).map(|_| ())
        }
        Role::Chief => Err(OpsError::Denied(
            "裁判长只能将本赛项组别的选手取消资格；缺考、弃赛由赛务办理".into(),
        )),
        _ => Err(OpsError::Denied(
            "只有赛务（或裁判长取消资格）可以更改选手状态".into(),
        )),
    }
}

/// The consequences of setting `contestant_id` to `status`, nothing saved.
pub fn status_consequences(
    conn: &Connection,
    contestant_id: i64,
    status: Status,
) -> Result<StatusConsequences> {
    let contestant = crate::store::workflow::contestant(conn, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".to_string()))?;
    let pool = competition::pool_by_id(conn, contestant.record.pool_id)?
        .ok_or_else(|| OpsError::Denied("选手所在的赛项组别不存在".to_string()))?;
    let everyone = people::contestants_in_pool(conn, pool.id)?;
    let count = |changed: Option<Status>| {
        everyone
            .iter()
            .filter(|c| {
                let s = if c.id == contestant_id {
                    changed.unwrap_or(c.status)
                } else {
                    c.status
                };
                s.is_participant()
            })
            .count() as u32
    };
    let before = count(None);
    let after = count(Some(status));
    let percents = pool.settings.prize_percents;
    let quotas = (
        crate::core::awards::quotas(before, percents),
        crate::core::awards::quotas(after, percents),
    );
    let who = contestant_label(&contestant);
    let from = contestant.status;
    let mut lines = vec![format!("{who}：{} → {}", from.label(), status.label())];
    if from == Status::Normal && status != Status::Normal {
        lines.push(format!("{who} 将不再参加排名，不获奖"));
    } else if from != Status::Normal && status == Status::Normal {
        lines.push(format!("{who} 将参加排名（须有完整成绩）"));
    }
    if status == Status::Absent && from != Status::Absent {
        lines.push("缺考者不计入参赛人数".to_string());
    }
    if before == after {
        lines.push(format!(
            "参赛人数仍为 {before}，获奖名额不变（一等奖 {}、二等奖 {}、三等奖 {}）",
            quotas.0[0], quotas.0[1], quotas.0[2]
        ));
    } else {
        let [a, b, c] = quotas.0;
        let [x, y, z] = quotas.1;
        lines.push(format!(
            "参赛人数 {before} → {after}；获奖名额 一等奖 {a}→{x}、二等奖 {b}→{y}、三等奖 {c}→{z}"
        ));
    }
    Ok(StatusConsequences {
        from,
        to: status,
        participants: (before, after),
        quotas,
        lines,
    })
}

/// `工位 07` once drawn (names stay hidden from the chief judge's screens), else the name.
fn contestant_label(contestant: &Contestant) -> String {
    match contestant.workstation {
        Some(w) => format!("工位 {w}"),
        None => contestant.record.name.clone(),
    }
}

/// Changes a contestant's status (check-in outcome, withdrawal, disqualification), found by ID
/// number: the command line's road to `set_status_of`.
pub fn set_status(
    conn: &Connection,
    actor: &Actor,
    id_number: &str,
    status: Status,
    reason: Option<&str>,
) -> Result<Status> {
    let normalised = crate::core::idcard::normalise(id_number);
    let contestant = people::contestant_by_id_number(conn, &normalised)?
        .ok_or_else(|| OpsError::Denied("没有该身份证号的选手".to_string()))?;
    set_status_of(conn, actor, contestant.id, status, reason)
}

/// Changes a contestant's status, with a reason once the pool is drawn, audited; refused once
/// the pool is locked. Returns the previous status.
pub fn set_status_of(
    conn: &Connection,
    actor: &Actor,
    contestant_id: i64,
    status: Status,
    reason: Option<&str>,
) -> Result<Status> {
    let tx = conn.unchecked_transaction()?;
    let contestant = crate::store::workflow::contestant(&tx, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".to_string()))?;
    let pool = competition::pool_by_id(&tx, contestant.record.pool_id)?
        .ok_or_else(|| OpsError::Denied("选手所在的赛项组别不存在".to_string()))?;
    ensure_may_change_status(&tx, actor, &pool, status)?;
    if pool.state >= PoolState::Locked {
        return Err(OpsError::Denied(format!(
            "{} 已{}，不能更改选手状态",
            pool.title(),
            pool.state.label()
        )));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let drawn = super::registration::past_check_in(&pool);
    let previous = contestant.status;
    if drawn && previous != status && reason.is_none() {
        return Err(OpsError::Denied(format!(
            "{} 已抽签，更改选手状态须写明理由",
            pool.title()
        )));
    }
    if previous != status {
        people::set_status(&tx, contestant.id, status)?;
        let pool_name = pool.key.to_string();
        let subject = contestant_label(&contestant);
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "选手状态",
                pool: Some(&pool_name),
                contestant_id: Some(contestant.id),
                subject: Some(&subject),
                old_value: Some(previous.label()),
                new_value: Some(status.label()),
                reason,
            },
        )?;
    }
    tx.commit()?;
    Ok(previous)
}
