//! The venue workflow in the window, headless (egui_kittest), on real database files:
//! sign-in and roles, lockout, the judge's keyboard grid (saved at once, over-maximum refused
//! with its reason, submitted rows frozen, other judges' values invisible), check-in and the
//! draw with no name or ID number on a judge's screen afterwards, and lock → confirm →
//! publish → final.

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use judgedesk::core::model::{Gender, PoolKey, PoolState, Role};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::Actor;
use judgedesk::store::people::{self, ContestantRecord};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use rusqlite::Connection;
use std::path::PathBuf;
use std::time::Duration;
use support::{Dir, demo_db, harness, open, settle};

const PIN: &str = "123456";

fn app_on(path: &std::path::Path) -> Harness<'static, JudgeDeskApp> {
    harness(JudgeDeskApp::new(open(path), path.display().to_string()))
}

/// Picks the name on the sign-in screen, types the PIN, presses Enter.
fn sign_in(h: &mut Harness<'static, JudgeDeskApp>, name: &str, pin: &str) {
    h.run();
    // The first match is the name in the list (a failed attempt also shows it as a heading).
    h.get_all_by_label(name)
        .next()
        .unwrap_or_else(|| panic!("no account {name}"))
        .click();
    h.run();
    h.event(egui::Event::Text(pin.to_string()));
    h.run();
    h.key_press(egui::Key::Enter);
    settle(h);
}

/// Answers an irreversible step's question with its button (drawn last, over the screen).
fn confirm_step(h: &mut Harness<'static, JudgeDeskApp>, button: &str) {
    h.get_all_by_label(button)
        .last()
        .unwrap_or_else(|| panic!("no question for {button}"))
        .click();
    settle(h);
}

fn type_keys(h: &mut Harness<'static, JudgeDeskApp>, text: &str, then: egui::Key) {
    h.event(egui::Event::Text(text.to_string()));
    h.run();
    h.key_press(then);
    settle(h);
}

fn judge_id(conn: &Connection, name: &str) -> i64 {
    people::account_by_name(conn, name)
        .ok()
        .flatten()
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("no account {name}"))
}

/// `(contestant id, criterion id)` of workstation `ws`'s criterion `code` in DS-ZG.
fn cell_ids(conn: &Connection, ws: u32, code: &str) -> (i64, i64) {
    let pool = judgedesk::store::competition::pool(
        conn,
        &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
    )
    .ok()
    .flatten()
    .unwrap_or_else(|| panic!("pool"));
    let contestant = people::contestant_by_workstation(conn, pool.id, ws)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("ws {ws}"));
    let criterion = judgedesk::store::competition::criteria(conn, pool.id)
        .unwrap_or_default()
        .into_iter()
        .find(|(_, c)| c.code == code)
        .map(|(id, _)| id)
        .unwrap_or_else(|| panic!("criterion {code}"));
    (contestant.id, criterion)
}

fn pool_state(conn: &Connection, key: &str) -> PoolState {
    judgedesk::store::competition::pool(conn, &PoolKey::parse(key).unwrap_or_else(|| panic!("key")))
        .ok()
        .flatten()
        .map(|p| p.state)
        .unwrap_or_else(|| panic!("pool {key}"))
}

#[test]
fn each_role_signs_in_and_sees_only_its_screens() {
    let dir = Dir::new("ui-roles");
    let path = demo_db(&dir);
    let mut h = app_on(&path);
    for (name, role) in [
        ("赛务管理员", Role::Coordinator),
        ("DS-ZG裁判长", Role::Chief),
        ("DS-ZG裁判1", Role::Judge),
        ("监督员", Role::Supervisor),
    ] {
        sign_in(&mut h, name, PIN);
        let session = h
            .state()
            .session()
            .map(|s| (s.account.name.clone(), s.role()));
        assert_eq!(session, Some((name.to_string(), role)));
        for screen in Screen::ALL {
            let offered = h.query_by_label(screen.label()).is_some();
            assert_eq!(
                offered,
                Screen::for_role(role).contains(&screen),
                "{name}: {screen:?}"
            );
        }
        if matches!(role, Role::Judge | Role::Chief) {
            // Only the pool assigned to them.
            assert!(
                h.query_by_label_contains("跨境电子商务运营").is_none(),
                "{name} sees another pool"
            );
        }
        h.get_by_label("退出登录").click();
        h.run();
        assert!(h.state().session().is_none());
    }
}

#[test]
fn five_wrong_pins_start_a_wait_and_are_recorded() {
    let dir = Dir::new("ui-lockout");
    let path = demo_db(&dir);
    let mut h = app_on(&path);
    for _ in 0..5 {
        sign_in(&mut h, "DS-ZG裁判2", "999999");
        assert!(h.state().session().is_none());
    }
    h.get_by_label_contains("第 5 次");
    sign_in(&mut h, "DS-ZG裁判2", PIN);
    assert!(h.state().session().is_none(), "the right PIN must wait too");
    h.get_by_label_contains("请等待");
    let conn = open(&path);
    let account = people::account_by_name(&conn, "DS-ZG裁判2").ok().flatten();
    assert_eq!(account.map(|a| a.failed_attempts), Some(5));
    let attempts: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = '登录' AND actor = 'DS-ZG裁判2'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    assert_eq!(attempts, 6, "every attempt is audited");
}

#[test]
fn judge_types_a_score_by_keyboard_and_it_is_saved_at_once() {
    let dir = Dir::new("ui-grid");
    let path = demo_db(&dir);
    let mut h = app_on(&path);
    sign_in(&mut h, "DS-ZG裁判1", PIN);
    assert_eq!(h.state().screen(), Screen::Grid);
    // The cursor starts at workstation 1, DS01 (max 10). Type, Enter: saved, cursor moves right.
    type_keys(&mut h, "0.5", egui::Key::Enter);
    let conn = open(&path);
    let (contestant, criterion) = cell_ids(&conn, 1, "DS01");
    let judge = judge_id(&conn, "DS-ZG裁判1");
    let stored = judgedesk::store::scores::current(&conn, contestant, criterion, judge)
        .ok()
        .flatten()
        .map(|(_, v)| v);
    assert_eq!(
        stored,
        Some(Hundredths(50)),
        "saved the moment it was accepted"
    );
    h.get_by_label_contains("已保存：工位 1 市场与竞品分析 = 0.5");
    assert!(
        !h.query_all_by_label("0.5").collect::<Vec<_>>().is_empty(),
        "shown in the grid"
    );

    // Over the maximum: refused with the reason, nothing stored, the cursor stays.
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    type_keys(&mut h, "25", egui::Key::Enter);
    h.get_by_label_contains("超出满分 10");
    let stored = judgedesk::store::scores::current(&conn, contestant, criterion, judge)
        .ok()
        .flatten()
        .map(|(_, v)| v);
    assert_eq!(stored, Some(Hundredths(50)));
    // Off step: 0.3 is not a multiple of 0.5.
    h.key_press(egui::Key::Escape);
    h.run();
    type_keys(&mut h, "0.3", egui::Key::Tab);
    h.get_by_label_contains("须为 0.5 的整数倍");
}

#[test]
fn a_submitted_row_cannot_be_changed_and_other_judges_values_are_invisible() {
    let dir = Dir::new("ui-frozen");
    let path = demo_db(&dir);
    let mut h = app_on(&path);
    sign_in(&mut h, "DS-ZG裁判1", PIN);
    type_keys(&mut h, "0.5", egui::Key::Enter);
    // Submit workstation 1 (the first row's button), confirm.
    let first_submit = h.get_all_by_label("提交").next().map(|n| n.rect());
    let rect = first_submit.unwrap_or_else(|| panic!("no submit button"));
    h.hover_at(rect.center());
    h.run();
    h.get_all_by_label("提交")
        .next()
        .unwrap_or_else(|| panic!("submit"))
        .click();
    h.run();
    h.get_by_label("确定").click();
    settle(&mut h);
    let conn = open(&path);
    let judge = judge_id(&conn, "DS-ZG裁判1");
    let (contestant, criterion) = cell_ids(&conn, 1, "DS01");
    assert!(judgedesk::store::workflow::is_submitted(&conn, judge, contestant).unwrap_or(false));
    h.get_by_label_contains("已提交 1 名选手");

    // Typing into the frozen row is refused in the grid …
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    type_keys(&mut h, "1", egui::Key::Enter);
    h.get_by_label_contains("工位 1 的评分已提交");
    // … and by the operation itself.
    let input = judgedesk::ops::scoring::ScoreInput {
        pool: PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
        judge: "DS-ZG裁判1".into(),
        contestant: judgedesk::ops::scoring::ContestantRef::Workstation(1),
        criterion: "DS01".into(),
        value: Hundredths(100),
    };
    let actor = Actor {
        name: "DS-ZG裁判1".into(),
        role: Role::Judge,
        account_id: Some(judge),
    };
    let refused = judgedesk::ops::scoring::enter_score(&conn, &actor, "test", &input);
    assert!(refused.is_err(), "enter_score refuses a submitted row");
    let stored = judgedesk::store::scores::current(&conn, contestant, criterion, judge)
        .ok()
        .flatten()
        .map(|(_, v)| v);
    assert_eq!(stored, Some(Hundredths(50)));

    // Judge 2 sees only their own values: never judge 1's 0.5.
    h.get_by_label("退出登录").click();
    h.run();
    sign_in(&mut h, "DS-ZG裁判2", PIN);
    let judge2 = judge_id(&conn, "DS-ZG裁判2");
    assert!(
        h.query_by_label("0.5").is_none(),
        "judge 1's value is not on judge 2's grid"
    );
    let model = h.state().grid().model();
    assert!(!model.rows.is_empty());
    let own = judgedesk::store::scores::current(&conn, contestant, criterion, judge2)
        .ok()
        .flatten()
        .map(|(_, v)| v);
    assert_eq!(
        model.rows[0].cells[0].own, own,
        "the grid holds judge 2's own value"
    );
    assert!(
        !model.rows[0].submitted,
        "judge 1's submission does not freeze judge 2"
    );
}

/// A pool with five registered contestants, no draw yet, a coordinator and one judge.
fn fresh_pool_db(dir: &Dir) -> (PathBuf, Vec<(String, String)>) {
    let path = dir.path("desk.sqlite");
    let conn = open(&path);
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    let pool = judgedesk::store::competition::pool(
        &conn,
        &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
    )
    .ok()
    .flatten()
    .unwrap_or_else(|| panic!("pool"));
    let mut people_added = Vec::new();
    for (n, name) in ["王小明", "李小红", "张小刚", "赵小丽", "陈小东"]
        .iter()
        .enumerate()
    {
        let birth = judgedesk::core::date::Date {
            year: 1990,
            month: 3,
            day: 1 + n as u32,
        };
        let id = judgedesk::ops::demo::demo_id_number("320102", birth, n % 2 == 0, 900 + n as u32);
        let record = ContestantRecord {
            id_number: id.clone(),
            name: name.to_string(),
            gender: if n % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            },
            phone: None,
            unit: format!("南京{}电子商务有限公司", ["云帆", "锦程", "星河"][n % 3]),
            pool_id: pool.id,
            height_weight: None,
            remarks: None,
            coach: None,
            department: None,
            city: None,
            city_rank: None,
            basis: None,
            level: None,
            level_date: None,
            title: None,
            honours: None,
            student_card_checked: None,
            id_card_checked: None,
            quota_override: None,
            source_file: None,
        };
        let tx = judgedesk::store::begin(&conn).unwrap_or_else(|e| panic!("begin: {e}"));
        people::upsert_contestant(&tx, &record).unwrap_or_else(|e| panic!("add: {e}"));
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
        people_added.push((name.to_string(), id));
    }
    let system = Actor::command_line();
    let key = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    judgedesk::ops::accounts::add_user(&conn, &system, "赛务甲", Role::Coordinator, "1234", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    judgedesk::ops::accounts::add_user(&conn, &system, "裁判甲", Role::Judge, "1234", &[key])
        .unwrap_or_else(|e| panic!("{e}"));
    (path, people_added)
}

#[test]
fn after_check_in_and_the_draw_a_judge_sees_no_name_or_id_number() {
    let dir = Dir::new("ui-draw");
    let (path, registered) = fresh_pool_db(&dir);
    let mut h = app_on(&path);
    sign_in(&mut h, "赛务甲", "1234");
    assert_eq!(h.state().screen(), Screen::CheckIn);
    // Mark 陈小东 absent: the 缺考 button of the row (rows are sorted by unit).
    let rows: Vec<String> = registered.iter().map(|r| r.0.clone()).collect();
    let names_on_screen: Vec<String> = support::texts(&h);
    assert!(!rows.is_empty(), "the pool has registered contestants");
    assert!(
        rows.iter().all(|n| names_on_screen.contains(n)),
        "the coordinator sees the names at check-in"
    );
    let absent_row = h.get_by_label("陈小东").rect();
    let button = h
        .get_all_by_label("缺考")
        .find(|n| (n.rect().center().y - absent_row.center().y).abs() < 6.0)
        .map(|n| n.rect())
        .unwrap_or_else(|| panic!("no 缺考 button on 陈小东's row"));
    h.hover_at(button.center());
    h.run();
    h.get_all_by_label("缺考")
        .find(|n| (n.rect().center().y - absent_row.center().y).abs() < 6.0)
        .unwrap_or_else(|| panic!("button"))
        .click();
    settle(&mut h);
    h.get_by_label("抽签（检录号与工位号）").click();
    h.run();
    h.get_by_label("确定").click();
    settle(&mut h);
    h.get_by_label_contains("抽签完成：4 人");

    let conn = open(&path);
    let key = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    let pool = judgedesk::store::competition::pool(&conn, &key)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    let seed = pool.draw_seed.clone().unwrap_or_default();
    assert_eq!(seed.len(), 64, "a 32-byte seed is recorded");
    assert_eq!(pool.state, PoolState::Scoring);
    assert_eq!(
        judgedesk::ops::draw::verify_draw(&conn, &key)
            .ok()
            .flatten(),
        Some(true)
    );
    let drawn = people::contestants_in_pool(&conn, pool.id).unwrap_or_default();
    let stations: Vec<Option<u32>> = drawn.iter().map(|c| c.workstation).collect();
    assert_eq!(
        stations.iter().filter(|w| w.is_some()).count(),
        4,
        "the absent contestant draws no number"
    );

    h.get_by_label("退出登录").click();
    h.run();
    sign_in(&mut h, "裁判甲", "1234");
    assert_eq!(h.state().screen(), Screen::Grid);
    let text = support::texts(&h);
    assert!(
        text.iter().any(|t| t == "1"),
        "workstation numbers are shown"
    );
    for (name, id) in &registered {
        for t in &text {
            assert!(
                !t.contains(name.as_str()),
                "a name on the judge's screen: {t}"
            );
            assert!(
                !t.contains(&id[..6]) && !t.contains(&id[14..]),
                "an ID number on the judge's screen: {t}"
            );
        }
    }
}

#[test]
fn lock_confirm_publish_final() {
    let dir = Dir::new("ui-lifecycle");
    let path = demo_db(&dir);
    let conn = open(&path);
    let mut h = harness(JudgeDeskApp::signed_in(
        open(&path),
        path.display().to_string(),
        "DS-ZG裁判长",
    ));
    h.run();
    assert_eq!(h.state().screen(), Screen::Progress);
    h.get_by_label("锁定本赛项组别").click();
    settle(&mut h);
    // The lock asks first, saying what cannot be undone; nothing happens before the answer.
    assert_eq!(pool_state(&conn, "DS-ZG"), PoolState::Scoring);
    h.get_by_label_contains("共同解锁");
    confirm_step(&mut h, "锁定");
    assert_eq!(pool_state(&conn, "DS-ZG"), PoolState::Locked);
    // The chief judge still sees no names after locking.
    h.state_mut().push(Action::Open(Screen::Results));
    h.run();
    assert!(!h.state().lines().is_empty(), "the pool's rows are shown");
    assert!(h.state().lines().iter().all(|l| l.name == "（未解密）"));

    let mut h = harness(JudgeDeskApp::signed_in(
        open(&path),
        path.display().to_string(),
        "监督员",
    ));
    h.run();
    assert_eq!(h.state().screen(), Screen::Oversight);
    for (button, state) in [
        ("确认并解密", PoolState::Decrypted),
        ("公示", PoolState::Published),
    ] {
        h.get_by_label(button).click();
        settle(&mut h);
        assert_ne!(pool_state(&conn, "DS-ZG"), state, "{button} asks first");
        confirm_step(&mut h, button);
        assert_eq!(pool_state(&conn, "DS-ZG"), state, "{button}");
    }
    // 定稿 waits for the appeal window (two hours after the lock, no end time being set).
    h.get_by_label("定稿").click();
    settle(&mut h);
    h.get_by_label_contains("不能撤销");
    confirm_step(&mut h, "定稿");
    assert_eq!(pool_state(&conn, "DS-ZG"), PoolState::Published);
    assert!(
        support::status(&h).contains("申诉期限截至"),
        "{}",
        support::status(&h)
    );
    h.state_mut().push(Action::Open(Screen::Results));
    h.run();
    let names: Vec<String> = h.state().lines().iter().map(|l| l.name.clone()).collect();
    assert!(!names.is_empty(), "the pool's rows are shown");
    assert!(
        names.iter().all(|n| n != "（未解密）" && !n.is_empty()),
        "names appear after decryption"
    );
}

#[test]
fn first_start_creates_the_coordinator_and_idle_signs_out() {
    let dir = Dir::new("ui-first");
    let path = dir.path("desk.sqlite");
    {
        let conn = open(&path);
        judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    }
    let mut h = app_on(&path);
    h.run();
    h.get_by_label_contains("首次启动");
    let is_field = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        matches!(
            n.role(),
            egui::accesskit::Role::TextInput | egui::accesskit::Role::PasswordInput
        )
    };
    let mut fields: Vec<egui::Rect> = h.query_all_by(is_field).map(|n| n.rect()).collect();
    fields.sort_by(|a, b| a.min.y.total_cmp(&b.min.y));
    assert_eq!(fields.len(), 3);
    for (rect, text) in fields.iter().zip(["周主任", "2468", "2468"]) {
        h.hover_at(rect.center());
        h.run();
        h.query_all_by(is_field)
            .find(|n| n.rect() == *rect)
            .unwrap_or_else(|| panic!("field"))
            .click();
        h.run();
        h.event(egui::Event::Text(text.into()));
        h.run();
    }
    h.get_by_label("创建赛务账号").click();
    settle(&mut h);
    let session = h
        .state()
        .session()
        .map(|s| (s.account.name.clone(), s.role()));
    assert_eq!(session, Some(("周主任".to_string(), Role::Coordinator)));

    h.state_mut().set_idle_limit(Duration::from_millis(1));
    std::thread::sleep(Duration::from_millis(5));
    h.run();
    assert!(h.state().session().is_none(), "idle timeout signs out");
    h.get_by_label_contains("自动退出登录");
}

#[test]
fn the_coordinator_edits_a_pools_scheme_before_scoring_and_a_bad_one_is_refused() {
    let dir = Dir::new("ui-scheme");
    let (path, _) = fresh_pool_db(&dir);
    let conn = open(&path);
    let key = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    let pool = judgedesk::store::competition::pool(&conn, &key)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    let before = judgedesk::store::competition::criteria(&conn, pool.id).unwrap_or_default();
    let first_max = before
        .first()
        .map(|(_, c)| c.max.to_short())
        .unwrap_or_else(|| panic!("criteria"));
    let mut h = app_on(&path);
    sign_in(&mut h, "赛务甲", "1234");
    h.state_mut().push(Action::Open(Screen::Settings));
    settle(&mut h);

    // One more criterion: the cursor lands in its name; Tab moves to its maximum. The maxima
    // no longer add up to 100, and the save is refused.
    h.get_by_label("+ 增加评分项").click();
    h.run();
    h.event(egui::Event::Text("直播复盘".into()));
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    h.event(egui::Event::Text(first_max.clone()));
    h.run();
    h.get_by_label("保存评分方案").click();
    settle(&mut h);
    let said = h
        .state()
        .status()
        .map(|s| s.message.clone())
        .unwrap_or_default();
    assert!(said.contains("100"), "{said} / {:?}", support::texts(&h));
    let unchanged = judgedesk::store::competition::criteria(&conn, pool.id).unwrap_or_default();
    assert_eq!(unchanged.len(), before.len(), "nothing saved");

    // Without the first criterion the new one fits: saved and audited.
    h.get_all_by_label("×")
        .next()
        .unwrap_or_else(|| panic!("remove"))
        .click();
    h.run();
    h.get_by_label("保存评分方案").click();
    settle(&mut h);
    let after = judgedesk::store::competition::criteria(&conn, pool.id).unwrap_or_default();
    assert_eq!(after.len(), before.len());
    assert!(after.iter().any(|(_, c)| c.name == "直播复盘"), "{after:?}");
    assert!(!after.iter().any(|(_, c)| c.code == before[0].1.code));
    let logged: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action LIKE '%评分方案%'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    assert!(logged >= 1, "the change is in the audit log");
}

#[test]
fn a_judge_submits_a_row_by_keyboard_alone() {
    let dir = Dir::new("ui-keys");
    let path = demo_db(&dir);
    let mut h = app_on(&path);
    sign_in(&mut h, "DS-ZG裁判1", PIN);
    // Type a value, then Ctrl+Enter: the value is saved and the row's question opens.
    h.event(egui::Event::Text("0.5".into()));
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    settle(&mut h);
    h.get_by_label_contains("提交后不能再修改");
    // Enter confirms.
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let conn = open(&path);
    let judge = judge_id(&conn, "DS-ZG裁判1");
    let (contestant, criterion) = cell_ids(&conn, 1, "DS01");
    assert!(judgedesk::store::workflow::is_submitted(&conn, judge, contestant).unwrap_or(false));
    let stored = judgedesk::store::scores::current(&conn, contestant, criterion, judge)
        .ok()
        .flatten()
        .map(|(_, v)| v);
    assert_eq!(stored, Some(Hundredths(50)), "saved before the submission");
    // Ctrl+Shift+Enter asks about the whole sheet; Esc leaves it unsubmitted.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Enter,
    );
    settle(&mut h);
    h.get_by_label_contains("整表");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    let (second, _) = cell_ids(&conn, 2, "DS01");
    assert!(!judgedesk::store::workflow::is_submitted(&conn, judge, second).unwrap_or(true));
}
