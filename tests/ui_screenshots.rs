//! Every screen of every role drawn at the venue laptop's 1366×768 by the real renderer (wgpu;
//! on a machine without a graphics card Mesa's software Vulkan, `mesa-vulkan-drivers`), and
//! written as PNG files under the target folder's `screenshots/` for review: cut-off text is seen
//! there, as a person at the venue would see it. The dialogs of the irreversible steps and of a
//! status change are drawn too.

mod support;

use judgedesk::core::model::{PoolKey, Role};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use std::path::{Path, PathBuf};
use support::{Dir, Window, demo_db, harness, open, settle};

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Renders the window and writes `<name>.png`; the image is the window's size.
fn shoot(h: &mut Window, name: &str) -> PathBuf {
    h.run();
    let image = h.render().unwrap_or_else(|e| panic!("render {name}: {e}"));
    assert_eq!((image.width(), image.height()), (1366, 768), "{name}");
    let path = shots_dir().join(format!("{name}.png"));
    image
        .save(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

fn role_code(role: Role) -> &'static str {
    role.code()
}

#[test]
fn every_screen_of_every_role_is_drawn_at_1366_by_768() {
    let dir = Dir::new("screenshots");
    let path = demo_db(&dir);
    let mut written = Vec::new();

    // Before anyone signs in.
    let mut h = harness(JudgeDeskApp::new(open(&path), path.display().to_string()));
    settle(&mut h);
    written.push(shoot(&mut h, "0-sign-in"));
    let fresh = dir.path("new.sqlite");
    judgedesk::ops::setup::open_or_create(&fresh).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(JudgeDeskApp::new(open(&fresh), fresh.display().to_string()));
    settle(&mut h);
    written.push(shoot(&mut h, "0-first-start"));

    for (name, role) in [
        ("赛务管理员", Role::Coordinator),
        ("DS-ZG裁判长", Role::Chief),
        ("DS-ZG裁判1", Role::Judge),
        ("监督员", Role::Supervisor),
    ] {
        let mut h = support::window(&path, name);
        for screen in Screen::for_role(role) {
            support::open_screen(&mut h, *screen);
            written.push(shoot(&mut h, &format!("{}-{screen:?}", role_code(role))));
        }
    }

    // The tabs and states the walk above does not reach: the registration's 住宿与接站 tab, and
    // the chief judge's 差异处理 with a flag to decide (two judges 0 and 10 on a 10-point item).
    let mut h = support::window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::Registration);
    support::click(&mut h, judgedesk::ui::text::REG_TAB_LOGISTICS);
    written.push(shoot(&mut h, "coordinator-Registration-logistics"));
    let conn = open(&path);
    for (judge, value) in [("DS-ZG裁判1", 0), ("DS-ZG裁判2", 1000)] {
        support::enter_score(&conn, "DS-ZG", judge, 1, "DS01", value)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(conn);
    let mut h = support::window(&path, "DS-ZG裁判长");
    support::open_screen(&mut h, Screen::Flags);
    written.push(shoot(&mut h, "chief-Flags-with-a-flag"));

    // The questions and dialogs that come over a screen.
    let mut h = support::window(&path, "DS-ZG裁判长");
    let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    h.state_mut().push(judgedesk::ui::text::ask_lock(
        "电子商务运营（职工组）",
        0,
        110,
        Action::Lock(pool),
    ));
    settle(&mut h);
    written.push(shoot(&mut h, "dialog-lock"));
    let conn = open(&path);
    let info = judgedesk::store::competition::pool(
        &conn,
        &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
    )
    .ok()
    .flatten()
    .unwrap_or_else(|| panic!("pool"));
    let contestant = judgedesk::store::people::contestant_by_workstation(&conn, info.id, 1)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("ws 1"));
    let mut h = support::window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::CheckIn);
    h.state_mut().push(Action::OpenStatus {
        contestant: contestant.id,
        who: contestant.record.name.clone(),
    });
    settle(&mut h);
    written.push(shoot(&mut h, "dialog-status"));

    assert!(written.len() > 20, "{written:?}");
    for file in &written {
        let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        assert!(bytes > 1000, "{} is empty", file.display());
    }
}

/// Every screen of every role at a 1366×768 screen scaled to 150 % (910×512 points), written as
/// `150-<role>-<screen>.png`: what is cut off or overlaps there is seen in the files.
#[test]
fn every_screen_of_every_role_is_drawn_at_150_percent_on_a_1366_screen() {
    let dir = Dir::new("screenshots-150");
    let path = demo_db(&dir);
    let mut written = Vec::new();
    for (name, role) in [
        ("赛务管理员", Role::Coordinator),
        ("DS-ZG裁判长", Role::Chief),
        ("DS-ZG裁判1", Role::Judge),
        ("监督员", Role::Supervisor),
    ] {
        let app = JudgeDeskApp::signed_in(open(&path), path.display().to_string(), name);
        let mut h = support::builder(910.0, 512.0)
            .build_ui_state(|ui, app: &mut JudgeDeskApp| app.ui(ui), app);
        settle(&mut h);
        for screen in Screen::for_role(role) {
            support::open_screen(&mut h, *screen);
            h.run();
            let image = h
                .render()
                .unwrap_or_else(|e| panic!("render {screen:?}: {e}"));
            assert_eq!((image.width(), image.height()), (910, 512));
            let file = shots_dir().join(format!("150-{}-{screen:?}.png", role_code(role)));
            image
                .save(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            written.push(file);
        }
    }
    assert!(written.len() > 20, "{written:?}");
}
