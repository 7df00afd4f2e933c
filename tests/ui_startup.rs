//! Starting the window: a second window on the same file and a damaged file are refused with a
//! message, and a damaged file is offered its newest verified backup.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use judgedesk::ui::startup::{self, Refusal, RefusalApp};
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("judgedesk-startup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    dir
}

#[test]
fn a_second_window_on_the_same_file_is_refused() {
    let dir = temp_dir("locked");
    let db = dir.join("venue.sqlite");
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
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_damaged_file_is_refused_and_the_refusal_window_says_so() {
    let dir = temp_dir("damaged");
    let db = dir.join("venue.sqlite");
    std::fs::write(&db, vec![0x5au8; 8192]).unwrap_or_else(|e| panic!("write: {e}"));
    let refusal = match startup::prepare(&db) {
        Err(refusal @ Refusal::Damaged { .. }) => refusal,
        other => panic!("expected a damaged-file refusal, got {other:?}"),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 500.0))
        .with_context_setup(judgedesk::ui::fonts::install_fonts)
        .build_ui_state(
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
    let _ = std::fs::remove_dir_all(&dir);
}
