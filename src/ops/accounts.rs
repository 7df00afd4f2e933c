//! Accounts: creating them with an argon2id PIN hash, signing in with the lockout policy.

use super::{Actor, OpsError, Result};
use crate::core::model::{PoolKey, Role};
use crate::core::signin::{self, Gate};
use crate::store::audit::{self, AuditEntry};
use crate::store::people::{self, Account};
use crate::store::{competition, now_text};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::Connection;

/// argon2id with the crate's recommended parameters.
pub fn hash_pin(pin: &str) -> Result<String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| OpsError::Denied(format!("无法保存 PIN: {e}")))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| OpsError::Denied(format!("无法保存 PIN: {e}")))
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Creates an account; judges and chief judges are assigned to pools.
pub fn add_user(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    role: Role,
    pin: &str,
    pools: &[PoolKey],
) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpsError::Denied("姓名不能为空".into()));
    }
    if !signin::valid_pin(pin) {
        return Err(OpsError::Denied("PIN 须为 4 到 12 位数字".into()));
    }
    if !pools.is_empty() && !matches!(role, Role::Judge | Role::Chief) {
        return Err(OpsError::Denied("只有裁判和裁判长分配赛项组别".into()));
    }
    let hash = hash_pin(pin)?;
    let tx = crate::store::begin(conn)?;
    if people::account_by_name(&tx, name)?.is_some() {
        return Err(OpsError::Denied(format!("账号 {name} 已存在")));
    }
    let mut pool_ids = Vec::new();
    for key in pools {
        let pool = competition::pool(&tx, key)?
            .ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {key}")))?;
        pool_ids.push(pool.id);
    }
    let id = people::add_account(&tx, name, role, &hash, &pool_ids)?;
    let pools_text = pools
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",");
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "新建账号",
            subject: Some(name),
            new_value: Some(&format!("{} {}", role.label(), pools_text)),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(id)
}

/// The outcome of one sign-in attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    Accepted(Account),
    WrongPin { failures: u32 },
    Wait(i64),
    Locked,
    UnknownAccount,
}

fn seconds_since(text: Option<&str>) -> i64 {
    let Some(text) = text else { return i64::MAX };
    match chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.3f") {
        Ok(then) => (chrono::Local::now().naive_local() - then).num_seconds(),
        Err(_) => i64::MAX,
    }
}

/// Checks a PIN with the lockout policy; every attempt is audited (never the PIN itself).
pub fn sign_in(conn: &Connection, name: &str, pin: &str) -> Result<SignIn> {
    let tx = crate::store::begin(conn)?;
    let Some(account) = people::account_by_name(&tx, name)? else {
        return Ok(SignIn::UnknownAccount);
    };
    let outcome = match signin::gate(
        account.failed_attempts,
        account.locked,
        seconds_since(account.last_failure.as_deref()),
    ) {
        Gate::Locked => SignIn::Locked,
        Gate::Wait(seconds) => SignIn::Wait(seconds),
        Gate::Open if pin_matches(pin, &account.pin_hash) => {
            people::record_sign_in_result(&tx, account.id, 0, false, None)?;
            SignIn::Accepted(Account {
                failed_attempts: 0,
                ..account.clone()
            })
        }
        Gate::Open => {
            let failures = account.failed_attempts + 1;
            let locked = failures >= signin::LOCK_AFTER;
            people::record_sign_in_result(&tx, account.id, failures, locked, Some(&now_text()))?;
            if locked {
                SignIn::Locked
            } else {
                SignIn::WrongPin { failures }
            }
        }
    };
    let result = match &outcome {
        SignIn::Accepted(_) => "成功".to_string(),
        SignIn::WrongPin { failures } => format!("PIN 错误（第 {failures} 次）"),
        SignIn::Wait(s) => format!("等待中（{s} 秒）"),
        SignIn::Locked => "账号已锁定".to_string(),
        SignIn::UnknownAccount => "无此账号".to_string(),
    };
    audit::log(
        &tx,
        &AuditEntry {
            actor: &account.name,
            action: "登录",
            subject: Some(&account.name),
            new_value: Some(&result),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(outcome)
}

/// A coordinator unlocks an account (and may set a new PIN).
pub fn reset_account(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    new_pin: Option<&str>,
) -> Result<()> {
    if actor.role != Role::Coordinator {
        return Err(OpsError::Denied("只有赛务可以解锁账号".into()));
    }
    let tx = crate::store::begin(conn)?;
    let account = people::account_by_name(&tx, name)?
        .ok_or_else(|| OpsError::Denied(format!("没有账号 {name}")))?;
    people::record_sign_in_result(&tx, account.id, 0, false, None)?;
    if let Some(pin) = new_pin {
        if !signin::valid_pin(pin) {
            return Err(OpsError::Denied("PIN 须为 4 到 12 位数字".into()));
        }
        people::set_pin_hash(&tx, account.id, &hash_pin(pin)?)?;
    }
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "解锁账号",
            subject: Some(name),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}
