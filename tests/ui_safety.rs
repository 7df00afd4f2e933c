//! 数据安全 in the window, headless (egui_kittest) on real files: a backup taken and verified, a
//! tampered backup refused, a good one restored (signing out); the chief judge registers a
//! judging laptop, merges its USB bundle and decides the conflict it leaves; the supervisor's
//! check names a record changed behind the app's back.

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::core::model::{PoolKey, Role};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::Actor;
use judgedesk::ui::app::{Action, Screen};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{Dir, Window, all_text, click, demo_db, open, open_screen, settle, status, window};

/// Clicks the text field showing `placeholder` and types `text` into it.
fn fill(h: &mut Window, placeholder: &str, text: &str) {
    h.query_by(|n| n.placeholder() == Some(placeholder))
        .unwrap_or_else(|| panic!("no field {placeholder}"))
        .click();
    h.run();
    h.event(egui::Event::Text(text.to_string()));
    h.run();
}

fn unit_name(db: &Path, id: i64) -> String {
    open(db)
        .query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))
        .unwrap_or_else(|e| panic!("unit: {e}"))
}

fn coordinator() -> Actor {
    Actor {
        name: "赛务管理员".into(),
        role: Role::Coordinator,
        account_id: None,
    }
}

#[test]
fn a_coordinator_backs_up_refuses_a_tampered_backup_and_restores_a_good_one() {
    let dir = Dir::new("ui-safety-restore");
    let db = demo_db(&dir);
    let mut h = window(&db, "赛务管理员");
    open_screen(&mut h, Screen::Safety);
    assert!(
        all_text(&h).contains("立即备份"),
        "backups tab first: {:?} {}",
        h.state().screen(),
        all_text(&h)
    );

    click(&mut h, "立即备份");
    let backups = judgedesk::ops::backup::list(&db);
    let manual = backups
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-manual.sqlite"))
        .cloned()
        .unwrap_or_else(|| panic!("no manual backup in {backups:?}"));
    assert!(status(&h).contains("已备份并校验"), "{}", status(&h));
    let name = manual
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    assert!(all_text(&h).contains(&name), "the backup is listed");

    // After the backup a unit is renamed: the restore must bring the old name back.
    let unit: i64 = open(&db)
        .query_row("SELECT min(id) FROM unit", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    let original = unit_name(&db, unit);
    judgedesk::ops::admin::rename_unit(&open(&db), &coordinator(), unit, "改名后的单位")
        .unwrap_or_else(|e| panic!("rename: {e}"));

    // A copy of the backup with one score changed behind the app's back is refused.
    let tampered = dir.path("tampered.sqlite");
    std::fs::copy(&manual, &tampered).unwrap_or_else(|e| panic!("{e}"));
    open(&tampered)
        .execute_batch(
            "DROP TRIGGER score_entry_no_update; UPDATE score_entry SET value = 0 WHERE id = 5;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    fill(
        &mut h,
        "要恢复的备份文件路径",
        &tampered.display().to_string(),
    );
    let restore_buttons = h.get_all_by_label("恢复…").count();
    assert!(
        restore_buttons >= 2,
        "one per listed backup and one for a file"
    );
    h.get_all_by_label("恢复…")
        .last()
        .unwrap_or_else(|| panic!("restore"))
        .click();
    settle(&mut h);
    assert!(all_text(&h).contains("替换当前数据库"), "asks first");
    click(&mut h, "确定");
    assert!(status(&h).contains("未通过校验"), "{}", status(&h));
    assert_eq!(unit_name(&db, unit), "改名后的单位", "nothing changed");
    assert!(h.state().session().is_some());

    // The good backup, from its row in the list.
    open_screen(&mut h, Screen::Safety);
    h.get_all_by_label("恢复…")
        .next()
        .unwrap_or_else(|| panic!("restore"))
        .click();
    settle(&mut h);
    click(&mut h, "确定");
    assert!(status(&h).contains("请重新登录"), "{}", status(&h));
    assert!(h.state().session().is_none(), "signed out after a restore");
    assert_eq!(unit_name(&db, unit), original);
    let aside = judgedesk::ops::backup::list(&db)
        .iter()
        .any(|p| p.to_string_lossy().ends_with("-before-restore.sqlite"));
    assert!(aside, "the replaced database is kept aside");
    let report =
        judgedesk::ops::verify::verify(&open(&db), true).unwrap_or_else(|e| panic!("verify: {e}"));
    assert!(report.is_clean(), "{:?}", report.findings);
}

/// A judging laptop: the binary with its own key folder and database.
struct Laptop {
    keys: PathBuf,
    db: PathBuf,
}

impl Laptop {
    fn ok(&self, args: &[&str]) -> String {
        let out = support::laptop(&self.keys, &self.db, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {text}");
        text
    }

    fn score(&self, workstation: u32, value: &str) {
        self.ok(&[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            "DS-ZG裁判1",
            "--workstation",
            &workstation.to_string(),
            "--criterion",
            "DS01",
            "--value",
            value,
        ]);
    }
}

fn current(db: &Path, workstation: u32) -> Option<i64> {
    open(db)
        .query_row(
            "SELECT cs.value FROM current_score cs
               JOIN contestant c ON c.id = cs.contestant_id
               JOIN pool p ON p.id = c.pool_id
               JOIN criterion k ON k.id = cs.criterion_id
               JOIN account a ON a.id = cs.judge_id
              WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.workstation = ?1
                AND k.code = 'DS01' AND a.name = 'DS-ZG裁判1'",
            [workstation],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("current: {e}"))
}

#[test]
fn the_chief_judge_registers_a_laptop_merges_its_bundle_and_decides_the_conflict() {
    let dir = Dir::new("ui-safety-merge");
    let db = demo_db(&dir);
    let copy = dir.path("copy.sqlite");
    judgedesk::ops::backup::backup_to(&open(&db), &copy).unwrap_or_else(|e| panic!("{e}"));
    let laptop = Laptop {
        keys: dir.path("b-keys"),
        db: dir.path("b/judgedesk.sqlite"),
    };
    laptop.ok(&["restore", &copy.display().to_string()]);
    let key = support::shown_public_key(&laptop.ok(&["device", "show"]));
    laptop.score(1, "1.5");
    laptop.score(2, "2");
    let bundle = dir.path("stick/b.jdbundle");
    std::fs::create_dir_all(dir.path("stick")).unwrap_or_else(|e| panic!("{e}"));
    laptop.ok(&["bundle", "export", "--out", &bundle.display().to_string()]);

    // Meanwhile this laptop holds another value for workstation 1.
    {
        let conn = open(&db);
        let judge: i64 = conn
            .query_row(
                "SELECT id FROM account WHERE name = 'DS-ZG裁判1'",
                [],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let actor = Actor {
            name: "DS-ZG裁判1".into(),
            role: Role::Judge,
            account_id: Some(judge),
        };
        let device = judgedesk::ops::setup::device_label(&conn).unwrap_or_else(|e| panic!("{e}"));
        let input = judgedesk::ops::scoring::ScoreInput {
            pool: PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
            judge: "DS-ZG裁判1".into(),
            contestant: judgedesk::ops::scoring::ContestantRef::Workstation(1),
            criterion: "DS01".into(),
            value: Hundredths(100),
        };
        judgedesk::ops::scoring::enter_score(&conn, &actor, &device, &input)
            .unwrap_or_else(|e| panic!("score: {e}"));
    }
    let before_ws2 = current(&db, 2);

    let mut h = window(&db, "DS-ZG裁判长");
    open_screen(&mut h, Screen::Safety);
    assert!(
        all_text(&h).contains("没有待裁决的合并冲突"),
        "conflicts first"
    );

    // An unregistered laptop's bundle is refused with nothing changed.
    click(&mut h, "U盘数据交换");
    fill(&mut h, "数据包文件路径", &bundle.display().to_string());
    click(&mut h, "校验并合并");
    assert!(status(&h).contains("未登记"), "{}", status(&h));
    assert_eq!(current(&db, 2), before_ws2);

    click(&mut h, "评分机登记");
    fill(&mut h, "如 3号评分机", "3号评分机");
    fill(&mut h, "64 位十六进制", &key);
    click(&mut h, "登记");
    assert!(
        all_text(&h).contains("已登记评分机 3号评分机"),
        "{}",
        status(&h)
    );

    // The path typed before is still there.
    click(&mut h, "U盘数据交换");
    click(&mut h, "校验并合并");
    let said = status(&h);
    assert!(
        said.contains("新增 1 条") && said.contains("1 处冲突"),
        "{said}"
    );
    assert_eq!(current(&db, 2), Some(200), "the new value merged");
    assert_eq!(current(&db, 1), Some(100), "a conflict changes no score");

    // The same bundle again adds nothing.
    click(&mut h, "校验并合并");
    assert!(status(&h).contains("新增 0 条"), "{}", status(&h));

    click(&mut h, "合并冲突");
    let shown = all_text(&h);
    assert!(
        shown.contains("工位1") && shown.contains("本机 1"),
        "{shown}"
    );
    click(&mut h, "采用对方数值");
    assert!(all_text(&h).contains("采用对方评分机的数值"), "asks first");
    click(&mut h, "确定");
    assert!(status(&h).contains("已裁决"), "{}", status(&h));
    assert_eq!(current(&db, 1), Some(150));
    assert!(all_text(&h).contains("没有待裁决的合并冲突"));

    click(&mut h, "完整性校验");
    click(&mut h, "校验本数据库");
    assert!(all_text(&h).contains("校验通过"), "{}", status(&h));
}

#[test]
fn the_supervisors_check_names_a_score_changed_behind_the_apps_back() {
    let dir = Dir::new("ui-safety-verify");
    let db = demo_db(&dir);
    // The guard dropped for the edit and put back as it was, so that the file opens (a file
    // whose schema is not the app's is refused on open).
    let conn = open(&db);
    let guard: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'score_entry_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(&format!(
        "DROP TRIGGER score_entry_no_update; UPDATE score_entry SET value = value + 1 WHERE id = 7; {guard};"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let mut h = window(&db, "监督员");
    open_screen(&mut h, Screen::Safety);
    let shown = all_text(&h);
    assert!(
        !shown.contains("立即备份") && !shown.contains("登记"),
        "verify only"
    );
    click(&mut h, "校验本数据库");
    let shown = all_text(&h);
    assert!(shown.contains("校验未通过"), "{shown}");
    assert!(
        shown.contains("评分记录 #7") && shown.contains("被修改"),
        "{shown}"
    );
}

#[test]
fn a_change_written_by_another_process_appears_without_pressing_refresh() {
    let dir = Dir::new("ui-safety-outside");
    let db = demo_db(&dir);
    let mut h = window(&db, "赛务管理员");
    h.state_mut()
        .set_outside_changes_every(Duration::from_millis(20));
    h.state_mut().push(Action::Open(Screen::People));
    settle(&mut h);
    let unit: i64 = open(&db)
        .query_row("SELECT min(id) FROM unit", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!all_text(&h).contains("外部改名的单位"));
    // The command line (another process) renames a unit.
    judgedesk::ops::admin::rename_unit(&open(&db), &coordinator(), unit, "外部改名的单位")
        .unwrap_or_else(|e| panic!("rename: {e}"));
    std::thread::sleep(Duration::from_millis(30));
    settle(&mut h);
    assert!(
        all_text(&h).contains("外部改名的单位"),
        "reloaded by itself"
    );
}

#[test]
fn the_chain_head_of_a_lock_is_shown_by_verify_in_the_window_and_on_the_command_line() {
    let dir = Dir::new("ui-safety-heads");
    let db = demo_db(&dir);
    {
        let conn = open(&db);
        let chief: i64 = conn
            .query_row(
                "SELECT id FROM account WHERE name = 'DS-ZG裁判长'",
                [],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let actor = Actor {
            name: "DS-ZG裁判长".into(),
            role: Role::Chief,
            account_id: Some(chief),
        };
        let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
        judgedesk::ops::workflow::lock(&conn, &actor, &pool).unwrap_or_else(|e| panic!("{e}"));
    }
    let judgedesk::ops::workflow::RecordedHead { link: seq, hash } =
        judgedesk::ops::workflow::lock_head_of(
            &open(&db),
            &PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key")),
        )
        .unwrap_or_default()
        .unwrap_or_else(|| panic!("head"));

    let mut h = window(&db, "监督员");
    open_screen(&mut h, Screen::Safety);
    click(&mut h, "校验本数据库");
    let shown = all_text(&h);
    assert!(shown.contains("校验通过"), "{shown}");
    assert!(
        shown.contains(&format!(
            "DS-ZG 锁定时的链头：第 {seq} 条，文件中现为 {hash}"
        )),
        "{shown}"
    );
    drop(h);

    // The command line, with this laptop's own key.
    let out = support::bin()
        .arg("--db")
        .arg(&db)
        .arg("verify")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("第 {seq} 条")) && said.contains(&hash),
        "{said}"
    );
}

/// A copy older than what this laptop pinned, and not a backup it wrote, is restored from the
/// window only with the coordinator's reason, which the audit keeps.
#[test]
fn an_older_copy_is_restored_in_the_window_only_with_a_reason() {
    let dir = Dir::new("ui-safety-restore-reason");
    let db = demo_db(&dir);
    // A plain copy of the file (not a backup this laptop wrote), then a change that moves the
    // head this laptop pinned past it.
    let copy = dir.path("副本.sqlite");
    std::fs::copy(&db, &copy).unwrap_or_else(|e| panic!("{e}"));
    let conn = open(&db);
    let unit: i64 = conn
        .query_row("SELECT min(id) FROM unit", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    judgedesk::ops::admin::rename_unit(&conn, &coordinator(), unit, "改名后的单位")
        .unwrap_or_else(|e| panic!("rename: {e}"));
    drop(conn);

    let mut h = window(&db, "赛务管理员");
    open_screen(&mut h, Screen::Safety);
    h.state_mut().push(Action::Restore {
        file: copy.clone(),
        reason: None,
    });
    settle(&mut h);
    let refused = status(&h);
    assert!(refused.contains("恢复理由"), "{refused}");
    assert!(!refused.contains("--reason"), "{refused}");

    let mut h = window(&db, "赛务管理员");
    open_screen(&mut h, Screen::Safety);
    h.state_mut().push(Action::Restore {
        file: copy.clone(),
        reason: Some("主控机文件损坏，回到这份副本".into()),
    });
    settle(&mut h);
    let conn = open(&db);
    let reason: String = conn
        .query_row(
            "SELECT reason FROM audit WHERE action = '从备份恢复' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}: {}", status(&h)));
    assert_eq!(reason, "主控机文件损坏，回到这份副本");
}
