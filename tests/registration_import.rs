//! Registration import through the real database: CSV in three encodings, XLSX with numbers, merged cells and formulas, and refusals that change nothing.

mod support;

use judgedesk::ops::registration::{
    ImportOptions, ImportReport, QuotaOverride, import_registration, preview_registration,
};
use judgedesk::ops::{Actor, OpsError};
use judgedesk::store::people;
use rusqlite::Connection;
use std::path::PathBuf;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const HEADER: &str =
    "单位,赛项,组别,姓名,性别,身份证号,联系电话,参赛资格,院系,学生证已核验,身份证已核验";

/// A valid resident ID number: area 320102, the birth date, a 3-digit sequence whose parity is
/// the gender, and the ISO 7064 MOD 11-2 check digit computed here independently of the crate.
fn id(birth: &str, sequence: u32) -> String {
    let first17 = format!("320102{birth}{sequence:03}");
    format!("{first17}{}", check_char(&first17))
}

fn check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

/// A fresh database with the built-in competition, and a folder for fixtures.
struct Fixture {
    conn: Connection,
    dir: support::Dir,
}

impl Fixture {
    fn new() -> Result<Fixture, Box<dyn std::error::Error>> {
        let dir = support::Dir::new("registration");
        let conn = judgedesk::store::open(&dir.path("test.sqlite"))?;
        let tx = judgedesk::store::begin(&conn)?;
        judgedesk::store::competition::init(&tx, &judgedesk::builtin::load()?)?;
        tx.commit()?;
        Ok(Fixture { conn, dir })
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, std::io::Error> {
        let path = self.dir.path(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    fn import(&self, paths: &[PathBuf], options: &ImportOptions) -> Result<ImportReport, OpsError> {
        import_registration(&self.conn, paths, &Actor::command_line(), options)
    }

    /// Everything an import may change, to show a refusal changed nothing.
    fn snapshot(&self) -> Result<String, Box<dyn std::error::Error>> {
        let mut text = String::new();
        for table in ["contestant", "unit", "unit_form", "audit"] {
            let count: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            text.push_str(&format!("{table}={count};"));
        }
        text.push_str(&format!("{:?}", people::contestants(&self.conn)?));
        Ok(text)
    }

    fn stored_ids(&self) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        Ok(people::contestants(&self.conn)?
            .into_iter()
            .map(|c| c.record.id_number)
            .collect())
    }
}

/// The printed problems of a refusal.
fn refusal(result: Result<ImportReport, OpsError>) -> Vec<String> {
    match result {
        Err(OpsError::Refused(problems)) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => vec![format!("unexpected error: {other}")],
        Ok(report) => vec![format!("unexpectedly imported: {report:?}")],
    }
}

fn warnings(report: &ImportReport) -> Vec<String> {
    report.problems.iter().map(ToString::to_string).collect()
}

fn staff_row(unit: &str, name: &str, gender: &str, id_number: &str) -> String {
    format!("{unit},电子商务运营,职工组,{name},{gender},{id_number},13812345678,c,,,")
}

fn roster(rows: &[String]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

#[test]
fn utf8_roster_imports_and_importing_again_changes_nothing() -> TestResult {
    let f = Fixture::new()?;
    let csv = roster(&[
        staff_row("南京某公司", "张三", "男", &id("19900101", 123)),
        staff_row("南京某公司", "李四", "女", &id("19910202", 124)),
        format!(
            "江苏某学院,DS,XS,王五,男,{},13912345678,,商学院,是,是",
            id("20030303", 125)
        ),
    ]);
    let path = f.write("名册.csv", csv.as_bytes())?;
    let report = f.import(std::slice::from_ref(&path), &ImportOptions::default())?;
    assert_eq!((report.added, report.updated, report.unchanged), (3, 0, 0));
    assert_eq!(warnings(&report), Vec::<String>::new());
    let again = f.import(&[path], &ImportOptions::default())?;
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(people::contestants(&f.conn)?.len(), 3);
    let audits: i64 = f.conn.query_row(
        "SELECT count(*) FROM audit WHERE action = '导入报名表'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(audits, 2);
    let leaked: i64 = f.conn.query_row(
        "SELECT count(*) FROM audit WHERE coalesce(subject, '') || coalesce(new_value, '') || coalesce(reason, '') LIKE '%320102%'
         OR coalesce(subject, '') || coalesce(new_value, '') LIKE '%13812345678%'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(leaked, 0, "no ID or phone numbers in the audit log");
    Ok(())
}

#[test]
fn utf8_with_bom_is_read() -> TestResult {
    let f = Fixture::new()?;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(roster(&[staff_row("南京某公司", "张三", "男", &id("19900101", 123))]).as_bytes());
    let report = f.import(&[f.write("bom.csv", &bytes)?], &ImportOptions::default())?;
    assert_eq!(report.added, 1);
    assert_eq!(people::contestants(&f.conn)?[0].record.unit, "南京某公司");
    Ok(())
}

#[test]
fn gbk_csv_is_detected_and_read() -> TestResult {
    let f = Fixture::new()?;
    let text = roster(&[staff_row("苏州某集团", "赵六", "女", &id("19850505", 124))]);
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(&text);
    assert!(!had_errors);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture really is GBK"
    );
    let report = f.import(&[f.write("gbk.csv", &bytes)?], &ImportOptions::default())?;
    assert_eq!(report.added, 1);
    let stored = &people::contestants(&f.conn)?[0].record;
    assert_eq!(
        (stored.name.as_str(), stored.unit.as_str()),
        ("赵六", "苏州某集团")
    );
    Ok(())
}

#[test]
fn full_width_digits_and_lower_case_x_match_the_plain_number() -> TestResult {
    let f = Fixture::new()?;
    // 11010519491231002X: the standard's own example, female, check character X.
    let plain = "11010519491231002X";
    let typed: String = "11010519491231002x"
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c)
        })
        .collect();
    assert!(typed.starts_with('１') && typed.ends_with('x'));
    let path = f.write(
        "全角.csv",
        roster(&[staff_row("某公司", "孙七", "女", &typed)]).as_bytes(),
    )?;
    assert_eq!(f.import(&[path], &ImportOptions::default())?.added, 1);
    assert_eq!(f.stored_ids()?, vec![plain.to_string()]);
    let path = f.write(
        "半角.csv",
        roster(&[staff_row("某公司", "孙七", "女", plain)]).as_bytes(),
    )?;
    let report = f.import(&[path], &ImportOptions::default())?;
    assert_eq!((report.added, report.unchanged), (0, 1));
    Ok(())
}

#[test]
fn fifteen_digit_id_is_upgraded_with_a_warning() -> TestResult {
    let f = Fixture::new()?;
    let upgraded = id("19900101", 123);
    let path = f.write(
        "旧号.csv",
        roster(&[staff_row("某公司", "周八", "男", "320102900101123")]).as_bytes(),
    )?;
    let report = f.import(&[path], &ImportOptions::default())?;
    assert_eq!(
        warnings(&report),
        vec![format!(
            "旧号.csv:2: warning: 身份证号: 15 位旧身份证号，已升级为 18 位 {upgraded}"
        )]
    );
    assert_eq!(f.stored_ids()?, vec![upgraded]);
    Ok(())
}

#[test]
fn wrong_check_digit_refuses_the_file_and_changes_nothing() -> TestResult {
    let f = Fixture::new()?;
    let before = f.snapshot()?;
    let csv = roster(&[
        staff_row("某公司", "张三", "男", &id("19900101", 123)),
        staff_row("某公司", "孙七", "女", "110105194912310021"),
    ]);
    let result = f.import(
        &[f.write("名册.csv", csv.as_bytes())?],
        &ImportOptions::default(),
    );
    assert_eq!(
        refusal(result),
        vec!["名册.csv:3: error: 身份证号: 校验位错误，应为 X"]
    );
    assert_eq!(f.snapshot()?, before);
    Ok(())
}

#[test]
fn numeric_id_cell_in_a_workbook_is_refused() -> TestResult {
    let f = Fixture::new()?;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("名册")?;
    for (col, header) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, header)?;
    }
    for (col, value) in ["某公司", "DS", "ZG", "张三", "男"].into_iter().enumerate() {
        sheet.write_string(1, col as u16, value)?;
    }
    sheet.write_number(1, 5, 320102199001011232.0)?;
    sheet.write_string(1, 7, "c")?;
    let path = f.dir.path("数字.xlsx");
    workbook.save(&path)?;
    let before = f.snapshot()?;
    assert_eq!(
        refusal(f.import(&[path], &ImportOptions::default())),
        vec![
            "数字.xlsx:名册:2: error: 身份证号: 身份证号被存成了数字（如 3.20102E+17），电子表格只保留 15 位有效数字，末几位已丢失；请把该列设为文本格式后重新填写"
        ]
    );
    assert_eq!(f.snapshot()?, before);
    Ok(())
}

#[test]
fn scientific_notation_in_a_csv_is_refused() -> TestResult {
    let f = Fixture::new()?;
    let path = f.write(
        "科学计数.csv",
        roster(&[staff_row("某公司", "张三", "男", "3.20102E+17")]).as_bytes(),
    )?;
    let problems = refusal(f.import(&[path], &ImportOptions::default()));
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("科学计数.csv:2: error: 身份证号: 身份证号被存成了数字"),
        "{problems:?}"
    );
    Ok(())
}

#[test]
fn merged_cells_and_formula_values_fill_every_row() -> TestResult {
    let f = Fixture::new()?;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("名册")?;
    for (col, header) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, header)?;
    }
    let plain = rust_xlsxwriter::Format::new();
    sheet.merge_range(1, 0, 2, 0, "无锡某公司", &plain)?;
    sheet.merge_range(1, 1, 2, 1, "直播电商运营", &plain)?;
    sheet.merge_range(1, 2, 2, 2, "职工组", &plain)?;
    sheet.write_formula(
        1,
        3,
        rust_xlsxwriter::Formula::new("=\"吴\"&\"九\"").set_result("吴九"),
    )?;
    sheet.write_string(2, 3, "郑十")?;
    sheet.write_string(1, 4, "男")?;
    sheet.write_string(2, 4, "女")?;
    sheet.write_string(1, 5, id("19880808", 123))?;
    sheet.write_string(2, 5, id("19890909", 124))?;
    sheet.merge_range(1, 7, 2, 7, "d", &plain)?;
    let path = f.dir.path("合并.xlsx");
    workbook.save(&path)?;
    let report = f.import(&[path], &ImportOptions::default())?;
    assert_eq!((report.added, warnings(&report)), (2, Vec::<String>::new()));
    let stored = people::contestants(&f.conn)?;
    let names: Vec<(&str, &str)> = stored
        .iter()
        .map(|c| (c.record.name.as_str(), c.record.unit.as_str()))
        .collect();
    assert_eq!(names, vec![("吴九", "无锡某公司"), ("郑十", "无锡某公司")]);
    assert!(stored.iter().all(|c| c.record.basis.is_some()));
    Ok(())
}

#[test]
fn third_contestant_needs_an_override_which_is_audited() -> TestResult {
    let f = Fixture::new()?;
    let third = id("19920303", 125);
    let csv = roster(&[
        staff_row("某公司", "甲一", "男", &id("19900101", 123)),
        staff_row("某公司", "乙二", "女", &id("19910202", 124)),
        staff_row("某公司", "丙三", "男", &third),
    ]);
    let path = f.write("三人.csv", csv.as_bytes())?;
    let before = f.snapshot()?;
    assert_eq!(
        refusal(f.import(std::slice::from_ref(&path), &ImportOptions::default())),
        vec![
            "三人.csv:4: error: 单位: “某公司”在电子商务运营（职工组）已推荐 2 名选手，第 3 名超出名额；确需参赛须特批并注明理由"
        ]
    );
    assert_eq!(f.snapshot()?, before);

    let options = ImportOptions {
        dry_run: false,
        quota_overrides: vec![QuotaOverride {
            id_number: third.to_lowercase(),
            reason: "东道主单位".into(),
        }],
    };
    let report = f.import(std::slice::from_ref(&path), &options)?;
    assert_eq!(report.added, 3);
    assert_eq!(
        warnings(&report),
        vec![
            "三人.csv:4: warning: 单位: “某公司”在电子商务运营（职工组）的第 3 名选手超出每单位 2 名的名额，按特批理由“东道主单位”接受"
        ]
    );
    let (reason, subject): (String, String) = f.conn.query_row(
        "SELECT reason, subject FROM audit WHERE action = '超出名额特批'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!(
        (reason.as_str(), subject.as_str()),
        ("东道主单位", "丙三（某公司）")
    );

    // The recorded override carries over when the same file comes again.
    let again = f.import(&[path], &ImportOptions::default())?;
    assert_eq!(again.unchanged, 3);
    Ok(())
}

#[test]
fn preview_names_who_an_override_would_admit_and_writes_nothing() -> TestResult {
    let f = Fixture::new()?;
    let third = id("19920303", 125);
    let csv = roster(&[
        staff_row("某公司", "甲一", "男", &id("19900101", 123)),
        staff_row("某公司", "乙二", "女", &id("19910202", 124)),
        staff_row("某公司", "丙三", "男", &third),
        staff_row("另一公司", "丁四", "男", "110"),
    ]);
    let path = f.write("预检.csv", csv.as_bytes())?;
    let before = f.snapshot()?;
    let preview = preview_registration(
        &f.conn,
        std::slice::from_ref(&path),
        &ImportOptions::default(),
    )?;
    assert_eq!(f.snapshot()?, before);
    assert_eq!(preview.over_quota.len(), 1);
    let over = &preview.over_quota[0];
    assert_eq!(
        (over.name.as_str(), over.id_number.as_str()),
        ("丙三", third.as_str())
    );
    assert!(!over.masked_id.contains("19920303"), "{over:?}");
    assert!(preview.errors.contains(&over.problem));
    // The short ID number blocks whatever the overrides say.
    let blocking: Vec<String> = preview.blocking().map(ToString::to_string).collect();
    assert!(!blocking.is_empty());
    assert!(
        blocking.iter().all(|p| p.starts_with("预检.csv:5: error:")),
        "{blocking:?}"
    );

    let csv = roster(&[
        staff_row("某公司", "甲一", "男", &id("19900101", 123)),
        staff_row("某公司", "乙二", "女", &id("19910202", 124)),
        staff_row("某公司", "丙三", "男", &third),
    ]);
    let path = f.write("预检.csv", csv.as_bytes())?;
    let options = ImportOptions {
        dry_run: true,
        quota_overrides: vec![QuotaOverride {
            id_number: third.clone(),
            reason: "东道主单位".into(),
        }],
    };
    let preview = preview_registration(&f.conn, std::slice::from_ref(&path), &options)?;
    assert_eq!((preview.errors.len(), preview.over_quota.len()), (0, 0));
    assert_eq!(preview.report.added, 3);
    assert_eq!(f.snapshot()?, before);
    Ok(())
}

#[test]
fn same_id_twice_names_the_first_file_and_row() -> TestResult {
    let f = Fixture::new()?;
    let twice = id("19900101", 123);
    let first = f.write(
        "一.csv",
        roster(&[staff_row("甲公司", "张三", "男", &twice)]).as_bytes(),
    )?;
    let second = f.write(
        "二.csv",
        roster(&[staff_row("甲公司", "张三", "男", &twice)]).as_bytes(),
    )?;
    assert_eq!(
        refusal(f.import(&[first.clone(), second], &ImportOptions::default())),
        vec!["二.csv:2: error: 身份证号: 身份证号重复，首次出现在 一.csv:2"]
    );
    f.import(&[first], &ImportOptions::default())?;
    let other_unit = f.write(
        "三.csv",
        roster(&[staff_row("乙公司", "张三", "男", &twice)]).as_bytes(),
    )?;
    assert_eq!(
        refusal(f.import(&[other_unit], &ImportOptions::default())),
        vec![
            "三.csv:2: error: 身份证号: 身份证号重复，已在库中（甲公司，电子商务运营（职工组）），同一人不能重复报名"
        ]
    );
    Ok(())
}

#[test]
fn update_reports_what_changed_without_id_numbers() -> TestResult {
    let f = Fixture::new()?;
    let person = id("19900101", 123);
    f.import(
        &[f.write(
            "一.csv",
            roster(&[staff_row("甲公司", "张三", "男", &person)]).as_bytes(),
        )?],
        &ImportOptions::default(),
    )?;
    let changed = format!("甲公司,跨境电子商务运营,职工组,张三,男,{person},13912345678,d,,,");
    let report = f.import(
        &[f.write("二.csv", roster(&[changed]).as_bytes())?],
        &ImportOptions::default(),
    )?;
    assert_eq!(report.updated, 1);
    assert_eq!(
        report.changes,
        vec![
            "张三（甲公司）：赛项组别 电子商务运营（职工组）→跨境电子商务运营（职工组）；参赛资格 c→d；联系电话已更改"
        ]
    );
    assert_eq!(people::contestants(&f.conn)?.len(), 1);
    Ok(())
}

#[test]
fn headers_only_file_imports_nothing_and_succeeds() -> TestResult {
    let f = Fixture::new()?;
    let report = f.import(
        &[f.write("空表.csv", format!("{HEADER}\n").as_bytes())?],
        &ImportOptions::default(),
    )?;
    assert_eq!((report.added, report.updated, report.unchanged), (0, 0, 0));
    assert!(report.problems.is_empty());
    assert!(f.stored_ids()?.is_empty());
    Ok(())
}

#[test]
fn dry_run_previews_without_writing() -> TestResult {
    let f = Fixture::new()?;
    let before = f.snapshot()?;
    let path = f.write(
        "预览.csv",
        roster(&[staff_row("某公司", "张三", "男", &id("19900101", 123))]).as_bytes(),
    )?;
    let report = f.import(
        &[path],
        &ImportOptions {
            dry_run: true,
            quota_overrides: Vec::new(),
        },
    )?;
    assert_eq!(report.added, 1);
    assert_eq!(f.snapshot()?, before);
    Ok(())
}

#[test]
fn unit_rows_are_stored_and_checked() -> TestResult {
    let f = Fixture::new()?;
    let units = "单位,赛项,领队,领队手机,总人数,男性人数,女性人数,标间数量,入住日期,退房日期,航班车次,填报日期\n\
                 某公司,DS,钱领队,+86 139-1234-5678,3,1,1,2,2023-10-14,2023-10-16,G7001,2023-09-25\n";
    let path = f.write("回执.csv", units.as_bytes())?;
    let report = f.import(&[path], &ImportOptions::default())?;
    assert_eq!(
        warnings(&report),
        vec![
            "回执.csv:2: warning: 总人数: 男性人数 1 + 女性人数 1 与总人数 3 不符",
            "回执.csv:2: warning: 填报日期: 填报日期 2023-09-25 晚于报名截止日期 2023-09-20",
        ]
    );
    let (leader, phone, rooms, check_in): (String, String, i64, String) = f.conn.query_row(
        "SELECT leader, leader_phone, standard_rooms, check_in FROM unit_form",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    assert_eq!(
        (leader.as_str(), phone.as_str(), rooms, check_in.as_str()),
        ("钱领队", "13912345678", 2, "2023-10-14")
    );
    Ok(())
}

#[test]
fn unreadable_file_is_refused_by_name() -> TestResult {
    let f = Fixture::new()?;
    let path = f.write("乱码.csv", &[0x61, 0x2C, 0xFF, 0xFE, 0xFF, 0x0A])?;
    let missing = f.dir.path("不存在.csv");
    let problems = refusal(f.import(&[path, missing], &ImportOptions::default()));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("乱码.csv: error: 文件编码无法识别"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("不存在.csv: error: 无法读取文件"),
        "{problems:?}"
    );
    Ok(())
}

/// Re-importing after the pool is locked may not change what was scored: refused like editing
/// the contestant, naming the row and field, and nothing changes.
#[test]
fn a_registration_reimport_after_lock_is_refused_and_changes_nothing() -> TestResult {
    let f = Fixture::new()?;
    let person = id("19900101", 123);
    let first = f.write(
        "名册.csv",
        roster(&[staff_row("南京某公司", "张三", "男", &person)]).as_bytes(),
    )?;
    f.import(&[first], &ImportOptions::default())?;
    let key = judgedesk::core::model::PoolKey::parse("DS-ZG").ok_or("key")?;
    let pool = judgedesk::store::competition::pool(&f.conn, &key)?.ok_or("pool")?;
    let tx = judgedesk::store::begin(&f.conn)?;
    judgedesk::store::competition::set_pool_state(
        &tx,
        pool.id,
        judgedesk::core::model::PoolState::Locked,
    )?;
    tx.commit()?;
    let before = f.snapshot()?;

    let renamed = f.write(
        "名册-更正.csv",
        roster(&[staff_row("南京某公司", "张叁", "男", &person)]).as_bytes(),
    )?;
    let problems = refusal(f.import(std::slice::from_ref(&renamed), &ImportOptions::default()));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("名册-更正.csv") && p.contains("姓名") && p.contains("已锁定")),
        "{problems:?}"
    );
    assert_eq!(f.snapshot()?, before, "a refusal changes nothing");
    // The same registration again is no change and still imports.
    let same = f.write(
        "名册-原样.csv",
        roster(&[staff_row("南京某公司", "张三", "男", &person)]).as_bytes(),
    )?;
    let report = f.import(&[same], &ImportOptions::default())?;
    assert_eq!((report.added, report.updated, report.unchanged), (0, 0, 1));
    Ok(())
}

/// A re-import that changes a contestant writes one audit row per changed field, with the
/// values before and after (never a phone or ID number).
#[test]
fn every_field_a_reimport_changes_is_an_audit_row() -> TestResult {
    let f = Fixture::new()?;
    let person = id("19900101", 123);
    let first = f.write(
        "名册.csv",
        roster(&[staff_row("南京某公司", "张三", "男", &person)]).as_bytes(),
    )?;
    f.import(&[first], &ImportOptions::default())?;
    let changed = roster(&[staff_row("南京某公司", "张叁", "男", &person)])
        .replace("13812345678", "13900001111");
    let second = f.write("名册-更正.csv", changed.as_bytes())?;
    let report = f.import(&[second], &ImportOptions::default())?;
    assert_eq!(report.updated, 1);
    let mut stmt = f.conn.prepare(
        "SELECT subject, coalesce(old_value, ''), coalesce(new_value, '') FROM audit
         WHERE action = '导入更改' ORDER BY id",
    )?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        rows,
        vec![
            ("姓名".to_string(), "张三".to_string(), "张叁".to_string()),
            (
                "联系电话".to_string(),
                "（原号码）".to_string(),
                "（已更改）".to_string()
            ),
        ]
    );
    let leaked: i64 = f.conn.query_row(
        "SELECT count(*) FROM audit WHERE coalesce(old_value, '') || coalesce(new_value, '') LIKE '%1390000%'
            OR coalesce(old_value, '') || coalesce(new_value, '') LIKE '%320102%'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(leaked, 0);
    Ok(())
}
