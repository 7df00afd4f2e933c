//! Everything a result depends on, sealed: the records of the tables in [`RECORDS`] (the
//! competition, events, units, pools with their settings, criteria with their maxima,
//! contestants, accounts, panels, submitted sheets, flag decisions, pool events, appeals,
//! certificates and their log, and the settings, among them the certificate key). Each insert,
//! change and deletion appends a `record_seal` row (migration 7's triggers) with the record's key
//! and the hash of its new content, `NULL` once deleted; that row is sealed in the ledger like every
//! other. `verify` compares each record as it is now with its newest seal.

use super::Result;
use super::ledger;
use crate::core::chain;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// The sealed records (schema version 7): kind, table, the SQL of the record's key, and the
/// columns hashed, in order. Every insert, change and deletion appends a `record_seal` row (the
/// migration's triggers hash the same columns in the same order; a test checks that fresh records
/// verify).
pub const RECORDS: &[(&str, &str, &str, &str)] = &[
    (
        "competition",
        "competition",
        "id",
        "id, name, short_name, year, issuer, registration_start, registration_end, start_date, end_date, checkin_cities",
    ),
    ("event", "event", "code", "code, name, occupation, position"),
    ("unit", "unit", "id", "id, name"),
    (
        "pool",
        "pool",
        "id",
        "id, event, grp, position, venue_id, state, settings, draw_seed",
    ),
    (
        "criterion",
        "criterion",
        "id",
        "id, pool_id, code, name, max, step, stage, dimension, kind, position",
    ),
    (
        "contestant",
        "contestant",
        "id",
        "id, id_number, name, gender, phone, unit_id, pool_id, height_weight, remarks, coach, department, city, city_rank, basis, level, level_date, title, honours, student_card_checked, id_card_checked, status, checkin_no, workstation, quota_override, source_file",
    ),
    (
        "account",
        "account",
        "id",
        "id, name, role, pin_hash, locked, created_at",
    ),
    (
        "panel",
        "account_pool",
        "account_id || '/' || pool_id",
        "account_id, pool_id",
    ),
    (
        "sheet",
        "sheet_submission",
        "judge_id || '/' || contestant_id",
        "judge_id, contestant_id, pool_id, submitted_at",
    ),
    (
        "flag",
        "flag_resolution",
        "id",
        "id, pool_id, contestant_id, criterion, kind, judge_values, note, decided_by, decided_at",
    ),
    (
        "pool_event",
        "pool_event",
        "id",
        "id, pool_id, state, at, actor, reason",
    ),
    (
        "appeal",
        "appeal",
        "id",
        "id, pool_id, leader, unit, received_at, content, outcome, changes, decided_at, recorded_by",
    ),
    (
        "certificate",
        "certificate",
        "id",
        "id, number, pool_id, contestant_id, prize, sequence, holder_name, salutation, body, issuer, issued_on, signature, issued_at, voided_at, void_reason",
    ),
    (
        "certificate_log",
        "certificate_log",
        "id",
        "id, certificate_id, at, actor, kind, layout, reason",
    ),
    ("setting", "setting", "key", "key, value"),
];

/// A sealed record: its kind (`RECORDS`) and key.
pub type RecordKey = (String, String);

/// The newest seal of every record: the hash of its content then, or `None` once deleted. Empty
/// for a file from before record seals.
pub fn sealed(conn: &Connection) -> Result<HashMap<RecordKey, Option<String>>> {
    let mut out = HashMap::new();
    if !ledger::table_exists(conn, "record_seal")? {
        return Ok(out);
    }
    let mut stmt = conn.prepare("SELECT kind, row_key, row_hash FROM record_seal ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.insert((r.get(0)?, r.get(1)?), r.get(2)?);
    }
    Ok(out)
}

/// Every record of the sealed tables as it is now, hashed as the triggers hash it. Empty for a
/// file from before record seals.
pub fn current(conn: &Connection) -> Result<HashMap<RecordKey, String>> {
    let mut out = HashMap::new();
    if !ledger::table_exists(conn, "record_seal")? {
        return Ok(out);
    }
    for (kind, table, key, columns) in RECORDS {
        let count = columns.split(',').count();
        let mut stmt = conn.prepare(&format!(
            "SELECT CAST({key} AS TEXT), {columns} FROM {table}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut fields = Vec::with_capacity(count);
            for i in 1..=count {
                fields.push(ledger::field(r.get_ref(i)?));
            }
            let key: String = r.get(0)?;
            out.insert((kind.to_string(), key), chain::row_hash(kind, &fields));
        }
    }
    Ok(out)
}

/// A sealed record as a person can look it up: what it is, its number, and for contestants,
/// accounts, panels, criteria and pools the name they go by today (never an ID number).
pub fn label(conn: &Connection, kind: &str, key: &str) -> String {
    let word = match kind {
        "competition" => "竞赛信息",
        "event" => "赛项",
        "unit" => "单位",
        "pool" => "赛项组别",
        "criterion" => "评分项",
        "contestant" => "选手",
        "account" => "账号",
        "panel" => "评委组成员",
        "sheet" => "评分表提交",
        "flag" => "裁判长裁定",
        "pool_event" => "赛项组别状态记录",
        "appeal" => "申诉",
        "certificate" => "证书",
        "certificate_log" => "证书记录",
        "setting" => "设置",
        other => other,
    };
    let lookup = |sql: &str, arg: &str| -> Option<String> {
        conn.query_row(sql, [arg], |r| r.get::<_, String>(0))
            .optional()
            .ok()
            .flatten()
    };
    let pool = "SELECT event || '-' || grp FROM pool WHERE id = ?1";
    let name = match kind {
        "contestant" => lookup("SELECT name FROM contestant WHERE id = ?1", key),
        "account" => lookup("SELECT name FROM account WHERE id = ?1", key),
        "pool" => lookup(pool, key),
        "criterion" => lookup(
            "SELECT p.event || '-' || p.grp || ' ' || k.code || ' ' || k.name FROM criterion k JOIN pool p ON p.id = k.pool_id WHERE k.id = ?1",
            key,
        ),
        "panel" => key.split_once('/').map(|(account, pool_id)| {
            format!(
                "{} / {}",
                lookup("SELECT name FROM account WHERE id = ?1", account)
                    .unwrap_or_else(|| format!("账号 #{account}")),
                lookup(pool, pool_id).unwrap_or_else(|| format!("赛项组别 #{pool_id}"))
            )
        }),
        _ => None,
    };
    match (kind, name) {
        ("setting", _) => format!("{word}“{key}”"),
        ("panel", Some(name)) => format!("{word}（{name}）"),
        (_, Some(name)) => format!("{word} #{key}（{name}）"),
        (_, None) => format!("{word} #{key}"),
    }
}
