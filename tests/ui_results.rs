//! The first window, headless: a demo pool's winner is found in the results table.

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use support::harness;

fn demo_app() -> JudgeDeskApp {
    let conn = support::demo_in_memory();
    // Results are behind sign-in: the coordinator (who sees names before decryption) opens them.
    let mut app = JudgeDeskApp::signed_in(conn, "内存".to_string(), "赛务管理员");
    app.push(Action::Open(Screen::Results));
    app
}

#[test]
fn demo_pool_winner_is_shown_first_in_the_results_table() {
    let app = demo_app();
    let first = &app.results().pools[0];
    assert!(first.outcome.complete, "the first demo pool is complete");
    let winner_key = first.outcome.rows[0].key;
    let winner = app
        .results()
        .contestant(winner_key)
        .map(|c| c.record.name.clone())
        .unwrap_or_default();
    assert_eq!(first.outcome.rows[0].rank, Some(1));

    let mut harness = harness(app);
    harness.run();
    harness.get_by_label(&winner);
    harness.get_by_label("电子商务运营（职工组）");
    assert_eq!(harness.state().lines()[0].name, winner);
    assert_eq!(harness.state().lines()[0].rank, "1");
    assert_eq!(harness.state().lines()[0].prize, "一等奖");
}

#[test]
fn choosing_another_pool_shows_its_results() {
    let mut harness = harness(demo_app());
    harness.run();
    harness
        .get_by_label_contains("全媒体运营（学生组）")
        .click();
    harness.run();
    let state = harness.state();
    let pool = state
        .results()
        .pools
        .iter()
        .find(|p| p.info.key.to_string() == "QM-XS")
        .map(|p| p.outcome.complete);
    assert_eq!(pool, Some(false), "the demo leaves QM-XS incomplete");
    assert!(!state.lines().is_empty(), "QM-XS has contestants to show");
    assert!(
        state.lines().iter().all(|l| l.rank.is_empty()),
        "an incomplete pool shows no ranks"
    );
    harness.get_by_label_contains("成绩未完整");
    harness.state_mut().push(Action::Reload);
    harness.run();
}
