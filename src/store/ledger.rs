//! The tamper-evidence chain in SQL: the functions the sealing triggers call, signing in Rust, the
//! ledger and trusted-device tables, and reading rows back for verification.
//!
//! Every insert into a sealed table (and every change to a sealed record, see `store::records`) fires a
//! trigger that appends a ledger link in the same transaction, so no code path can store a row
//! unlinked. The triggers call pure functions registered on each connection by [`install`]:
//! `judgedesk_row_hash(kind, col…)`, `judgedesk_chain_hash(prev, kind, row_id, row_hash, signer)`,
//! `judgedesk_signer()` (this connection's public key) and `judgedesk_pending(hash)`, which only
//! notes the new link as waiting for its signature and stores an empty one. No SQL function
//! signs: the link is signed in Rust by [`seal_pending`], which [`super::Write::commit`] runs
//! before the commit, and a commit hook turns any commit that would leave a noted link unsigned
//! into a rollback. A connection without the functions (the `sqlite3` shell, an intruder's
//! script) cannot insert into a sealed table at all, and a trigger added to a file never runs
//! here: the schema is compared with the expected one on open (`super::open`).
//!
//! One file over 600 lines: the sealer a connection carries (its key, its noted links, the commit
//! hook) is private to it, and the sealing, the signing and the reading back for `verify` all go
//! through it; about a third of the file is its tests.

use super::Result;
use super::device_key::{self, KeyError};
use crate::core::chain::{self, Field, Link};
use ed25519_dalek::SigningKey;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The sealed tables: kind, table, and the columns hashed, in order. The migration's triggers pass
/// the same columns in the same order (a test checks that fresh rows verify).
pub const SEALED: &[(&str, &str, &str)] = &[
    (
        "score",
        "score_entry",
        "id, uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes",
    ),
    (
        "theory",
        "theory_entry",
        "id, contestant_id, value, entered_at, entered_by, source",
    ),
    (
        "audit",
        "audit",
        "id, at, actor, action, pool, contestant_id, subject, old_value, new_value, reason",
    ),
    (
        "device",
        "trusted_device",
        "id, public_key, name, added_at, added_by",
    ),
    (
        "device_pools",
        "device_pools",
        "id, public_key, pools, added_at, added_by",
    ),
    (
        "revocation",
        "device_revocation",
        "id, public_key, reason, revoked_at, revoked_by",
    ),
    (
        "merge",
        "merged_entry",
        "id, uid, bundle_digest, bundle_signer, merged_at",
    ),
    ("record", "record_seal", "id, kind, row_key, row_hash"),
];

/// Where a connection's signing key comes from.
#[derive(Clone)]
pub enum KeySource {
    /// The key file in this folder, read (or created) on the first seal.
    Directory(PathBuf),
    /// A key already in memory (tests, in-memory databases).
    Fixed(SigningKey),
}

impl KeySource {
    /// `$JUDGEDESK_KEY_DIR` or the platform folder: this laptop's identity (or the folder
    /// pinned for this process by `pin_key_dir`).
    pub fn from_environment() -> KeySource {
        #[cfg(test)]
        pin_key_dir(
            std::env::temp_dir().join(format!("judgedesk-unit-keys-{}", std::process::id())),
        );
        match PINNED_KEY_DIR.get() {
            Some(dir) => KeySource::Directory(dir.clone()),
            None => KeySource::Directory(device_key::default_dir()),
        }
    }

    /// A fresh random key that lives as long as the connection.
    pub fn ephemeral() -> KeySource {
        KeySource::Fixed(SigningKey::from_bytes(&rand::random::<[u8; 32]>()))
    }

    /// The key file, if the key lives in one.
    pub fn key_file(&self) -> Option<PathBuf> {
        match self {
            KeySource::Directory(dir) => Some(device_key::key_path(dir)),
            KeySource::Fixed(_) => None,
        }
    }
}

static PINNED_KEY_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Pins the key folder every connection of this process opened through
/// `KeySource::from_environment` uses, whatever the environment says: tests pin a temporary
/// folder so that no test reaches the real data folder. The first pin wins; returns the folder in
/// force.
pub fn pin_key_dir(dir: PathBuf) -> &'static std::path::Path {
    PINNED_KEY_DIR.get_or_init(|| dir)
}

/// What one connection seals with: its key (loaded on first use) and the links its triggers
/// appended that still wait for their signature.
struct Sealer {
    source: KeySource,
    key: OnceLock<std::result::Result<SigningKey, String>>,
    pending: Mutex<Vec<String>>,
}

impl Sealer {
    fn key(&self) -> std::result::Result<SigningKey, String> {
        self.key
            .get_or_init(|| match &self.source {
                KeySource::Directory(dir) => {
                    device_key::load_or_create(dir).map_err(|e: KeyError| e.to_string())
                }
                KeySource::Fixed(key) => Ok(key.clone()),
            })
            .clone()
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Each open connection's sealer, by the token its `judgedesk_connection()` answers. Entries of
/// closed connections are dropped as new ones are installed.
static SEALERS: OnceLock<Mutex<HashMap<i64, Weak<Sealer>>>> = OnceLock::new();

fn sealers() -> std::sync::MutexGuard<'static, HashMap<i64, Weak<Sealer>>> {
    SEALERS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn user_error(message: String) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(message.into())
}

fn text_arg(ctx: &Context<'_>, index: usize) -> rusqlite::Result<String> {
    match ctx.get_raw(index) {
        ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).to_string()),
        ValueRef::Integer(i) => Ok(i.to_string()),
        _ => Err(user_error(format!(
            "judgedesk 链函数第 {} 个参数应为文本",
            index + 1
        ))),
    }
}

/// A column value as the chain hashes it.
pub fn field(value: ValueRef<'_>) -> Field<'_> {
    match value {
        ValueRef::Null => Field::Null,
        ValueRef::Integer(i) => Field::Int(i),
        ValueRef::Real(r) => Field::Real(r),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(Field::Text)
            .unwrap_or(Field::Blob(t)),
        ValueRef::Blob(b) => Field::Blob(b),
    }
}

/// Registers the chain functions on `conn`, sealing with `source`'s key, and the commit hook that
/// refuses to commit a link left unsigned.
pub fn install(conn: &mut Connection, source: KeySource) -> rusqlite::Result<()> {
    let pure = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("judgedesk_row_hash", -1, pure, |ctx| {
        if ctx.is_empty() {
            return Err(user_error("judgedesk_row_hash 需要参数".into()));
        }
        let kind = text_arg(ctx, 0)?;
        let fields: Vec<Field<'_>> = (1..ctx.len()).map(|i| field(ctx.get_raw(i))).collect();
        Ok(chain::row_hash(&kind, &fields))
    })?;
    conn.create_scalar_function("judgedesk_chain_hash", 5, pure, |ctx| {
        let row_id: i64 = ctx.get(2)?;
        Ok(chain::link_hash(
            &text_arg(ctx, 0)?,
            &text_arg(ctx, 1)?,
            row_id,
            &text_arg(ctx, 3)?,
            &text_arg(ctx, 4)?,
        ))
    })?;
    let sealer = Arc::new(Sealer {
        source,
        key: OnceLock::new(),
        pending: Mutex::new(Vec::new()),
    });
    let token = {
        let mut all = sealers();
        all.retain(|_, s| s.strong_count() > 0);
        let mut token = rand::random::<i64>();
        while all.contains_key(&token) {
            token = rand::random::<i64>();
        }
        all.insert(token, Arc::downgrade(&sealer));
        token
    };
    conn.create_scalar_function("judgedesk_connection", 0, pure, move |_ctx| Ok(token))?;
    let signer = sealer.clone();
    conn.create_scalar_function("judgedesk_signer", 0, pure, move |_ctx| {
        Ok(chain::public_hex(&signer.key().map_err(user_error)?))
    })?;
    // Not deterministic: each call notes a link. `judgedesk_sign` is the name the triggers of
    // schema version 4 call (it signed there); it is kept, noting only, for files migrated from
    // before version 6, whose migration 4 still runs it.
    let noting = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    for name in ["judgedesk_pending", "judgedesk_sign"] {
        let noter = sealer.clone();
        conn.create_scalar_function(name, 1, noting, move |ctx| {
            noter.pending().push(text_arg(ctx, 0)?);
            Ok(String::new())
        })?;
    }
    conn.commit_hook(Some(move || {
        // `true` turns the commit into a rollback: a link noted and not signed never lands.
        let mut pending = sealer.pending();
        let refuse = !pending.is_empty();
        pending.clear();
        refuse
    }))?;
    Ok(())
}

fn sealer_of(conn: &Connection) -> Result<Arc<Sealer>> {
    let token: i64 = conn.query_row("SELECT judgedesk_connection()", [], |r| r.get(0))?;
    sealers()
        .get(&token)
        .and_then(Weak::upgrade)
        .ok_or_else(|| super::StoreError::Invalid("连接未安装签封函数".into()))
}

fn key_error(message: String) -> super::StoreError {
    super::StoreError::Invalid(message)
}

/// Signs, in Rust, every link this connection's triggers appended since the last call: the link
/// is found by its hash among the unsigned ones and given its signature. A link that a failed
/// statement rolled back is simply not found. Runs inside the transaction, before its commit.
pub fn seal_pending(conn: &Connection) -> Result<usize> {
    let sealer = sealer_of(conn)?;
    let pending = std::mem::take(&mut *sealer.pending());
    if pending.is_empty() {
        return Ok(0);
    }
    let signed = (|| -> Result<()> {
        let key = sealer.key().map_err(key_error)?;
        let mut stmt = conn.prepare_cached(
            "UPDATE ledger SET signature = ?2 WHERE hash = ?1 AND signature = ''",
        )?;
        for hash in &pending {
            stmt.execute(params![hash, chain::sign(&key, hash)])?;
        }
        Ok(())
    })();
    signed.map(|()| pending.len())
}

/// The key folder this connection's key lives in (where its databases are pinned), if any.
pub fn key_dir(conn: &Connection) -> Result<Option<PathBuf>> {
    Ok(match &sealer_of(conn)?.source {
        KeySource::Directory(dir) => Some(dir.clone()),
        KeySource::Fixed(_) => None,
    })
}

/// Forgets the links noted and not signed: a transaction beginning, or one rolled back.
pub fn forget_pending(conn: &Connection) -> Result<()> {
    sealer_of(conn)?.pending().clear();
    Ok(())
}

/// This connection's signer: the laptop's public key in hex (creating the key on first use).
pub fn own_public_key(conn: &Connection) -> Result<String> {
    let key = sealer_of(conn)?.key().map_err(key_error)?;
    Ok(chain::public_hex(&key))
}

/// Signs `message` with this connection's key: the signature in hex.
pub fn sign(conn: &Connection, message: &str) -> Result<String> {
    let key = sealer_of(conn)?.key().map_err(key_error)?;
    Ok(chain::sign(&key, message))
}

/// Whether anything is sealed yet, and whether `public_key` signed any of it or is registered
/// as a trusted laptop: `(sealed anything, knows the key)`.
pub fn knows_signer(conn: &Connection, public_key: &str) -> Result<(bool, bool)> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM ledger),
                EXISTS(SELECT 1 FROM ledger WHERE signer = ?1)
                OR EXISTS(SELECT 1 FROM trusted_device WHERE public_key = ?1)",
        [public_key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Whether this database has the chain (schema version 2 or later).
pub fn has_ledger(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger'",
        [],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Whether the file has this table (a file from an older version may lack a sealed table).
pub fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Every link, in order.
pub fn links(conn: &Connection) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare("SELECT seq, kind, row_id, row_hash, prev_hash, hash, signer, signature FROM ledger ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(Link {
            seq: r.get(0)?,
            kind: r.get(1)?,
            row_id: r.get(2)?,
            row_hash: r.get(3)?,
            prev_hash: r.get(4)?,
            hash: r.get(5)?,
            signer: r.get(6)?,
            signature: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest link: its number and hash. `None` for an empty chain.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The hash of link `seq`, if there is one.
pub fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT hash FROM ledger WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?)
}

/// One sealed row as it is now: its id, the hash of its current content and, for score
/// entries, the uid that names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentRow {
    pub row_id: i64,
    pub row_hash: String,
    pub uid: Option<String>,
}

/// Every row of one sealed kind, hashed as the triggers hash them.
pub fn current_rows(conn: &Connection, kind: &str) -> Result<Vec<CurrentRow>> {
    let Some((_, table, columns)) = SEALED.iter().find(|(k, _, _)| *k == kind) else {
        return Ok(Vec::new());
    };
    if !table_exists(conn, table)? {
        return Ok(Vec::new()); // a file from before the table (its links, if any, show as deleted)
    }
    let count = columns.split(',').count();
    let mut stmt = conn.prepare(&format!("SELECT {columns} FROM {table} ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut fields = Vec::with_capacity(count);
        for i in 0..count {
            fields.push(field(r.get_ref(i)?));
        }
        let row_id = match fields.first() {
            Some(Field::Int(id)) => *id,
            _ => continue,
        };
        let uid = match (kind, fields.get(1)) {
            ("score", Some(Field::Text(uid))) => Some(uid.to_string()),
            _ => None,
        };
        out.push(CurrentRow {
            row_id,
            row_hash: chain::row_hash(kind, &fields),
            uid,
        });
    }
    Ok(out)
}

/// Row counts of the sealed tables and of their links, per kind: equal in a healthy file.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64, i64)>> {
    let mut out = Vec::new();
    for (kind, table, _) in SEALED {
        let rows: i64 = if table_exists(conn, table)? {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?
        } else {
            0
        };
        let links: i64 =
            conn.query_row("SELECT count(*) FROM ledger WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })?;
        out.push((*kind, rows, links));
    }
    Ok(out)
}

/// Cells whose `current_score` row is not what the insert triggers make of the cell's newest
/// entry (the table is derived, not sealed; a change to it would change results unseen).
/// Returns (contestant, criterion, judge, entry id held or expected).
pub fn current_score_mismatches(conn: &Connection) -> Result<Vec<(i64, i64, i64, i64)>> {
    let mut stmt = conn.prepare(
        "WITH newest AS (SELECT max(id) AS id FROM score_entry GROUP BY contestant_id, criterion_id, judge_id),
              expected AS (SELECT e.contestant_id, e.criterion_id, e.judge_id, e.id AS entry_id, e.value
                           FROM newest n JOIN score_entry e ON e.id = n.id WHERE e.value IS NOT NULL),
              held AS (SELECT contestant_id, criterion_id, judge_id, entry_id, value FROM current_score)
         SELECT contestant_id, criterion_id, judge_id, entry_id FROM (SELECT * FROM held EXCEPT SELECT * FROM expected)
         UNION
         SELECT contestant_id, criterion_id, judge_id, entry_id FROM (SELECT * FROM expected EXCEPT SELECT * FROM held)
         ORDER BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A laptop whose key this database trusts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedDevice {
    pub id: i64,
    pub public_key: String,
    pub name: String,
    pub added_at: String,
    pub added_by: String,
}

/// Every trust record, oldest first (a later record for the same key renames it).
pub fn trusted_devices(conn: &Connection) -> Result<Vec<TrustedDevice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, public_key, name, added_at, added_by FROM trusted_device ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TrustedDevice {
            id: r.get(0)?,
            public_key: r.get(1)?,
            name: r.get(2)?,
            added_at: r.get(3)?,
            added_by: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The current name of a trusted key.
pub fn device_name(conn: &Connection, public_key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM trusted_device WHERE public_key = ?1 ORDER BY id DESC LIMIT 1",
            [public_key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records trust in a key (sealed by the trigger like every other record).
pub fn add_trusted_device(
    conn: &Connection,
    public_key: &str,
    name: &str,
    added_by: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO trusted_device (public_key, name, added_at, added_by) VALUES (?1, ?2, ?3, ?4)",
        params![public_key, name, super::now_text(), added_by],
    )?;
    Ok(())
}

/// The pools a trusted laptop serves: its newest `device_pools` record (pool keys such as
/// `DS-ZG`). `None` when none was ever recorded.
pub fn device_pools(conn: &Connection, public_key: &str) -> Result<Option<Vec<String>>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT pools FROM device_pools WHERE public_key = ?1 ORDER BY id DESC LIMIT 1",
            [public_key],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.map(|t| {
        t.split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    }))
}

/// Records the pools a trusted laptop serves from now on (sealed by the trigger).
pub fn set_device_pools(
    conn: &Connection,
    public_key: &str,
    pools: &[String],
    added_by: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO device_pools (public_key, pools, added_at, added_by) VALUES (?1, ?2, ?3, ?4)",
        params![public_key, pools.join(","), super::now_text(), added_by],
    )?;
    Ok(())
}

/// A withdrawal of trust in a laptop's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    pub reason: String,
    pub revoked_at: String,
    pub revoked_by: String,
}

/// The revocation of a key, if it was ever revoked (the first one counts; it is final).
pub fn revocation(conn: &Connection, public_key: &str) -> Result<Option<Revocation>> {
    Ok(conn
        .query_row(
            "SELECT reason, revoked_at, revoked_by FROM device_revocation WHERE public_key = ?1 ORDER BY id LIMIT 1",
            [public_key],
            |r| {
                Ok(Revocation {
                    reason: r.get(0)?,
                    revoked_at: r.get(1)?,
                    revoked_by: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Withdraws trust in a key (sealed by the trigger).
pub fn revoke_device(
    conn: &Connection,
    public_key: &str,
    reason: &str,
    revoked_by: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO device_revocation (public_key, reason, revoked_at, revoked_by) VALUES (?1, ?2, ?3, ?4)",
        params![public_key, reason, super::now_text(), revoked_by],
    )?;
    Ok(())
}

/// The signer of each score entry's link, by entry id.
pub fn score_signers(conn: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut stmt = conn.prepare("SELECT row_id, signer FROM ledger WHERE kind = 'score'")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `PRAGMA quick_check` (`full` = `integrity_check`): the problems found, empty when the file is sound.
pub fn check_file(conn: &Connection, full: bool) -> Result<Vec<String>> {
    let pragma = if full {
        "PRAGMA integrity_check"
    } else {
        "PRAGMA quick_check"
    };
    let mut stmt = conn.prepare(pragma)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let lines: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_inserted_by_any_path_are_sealed_and_verify() -> Result<()> {
        let conn = super::super::open_in_memory()?;
        crate::ops::setup::init(&conn)
            .map_err(|e| super::super::StoreError::Invalid(e.to_string()))?;
        crate::ops::demo::populate(&conn)
            .map_err(|e| super::super::StoreError::Invalid(e.to_string()))?;
        let tx = super::super::begin(&conn)?;
        add_trusted_device(&tx, &own_public_key(&tx)?, "测试机", "测试")?;
        tx.commit()?;
        let links = links(&conn)?;
        assert!(links.len() > 100);
        let faults = chain::check_links(&links);
        assert!(
            faults.is_empty(),
            "{} faulty links, first {:?}",
            faults.len(),
            faults.first()
        );
        for (kind, rows, sealed) in counts(&conn)? {
            assert_eq!(rows, sealed, "{kind}");
            let by_id: std::collections::HashMap<i64, String> = links
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| (l.row_id, l.row_hash.clone()))
                .collect();
            for row in current_rows(&conn, kind)? {
                assert_eq!(
                    by_id.get(&row.row_id),
                    Some(&row.row_hash),
                    "{kind} #{}",
                    row.row_id
                );
            }
        }
        Ok(())
    }

    #[test]
    fn upgrading_a_file_from_before_the_chain_seals_its_rows_in_order() -> Result<()> {
        use super::super::schema::MIGRATIONS;
        let chain_version = MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE ledger"))
            .unwrap_or(0);
        let mut conn = Connection::open_in_memory()?;
        install(&mut conn, KeySource::ephemeral())?;
        for migration in &MIGRATIONS[..chain_version] {
            conn.execute_batch(migration)?;
        }
        conn.execute_batch(&format!(
            "PRAGMA user_version = {chain_version};
             INSERT INTO audit (at, actor, action) VALUES ('t1', 'a', 'x'), ('t2', 'b', 'y');"
        ))?;
        super::super::migrate(&conn, None)?;
        let links = links(&conn)?;
        assert_eq!(
            links
                .iter()
                .map(|l| (l.kind.as_str(), l.row_id))
                .collect::<Vec<_>>(),
            // The two rows, then the database's id (a setting, sealed as a record; version 8).
            vec![("audit", 1), ("audit", 2), ("record", 1)]
        );
        assert!(chain::check_links(&links).is_empty());
        let tx = super::super::begin(&conn)?;
        tx.execute(
            "INSERT INTO audit (at, actor, action) VALUES ('t3', 'c', 'z')",
            [],
        )?;
        tx.commit()?;
        assert_eq!(head(&conn)?.map(|(seq, _)| seq), Some(4));
        assert!(chain::check_links(&super::links(&conn)?).is_empty());
        Ok(())
    }

    #[test]
    fn no_sql_function_signs_a_link() -> Result<()> {
        let conn = super::super::open_in_memory()?;
        // What a trigger could call: the old signing names answer an empty string and sign nothing.
        for call in ["judgedesk_sign('ab')", "judgedesk_pending('ab')"] {
            let answer: String = conn.query_row(&format!("SELECT {call}"), [], |r| r.get(0))?;
            assert_eq!(answer, "", "{call}");
        }
        // A noted hash that is no link of this transaction is not signed by anything: the next
        // write signs its own link only.
        let tx = super::super::begin(&conn)?;
        tx.execute(
            "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
            [],
        )?;
        tx.commit()?;
        let links = links(&conn)?;
        assert_eq!(links.iter().filter(|l| l.kind == "audit").count(), 1);
        assert!(chain::check_links(&links).is_empty());
        Ok(())
    }

    #[test]
    fn a_link_left_unsigned_is_never_committed() -> Result<()> {
        let conn = super::super::open_in_memory()?;
        // Autocommit, with no `store::Write` to sign: the commit is turned into a rollback.
        assert!(
            conn.execute(
                "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
                []
            )
            .is_err()
        );
        let stored: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
        assert_eq!(stored, 0);
        // Through a write transaction the same row is signed in Rust and lands.
        let tx = super::super::begin(&conn)?;
        tx.execute(
            "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
            [],
        )?;
        tx.commit()?;
        let links = links(&conn)?;
        assert_eq!(links.iter().filter(|l| l.kind == "audit").count(), 1);
        assert!(chain::check_links(&links).is_empty());
        Ok(())
    }

    #[test]
    fn a_signed_link_cannot_be_changed() -> Result<()> {
        let conn = super::super::open_in_memory()?;
        let tx = super::super::begin(&conn)?;
        tx.execute(
            "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
            [],
        )?;
        tx.commit()?;
        for change in [
            "UPDATE ledger SET signature = 'ab'",
            "UPDATE ledger SET signature = ''",
            "UPDATE ledger SET row_hash = 'ab'",
            "DELETE FROM ledger",
        ] {
            assert!(conn.execute(change, []).is_err(), "{change}");
        }
        Ok(())
    }

    #[test]
    fn a_connection_without_the_functions_cannot_insert_sealed_rows() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("judgedesk-ledger-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| super::super::StoreError::Invalid(e.to_string()))?;
        let path = dir.join("t.sqlite");
        drop(super::super::open_with_keys(&path, KeySource::ephemeral())?);
        let plain = Connection::open(&path)?;
        assert!(
            plain
                .execute(
                    "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')",
                    []
                )
                .is_err()
        );
        drop(plain);
        let _ignored = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
