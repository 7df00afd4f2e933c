//! The certificate register: every issued 荣誉证书 number with the text it was signed over,
//! and the append-only log of its issue, reprints and void. Certificates are never deleted;
//! a certificate changes only once, when it is voided (triggers enforce both).

use super::competition::bad_value;
use super::{Result, now_text};
use crate::core::date::Date;
use crate::core::model::Prize;
use rusqlite::{Connection, OptionalExtension, params};

/// What is printed on a certificate and signed: kept so that a reprint is the same certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateText {
    pub holder_name: String,
    pub salutation: String,
    pub body: String,
    pub issuer: String,
    pub issued_on: Date,
}

/// A certificate to register.
#[derive(Clone, Debug)]
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub pool_id: i64,
    pub contestant_id: i64,
    pub prize: Prize,
    pub sequence: u32,
    pub text: &'a CertificateText,
    /// Ed25519 signature, hex.
    pub signature: &'a str,
}

/// A registered certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRow {
    pub id: i64,
    pub number: String,
    pub pool_id: i64,
    pub contestant_id: i64,
    pub prize: Prize,
    pub sequence: u32,
    pub text: CertificateText,
    pub signature: String,
    pub issued_at: String,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    /// Times printed (the first issue included).
    pub prints: u32,
}

impl CertificateRow {
    pub fn is_void(&self) -> bool {
        self.voided_at.is_some()
    }
}

/// What happened to a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Issue,
    Reprint,
    Void,
}

impl LogKind {
    pub fn code(self) -> &'static str {
        match self {
            LogKind::Issue => "issue",
            LogKind::Reprint => "reprint",
            LogKind::Void => "void",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LogKind::Issue => "首次打印",
            LogKind::Reprint => "重印",
            LogKind::Void => "作废",
        }
    }

    fn parse(code: &str) -> Option<LogKind> {
        [LogKind::Issue, LogKind::Reprint, LogKind::Void]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One line of the reprint and void log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub number: String,
    pub at: String,
    pub actor: String,
    pub kind: LogKind,
    pub layout: Option<String>,
    pub reason: Option<String>,
}

const COLUMNS: &str = "c.id, c.number, c.pool_id, c.contestant_id, c.prize, c.sequence, c.holder_name, c.salutation, c.body, c.issuer,
    c.issued_on, c.signature, c.issued_at, c.voided_at, c.void_reason,
    (SELECT count(*) FROM certificate_log l WHERE l.certificate_id = c.id AND l.kind IN ('issue', 'reprint'))";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CertificateRow> {
    let prize: String = r.get(4)?;
    let issued_on: String = r.get(10)?;
    Ok(CertificateRow {
        id: r.get(0)?,
        number: r.get(1)?,
        pool_id: r.get(2)?,
        contestant_id: r.get(3)?,
        prize: Prize::parse(&prize).ok_or_else(|| bad_value(4, &prize))?,
        sequence: r.get(5)?,
        text: CertificateText {
            holder_name: r.get(6)?,
            salutation: r.get(7)?,
            body: r.get(8)?,
            issuer: r.get(9)?,
            issued_on: Date::parse(&issued_on).ok_or_else(|| bad_value(10, &issued_on))?,
        },
        signature: r.get(11)?,
        issued_at: r.get(12)?,
        voided_at: r.get(13)?,
        void_reason: r.get(14)?,
        prints: r.get(15)?,
    })
}

pub fn insert(conn: &Connection, new: &NewCertificate<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO certificate (number, pool_id, contestant_id, prize, sequence, holder_name, salutation, body, issuer, issued_on, signature, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        new.number,
        new.pool_id,
        new.contestant_id,
        new.prize.code(),
        new.sequence,
        new.text.holder_name,
        new.text.salutation,
        new.text.body,
        new.text.issuer,
        new.text.issued_on.to_string(),
        new.signature,
        now_text(),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The certificate of a contestant in a pool that is not void.
pub fn valid_for(
    conn: &Connection,
    pool_id: i64,
    contestant_id: i64,
) -> Result<Option<CertificateRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificate c WHERE c.pool_id = ?1 AND c.contestant_id = ?2 AND c.voided_at IS NULL"
    );
    Ok(conn
        .query_row(&sql, params![pool_id, contestant_id], from_row)
        .optional()?)
}

pub fn by_number(conn: &Connection, number: &str) -> Result<Option<CertificateRow>> {
    let sql = format!("SELECT {COLUMNS} FROM certificate c WHERE c.number = ?1");
    Ok(conn.query_row(&sql, [number], from_row).optional()?)
}

/// Every certificate, optionally of one pool, by pool, prize and sequence.
pub fn list(conn: &Connection, pool_id: Option<i64>) -> Result<Vec<CertificateRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificate c JOIN pool p ON p.id = c.pool_id
         WHERE ?1 IS NULL OR c.pool_id = ?1
         ORDER BY p.position, CASE c.prize WHEN 'first' THEN 1 WHEN 'second' THEN 2 ELSE 3 END, c.sequence"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([pool_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The next unused sequence number of a pool and prize; voided numbers are never reused.
pub fn next_sequence(conn: &Connection, pool_id: i64, prize: Prize) -> Result<u32> {
    let max: Option<u32> = conn.query_row(
        "SELECT max(sequence) FROM certificate WHERE pool_id = ?1 AND prize = ?2",
        params![pool_id, prize.code()],
        |r| r.get(0),
    )?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn void(conn: &Connection, id: i64, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE certificate SET voided_at = ?1, void_reason = ?2 WHERE id = ?3",
        params![now_text(), reason, id],
    )?;
    Ok(())
}

pub fn log(
    conn: &Connection,
    certificate_id: i64,
    actor: &str,
    kind: LogKind,
    layout: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO certificate_log (certificate_id, at, actor, kind, layout, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![certificate_id, now_text(), actor, kind.code(), layout, reason])?;
    Ok(())
}

/// The log, oldest first, optionally of one certificate.
pub fn log_rows(conn: &Connection, certificate_id: Option<i64>) -> Result<Vec<LogRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.number, l.at, l.actor, l.kind, l.layout, l.reason FROM certificate_log l JOIN certificate c ON c.id = l.certificate_id
         WHERE ?1 IS NULL OR l.certificate_id = ?1 ORDER BY l.id",
    )?;
    let rows = stmt.query_map([certificate_id], |r| {
        let kind: String = r.get(3)?;
        Ok(LogRow {
            number: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            kind: LogKind::parse(&kind).ok_or_else(|| bad_value(3, &kind))?,
            layout: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Settings whose key starts with `prefix`, by key.
pub fn settings_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM setting WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
    )?;
    let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{StoreError, open_in_memory};

    fn text() -> CertificateText {
        CertificateText {
            holder_name: "张三".into(),
            salutation: "同志".into(),
            body: "在…中荣获一等奖。".into(),
            issuer: "组委会".into(),
            issued_on: Date {
                year: 2023,
                month: 11,
                day: 15,
            },
        }
    }

    fn setup() -> Result<(Connection, i64, i64)> {
        let conn = open_in_memory()?;
        // One transaction for the whole test, never committed: its sealed rows need no signature.
        conn.execute_batch("BEGIN")?;
        let builtin = crate::builtin::load().map_err(|e| StoreError::Invalid(e.to_string()))?;
        crate::store::competition::init(&conn, &builtin)?;
        let pool_id: i64 =
            conn.query_row("SELECT id FROM pool ORDER BY position LIMIT 1", [], |r| {
                r.get(0)
            })?;
        conn.execute("INSERT INTO unit (name) VALUES ('单位')", [])?;
        conn.execute(
            "INSERT INTO contestant (id_number, name, gender, unit_id, pool_id) VALUES ('110101199003070014', '张三', 'M', 1, ?1)",
            [pool_id],
        )?;
        let contestant_id = conn.last_insert_rowid();
        Ok((conn, pool_id, contestant_id))
    }

    #[test]
    fn a_certificate_can_be_voided_once_and_never_edited_or_deleted() -> Result<()> {
        let (conn, pool_id, contestant_id) = setup()?;
        let text = text();
        let new = NewCertificate {
            number: "2023-DS-ZG-1-001",
            pool_id,
            contestant_id,
            prize: Prize::First,
            sequence: 1,
            text: &text,
            signature: "00",
        };
        let id = insert(&conn, &new)?;
        assert!(
            conn.execute(
                "UPDATE certificate SET holder_name = '李四' WHERE id = ?1",
                [id]
            )
            .is_err()
        );
        assert!(
            conn.execute("DELETE FROM certificate WHERE id = ?1", [id])
                .is_err()
        );
        void(&conn, id, "姓名有误")?;
        assert!(void(&conn, id, "again").is_err());
        let row = by_number(&conn, "2023-DS-ZG-1-001")?.ok_or(StoreError::NotInitialised)?;
        assert_eq!(
            (row.is_void(), row.void_reason.as_deref(), row.text),
            (true, Some("姓名有误"), text.clone())
        );
        assert_eq!(valid_for(&conn, pool_id, contestant_id)?, None);
        assert_eq!(
            next_sequence(&conn, pool_id, Prize::First)?,
            2,
            "a voided number is not reused"
        );
        Ok(())
    }

    #[test]
    fn the_log_is_append_only() -> Result<()> {
        let (conn, pool_id, contestant_id) = setup()?;
        let text = text();
        let id = insert(
            &conn,
            &NewCertificate {
                number: "N",
                pool_id,
                contestant_id,
                prize: Prize::Third,
                sequence: 1,
                text: &text,
                signature: "00",
            },
        )?;
        log(&conn, id, "命令行", LogKind::Issue, Some("full"), None)?;
        log(
            &conn,
            id,
            "命令行",
            LogKind::Reprint,
            Some("overlay"),
            Some("卡纸"),
        )?;
        assert!(conn.execute("DELETE FROM certificate_log", []).is_err());
        assert!(
            conn.execute("UPDATE certificate_log SET actor = 'x'", [])
                .is_err()
        );
        let rows = log_rows(&conn, Some(id))?;
        assert_eq!(
            rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
            vec![LogKind::Issue, LogKind::Reprint]
        );
        assert_eq!(by_number(&conn, "N")?.map(|r| r.prints), Some(2));
        Ok(())
    }
}
