//! The pool's day scripted through the real binary, as the people would do it: a draw by the
//! coordinator, a late registration refused, status changes after the draw, a third judge kept
//! out of an agreed measurement cell, lock, unlock, confirm, publish, an appeal, and a final that
//! waits for the appeal window — every step by the person the window requires, with their PIN.

mod support;

use std::path::Path;
use std::process::Output;
use support::Dir;

const DEMO_PIN: &str = "123456";

/// The binary on `db`, with `pin` as the acting person's PIN (and the supervisor's at an unlock).
fn run(db: &Path, pin: &str, args: &[&str]) -> Output {
    support::bin()
        .env("JUDGEDESK_PIN", pin)
        .env("JUDGEDESK_SUPERVISOR_PIN", DEMO_PIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

use support::said;

fn ok(out: Output) -> String {
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    text
}

fn refused(out: Output) -> String {
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "expected a refusal: {text}");
    text
}

/// A valid resident ID number (area 320102; odd sequence male, even female).
fn id(birth: &str, sequence: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = format!("320102{birth}{sequence:03}");
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

const HEADER: &str =
    "单位,赛项,组别,姓名,性别,身份证号,联系电话,参赛资格,院系,学生证已核验,身份证已核验";

fn staff(unit: &str, name: &str, gender: &str, id_number: &str) -> String {
    format!("{unit},电子商务运营,职工组,{name},{gender},{id_number},13812345678,c,,,")
}

fn roster(dir: &Dir, file: &str, rows: &[String]) -> String {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    dir.write(file, &text).display().to_string()
}

#[test]
fn the_draw_then_a_late_registration_is_refused_and_statuses_change_with_a_reason() {
    let dir = Dir::new("day-draw");
    let db = dir.path("venue.sqlite");
    ok(run(&db, "", &["init"]));
    let first = [
        staff("南京甲公司", "张三", "男", &id("19900101", 123)),
        staff("无锡乙公司", "李四", "女", &id("19910202", 124)),
        staff("徐州丙公司", "王五", "男", &id("19920303", 125)),
    ];
    let file = roster(&dir, "名册.csv", &first);
    ok(run(&db, "", &["import", "registration", &file]));
    ok(run(
        &db,
        "",
        &[
            "user",
            "add",
            "--role",
            "coordinator",
            "--name",
            "赛务",
            "--pin",
            "135790",
        ],
    ));

    // The draw by the coordinator, with the coordinator's PIN.
    let wrong = refused(run(
        &db,
        "000000",
        &["pool", "draw", "--pool", "DS-ZG", "--as", "赛务"],
    ));
    assert!(wrong.contains("PIN 错误"), "{wrong}");
    let drawn = ok(run(
        &db,
        "135790",
        &["pool", "draw", "--pool", "DS-ZG", "--as", "赛务"],
    ));
    assert!(drawn.contains("抽签完成：3 人"), "{drawn}");

    // A late registration into the drawn pool is refused, naming the pool and its state.
    let mut late = first.to_vec();
    late.push(staff("常州丁公司", "赵六", "女", &id("19930404", 126)));
    let file = roster(&dir, "补报.csv", &late);
    let message = refused(run(&db, "", &["import", "registration", &file]));
    assert!(
        message.contains("电子商务运营（职工组）已抽签") && message.contains("评分"),
        "{message}"
    );
    let json = ok(run(&db, "", &["results", "--pool", "DS-ZG"]));
    assert!(!json.contains("赵六"), "nobody was added");

    // After the draw a status changes only with a reason.
    let zhang = id("19900101", 123);
    let no_reason = refused(run(&db, "", &["contestant", "status", &zhang, "弃赛"]));
    assert!(no_reason.contains("理由"), "{no_reason}");
    ok(run(
        &db,
        "",
        &[
            "contestant",
            "status",
            &zhang,
            "弃赛",
            "--reason",
            "身体不适中途退出",
        ],
    ));
}

#[test]
fn the_pool_day_runs_headless_by_the_people_the_window_requires() {
    let dir = Dir::new("day-demo");
    let db = dir.path("venue.sqlite");
    ok(run(&db, "", &["demo"]));

    // A third judge cannot enter a measurement cell two judges agree on.
    let support::AgreedCell {
        workstation,
        criterion,
        value,
        third_judge: third,
        ..
    } = support::agreed_measurement_cell(&support::open(&db));
    let ws = workstation.to_string();
    let closed = refused(run(
        &db,
        DEMO_PIN,
        &[
            "score",
            "set",
            "--pool",
            "DS-ZG",
            "--judge",
            &third,
            "--workstation",
            &ws,
            "--criterion",
            &criterion,
            "--value",
            &value,
        ],
    ));
    assert!(closed.contains("第三位裁判"), "{closed}");

    // Lock by the chief judge, not a judge; unlock with the supervisor's PIN and a reason.
    let judge = refused(run(
        &db,
        DEMO_PIN,
        &["pool", "lock", "--pool", "DS-ZG", "--as", "DS-ZG裁判1"],
    ));
    assert!(judge.contains("裁判长"), "{judge}");
    let chief = ["--pool", "DS-ZG", "--as", "DS-ZG裁判长"];
    ok(run(
        &db,
        DEMO_PIN,
        &[&["pool", "lock"][..], &chief].concat(),
    ));
    ok(run(
        &db,
        DEMO_PIN,
        &[
            &["pool", "unlock"][..],
            &chief,
            &["--supervisor", "监督员", "--reason", "更正录入错误"],
        ]
        .concat(),
    ));
    ok(run(
        &db,
        DEMO_PIN,
        &[&["pool", "lock"][..], &chief].concat(),
    ));

    // The supervisor confirms and publishes; final waits for the appeal window.
    let supervisor = ["--pool", "DS-ZG", "--as", "监督员"];
    let early = refused(run(
        &db,
        DEMO_PIN,
        &[&["pool", "publish"][..], &supervisor].concat(),
    ));
    assert!(early.contains("确认解密"), "{early}");
    ok(run(
        &db,
        DEMO_PIN,
        &[&["pool", "confirm"][..], &supervisor].concat(),
    ));
    ok(run(
        &db,
        DEMO_PIN,
        &[&["pool", "publish"][..], &supervisor].concat(),
    ));
    let final_early = refused(run(
        &db,
        DEMO_PIN,
        &[&["pool", "final"][..], &supervisor].concat(),
    ));
    assert!(final_early.contains("申诉期限截至"), "{final_early}");

    // An appeal within the window is recorded; final stays refused while it is open.
    let unit: String = support::open(&db)
        .query_row(
            "SELECT u.name FROM contestant ct JOIN pool p ON p.id = ct.pool_id
             JOIN unit u ON u.id = ct.unit_id
             WHERE p.event = 'DS' AND p.grp = 'ZG' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("unit: {e}"));
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    // Without --unit the unit comes from the registration forms' 领队; a leader no form names is
    // refused with the way out.
    let unknown = refused(run(
        &db,
        DEMO_PIN,
        &[
            &["appeal", "add"][..],
            &supervisor,
            &[
                "--leader",
                "无此领队",
                "--received",
                &now,
                "--text",
                "理论成绩有误",
            ],
        ]
        .concat(),
    ));
    assert!(unknown.contains("--unit"), "{unknown}");
    let appeal = ok(run(
        &db,
        DEMO_PIN,
        &[
            &["appeal", "add"][..],
            &supervisor,
            &[
                "--leader",
                "王领队",
                "--unit",
                &unit,
                "--received",
                &now,
                "--text",
                "理论成绩有误",
            ],
        ]
        .concat(),
    ));
    assert!(appeal.contains("已登记申诉"), "{appeal}");
    let open = refused(run(
        &db,
        DEMO_PIN,
        &[&["pool", "final"][..], &supervisor].concat(),
    ));
    assert!(open.contains("申诉未处理"), "{open}");
}

#[test]
fn csv_rows_are_numbered_as_the_spreadsheet_shows_them_with_the_header_as_row_1() {
    let dir = Dir::new("day-rows");
    let db = dir.path("venue.sqlite");
    ok(run(&db, "", &["init"]));
    // Excel writes CSV with a byte-order mark and CRLF line ends.
    let text = format!(
        "\u{FEFF}{HEADER}\r\n{}\r\n{}\r\n{}\r\n",
        staff("南京甲公司", "张三", "男", "123"),
        staff("无锡乙公司", "李四", "女", &id("19910202", 124)),
        staff("无锡乙公司", "李四", "女", &id("19910202", 124)),
    );
    let file = dir.write("名册.csv", &text).display().to_string();
    let message = refused(run(&db, "", &["import", "registration", &file]));
    assert!(message.contains("名册.csv:2: error: 身份证号"), "{message}");
    assert!(
        message.contains("名册.csv:4: error") && message.contains("首次出现在 名册.csv:3"),
        "{message}"
    );
}
