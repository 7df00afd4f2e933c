//! The coordinator's desk work in the window: the first account, judges' pools, contestants'
//! registration facts, units, the logged reveal of an ID number, and a pool's settings before
//! scoring starts. Each public function is one audited action. Must not import egui.

use super::scoring::pool_or_denied;
use super::{Actor, OpsError, Result, accounts};
use crate::core::model::{PoolKey, PoolSettings, PoolState, Role};
use crate::store::audit::{self, AuditEntry};
use crate::store::competition;
use crate::store::people;
use crate::store::workflow as flow;
use rusqlite::Connection;

fn ensure_coordinator(actor: &Actor) -> Result<()> {
    if actor.role != Role::Coordinator {
        return Err(OpsError::Denied("只有赛务可以执行此操作".into()));
    }
    Ok(())
}

/// True when no account exists yet: the window walks through creating the coordinator.
pub fn needs_first_account(conn: &Connection) -> Result<bool> {
    Ok(flow::account_count(conn)? == 0)
}

/// First start: creates the coordinator account, then signs in with it.
pub fn create_first_coordinator_and_sign_in(
    conn: &Connection,
    name: &str,
    pin: &str,
) -> Result<accounts::SignIn> {
    create_first_coordinator(conn, name, pin)?;
    accounts::sign_in(conn, name, pin)
}

/// Creates the first coordinator account on a fresh database; refused once any account exists.
pub fn create_first_coordinator(conn: &Connection, name: &str, pin: &str) -> Result<i64> {
    if !needs_first_account(conn)? {
        return Err(OpsError::Denied("已有账号，请由赛务登录后添加".into()));
    }
    let system = Actor {
        name: "首次启动".into(),
        role: Role::Coordinator,
        account_id: None,
    };
    accounts::add_user(conn, &system, name, Role::Coordinator, pin, &[])
}

/// Assigns a judge or chief judge to pools. A judge keeps every pool they already scored in.
pub fn set_account_pools(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    pools: &[PoolKey],
) -> Result<()> {
    ensure_coordinator(actor)?;
    let tx = crate::store::begin(conn)?;
    let account = people::account_by_name(&tx, name)?
        .ok_or_else(|| OpsError::Denied(format!("没有账号 {name}")))?;
    if !matches!(account.role, Role::Judge | Role::Chief) {
        return Err(OpsError::Denied("只有裁判和裁判长分配赛项组别".into()));
    }
    let mut ids = Vec::new();
    for key in pools {
        ids.push(pool_or_denied(&tx, key)?.id);
    }
    for old in &account.pools {
        if ids.contains(old) {
            continue;
        }
        let pool = competition::pool_by_id(&tx, *old)?;
        if let Some(pool) = pool {
            let scored = crate::store::scores::current_scores(&tx, Some(pool.id))?
                .iter()
                .any(|s| s.judge == account.name);
            if scored || pool.state >= PoolState::Locked {
                return Err(OpsError::Denied(format!(
                    "{name} 已在{}评分，不能取消分配",
                    pool.title()
                )));
            }
        }
    }
    people::set_account_pools(&tx, account.id, &ids)?;
    let text = pools
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",");
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "分配赛项组别",
            subject: Some(name),
            new_value: Some(&text),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// Shows one contestant's full ID number to the coordinator; the reveal is audited
/// (the number itself never goes into the log).
pub fn reveal_id_number(conn: &Connection, actor: &Actor, contestant_id: i64) -> Result<String> {
    ensure_coordinator(actor)?;
    let tx = crate::store::begin(conn)?;
    let contestant = flow::contestant(&tx, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".into()))?;
    let pool = competition::pool_by_id(&tx, contestant.record.pool_id)?.map(|p| p.key.to_string());
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "查看身份证号",
            pool: pool.as_deref(),
            contestant_id: Some(contestant.id),
            subject: Some(&contestant.record.name),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(contestant.record.id_number)
}

/// Registration facts the coordinator may correct at the desk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContestantEdit {
    pub name: String,
    pub unit: String,
    pub coach: String,
    pub department: String,
}

/// Corrects a contestant's name, unit, coach or department; each change is audited.
pub fn edit_contestant(
    conn: &Connection,
    actor: &Actor,
    contestant_id: i64,
    edit: &ContestantEdit,
) -> Result<()> {
    ensure_coordinator(actor)?;
    let name = edit.name.trim();
    let unit = edit.unit.trim();
    if name.is_empty() || unit.is_empty() {
        return Err(OpsError::Denied("姓名和单位不能为空".into()));
    }
    let tx = crate::store::begin(conn)?;
    let c = flow::contestant(&tx, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".into()))?;
    let pool = competition::pool_by_id(&tx, c.record.pool_id)?
        .ok_or_else(|| OpsError::Denied("选手所在的赛项组别不存在".into()))?;
    if pool.state >= PoolState::Locked {
        return Err(OpsError::Denied(format!(
            "{} 已{}，不能修改选手信息",
            pool.title(),
            pool.state.label()
        )));
    }
    let unit_id = people::unit_id(&tx, unit)?;
    let optional = |t: &str| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let coach = optional(&edit.coach);
    let department = optional(&edit.department);
    flow::update_contestant_basics(
        &tx,
        c.id,
        name,
        unit_id,
        coach.as_deref(),
        department.as_deref(),
    )?;
    let pool_name = pool.key.to_string();
    let changes = [
        ("姓名", Some(c.record.name.clone()), Some(name.to_string())),
        ("单位", Some(c.record.unit.clone()), Some(unit.to_string())),
        ("指导老师", c.record.coach.clone(), coach),
        ("院系", c.record.department.clone(), department),
    ];
    for (field, old, new) in changes {
        if old == new {
            continue;
        }
        let subject = format!("{} {field}", c.record.name);
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "修改选手信息",
                pool: Some(&pool_name),
                contestant_id: Some(c.id),
                subject: Some(&subject),
                old_value: old.as_deref(),
                new_value: new.as_deref(),
                reason: None,
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Renames a unit (all its contestants follow).
pub fn rename_unit(conn: &Connection, actor: &Actor, unit_id: i64, new_name: &str) -> Result<()> {
    ensure_coordinator(actor)?;
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(OpsError::Denied("单位名称不能为空".into()));
    }
    let tx = crate::store::begin(conn)?;
    let old = flow::units(&tx)?
        .into_iter()
        .find(|u| u.id == unit_id)
        .ok_or_else(|| OpsError::Denied("没有该单位".into()))?;
    if old.name == new_name {
        return Ok(());
    }
    if flow::unit_by_name(&tx, new_name)?.is_some() {
        return Err(OpsError::Denied(format!("已有单位 {new_name}")));
    }
    flow::rename_unit(&tx, unit_id, new_name)?;
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "修改单位名称",
            subject: Some(&old.name),
            old_value: Some(&old.name),
            new_value: Some(new_name),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

fn settings_summary(venue: Option<&str>, s: &PoolSettings) -> String {
    let breakers = s
        .tie_breakers
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(">");
    format!(
        "地点 {}；结束日期 {}{}；理论 {}% 操作 {}%；并列区分 {breakers}",
        venue.unwrap_or("—"),
        s.end_date,
        s.end_time
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default(),
        s.theory_weight,
        s.practical_weight()
    )
}

/// May a pool's venue, settings and scheme still change? Only before scoring starts.
pub fn setup_open(state: PoolState, scored: bool) -> bool {
    state < PoolState::Scoring && !scored
}

/// Changes a pool's venue and settings; only before scoring starts.
pub fn update_pool_settings(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    venue_id: Option<i64>,
    settings: &PoolSettings,
) -> Result<()> {
    ensure_coordinator(actor)?;
    if settings.theory_weight > 100 {
        return Err(OpsError::Denied("理论权重须在 0 到 100 之间".into()));
    }
    let end_time = settings.end_time.as_deref();
    if end_time.is_some_and(|t| crate::core::date::clock_time(t).is_none()) {
        return Err(OpsError::Denied(
            "比赛结束时间应写作 16:30（24 小时制）".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if !settings.tie_breakers.iter().all(|t| seen.insert(*t)) {
        return Err(OpsError::Denied("并列区分项不能重复".into()));
    }
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    if !setup_open(
        pool.state,
        competition::score_entry_count(&tx, pool.id)? > 0,
    ) {
        return Err(OpsError::Denied(format!(
            "{} 已开始评分，设置不能再修改",
            pool.title()
        )));
    }
    let venues = competition::venues(&tx)?;
    let new_venue = match venue_id {
        Some(id) => Some(
            venues
                .iter()
                .find(|v| v.id == id)
                .ok_or_else(|| OpsError::Denied("没有该决赛地点".into()))?
                .name
                .clone(),
        ),
        None => None,
    };
    let old = settings_summary(pool.venue.as_ref().map(|v| v.name.as_str()), &pool.settings);
    let new = settings_summary(new_venue.as_deref(), settings);
    competition::set_pool_venue(&tx, pool.id, venue_id)?;
    competition::set_pool_settings(&tx, pool.id, settings)?;
    if old != new {
        let pool_name = pool.key.to_string();
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "修改赛项设置",
                pool: Some(&pool_name),
                old_value: Some(&old),
                new_value: Some(&new),
                ..Default::default()
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// This laptop's signing key is new to a database that already holds sealed records: none of
/// them is signed by it and it is not registered. The window says so at sign-in, before anything
/// is signed with a key `verify` would not recognise.
pub fn laptop_key_is_new(conn: &Connection) -> Result<bool> {
    if !crate::store::ledger::has_ledger(conn)? {
        return Ok(false);
    }
    let key = crate::store::ledger::own_public_key(conn)?;
    let (sealed, known) = crate::store::ledger::knows_signer(conn, &key)?;
    Ok(sealed && !known)
}
