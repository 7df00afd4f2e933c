//! Operations the window runs as one step though they chain several: a workflow milestone with
//! its automatic backup (§ venue day: a verified copy at every lock and publication), and a
//! judge's saved value with the interval backup when one is due. A failed backup never undoes
//! the step before it: it comes back beside the step's result so the person can take one by hand.

use super::backup::{self, Reason};
use super::scoring::{self, ScoreInput, ScoreReceipt};
use super::{Actor, OpsError, Result, setup, workflow};
use crate::core::model::PoolKey;
use rusqlite::Connection;

/// A milestone reached: the ledger link recorded at a lock, and the backup's failure if any.
#[derive(Debug)]
pub struct Milestone {
    /// The audit chain's link number the lock recorded (`None` after a publication).
    pub lock_link: Option<i64>,
    /// Why the automatic backup after the step failed, when it did.
    pub backup_failed: Option<OpsError>,
}

/// The chief judge locks a pool, then a verified backup beside the database.
pub fn lock(conn: &Connection, actor: &Actor, pool: &PoolKey) -> Result<Milestone> {
    workflow::lock(conn, actor, pool)?;
    let lock_link = workflow::lock_head_of(conn, pool)?.map(|head| head.link);
    Ok(Milestone {
        lock_link,
        backup_failed: backup::at_milestone(conn, Reason::Lock).err(),
    })
}

/// The supervisor publishes a pool's results, then a verified backup beside the database.
pub fn publish(conn: &Connection, actor: &Actor, pool: &PoolKey) -> Result<Milestone> {
    workflow::publish(conn, actor, pool)?;
    Ok(Milestone {
        lock_link: None,
        backup_failed: backup::at_milestone(conn, Reason::Publication).err(),
    })
}

/// A value saved from this laptop, and the interval backup's failure if one was due and failed.
#[derive(Debug)]
pub struct Saved {
    pub receipt: ScoreReceipt,
    pub backup_failed: Option<OpsError>,
}

/// Saves one value as this laptop (a failure to read its identity is a failed save), then
/// takes the interval backup if one is due (every 10 minutes while scores change).
pub fn save_score(conn: &Connection, actor: &Actor, input: &ScoreInput) -> Result<Saved> {
    let device = setup::device_label(conn)?;
    let receipt = scoring::enter_score(conn, actor, &device, input)?;
    Ok(Saved {
        receipt,
        backup_failed: backup::automatic_if_due(conn).err(),
    })
}
