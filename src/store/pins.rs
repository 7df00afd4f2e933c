//! Trust roots pinned outside the database: for every database this laptop created or accepted,
//! a small file in the key folder (`databases/<id>.pin`) holding the database's id (the
//! `database.id` setting, made once by migration 8), its root key (the signer of its first link),
//! the newest chain head this laptop saw, and the heads of the backups it wrote (a restore of one
//! of those is a state this laptop saved itself, not a copy from elsewhere), and the file the
//! head is of: a backup restored into another file shares the id, so a shorter or different
//! head is held only against the file it was recorded for (a re-signed chain against any).
//!
//! The head is recorded after every commit that appended links (`store::Write::commit`), only
//! while the file still extends the recorded head under the same root: a file that does not (an
//! older copy laid over it, a truncated or re-signed chain) keeps the evidence until `verify`
//! names it and a restore accepts another state with a reason. The pin is written by a rename,
//! without flushing: a pin lost in a power cut is only an older head, which the file still
//! extends, so it can never raise a false alarm, and saving a score pays no extra flush.

use super::Result;
use super::ledger;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The setting that names a database, copied with it into every backup.
pub const ID_SETTING: &str = "database.id";

/// What this laptop recorded of one database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    pub id: String,
    /// The public key (hex) that signed the database's first link.
    pub root: String,
    /// The newest head seen: link number and hash.
    pub seq: i64,
    pub hash: String,
    /// When the head was recorded (local time).
    pub at: String,
    /// The heads of the newest backups this laptop wrote of the database, oldest first.
    pub backups: Vec<(i64, String)>,
    /// The file whose head this is (as SQLite names it). A copy restored into another file
    /// shares the database's id: the pin follows whichever copy committed last, and the head of
    /// one file is never held against another (no false "truncated" for a sibling copy).
    pub file: Option<String>,
}

/// Backup heads kept per database.
const BACKUPS_KEPT: usize = 200;

/// How a database file departs from what this laptop pinned for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Departure {
    /// The first link is signed by another key: the chain was re-signed end to end.
    Root { pinned: String, found: String },
    /// The chain ends before the recorded head: truncated, or an older copy.
    Shorter { seq: i64, at: String, found: i64 },
    /// The link at the recorded head is another one: rewritten, or another copy.
    Differs { seq: i64, at: String },
    /// This laptop last saw the file as another database (its id shortened): a copy of some
    /// other database, such as one re-signed under a new id, was laid over the file.
    FileOfAnother { id: String, at: String },
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn pin_path(key_dir: &Path, id: &str) -> PathBuf {
    key_dir.join("databases").join(format!("{id}.pin"))
}

/// The pin of database `id` in `key_dir`, if this laptop has one (an unreadable pin reads as none).
pub fn read(key_dir: &Path, id: &str) -> Option<Pin> {
    if !valid_id(id) {
        return None;
    }
    let text = std::fs::read_to_string(pin_path(key_dir, id)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != "judgedesk-pin-v1" {
        return None;
    }
    let mut field = |name: &str| -> Option<String> {
        lines
            .next()?
            .strip_prefix(name)?
            .strip_prefix(' ')
            .map(str::to_string)
    };
    let root = field("root")?;
    let seq = field("seq")?.parse().ok()?;
    let hash = field("hash")?;
    let at = field("at")?;
    let rest: Vec<&str> = lines.collect();
    let file = rest
        .iter()
        .find_map(|line| line.strip_prefix("file "))
        .map(str::to_string);
    let backups = rest
        .into_iter()
        .filter_map(|line| {
            let (seq, hash) = line.strip_prefix("backup ")?.split_once(' ')?;
            Some((seq.parse().ok()?, hash.to_string()))
        })
        .collect();
    Some(Pin {
        id: id.to_string(),
        root,
        seq,
        hash,
        at,
        backups,
        file,
    })
}

/// Writes a pin: a new temporary file renamed over the old one.
pub fn write(key_dir: &Path, pin: &Pin) -> std::io::Result<()> {
    if !valid_id(&pin.id) {
        return Err(std::io::Error::other("invalid database id"));
    }
    let path = pin_path(key_dir, &pin.id);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let temp = path.with_extension(format!(
        "pin.{}-{}.partial",
        std::process::id(),
        rand::random::<u64>()
    ));
    let mut text = format!(
        "judgedesk-pin-v1\nroot {}\nseq {}\nhash {}\nat {}\n",
        pin.root, pin.seq, pin.hash, pin.at
    );
    if let Some(file) = &pin.file {
        text.push_str(&format!("file {file}\n"));
    }
    let skip = pin.backups.len().saturating_sub(BACKUPS_KEPT);
    for (seq, hash) in pin.backups.iter().skip(skip) {
        text.push_str(&format!("backup {seq} {hash}\n"));
    }
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, &path).inspect_err(|_| {
        let _ignored = std::fs::remove_file(&temp);
    })
}

/// The database's id; `None` for a file from before ids (schema version 8).
pub fn database_id(conn: &Connection) -> Result<Option<String>> {
    super::competition::setting(conn, ID_SETTING)
}

/// The file's root key (first link's signer) and head; `None` for an empty chain.
fn root_and_head(conn: &Connection) -> Result<Option<(String, i64, String)>> {
    if !ledger::has_ledger(conn)? {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT (SELECT signer FROM ledger ORDER BY seq LIMIT 1), seq, hash
             FROM ledger ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// How the file departs from `pin`; `None` when it extends it.
pub fn departure(conn: &Connection, pin: &Pin) -> Result<Option<Departure>> {
    let Some((root, seq, _)) = root_and_head(conn)? else {
        return Ok(Some(Departure::Shorter {
            seq: pin.seq,
            at: pin.at.clone(),
            found: 0,
        }));
    };
    if root != pin.root {
        return Ok(Some(Departure::Root {
            pinned: pin.root.clone(),
            found: root,
        }));
    }
    if seq < pin.seq {
        return Ok(Some(Departure::Shorter {
            seq: pin.seq,
            at: pin.at.clone(),
            found: seq,
        }));
    }
    if ledger::hash_at(conn, pin.seq)?.as_deref() != Some(pin.hash.as_str()) {
        return Ok(Some(Departure::Differs {
            seq: pin.seq,
            at: pin.at.clone(),
        }));
    }
    Ok(None)
}

/// How the open database departs from what this laptop pinned: against its own pin (when the
/// database has an id this laptop pinned), and against the pins of other databases that name
/// this file as theirs ([`Departure::FileOfAnother`]). A judging pack is not held against other
/// databases' claims: each new pack the master writes for the laptop replaces the old one.
pub fn check(conn: &Connection, key_dir: &Path) -> Result<Vec<Departure>> {
    let id = database_id(conn)?;
    let file = file_of(conn);
    let mut found = Vec::new();
    if let Some(pin) = id.as_deref().and_then(|id| read(key_dir, id))
        && let (_, Some(departure)) = check_as(conn, pin, file.as_deref())?
    {
        found.push(departure);
    }
    let Some(file) = file else {
        return Ok(found);
    };
    if super::pack::pack_device(conn)?.is_some() {
        return Ok(found);
    }
    found.extend(
        others_claiming(key_dir, id.as_deref(), &file)
            .into_iter()
            .map(|other| Departure::FileOfAnother {
                id: other.id.chars().take(8).collect(),
                at: other.at,
            }),
    );
    Ok(found)
}

/// How the open database departs from `pin` if it stood in `file`'s place: a chain re-signed
/// with another key whatever the file; a shorter or different head only against the pin of that
/// file. `restore` asks this of a backup in the place of the file it replaces.
pub fn check_as(
    conn: &Connection,
    pin: Pin,
    file: Option<&str>,
) -> Result<(Pin, Option<Departure>)> {
    let departure = match departure(conn, &pin)? {
        Some(root @ Departure::Root { .. }) => Some(root),
        Some(_) if pin.file.is_some() && pin.file.as_deref() != file => None,
        other => other,
    };
    Ok((pin, departure))
}

/// The file an open connection reads (`None` in memory).
pub fn file_of(conn: &Connection) -> Option<String> {
    conn.path().filter(|p| !p.is_empty()).map(str::to_string)
}

/// Whether the pin is of this file (a pin from before files were noted counts as this file's).
fn describes(pin: &Pin, conn: &Connection) -> bool {
    pin.file.is_none() || pin.file == file_of(conn)
}

/// Records the file's head after a commit: pins a database seen for the first time, advances
/// the head of one that extends its pin, and leaves a departed pin alone (it is the evidence).
pub fn advance(conn: &Connection, key_dir: &Path) -> Result<()> {
    let Some(id) = database_id(conn)? else {
        return Ok(());
    };
    let Some((root, seq, hash)) = root_and_head(conn)? else {
        return Ok(());
    };
    let backups = match read(key_dir, &id) {
        Some(pin) if describes(&pin, conn) && pin.seq == seq => return Ok(()),
        Some(pin) if describes(&pin, conn) && departure(conn, &pin)?.is_some() => return Ok(()),
        // This file's pin moves on; a sibling copy's pin is taken over by the file that commits.
        Some(pin) => pin.backups,
        None => Vec::new(),
    };
    write_pin(conn, key_dir, id, root, seq, hash, backups)
}

/// Notes that this laptop wrote a backup of the open database whose chain ends at `head`.
pub fn note_backup(conn: &Connection, key_dir: &Path, head: (i64, String)) -> Result<()> {
    let Some(id) = database_id(conn)? else {
        return Ok(());
    };
    let Some((root, seq, hash)) = root_and_head(conn)? else {
        return Ok(());
    };
    let mut pin = read(key_dir, &id).unwrap_or(Pin {
        id,
        root,
        seq,
        hash,
        at: super::now_text(),
        backups: Vec::new(),
        file: file_of(conn),
    });
    if !pin.backups.contains(&head) {
        pin.backups.push(head);
    }
    write(key_dir, &pin).map_err(|e| pin_error(key_dir, &e))
}

/// Whether the open file's chain ends where a backup this laptop wrote of it ended.
pub fn is_own_backup(conn: &Connection, key_dir: &Path) -> Result<bool> {
    let Some(id) = database_id(conn)? else {
        return Ok(false);
    };
    let (Some(pin), Some((_, seq, hash))) = (read(key_dir, &id), root_and_head(conn)?) else {
        return Ok(false);
    };
    Ok(pin.backups.contains(&(seq, hash)))
}

/// Pins the file as it is now, whatever was pinned before: a restore the coordinator accepted.
/// Other databases' claims on the file are given up ([`release_file`]).
pub fn accept(conn: &Connection, key_dir: &Path) -> Result<()> {
    let Some(id) = database_id(conn)? else {
        return Ok(());
    };
    let Some((root, seq, hash)) = root_and_head(conn)? else {
        return Ok(());
    };
    let backups = read(key_dir, &id).map(|p| p.backups).unwrap_or_default();
    write_pin(conn, key_dir, id, root, seq, hash, backups)?;
    release_file(conn, key_dir)
}

/// The pins of other databases than `id` that name `file` as theirs: when this laptop last saw
/// that file, it was another database. A copy of another database laid over the file (a chain
/// re-signed under a new id, say) is found this way, since its own id has no pin to compare with.
fn others_claiming(key_dir: &Path, id: Option<&str>, file: &str) -> Vec<Pin> {
    let Ok(entries) = std::fs::read_dir(key_dir.join("databases")) else {
        return Vec::new();
    };
    let mut pins: Vec<Pin> = entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name();
            let other = name.to_str()?.strip_suffix(".pin")?.to_string();
            (Some(other.as_str()) != id).then(|| read(key_dir, &other))?
        })
        .filter(|pin| pin.file.as_deref() == Some(file))
        .collect();
    pins.sort_by(|a, b| a.at.cmp(&b.at));
    pins
}

/// Gives up the claims other databases' pins make on the open file: a new database was made
/// there, or the coordinator accepted a restore of another database over it. Such a pin keeps
/// its root key and heads but names no file ([`RELEASED`]), so it is held against no file.
pub fn release_file(conn: &Connection, key_dir: &Path) -> Result<()> {
    let Some(file) = file_of(conn) else {
        return Ok(());
    };
    let id = database_id(conn)?;
    for mut pin in others_claiming(key_dir, id.as_deref(), &file) {
        pin.file = Some(RELEASED.to_string());
        write(key_dir, &pin).map_err(|e| pin_error(key_dir, &e))?;
    }
    Ok(())
}

/// The file of a pin whose file was taken over by another database: it matches no file.
pub const RELEASED: &str = "";

fn pin_error(key_dir: &Path, e: &std::io::Error) -> super::StoreError {
    super::StoreError::Invalid(format!(
        "无法在 {} 记录数据库的链头: {e}",
        key_dir.display()
    ))
}

fn write_pin(
    conn: &Connection,
    key_dir: &Path,
    id: String,
    root: String,
    seq: i64,
    hash: String,
    backups: Vec<(i64, String)>,
) -> Result<()> {
    let pin = Pin {
        id,
        root,
        seq,
        hash,
        at: super::now_text(),
        backups,
        file: file_of(conn),
    };
    write(key_dir, &pin).map_err(|e| pin_error(key_dir, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_reads_back_and_a_damaged_one_reads_as_none() {
        let dir = std::env::temp_dir().join(format!("judgedesk-pins-{}", std::process::id()));
        let pin = Pin {
            id: "ab12".into(),
            root: "cd".repeat(32),
            seq: 42,
            hash: "ef".repeat(32),
            at: "2023-11-15 14:03:27.123".into(),
            backups: vec![(40, "01".repeat(32)), (41, "02".repeat(32))],
            file: Some("/场地/评分.sqlite".into()),
        };
        write(&dir, &pin).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(&dir, "ab12"), Some(pin));
        assert_eq!(read(&dir, "../ab12"), None);
        std::fs::write(pin_path(&dir, "ab12"), "judgedesk-pin-v1\nroot x\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(&dir, "ab12"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
