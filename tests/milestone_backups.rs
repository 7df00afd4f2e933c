//! Automatic backups at milestones: a file database gets a verified copy beside it at lock and
//! publication; an in-memory one (tests) has no backup folder and is skipped, not failed.

mod support;

use judgedesk::ops::backup::{Reason, at_milestone};

#[test]
fn lock_backup_is_written_beside_a_file_database() {
    let dir = support::Dir::new("milestone");
    let db = dir.path("venue.sqlite");
    let conn = judgedesk::ops::setup::open_or_create(&db).unwrap_or_else(|e| panic!("open: {e}"));
    let taken = at_milestone(&conn, Reason::Lock).unwrap_or_else(|e| panic!("backup: {e}"));
    assert!(taken.is_some());
    let backups: Vec<_> = std::fs::read_dir(dir.path("venue.sqlite.backups"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        backups.iter().any(|name| name.ends_with("-lock.sqlite")),
        "{backups:?}"
    );
}

#[test]
fn in_memory_database_skips_milestone_backups() {
    support::hermetic();
    let conn = judgedesk::store::open_in_memory().unwrap_or_else(|e| panic!("open: {e}"));
    assert!(matches!(at_milestone(&conn, Reason::Publication), Ok(None)));
}
