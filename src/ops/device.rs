//! This laptop as a signer (its public key, fingerprint and name) and the other laptops a database trusts.

use super::{Actor, OpsError, Result};
use crate::core::chain;
use crate::core::model::{PoolKey, Role};
use crate::store::{audit, competition, ledger};
use rusqlite::Connection;

/// This laptop as others see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThisDevice {
    pub public_key: String,
    pub fingerprint: String,
    pub name: String,
}

/// This laptop's key (created on first use), fingerprint and name: the `device_label` setting,
/// else the name another laptop registered it under in this database, else `本机`.
pub fn this_device(conn: &Connection) -> Result<ThisDevice> {
    let public_key = ledger::own_public_key(conn)?;
    let name = match competition::setting(conn, "device_label")? {
        Some(name) if !name.trim().is_empty() => name,
        _ => ledger::device_name(conn, &public_key)?.unwrap_or_else(|| "本机".to_string()),
    };
    Ok(ThisDevice {
        fingerprint: chain::fingerprint(&public_key),
        public_key,
        name,
    })
}

/// What new score entries record as their device: name and key fingerprint.
pub fn label(conn: &Connection) -> Result<String> {
    let device = this_device(conn)?;
    Ok(format!("{} {}", device.name, device.fingerprint))
}

/// What `trust` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trusted {
    Added,
    Renamed,
    Unchanged,
}

/// Registers another laptop's public key under a name, so that its bundles are accepted and
/// its records verify. The chief judge or a coordinator. A chief judge's registration binds the
/// laptop to the chief judge's own pools; a coordinator's keeps the pools already recorded
/// (see [`trust_for_pools`]).
pub fn trust(conn: &Connection, actor: &Actor, public_key: &str, name: &str) -> Result<Trusted> {
    trust_for_pools(conn, actor, public_key, name, None)
}

/// [`trust`], stating the pools the laptop serves: its bundles may carry only entries of those
/// pools, by judges assigned to them. `None`: a chief judge's own pools, else unchanged.
pub fn trust_for_pools(
    conn: &Connection,
    actor: &Actor,
    public_key: &str,
    name: &str,
    pools: Option<&[PoolKey]>,
) -> Result<Trusted> {
    if !matches!(actor.role, Role::Chief | Role::Coordinator) {
        return Err(OpsError::Denied(
            "只有裁判长或赛务人员可以登记评分机".into(),
        ));
    }
    super::master::ensure_master(conn)?;
    let key = chain::normalise_public_key(public_key).ok_or_else(|| {
        OpsError::Denied(
            "公钥格式不对：应为 64 位十六进制数字（在那台评分机上运行 judgedesk device show 查看）"
                .into(),
        )
    })?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(OpsError::Denied(
            "评分机名称不能为空，且不超过 40 个字".into(),
        ));
    }
    let tx = crate::store::begin(conn)?;
    if let Some(revoked) = ledger::revocation(&tx, &key)? {
        return Err(OpsError::Denied(format!(
            "该评分机的密钥已于 {} 撤销（{}），不能再登记；如需继续使用该机，请在其上生成新密钥后重新登记",
            revoked.revoked_at, revoked.reason
        )));
    }
    let wanted = match pools {
        Some(keys) => Some(pool_names(&tx, keys)?),
        None if actor.role == Role::Chief => {
            let account = crate::store::people::account_by_name(&tx, &actor.name)?;
            let mut own = Vec::new();
            for pool_id in account.map(|a| a.pools).unwrap_or_default() {
                if let Some(pool) = competition::pool_by_id(&tx, pool_id)? {
                    own.push(pool.key.to_string());
                }
            }
            own.sort();
            Some(own)
        }
        None => None,
    };
    let previous = ledger::device_name(&tx, &key)?;
    let previous_pools = ledger::device_pools(&tx, &key)?;
    let pools_change = wanted.filter(|w| previous_pools.as_ref() != Some(w));
    let outcome = match previous.as_deref() {
        Some(existing) if existing == name => Trusted::Unchanged,
        Some(_) => Trusted::Renamed,
        None => Trusted::Added,
    };
    if outcome == Trusted::Unchanged && pools_change.is_none() {
        return Ok(Trusted::Unchanged);
    }
    let fingerprint = chain::fingerprint(&key);
    if outcome != Trusted::Unchanged {
        ledger::add_trusted_device(&tx, &key, name, &actor.name)?;
        audit::log(
            &tx,
            &audit::AuditEntry {
                actor: &actor.name,
                action: "登记评分机",
                subject: Some(name),
                old_value: previous.as_deref(),
                new_value: Some(&fingerprint),
                ..Default::default()
            },
        )?;
    }
    if let Some(pools) = pools_change {
        ledger::set_device_pools(&tx, &key, &pools, &actor.name)?;
        let old = previous_pools.map(|p| p.join(","));
        audit::log(
            &tx,
            &audit::AuditEntry {
                actor: &actor.name,
                action: "登记评分机赛项组别",
                subject: Some(name),
                old_value: old.as_deref(),
                new_value: Some(&pools.join(",")),
                ..Default::default()
            },
        )?;
    }
    tx.commit()?;
    Ok(outcome)
}

/// Pool keys checked against this database, sorted, without repeats.
fn pool_names(conn: &Connection, keys: &[PoolKey]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for key in keys {
        let pool = competition::pool(conn, key)?
            .ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {key}")))?;
        names.push(pool.key.to_string());
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// Withdraws trust in a registered laptop, for good: its later bundles are refused (what was
/// already merged stays, with the bundle it came from). The chief judge or a coordinator, with
/// a reason; sealed and audited.
pub fn revoke(conn: &Connection, actor: &Actor, name: &str, reason: &str) -> Result<String> {
    if !matches!(actor.role, Role::Chief | Role::Coordinator) {
        return Err(OpsError::Denied(
            "只有裁判长或赛务人员可以撤销评分机".into(),
        ));
    }
    super::master::ensure_master(conn)?;
    let (name, reason) = (name.trim(), reason.trim());
    if reason.is_empty() {
        return Err(OpsError::Denied("撤销评分机须写明理由".into()));
    }
    let tx = crate::store::begin(conn)?;
    let Some(TrustedDevice {
        public_key: key,
        fingerprint,
        ..
    }) = trusted(&tx)?.into_iter().find(|d| d.name == name)
    else {
        return Err(OpsError::Denied(format!("没有登记名为“{name}”的评分机")));
    };
    if let Some(revoked) = ledger::revocation(&tx, &key)? {
        return Err(OpsError::Denied(format!(
            "评分机 {name} 已于 {} 撤销",
            revoked.revoked_at
        )));
    }
    ledger::revoke_device(&tx, &key, reason, &actor.name)?;
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: &actor.name,
            action: "撤销评分机",
            subject: Some(name),
            old_value: Some(&fingerprint),
            reason: Some(reason),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(fingerprint)
}

/// A registered laptop with what it may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
    /// The pools it serves (empty: none recorded, its bundles are refused).
    pub pools: Vec<String>,
    pub revoked: Option<ledger::Revocation>,
}

/// Every registered laptop by current name, with its pools and revocation.
pub fn registered(conn: &Connection) -> Result<Vec<Registered>> {
    let mut out = Vec::new();
    for TrustedDevice {
        name,
        public_key,
        fingerprint,
    } in trusted(conn)?
    {
        out.push(Registered {
            pools: ledger::device_pools(conn, &public_key)?.unwrap_or_default(),
            revoked: ledger::revocation(conn, &public_key)?,
            name,
            public_key,
            fingerprint,
        });
    }
    Ok(out)
}

/// A laptop this database trusts, under its current name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedDevice {
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
}

/// The laptops this database trusts, by current name.
pub fn trusted(conn: &Connection) -> Result<Vec<TrustedDevice>> {
    let mut latest: Vec<TrustedDevice> = Vec::new();
    for device in ledger::trusted_devices(conn)? {
        latest.retain(|d| d.public_key != device.public_key);
        latest.push(TrustedDevice {
            fingerprint: chain::fingerprint(&device.public_key),
            name: device.name,
            public_key: device.public_key,
        });
    }
    Ok(latest)
}
