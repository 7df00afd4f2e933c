//! The judging pack in SQL: copying from the master database exactly what a judging laptop may
//! hold (the competition, its pools with their schemes, workstation numbers and status, the
//! accounts of those pools' judges and chief judge, and the scores already entered there) into a
//! fresh database, and the setting that marks a database as a pack.
//!
//! Nothing else crosses: no contestant name, ID number, phone, unit, coach or other personal
//! field, no draw seed (a drawn pool shows [`SEED_WITHHELD`]), no other account, no audit row, no setting of the master. A contestant is
//! named in the pack by a token (`pack:<row id>`) that only the master can turn back into a
//! person; row ids are kept, so an entry made on the pack names the same contestant, criterion
//! and judge on the master.

use super::Result;
use rusqlite::{Connection, params};
use std::path::Path;

/// A drawn pool's seed in a pack: the pool shows as drawn, the seed itself stays on the master.
pub const SEED_WITHHELD: &str = "（抽签种子只在主控机）";

/// The setting that marks a database as a judging pack: its value is the laptop's name.
pub const PACK_SETTING: &str = "judging_pack";

const TOKEN_PREFIX: &str = "pack:";

/// The stand-in for a contestant's ID number in a pack.
pub fn token(contestant_id: i64) -> String {
    format!("{TOKEN_PREFIX}{contestant_id}")
}

/// The contestant row id a pack token names.
pub fn parse_token(text: &str) -> Option<i64> {
    text.strip_prefix(TOKEN_PREFIX)?
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// The laptop a pack was written for, or `None` for a master database.
pub fn pack_device(conn: &Connection) -> Result<Option<String>> {
    super::competition::setting(conn, PACK_SETTING)
}

/// What a pack holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PackCounts {
    pub pools: usize,
    pub contestants: usize,
    pub accounts: usize,
    pub score_entries: usize,
}

/// Fills the empty, migrated database `pack` from the master file `master` for the pools
/// `pool_ids`, marking it as the pack of `device`. One transaction; the master is only read.
pub fn fill(
    pack: &Connection,
    master: &Path,
    pool_ids: &[i64],
    device: &str,
) -> Result<PackCounts> {
    pack.execute(
        "ATTACH DATABASE ?1 AS master",
        [master.to_string_lossy().as_ref()],
    )?;
    let filled = fill_attached(pack, pool_ids, device);
    let detached = pack.execute_batch("DETACH DATABASE master");
    let counts = filled?;
    detached?;
    Ok(counts)
}

fn fill_attached(pack: &Connection, pool_ids: &[i64], device: &str) -> Result<PackCounts> {
    let tx = crate::store::begin(pack)?;
    tx.execute_batch("CREATE TEMP TABLE pack_pool (id INTEGER PRIMARY KEY)")?;
    for id in pool_ids {
        tx.execute(
            "INSERT OR IGNORE INTO temp.pack_pool (id) VALUES (?1)",
            [id],
        )?;
    }
    tx.execute_batch(
        "CREATE TEMP TABLE pack_account AS
             SELECT DISTINCT a.id FROM master.account a
             JOIN master.account_pool ap ON ap.account_id = a.id
             WHERE a.role IN ('judge', 'chief') AND ap.pool_id IN (SELECT id FROM temp.pack_pool);
         INSERT INTO competition SELECT * FROM master.competition;
         INSERT INTO event (code, name, occupation, position)
             SELECT code, name, occupation, position FROM master.event;
         INSERT INTO venue (id, name, city) SELECT id, name, city FROM master.venue;
         INSERT INTO pool (id, event, grp, position, venue_id, state, settings, draw_seed)
             SELECT id, event, grp, position, venue_id, state, settings,
                    CASE WHEN draw_seed IS NULL THEN NULL ELSE '（抽签种子只在主控机）' END FROM master.pool
             WHERE id IN (SELECT id FROM temp.pack_pool);
         INSERT INTO criterion (id, pool_id, code, name, max, step, stage, dimension, kind, position)
             SELECT id, pool_id, code, name, max, step, stage, dimension, kind, position FROM master.criterion
             WHERE pool_id IN (SELECT id FROM temp.pack_pool);
         INSERT INTO unit (id, name) VALUES (1, '—');
         INSERT INTO contestant (id, id_number, name, gender, unit_id, pool_id, status, workstation)
             SELECT id, 'pack:' || id, coalesce('工位' || workstation, '未抽签'), 'M', 1, pool_id, status, workstation
             FROM master.contestant WHERE pool_id IN (SELECT id FROM temp.pack_pool);
         INSERT INTO account (id, name, role, pin_hash, failed_attempts, locked, last_failure, created_at)
             SELECT id, name, role, pin_hash, 0, 0, NULL, created_at FROM master.account
             WHERE id IN (SELECT id FROM temp.pack_account);
         INSERT INTO account_pool (account_id, pool_id)
             SELECT account_id, pool_id FROM master.account_pool
             WHERE account_id IN (SELECT id FROM temp.pack_account)
               AND pool_id IN (SELECT id FROM temp.pack_pool);
         INSERT INTO score_entry (uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes)
             SELECT e.uid, e.contestant_id, e.criterion_id, e.judge_id, e.value, e.entered_at,
                    CASE WHEN e.entered_by IN (SELECT name FROM account) THEN e.entered_by ELSE '主控机' END,
                    e.device, e.source, e.supersedes
             FROM master.score_entry e JOIN master.contestant c ON c.id = e.contestant_id
             WHERE c.pool_id IN (SELECT id FROM temp.pack_pool)
               AND e.judge_id IN (SELECT id FROM temp.pack_account)
             ORDER BY e.id;
         INSERT INTO sheet_submission (judge_id, contestant_id, pool_id, submitted_at)
             SELECT judge_id, contestant_id, pool_id, submitted_at FROM master.sheet_submission
             WHERE pool_id IN (SELECT id FROM temp.pack_pool)
               AND judge_id IN (SELECT id FROM temp.pack_account);
         DROP TABLE temp.pack_pool;
         DROP TABLE temp.pack_account;",
    )?;
    for key in [PACK_SETTING, "device_label"] {
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)",
            params![key, device],
        )?;
    }
    let count = |table: &str| -> Result<usize> {
        Ok(
            tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })? as usize,
        )
    };
    let counts = PackCounts {
        pools: count("pool")?,
        contestants: count("contestant")?,
        accounts: count("account")?,
        score_entries: count("score_entry")?,
    };
    tx.commit()?;
    Ok(counts)
}

/// Rewrites the file without free pages, so that no byte of an earlier state remains.
pub fn compact(conn: &Connection) -> Result<()> {
    conn.execute_batch("VACUUM")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_only_a_row_id() {
        assert_eq!(parse_token(&token(42)), Some(42));
        for text in [
            "320102199001011232",
            "pack:",
            "pack:-3",
            "pack:0",
            "pack:x",
            "PACK:4",
        ] {
            assert_eq!(parse_token(text), None, "{text}");
        }
    }
}
