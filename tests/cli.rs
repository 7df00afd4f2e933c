//! The command line of `interchange.md`, end to end through the real binary and database.

mod support;

use support::Dir;

use std::path::{Path, PathBuf};
use std::process::Output;

fn run(db: &Path, args: &[&str]) -> Output {
    // This laptop's signing key stays in the test's folder, not the home directory.
    // Scripts give the acting judge's PIN in the environment (every demo account has it).
    let keys = db.parent().map(|d| d.join("keys")).unwrap_or_default();
    support::laptop(&keys, db, args)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn results_json(db: &Path, pool: Option<&str>) -> serde_json::Value {
    let mut args = vec!["results", "--format", "json"];
    if let Some(p) = pool {
        args.extend(["--pool", p]);
    }
    let out = run(db, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("json: {e}"))
}

/// Counts of rows that a refused command must leave unchanged.
fn fingerprint(db: &Path) -> (i64, i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("open: {e}"));
    let count = |table: &str| {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_or(-1)
    };
    (
        count("score_entry"),
        count("theory_entry"),
        count("contestant"),
        count("account"),
    )
}

fn demo(dir: &Dir) -> PathBuf {
    let db = dir.path("demo.sqlite");
    let out = run(&db, &["demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    db
}

/// (pool, id number, workstation, a judge, a criterion code) of a 正常 contestant.
fn someone(db: &Path, pool: &str) -> (String, u64, String) {
    let json = results_json(db, Some(pool));
    let contestant = &json["pools"][0]["contestants"][0];
    (
        contestant["id_number"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        contestant["workstation"].as_u64().unwrap_or_default(),
        format!("{pool}裁判1"),
    )
}

#[test]
fn init_creates_the_builtin_competition_and_refuses_to_overwrite() {
    let dir = Dir::new("cli-init");
    let db = dir.path("venue.sqlite");
    assert_eq!(code(&run(&db, &["init"])), 0);
    let json = results_json(&db, None);
    let pools: Vec<&str> = json["pools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["pool"].as_str())
        .collect();
    assert_eq!(
        pools,
        [
            "DS-ZG", "DS-XS", "KJ-ZG", "KJ-XS", "ZB-ZG", "ZB-XS", "QM-ZG", "QM-XS"
        ]
    );
    assert_eq!(json["pools"][0]["event"], "电子商务运营");
    assert_eq!(json["pools"][1]["group"], "学生组");
    assert_eq!(
        json["pools"][0]["complete"], true,
        "an empty pool has nothing missing"
    );
    assert_eq!(json["pools"][0]["quota"], serde_json::json!([0, 0, 0]));
    let again = run(&db, &["init"]);
    assert_eq!(code(&again), 1);
    assert!(stderr(&again).contains("已存在"), "{}", stderr(&again));
}

#[test]
fn demo_results_follow_the_json_contract() {
    let dir = Dir::new("cli-demo");
    let db = demo(&dir);
    let json = results_json(&db, None);
    let pools = json["pools"].as_array().cloned().unwrap_or_default();
    assert_eq!(pools.len(), 8);
    for pool in &pools {
        let contestants = pool["contestants"].as_array().cloned().unwrap_or_default();
        assert!(
            (20..=30).contains(&contestants.len()),
            "{} has {}",
            pool["pool"],
            contestants.len()
        );
        for c in &contestants {
            for field in ["theory", "practical", "total"] {
                if let Some(text) = c[field].as_str() {
                    let decimals = text.split('.').nth(1).map(str::len);
                    assert_eq!(decimals, Some(2), "{field} {text}");
                }
            }
            if c["status"] != "正常" {
                assert!(
                    c["rank"].is_null() && c["prize"].is_null() && c["double_qualified"].is_null()
                );
            }
        }
    }
    let incomplete: Vec<&serde_json::Value> =
        pools.iter().filter(|p| p["complete"] == false).collect();
    assert_eq!(incomplete.len(), 1);
    assert_eq!(incomplete[0]["pool"], "QM-XS");
    assert!(
        incomplete[0]["contestants"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "QM-XS has contestants"
    );
    assert!(
        incomplete[0]["contestants"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|c| c["rank"].is_null() && c["prize"].is_null())
    );
    let ds_zg = &pools[0];
    assert_eq!(ds_zg["complete"], true);
    assert_eq!(ds_zg["contestants"][0]["rank"], 1);
    assert_eq!(ds_zg["contestants"][0]["prize"], "一等奖");
    let participants = ds_zg["participants"].as_u64().unwrap_or_default() as u32;
    let quota: Vec<u32> = [10u32, 20, 30]
        .iter()
        .map(|p| (participants * p + 50) / 100)
        .collect();
    assert_eq!(ds_zg["quota"], serde_json::json!(quota));
    // Student pools list the coaches of their top three.
    assert!(
        pools[1]["coaches"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    // CSV works too.
    let csv = run(&db, &["results", "--pool", "DS-ZG", "--format", "csv"]);
    assert_eq!(code(&csv), 0);
    assert!(stdout(&csv).contains("赛项,组别,身份证号"));
}

#[test]
fn score_set_is_checked_and_a_refusal_changes_nothing() {
    let dir = Dir::new("cli-score");
    let db = demo(&dir);
    let (_, workstation, judge) = someone(&db, "DS-ZG");
    let ws = workstation.to_string();
    let before = fingerprint(&db);
    let over = run(
        &db,
        &[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            &judge,
            "--workstation",
            &ws,
            "--criterion",
            "DS01",
            "--value",
            "10.5",
        ],
    );
    assert_eq!(code(&over), 1);
    assert!(stderr(&over).contains("超出满分 10"), "{}", stderr(&over));
    let decimals = run(
        &db,
        &[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            &judge,
            "--workstation",
            &ws,
            "--criterion",
            "DS01",
            "--value",
            "9.555",
        ],
    );
    assert_eq!(code(&decimals), 1);
    let stranger = run(
        &db,
        &[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            "KJ-ZG裁判1",
            "--workstation",
            &ws,
            "--criterion",
            "DS01",
            "--value",
            "5",
        ],
    );
    assert_eq!(code(&stranger), 1);
    assert!(
        stderr(&stranger).contains("未分配"),
        "{}",
        stderr(&stranger)
    );
    assert_eq!(fingerprint(&db), before);

    let ok = run(
        &db,
        &[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            &judge,
            "--workstation",
            &ws,
            "--criterion",
            "DS01",
            "--value",
            "0.5",
        ],
    );
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    assert_eq!(fingerprint(&db).0, before.0 + 1);
    // The changed score is audited with old and new values.
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("open: {e}"));
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = '修改评分' AND new_value = '0.5'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    assert_eq!(audited, 1);
}

#[test]
fn exported_scores_imported_into_a_copy_change_nothing() {
    let dir = Dir::new("cli-export");
    let db = demo(&dir);
    let out = dir.path("scores.csv");
    let export = run(
        &db,
        &["export", "scores", "--out", out.to_string_lossy().as_ref()],
    );
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    let copy = dir.path("copy.sqlite");
    std::fs::copy(&db, &copy).unwrap_or_else(|e| panic!("copy: {e}"));
    let before = fingerprint(&copy);
    let results_before = results_json(&copy, None);
    let import = run(&copy, &["import", "scores", out.to_string_lossy().as_ref()]);
    assert_eq!(code(&import), 0, "{}", stderr(&import));
    assert!(
        stdout(&import).contains("0 项有变化"),
        "{}",
        stdout(&import)
    );
    assert_eq!(fingerprint(&copy), before);
    assert_eq!(results_json(&copy, None), results_before);
    let stdout_export = run(&db, &["export", "scores", "--pool", "KJ-XS", "--out", "-"]);
    assert!(
        stdout(&stdout_export).lines().count() > 1,
        "KJ-XS has scores to export"
    );
    assert!(
        stdout(&stdout_export)
            .lines()
            .skip(1)
            .all(|l| l.starts_with("跨境电子商务运营,学生组,"))
    );
}

#[test]
fn imports_name_file_row_and_field_and_refuse_whole() {
    let dir = Dir::new("cli-imports");
    let db = demo(&dir);
    let (id, workstation, judge) = someone(&db, "DS-ZG");
    let before = fingerprint(&db);
    let theory = dir.write(
        "theory.csv",
        &format!("赛项,组别,身份证号,理论成绩\nDS,职工组,{id},88\n电子商务运营,ZG,{id},85.555\n"),
    );
    let out = run(
        &db,
        &["import", "theory", theory.to_string_lossy().as_ref()],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("theory.csv:3: error: 理论成绩: “85.555”超过两位小数"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fingerprint(&db), before);

    let scores = dir.write(
        "scores.csv",
        &format!("赛项,组别,身份证号,工位号,裁判,评分项,分数,备注\nDS,ZG,,{workstation},{judge},DS01,7\nDS,ZG,,{workstation},{judge},DS02,16\n"),
    );
    let out = run(
        &db,
        &["import", "scores", scores.to_string_lossy().as_ref()],
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("scores.csv:3: error: 分数: DS02"), "{err}");
    assert!(err.contains("超出满分 15"), "{err}");
    assert!(err.contains("未知列“备注”"), "{err}");
    assert_eq!(fingerprint(&db), before);

    let good = dir.write(
        "good.csv",
        &format!("赛项,组别,身份证号,理论成绩\nDS,职工组,{id},88\n"),
    );
    assert_eq!(
        code(&run(
            &db,
            &["import", "theory", good.to_string_lossy().as_ref()]
        )),
        0
    );
    let json = results_json(&db, Some("DS-ZG"));
    let row = json["pools"][0]["contestants"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id_number"] == id.as_str())
        .cloned();
    assert_eq!(
        row.map(|r| r["theory"].clone()),
        Some(serde_json::json!("88.00"))
    );
}

#[test]
fn scheme_import_replaces_criteria_only_before_scoring() {
    let dir = Dir::new("cli-scheme");
    let db = dir.path("fresh.sqlite");
    assert_eq!(code(&run(&db, &["init"])), 0);
    let scheme = dir.write(
        "scheme.csv",
        "赛项,组别,编号,名称,满分,步长,阶段,维度,方式\n电子商务运营,,A1,店铺运营,60,0.5,过程评价,能力,主观\n电子商务运营,,A2,数据报告,30,0.5,结果评价,能力,客观\n电子商务运营,,A3,职业素养,10,1,结果评价,职业素养,主观\n",
    );
    let out = run(
        &db,
        &["import", "scheme", scheme.to_string_lossy().as_ref()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bad = dir.write("bad.csv", "赛项,组别,编号,名称,满分,步长,阶段,维度,方式\nDS,ZG,A1,店铺运营,60,0.5,过程评价,能力,主观\n");
    let out = run(&db, &["import", "scheme", bad.to_string_lossy().as_ref()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("应为 100"), "{}", stderr(&out));

    let scored = demo(&dir);
    let out = run(
        &scored,
        &["import", "scheme", scheme.to_string_lossy().as_ref()],
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("已有评分"), "{}", stderr(&out));
}

#[test]
fn status_change_and_accounts_from_the_command_line() {
    let dir = Dir::new("cli-status");
    let db = demo(&dir);
    let (id, workstation, _) = someone(&db, "DS-ZG");
    let participants =
        |db: &Path| results_json(db, Some("DS-ZG"))["pools"][0]["participants"].as_u64();
    let before = participants(&db);
    let out = run(
        &db,
        &["contestant", "status", &id, "缺考", "--reason", "未到场"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(participants(&db), before.map(|n| n - 1));
    assert_eq!(code(&run(&db, &["contestant", "status", &id, "迟到"])), 1);

    assert_eq!(
        code(&run(
            &db,
            &[
                "user",
                "add",
                "--role",
                "judge",
                "--name",
                "新裁判",
                "--pin",
                "12",
                "--pool",
                "DS-ZG"
            ]
        )),
        1
    );
    let out = run(
        &db,
        &[
            "user",
            "add",
            "--role",
            "judge",
            "--name",
            "新裁判",
            "--pin",
            "2468",
            "--pool",
            "DS-ZG",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        code(&run(
            &db,
            &[
                "user",
                "add",
                "--role",
                "judge",
                "--name",
                "新裁判",
                "--pin",
                "2468"
            ]
        )),
        1
    );
    // The new judge's scores now count: the pool is incomplete until they score everyone.
    assert_eq!(
        results_json(&db, Some("DS-ZG"))["pools"][0]["complete"],
        false
    );
    let _ = workstation;
}

#[test]
fn a_bad_pool_status_score_or_override_is_refused_in_words_with_exit_1() {
    let dir = Dir::new("cli-bad-values");
    let db = demo(&dir);
    let before = fingerprint(&db);
    for (args, message) in [
        (
            vec!["results", "--pool", "XX"],
            "error: 赛项组别“XX”应写作 DS-ZG 这样的形式",
        ),
        (
            vec!["contestant", "status", "320102199001011232", "迟到"],
            "error: 状态“迟到”应为 正常、缺考、弃赛 或 取消资格",
        ),
        (
            vec![
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
                "9.555",
            ],
            "error: 分数“9.555”: 最多两位小数",
        ),
        (
            vec!["import", "registration", "a.csv", "--override", "abc"],
            "error: --override “abc”应写作 身份证号=理由",
        ),
        (
            vec!["pool", "lock", "--pool", "DSZG", "--as", "DS-ZG裁判长"],
            "error: 赛项组别“DSZG”应写作 DS-ZG 这样的形式",
        ),
    ] {
        let out = run(&db, &args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).trim_end(), message, "{args:?}");
    }
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new("cli-usage");
    let db = dir.path("x.sqlite");
    assert_eq!(code(&run(&db, &["frobnicate"])), 2);
    assert_eq!(code(&run(&db, &["results", "--format", "yaml"])), 2);
    assert_eq!(code(&run(&db, &["score", "set", "--pool", "DS-ZG"])), 2);
}

/// `score set` as `judge` with `pin` in the environment (`None`: no variable, no terminal).
fn score_set_with_pin(db: &Path, judge: &str, workstation: u64, pin: Option<&str>) -> Output {
    let keys = db.parent().map(|d| d.join("keys")).unwrap_or_default();
    let mut command = support::bin();
    command
        .env("JUDGEDESK_KEY_DIR", keys)
        .env_remove("JUDGEDESK_PIN")
        .stdin(std::process::Stdio::null())
        .arg("--db")
        .arg(db)
        .args([
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            judge,
            "--workstation",
            &workstation.to_string(),
            "--criterion",
            "DS01",
            "--value",
            "7",
        ]);
    if let Some(pin) = pin {
        command.env("JUDGEDESK_PIN", pin);
    }
    command.output().unwrap_or_else(|e| panic!("run: {e}"))
}

fn failed_attempts(db: &Path, judge: &str) -> i64 {
    rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT failed_attempts FROM account WHERE name = ?1",
                [judge],
                |r| r.get(0),
            )
        })
        .unwrap_or(-1)
}

#[test]
fn a_score_set_without_the_judges_pin_is_refused() {
    let dir = Dir::new("cli-no-pin");
    let db = demo(&dir);
    let (_, workstation, judge) = someone(&db, "DS-ZG");
    let before = fingerprint(&db);
    let out = score_set_with_pin(&db, &judge, workstation, None);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("JUDGEDESK_PIN"), "{}", stderr(&out));
    assert_eq!(fingerprint(&db), before, "nothing was written");
    // The same command with the judge's PIN is accepted.
    let ok = score_set_with_pin(
        &db,
        &judge,
        workstation,
        Some(judgedesk::ops::demo::DEMO_PIN),
    );
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    assert_eq!(fingerprint(&db).0, before.0 + 1);
}

#[test]
fn a_score_set_with_a_wrong_pin_is_refused_and_counts_towards_the_lockout() {
    let dir = Dir::new("cli-wrong-pin");
    let db = demo(&dir);
    let (_, workstation, judge) = someone(&db, "DS-ZG");
    let before = fingerprint(&db);
    let out = score_set_with_pin(&db, &judge, workstation, Some("000000"));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("PIN 错误"), "{}", stderr(&out));
    assert_eq!(fingerprint(&db), before, "no score was written");
    assert_eq!(
        failed_attempts(&db, &judge),
        1,
        "the window's lockout counts it"
    );
    // Another judge's PIN does not open this judge's account either: every demo account shares
    // one PIN, so a second account with a different PIN stands in for "another person".
    let out = run(
        &db,
        &[
            "user",
            "add",
            "--role",
            "judge",
            "--name",
            "另一裁判",
            "--pin",
            "8642",
            "--pool",
            "DS-ZG",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = score_set_with_pin(
        &db,
        "另一裁判",
        workstation,
        Some(judgedesk::ops::demo::DEMO_PIN),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(failed_attempts(&db, "另一裁判"), 1);
    assert_eq!(fingerprint(&db).0, before.0);
    // Locked out after the policy's limit: even the right PIN waits.
    for _ in 1..judgedesk::core::signin::FREE_ATTEMPTS {
        let _ = score_set_with_pin(&db, &judge, workstation, Some("000000"));
    }
    let out = score_set_with_pin(
        &db,
        &judge,
        workstation,
        Some(judgedesk::ops::demo::DEMO_PIN),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("秒后再试"), "{}", stderr(&out));
    assert_eq!(fingerprint(&db).0, before.0);
}

#[test]
fn a_formula_in_a_name_or_unit_is_neutralised_in_the_results_csv() {
    let dir = Dir::new("cli-csv-formula");
    let db = demo(&dir);
    let (id_number, _, _) = someone(&db, "DS-ZG");
    {
        // Written as an import would write it (sealed like every change the app makes).
        let conn = judgedesk::store::open(&db).unwrap_or_else(|e| panic!("open: {e}"));
        let tx = judgedesk::store::begin(&conn).unwrap_or_else(|e| panic!("begin: {e}"));
        tx.execute(
            "UPDATE contestant SET name = '=1+2*3' WHERE id_number = ?1",
            [&id_number],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        tx.execute(
            "UPDATE unit SET name = '+86 外来单位' WHERE id = (SELECT unit_id FROM contestant WHERE id_number = ?1)",
            [&id_number],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
    }
    let out = run(&db, &["results", "--pool", "DS-ZG", "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = stdout(&out);
    let line = csv
        .lines()
        .find(|l| l.contains(&id_number))
        .unwrap_or_else(|| panic!("no row for the contestant: {csv}"));
    assert!(line.contains(",'=1+2*3,'+86 外来单位,"), "{line}");
    // Numbers stay numbers: no score or rank field starts with a quote.
    let fields: Vec<&str> = line.split(',').collect();
    assert!(
        fields.iter().filter(|f| f.starts_with('\'')).count() == 2,
        "only the name and the unit: {line}"
    );
    // The JSON contract carries the text as it is.
    let json = results_json(&db, Some("DS-ZG"));
    assert!(json.to_string().contains("\"=1+2*3\""), "unchanged in JSON");
}
