//! A frame writes nothing: a lock, with its verified milestone backup, pushed to the window runs
//! on its worker thread. While another connection holds the database's write lock the worker
//! waits for it, and the window's frames go on returning (a write in the frame would wait there
//! and end in a refusal instead) with the pool unlocked and no backup taken; once the lock is let
//! go the worker locks the pool and takes the backup.

mod support;

use judgedesk::core::model::PoolKey;
use judgedesk::ui::app::Action;
use rusqlite::Connection;
use support::{Dir, demo_db, open, settle, window};

const FRAMES: usize = 3;

fn pool() -> PoolKey {
    PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"))
}

fn lock_state(conn: &Connection) -> String {
    conn.query_row(
        "SELECT state FROM pool WHERE event = 'DS' AND grp = 'ZG'",
        [],
        |r| r.get(0),
    )
    .unwrap_or_else(|e| panic!("pool state: {e}"))
}

fn backups(db: &std::path::Path) -> usize {
    std::fs::read_dir(judgedesk::ops::backup::backup_dir(db))
        .map(|entries| entries.flatten().count())
        .unwrap_or(0)
}

/// Another process's write transaction: the window's writes wait behind it.
fn hold_write_lock(db: &std::path::Path) -> Connection {
    let holder = open(db);
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .unwrap_or_else(|e| panic!("begin: {e}"));
    holder
}

#[test]
fn a_frame_with_a_pending_lock_takes_no_backup_and_the_worker_takes_one() {
    let dir = Dir::new("ui-frames-lock");
    let db = demo_db(&dir);
    let mut h = window(&db, "DS-ZG裁判长");
    let state_before = lock_state(&open(&db));
    let backups_before = backups(&db);

    let holder = hold_write_lock(&db);
    h.state_mut().push(Action::Lock(pool()));
    for _ in 0..FRAMES {
        h.step();
    }
    assert!(h.state().is_busy(), "the lock waits on the worker");
    assert_eq!(backups(&db), backups_before, "no backup taken in a frame");
    assert_eq!(
        lock_state(&holder),
        state_before,
        "the pool not locked in a frame"
    );

    holder
        .execute_batch("ROLLBACK")
        .unwrap_or_else(|e| panic!("rollback: {e}"));
    settle(&mut h);
    let status = h.state().status().cloned().unwrap_or_default();
    assert!(!status.is_error, "{status:?}");
    assert_ne!(lock_state(&open(&db)), state_before, "the worker locked it");
    assert!(
        backups(&db) > backups_before,
        "the worker took the milestone backup"
    );
}
