//! The database: the only module that knows SQL. Free functions over `&Connection` that compose
//! inside one transaction; the callers in `ops` decide where a transaction begins and ends.
//! Must not import egui or the file formats of `io`.

pub mod audit;
pub mod certificates;
pub mod competition;
pub mod device_key;
pub mod faults;
pub mod ledger;
pub mod merge;
pub mod pack;
pub mod people;
pub mod pins;
pub mod records;
pub mod schema;
pub mod scores;
pub mod units;
pub mod workflow;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", faults::describe(.0))]
    Sql(#[from] rusqlite::Error),
    #[error(
        "数据库文件由更新版本的 judgedesk 创建（结构版本 {found}，本程序支持到 {supported}），请使用新版本程序打开"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("升级前备份数据库失败（{path}）: {source}")]
    BackupBeforeMigration {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("数据库中还没有竞赛数据，请先运行 init 或 demo")]
    NotInitialised,
    #[error("数据库已有竞赛数据，不能重复初始化")]
    AlreadyInitialised,
    #[error(
        "数据库文件不能切换到预写日志（WAL）模式（仍为 {0}），无法保证评分在断电后不丢失，拒绝使用。请把数据库放在本机硬盘上，不要放在网络盘或只读介质上"
    )]
    NotWal(String),
    #[error("数据库结构被改动过（不是本程序创建的样子），拒绝打开：{}", .0.join("；"))]
    SchemaAltered(Vec<String>),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    schema::MIGRATIONS.len() as i64
}

/// Opens (creating if needed) a database file with the durability settings the app relies on,
/// and migrates it to the latest schema.
pub fn open(path: &Path) -> Result<Connection> {
    open_with_keys(path, ledger::KeySource::from_environment())
}

/// `open`, sealing new rows with the key from `keys` instead of this laptop's key file.
pub fn open_with_keys(path: &Path, keys: ledger::KeySource) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    ledger::install(&mut conn, keys)?;
    refuse_altered_schema(&conn)?;
    migrate(&conn, Some(path))?;
    Ok(conn)
}

/// Refuses a file whose schema is not the one this app creates for its version: a trigger, view,
/// index or column added with the `sqlite3` shell, or a guard dropped, is named and nothing runs.
/// A file from a newer app is left to `migrate`, which refuses it.
fn refuse_altered_schema(conn: &Connection) -> Result<()> {
    let version = schema_version(conn)?;
    if version == 0 || version > latest_version() {
        return Ok(());
    }
    let differences = schema::differences(conn)?;
    if differences.is_empty() {
        return Ok(());
    }
    Err(StoreError::SchemaAltered(
        differences.iter().map(|d| d.to_string()).collect(),
    ))
}

/// A write transaction whose sealed links are signed, in Rust, when it commits. Every write to
/// the database goes through one ([`begin`]); it reads like the connection it wraps.
pub struct Write<'c> {
    conn: &'c Connection,
    /// `None` only once committed (`commit` consumes the `Write`).
    tx: Option<rusqlite::Transaction<'c>>,
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        if let Some(tx) = &self.tx {
            // Rolled back with the transaction: its links are gone, and so are their notes.
            let _ignored = ledger::forget_pending(tx);
        }
    }
}

impl<'c> std::ops::Deref for Write<'c> {
    type Target = rusqlite::Transaction<'c>;
    fn deref(&self) -> &Self::Target {
        match &self.tx {
            Some(tx) => tx,
            None => unreachable!("a committed Write is consumed"),
        }
    }
}

impl Write<'_> {
    /// Signs the links this transaction appended and commits; then records the new chain head in
    /// this laptop's key folder (`pins::advance`). The head is recorded on a best-effort basis:
    /// the commit has happened and stays reported as such even if the key folder cannot be
    /// written (`verify` then compares with the last head recorded).
    pub fn commit(mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            let sealed = match ledger::seal_pending(&tx) {
                Ok(sealed) => sealed,
                Err(e) => {
                    ledger::forget_pending(&tx)?;
                    return Err(e); // the transaction rolls back as it drops
                }
            };
            tx.commit()?;
            if sealed > 0
                && let Ok(Some(dir)) = ledger::key_dir(self.conn)
            {
                let _best_effort = pins::advance(self.conn, &dir);
            }
        }
        Ok(())
    }
}

/// Begins a write transaction on `conn`. It is IMMEDIATE: the write lock is taken at the start,
/// waiting out another writer (the busy timeout) there. A deferred transaction that read first
/// and then wrote would fail at once with "database is locked" while another connection (the
/// command line, a second window's import) held the lock: a judge's save must wait instead.
pub fn begin(conn: &Connection) -> rusqlite::Result<Write<'_>> {
    Ok(Write {
        conn,
        tx: Some(rusqlite::Transaction::new_unchecked(
            conn,
            rusqlite::TransactionBehavior::Immediate,
        )?),
    })
}

/// An in-memory database, migrated: for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    ledger::install(&mut conn, ledger::KeySource::ephemeral())?;
    migrate(&conn, None)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // SQLite answers with the mode it is in: a file that stays in another mode (a medium or
    // file system without shared memory) would not give the durability the app promises.
    let in_memory = conn.path().is_none_or(str::is_empty);
    if !in_memory && !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::NotWal(mode));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(())
}

/// Applies every migration newer than the file's `user_version`, all in one transaction.
/// A file from a newer app is refused; an existing file is copied aside before it is changed.
pub fn migrate(conn: &Connection, path: Option<&Path>) -> Result<()> {
    let current = schema_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(StoreError::TooNew {
            found: current,
            supported: latest,
        });
    }
    if current == latest {
        return Ok(());
    }
    if current > 0
        && let Some(path) = path
    {
        let aside = path.with_extension(format!("v{current}.before-migration.sqlite"));
        let escaped = aside.to_string_lossy().replace('\'', "''");
        conn.execute_batch(&format!("VACUUM INTO '{escaped}'"))
            .map_err(|e| StoreError::BackupBeforeMigration {
                path: aside.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
    }
    // One transaction for the whole upgrade: the links that sealing migrations append are signed
    // at its end, once the ledger accepts a signature (version 6).
    let tx = begin(conn)?;
    for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
    }
    tx.commit()?;
    // A new database made in a file's place: pins of databases that stood there before no longer
    // claim the file (otherwise `verify` would take the new one for a copy laid over the old).
    if current == 0
        && path.is_some()
        && let Some(dir) = ledger::key_dir(conn)?
    {
        pins::release_file(conn, &dir)?;
    }
    Ok(())
}

/// The local time as stored in every `*_at` column: `2023-11-15 14:03:27.123`.
pub fn now_text() -> String {
    chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S%.3f")
        .to_string()
}

/// Makes a file's own triggers and views unable to call functions with side effects
/// (`trusted_schema = OFF`): for files read as evidence (backups, a file being verified).
pub fn distrust_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA trusted_schema = OFF")
}

/// Folds the write-ahead log into the main file, so that a fresh open reads one file.
pub fn checkpoint(conn: &Connection) -> Result<()> {
    let _frames: (i64, i64, i64) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(())
}

/// The schema version a file was written with (`PRAGMA user_version`).
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// A number that changes whenever another connection (another process) commits to the file;
/// this connection's own commits leave it unchanged.
pub fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// Switches a file to a rollback journal, so that a copy is one self-contained file.
pub fn use_rollback_journal(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing() -> Result<()> {
        let conn = open_in_memory()?;
        let tx = begin(&conn)?;
        tx.execute_batch("INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')")?;
        tx.commit()?;
        // Every table, index and trigger with its SQL, the schema version and every table's rows.
        let snapshot = |conn: &Connection| -> Result<(Vec<String>, i64, Vec<i64>)> {
            let mut stmt =
                conn.prepare("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name")?;
            let schema = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let mut rows = Vec::new();
            for entry in &schema {
                if let Some(table) = entry
                    .strip_prefix("table ")
                    .and_then(|t| t.split(' ').next())
                {
                    rows.push(conn.query_row(
                        &format!("SELECT count(*) FROM \"{table}\""),
                        [],
                        |r| r.get(0),
                    )?);
                }
            }
            Ok((schema, version, rows))
        };
        let once = snapshot(&conn)?;
        assert!(!once.0.is_empty(), "the first migration created the schema");
        assert_eq!(once.1, latest_version());
        migrate(&conn, None)?;
        assert_eq!(snapshot(&conn)?, once);
        Ok(())
    }

    #[test]
    fn database_from_a_newer_app_is_refused() -> Result<()> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(&format!("PRAGMA user_version = {}", latest_version() + 1))?;
        let error = migrate(&conn, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("更新版本"), "{error}");
        Ok(())
    }

    #[test]
    fn audit_rows_cannot_be_updated_or_deleted() -> Result<()> {
        let conn = open_in_memory()?;
        let tx = begin(&conn)?;
        tx.execute(
            "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
            [],
        )?;
        tx.commit()?;
        assert!(conn.execute("DELETE FROM audit", []).is_err());
        assert!(conn.execute("UPDATE audit SET actor = 'b'", []).is_err());
        Ok(())
    }

    #[test]
    fn file_database_uses_wal_and_full_sync() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("judgedesk-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let path = dir.join("t.sqlite");
        let conn = open(&path)?;
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_cannot_use_wal_is_refused_not_used_in_another_mode() -> Result<()> {
        // The dot-file locking VFS has no shared memory: SQLite keeps the file in its
        // rollback-journal mode and answers `delete` to the request for WAL.
        let dir = std::env::temp_dir().join(format!("judgedesk-nowal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let path = dir.join("t.sqlite");
        let conn = Connection::open_with_flags_and_vfs(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            "unix-dotfile",
        )?;
        let refused = configure(&conn)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.contains("WAL") && refused.contains("delete"),
            "{refused}"
        );
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn upgrading_an_old_file_copies_it_aside_first() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("judgedesk-migrate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let path = dir.join("old.sqlite");
        {
            // A version-1 file when the app knows more; with one migration the copy is not needed.
            let conn = Connection::open(&path)?;
            conn.execute_batch(schema::MIGRATIONS[0])?;
            conn.execute_batch("PRAGMA user_version = 1")?;
        }
        let conn = open(&path)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        assert_eq!(version, latest_version());
        if latest_version() > 1 {
            assert!(path.with_extension("v1.before-migration.sqlite").exists());
        }
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
