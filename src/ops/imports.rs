//! Importing scheme, theory and practical-score files: every row checked, then all applied in
//! one transaction, or nothing at all.

use super::scoring::{self, ContestantRef, ScoreInput};
use super::{Actor, OpsError, Result};
use crate::core::model::{Criterion, PoolKey};
use crate::core::problem::{Problem, has_errors};
use crate::io::interchange::{self, SchemeRow};
use crate::io::table::{self, Table};
use crate::store::competition::{self, PoolInfo};
use crate::store::people;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads a file's tables, turning a read failure into a refusal.
pub fn read_file(path: &Path) -> Result<Vec<Table>> {
    table::read_tables(path).map_err(|p| OpsError::Refused(vec![p]))
}

fn refuse_if_errors(problems: Vec<Problem>) -> Result<Vec<Problem>> {
    if has_errors(&problems) {
        Err(OpsError::Refused(problems))
    } else {
        Ok(problems)
    }
}

fn row_problem(table: &Table, row: usize, field: &str, message: impl Into<String>) -> Problem {
    Problem::error(&table.file, message)
        .at_row(table.sheet.as_deref(), row)
        .in_field(field)
}

fn resolve_pool(
    conn: &Connection,
    table: &Table,
    row: usize,
    event: &str,
    group: &str,
) -> Result<std::result::Result<PoolInfo, Problem>> {
    Ok(competition::find_pool(conn, event, group)?.ok_or_else(|| {
        row_problem(
            table,
            row,
            "赛项",
            format!("没有赛项“{event}”组别“{group}”"),
        )
    }))
}

/// Replaces the schemes of the pools named in the file. Returns the warnings.
pub fn import_scheme(conn: &Connection, actor: &Actor, tables: &[Table]) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut by_pool: BTreeMap<PoolKey, Vec<SchemeRow>> = BTreeMap::new();
    for table in tables {
        for row in interchange::scheme_rows(table, &mut problems) {
            let groups: Vec<String> = if row.group.is_empty() {
                vec!["ZG".into(), "XS".into()]
            } else {
                vec![row.group.clone()]
            };
            for group in groups {
                match resolve_pool(conn, table, row.row, &row.event, &group)? {
                    Ok(pool) => by_pool.entry(pool.key).or_default().push(row.clone()),
                    Err(p) => problems.push(p),
                }
            }
        }
    }
    for (key, rows) in &by_pool {
        let criteria: Vec<Criterion> = rows.iter().map(|r| r.criterion.clone()).collect();
        for scheme_problem in crate::core::model::check_scheme(&criteria) {
            let first = &rows[0];
            problems.push(
                Problem::error(&first.file, format!("{key}: {scheme_problem}"))
                    .at_row(first.sheet.as_deref(), first.row),
            );
        }
    }
    let warnings = refuse_if_errors(problems)?;
    let tx = crate::store::begin(conn)?;
    for (key, rows) in &by_pool {
        let criteria: Vec<Criterion> = rows.iter().map(|r| r.criterion.clone()).collect();
        match scoring::replace_scheme_in(&tx, actor, key, &criteria) {
            Ok(()) => {}
            Err(OpsError::Denied(message)) => {
                let first = &rows[0];
                let problem =
                    Problem::error(&first.file, message).at_row(first.sheet.as_deref(), first.row);
                return Err(OpsError::Refused(
                    warnings
                        .into_iter()
                        .chain(std::iter::once(problem))
                        .collect(),
                ));
            }
            Err(other) => return Err(other),
        }
    }
    tx.commit()?;
    Ok(warnings)
}

/// Imports theory scores. Returns the warnings and the number of scores that changed.
pub fn import_theory(
    conn: &Connection,
    actor: &Actor,
    tables: &[Table],
) -> Result<(Vec<Problem>, usize)> {
    let mut problems = Vec::new();
    let tx = crate::store::begin(conn)?;
    let mut changed = 0;
    for table in tables {
        for row in interchange::theory_rows(table, &mut problems) {
            let pool = match resolve_pool(&tx, table, row.row, &row.event, &row.group)? {
                Ok(pool) => pool,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            let id = crate::core::idcard::normalise(&row.id_number);
            let Some(contestant) =
                people::contestant_by_id_number(&tx, &id)?.filter(|c| c.record.pool_id == pool.id)
            else {
                problems.push(row_problem(
                    table,
                    row.row,
                    "身份证号",
                    format!("{}中没有该身份证号的选手", pool.title()),
                ));
                continue;
            };
            match scoring::set_theory_in(&tx, actor, &contestant, &pool, Some(row.value), "import")
            {
                Ok(true) => changed += 1,
                Ok(false) => {}
                Err(OpsError::Denied(message)) => {
                    problems.push(row_problem(table, row.row, "理论成绩", message))
                }
                Err(other) => return Err(other),
            }
        }
    }
    let warnings = refuse_if_errors(problems)?;
    tx.commit()?;
    Ok((warnings, changed))
}

/// Imports practical scores; a later row for the same cell supersedes the earlier one.
/// Returns the warnings and the number of entries that changed a value.
pub fn import_scores(
    conn: &Connection,
    actor: &Actor,
    device: &str,
    tables: &[Table],
) -> Result<(Vec<Problem>, usize)> {
    let mut problems = Vec::new();
    let tx = crate::store::begin(conn)?;
    let mut changed = 0;
    for table in tables {
        for row in interchange::score_rows(table, &mut problems) {
            let pool = match resolve_pool(&tx, table, row.row, &row.event, &row.group)? {
                Ok(pool) => pool,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            let contestant = match row.workstation {
                Some(w) if row.id_number.is_empty() => ContestantRef::Workstation(w),
                _ => ContestantRef::IdNumber(row.id_number.clone()),
            };
            let input = ScoreInput {
                pool: pool.key.clone(),
                judge: row.judge.clone(),
                contestant,
                criterion: row.criterion.clone(),
                value: row.value,
            };
            match scoring::enter_score_in(&tx, actor, device, &input, "import") {
                Ok(receipt) if receipt.previous != Some(receipt.value) => changed += 1,
                Ok(_) => {}
                Err(OpsError::Denied(message)) => {
                    problems.push(row_problem(table, row.row, "分数", message))
                }
                Err(other) => return Err(other),
            }
        }
    }
    let warnings = refuse_if_errors(problems)?;
    tx.commit()?;
    Ok((warnings, changed))
}

/// The current practical scores as CSV in the columns of `import scores`.
pub fn export_scores(conn: &Connection, pool: Option<&PoolKey>) -> Result<Vec<u8>> {
    let pools = competition::pools(conn)?;
    let pool_id = match pool {
        Some(key) => Some(
            pools
                .iter()
                .find(|p| &p.key == key)
                .map(|p| p.id)
                .ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {key}")))?,
        ),
        None => None,
    };
    let rows = crate::store::scores::current_scores(conn, pool_id)?
        .into_iter()
        .filter_map(|s| {
            let info = pools.iter().find(|p| p.id == s.pool_id)?;
            Some((
                info.event_name.clone(),
                info.key.group.label().to_string(),
                s,
            ))
        })
        .collect::<Vec<_>>();
    interchange::scores_csv(&rows).map_err(|e| OpsError::Denied(format!("无法写出成绩: {e}")))
}
