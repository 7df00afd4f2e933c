//! The venue day off the happy path, in the window: a status change after the draw with its
//! consequences shown first, letters in a score refused, a refused value replaced by the next
//! keystroke, a measurement cell two judges agree on closed to a third, names kept out of every
//! order and filter before decryption.

mod support;

use egui_kittest::kittest::{NodeT, Queryable};
use judgedesk::core::model::{PoolKey, Status};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use rusqlite::Connection;
use support::{Dir, Window, all_text, demo_db, harness, open, settle, window};

fn ds_zg(conn: &Connection) -> judgedesk::store::competition::PoolInfo {
    judgedesk::store::competition::pool(
        conn,
        &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
    )
    .ok()
    .flatten()
    .unwrap_or_else(|| panic!("pool"))
}

fn status_of(conn: &Connection, id: i64) -> Status {
    judgedesk::store::workflow::contestant(conn, id)
        .ok()
        .flatten()
        .map(|c| c.status)
        .unwrap_or_else(|| panic!("contestant {id}"))
}

fn type_text(h: &mut Window, text: &str) {
    h.event(egui::Event::Text(text.to_string()));
    h.run();
}

#[test]
fn a_status_change_after_the_draw_shows_its_consequences_and_is_saved_with_a_reason() {
    let dir = Dir::new("ui-status");
    let path = demo_db(&dir);
    let conn = open(&path);
    let (id, name) = support::competing_in_ds_zg(&conn);
    let mut h = window(&path, "赛务管理员");
    h.state_mut().push(Action::Open(Screen::CheckIn));
    settle(&mut h);
    assert!(
        !h.query_all_by_label("更改状态…")
            .collect::<Vec<_>>()
            .is_empty(),
        "every drawn contestant offers a status change"
    );
    h.state_mut().push(Action::OpenStatus {
        contestant: id,
        who: name.clone(),
    });
    settle(&mut h);
    let shown = all_text(&h);
    // The first choice that changes something (缺考) is shown with what the rules make of it.
    assert!(shown.contains("将不再参加排名"), "{shown}");
    assert!(shown.contains("缺考者不计入参赛人数"), "{shown}");
    assert!(
        shown.contains("参赛人数") && shown.contains("一等奖"),
        "{shown}"
    );
    // Without a reason nothing can be saved.
    assert!(h.get_by_label("保存状态").accesskit_node().is_disabled());
    h.get_all_by_label("弃赛")
        .last()
        .unwrap_or_else(|| panic!("弃赛"))
        .click();
    settle(&mut h);
    h.get_by_label("理由（记入审计日志）").click();
    h.run();
    type_text(&mut h, "身体不适中途退出");
    h.get_by_label("保存状态").click();
    settle(&mut h);
    assert_eq!(status_of(&conn, id), Status::Withdrawn);
    assert_eq!(
        support::last_audit_reason(&conn, "选手状态"),
        "身体不适中途退出"
    );
}

#[test]
fn the_chief_judge_may_disqualify_in_their_own_pool_only() {
    let dir = Dir::new("ui-disqualify");
    let path = demo_db(&dir);
    let conn = open(&path);
    let (id, _) = support::competing_in_ds_zg(&conn);
    let mut h = window(&path, "DS-ZG裁判长");
    h.state_mut().push(Action::OpenStatus {
        contestant: id,
        who: "工位".into(),
    });
    settle(&mut h);
    let shown = all_text(&h);
    assert!(
        shown.contains("取消资格") && !shown.contains("弃赛"),
        "{shown}"
    );
    h.get_by_label("理由（记入审计日志）").click();
    h.run();
    type_text(&mut h, "违反赛场纪律");
    h.get_by_label("保存状态").click();
    settle(&mut h);
    assert_eq!(status_of(&conn, id), Status::Disqualified);

    // Another pool's chief judge is refused, through the same operation.
    let actor = support::actor(&conn, "KJ-ZG裁判长");
    let refused =
        judgedesk::ops::status::set_status_of(&conn, &actor, id, Status::Normal, Some("x"));
    assert!(refused.is_err());
    assert_eq!(
        status_of(&conn, id),
        Status::Disqualified,
        "nothing changed"
    );
}

#[test]
fn letters_in_a_score_are_refused_not_dropped_and_the_next_keystroke_replaces_them() {
    let dir = Dir::new("ui-letters");
    let path = demo_db(&dir);
    let mut h = window(&path, "DS-ZG裁判1");
    assert_eq!(h.state().screen(), Screen::Grid);
    let conn = open(&path);
    let before: i64 = conn
        .query_row("SELECT count(*) FROM score_entry", [], |r| r.get(0))
        .unwrap_or(-1);
    for typed in ["x1", "abc"] {
        type_text(&mut h, typed);
        h.key_press(egui::Key::Enter);
        settle(&mut h);
        let message = h.state().grid().message().unwrap_or_default().to_string();
        assert!(message.contains("不是数字"), "{typed}: {message}");
        h.key_press(egui::Key::Escape);
        h.run();
    }
    let after: i64 = conn
        .query_row("SELECT count(*) FROM score_entry", [], |r| r.get(0))
        .unwrap_or(-1);
    assert_eq!(before, after, "nothing saved");

    // A refused value: the next keystroke starts a new one instead of appending.
    type_text(&mut h, "168.38");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.state().grid().message().is_some());
    type_text(&mut h, "5");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let message = support::status(&h);
    assert!(message.contains("= 5"), "{message}");
}

#[test]
fn results_before_decryption_go_by_workstation() {
    let dir = Dir::new("ui-anonymous");
    let path = demo_db(&dir);
    let mut h = window(&path, "DS-ZG裁判长");
    h.state_mut().push(Action::Open(Screen::Results));
    settle(&mut h);
    let stations: Vec<u32> = h
        .state()
        .lines()
        .iter()
        .filter_map(|l| l.workstation.parse().ok())
        .collect();
    assert!(stations.len() > 5);
    assert!(stations.windows(2).all(|w| w[0] < w[1]), "{stations:?}");
    assert!(h.state().lines().iter().all(|l| l.name == "（未解密）"));
}

#[test]
fn the_supervisors_audit_screen_has_no_name_filter_or_draw_seed_before_decryption() {
    let dir = Dir::new("ui-audit");
    let path = demo_db(&dir);
    let conn = open(&path);
    // A draw recorded in DS-ZG's audit with its seed.
    let tx = judgedesk::store::begin(&conn).unwrap_or_else(|e| panic!("{e}"));
    judgedesk::store::audit::log(
        &tx,
        &judgedesk::store::audit::AuditEntry {
            actor: "赛务管理员",
            action: "抽签",
            pool: Some("DS-ZG"),
            new_value: Some("c0ffee00c0ffee00"),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    let mut h = window(&path, "监督员");
    h.state_mut().push(Action::Open(Screen::Audit));
    settle(&mut h);
    settle(&mut h);
    let shown = all_text(&h);
    assert!(!shown.contains("c0ffee00"), "seed hidden");
    assert!(shown.contains("解密后可见"), "{shown}");
    assert!(h.query_by_label("选手").is_none(), "no name filter");

    // The coordinator, who ran the draw, sees both.
    let mut h = window(&path, "赛务管理员");
    h.state_mut().push(Action::Open(Screen::Audit));
    settle(&mut h);
    settle(&mut h);
    assert!(all_text(&h).contains("c0ffee00"));
}

#[test]
fn a_measurement_cell_two_judges_agree_on_is_closed_to_a_third_in_the_window() {
    let dir = Dir::new("ui-measure");
    let path = demo_db(&dir);
    let conn = open(&path);
    // A DS-ZG measurement cell two judges agree on, and a judge of the pool who has not entered it.
    let support::AgreedCell {
        contestant,
        criterion: code,
        third_judge: outsider,
        ..
    } = support::agreed_measurement_cell(&conn);
    let h: Window = harness(JudgeDeskApp::signed_in(
        open(&path),
        path.display().to_string(),
        &outsider,
    ));
    let model = h.state().grid().model();
    let k = model
        .criteria
        .iter()
        .position(|c| c.code == code)
        .unwrap_or_else(|| panic!("{code}"));
    let row = model
        .rows
        .iter()
        .find(|r| r.contestant == contestant)
        .unwrap_or_else(|| panic!("row"));
    assert!(row.cells[k].closed, "the cell is closed to {outsider}");
    // The operation refuses the third entry too (the command line goes the same way).
    let refused = support::enter_score(&conn, "DS-ZG", &outsider, row.workstation, &code, 0);
    match refused {
        Err(judgedesk::ops::OpsError::Denied(m)) => assert!(m.contains("第三位裁判"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_rescore_request_reaches_the_judge_with_its_reason_and_the_chief_sees_it_open() {
    let dir = Dir::new("ui-rescore");
    let path = demo_db(&dir);
    let conn = open(&path);
    let pool = ds_zg(&conn);
    let contestant = judgedesk::store::people::contestant_by_workstation(&conn, pool.id, 1)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("ws 1"));
    let account = |name: &str| {
        let a = judgedesk::store::people::account_by_name(&conn, name)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{name}"));
        judgedesk::ops::Actor {
            name: a.name,
            role: a.role,
            account_id: Some(a.id),
        }
    };
    let chief = account("DS-ZG裁判长");
    let judge = account("DS-ZG裁判1");
    judgedesk::ops::workflow::request_rescore(
        &conn,
        &chief,
        &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
        contestant.id,
        "DS01",
        judge.account_id.unwrap_or_default(),
        "与录像不符，请复核",
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let h = window(&path, "DS-ZG裁判1");
    let shown = all_text(&h);
    assert!(shown.contains("裁判长要求重评 1 项"), "{shown}");
    assert!(
        shown.contains("工位 1 市场与竞品分析：与录像不符，请复核"),
        "{shown}"
    );
    assert!(shown.contains("待重评"), "{shown}");

    let mut h = window(&path, "DS-ZG裁判长");
    settle(&mut h);
    let shown = all_text(&h);
    assert!(shown.contains("未完成的重评 1 项"), "{shown}");
    assert!(
        shown.contains("DS-ZG裁判1 · 工位 1 市场与竞品分析：与录像不符，请复核"),
        "{shown}"
    );
    // The missing cell is listed, and the lock button says why it is disabled.
    assert!(shown.contains("待录入 1 项（展开查看）"), "{shown}");
    assert!(shown.contains("暂不能锁定：还有 1 项待录入"), "{shown}");
}

// Item 10: four things the window said that were not so.

/// The print centre speaks to the person at the window: no command-line flag in anything it
/// shows, whichever document is chosen.
#[test]
fn the_print_centre_never_tells_a_window_user_to_add_a_command_line_flag() {
    use judgedesk::ui::print_view::Kind;
    let dir = Dir::new("ui-print-words");
    let path = demo_db(&dir);
    let mut h = window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::Printing);
    for kind in [Kind::Drafts, Kind::Certificates] {
        h.state_mut().print_screen_mut().choose(kind);
        settle(&mut h);
        let shown = all_text(&h);
        assert!(shown.contains("证书"), "the print centre is shown: {shown}");
        assert!(!shown.contains("--"), "{kind:?}: {shown}");
    }
}

/// The draft's note says what the page shows: a certificate number that is only a preview, not
/// "no number".
#[test]
fn the_draft_note_says_the_number_on_the_page_is_a_preview() {
    use judgedesk::ui::print_view::Kind;
    let dir = Dir::new("ui-draft-note");
    let path = demo_db(&dir);
    let mut h = window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::Printing);
    h.state_mut().print_screen_mut().choose(Kind::Drafts);
    settle(&mut h);
    let shown = all_text(&h);
    assert!(shown.contains("证书编号只是预览"), "{shown}");
    assert!(!shown.contains("不编号"), "{shown}");
}

/// A spread flag the chief judge accepted is settled for everyone: the supervisor's results no
/// longer count it as open.
#[test]
fn a_spread_flag_the_chief_judge_accepted_is_not_shown_open_to_the_supervisor() {
    let dir = Dir::new("ui-accepted-flag");
    let path = demo_db(&dir);
    let conn = open(&path);
    let key = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    // DS01 (max 10): 0 and 10 from two judges is far over the spread limit.
    for (judge, value) in [("DS-ZG裁判1", 0), ("DS-ZG裁判2", 1000)] {
        support::enter_score(&conn, "DS-ZG", judge, 1, "DS01", value)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let open_flags = |h: &Window| {
        all_text(h)
            .lines()
            .find(|l| l.contains("评分差异过大未处理"))
            .map(str::to_string)
    };
    let mut h = window(&path, "监督员");
    support::open_screen(&mut h, Screen::Results);
    let before = open_flags(&h).unwrap_or_else(|| panic!("open flag shown: {}", all_text(&h)));
    assert!(before.contains("评分差异过大未处理 1 项"), "{before}");

    let contestant = judgedesk::store::people::contestant_by_workstation(&conn, ds_zg(&conn).id, 1)
        .ok()
        .flatten()
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("ws 1"));
    judgedesk::ops::workflow::accept_flag(
        &conn,
        &support::actor(&conn, "DS-ZG裁判长"),
        &key,
        contestant,
        "DS01",
        "两位裁判对作品理解不同，经复核维持",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut h = window(&path, "监督员");
    support::open_screen(&mut h, Screen::Results);
    let after = open_flags(&h);
    assert!(
        after
            .as_deref()
            .is_none_or(|l| l.contains("评分差异过大未处理 0 项")),
        "{after:?}"
    );
}

/// A laptop whose key folder was lost would sign with a key the database does not know: the
/// sign-in screen says so before anything is signed. A database this laptop made says nothing.
#[test]
fn a_laptop_whose_key_is_new_to_the_database_is_told_at_sign_in() {
    let dir = Dir::new("ui-new-key");
    // Made and sealed on another laptop (its own key folder).
    let other = dir.path("other.sqlite");
    let keys = dir.path("other-keys");
    let out = support::laptop(&keys, &other, &["demo"]);
    assert!(out.status.success(), "{out:?}");
    let warning = "本机的签名密钥对这个数据库是新的";
    let h = harness(JudgeDeskApp::new(open(&other), other.display().to_string()));
    let mut h = h;
    settle(&mut h);
    assert!(all_text(&h).contains(warning), "{}", all_text(&h));

    let own = demo_db(&dir);
    let mut h = harness(JudgeDeskApp::new(open(&own), own.display().to_string()));
    settle(&mut h);
    let shown = all_text(&h);
    assert!(
        shown.contains("登录"),
        "the sign-in screen is shown: {shown}"
    );
    assert!(!shown.contains(warning), "{shown}");
}

/// Item 14: after an appeal changes a score, whoever may print (the coordinator) is offered the
/// 公示's reprint on the results screen, and the button opens the print centre on the 公示.
#[test]
fn after_an_appeal_changes_a_score_the_coordinator_is_offered_the_publication_reprint() {
    use judgedesk::core::score::Hundredths;
    use judgedesk::ops::workflow::{self, AppealChange};
    use judgedesk::ui::print_view::Kind;
    let dir = Dir::new("ui-reprint");
    let path = demo_db(&dir);
    let conn = open(&path);
    support::publish(&conn, "DS-ZG");
    let supervisor = support::actor(&conn, "监督员");
    let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    let offer = "重新打印成绩公示";

    // Published, no appeal yet: nothing to reprint.
    let mut h = window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::Results);
    assert!(all_text(&h).contains("DS-ZG") || all_text(&h).contains("电子商务运营"));
    assert!(h.query_by_label(offer).is_none(), "{}", all_text(&h));

    let (contestant, _) = support::competing_in_ds_zg(&conn);
    let unit = judgedesk::store::workflow::contestant(&conn, contestant)
        .ok()
        .flatten()
        .map(|c| c.record.unit)
        .unwrap_or_else(|| panic!("contestant {contestant}"));
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    let appeal = workflow::record_appeal(
        &conn,
        &supervisor,
        &pool,
        "王领队",
        &unit,
        &now,
        "理论成绩有误",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let change = AppealChange::Theory {
        contestant,
        value: Hundredths(10_000),
    };
    workflow::apply_appeal_change(&conn, &supervisor, appeal, &change)
        .unwrap_or_else(|e| panic!("{e}"));
    workflow::decide_appeal(&conn, &supervisor, appeal, "更正成绩")
        .unwrap_or_else(|e| panic!("{e}"));

    let mut h = window(&path, "赛务管理员");
    support::open_screen(&mut h, Screen::Results);
    assert!(all_text(&h).contains("成绩公示已过时"), "{}", all_text(&h));
    support::click(&mut h, offer);
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Printing);
    assert_eq!(
        h.state_mut().print_screen_mut().chosen_kind(),
        Some(Kind::Publication)
    );

    // The supervisor, who cannot print, is not offered the button.
    let mut h = window(&path, "监督员");
    support::open_screen(&mut h, Screen::Results);
    assert!(h.query_by_label(offer).is_none());
}
