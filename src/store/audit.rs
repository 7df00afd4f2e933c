//! The audit log: who changed what, when, from what to what, and why. Append-only.

use super::{Result, now_text};
use rusqlite::{Connection, params};

/// One change to log. Never put ID numbers, phone numbers or PINs in `old_value`/`new_value`.
#[derive(Clone, Debug, Default)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub pool: Option<&'a str>,
    pub contestant_id: Option<i64>,
    pub subject: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub reason: Option<&'a str>,
}

pub fn log(conn: &Connection, entry: &AuditEntry<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, action, pool, contestant_id, subject, old_value, new_value, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        now_text(),
        entry.actor,
        entry.action,
        entry.pool,
        entry.contestant_id,
        entry.subject,
        entry.old_value,
        entry.new_value,
        entry.reason
    ])?;
    Ok(())
}

/// A stored audit row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub pool: Option<String>,
    pub contestant_id: Option<i64>,
    pub subject: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
}

/// The columns `row` reads, in its order.
pub(crate) const COLUMNS: &str =
    "id, at, actor, action, pool, contestant_id, subject, old_value, new_value, reason";

/// Reads one audit row selected with `COLUMNS`.
pub(crate) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        pool: r.get(4)?,
        contestant_id: r.get(5)?,
        subject: r.get(6)?,
        old_value: r.get(7)?,
        new_value: r.get(8)?,
        reason: r.get(9)?,
    })
}

/// The newest `limit` rows, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
