//! A contestant's status (正常, 缺考, 弃赛, 取消资格): who may change it, what the change does under
//! the rules before it is saved, and the audited change itself.

use super::{Actor, OpsError, Result};
use crate::core::model::{PoolState, Role, Status};
use crate::store::audit::{self, AuditEntry};
use crate::store::competition::{self, PoolInfo};
use crate::store::people::{self, Contestant};
use rusqlite::Connection;

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

/// Which statuses a role may set at all: the coordinator any; the chief judge only 取消资格 (and
/// then only in their own pool, checked by [`ensure_may_change_status`]).
pub fn role_may_set(role: Role, status: Status) -> bool {
    match role {
        Role::Coordinator => true,
        Role::Chief => status == Status::Disqualified,
        Role::Judge | Role::Supervisor => false,
    }
}

/// The statuses `actor` may choose for a contestant, each with what it would do (or why that
/// cannot be worked out), and the contestant's current status: what the status dialog offers.
#[derive(Clone, Debug)]
pub struct StatusOptions {
    pub current: Status,
    pub options: Vec<(Status, std::result::Result<Vec<String>, String>)>,
}

/// The options of the status dialog, nothing saved.
pub fn status_options(
    conn: &Connection,
    actor: &Actor,
    contestant_id: i64,
) -> Result<StatusOptions> {
    let contestant = crate::store::workflow::contestant(conn, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".to_string()))?;
    let options = Status::ALL
        .iter()
        .copied()
        .filter(|&status| role_may_set(actor.role, status))
        .map(|status| {
            let consequences = status_consequences(conn, contestant_id, status)
                .map(|c| c.lines)
                .map_err(OpsError::into_text);
            (status, consequences)
        })
        .collect();
    Ok(StatusOptions {
        current: contestant.status,
        options,
    })
}

/// Who may change a status: the coordinator any; the chief judge 取消资格 in their own pool.
fn ensure_may_change_status(
    conn: &Connection,
    actor: &Actor,
    pool: &PoolInfo,
    status: Status,
) -> Result<()> {
    if !role_may_set(actor.role, status) {
        return Err(OpsError::Denied(match actor.role {
            Role::Chief => "裁判长只能将本赛项组别的选手取消资格；缺考、弃赛由赛务办理".into(),
            _ => "只有赛务（或裁判长取消资格）可以更改选手状态".into(),
        }));
    }
    match actor.role {
        Role::Chief => super::workflow::ensure_assigned(conn, actor, pool).map(|_| ()),
        _ => Ok(()),
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
    super::master::ensure_master(conn)?;
    let tx = crate::store::begin(conn)?;
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
