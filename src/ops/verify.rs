//! `verify` and the startup check: is the file sound (SQLite's own checks), is its schema the one this app creates (no added trigger, view or column, none dropped), and is every sealed record exactly as it was sealed, in an unbroken chain, by a trusted laptop.
//!
//! Trusted signers are this laptop, the laptop that created the database (the first link) and
//! every laptop registered with `device trust` in an intact record signed by a trusted laptop.

use super::Result;
use crate::core::chain::{self, LinkFault};
use crate::store::ledger::{self, KeySource, SEALED};
use rusqlite::{Connection, OpenFlags};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// One sealed record, named as a person can look it up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: String,
    pub row_id: i64,
    /// The entry uid, for score entries still present.
    pub uid: Option<String>,
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.kind.as_str() {
            "score" => "评分记录",
            "theory" => "理论成绩记录",
            "audit" => "审计记录",
            "device" => "设备登记记录",
            "device_pools" => "评分机赛项组别登记记录",
            "revocation" => "评分机撤销记录",
            "merge" => "数据包合并记录",
            "record" => "记录签封",
            other => other,
        };
        write!(f, "{label} #{}", self.row_id)?;
        if let Some(uid) = &self.uid {
            write!(f, "（uid {uid}）")?;
        }
        Ok(())
    }
}

/// Something `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// SQLite's integrity check reported a problem, or the file could not be read.
    FileDamaged(String),
    /// The file has no audit chain (not written by this version of judgedesk).
    NoChain,
    Edited(Record),
    Deleted(Record),
    Inserted(Record),
    ChainBroken {
        seq: i64,
        record: Record,
    },
    Forged {
        seq: i64,
        record: Record,
    },
    UntrustedSigner {
        seq: i64,
        record: Record,
        fingerprint: String,
    },
    /// The schema holds an object this app never creates (a trigger could rewrite or seal rows).
    SchemaAdded {
        kind: String,
        name: String,
    },
    /// An object of the schema is missing (a guard such as an append-only trigger was dropped).
    SchemaRemoved {
        kind: String,
        name: String,
    },
    /// An object is defined otherwise than this app defines it (an added column, a changed trigger).
    SchemaChanged {
        kind: String,
        name: String,
    },
    /// A sealed record (a contestant, an account, a panel member, a criterion, a pool's settings, a
    /// certificate, a setting…) differs from its newest seal.
    RecordEdited(String),
    /// A sealed record is gone though its newest seal says it exists.
    RecordDeleted(String),
    /// A record of a sealed table has no seal, or was sealed as deleted.
    RecordInserted(String),
    /// The chain begins with another key than the one this laptop pinned for the database: it
    /// was re-signed end to end.
    PinnedRoot {
        pinned: String,
        found: String,
    },
    /// The chain ends before the head this laptop recorded: truncated, or an older copy.
    PinnedHeadMissing {
        seq: i64,
        at: String,
        found: i64,
    },
    /// The link at the head this laptop recorded is another one.
    PinnedHeadDiffers {
        seq: i64,
        at: String,
    },
    /// This laptop last saw the file as another database (its id shortened): a copy of some
    /// other database, such as one re-signed under a new id, was laid over the file.
    PinnedFileOtherDatabase {
        id: String,
        at: String,
    },
    /// A cell's current value is not its newest score entry.
    CurrentValue {
        contestant_id: i64,
        criterion_id: i64,
        judge_id: i64,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::FileDamaged(detail) => write!(f, "数据库文件损坏: {detail}"),
            Finding::NoChain => write!(f, "该文件没有审计链（不是本版本 judgedesk 写入的数据库）"),
            Finding::Edited(r) => write!(f, "{r}：内容与签封时不一致（被修改）"),
            Finding::Deleted(r) => write!(f, "{r}：已被删除（审计链中有它的签封）"),
            Finding::Inserted(r) => write!(f, "{r}：没有签封（绕过本程序插入）"),
            Finding::ChainBroken { seq, record } => write!(
                f,
                "审计链在第 {seq} 条（{record}）处断开：之前的链记录被删除、插入或改写"
            ),
            Finding::Forged { seq, record } => write!(
                f,
                "审计链第 {seq} 条（{record}）的哈希或签名无效（链记录被改写）"
            ),
            Finding::SchemaAdded { kind, name } => write!(
                f,
                "数据库结构中多出{}“{name}”（不是本程序创建的，可能被用来改写或签封记录）",
                schema_kind(kind)
            ),
            Finding::SchemaRemoved { kind, name } => {
                write!(f, "数据库结构中缺少{}“{name}”（被删除）", schema_kind(kind))
            }
            Finding::SchemaChanged { kind, name } => write!(
                f,
                "数据库结构中的{}“{name}”与本程序的定义不同（被修改，如增加了列）",
                schema_kind(kind)
            ),
            Finding::PinnedRoot { pinned, found } => write!(
                f,
                "本机记录该数据库由密钥 {pinned} 创建，此文件的审计链却由 {found} 开始（整条链被另一把密钥重新签封）"
            ),
            Finding::PinnedHeadMissing { seq, at, found } => write!(
                f,
                "本机于 {at} 记录该数据库的链头为第 {seq} 条，此文件只有 {found} 条（链被截短，或旧副本覆盖了文件）"
            ),
            Finding::PinnedHeadDiffers { seq, at } => write!(
                f,
                "本机于 {at} 记录的链头第 {seq} 条与此文件中的不同（链被改写，或换成了另一份副本）"
            ),
            Finding::PinnedFileOtherDatabase { id, at } => write!(
                f,
                "本机于 {at} 记录此文件是另一个数据库（编号 {id}…），现在却是别的数据库（文件被换成了另一份，如用新编号重新签封的副本）"
            ),
            Finding::RecordEdited(label) => {
                write!(f, "{label}：内容与签封时不一致（被修改）")
            }
            Finding::RecordDeleted(label) => {
                write!(f, "{label}：已被删除（审计链中有它的签封）")
            }
            Finding::RecordInserted(label) => {
                write!(f, "{label}：没有签封（绕过本程序写入）")
            }
            Finding::CurrentValue {
                contestant_id,
                criterion_id,
                judge_id,
            } => write!(
                f,
                "当前分数表（选手#{contestant_id} 评分项#{criterion_id} 裁判#{judge_id}）与评分记录不一致（被修改）"
            ),
            Finding::UntrustedSigner {
                seq,
                record,
                fingerprint,
            } => {
                write!(
                    f,
                    "审计链第 {seq} 条（{record}）由未登记的设备签名（指纹 {fingerprint}）"
                )
            }
        }
    }
}

fn schema_kind(kind: &str) -> &str {
    crate::store::schema::kind_word(kind)
}

/// Compares the file's schema with the one this app creates for the file's version.
fn check_schema(conn: &Connection, report: &mut Report) -> Result<()> {
    use crate::store::schema::Difference;
    let version = crate::store::schema_version(conn)?;
    if version > crate::store::latest_version() {
        return Ok(()); // a newer app's file: refused on open, not judged here
    }
    for difference in crate::store::schema::differences(conn)? {
        report.findings.push(match difference {
            Difference::Added { kind, name } => Finding::SchemaAdded { kind, name },
            Difference::Removed { kind, name } => Finding::SchemaRemoved { kind, name },
            Difference::Changed { kind, name } => Finding::SchemaChanged { kind, name },
        });
    }
    Ok(())
}

/// What `verify` found, with the facts that were checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Number of links in the chain.
    pub links: usize,
    /// Fingerprint of the laptop that created the database.
    pub root: Option<String>,
    /// Fingerprints of every laptop that sealed something.
    pub signers: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Finding {
    /// A departure from what this laptop pinned (not a fault of the file by itself): a restore
    /// may accept it when the coordinator gives a reason.
    pub fn is_pin(&self) -> bool {
        matches!(
            self,
            Finding::PinnedRoot { .. }
                | Finding::PinnedHeadMissing { .. }
                | Finding::PinnedHeadDiffers { .. }
                | Finding::PinnedFileOtherDatabase { .. }
        )
    }
}

/// Checks the open database: `PRAGMA integrity_check` (`full`) or `quick_check`, then the chain.
pub fn verify(conn: &Connection, full: bool) -> Result<Report> {
    let own = ledger::own_public_key(conn)?;
    Ok(verify_with(conn, full, &own))
}

/// `verify` on a database file, trusting this laptop's key from the environment.
pub fn verify_file(path: &Path) -> Result<Report> {
    let conn = open_unchanged(path)?;
    let own = ledger::own_public_key(&conn)?;
    Ok(verify_with(&conn, true, &own))
}

/// Opens an existing database file to read it: never created, never migrated, read-only when the
/// medium is; with the chain functions installed.
pub fn open_unchanged(path: &Path) -> Result<Connection> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(super::OpsError::io(
            e,
            format!("读取数据库文件 {} 失败", path.display()),
        ));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Whatever a file's triggers and views say, they run no function with side effects here.
    crate::store::distrust_schema(&conn)?;
    ledger::install(&mut conn, KeySource::from_environment())?;
    Ok(conn)
}

/// The checks, with this laptop's public key given. Read failures become findings.
pub fn verify_with(conn: &Connection, full: bool, own_key: &str) -> Report {
    let mut report = Report::default();
    match ledger::check_file(conn, full) {
        Ok(lines) => report
            .findings
            .extend(lines.into_iter().map(Finding::FileDamaged)),
        Err(e) => {
            report.findings.push(Finding::FileDamaged(e.to_string()));
            return report;
        }
    }
    if let Err(e) = check_schema(conn, &mut report) {
        report.findings.push(Finding::FileDamaged(e.to_string()));
    }
    if let Err(e) = check_chain(conn, own_key, &mut report) {
        report.findings.push(Finding::FileDamaged(e.to_string()));
    }
    if let Err(e) = check_pin(conn, &mut report) {
        report.findings.push(Finding::FileDamaged(e.to_string()));
    }
    report
}

/// The file against what this laptop pinned for the database (`store::pins`).
fn check_pin(conn: &Connection, report: &mut Report) -> Result<()> {
    use crate::store::pins;
    let Some(dir) = ledger::key_dir(conn)? else {
        return Ok(());
    };
    for departure in pins::check(conn, &dir)? {
        report.findings.push(pin_finding(departure));
    }
    Ok(())
}

fn pin_finding(departure: crate::store::pins::Departure) -> Finding {
    use crate::store::pins::Departure;
    match departure {
        Departure::Root { pinned, found } => Finding::PinnedRoot {
            pinned: chain::fingerprint(&pinned),
            found: chain::fingerprint(&found),
        },
        Departure::Shorter { seq, at, found } => Finding::PinnedHeadMissing { seq, at, found },
        Departure::Differs { seq, at } => Finding::PinnedHeadDiffers { seq, at },
        Departure::FileOfAnother { id, at } => Finding::PinnedFileOtherDatabase { id, at },
    }
}

/// How a backup departs from the head this laptop pinned for the file it would replace
/// (`target`): shorter or different there. A re-signed chain is found by `verify_with` itself.
pub fn departure_in_place_of(conn: &Connection, target: &Path) -> Result<Option<Finding>> {
    use crate::store::pins::{self, Departure};
    let (Some(dir), Some(id)) = (ledger::key_dir(conn)?, pins::database_id(conn)?) else {
        return Ok(None);
    };
    let Some(pin) = pins::read(&dir, &id) else {
        return Ok(None);
    };
    // The target file as SQLite names it, the way the pin recorded it.
    let file = rusqlite::Connection::open_with_flags(
        target,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()
    .and_then(|c| pins::file_of(&c));
    let Some(file) = file else {
        return Ok(None);
    };
    Ok(match pins::check_as(conn, pin, Some(&file))?.1 {
        Some(Departure::Root { .. }) | None => None,
        Some(other) => Some(pin_finding(other)),
    })
}

fn check_chain(conn: &Connection, own_key: &str, report: &mut Report) -> Result<()> {
    if !ledger::has_ledger(conn)? {
        report.findings.push(Finding::NoChain);
        return Ok(());
    }
    let links = ledger::links(conn)?;
    report.links = links.len();
    report.root = links.first().map(|l| chain::fingerprint(&l.signer));
    let mut signers: Vec<String> = Vec::new();
    for link in &links {
        let fp = chain::fingerprint(&link.signer);
        if !signers.contains(&fp) {
            signers.push(fp);
        }
    }
    report.signers = signers;

    // The rows as they are now, by kind and id.
    let mut current: HashMap<(String, i64), ledger::CurrentRow> = HashMap::new();
    for (kind, _, _) in SEALED {
        for row in ledger::current_rows(conn, kind)? {
            current.insert((kind.to_string(), row.row_id), row);
        }
    }
    let record = |kind: &str, row_id: i64| Record {
        kind: kind.to_string(),
        row_id,
        uid: current
            .get(&(kind.to_string(), row_id))
            .and_then(|r| r.uid.clone()),
    };

    for (index, fault) in chain::check_links(&links) {
        let link = &links[index];
        let record = record(&link.kind, link.row_id);
        report.findings.push(match fault {
            LinkFault::Broken => Finding::ChainBroken {
                seq: link.seq,
                record,
            },
            LinkFault::HashMismatch | LinkFault::BadSignature => Finding::Forged {
                seq: link.seq,
                record,
            },
        });
    }

    // Trust: this laptop, the creator, and laptops vouched for by a trusted laptop in an intact record.
    let mut trusted: HashSet<String> = HashSet::from([own_key.to_string()]);
    if let Some(first) = links.first() {
        trusted.insert(first.signer.clone());
    }
    let sealed: HashMap<(String, i64), &chain::Link> = links
        .iter()
        .map(|l| ((l.kind.clone(), l.row_id), l))
        .collect();
    let devices = ledger::trusted_devices(conn)?;
    loop {
        let before = trusted.len();
        for device in &devices {
            let key = ("device".to_string(), device.id);
            let (Some(link), Some(row)) = (sealed.get(&key), current.get(&key)) else {
                continue;
            };
            let intact = link.row_hash == row.row_hash
                && chain::verify(&link.signer, &link.hash, &link.signature);
            if intact && trusted.contains(&link.signer) {
                trusted.insert(device.public_key.clone());
            }
        }
        if trusted.len() == before {
            break;
        }
    }
    for link in &links {
        if !trusted.contains(&link.signer) {
            report.findings.push(Finding::UntrustedSigner {
                seq: link.seq,
                record: record(&link.kind, link.row_id),
                fingerprint: chain::fingerprint(&link.signer),
            });
        }
    }

    // Rows against their seals.
    for link in &links {
        let key = (link.kind.clone(), link.row_id);
        match current.get(&key) {
            None => report.findings.push(Finding::Deleted(Record {
                kind: link.kind.clone(),
                row_id: link.row_id,
                uid: None,
            })),
            Some(row) if row.row_hash != link.row_hash => report
                .findings
                .push(Finding::Edited(record(&link.kind, link.row_id))),
            Some(_) => {}
        }
    }
    check_records(conn, report)?;
    for (contestant_id, criterion_id, judge_id, _) in ledger::current_score_mismatches(conn)? {
        report.findings.push(Finding::CurrentValue {
            contestant_id,
            criterion_id,
            judge_id,
        });
    }
    let mut unsealed: Vec<&(String, i64)> = current
        .keys()
        .filter(|k| !sealed.contains_key(*k))
        .collect();
    unsealed.sort();
    for (kind, row_id) in unsealed {
        report
            .findings
            .push(Finding::Inserted(record(kind, *row_id)));
    }
    Ok(())
}

/// Every sealed record against its newest seal (the seals themselves are links checked above).
fn check_records(conn: &Connection, report: &mut Report) -> Result<()> {
    let sealed = crate::store::records::sealed(conn)?;
    let current = crate::store::records::current(conn)?;
    let mut found: Vec<(&crate::store::records::RecordKey, Finding)> = Vec::new();
    let label = |(kind, key): &crate::store::records::RecordKey| {
        crate::store::records::label(conn, kind, key)
    };
    for (record, hash) in &current {
        match sealed.get(record) {
            Some(Some(seal)) if seal == hash => {}
            Some(Some(_)) => found.push((record, Finding::RecordEdited(label(record)))),
            Some(None) | None => found.push((record, Finding::RecordInserted(label(record)))),
        }
    }
    for (record, seal) in &sealed {
        if seal.is_some() && !current.contains_key(record) {
            found.push((record, Finding::RecordDeleted(label(record))));
        }
    }
    found.sort_by(|a, b| a.0.cmp(b.0));
    report.findings.extend(found.into_iter().map(|(_, f)| f));
    Ok(())
}

/// What the window should do with a database file before working on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Startup {
    /// No file yet: it will be created.
    New,
    /// `quick_check` passed.
    Sound,
    /// The file is damaged: do not work on it. `backup` is the newest backup that verifies.
    Damaged {
        problems: Vec<String>,
        backup: Option<PathBuf>,
    },
}

/// The startup check: `PRAGMA quick_check` on the file, and for a damaged file the newest
/// verified backup to offer. Never changes the file.
pub fn startup_check(db: &Path) -> Startup {
    if !db.exists() {
        return Startup::New;
    }
    let problems = match Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(conn) => match ledger::check_file(&conn, false) {
            Ok(lines) => lines,
            Err(e) => vec![e.to_string()],
        },
        Err(e) => vec![crate::store::faults::describe(&e)],
    };
    if problems.is_empty() {
        return Startup::Sound;
    }
    let backup = super::backup::newest_verified(db).map(|found| found.path);
    Startup::Damaged { problems, backup }
}

/// A pool's lock as recorded, checked against the file's chain today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHead {
    pub pool: String,
    pub seq: i64,
    /// The hash recorded at the lock (and printed on the score sheets).
    pub hash: String,
    /// The file's link `seq` today: this is what the paper is compared with.
    pub now: Option<String>,
}

impl LockHead {
    pub fn matches(&self) -> bool {
        self.now.as_deref() == Some(self.hash.as_str())
    }
}

impl fmt::Display for LockHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.now {
            Some(now) if self.matches() => write!(
                f,
                "{} 锁定时的链头：第 {} 条，文件中现为 {now}（请与评分表上打印的哈希核对）",
                self.pool, self.seq
            ),
            Some(now) => write!(
                f,
                "{} 锁定时记录的链头第 {} 条为 {}，文件中现为 {now}：不一致",
                self.pool, self.seq, self.hash
            ),
            None => write!(
                f,
                "{} 锁定时的链头第 {} 条在文件中已不存在",
                self.pool, self.seq
            ),
        }
    }
}

/// The chain head recorded at each pool's (last) lock, and whether the file's chain still has
/// it: the number and hash on the paper score sheets are reconciled with the file here.
pub fn lock_heads(conn: &Connection) -> Result<Vec<LockHead>> {
    let mut heads = Vec::new();
    for pool in crate::store::competition::pools(conn)? {
        let events = crate::store::workflow::pool_events(conn, pool.id)?;
        if let Some(super::workflow::RecordedHead { link: seq, hash }) =
            super::workflow::lock_head(&events)
        {
            heads.push(LockHead {
                pool: pool.key.to_string(),
                now: ledger::hash_at(conn, seq)?,
                seq,
                hash,
            });
        }
    }
    Ok(heads)
}
