//! Issue 11, the judging pack: the master writes a registered laptop's database holding only its
//! pools, workstation numbers and its judges' accounts; the judges score on it and their bundle
//! merges on the master; nothing personal is in the file; administrative commands are refused.

mod support;

use support::Dir;

use egui_kittest::kittest::Queryable;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(keys: &Path, db: &Path, args: &[&str]) -> Output {
    support::laptop(keys, db, args)
}

fn text(output: &Output) -> String {
    support::said(output)
}

fn ok(keys: &Path, db: &Path, args: &[&str]) -> String {
    let out = run(keys, db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    text(&out)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

/// DS-ZG裁判1 scores 1.5 for workstation 1 on DS01 on a pack (the judge's PIN from the
/// environment, as `support::laptop` sets it).
fn score_one(keys: &Path, pack: &Path) -> String {
    let args = [
        "score",
        "set",
        "--pool",
        "DS-ZG",
        "--judge",
        "DS-ZG裁判1",
        "--workstation",
        "1",
        "--criterion",
        "DS01",
        "--value",
        "1.5",
    ];
    ok(keys, pack, &args)
}

/// The master (demo competition, drawn) with laptop 裁判机3 registered for DS-ZG, and that
/// laptop's pack written: (master keys, master db, laptop keys, pack).
fn venue(dir: &Dir) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let (master_keys, laptop_keys) = (dir.path("a-keys"), dir.path("b-keys"));
    let master = dir.path("a/judgedesk.sqlite");
    ok(&master_keys, &master, &["demo"]);
    let no_db = dir.path("b/none.sqlite");
    let key = support::shown_public_key(&ok(&laptop_keys, &no_db, &["device", "show"]));
    ok(
        &master_keys,
        &master,
        &[
            "device",
            "trust",
            &key,
            "--name",
            "裁判机3",
            "--pool",
            "DS-ZG",
        ],
    );
    let pack = dir.path("stick/裁判机3.sqlite");
    let said = ok(
        &master_keys,
        &master,
        &["pack", "--device", "裁判机3", "--out", arg(&pack)],
    );
    assert!(said.contains("已为评分机 裁判机3 生成评分数据包"), "{said}");
    (master_keys, master, laptop_keys, pack)
}

fn strings(conn: &Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, Option<String>>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// Every personal value of the master, and every account and draw seed a pack of DS-ZG must
/// not hold.
fn secrets(master: &Path) -> Vec<String> {
    let conn = Connection::open(master).unwrap_or_else(|e| panic!("{e}"));
    let mut all = Vec::new();
    for sql in [
        "SELECT name FROM contestant",
        "SELECT id_number FROM contestant",
        "SELECT phone FROM contestant",
        "SELECT coach FROM contestant",
        "SELECT department FROM contestant",
        "SELECT remarks FROM contestant",
        "SELECT name FROM unit",
        "SELECT leader FROM unit_form",
        "SELECT leader_phone FROM unit_form",
        "SELECT contact FROM unit_form",
        "SELECT contact_phone FROM unit_form",
        "SELECT draw_seed FROM pool",
        "SELECT a.name FROM account a WHERE NOT EXISTS (SELECT 1 FROM account_pool ap JOIN pool p ON p.id = ap.pool_id
             WHERE ap.account_id = a.id AND p.event = 'DS' AND p.grp = 'ZG')",
    ] {
        all.extend(strings(&conn, sql));
    }
    // A school can host a final: its name is then a venue, a public fact of the competition.
    let venues = strings(&conn, "SELECT name FROM venue");
    all.retain(|s| !venues.contains(s));
    all.sort();
    all.dedup();
    all
}

fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read: {e}"));
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(PathBuf::from(wal)) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_judging_pack_holds_no_name_id_number_phone_unit_or_other_account() {
    let dir = Dir::new("pack-bytes");
    let (_, master, _, pack) = venue(&dir);
    let secrets = secrets(&master);
    assert!(
        secrets.len() > 300,
        "the demo has people: {}",
        secrets.len()
    );
    let bytes = file_bytes(&pack);
    let found: Vec<&String> = secrets
        .iter()
        .filter(|s| contains(&bytes, s.as_bytes()))
        .collect();
    assert!(found.is_empty(), "the pack holds {found:?}");
    // What it does hold: the pool's workstations and its judges' accounts.
    let conn = Connection::open(&pack).unwrap_or_else(|e| panic!("{e}"));
    let accounts = strings(&conn, "SELECT name FROM account ORDER BY name");
    assert_eq!(
        accounts,
        [
            "DS-ZG裁判1",
            "DS-ZG裁判2",
            "DS-ZG裁判3",
            "DS-ZG裁判4",
            "DS-ZG裁判5",
            "DS-ZG裁判长"
        ]
    );
    let pools = strings(&conn, "SELECT event || '-' || grp FROM pool");
    assert_eq!(pools, ["DS-ZG"]);
    let stations: i64 = conn
        .query_row(
            "SELECT count(*) FROM contestant WHERE workstation IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    assert!(stations > 20, "{stations}");
}

#[test]
fn a_score_entered_on_the_pack_reaches_the_master_through_a_bundle() {
    let dir = Dir::new("pack-round-trip");
    let (master_keys, master, laptop_keys, pack) = venue(&dir);
    let said = score_one(&laptop_keys, &pack);
    assert!(said.contains("已保存"), "{said}");
    ok(&laptop_keys, &pack, &["verify"]);
    let bundle = dir.path("stick/b.bundle");
    let said = ok(
        &laptop_keys,
        &pack,
        &["bundle", "export", "--out", arg(&bundle)],
    );
    assert!(said.contains("已导出本机 1 条"), "{said}");
    let said = ok(&master_keys, &master, &["bundle", "import", arg(&bundle)]);
    assert!(said.contains("新增 1 条"), "{said}");
    let value: i64 = Connection::open(&master)
        .and_then(|c| {
            c.query_row(
                "SELECT cs.value FROM current_score cs
                   JOIN contestant c ON c.id = cs.contestant_id JOIN pool p ON p.id = c.pool_id
                   JOIN criterion k ON k.id = cs.criterion_id JOIN account a ON a.id = cs.judge_id
                  WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.workstation = 1 AND k.code = 'DS01'
                    AND a.name = 'DS-ZG裁判1'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value, 150);
    ok(&master_keys, &master, &["verify"]);
}

#[test]
fn an_administrative_command_on_a_pack_is_refused() {
    let dir = Dir::new("pack-admin");
    let (_, _, laptop_keys, pack) = venue(&dir);
    let before = std::fs::read(&pack).unwrap_or_default();
    for args in [
        vec![
            "user",
            "add",
            "--role",
            "coordinator",
            "--name",
            "新赛务",
            "--pin",
            "2468",
        ],
        vec!["results", "--pool", "DS-ZG"],
        vec!["contestant", "status", "pack:1", "缺考"],
        vec![
            "device",
            "trust",
            &"ab".repeat(32),
            "--name",
            "x",
            "--pool",
            "DS-ZG",
        ],
        vec!["pack", "--device", "裁判机3", "--out", "again.sqlite"],
        vec!["export", "roster", "--out", "roster.xlsx"],
    ] {
        let out = run(&laptop_keys, &pack, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("评分数据包") && text(&out).contains("主控机"),
            "{args:?}: {}",
            text(&out)
        );
    }
    assert_eq!(
        std::fs::read(&pack).unwrap_or_default(),
        before,
        "nothing changed"
    );
    // In ops too, whoever calls.
    let conn = judgedesk::store::open_with_keys(
        &pack,
        judgedesk::store::ledger::KeySource::Directory(laptop_keys.clone()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let refused = judgedesk::ops::device::trust(
        &conn,
        &judgedesk::ops::Actor::command_line(),
        &"ab".repeat(32),
        "x",
    );
    assert!(
        matches!(&refused, Err(judgedesk::ops::OpsError::Denied(m)) if m.contains("评分数据包")),
        "{refused:?}"
    );
}

#[test]
fn a_pack_is_only_written_for_a_registered_laptop_with_pools_and_never_over_a_file() {
    let dir = Dir::new("pack-refusals");
    let (master_keys, master, _, pack) = venue(&dir);
    let out = run(
        &master_keys,
        &master,
        &[
            "pack",
            "--device",
            "裁判机9",
            "--out",
            arg(&dir.path("x.sqlite")),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("没有登记名为“裁判机9”"),
        "{}",
        text(&out)
    );
    let out = run(
        &master_keys,
        &master,
        &["pack", "--device", "裁判机3", "--out", arg(&pack)],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("不会覆盖"), "{}", text(&out));
    ok(
        &master_keys,
        &master,
        &["device", "revoke", "裁判机3", "--reason", "更换电脑"],
    );
    let out = run(
        &master_keys,
        &master,
        &[
            "pack",
            "--device",
            "裁判机3",
            "--out",
            arg(&dir.path("y.sqlite")),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("撤销"), "{}", text(&out));
    assert!(!dir.path("y.sqlite").exists());
}

/// Picks the name on the sign-in screen, types the PIN, presses Enter.
fn sign_in(h: &mut support::Window, name: &str) {
    h.run();
    h.get_all_by_label(name)
        .next()
        .unwrap_or_else(|| panic!("no account {name}"))
        .click();
    h.run();
    h.event(egui::Event::Text(
        judgedesk::ops::demo::DEMO_PIN.to_string(),
    ));
    h.run();
    h.key_press(egui::Key::Enter);
    support::settle(h);
}

#[test]
fn the_window_opens_a_pack_for_its_judges_and_its_chief_judge() {
    use judgedesk::ui::app::{JudgeDeskApp, Screen};
    let dir = Dir::new("pack-window");
    let (_, _, laptop_keys, pack) = venue(&dir);
    let open = || {
        judgedesk::store::open_with_keys(
            &pack,
            judgedesk::store::ledger::KeySource::Directory(laptop_keys.clone()),
        )
        .unwrap_or_else(|e| panic!("open: {e}"))
    };
    let label = pack.display().to_string();
    let mut h = support::harness(JudgeDeskApp::new(open(), label.clone()));
    h.run();
    let offered = support::all_text(&h);
    assert!(
        offered.contains("DS-ZG裁判1") && !offered.contains("赛务管理员"),
        "only the pool's judges and chief judge sign in here: {offered}"
    );
    sign_in(&mut h, "DS-ZG裁判1");
    assert_eq!(h.state().screen(), Screen::Grid);
    h.event(egui::Event::Text("0.5".into()));
    h.run();
    h.key_press(egui::Key::Enter);
    support::settle(&mut h);
    let said = support::status(&h);
    assert!(
        said.contains("已保存：工位 1 市场与竞品分析 = 0.5"),
        "{said}"
    );
    drop(h);

    let mut h = support::harness(JudgeDeskApp::new(open(), label));
    sign_in(&mut h, "DS-ZG裁判长");
    assert!(
        h.state().session().is_some(),
        "the chief judge works on the pack"
    );
    let shown = support::all_text(&h);
    assert!(shown.contains("评分进度"), "{shown}");
    assert!(
        !shown.contains("pack:"),
        "the token is never shown: {shown}"
    );
}

#[test]
fn a_new_pack_copied_over_the_laptops_old_one_raises_no_alarm() {
    let dir = Dir::new("pack-replaced");
    let (master_keys, master, laptop_keys, pack) = venue(&dir);
    // The laptop works on its pack: a score saved there pins the pack to that file.
    let on_laptop = dir.path("laptop/评分.sqlite");
    std::fs::create_dir_all(dir.path("laptop")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(&pack, &on_laptop).unwrap_or_else(|e| panic!("{e}"));
    let said = score_one(&laptop_keys, &on_laptop);
    assert!(said.contains("已保存"), "{said}");
    let pins: Vec<String> = std::fs::read_dir(laptop_keys.join("databases"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    assert!(
        pins.iter().any(|p| p.contains("评分.sqlite")),
        "the pack is pinned to its file: {pins:?}"
    );
    // The master writes a second pack (another database), copied over the first.
    let second = dir.path("stick/裁判机3-第二份.sqlite");
    ok(
        &master_keys,
        &master,
        &["pack", "--device", "裁判机3", "--out", arg(&second)],
    );
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path(&format!("laptop/评分.sqlite{suffix}")));
    }
    std::fs::copy(&second, &on_laptop).unwrap_or_else(|e| panic!("{e}"));
    let said = ok(&laptop_keys, &on_laptop, &["verify"]);
    assert!(!said.contains("别的数据库"), "{said}");
}
