//! The venue workflow's tables: judges' submitted (frozen) sheets, the chief judge's flag
//! resolutions, the lifecycle history of each pool, appeals, and the queries the window's
//! screens need (filtered audit log, units, a contestant by id). Free functions over
//! `&Connection`; the caller in `ops` owns the transaction.

use super::audit::AuditRow;
use super::people::Contestant;
use super::{Result, now_text};
use crate::core::model::PoolState;
use rusqlite::{Connection, OptionalExtension, params};

// ---- submitted sheets -------------------------------------------------------------------

/// Freezes one judge's entries for one contestant. Returns false when already frozen.
pub fn submit(conn: &Connection, judge_id: i64, contestant_id: i64, pool_id: i64) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO sheet_submission (judge_id, contestant_id, pool_id, submitted_at) VALUES (?1, ?2, ?3, ?4)",
        params![judge_id, contestant_id, pool_id, now_text()],
    )?;
    Ok(n > 0)
}

/// Unfreezes one judge's entries for one contestant. Returns false when it was not frozen.
pub fn reopen(conn: &Connection, judge_id: i64, contestant_id: i64) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM sheet_submission WHERE judge_id = ?1 AND contestant_id = ?2",
        params![judge_id, contestant_id],
    )?;
    Ok(n > 0)
}

pub fn is_submitted(conn: &Connection, judge_id: i64, contestant_id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sheet_submission WHERE judge_id = ?1 AND contestant_id = ?2",
            params![judge_id, contestant_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Every `(judge, contestant)` frozen in a pool.
pub fn submissions(conn: &Connection, pool_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT judge_id, contestant_id FROM sheet_submission WHERE pool_id = ?1 ORDER BY judge_id, contestant_id",
    )?;
    let rows = stmt.query_map([pool_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- flag resolutions -------------------------------------------------------------------

/// How the chief judge resolved a spread flag or a measurement conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolutionKind {
    /// The values stand, with a note.
    Accept,
    /// One judge's value was withdrawn for re-scoring.
    Rescore,
}

impl ResolutionKind {
    fn code(self) -> &'static str {
        match self {
            ResolutionKind::Accept => "accept",
            ResolutionKind::Rescore => "rescore",
        }
    }
}

/// One stored resolution. `judge_values` is the canonical text of the values it saw
/// (`judge:hundredths,…` sorted), so an acceptance lapses when the values change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub id: i64,
    pub contestant_id: i64,
    pub criterion: String,
    pub kind: ResolutionKind,
    pub judge_values: String,
    pub note: String,
    pub decided_by: String,
    pub decided_at: String,
}

pub struct NewResolution<'a> {
    pub pool_id: i64,
    pub contestant_id: i64,
    pub criterion: &'a str,
    pub kind: ResolutionKind,
    pub judge_values: &'a str,
    pub note: &'a str,
    pub decided_by: &'a str,
}

pub fn add_resolution(conn: &Connection, r: &NewResolution<'_>) -> Result<i64> {
    conn.execute(
        "INSERT INTO flag_resolution (pool_id, contestant_id, criterion, kind, judge_values, note, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            r.pool_id,
            r.contestant_id,
            r.criterion,
            r.kind.code(),
            r.judge_values,
            r.note,
            r.decided_by,
            now_text()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn resolutions(conn: &Connection, pool_id: i64) -> Result<Vec<Resolution>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, contestant_id, criterion, kind, judge_values, note, decided_by, decided_at
         FROM flag_resolution WHERE pool_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([pool_id], |r| {
        let kind: String = r.get(3)?;
        Ok(Resolution {
            id: r.get(0)?,
            contestant_id: r.get(1)?,
            criterion: r.get(2)?,
            kind: if kind == "accept" {
                ResolutionKind::Accept
            } else {
                ResolutionKind::Rescore
            },
            judge_values: r.get(4)?,
            note: r.get(5)?,
            decided_by: r.get(6)?,
            decided_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- pool lifecycle history -------------------------------------------------------------

/// One change of a pool's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolEvent {
    pub state: PoolState,
    pub at: String,
    pub actor: String,
    pub reason: Option<String>,
}

pub fn add_pool_event(
    conn: &Connection,
    pool_id: i64,
    state: PoolState,
    actor: &str,
    reason: Option<&str>,
) -> Result<String> {
    let at = now_text();
    conn.execute(
        "INSERT INTO pool_event (pool_id, state, at, actor, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![pool_id, state.code(), at, actor, reason],
    )?;
    Ok(at)
}

pub fn pool_events(conn: &Connection, pool_id: i64) -> Result<Vec<PoolEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT state, at, actor, reason FROM pool_event WHERE pool_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([pool_id], |r| {
        let state: String = r.get(0)?;
        Ok(PoolEvent {
            state: PoolState::parse(&state)
                .ok_or_else(|| super::competition::bad_value(0, &state))?,
            at: r.get(1)?,
            actor: r.get(2)?,
            reason: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- appeals ----------------------------------------------------------------------------

/// One appeal (申诉) by a team leader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appeal {
    pub id: i64,
    pub pool_id: i64,
    pub leader: String,
    pub unit: String,
    pub received_at: String,
    pub content: String,
    pub outcome: Option<String>,
    pub changes: Option<String>,
    pub decided_at: Option<String>,
    pub recorded_by: String,
}

pub fn add_appeal(
    conn: &Connection,
    pool_id: i64,
    leader: &str,
    unit: &str,
    received_at: &str,
    content: &str,
    recorded_by: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO appeal (pool_id, leader, unit, received_at, content, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![pool_id, leader, unit, received_at, content, recorded_by],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn decide_appeal(conn: &Connection, id: i64, outcome: &str) -> Result<()> {
    conn.execute(
        "UPDATE appeal SET outcome = ?1, decided_at = ?2 WHERE id = ?3",
        params![outcome, now_text(), id],
    )?;
    Ok(())
}

/// Appends one line to the appeal's list of score changes.
pub fn add_appeal_change(conn: &Connection, id: i64, line: &str) -> Result<()> {
    conn.execute(
        "UPDATE appeal SET changes = CASE WHEN changes IS NULL OR changes = '' THEN ?1 ELSE changes || '\n' || ?1 END WHERE id = ?2",
        params![line, id],
    )?;
    Ok(())
}

pub fn appeals(conn: &Connection, pool_id: Option<i64>) -> Result<Vec<Appeal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, pool_id, leader, unit, received_at, content, outcome, changes, decided_at, recorded_by
         FROM appeal WHERE ?1 IS NULL OR pool_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([pool_id], |r| {
        Ok(Appeal {
            id: r.get(0)?,
            pool_id: r.get(1)?,
            leader: r.get(2)?,
            unit: r.get(3)?,
            received_at: r.get(4)?,
            content: r.get(5)?,
            outcome: r.get(6)?,
            changes: r.get(7)?,
            decided_at: r.get(8)?,
            recorded_by: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn appeal(conn: &Connection, id: i64) -> Result<Option<Appeal>> {
    Ok(appeals(conn, None)?.into_iter().find(|a| a.id == id))
}

// ---- queries for the window -------------------------------------------------------------

/// Which audit rows to show; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub pool: Option<String>,
    pub actor: Option<String>,
    pub contestant_id: Option<i64>,
    pub limit: u32,
}

/// Audit rows matching the filter, newest first.
pub fn audit_rows(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, pool, contestant_id, subject, old_value, new_value, reason FROM audit
         WHERE (?1 IS NULL OR pool = ?1) AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR contestant_id = ?3)
         ORDER BY id DESC LIMIT ?4",
    )?;
    let limit = if filter.limit == 0 {
        5000
    } else {
        filter.limit
    };
    let rows = stmt.query_map(
        params![filter.pool, filter.actor, filter.contestant_id, limit],
        super::audit::row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everyone who appears as an actor in the audit log.
pub fn audit_actors(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT actor FROM audit ORDER BY actor")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A unit with the number of its contestants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub contestants: u32,
}

pub fn units(conn: &Connection) -> Result<Vec<UnitRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.name, (SELECT count(*) FROM contestant c WHERE c.unit_id = u.id) FROM unit u ORDER BY u.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(UnitRow {
            id: r.get(0)?,
            name: r.get(1)?,
            contestants: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn unit_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM unit WHERE name = ?1", [name], |r| r.get(0))
        .optional()?)
}

pub fn rename_unit(conn: &Connection, unit_id: i64, name: &str) -> Result<()> {
    conn.execute(
        "UPDATE unit SET name = ?1 WHERE id = ?2",
        params![name, unit_id],
    )?;
    Ok(())
}

pub fn contestant(conn: &Connection, id: i64) -> Result<Option<Contestant>> {
    Ok(super::people::contestants(conn)?
        .into_iter()
        .find(|c| c.id == id))
}

/// Changes the name, unit, coach and department of a contestant (registration facts that
/// check-in may correct). The ID number is never edited here.
pub fn update_contestant_basics(
    conn: &Connection,
    id: i64,
    name: &str,
    unit_id: i64,
    coach: Option<&str>,
    department: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE contestant SET name = ?1, unit_id = ?2, coach = ?3, department = ?4 WHERE id = ?5",
        params![name, unit_id, coach, department, id],
    )?;
    Ok(())
}

pub fn account_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM account", [], |r| r.get(0))?)
}

/// The current values of one cell, every judge: `(judge, value)` by judge.
pub fn cell_values(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
) -> Result<Vec<(i64, crate::core::score::Hundredths)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT judge_id, value FROM current_score WHERE contestant_id = ?1 AND criterion_id = ?2 ORDER BY judge_id",
    )?;
    let rows = stmt.query_map(params![contestant_id, criterion_id], |r| {
        Ok((r.get(0)?, crate::core::score::Hundredths(r.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
