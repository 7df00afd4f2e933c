//! Units, contestants and accounts.

use super::competition::bad_value;
use super::{Result, now_text};
use crate::core::date::Date;
use crate::core::model::{Basis, Gender, Role, SkillLevel, Status, Title};
use rusqlite::{Connection, OptionalExtension, params};

/// A contestant as registered (§2). `id_number` is normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestantRecord {
    pub id_number: String,
    pub name: String,
    pub gender: Gender,
    pub phone: Option<String>,
    pub unit: String,
    pub pool_id: i64,
    pub height_weight: Option<String>,
    pub remarks: Option<String>,
    pub coach: Option<String>,
    pub department: Option<String>,
    pub city: Option<String>,
    pub city_rank: Option<u32>,
    pub basis: Option<Basis>,
    pub level: Option<SkillLevel>,
    pub level_date: Option<Date>,
    pub title: Option<Title>,
    pub honours: Option<String>,
    pub student_card_checked: Option<bool>,
    pub id_card_checked: Option<bool>,
    pub quota_override: Option<String>,
    pub source_file: Option<String>,
}

/// A stored contestant: the record plus its place in the day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contestant {
    pub id: i64,
    pub record: ContestantRecord,
    pub unit_id: i64,
    pub status: Status,
    pub checkin_no: Option<u32>,
    pub workstation: Option<u32>,
}

const CONTESTANT_COLUMNS: &str = "c.id, c.id_number, c.name, c.gender, c.phone, u.name, c.pool_id, c.height_weight, c.remarks, c.coach,
    c.department, c.city, c.city_rank, c.basis, c.level, c.level_date, c.title, c.honours, c.student_card_checked,
    c.id_card_checked, c.quota_override, c.source_file, c.unit_id, c.status, c.checkin_no, c.workstation";

fn contestant_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Contestant> {
    let gender: String = r.get(3)?;
    let basis: Option<String> = r.get(13)?;
    let level: Option<String> = r.get(14)?;
    let level_date: Option<String> = r.get(15)?;
    let title: Option<String> = r.get(16)?;
    let status: String = r.get(23)?;
    Ok(Contestant {
        id: r.get(0)?,
        record: ContestantRecord {
            id_number: r.get(1)?,
            name: r.get(2)?,
            gender: Gender::parse(&gender).ok_or_else(|| bad_value(3, &gender))?,
            phone: r.get(4)?,
            unit: r.get(5)?,
            pool_id: r.get(6)?,
            height_weight: r.get(7)?,
            remarks: r.get(8)?,
            coach: r.get(9)?,
            department: r.get(10)?,
            city: r.get(11)?,
            city_rank: r.get(12)?,
            basis: basis.as_deref().and_then(Basis::parse),
            level: level.as_deref().and_then(SkillLevel::parse),
            level_date: level_date.as_deref().and_then(Date::parse),
            title: title
                .as_deref()
                .and_then(|t| Title::parse(t).ok().flatten()),
            honours: r.get(17)?,
            student_card_checked: r.get(18)?,
            id_card_checked: r.get(19)?,
            quota_override: r.get(20)?,
            source_file: r.get(21)?,
        },
        unit_id: r.get(22)?,
        status: Status::parse(&status).ok_or_else(|| bad_value(23, &status))?,
        checkin_no: r.get(24)?,
        workstation: r.get(25)?,
    })
}

/// The id of a unit, created if new.
pub fn unit_id(conn: &Connection, name: &str) -> Result<i64> {
    if let Some(id) = conn
        .query_row("SELECT id FROM unit WHERE name = ?1", [name], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    conn.execute("INSERT INTO unit (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid())
}

/// Inserts a new contestant or updates the one with the same ID number; returns its id and
/// whether it was new. Status, check-in and workstation numbers are kept on update.
pub fn upsert_contestant(conn: &Connection, record: &ContestantRecord) -> Result<(i64, bool)> {
    let unit_id = unit_id(conn, &record.unit)?;
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM contestant WHERE id_number = ?1",
            [&record.id_number],
            |r| r.get(0),
        )
        .optional()?;
    let values = params![
        record.id_number,
        record.name,
        record.gender.code(),
        record.phone,
        unit_id,
        record.pool_id,
        record.height_weight,
        record.remarks,
        record.coach,
        record.department,
        record.city,
        record.city_rank,
        record.basis.map(|b| b.code()),
        record.level.map(|l| l.label()),
        record.level_date.map(|d| d.to_string()),
        record.title.as_ref().map(|t| t.to_string()),
        record.honours,
        record.student_card_checked,
        record.id_card_checked,
        record.quota_override,
        record.source_file,
    ];
    match existing {
        Some(id) => {
            conn.execute(
                "UPDATE contestant SET id_number = ?1, name = ?2, gender = ?3, phone = ?4, unit_id = ?5, pool_id = ?6,
                 height_weight = ?7, remarks = ?8, coach = ?9, department = ?10, city = ?11, city_rank = ?12, basis = ?13,
                 level = ?14, level_date = ?15, title = ?16, honours = ?17, student_card_checked = ?18, id_card_checked = ?19,
                 quota_override = ?20, source_file = ?21 WHERE id = ?22",
                rusqlite::params_from_iter(values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql))),
            )?;
            Ok((id, false))
        }
        None => {
            conn.execute(
                "INSERT INTO contestant (id_number, name, gender, phone, unit_id, pool_id, height_weight, remarks, coach,
                 department, city, city_rank, basis, level, level_date, title, honours, student_card_checked, id_card_checked,
                 quota_override, source_file) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                values,
            )?;
            Ok((conn.last_insert_rowid(), true))
        }
    }
}

pub fn contestants(conn: &Connection) -> Result<Vec<Contestant>> {
    let sql = format!(
        "SELECT {CONTESTANT_COLUMNS} FROM contestant c JOIN unit u ON u.id = c.unit_id ORDER BY c.pool_id, c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], contestant_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn contestants_in_pool(conn: &Connection, pool_id: i64) -> Result<Vec<Contestant>> {
    let sql = format!(
        "SELECT {CONTESTANT_COLUMNS} FROM contestant c JOIN unit u ON u.id = c.unit_id WHERE c.pool_id = ?1 ORDER BY c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([pool_id], contestant_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn contestant_by_id_number(conn: &Connection, id_number: &str) -> Result<Option<Contestant>> {
    let sql = format!(
        "SELECT {CONTESTANT_COLUMNS} FROM contestant c JOIN unit u ON u.id = c.unit_id WHERE c.id_number = ?1"
    );
    Ok(conn
        .query_row(&sql, [id_number], contestant_from_row)
        .optional()?)
}

pub fn contestant_by_row_id(conn: &Connection, contestant_id: i64) -> Result<Option<Contestant>> {
    let sql = format!(
        "SELECT {CONTESTANT_COLUMNS} FROM contestant c JOIN unit u ON u.id = c.unit_id WHERE c.id = ?1"
    );
    Ok(conn
        .query_row(&sql, [contestant_id], contestant_from_row)
        .optional()?)
}

pub fn contestant_by_workstation(
    conn: &Connection,
    pool_id: i64,
    workstation: u32,
) -> Result<Option<Contestant>> {
    let sql = format!(
        "SELECT {CONTESTANT_COLUMNS} FROM contestant c JOIN unit u ON u.id = c.unit_id WHERE c.pool_id = ?1 AND c.workstation = ?2"
    );
    Ok(conn
        .query_row(&sql, params![pool_id, workstation], contestant_from_row)
        .optional()?)
}

pub fn set_status(conn: &Connection, contestant_id: i64, status: Status) -> Result<()> {
    conn.execute(
        "UPDATE contestant SET status = ?1 WHERE id = ?2",
        params![status.code(), contestant_id],
    )?;
    Ok(())
}

pub fn set_draw_numbers(
    conn: &Connection,
    contestant_id: i64,
    checkin_no: Option<u32>,
    workstation: Option<u32>,
) -> Result<()> {
    conn.execute(
        "UPDATE contestant SET checkin_no = ?1, workstation = ?2 WHERE id = ?3",
        params![checkin_no, workstation, contestant_id],
    )?;
    Ok(())
}

/// A contestant's workstation number, if drawn.
pub fn contestant_workstation(conn: &Connection, contestant_id: i64) -> Result<Option<u32>> {
    Ok(conn
        .query_row(
            "SELECT workstation FROM contestant WHERE id = ?1",
            [contestant_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// A sign-in account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub pin_hash: String,
    pub failed_attempts: u32,
    pub locked: bool,
    pub last_failure: Option<String>,
    pub pools: Vec<i64>,
}

pub fn add_account(
    conn: &Connection,
    name: &str,
    role: Role,
    pin_hash: &str,
    pools: &[i64],
) -> Result<i64> {
    conn.execute(
        "INSERT INTO account (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.code(), pin_hash, now_text()],
    )?;
    let id = conn.last_insert_rowid();
    set_account_pools(conn, id, pools)?;
    Ok(id)
}

pub fn set_account_pools(conn: &Connection, account_id: i64, pools: &[i64]) -> Result<()> {
    conn.execute(
        "DELETE FROM account_pool WHERE account_id = ?1",
        [account_id],
    )?;
    for pool in pools {
        conn.execute(
            "INSERT OR IGNORE INTO account_pool (account_id, pool_id) VALUES (?1, ?2)",
            params![account_id, pool],
        )?;
    }
    Ok(())
}

pub fn accounts(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, role, pin_hash, failed_attempts, locked, last_failure FROM account ORDER BY role, name",
    )?;
    let mut accounts = stmt
        .query_map([], |r| {
            let role: String = r.get(2)?;
            Ok(Account {
                id: r.get(0)?,
                name: r.get(1)?,
                role: Role::parse(&role).ok_or_else(|| bad_value(2, &role))?,
                pin_hash: r.get(3)?,
                failed_attempts: r.get(4)?,
                locked: r.get(5)?,
                last_failure: r.get(6)?,
                pools: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached("SELECT account_id, pool_id FROM account_pool")?;
    let pairs = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for pair in pairs {
        let (account, pool) = pair?;
        if let Some(a) = accounts.iter_mut().find(|a| a.id == account) {
            a.pools.push(pool);
        }
    }
    Ok(accounts)
}

pub fn account_by_name(conn: &Connection, name: &str) -> Result<Option<Account>> {
    Ok(accounts(conn)?.into_iter().find(|a| a.name == name))
}

pub fn record_sign_in_result(
    conn: &Connection,
    account_id: i64,
    failed_attempts: u32,
    locked: bool,
    last_failure: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE account SET failed_attempts = ?1, locked = ?2, last_failure = ?3 WHERE id = ?4",
        params![failed_attempts, locked, last_failure, account_id],
    )?;
    Ok(())
}

/// Judge accounts assigned to a pool: the panel whose scores count.
pub fn pool_judges(conn: &Connection, pool_id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.name FROM account a JOIN account_pool ap ON ap.account_id = a.id
         WHERE ap.pool_id = ?1 AND a.role = 'judge' ORDER BY a.id",
    )?;
    let rows = stmt.query_map([pool_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_pin_hash(conn: &Connection, account_id: i64, pin_hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE account SET pin_hash = ?1 WHERE id = ?2",
        params![pin_hash, account_id],
    )?;
    Ok(())
}
