//! The window at the display scaling venue laptops use: a 1366×768 screen at 125 % is 1093×614
//! points, at 150 % 910×512. Every screen's tab in the top bar stays whole and clear of the
//! person's name, the reload and the sign-out buttons (they used to run underneath them).

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::ui::app::{JudgeDeskApp, Screen};
use support::{Dir, demo_db, open, settle};

fn top_bar_is_clear(width: f32, height: f32, name: &str) {
    let dir = Dir::new("ui-scaling");
    let path = demo_db(&dir);
    let app = JudgeDeskApp::signed_in(open(&path), path.display().to_string(), name);
    let role = app
        .session()
        .map(|s| s.role())
        .unwrap_or_else(|| panic!("{name} is signed in"));
    let mut h = support::builder(width, height)
        .build_ui_state(|ui, app: &mut JudgeDeskApp| app.ui(ui), app);
    settle(&mut h);
    let right: Vec<egui::Rect> = ["退出登录", "刷新"]
        .iter()
        .map(|label| h.get_by_label(label).rect())
        .collect();
    let tabs: Vec<(String, egui::Rect)> = Screen::for_role(role)
        .iter()
        .map(|screen| {
            let label = screen.label();
            let node = h
                .get_all_by_label(label)
                .next()
                .unwrap_or_else(|| panic!("the tab {label} at {width}×{height}"));
            (label.to_string(), node.rect())
        })
        .collect();
    assert!(!tabs.is_empty());
    for (label, tab) in &tabs {
        assert!(
            tab.right() <= width && tab.left() >= 0.0,
            "{label} is cut off at {width}: {tab:?}"
        );
        for other in &right {
            assert!(
                !tab.intersects(*other),
                "{label} runs under the right-hand group at {width}: {tab:?} and {other:?}"
            );
        }
    }
}

#[test]
fn the_coordinators_top_bar_is_clear_at_150_percent_on_a_1366_screen() {
    top_bar_is_clear(910.0, 512.0, "赛务管理员");
}

#[test]
fn the_coordinators_top_bar_is_clear_at_125_percent_on_a_1366_screen() {
    top_bar_is_clear(1093.0, 614.0, "赛务管理员");
}

#[test]
fn the_chief_judges_and_supervisors_top_bars_are_clear_at_150_percent() {
    top_bar_is_clear(910.0, 512.0, "DS-ZG裁判长");
    top_bar_is_clear(910.0, 512.0, "监督员");
}
