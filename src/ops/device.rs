//! This laptop as a signer (its public key, fingerprint and name) and the other laptops a database trusts.

use super::{Actor, OpsError, Result};
use crate::core::chain;
use crate::core::model::Role;
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
/// its records verify. The chief judge or a coordinator.
pub fn trust(conn: &Connection, actor: &Actor, public_key: &str, name: &str) -> Result<Trusted> {
    if !matches!(actor.role, Role::Chief | Role::Coordinator) {
        return Err(OpsError::Denied(
            "只有裁判长或赛务人员可以登记评分机".into(),
        ));
    }
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
    let tx = conn.unchecked_transaction()?;
    let previous = ledger::device_name(&tx, &key)?;
    let outcome = match previous.as_deref() {
        Some(existing) if existing == name => return Ok(Trusted::Unchanged),
        Some(_) => Trusted::Renamed,
        None => Trusted::Added,
    };
    ledger::add_trusted_device(&tx, &key, name, &actor.name)?;
    let fingerprint = chain::fingerprint(&key);
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
    tx.commit()?;
    Ok(outcome)
}

/// The laptops this database trusts, by current name: (name, public key, fingerprint).
pub fn trusted(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut latest: Vec<(String, String, String)> = Vec::new();
    for device in ledger::trusted_devices(conn)? {
        latest.retain(|(_, key, _)| *key != device.public_key);
        let fingerprint = chain::fingerprint(&device.public_key);
        latest.push((device.name, device.public_key, fingerprint));
    }
    Ok(latest)
}
