//! Merging score entries from another laptop: this laptop's own entries for a bundle, entries inserted with their original uid, and the merge conflicts the chief judge decides.

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// A score entry named by what every copy of the database agrees on (pool, ID number,
/// criterion code, judge name) rather than by local row ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortableEntry {
    pub uid: String,
    pub event: String,
    pub group: String,
    pub id_number: String,
    pub criterion: String,
    pub judge: String,
    pub value: Option<i64>,
    pub entered_at: String,
    pub entered_by: String,
    pub device: String,
    pub source: String,
    pub supersedes: Option<String>,
}

/// The source recorded on entries that arrived in a bundle.
pub const BUNDLE_SOURCE: &str = "bundle";

/// The score entries this laptop made (sealed with `signer`, not themselves merged in), oldest first.
pub fn own_entries(conn: &Connection, signer: &str) -> Result<Vec<PortableEntry>> {
    let mut stmt = conn.prepare(
        "SELECT e.uid, p.event, p.grp, t.id_number, k.code, a.name, e.value, e.entered_at, e.entered_by, e.device, e.source, e.supersedes
         FROM score_entry e
         JOIN ledger l ON l.kind = 'score' AND l.row_id = e.id
         JOIN contestant t ON t.id = e.contestant_id
         JOIN criterion k ON k.id = e.criterion_id
         JOIN pool p ON p.id = k.pool_id
         JOIN account a ON a.id = e.judge_id
         WHERE l.signer = ?1 AND e.source <> ?2
         ORDER BY e.id",
    )?;
    let rows = stmt.query_map(params![signer, BUNDLE_SOURCE], |r| {
        Ok(PortableEntry {
            uid: r.get(0)?,
            event: r.get(1)?,
            group: r.get(2)?,
            id_number: r.get(3)?,
            criterion: r.get(4)?,
            judge: r.get(5)?,
            value: r.get(6)?,
            entered_at: r.get(7)?,
            entered_by: r.get(8)?,
            device: r.get(9)?,
            source: r.get(10)?,
            supersedes: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A score entry resolved to this database's rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalEntry {
    pub uid: String,
    pub contestant_id: i64,
    pub criterion_id: i64,
    pub judge_id: i64,
    pub value: Option<i64>,
    pub entered_at: String,
    pub entered_by: String,
    pub device: String,
    pub source: String,
    pub supersedes: Option<String>,
}

/// The stored entry with this uid.
pub fn entry_by_uid(conn: &Connection, uid: &str) -> Result<Option<LocalEntry>> {
    Ok(conn
        .query_row(
            "SELECT uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes
             FROM score_entry WHERE uid = ?1",
            [uid],
            |r| {
                Ok(LocalEntry {
                    uid: r.get(0)?,
                    contestant_id: r.get(1)?,
                    criterion_id: r.get(2)?,
                    judge_id: r.get(3)?,
                    value: r.get(4)?,
                    entered_at: r.get(5)?,
                    entered_by: r.get(6)?,
                    device: r.get(7)?,
                    source: r.get(8)?,
                    supersedes: r.get(9)?,
                })
            },
        )
        .optional()?)
}

/// The newest entry of a cell, withdrawn or not: its uid and value.
pub fn newest_in_cell(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
    judge_id: i64,
) -> Result<Option<(String, Option<i64>)>> {
    Ok(conn
        .query_row(
            "SELECT uid, value FROM score_entry WHERE contestant_id = ?1 AND criterion_id = ?2 AND judge_id = ?3 ORDER BY id DESC LIMIT 1",
            params![contestant_id, criterion_id, judge_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Appends an entry keeping its uid, times and predecessor (the insert triggers update the
/// cell's current value and seal the row).
pub fn insert_entry(conn: &Connection, entry: &LocalEntry) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO score_entry (uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        entry.uid,
        entry.contestant_id,
        entry.criterion_id,
        entry.judge_id,
        entry.value,
        entry.entered_at,
        entry.entered_by,
        entry.device,
        entry.source,
        entry.supersedes
    ])?;
    Ok(())
}

/// The bundle an incoming entry arrived in: the digest of its signed part and its signer's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub digest: String,
    pub signer: String,
}

/// Records the bundle a merged score entry came from (sealed by the trigger).
pub fn record_provenance(conn: &Connection, uid: &str, from: &Provenance) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO merged_entry (uid, bundle_digest, bundle_signer, merged_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![uid, from.digest, from.signer, super::now_text()])?;
    Ok(())
}

/// The bundle a merged score entry came from.
pub fn provenance(conn: &Connection, uid: &str) -> Result<Option<Provenance>> {
    Ok(conn
        .query_row(
            "SELECT bundle_digest, bundle_signer FROM merged_entry WHERE uid = ?1",
            [uid],
            |r| {
                Ok(Provenance {
                    digest: r.get(0)?,
                    signer: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// The bundle a conflict's incoming value came from (absent for conflicts recorded before
/// bundles were bound to their laptop).
pub fn conflict_provenance(conn: &Connection, conflict_id: i64) -> Result<Option<Provenance>> {
    Ok(conn
        .query_row(
            "SELECT incoming_bundle_digest, incoming_bundle_signer FROM merge_conflict WHERE id = ?1",
            [conflict_id],
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?)),
        )
        .optional()?
        .and_then(|(digest, signer)| Some(Provenance { digest: digest?, signer: signer? })))
}

/// Undecided merge conflicts in one pool.
pub fn open_conflicts_in_pool(conn: &Connection, pool_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM merge_conflict m JOIN criterion k ON k.id = m.criterion_id
         WHERE k.pool_id = ?1 AND m.resolution IS NULL",
        [pool_id],
        |r| r.get(0),
    )?)
}

/// Whether an incoming entry is already recorded as a conflict.
pub fn conflict_recorded(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM merge_conflict WHERE uid = ?1",
        [uid],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Records an incoming entry that disagrees with this laptop's newest entry of the same cell.
pub fn insert_conflict(
    conn: &Connection,
    incoming: &LocalEntry,
    from: &Provenance,
    local_uid: &str,
    local_value: Option<i64>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO merge_conflict (uid, contestant_id, criterion_id, judge_id, local_uid, local_value, incoming_value,
             incoming_entered_at, incoming_entered_by, incoming_device, incoming_supersedes, detected_at,
             incoming_bundle_digest, incoming_bundle_signer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            incoming.uid,
            incoming.contestant_id,
            incoming.criterion_id,
            incoming.judge_id,
            local_uid,
            local_value,
            incoming.value,
            incoming.entered_at,
            incoming.entered_by,
            incoming.device,
            incoming.supersedes,
            super::now_text(),
            from.digest,
            from.signer
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// One merge conflict with the names a chief judge reads (workstation, never a name or ID number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub id: i64,
    pub uid: String,
    pub pool_event: String,
    pub pool_group: String,
    pub contestant_id: i64,
    pub workstation: Option<u32>,
    pub criterion_id: i64,
    pub criterion: String,
    pub judge_id: i64,
    pub judge: String,
    pub local_uid: String,
    pub local_value: Option<i64>,
    pub incoming_value: Option<i64>,
    pub incoming_entered_at: String,
    pub incoming_entered_by: String,
    pub incoming_device: String,
    pub detected_at: String,
    pub resolution: Option<String>,
}

const CONFLICT_SELECT: &str = "SELECT m.id, m.uid, p.event, p.grp, m.contestant_id, t.workstation, m.criterion_id, k.code, m.judge_id, a.name,
        m.local_uid, m.local_value, m.incoming_value, m.incoming_entered_at, m.incoming_entered_by, m.incoming_device,
        m.detected_at, m.resolution
     FROM merge_conflict m
     JOIN contestant t ON t.id = m.contestant_id
     JOIN criterion k ON k.id = m.criterion_id
     JOIN pool p ON p.id = k.pool_id
     JOIN account a ON a.id = m.judge_id";

fn conflict_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Conflict> {
    Ok(Conflict {
        id: r.get(0)?,
        uid: r.get(1)?,
        pool_event: r.get(2)?,
        pool_group: r.get(3)?,
        contestant_id: r.get(4)?,
        workstation: r.get(5)?,
        criterion_id: r.get(6)?,
        criterion: r.get(7)?,
        judge_id: r.get(8)?,
        judge: r.get(9)?,
        local_uid: r.get(10)?,
        local_value: r.get(11)?,
        incoming_value: r.get(12)?,
        incoming_entered_at: r.get(13)?,
        incoming_entered_by: r.get(14)?,
        incoming_device: r.get(15)?,
        detected_at: r.get(16)?,
        resolution: r.get(17)?,
    })
}

/// Merge conflicts, oldest first; only the undecided ones unless `all`.
pub fn conflicts(conn: &Connection, all: bool) -> Result<Vec<Conflict>> {
    let sql = format!("{CONFLICT_SELECT} WHERE ?1 OR m.resolution IS NULL ORDER BY m.id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([all], conflict_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn conflict(conn: &Connection, id: i64) -> Result<Option<Conflict>> {
    let sql = format!("{CONFLICT_SELECT} WHERE m.id = ?1");
    Ok(conn.query_row(&sql, [id], conflict_from_row).optional()?)
}

/// Marks every undecided conflict of one cell as decided.
pub fn mark_cell_resolved(
    conn: &Connection,
    contestant_id: i64,
    criterion_id: i64,
    judge_id: i64,
    by: &str,
    resolution: &str,
) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE merge_conflict SET resolved_at = ?1, resolved_by = ?2, resolution = ?3
         WHERE contestant_id = ?4 AND criterion_id = ?5 AND judge_id = ?6 AND resolution IS NULL",
        params![
            super::now_text(),
            by,
            resolution,
            contestant_id,
            criterion_id,
            judge_id
        ],
    )?)
}
