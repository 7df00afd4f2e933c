//! Starting the window: a second window on the same file and a damaged file are refused with a
//! message, and a damaged file is offered its newest verified backup.

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::ui::startup::{self, Refusal, RefusalApp};
use std::path::PathBuf;
use support::Dir;

#[test]
fn a_second_window_on_the_same_file_is_refused() {
    let dir = Dir::new("startup-locked");
    let db = dir.path("venue.sqlite");
    let first = startup::prepare(&db).unwrap_or_else(|e| panic!("first window: {e:?}"));
    match startup::prepare(&db) {
        Err(Refusal::Locked(message)) => assert!(!message.is_empty()),
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(first);
    assert!(
        startup::prepare(&db).is_ok(),
        "the lock is released with the first window"
    );
}

#[test]
fn a_damaged_file_is_refused_and_the_refusal_window_says_so() {
    let dir = Dir::new("startup-damaged");
    let db = dir.path("venue.sqlite");
    std::fs::write(&db, vec![0x5au8; 8192]).unwrap_or_else(|e| panic!("write: {e}"));
    let refusal = match startup::prepare(&db) {
        Err(refusal @ Refusal::Damaged { .. }) => refusal,
        other => panic!("expected a damaged-file refusal, got {other:?}"),
    };
    let mut harness = support::builder(800.0, 500.0).build_ui_state(
        |ui, app: &mut RefusalApp| app.ui(ui),
        RefusalApp::new(&db, refusal),
    );
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("数据库文件已损坏")
            .next()
            .is_some()
    );
    harness.get_by_label_contains("没有找到可用的备份");
}

/// The database path the binary uses by default under `home` on this platform.
fn default_db_under(home: &std::path::Path) -> PathBuf {
    home.join(".local/share/judgedesk/judgedesk.sqlite")
}

#[test]
fn the_first_start_on_a_new_machine_opens_the_first_start_screen_on_a_new_database() {
    let home = Dir::new("startup-first-home");
    let db = default_db_under(&home.0);
    assert!(
        !db.parent().is_some_and(|p| p.exists()),
        "no data folder yet"
    );
    // The window's own start-up steps: the writer lock, then the database.
    let lock = startup::prepare(&db).unwrap_or_else(|e| panic!("first start refused: {e:?}"));
    support::hermetic();
    let conn = startup::open_database(&db).unwrap_or_else(|e| panic!("first start: {e}"));
    assert!(db.exists(), "the database is created");
    let mut h = support::harness(judgedesk::ui::app::JudgeDeskApp::new(
        conn,
        db.display().to_string(),
    ));
    h.run();
    h.get_by_label("创建赛务账号");
    assert!(support::all_text(&h).contains("首次启动：创建赛务账号"));
    drop(h);
    drop(lock);
}

#[cfg(target_os = "linux")]
#[test]
fn the_binary_started_with_an_empty_home_creates_its_data_folder_and_database() {
    let home = Dir::new("startup-first-binary");
    // No display: the window itself cannot open here, but everything before it must work.
    let out = std::process::Command::new(support::BIN)
        .env_clear()
        .env("HOME", &home.0)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    let db = default_db_under(&home.0);
    assert!(db.exists(), "database created at {}: {said}", db.display());
    assert!(
        !said.contains("无法打开数据库") && !said.contains("无法写入数据库"),
        "{said}"
    );
    let conn = support::open(&db);
    assert!(judgedesk::store::competition::is_initialised(&conn).unwrap_or(false));
}
