//! The venue workflow after the draw: judges submit (freeze) their sheets, the chief judge
//! reopens them, resolves spread flags and measurement conflicts, locks and (with the
//! supervisor) unlocks a pool; the supervisor confirms and decrypts, publishes, records
//! appeals and their score changes, and makes the results final (§7). Each public function
//! is one action in one transaction, checked against the actor's role and pools, audited.
//! Also `load_desk`: the snapshot the window draws from. Must not import egui.
//!
//! One file over 600 lines: the pool's steps after the draw are one state machine; every step
//! checks the same state, role and pool rules (`ensure_assigned`, the state checks).

use super::accounts::{self, SignIn};
use super::results::{self, Results};
use super::scoring::{new_uid, pool_or_denied, workstation_label};
use super::{Actor, OpsError, Result};
use crate::core::date::clock_time;
use crate::core::evaluate::{PoolOutcome, PoolSheet};
use crate::core::model::{Kind, PoolKey, PoolSettings, PoolState, Role, Status};
use crate::core::score::Hundredths;
/// The audit log's rows and filter as the window shows and chooses them.
pub use crate::store::audit::AuditRow;
use crate::store::audit::{self, AuditEntry};
use crate::store::competition::{self, PoolInfo, VenueInfo};
use crate::store::people::{self, Account, Contestant};
use crate::store::scores::{self, NewScore};
pub use crate::store::workflow::AuditFilter;
use crate::store::workflow::{
    self as flow, Appeal, NewResolution, PoolEvent, Resolution, ResolutionKind,
};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// Appeals are accepted for this long after a pool's results are published (§7).
pub const APPEAL_WINDOW_MINUTES: i64 = 120;

fn denied<T>(text: impl Into<String>) -> Result<T> {
    Err(OpsError::Denied(text.into()))
}

fn ensure_role(actor: &Actor, role: Role) -> Result<()> {
    if actor.role != role {
        return denied(format!("只有{}可以执行此操作", role.label()));
    }
    Ok(())
}

/// Judges and chief judges see and act only in the pools assigned to them; the coordinator and
/// the supervisor in every pool.
pub fn works_in_pool(role: Role, assigned: &[i64], pool_id: i64) -> bool {
    match role {
        Role::Judge | Role::Chief => assigned.contains(&pool_id),
        Role::Coordinator | Role::Supervisor => true,
    }
}

/// Judges and chief judges act only in the pools assigned to them.
pub(crate) fn ensure_assigned(
    conn: &Connection,
    actor: &Actor,
    pool: &PoolInfo,
) -> Result<Account> {
    let account = people::accounts(conn)?
        .into_iter()
        .find(|a| Some(a.id) == actor.account_id)
        .ok_or_else(|| OpsError::Denied("请先登录".into()))?;
    if !works_in_pool(account.role, &account.pools, pool.id) {
        return denied(format!("{} 未分配到 {}", account.name, pool.title()));
    }
    Ok(account)
}

fn log(conn: &Connection, entry: AuditEntry<'_>) -> Result<()> {
    audit::log(conn, &entry)?;
    Ok(())
}

fn set_state(
    conn: &Connection,
    actor: &Actor,
    pool: &PoolInfo,
    state: PoolState,
    action: &str,
    reason: Option<&str>,
) -> Result<()> {
    competition::set_pool_state(conn, pool.id, state)?;
    flow::add_pool_event(conn, pool.id, state, &actor.name, reason)?;
    let pool_name = pool.key.to_string();
    log(
        conn,
        AuditEntry {
            actor: &actor.name,
            action,
            pool: Some(&pool_name),
            old_value: Some(pool.state.label()),
            new_value: Some(state.label()),
            reason,
            ..Default::default()
        },
    )
}

fn nonempty<'a>(text: &'a str, what: &str) -> Result<&'a str> {
    let text = text.trim();
    if text.is_empty() {
        return denied(format!("请填写{what}"));
    }
    Ok(text)
}

// ---- judges submit, the chief judge reopens ---------------------------------------------

/// The judge freezes their entries for the given contestants (a row, or the whole sheet).
/// Every contestant must be 正常 and have this judge's value for every judgement criterion.
/// Returns how many were newly frozen.
pub fn submit(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    contestants: &[i64],
) -> Result<usize> {
    ensure_role(actor, Role::Judge)?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    let judge = ensure_assigned(&tx, actor, &pool)?;
    if pool.state >= PoolState::Locked {
        return denied(format!("{} 已{}", pool.title(), pool.state.label()));
    }
    let criteria = competition::criteria(&tx, pool.id)?;
    let pool_people: HashMap<i64, Contestant> = people::contestants_in_pool(&tx, pool.id)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut incomplete = Vec::new();
    let mut frozen = 0;
    for id in contestants {
        let Some(contestant) = pool_people.get(id) else {
            return denied(format!("{}中没有该选手", pool.title()));
        };
        if contestant.status != Status::Normal {
            continue;
        }
        let missing = criteria.iter().any(|(criterion_id, c)| {
            c.kind == Kind::Judgement
                && !matches!(
                    scores::current(&tx, *id, *criterion_id, judge.id),
                    Ok(Some(_))
                )
        });
        if missing {
            incomplete.push(workstation_label(contestant));
            continue;
        }
        if flow::submit(&tx, judge.id, *id, pool.id)? {
            frozen += 1;
        }
    }
    if !incomplete.is_empty() {
        return denied(format!(
            "以下选手还有未评分的主观评分项：{}",
            incomplete.join("、")
        ));
    }
    let pool_name = pool.key.to_string();
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "提交评分",
            pool: Some(&pool_name),
            subject: Some(&judge.name),
            new_value: Some(&format!("{frozen} 名选手")),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(frozen)
}

/// The chief judge reopens a judge's submitted entries (one contestant, or all), with a reason.
pub fn reopen(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    judge_id: i64,
    contestant: Option<i64>,
    reason: &str,
) -> Result<usize> {
    ensure_role(actor, Role::Chief)?;
    let reason = nonempty(reason, "退回理由")?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    ensure_assigned(&tx, actor, &pool)?;
    if pool.state >= PoolState::Locked {
        return denied(format!(
            "{} 已{}，须先解锁",
            pool.title(),
            pool.state.label()
        ));
    }
    let judge_name = people::accounts(&tx)?
        .into_iter()
        .find(|a| a.id == judge_id)
        .map(|a| a.name)
        .unwrap_or_default();
    let targets: Vec<i64> = flow::submissions(&tx, pool.id)?
        .into_iter()
        .filter(|(j, c)| *j == judge_id && contestant.is_none_or(|only| only == *c))
        .map(|(_, c)| c)
        .collect();
    let mut reopened = 0;
    for c in &targets {
        if flow::reopen(&tx, judge_id, *c)? {
            reopened += 1;
        }
    }
    let subject = match contestant.and_then(|c| {
        people::contestants_in_pool(&tx, pool.id)
            .ok()?
            .into_iter()
            .find(|x| x.id == c)
    }) {
        Some(c) => format!("{judge_name} {}", workstation_label(&c)),
        None => format!("{judge_name} 全部"),
    };
    let pool_name = pool.key.to_string();
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "退回评分",
            pool: Some(&pool_name),
            subject: Some(&subject),
            new_value: Some(&format!("{reopened} 名选手")),
            reason: Some(reason),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(reopened)
}

// ---- flags ------------------------------------------------------------------------------

/// The canonical text of a cell's values (`judge:hundredths,…` by judge), what an acceptance
/// is bound to: when any value changes, the acceptance no longer applies.
pub fn values_text(entries: &[(i64, Hundredths)]) -> String {
    let mut sorted = entries.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|(j, v)| format!("{j}:{}", v.0))
        .collect::<Vec<_>>()
        .join(",")
}

/// The current entries of one cell of a sheet, judges of the pool only.
pub fn sheet_cell(sheet: &PoolSheet, contestant: i64, criterion: &str) -> Vec<(i64, Hundredths)> {
    let (Some(c), Some(k)) = (
        sheet.contestant_index(contestant),
        sheet.criterion_index(criterion),
    ) else {
        return Vec::new();
    };
    let mut entries: Vec<(i64, Hundredths)> = sheet.cells[c * sheet.criteria.len() + k]
        .iter()
        .copied()
        .filter(|(j, _)| sheet.judges.contains(j))
        .collect();
    entries.sort_unstable();
    entries
}

/// Is this spread flag covered by an acceptance of exactly its current values?
pub fn flag_accepted(
    resolutions: &[Resolution],
    contestant: i64,
    criterion: &str,
    values: &str,
) -> Option<Resolution> {
    resolutions
        .iter()
        .rev()
        .find(|r| {
            r.kind == ResolutionKind::Accept
                && r.contestant_id == contestant
                && r.criterion == criterion
                && r.judge_values == values
        })
        .cloned()
}

/// Spread flags of an outcome that no acceptance covers.
pub fn unresolved_flags(
    sheet: &PoolSheet,
    outcome: &PoolOutcome,
    resolutions: &[Resolution],
) -> usize {
    outcome
        .spread_flags
        .iter()
        .filter(|f| {
            let values = values_text(&sheet_cell(sheet, f.contestant, &f.criterion));
            flag_accepted(resolutions, f.contestant, &f.criterion, &values).is_none()
        })
        .count()
}

fn criterion_id(
    conn: &Connection,
    pool: &PoolInfo,
    code: &str,
) -> Result<(i64, crate::core::model::Criterion)> {
    competition::criteria(conn, pool.id)?
        .into_iter()
        .find(|(_, c)| c.code == code)
        .ok_or_else(|| OpsError::Denied(format!("{} 没有评分项 {code}", pool.title())))
}

fn pool_contestant(conn: &Connection, pool: &PoolInfo, id: i64) -> Result<Contestant> {
    people::contestants_in_pool(conn, pool.id)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| OpsError::Denied(format!("{}中没有该选手", pool.title())))
}

/// The chief judge accepts a spread flag's current values with a note.
pub fn accept_flag(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    contestant_id: i64,
    criterion: &str,
    note: &str,
) -> Result<()> {
    ensure_role(actor, Role::Chief)?;
    let note = nonempty(note, "说明")?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    ensure_assigned(&tx, actor, &pool)?;
    if pool.state >= PoolState::Locked {
        return denied(format!("{} 已{}", pool.title(), pool.state.label()));
    }
    let contestant = pool_contestant(&tx, &pool, contestant_id)?;
    let (cid, c) = criterion_id(&tx, &pool, criterion)?;
    let judges: HashSet<i64> = people::pool_judges(&tx, pool.id)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let entries: Vec<(i64, Hundredths)> = flow::cell_values(&tx, contestant_id, cid)?
        .into_iter()
        .filter(|(j, _)| judges.contains(j))
        .collect();
    if c.kind == Kind::Measurement && entries.iter().any(|e| e.1 != entries[0].1) {
        return denied("客观评分项的不一致只能通过重评解决");
    }
    let text = values_text(&entries);
    flow::add_resolution(
        &tx,
        &NewResolution {
            pool_id: pool.id,
            contestant_id,
            criterion,
            kind: ResolutionKind::Accept,
            judge_values: &text,
            note,
            decided_by: &actor.name,
        },
    )?;
    let pool_name = pool.key.to_string();
    let subject = format!("{} {criterion}", workstation_label(&contestant));
    let shown = entries
        .iter()
        .map(|(_, v)| v.to_short())
        .collect::<Vec<_>>()
        .join(" / ");
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "接受评分差异",
            pool: Some(&pool_name),
            contestant_id: Some(contestant_id),
            subject: Some(&subject),
            new_value: Some(&shown),
            reason: Some(note),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// The chief judge withdraws one judge's value of a cell so that the judge scores it again;
/// the judge's submitted row for that contestant is reopened.
pub fn request_rescore(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    contestant_id: i64,
    criterion: &str,
    judge_id: i64,
    reason: &str,
) -> Result<()> {
    ensure_role(actor, Role::Chief)?;
    let reason = nonempty(reason, "重评理由")?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    ensure_assigned(&tx, actor, &pool)?;
    if pool.state >= PoolState::Locked {
        return denied(format!(
            "{} 已{}，须先解锁",
            pool.title(),
            pool.state.label()
        ));
    }
    let contestant = pool_contestant(&tx, &pool, contestant_id)?;
    let (cid, _) = criterion_id(&tx, &pool, criterion)?;
    let entries = flow::cell_values(&tx, contestant_id, cid)?;
    let Some((_, old)) = entries.iter().find(|(j, _)| *j == judge_id).copied() else {
        return denied("该裁判在此项没有评分");
    };
    let text = values_text(&entries);
    let uid = new_uid();
    let now = crate::store::now_text();
    scores::append(
        &tx,
        &NewScore {
            uid: &uid,
            contestant_id,
            criterion_id: cid,
            judge_id,
            value: None,
            entered_at: &now,
            entered_by: &actor.name,
            device: &super::setup::device_label(&tx)?,
            source: "rescore",
        },
    )?;
    flow::reopen(&tx, judge_id, contestant_id)?;
    flow::add_resolution(
        &tx,
        &NewResolution {
            pool_id: pool.id,
            contestant_id,
            criterion,
            kind: ResolutionKind::Rescore,
            judge_values: &text,
            note: reason,
            decided_by: &actor.name,
        },
    )?;
    let judge_name = people::accounts(&tx)?
        .into_iter()
        .find(|a| a.id == judge_id)
        .map(|a| a.name)
        .unwrap_or_default();
    let pool_name = pool.key.to_string();
    let subject = format!(
        "{judge_name} {} {criterion}",
        workstation_label(&contestant)
    );
    let old_text = old.to_short();
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "要求重评",
            pool: Some(&pool_name),
            contestant_id: Some(contestant_id),
            subject: Some(&subject),
            old_value: Some(&old_text),
            new_value: Some("（待重评）"),
            reason: Some(reason),
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// A re-score the chief judge asked for and the judge has not yet answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenRescore {
    pub contestant: i64,
    pub criterion: String,
    pub judge: i64,
    pub reason: String,
    pub requested_by: String,
}

/// The open re-scores of a pool: a judge whose value a re-score withdrew and who has not
/// entered a new one. The newest request for a cell and judge counts.
pub fn open_rescores(sheet: &PoolSheet, resolutions: &[Resolution]) -> Vec<OpenRescore> {
    let mut open: Vec<OpenRescore> = Vec::new();
    for r in resolutions
        .iter()
        .filter(|r| r.kind == ResolutionKind::Rescore)
    {
        let current = sheet_cell(sheet, r.contestant_id, &r.criterion);
        let had = r
            .judge_values
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .filter_map(|(judge, _)| judge.trim().parse::<i64>().ok());
        for judge in had.filter(|j| !current.iter().any(|(c, _)| c == j)) {
            open.retain(|o| {
                !(o.contestant == r.contestant_id && o.criterion == r.criterion && o.judge == judge)
            });
            open.push(OpenRescore {
                contestant: r.contestant_id,
                criterion: r.criterion.clone(),
                judge,
                reason: r.note.clone(),
                requested_by: r.decided_by.clone(),
            });
        }
    }
    open
}

/// A cell still waiting for a value: `judge` is the judge of a judgement criterion, `None` for a
/// measurement criterion that lacks its two entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingCell {
    pub contestant: i64,
    pub criterion: String,
    pub judge: Option<i64>,
}

/// What `待录入 N 项` counts, cell by cell, for contestants who compete.
pub fn missing_cells(sheet: &PoolSheet) -> Vec<MissingCell> {
    let width = sheet.criteria.len();
    let mut missing = Vec::new();
    for (i, c) in sheet.contestants.iter().enumerate() {
        if c.status != Status::Normal {
            continue;
        }
        for (k, criterion) in sheet.criteria.iter().enumerate() {
            let entries = sheet.cells.get(i * width + k).map_or(&[][..], |e| &e[..]);
            match criterion.kind {
                Kind::Judgement => {
                    for judge in &sheet.judges {
                        if !entries.iter().any(|(j, _)| j == judge) {
                            missing.push(MissingCell {
                                contestant: c.key,
                                criterion: criterion.code.clone(),
                                judge: Some(*judge),
                            });
                        }
                    }
                }
                Kind::Measurement if entries.len() < 2 => missing.push(MissingCell {
                    contestant: c.key,
                    criterion: criterion.code.clone(),
                    judge: None,
                }),
                Kind::Measurement => {}
            }
        }
    }
    missing
}

// ---- lock, unlock, decrypt, publish, final ----------------------------------------------

fn evaluate_pool(conn: &Connection, pool: &PoolInfo) -> Result<(PoolSheet, PoolOutcome)> {
    let sheet = scores::load_sheets(conn)?
        .into_iter()
        .find(|(info, _)| info.id == pool.id)
        .map(|(_, sheet)| sheet)
        .ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {}", pool.key)))?;
    let outcome = crate::core::evaluate::evaluate(&sheet);
    Ok((sheet, outcome))
}

/// The chief judge locks a complete pool whose every flag is resolved.
pub fn lock(conn: &Connection, actor: &Actor, pool_key: &PoolKey) -> Result<()> {
    ensure_role(actor, Role::Chief)?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    ensure_assigned(&tx, actor, &pool)?;
    if pool.state != PoolState::Scoring {
        return denied(format!(
            "{} 当前为{}，只有评分中的赛项组别可以锁定",
            pool.title(),
            pool.state.label()
        ));
    }
    let (sheet, outcome) = evaluate_pool(&tx, &pool)?;
    if !outcome.complete {
        return denied(format!(
            "成绩尚未完整（待录入 {} 项），不能锁定",
            outcome.missing_items
        ));
    }
    if !outcome.conflicts.is_empty() {
        return denied(format!(
            "还有 {} 项客观分不一致，不能锁定",
            outcome.conflicts.len()
        ));
    }
    let open = unresolved_flags(&sheet, &outcome, &flow::resolutions(&tx, pool.id)?);
    if open > 0 {
        return denied(format!("还有 {open} 项评分差异未处理，不能锁定"));
    }
    let merges = crate::store::merge::open_conflicts_in_pool(&tx, pool.id)?;
    if merges > 0 {
        return denied(format!(
            "还有 {merges} 项合并冲突未裁决，不能锁定（锁定后将无法再裁决）"
        ));
    }
    // The chain head at the lock, recorded with it and printed on the score sheets: paper and
    // file can be reconciled later (`verify` checks the link still has this hash).
    let head = crate::store::ledger::head(&tx)?.map(|(seq, hash)| lock_head_text(seq, &hash));
    set_state(
        &tx,
        actor,
        &pool,
        PoolState::Locked,
        "锁定",
        head.as_deref(),
    )?;
    tx.commit()?;
    Ok(())
}

const LOCK_HEAD_PREFIX: &str = "审计链第 ";
const LOCK_HEAD_MIDDLE: &str = " 条：";

fn lock_head_text(seq: i64, hash: &str) -> String {
    format!("{LOCK_HEAD_PREFIX}{seq}{LOCK_HEAD_MIDDLE}{hash}")
}

/// The audit chain's head as a lock recorded it: the link number and its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedHead {
    pub link: i64,
    pub hash: String,
}

/// The chain head recorded at the pool's (last) lock.
pub fn lock_head_of(conn: &Connection, pool_key: &PoolKey) -> Result<Option<RecordedHead>> {
    let pool = pool_or_denied(conn, pool_key)?;
    Ok(lock_head(&flow::pool_events(conn, pool.id)?))
}

/// The chain head recorded when the pool was (last) locked.
pub fn lock_head(events: &[PoolEvent]) -> Option<RecordedHead> {
    let reason = events
        .iter()
        .rev()
        .find(|e| e.state == PoolState::Locked)?
        .reason
        .as_deref()?;
    let rest = reason.strip_prefix(LOCK_HEAD_PREFIX)?;
    let (seq, hash) = rest.split_once(LOCK_HEAD_MIDDLE)?;
    Some(RecordedHead {
        link: seq.trim().parse().ok()?,
        hash: hash.trim().to_string(),
    })
}

/// Unlocks a locked pool: the signed-in chief judge and the supervisor's PIN, with a reason.
/// The supervisor's PIN goes through the sign-in lockout policy and is audited as a sign-in.
pub fn unlock(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    supervisor: &str,
    supervisor_pin: &str,
    reason: &str,
) -> Result<()> {
    ensure_role(actor, Role::Chief)?;
    let reason = nonempty(reason, "解锁理由")?;
    let pool = pool_or_denied(conn, pool_key)?;
    ensure_assigned(conn, actor, &pool)?;
    if pool.state != PoolState::Locked {
        return denied(format!(
            "{} 当前为{}，不能解锁",
            pool.title(),
            pool.state.label()
        ));
    }
    match accounts::sign_in(conn, supervisor, supervisor_pin)? {
        SignIn::Accepted(account) if account.role == Role::Supervisor => {}
        SignIn::Accepted(_) => return denied(format!("{supervisor} 不是监督账号")),
        SignIn::WrongPin { failures } => {
            return denied(format!("监督 PIN 错误（第 {failures} 次）"));
        }
        SignIn::Wait(s) => return denied(format!("监督账号需等待 {s} 秒后再试")),
        SignIn::Locked => return denied("监督账号已锁定，请赛务解锁"),
        SignIn::UnknownAccount => return denied(format!("没有账号 {supervisor}")),
    }
    let tx = crate::store::begin(conn)?;
    let joint = format!("{reason}（监督：{supervisor}）");
    set_state(&tx, actor, &pool, PoolState::Scoring, "解锁", Some(&joint))?;
    tx.commit()?;
    Ok(())
}

/// A supervisor's step of the lifecycle: from exactly `from` to `to`, audited as `action`;
/// `needs` says what must happen first when the pool is elsewhere.
fn supervisor_step(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    (from, to): (PoolState, PoolState),
    action: &str,
    needs: &str,
) -> Result<()> {
    ensure_role(actor, Role::Supervisor)?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    if pool.state != from {
        return denied(format!(
            "{} 当前为{}，{needs}",
            pool.title(),
            pool.state.label()
        ));
    }
    set_state(&tx, actor, &pool, to, action, None)?;
    tx.commit()?;
    Ok(())
}

/// The supervisor confirms a locked pool, which decrypts it: names appear.
pub fn confirm_and_decrypt(conn: &Connection, actor: &Actor, pool_key: &PoolKey) -> Result<()> {
    let step = (PoolState::Locked, PoolState::Decrypted);
    supervisor_step(
        conn,
        actor,
        pool_key,
        step,
        "确认并解密",
        "须由裁判长锁定后才能确认解密",
    )
}

/// The supervisor publishes the results (公示); the appeal window starts.
pub fn publish(conn: &Connection, actor: &Actor, pool_key: &PoolKey) -> Result<()> {
    let step = (PoolState::Decrypted, PoolState::Published);
    supervisor_step(conn, actor, pool_key, step, "公示", "须先确认解密")
}

/// The supervisor makes the results final once the appeal deadline has passed and every appeal
/// is decided.
pub fn finalize(conn: &Connection, actor: &Actor, pool_key: &PoolKey) -> Result<()> {
    finalize_at(conn, actor, pool_key, chrono::Local::now().naive_local())
}

/// `finalize` as it would be decided at `now`.
pub fn finalize_at(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    ensure_role(actor, Role::Supervisor)?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    if pool.state != PoolState::Published {
        return denied(format!(
            "{} 当前为{}，须先公示",
            pool.title(),
            pool.state.label()
        ));
    }
    let open = flow::appeals(&tx, Some(pool.id))?
        .iter()
        .filter(|a| a.outcome.is_none())
        .count();
    if open > 0 {
        return denied(format!("还有 {open} 项申诉未处理，不能定稿"));
    }
    let events = flow::pool_events(&tx, pool.id)?;
    if let Some(deadline) = appeal_deadline(&pool.settings, &events)
        && now <= deadline
    {
        return denied(format!(
            "申诉期限截至 {}，在此之前还可受理申诉，不能定稿",
            deadline.format("%Y-%m-%d %H:%M")
        ));
    }
    set_state(&tx, actor, &pool, PoolState::Final, "定稿", None)?;
    tx.commit()?;
    Ok(())
}

// ---- appeals ----------------------------------------------------------------------------

fn parse_time(text: &str) -> Option<chrono::NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%d %H:%M:%S%.3f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
}

/// When the pool's results were (last) published, if they were.
pub fn published_at(events: &[PoolEvent]) -> Option<String> {
    events
        .iter()
        .rev()
        .find(|e| e.state == PoolState::Published)
        .map(|e| e.at.clone())
}

/// When the pool's competition ended: its end date at the end time set for it, else when the
/// chief judge (last) locked it, scoring being over.
pub fn pool_end(settings: &PoolSettings, events: &[PoolEvent]) -> Option<chrono::NaiveDateTime> {
    if let Some((hour, minute)) = settings.end_time.as_deref().and_then(clock_time) {
        let d = settings.end_date;
        let end = chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day)
            .and_then(|day| day.and_hms_opt(hour, minute, 0));
        if end.is_some() {
            return end;
        }
    }
    // Times are typed to the minute: the lock's seconds are dropped.
    events
        .iter()
        .rev()
        .find(|e| e.state == PoolState::Locked)
        .and_then(|e| parse_time(e.at.get(..16).unwrap_or(&e.at)))
}

/// The unit whose registration form names `leader` as its 领队 for the pool's event, when exactly
/// one does (an appeal recorded without naming the unit).
pub fn unit_of_leader(
    conn: &Connection,
    pool_key: &PoolKey,
    leader: &str,
) -> Result<Option<String>> {
    let leader = leader.trim();
    let mut units: Vec<String> = crate::store::units::unit_forms(conn)?
        .into_iter()
        .filter(|f| {
            f.form.event == pool_key.event
                && f.form.leader.as_deref().map(str::trim) == Some(leader)
        })
        .map(|f| f.form.unit)
        .collect();
    units.sort();
    units.dedup();
    Ok(match units.as_slice() {
        [unit] => Some(unit.clone()),
        _ => None,
    })
}

/// The last moment a written appeal is accepted: two hours after the pool's end (§7).
pub fn appeal_deadline(
    settings: &PoolSettings,
    events: &[PoolEvent],
) -> Option<chrono::NaiveDateTime> {
    appeal_window(settings, events).map(|(_, deadline)| deadline)
}

/// The pool's end and the appeal deadline two hours later.
fn appeal_window(
    settings: &PoolSettings,
    events: &[PoolEvent],
) -> Option<(chrono::NaiveDateTime, chrono::NaiveDateTime)> {
    pool_end(settings, events)
        .map(|end| (end, end + chrono::Duration::minutes(APPEAL_WINDOW_MINUTES)))
}

/// The supervisor records a team leader's written appeal, received at `received_at`
/// (`2023-11-15 16:30`), within two hours of the pool's end; recorded while the results are
/// published.
pub fn record_appeal(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    leader: &str,
    unit: &str,
    received_at: &str,
    content: &str,
) -> Result<i64> {
    ensure_role(actor, Role::Supervisor)?;
    let leader = nonempty(leader, "领队姓名")?;
    let unit = nonempty(unit, "单位")?;
    let content = nonempty(content, "申诉内容")?;
    let Some(received) = parse_time(received_at) else {
        return denied("收到时间应写作 2023-11-15 16:30");
    };
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    if pool.state != PoolState::Published {
        return denied(format!(
            "{} 当前为{}，只在公示期间受理申诉",
            pool.title(),
            pool.state.label()
        ));
    }
    let events = flow::pool_events(&tx, pool.id)?;
    if let Some((end, deadline)) = appeal_window(&pool.settings, &events) {
        if received > deadline {
            return denied(format!(
                "已超过申诉期限（比赛结束 {} 后 2 小时，截至 {}），不予受理",
                end.format("%Y-%m-%d %H:%M"),
                deadline.format("%Y-%m-%d %H:%M")
            ));
        }
        if received < end {
            return denied(format!(
                "收到时间早于比赛结束时间 {}",
                end.format("%Y-%m-%d %H:%M")
            ));
        }
    }
    let pool_units: HashSet<String> = people::contestants_in_pool(&tx, pool.id)?
        .into_iter()
        .map(|c| c.record.unit)
        .collect();
    if !pool_units.contains(unit) {
        return denied(format!("{unit} 在{}中没有选手", pool.title()));
    }
    let at = received.format("%Y-%m-%d %H:%M").to_string();
    let id = flow::add_appeal(&tx, pool.id, leader, unit, &at, content, &actor.name)?;
    let pool_name = pool.key.to_string();
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "受理申诉",
            pool: Some(&pool_name),
            subject: Some(&format!("申诉 #{id} {unit} 领队 {leader}")),
            new_value: Some(content),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(id)
}

/// What an appeal changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppealChange {
    Theory {
        contestant: i64,
        value: Hundredths,
    },
    Practical {
        contestant: i64,
        criterion: String,
        judge: i64,
        value: Hundredths,
    },
}

fn open_appeal(conn: &Connection, actor: &Actor, appeal_id: i64) -> Result<(Appeal, PoolInfo)> {
    ensure_role(actor, Role::Supervisor)?;
    let appeal = flow::appeal(conn, appeal_id)?
        .ok_or_else(|| OpsError::Denied(format!("没有申诉 #{appeal_id}")))?;
    let pool = competition::pool_by_id(conn, appeal.pool_id)?
        .ok_or_else(|| OpsError::Denied("申诉所在的赛项组别不存在".into()))?;
    if pool.state != PoolState::Published {
        return denied(format!(
            "{} 当前为{}，不能再处理申诉",
            pool.title(),
            pool.state.label()
        ));
    }
    if appeal.outcome.is_some() {
        return denied(format!("申诉 #{appeal_id} 已处理"));
    }
    Ok((appeal, pool))
}

/// Audits one score change an appeal caused and returns the line recorded with the appeal.
#[allow(clippy::too_many_arguments)]
fn log_appeal_change(
    conn: &Connection,
    actor: &Actor,
    pool_name: &str,
    contestant_id: i64,
    subject: &str,
    old: Option<Hundredths>,
    new: Hundredths,
    reason: &str,
) -> Result<String> {
    let old_text = old.map(|v| v.to_short());
    let new_text = new.to_short();
    log(
        conn,
        AuditEntry {
            actor: &actor.name,
            action: "申诉改分",
            pool: Some(pool_name),
            contestant_id: Some(contestant_id),
            subject: Some(subject),
            old_value: old_text.as_deref(),
            new_value: Some(&new_text),
            reason: Some(reason),
        },
    )?;
    Ok(format!(
        "{subject}: {} → {new_text}",
        old_text.unwrap_or_else(|| "—".into())
    ))
}

/// A score change an appeal caused; audited with the appeal as its reason. The pool re-ranks.
pub fn apply_appeal_change(
    conn: &Connection,
    actor: &Actor,
    appeal_id: i64,
    change: &AppealChange,
) -> Result<()> {
    let tx = crate::store::begin(conn)?;
    let (_, pool) = open_appeal(&tx, actor, appeal_id)?;
    let reason = format!("申诉 #{appeal_id}");
    let pool_name = pool.key.to_string();
    let line = match change {
        AppealChange::Theory { contestant, value } => {
            let c = pool_contestant(&tx, &pool, *contestant)?;
            super::scoring::check_theory_value(*value)?;
            let old = scores::theory(&tx, c.id)?;
            scores::append_theory(&tx, c.id, Some(*value), &actor.name, "appeal")?;
            let subject = format!("理论成绩 {}", c.record.name);
            log_appeal_change(&tx, actor, &pool_name, c.id, &subject, old, *value, &reason)?
        }
        AppealChange::Practical {
            contestant,
            criterion,
            judge,
            value,
        } => {
            let c = pool_contestant(&tx, &pool, *contestant)?;
            let (cid, crit) = criterion_id(&tx, &pool, criterion)?;
            super::scoring::check_practical_value(&crit, *value)?;
            if !people::pool_judges(&tx, pool.id)?
                .iter()
                .any(|(id, _)| id == judge)
            {
                return denied("该裁判不在本赛项组别");
            }
            let old = scores::current(&tx, c.id, cid, *judge)?.map(|(_, v)| v);
            let uid = new_uid();
            let now = crate::store::now_text();
            scores::append(
                &tx,
                &NewScore {
                    uid: &uid,
                    contestant_id: c.id,
                    criterion_id: cid,
                    judge_id: *judge,
                    value: Some(*value),
                    entered_at: &now,
                    entered_by: &actor.name,
                    device: &super::setup::device_label(&tx)?,
                    source: "appeal",
                },
            )?;
            let subject = format!("{} {criterion} 裁判#{judge}", c.record.name);
            log_appeal_change(&tx, actor, &pool_name, c.id, &subject, old, *value, &reason)?
        }
    };
    flow::add_appeal_change(&tx, appeal_id, &line)?;
    tx.commit()?;
    Ok(())
}

/// The supervisor records the appeal's outcome (维持原成绩, 更正成绩, …), closing it.
pub fn decide_appeal(
    conn: &Connection,
    actor: &Actor,
    appeal_id: i64,
    outcome: &str,
) -> Result<()> {
    let outcome = nonempty(outcome, "处理结果")?;
    let tx = crate::store::begin(conn)?;
    let (appeal, pool) = open_appeal(&tx, actor, appeal_id)?;
    flow::decide_appeal(&tx, appeal_id, outcome)?;
    let pool_name = pool.key.to_string();
    log(
        &tx,
        AuditEntry {
            actor: &actor.name,
            action: "申诉处理结果",
            pool: Some(&pool_name),
            subject: Some(&format!(
                "申诉 #{appeal_id} {} 领队 {}",
                appeal.unit, appeal.leader
            )),
            new_value: Some(outcome),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

// ---- the window's snapshot --------------------------------------------------------------

/// An account as the window may show it (no PIN hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub failed_attempts: u32,
    pub locked: bool,
    pub pools: Vec<i64>,
}

/// What the workflow adds to one pool's results.
#[derive(Clone, Debug, Default)]
pub struct PoolWorkflow {
    pub submissions: HashSet<(i64, i64)>,
    pub resolutions: Vec<Resolution>,
    pub events: Vec<PoolEvent>,
    pub appeals: Vec<Appeal>,
    /// Judges of the pool: `(id, name)`.
    pub judges: Vec<(i64, String)>,
}

/// Everything the window draws from, loaded at once when data changes (never per frame).
#[derive(Clone, Debug, Default)]
pub struct Desk {
    pub results: Results,
    pub accounts: Vec<AccountView>,
    pub venues: Vec<VenueInfo>,
    pub units: Vec<flow::UnitRow>,
    pub workflow: HashMap<i64, PoolWorkflow>,
}

impl Desk {
    pub fn flow(&self, pool_id: i64) -> Option<&PoolWorkflow> {
        self.workflow.get(&pool_id)
    }
}

/// Loads the window's snapshot.
pub fn load_desk(conn: &Connection) -> Result<Desk> {
    let results = results::compute(conn)?;
    let accounts = people::accounts(conn)?
        .into_iter()
        .map(|a| AccountView {
            id: a.id,
            name: a.name,
            role: a.role,
            failed_attempts: a.failed_attempts,
            locked: a.locked,
            pools: a.pools,
        })
        .collect();
    let mut workflow = HashMap::new();
    let all_appeals = flow::appeals(conn, None)?;
    for pool in &results.pools {
        let id = pool.info.id;
        workflow.insert(
            id,
            PoolWorkflow {
                submissions: flow::submissions(conn, id)?.into_iter().collect(),
                resolutions: flow::resolutions(conn, id)?,
                events: flow::pool_events(conn, id)?,
                appeals: all_appeals
                    .iter()
                    .filter(|a| a.pool_id == id)
                    .cloned()
                    .collect(),
                judges: people::pool_judges(conn, id)?,
            },
        );
    }
    Ok(Desk {
        results,
        accounts,
        venues: competition::venues(conn)?,
        units: flow::units(conn)?,
        workflow,
    })
}

/// The audit log, filtered, newest first.
pub fn audit_log(conn: &Connection, filter: &flow::AuditFilter) -> Result<Vec<audit::AuditRow>> {
    Ok(flow::audit_rows(conn, filter)?)
}

/// Everyone who appears in the audit log.
pub fn audit_actors(conn: &Connection) -> Result<Vec<String>> {
    Ok(flow::audit_actors(conn)?)
}

/// The audit screen's page: the filtered rows and everyone who can be filtered by.
#[derive(Clone, Debug)]
pub struct AuditPage {
    pub rows: Vec<audit::AuditRow>,
    /// Empty when the list could not be read (the rows still show).
    pub actors: Vec<String>,
}

/// [`audit_log`] and [`audit_actors`] for one screenful.
pub fn audit_page(conn: &Connection, filter: &flow::AuditFilter) -> Result<AuditPage> {
    Ok(AuditPage {
        rows: audit_log(conn, filter)?,
        actors: audit_actors(conn).unwrap_or_default(),
    })
}
