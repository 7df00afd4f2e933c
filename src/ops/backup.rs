//! Backups with SQLite's online backup API: a verified copy on demand or automatically (at lock, at publication, every 10 minutes while scores change; the newest 20 kept in `<db>.backups/`), and restoring one.
//!
//! Every copy is written under a temporary name, flushed, opened again and checked
//! (`quick_check`, each sealed table's row count equals its links, the copy's chain head is a link
//! of the source) before it takes its final name.
//!
//! One file over 600 lines: writing a backup, checking it, listing them and restoring one share
//! the copy, the check and the trust in backups this laptop wrote (`store::pins`).

use super::verify::{self, Report};
use super::{Actor, OpsError, Result};
use crate::store::{self, audit, faults, ledger};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Automatic backups kept per database.
pub const KEEP: usize = 20;
/// How often scores that keep changing are backed up.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Why an automatic backup was taken; part of its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Interval,
    Lock,
    Publication,
    BeforeRestore,
    /// Asked for by a person in the window; kept (not rotated).
    Manual,
}

impl Reason {
    fn code(self) -> &'static str {
        match self {
            Reason::Interval => "auto",
            Reason::Lock => "lock",
            Reason::Publication => "publish",
            Reason::BeforeRestore => "before-restore",
            Reason::Manual => "manual",
        }
    }

    fn rotates(self) -> bool {
        !matches!(self, Reason::BeforeRestore | Reason::Manual)
    }
}

/// A verified backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub links: i64,
    pub score_entries: i64,
    pub bytes: u64,
}

/// `<db>.backups`, beside the database.
pub fn backup_dir(db: &Path) -> PathBuf {
    let mut name = db
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "judgedesk.sqlite".into());
    name.push(".backups");
    db.with_file_name(name)
}

fn sql_failure(what: &str, e: &rusqlite::Error) -> OpsError {
    OpsError::Denied(format!("{what}：{}", faults::describe(e)))
}

/// Writes a verified copy of the open database to `out`. Nothing is left at `out` unless the
/// copy verified.
pub fn backup_to(conn: &Connection, out: &Path) -> Result<BackupInfo> {
    if let Some(db) = db_path(conn)
        && same_file(&db, out)
    {
        return Err(OpsError::Denied("备份文件不能是数据库本身".into()));
    }
    let temp = crate::io::temp_beside(out, "partial");
    let result = copy_into_file(conn, &temp)
        .and_then(|()| check_copy(conn, &temp))
        .and_then(|mut info| {
            std::fs::rename(&temp, out).map_err(|e| OpsError::io(e, "备份失败"))?;
            crate::io::sync_folder(out).map_err(|e| OpsError::io(e, "备份失败"))?;
            info.path = out.to_path_buf();
            note_own_backup(conn, out);
            Ok(info)
        });
    if result.is_err() && temp.exists() {
        // Best effort: the copy failed and its error is what matters; a hidden `.partial`
        // file is never taken for a backup.
        if let Err(e) = std::fs::remove_file(&temp) {
            return Err(OpsError::io(
                e,
                format!("备份失败，且临时文件 {} 未能删除", temp.display()),
            ));
        }
    }
    result
}

/// Copies the database page by page into a new file at `path`, in one step (a consistent
/// snapshot), leaves it in rollback-journal mode and flushes it.
fn copy_into_file(conn: &Connection, path: &Path) -> Result<()> {
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| OpsError::io(e, "备份失败"))?;
    }
    let mut target = Connection::open(path).map_err(|e| sql_failure("备份失败", &e))?;
    {
        let backup = Backup::new(conn, &mut target).map_err(|e| sql_failure("备份失败", &e))?;
        let mut waits = 0;
        loop {
            match backup.step(-1).map_err(|e| sql_failure("备份失败", &e))? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if waits < 200 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                _ => {
                    return Err(OpsError::Denied(
                        "备份失败：数据库一直被占用，请稍后重试".into(),
                    ));
                }
            }
        }
    }
    store::use_rollback_journal(&target).map_err(|e| sql_failure("备份失败", &e))?;
    target
        .close()
        .map_err(|(_, e)| sql_failure("备份失败", &e))?;
    crate::io::flush_file(path).map_err(|e| OpsError::io(e, "备份失败"))?;
    Ok(())
}

/// Remembers in this laptop's key folder the head of a backup it wrote, so that restoring it
/// later is known for a state this laptop saved (best effort: a backup is no less a backup if the
/// key folder cannot be written; its restore then asks for a reason).
fn note_own_backup(conn: &Connection, out: &Path) {
    let head = Connection::open_with_flags(out, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .and_then(|copy| ledger::head(&copy).ok().flatten());
    if let (Some(head), Ok(Some(dir))) = (head, ledger::key_dir(conn)) {
        let _best_effort = store::pins::note_backup(conn, &dir, head);
    }
}

/// Opens a fresh copy and checks it against its source.
fn check_copy(source: &Connection, path: &Path) -> Result<BackupInfo> {
    let copy = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_failure("备份校验失败", &e))?;
    crate::store::distrust_schema(&copy).map_err(|e| sql_failure("备份校验失败", &e))?;
    let problems = ledger::check_file(&copy, false)?;
    if !problems.is_empty() {
        return Err(OpsError::Denied(format!(
            "备份校验失败：副本损坏（{}）",
            problems.join("；")
        )));
    }
    let mut score_entries = 0;
    let mut links = 0;
    if ledger::has_ledger(&copy)? {
        for (kind, rows, sealed) in ledger::counts(&copy)? {
            if rows != sealed {
                return Err(OpsError::Denied(format!(
                    "备份校验失败：{kind} 有 {rows} 行而签封 {sealed} 条"
                )));
            }
            links += sealed;
            if kind == "score" {
                score_entries = rows;
            }
        }
        if let Some((seq, hash)) = ledger::head(&copy)?
            && ledger::hash_at(source, seq)?.as_deref() != Some(hash.as_str())
        {
            return Err(OpsError::Denied(
                "备份校验失败：副本的审计链与数据库不一致".into(),
            ));
        }
    }
    let bytes = std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| OpsError::io(e, "备份校验失败"))?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        links,
        score_entries,
        bytes,
    })
}

/// The file of the open database, if it has one.
pub fn db_path(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Takes an automatic backup into `<db>.backups/` and removes the oldest beyond `KEEP`.
pub fn automatic(conn: &Connection, reason: Reason) -> Result<BackupInfo> {
    let db =
        db_path(conn).ok_or_else(|| OpsError::Denied("内存中的数据库没有备份文件夹".into()))?;
    let dir = backup_dir(&db);
    std::fs::create_dir_all(&dir).map_err(|e| OpsError::io(e, "自动备份失败"))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f");
    let info = backup_to(
        conn,
        &dir.join(format!("judgedesk-{stamp}-{}.sqlite", reason.code())),
    )?;
    if reason.rotates() {
        rotate(&dir)?;
    }
    Ok(info)
}

/// The backup taken at a milestone (lock, publication) of a file database; `None` for an
/// in-memory database, which has no backup folder.
pub fn at_milestone(conn: &Connection, reason: Reason) -> Result<Option<BackupInfo>> {
    if db_path(conn).is_none() {
        return Ok(None);
    }
    automatic(conn, reason).map(Some)
}

/// Takes an `Interval` backup if the newest automatic one is at least `INTERVAL` old (or
/// missing) and the chain has moved since. Cheap when nothing is due: the window may call it
/// after every save, the command line after every write.
pub fn automatic_if_due(conn: &Connection) -> Result<Option<BackupInfo>> {
    let Some(db) = db_path(conn) else {
        return Ok(None);
    };
    let Some(head) = ledger::head(conn)? else {
        return Ok(None);
    };
    if let Some(newest) = automatic_backups(&backup_dir(&db)).into_iter().next() {
        let age = std::fs::metadata(&newest)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age < INTERVAL) {
            return Ok(None);
        }
        let newest_head = Connection::open_with_flags(&newest, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()
            .and_then(|c| ledger::head(&c).ok().flatten());
        if newest_head.as_ref() == Some(&head) {
            return Ok(None);
        }
    }
    automatic(conn, Reason::Interval).map(Some)
}

/// Automatic backups in `dir` that rotate, newest first (names sort by time).
fn automatic_backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = backups_in(dir)
        .into_iter()
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            [Reason::Interval, Reason::Lock, Reason::Publication]
                .iter()
                .any(|r| name.ends_with(&format!("-{}.sqlite", r.code())))
        })
        .collect();
    found.sort();
    found.reverse();
    found
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            name.starts_with("judgedesk-") && name.ends_with(".sqlite")
        })
        .collect()
}

fn rotate(dir: &Path) -> Result<()> {
    for old in automatic_backups(dir).into_iter().skip(KEEP) {
        std::fs::remove_file(&old)
            .map_err(|e| OpsError::io(e, format!("清理旧备份 {} 失败", old.display())))?;
    }
    Ok(())
}

/// One backup file as a person picks it: name, when it was written, its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub name: String,
    /// Local time, `2023-11-15 16:30:05`; empty when the system does not say.
    pub modified: String,
    pub bytes: u64,
}

/// Every backup of `db` in its backup folder with its time and size, newest first.
pub fn listing(db: &Path) -> Vec<BackupFile> {
    let mut found: Vec<(Option<std::time::SystemTime>, BackupFile)> = backups_in(&backup_dir(db))
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(&path).ok();
            let time = meta.as_ref().and_then(|m| m.modified().ok());
            let file = BackupFile {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                modified: time
                    .map(|t| {
                        chrono::DateTime::<chrono::Local>::from(t)
                            .format("%Y-%m-%d %H:%M:%S")
                            .to_string()
                    })
                    .unwrap_or_default(),
                bytes: meta.map_or(0, |m| m.len()),
                path,
            };
            (time, file)
        })
        .collect();
    found.sort_by_key(|(time, _)| std::cmp::Reverse(*time));
    found.into_iter().map(|(_, file)| file).collect()
}

/// Every backup of `db` in its backup folder, newest first.
pub fn list(db: &Path) -> Vec<PathBuf> {
    listing(db).into_iter().map(|f| f.path).collect()
}

/// A backup that passed `verify`, with its report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedBackup {
    pub path: PathBuf,
    pub report: Report,
}

/// The newest backup of `db` that passes `verify`, with its report. A backup this laptop wrote
/// is older than the head it pinned since; that alone does not count against it.
pub fn newest_verified(db: &Path) -> Option<VerifiedBackup> {
    list(db).into_iter().find_map(|path| {
        let conn = verify::open_unchanged(&path).ok()?;
        let own = ledger::own_public_key(&conn).ok()?;
        let mut report = verify::verify_with(&conn, true, &own);
        let own_backup = match ledger::key_dir(&conn) {
            Ok(Some(dir)) => store::pins::is_own_backup(&conn, &dir).unwrap_or(false),
            _ => false,
        };
        if own_backup {
            report.findings.retain(|f| !older_than_pinned(f));
        }
        report.is_clean().then_some(VerifiedBackup { path, report })
    })
}

/// A finding that only says the file is older than the head this laptop pinned.
fn older_than_pinned(finding: &verify::Finding) -> bool {
    matches!(
        finding,
        verify::Finding::PinnedHeadMissing { .. } | verify::Finding::PinnedHeadDiffers { .. }
    )
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// Where the database as it was before is kept.
    pub aside: Option<PathBuf>,
    pub report: Report,
}

/// Replaces the database at `db` by the backup `file`, after checking that `file` is a sound
/// judgedesk database whose chain verifies. The current database is first copied aside into
/// `<db>.backups/`. The caller holds the database's `WriterLock`.
pub fn restore(db: &Path, file: &Path, actor: &Actor) -> Result<Restored> {
    restore_with_reason(db, file, actor, None)
}

/// `restore`, where the coordinator may accept, with a reason, a backup that departs from what
/// this laptop pinned for the database (older than the newest head it saw, a truncated chain, a
/// chain re-signed with another key) or that is another database than the one it replaces. The
/// reason is audited, and the restored state becomes the pinned one. Nothing else a check finds
/// can be accepted.
pub fn restore_with_reason(
    db: &Path,
    file: &Path,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<Restored> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if same_file(db, file) {
        return Err(OpsError::Denied("要恢复的文件就是当前数据库本身".into()));
    }
    if let Err(e) = std::fs::metadata(file) {
        return Err(OpsError::io(
            e,
            format!("读取备份文件 {} 失败", file.display()),
        ));
    }
    let source = verify::open_unchanged(file)
        .map_err(|e| OpsError::Denied(format!("无法读取备份文件 {}: {e}", file.display())))?;
    check_restorable(&source, file, db, reason)?;

    let aside = if db.exists() {
        Some(copy_aside(db)?)
    } else {
        None
    };
    let written = copy_over(&source, db);
    if let Err(e) = written {
        return Err(OpsError::Denied(format!(
            "{e}；当前数据库已另存于 {}",
            aside
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        )));
    }
    drop(source);

    let conn = store::open(db)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tx = store::begin(&conn)?;
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: &actor.name,
            action: "从备份恢复",
            subject: Some(&name),
            reason,
            ..Default::default()
        },
    )?;
    tx.commit()?;
    // The restored state is what this laptop holds from now on.
    if let Some(dir) = ledger::key_dir(&conn)? {
        store::pins::accept(&conn, &dir)?;
    }
    let report = verify::verify(&conn, true)?;
    Ok(Restored { aside, report })
}

/// Refuses a file that is not a judgedesk database of a version this app reads, or whose chain
/// does not verify.
fn check_restorable(
    source: &Connection,
    file: &Path,
    db: &Path,
    reason: Option<&str>,
) -> Result<()> {
    let foreign = || {
        OpsError::Denied(format!(
            "{} 不是 judgedesk 数据库备份，拒绝恢复",
            file.display()
        ))
    };
    let version = store::schema_version(source).map_err(|_| foreign())?;
    if version > store::latest_version() {
        return Err(OpsError::Denied(format!(
            "{} 由更新版本的 judgedesk 写入，请用新版本恢复",
            file.display()
        )));
    }
    if version < 1 || !crate::store::competition::is_initialised(source).unwrap_or(false) {
        return Err(foreign());
    }
    let own = ledger::own_public_key(source)?;
    let mut report = verify::verify_with(source, true, &own);
    // Held against the head this laptop pinned for the file it would replace.
    if !report.findings.iter().any(older_than_pinned)
        && let Some(finding) = verify::departure_in_place_of(source, db)?
    {
        report.findings.push(finding);
    }
    // A backup this laptop wrote is a state it saved: older than the newest head, but its own.
    let own_backup = match ledger::key_dir(source)? {
        Some(dir) => store::pins::is_own_backup(source, &dir)?,
        None => false,
    };
    let mut lines: Vec<String> = Vec::new();
    let mut acceptable = true;
    for finding in &report.findings {
        if own_backup && older_than_pinned(finding) {
            continue;
        }
        if !finding.is_pin() {
            acceptable = false;
        }
        lines.push(finding.to_string());
    }
    if let Some(other) = other_database(source, db)? {
        lines.push(other);
    }
    if lines.is_empty() || (acceptable && reason.is_some()) {
        return Ok(());
    }
    let total = lines.len();
    lines.truncate(10);
    if total > 10 {
        lines.push(format!("……共 {total} 处问题"));
    }
    let hint = if acceptable {
        "\n如确需恢复（例如数据库已损坏，只能回到这份较旧的备份），请由协调员写明恢复理由后再恢复"
    } else {
        ""
    };
    Err(OpsError::Denied(format!(
        "{} 未通过校验，拒绝恢复：\n{}{hint}",
        file.display(),
        lines.join("\n")
    )))
}

/// When the database being replaced has an id and the backup another: says so.
fn other_database(source: &Connection, db: &Path) -> Result<Option<String>> {
    let Some(backup_id) = store::pins::database_id(source)? else {
        return Ok(None);
    };
    if !db.exists() {
        return Ok(None);
    }
    let current = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()
    .and_then(|conn| store::pins::database_id(&conn).ok().flatten());
    Ok(current.filter(|id| *id != backup_id).map(|id| {
        format!("备份属于另一个数据库（标识 {backup_id}），不是当前数据库（标识 {id}）的备份")
    }))
}

/// Keeps the current database in `<db>.backups/`: a verified copy when it still opens, else
/// its raw files (database and write-ahead log) as they are.
fn copy_aside(db: &Path) -> Result<PathBuf> {
    let dir = backup_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| OpsError::io(e, "另存当前数据库失败"))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f");
    let target = dir.join(format!(
        "judgedesk-{stamp}-{}.sqlite",
        Reason::BeforeRestore.code()
    ));
    let copied = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_failure("另存当前数据库失败", &e))
    .and_then(|conn| copy_into_file(&conn, &target));
    if copied.is_ok()
        && Connection::open(&target)
            .ok()
            .and_then(|c| ledger::check_file(&c, false).ok())
            .is_some_and(|p| p.is_empty())
    {
        return Ok(target);
    }
    // Damaged: keep the bytes as they are.
    let raw = dir.join(format!("judgedesk-{stamp}-damaged.sqlite"));
    std::fs::copy(db, &raw).map_err(|e| OpsError::io(e, "另存当前数据库失败"))?;
    let wal = sibling(db, "-wal");
    if wal.exists() {
        std::fs::copy(&wal, sibling(&raw, "-wal"))
            .map_err(|e| OpsError::io(e, "另存当前数据库失败"))?;
    }
    if target.exists() {
        std::fs::remove_file(&target).map_err(|e| OpsError::io(e, "另存当前数据库失败"))?;
    }
    Ok(raw)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `source` over the database at `db` in one transaction through the backup API (safe
/// with the write-ahead log). A file too damaged to open is replaced instead.
fn copy_over(source: &Connection, db: &Path) -> Result<()> {
    let into_live = || -> rusqlite::Result<()> {
        let mut live = Connection::open(db)?;
        live.busy_timeout(Duration::from_secs(5))?;
        let backup = Backup::new(source, &mut live)?;
        match backup.step(-1)? {
            StepResult::Done => Ok(()),
            _ => Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )),
        }
    };
    match into_live() {
        Ok(()) => Ok(()),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) =>
        {
            for path in [sibling(db, "-wal"), sibling(db, "-shm"), db.to_path_buf()] {
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|e| OpsError::io(e, "恢复失败"))?;
                }
            }
            into_live().map_err(|e| sql_failure("恢复失败", &e))
        }
        Err(e) => Err(sql_failure("恢复失败", &e)),
    }
}
