//! Practical score entries (append-only, current values derived) and theory scores, and the
//! read path that turns a pool's rows into the rules' `PoolSheet`.

use super::competition::{self, PoolInfo};
use super::{Result, people};
use crate::core::evaluate::{ContestantInput, PoolSheet};
use crate::core::score::Hundredths;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// A practical score entry to append.
#[derive(Clone, Debug)]
pub struct NewScore<'a> {
    pub uid: &'a str,
    pub contestant_id: i64,
    pub criterion_id: i64,
    pub judge_id: i64,
    /// `None` withdraws the judge's value (a re-score request).
    pub value: Option<Hundredths>,
    pub entered_at: &'a str,
    pub entered_by: &'a str,
    pub device: &'a str,
    pub source: &'a str,
}

/// The judge's current value for one cell, with the entry that holds it.
pub fn current(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
    judge_id: i64,
) -> Result<Option<(String, Hundredths)>> {
    Ok(conn
        .query_row(
            "SELECT e.uid, c.value FROM current_score c JOIN score_entry e ON e.id = c.entry_id
             WHERE c.contestant_id = ?1 AND c.criterion_id = ?2 AND c.judge_id = ?3",
            params![contestant_id, criterion_id, judge_id],
            |r| Ok((r.get::<_, String>(0)?, Hundredths(r.get(1)?))),
        )
        .optional()?)
}

/// Every judge's current value for one cell: `(judge id, value)`, by judge.
pub fn cell_values(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
) -> Result<Vec<(i64, Hundredths)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT judge_id, value FROM current_score
         WHERE contestant_id = ?1 AND criterion_id = ?2 ORDER BY judge_id",
    )?;
    let rows = stmt.query_map(params![contestant_id, criterion_id], |r| {
        Ok((r.get::<_, i64>(0)?, Hundredths(r.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The newest entry uid of a cell, withdrawn or not (what a new entry supersedes).
pub fn latest_uid(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
    judge_id: i64,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT uid FROM score_entry WHERE contestant_id = ?1 AND criterion_id = ?2 AND judge_id = ?3 ORDER BY id DESC LIMIT 1",
            params![contestant_id, criterion_id, judge_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Appends one entry, superseding the cell's newest entry; returns the new row id.
pub fn append(conn: &Connection, score: &NewScore<'_>) -> Result<i64> {
    let supersedes = latest_uid(
        conn,
        score.contestant_id,
        score.criterion_id,
        score.judge_id,
    )?;
    conn.prepare_cached(
        "INSERT INTO score_entry (uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        score.uid,
        score.contestant_id,
        score.criterion_id,
        score.judge_id,
        score.value.map(|v| v.0),
        score.entered_at,
        score.entered_by,
        score.device,
        score.source,
        supersedes,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn entry_exists(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM score_entry WHERE uid = ?1",
        [uid],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// The current theory score of a contestant.
pub fn theory(conn: &Connection, contestant_id: i64) -> Result<Option<Hundredths>> {
    Ok(conn
        .query_row(
            "SELECT value FROM theory_entry WHERE contestant_id = ?1 ORDER BY id DESC LIMIT 1",
            [contestant_id],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten()
        .map(Hundredths))
}

pub fn append_theory(
    conn: &Connection,
    contestant_id: i64,
    value: Option<Hundredths>,
    entered_by: &str,
    source: &str,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO theory_entry (contestant_id, value, entered_at, entered_by, source) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![contestant_id, value.map(|v| v.0), super::now_text(), entered_by, source])?;
    Ok(())
}

/// One current practical score, as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentScore {
    pub pool_id: i64,
    pub contestant_id: i64,
    pub id_number: String,
    pub workstation: Option<u32>,
    pub judge: String,
    pub criterion: String,
    pub value: Hundredths,
}

/// Every current practical score, optionally of one pool, in a stable order.
pub fn current_scores(conn: &Connection, pool_id: Option<i64>) -> Result<Vec<CurrentScore>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.pool_id, t.id, t.id_number, t.workstation, a.name, k.code, s.value
         FROM current_score s
         JOIN criterion k ON k.id = s.criterion_id
         JOIN contestant t ON t.id = s.contestant_id
         JOIN account a ON a.id = s.judge_id
         JOIN pool p ON p.id = k.pool_id
         WHERE ?1 IS NULL OR k.pool_id = ?1
         ORDER BY p.position, t.id_number, k.position, a.name",
    )?;
    let rows = stmt.query_map([pool_id], |r| {
        Ok(CurrentScore {
            pool_id: r.get(0)?,
            contestant_id: r.get(1)?,
            id_number: r.get(2)?,
            workstation: r.get(3)?,
            judge: r.get(4)?,
            criterion: r.get(5)?,
            value: Hundredths(r.get(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Loads every pool as the rules need it, in the built-in order.
pub fn load_sheets(conn: &Connection) -> Result<Vec<(PoolInfo, PoolSheet)>> {
    let pools = competition::pools(conn)?;
    let mut sheets: Vec<(PoolInfo, PoolSheet)> = Vec::with_capacity(pools.len());
    let mut pool_index: HashMap<i64, usize> = HashMap::new();
    let mut criterion_slot: HashMap<i64, (usize, usize)> = HashMap::new();
    for pool in pools {
        let criteria = competition::criteria(conn, pool.id)?;
        for (k, (id, _)) in criteria.iter().enumerate() {
            criterion_slot.insert(*id, (sheets.len(), k));
        }
        let judges = people::pool_judges(conn, pool.id)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        pool_index.insert(pool.id, sheets.len());
        let sheet = PoolSheet::new(
            pool.key.group,
            criteria.into_iter().map(|(_, c)| c).collect(),
            judges,
            pool.settings.clone(),
            Vec::new(),
        );
        sheets.push((pool, sheet));
    }

    // Contestants with their current theory score.
    let mut contestant_slot: HashMap<i64, (usize, usize)> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.pool_id, c.id_number, c.status, c.level, c.level_date, c.title,
                    (SELECT value FROM theory_entry t WHERE t.contestant_id = c.id ORDER BY t.id DESC LIMIT 1)
             FROM contestant c ORDER BY c.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let pool_id: i64 = r.get(1)?;
            let Some(&p) = pool_index.get(&pool_id) else {
                continue;
            };
            let status: String = r.get(3)?;
            let level: Option<String> = r.get(4)?;
            let level_date: Option<String> = r.get(5)?;
            let title: Option<String> = r.get(6)?;
            let input = ContestantInput {
                key: r.get(0)?,
                sort_key: r.get(2)?,
                status: crate::core::model::Status::parse(&status)
                    .ok_or_else(|| competition::bad_value(3, &status))?,
                theory: r.get::<_, Option<i64>>(7)?.map(Hundredths),
                held_level: level
                    .as_deref()
                    .and_then(crate::core::model::SkillLevel::parse),
                held_level_date: level_date
                    .as_deref()
                    .and_then(crate::core::date::Date::parse),
                held_title: title
                    .as_deref()
                    .and_then(|t| crate::core::model::Title::parse(t).ok().flatten())
                    .map(|t| t.level),
            };
            let sheet = &mut sheets[p].1;
            contestant_slot.insert(input.key, (p, sheet.contestants.len()));
            sheet.contestants.push(input);
        }
    }
    for (_, sheet) in &mut sheets {
        sheet.cells = vec![Vec::new(); sheet.contestants.len() * sheet.criteria.len()];
    }

    let mut stmt = conn
        .prepare_cached("SELECT contestant_id, criterion_id, judge_id, value FROM current_score")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let contestant: i64 = r.get(0)?;
        let criterion: i64 = r.get(1)?;
        let (Some(&(p, c)), Some(&(p2, k))) = (
            contestant_slot.get(&contestant),
            criterion_slot.get(&criterion),
        ) else {
            continue;
        };
        if p != p2 {
            continue;
        }
        let sheet = &mut sheets[p].1;
        let width = sheet.criteria.len();
        sheet.cells[c * width + k].push((r.get(2)?, Hundredths(r.get(3)?)));
    }
    Ok(sheets)
}
