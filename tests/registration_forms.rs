//! The official registration form end to end: the template the app writes, filled by the test
//! (one file per defect of competition-rules.md §2, each with exactly its message), the
//! notice's own layout with merged title rows, the form saved as GBK CSV, logistics and the
//! venue roster. A refused file changes nothing in the database.

mod support;

use judgedesk::ops::registration::{
    ImportOptions, ImportReport, QuotaOverride, import_registration,
};
use judgedesk::ops::{Actor, OpsError};
use judgedesk::store::{people, units};
use rusqlite::Connection;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Read;
use std::path::{Path, PathBuf};
use support::forms::{Error, Form, V, cells, id, save_forms, t};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SHEET: &str = "电子商务运营";

/// A complete, valid form: 2 staff, 2 students, leader and contact; 6 people, 3 men, 3 women,
/// 2 standard and 2 single rooms (6 beds).
fn valid_form() -> Form {
    Form {
        event: SHEET.into(),
        sheet: SHEET.into(),
        unit: cells(&[
            ("单位", t("江苏某职业学院")),
            ("领队", t("钱领队")),
            ("领队职务", t("处长")),
            ("领队手机", t("13912345678")),
            ("联系人", t("孙联系")),
            ("联系人职务", t("科员")),
            ("联系人手机", t("138 1234 5678")),
            ("总人数", V::N(6.0)),
            ("男性人数", V::N(3.0)),
            ("女性人数", V::N(3.0)),
            ("标间数量", V::N(2.0)),
            ("单间数量", V::N(2.0)),
            ("入住日期", t("2023-10-14")),
            ("退房日期", t("2023-10-16")),
            ("航班车次", t("G7001 10:05 到连云港站")),
            ("填报日期", t("2023-09-10")),
        ]),
        staff: vec![
            cells(&[
                ("姓名", t("张三")),
                ("性别", t("男")),
                ("身份证号", t(&id("19900101", 123))),
                ("联系电话", t("13812345678")),
                ("身高体重", t("175/70")),
                ("设区市", t("南京市")),
                ("市选拔名次", V::N(1.0)),
                ("参赛资格", t("c")),
                ("已获荣誉", t("无")),
            ]),
            cells(&[
                ("姓名", t("李四")),
                ("性别", t("女")),
                ("身份证号", t(&id("19910202", 124))),
                ("联系电话", t("13812345679")),
                ("参赛资格", t("a")),
                ("现有等级", t("高级工")),
                ("等级取得日期", t("2020-05-01")),
                ("职称", t("中级（经济师）")),
            ]),
        ],
        students: vec![
            cells(&[
                ("姓名", t("王五")),
                ("性别", t("男")),
                ("身份证号", t(&id("20030303", 125))),
                ("联系电话", t("13912340001")),
                ("指导老师", t("赵老师")),
                ("院系", t("商学院")),
                ("学生证已核验", t("是")),
                ("身份证已核验", t("是")),
            ]),
            cells(&[
                ("姓名", t("陈六")),
                ("性别", t("女")),
                ("身份证号", t(&id("20040404", 126))),
                ("指导老师", t("赵老师")),
                ("院系", t("信息学院")),
                ("学生证已核验", t("是")),
                ("身份证已核验", t("是")),
            ]),
        ],
    }
}

/// A fresh database with the built-in competition, and a folder for the corpus.
struct Fixture {
    conn: Connection,
    db: PathBuf,
    dir: support::Dir,
}

impl Fixture {
    fn new() -> Result<Fixture, Error> {
        let dir = support::Dir::new("forms");
        let db = dir.path("test.sqlite");
        let conn = judgedesk::store::open(&db)?;
        let tx = judgedesk::store::begin(&conn)?;
        judgedesk::store::competition::init(&tx, &judgedesk::builtin::load()?)?;
        tx.commit()?;
        Ok(Fixture { dir, db, conn })
    }

    fn form(&self, name: &str, forms: &[Form]) -> Result<PathBuf, Error> {
        let path = self.dir.path(name);
        save_forms(&path, forms)?;
        Ok(path)
    }

    fn import(&self, paths: &[PathBuf], options: &ImportOptions) -> Result<ImportReport, OpsError> {
        import_registration(&self.conn, paths, &Actor::command_line(), options)
    }

    /// Everything an import may change, to show that a refusal changed nothing.
    fn snapshot(&self) -> Result<String, Error> {
        let mut text = String::new();
        for table in ["contestant", "unit", "unit_form", "audit"] {
            let count: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            text.push_str(&format!("{table}={count};"));
        }
        text.push_str(&format!("{:?}", people::contestants(&self.conn)?));
        text.push_str(&format!("{:?}", units::unit_forms(&self.conn)?));
        Ok(text)
    }

    fn run(&self, args: &[&str]) -> Result<std::process::Output, Error> {
        Ok(support::bin()
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()?)
    }
}

/// Every problem of an import, printed, whether it was refused or not.
fn outcome(result: Result<ImportReport, OpsError>) -> (bool, Vec<String>) {
    match result {
        Ok(report) => (
            true,
            report.problems.iter().map(ToString::to_string).collect(),
        ),
        Err(OpsError::Refused(problems)) => {
            (false, problems.iter().map(ToString::to_string).collect())
        }
        Err(other) => (false, vec![format!("unexpected error: {other}")]),
    }
}

/// One defect of §2 in one file: how the valid form is spoilt, and what the import must say
/// (`{F}` stands for `FILE:SHEET`).
struct Case {
    file: &'static str,
    spoil: Box<dyn Fn(&mut Form)>,
    overrides: Vec<QuotaOverride>,
    imports: bool,
    expected: Vec<String>,
}

fn case(
    file: &'static str,
    spoil: impl Fn(&mut Form) + 'static,
    imports: bool,
    expected: &[&str],
) -> Case {
    Case {
        file,
        spoil: Box::new(spoil),
        overrides: Vec::new(),
        imports,
        expected: expected.iter().map(|s| s.to_string()).collect(),
    }
}

fn staff0(form: &mut Form, column: &'static str, value: V) {
    form.staff[0].insert(column, value);
}

fn corpus() -> Vec<Case> {
    let zhang = id("19900101", 123);
    let wrong_check = {
        let right = zhang.chars().last().unwrap_or('0');
        let wrong = if right == '1' { '2' } else { '1' };
        format!("{}{wrong}", &zhang[..17])
    };
    let expected_check = zhang.chars().last().unwrap_or('?');
    let third_staff = id("19920303", 127);
    let third_student = id("20050505", 129);
    let full_width: String = zhang
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c)
        })
        .collect();
    let phone_message = "“12345”不是有效的手机号码（应为 1 开头、第二位为 3–9 的 11 位数字）";
    let mut cases = vec![
        case(
            "校验位错误.xlsx",
            move |f| staff0(f, "身份证号", t(&wrong_check)),
            false,
            &[&format!(
                "{{F}}:9: error: 身份证号: 校验位错误，应为 {expected_check}"
            )],
        ),
        case(
            "位数错误.xlsx",
            |f| staff0(f, "身份证号", t("32010219900101123")),
            false,
            &["{F}:9: error: 身份证号: 应为 18 位，实为 17 位"],
        ),
        case(
            "非法字符.xlsx",
            |f| staff0(f, "身份证号", t("3201021990010112AX")),
            false,
            &["{F}:9: error: 身份证号: 前 17 位应为数字，末位应为数字或 X"],
        ),
        case(
            "出生日期无效.xlsx",
            |f| staff0(f, "身份证号", t(&id("19900230", 123))),
            false,
            &["{F}:9: error: 身份证号: 出生日期 19900230 不是有效日期"],
        ),
        case(
            "出生日期在未来.xlsx",
            |f| staff0(f, "身份证号", t(&id("20990101", 123))),
            false,
            &["{F}:9: error: 身份证号: 出生日期 2099-01-01 晚于今天"],
        ),
        case(
            "性别与身份证号不符.xlsx",
            |f| staff0(f, "性别", t("女")),
            false,
            &["{F}:9: error: 身份证号: 第 17 位表示性别为男，与填写的性别“女”不符"],
        ),
        case(
            "身份证号存成数字.xlsx",
            |f| staff0(f, "身份证号", V::N(320102199001011232.0)),
            false,
            &[
                "{F}:9: error: 身份证号: 身份证号被存成了数字（如 3.20102E+17），电子表格只保留 15 位有效数字，末几位已丢失；请把该列设为文本格式后重新填写",
            ],
        ),
        case(
            "全角数字.xlsx",
            move |f| staff0(f, "身份证号", t(&full_width)),
            true,
            &[],
        ),
        case(
            "十五位旧号.xlsx",
            |f| staff0(f, "身份证号", t("320102900101123")),
            true,
            &[&format!(
                "{{F}}:9: warning: 身份证号: 15 位旧身份证号，已升级为 18 位 {}",
                id("19900101", 123)
            )],
        ),
        case(
            "手机号错误.xlsx",
            |f| staff0(f, "联系电话", t("12345")),
            false,
            &[&format!("{{F}}:9: error: 联系电话: {phone_message}")],
        ),
        case(
            "领队手机错误.xlsx",
            |f| {
                f.unit.insert("领队手机", t("12345"));
            },
            false,
            &[&format!("{{F}}:4: error: 领队手机: {phone_message}")],
        ),
        case(
            "身份证号重复.xlsx",
            |f| {
                f.students[0].insert("身份证号", t(&id("19900101", 123)));
            },
            false,
            &["{F}:13: error: 身份证号: 身份证号重复，首次出现在 {F}:9"],
        ),
        case(
            "超出名额.xlsx",
            move |f| {
                f.staff.push(cells(&[
                    ("姓名", t("丙三")),
                    ("性别", t("男")),
                    ("身份证号", t(&third_staff)),
                    ("参赛资格", t("d")),
                ]))
            },
            false,
            &[
                "{F}:11: error: 单位: “江苏某职业学院”在电子商务运营（职工组）已推荐 2 名选手，第 3 名超出名额；确需参赛须特批并注明理由",
            ],
        ),
        case(
            "学生证未核验.xlsx",
            |f| {
                f.students[0].insert("学生证已核验", t("否"));
            },
            false,
            &["{F}:13: error: 学生证已核验: 学生组选手的学生证须经核验（填“是”）"],
        ),
        case(
            "身份证未核验.xlsx",
            |f| {
                f.students[1].remove("身份证已核验");
            },
            false,
            &["{F}:14: error: 身份证已核验: 学生组选手的身份证须经核验（填“是”）"],
        ),
        case(
            "未填参赛资格.xlsx",
            |f| {
                f.staff[0].remove("参赛资格");
            },
            false,
            &["{F}:9: error: 参赛资格: 职工组选手须填写参赛资格（a、b、c 或 d）"],
        ),
        case(
            "资格a等级不足.xlsx",
            |f| {
                f.staff[1].insert("现有等级", t("初级工"));
            },
            false,
            &["{F}:10: error: 参赛资格: 参赛资格 a 要求现有等级为中级工及以上，现有等级：初级工"],
        ),
        case(
            "资格b无职称.xlsx",
            |f| staff0(f, "参赛资格", t("b")),
            false,
            &[
                "{F}:9: error: 参赛资格: 参赛资格 b 要求具有助理工程师（初级）及以上职称，未填写职称",
            ],
        ),
        case(
            "已获技术能手.xlsx",
            |f| staff0(f, "已获荣誉", t("2021年江苏省技术能手")),
            false,
            &["{F}:9: error: 已获荣誉: 已获“江苏技术能手”者不得参赛"],
        ),
        case(
            "市选拔名次.xlsx",
            |f| staff0(f, "市选拔名次", V::N(7.0)),
            true,
            &["{F}:9: warning: 市选拔名次: 市选拔第 7 名，每市每赛项只有前 6 名进入决赛"],
        ),
        case(
            "男女人数不符.xlsx",
            |f| {
                f.unit.insert("女性人数", V::N(2.0));
            },
            true,
            &["{F}:6: warning: 总人数: 男性人数 3 + 女性人数 2 与总人数 6 不符"],
        ),
        case(
            "选手多于回执人数.xlsx",
            |f| {
                f.unit.insert("男性人数", V::N(1.0));
                f.unit.insert("女性人数", V::N(5.0));
            },
            true,
            &["{F}:6: warning: 男性人数: 男选手 2 人，多于男性人数 1"],
        ),
        case(
            "床位不足.xlsx",
            |f| {
                f.unit.insert("单间数量", V::N(1.0));
            },
            true,
            &["{F}:16: warning: 标间数量: 房间共 5 个床位，少于总人数 6"],
        ),
        case(
            "填报日期晚于截止.xlsx",
            |f| {
                f.unit.insert("填报日期", t("2023/9/25"));
            },
            true,
            &["{F}:16: warning: 填报日期: 填报日期 2023-09-25 晚于报名截止日期 2023-09-20"],
        ),
        case(
            "退房早于入住.xlsx",
            |f| {
                f.unit.insert("入住日期", t("10月16日"));
                f.unit.insert("退房日期", t("2023年10月14日"));
            },
            true,
            &["{F}:17: warning: 退房日期: 退房日期 2023-10-14 早于入住日期 2023-10-16"],
        ),
        case(
            "入住日期无效.xlsx",
            |f| {
                f.unit.insert("入住日期", t("国庆后"));
            },
            false,
            &["{F}:16: error: 入住日期: “国庆后”不是有效日期（应写作 YYYY-MM-DD）"],
        ),
        case(
            "未填单位.xlsx",
            |f| {
                f.unit.remove("单位");
            },
            false,
            &["{F}:3: error: 单位: 未填写单位名称"],
        ),
        case(
            "赛项无法识别.xlsx",
            |f| {
                f.unit.insert("赛项", t("电商运营"));
            },
            false,
            &["{F}:3: error: 赛项: 没有赛项“电商运营”"],
        ),
        case(
            "组别错误.xlsx",
            |f| staff0(f, "组别", t("成人组")),
            false,
            &["{F}:9: error: 组别: “成人组”应为 职工组 或 学生组"],
        ),
        case(
            "性别错误.xlsx",
            |f| staff0(f, "性别", t("未知")),
            false,
            &["{F}:9: error: 性别: “未知”应为 男 或 女"],
        ),
    ];
    // A third student with an override passes the quota but not the department limit.
    cases.push(Case {
        overrides: vec![QuotaOverride {
            id_number: third_student.clone(),
            reason: "东道主学校".into(),
        }],
        ..case(
            "同院系学生超限.xlsx",
            move |f| {
                f.students.push(cells(&[
                    ("姓名", t("林七")),
                    ("性别", t("男")),
                    ("身份证号", t(&third_student)),
                    ("院系", t("商学院")),
                    ("学生证已核验", t("是")),
                    ("身份证已核验", t("是")),
                ]));
                f.students[1].insert("院系", t("商学院"));
                f.unit.insert("总人数", V::N(7.0));
                f.unit.insert("男性人数", V::N(4.0));
                f.unit.insert("单间数量", V::N(3.0));
            },
            false,
            &[
                "{F}:15: warning: 单位: “江苏某职业学院”在电子商务运营（学生组）的第 3 名选手超出每单位 2 名的名额，按特批理由“东道主学校”接受",
                "{F}:15: error: 院系: 同一单位同一院系在电子商务运营最多 2 名学生，这是第 3 名",
            ],
        )
    });
    cases
}

#[test]
fn every_defect_of_section_2_gets_exactly_its_message() -> TestResult {
    let mut failures = Vec::new();
    for case in corpus() {
        let f = Fixture::new()?;
        let mut form = valid_form();
        (case.spoil)(&mut form);
        let path = f.form(case.file, &[form])?;
        let before = f.snapshot()?;
        let options = ImportOptions {
            dry_run: false,
            quota_overrides: case.overrides.clone(),
        };
        let (imported, problems) = outcome(f.import(&[path], &options));
        let prefix = format!("{}:{SHEET}", case.file);
        let expected: Vec<String> = case
            .expected
            .iter()
            .map(|e| e.replace("{F}", &prefix))
            .collect();
        if imported != case.imports || problems != expected {
            failures.push(format!(
                "{}: imported {imported} (expected {}), problems {problems:#?}, expected {expected:#?}",
                case.file, case.imports
            ));
        }
        let after = f.snapshot()?;
        if !imported && after != before {
            failures.push(format!("{}: a refusal changed the database", case.file));
        }
        if imported && people::contestants(&f.conn)?.len() != 4 {
            failures.push(format!("{}: expected 4 contestants stored", case.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

#[test]
fn filled_template_imports_people_and_unit_rows() -> TestResult {
    let f = Fixture::new()?;
    let path = f.form("回执.xlsx", &[valid_form()])?;
    let report = f.import(std::slice::from_ref(&path), &ImportOptions::default())?;
    assert_eq!((report.added, report.updated), (4, 0));
    assert_eq!(report.problems, Vec::new());
    let stored = people::contestants(&f.conn)?;
    let summary: Vec<(String, String, Option<String>, Option<String>)> = stored
        .iter()
        .map(|c| {
            (
                c.record.name.clone(),
                c.record.unit.clone(),
                c.record.coach.clone(),
                c.record.basis.map(|b| b.code().to_string()),
            )
        })
        .collect();
    let unit = "江苏某职业学院".to_string();
    assert_eq!(
        summary,
        vec![
            ("张三".into(), unit.clone(), None, Some("c".into())),
            ("李四".into(), unit.clone(), None, Some("a".into())),
            ("王五".into(), unit.clone(), Some("赵老师".into()), None),
            ("陈六".into(), unit.clone(), Some("赵老师".into()), None),
        ]
    );
    assert_eq!(stored[0].record.height_weight.as_deref(), Some("175/70"));
    assert_eq!(stored[0].record.city_rank, Some(1));
    assert_eq!(
        stored[1]
            .record
            .title
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("中级（经济师）")
    );
    assert_eq!(stored[2].record.student_card_checked, Some(true));
    let forms = units::unit_forms(&f.conn)?;
    assert_eq!(forms.len(), 1);
    let form = &forms[0].form;
    assert_eq!(
        (
            form.event.as_str(),
            form.leader.as_deref(),
            form.contact_phone.as_deref()
        ),
        ("DS", Some("钱领队"), Some("13812345678"))
    );
    assert_eq!(
        (form.total_people, form.standard_rooms, form.single_rooms),
        (Some(6), Some(2), Some(2))
    );
    assert_eq!(
        form.check_out.map(|d| d.to_string()).as_deref(),
        Some("2023-10-16")
    );
    assert_eq!(form.travel.as_deref(), Some("G7001 10:05 到连云港站"));
    // The same file again changes nothing.
    let again = f.import(&[path], &ImportOptions::default())?;
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 4));
    Ok(())
}

#[test]
fn same_unit_and_event_on_two_sheets_is_refused() -> TestResult {
    let f = Fixture::new()?;
    let mut second = valid_form();
    second.sheet = "电子商务运营（补）".into();
    second.staff.clear();
    second.students.clear();
    let path = f.form("两页.xlsx", &[valid_form(), second])?;
    let before = f.snapshot()?;
    let (imported, problems) = outcome(f.import(&[path], &ImportOptions::default()));
    assert!(!imported);
    assert_eq!(
        problems,
        vec![
            "两页.xlsx:电子商务运营（补）:3: error: 单位: 同一单位同一赛项的回执重复，首次出现在 两页.xlsx:电子商务运营:3"
        ]
    );
    assert_eq!(f.snapshot()?, before);
    Ok(())
}

#[test]
fn more_than_six_from_one_city_is_a_warning() -> TestResult {
    let f = Fixture::new()?;
    let mut paths = Vec::new();
    for unit in 0..4u32 {
        let mut form = valid_form();
        form.unit.insert("单位", t(&format!("南京第{unit}公司")));
        form.students.clear();
        form.unit.insert("总人数", V::N(4.0));
        form.unit.insert("男性人数", V::N(2.0));
        form.unit.insert("女性人数", V::N(2.0));
        for (index, person) in form.staff.iter_mut().enumerate() {
            let sequence = 100 + unit * 10 + index as u32 * 2 + u32::from(index == 0);
            person.insert("身份证号", t(&id("19900101", sequence)));
            person.insert("设区市", t("南京市"));
        }
        paths.push(f.form(&format!("南京{unit}.xlsx"), &[form])?);
    }
    let report = f.import(&paths, &ImportOptions::default())?;
    assert_eq!(report.added, 8);
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        vec![
            "南京3.xlsx:电子商务运营:9: warning: 设区市: 南京在电子商务运营已有 6 人，每市每赛项只有前 6 名进入决赛，这是第 7 名",
            "南京3.xlsx:电子商务运营:10: warning: 设区市: 南京在电子商务运营已有 6 人，每市每赛项只有前 6 名进入决赛，这是第 8 名",
        ]
    );
    Ok(())
}

/// The notice's own layout: an 附件一 line, merged title rows, a tall merged 参赛选手信息 column,
/// `单位\n（盖章）`, 职工组/学生组 as the first header cell and 选手1.. as row labels, dates
/// written into the 入住日期：( ) label, travel after the colon; extra rule columns appended.
#[test]
fn the_notices_own_layout_is_read() -> TestResult {
    let f = Fixture::new()?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1")?;
    let plain = Format::new();
    sheet.write_string(0, 0, "附件一")?;
    sheet.merge_range(1, 0, 1, 10, "“江苏工匠”岗位练兵职业技能竞赛活动", &plain)?;
    sheet.merge_range(
        2,
        0,
        2,
        10,
        "2023年江苏省“跨境电子商务运营”职业技能竞赛参赛回执信息汇总表",
        &plain,
    )?;
    sheet.write_string(3, 0, "单位\n（盖章）")?;
    sheet.merge_range(3, 1, 3, 10, "苏州某技师学院", &plain)?;
    for (row, who, name, post, phone) in [
        (4, "领队", "周领队", "副院长", "139-1234-0000"),
        (5, "联系人", "吴联系", "干事", "+86 13812340000"),
    ] {
        sheet.write_string(row, 0, who)?;
        sheet.write_string(row, 1, name)?;
        sheet.write_string(row, 2, "职务")?;
        sheet.write_string(row, 3, post)?;
        sheet.write_string(row, 4, "手机")?;
        sheet.merge_range(row, 5, row, 10, phone, &plain)?;
    }
    sheet.write_string(6, 0, "总人数")?;
    sheet.write_number(6, 1, 5)?;
    sheet.write_string(6, 2, "男性人数")?;
    sheet.write_number(6, 3, 3)?;
    sheet.write_string(6, 4, "女性人数")?;
    sheet.merge_range(6, 5, 6, 10, "2", &plain)?;
    sheet.merge_range(7, 0, 14, 0, "参赛选手信息", &plain)?;
    let staff_headers = [
        "职工组",
        "姓名",
        "性别",
        "身份证号",
        "联系电话",
        "身高\n/体重",
        "备注",
        "参赛资格",
    ];
    for (col, header) in staff_headers.iter().enumerate() {
        sheet.write_string(7, col as u16 + 1, *header)?;
    }
    let staff = [
        [
            "选手1",
            "周八",
            "男",
            "320102900101123",
            "13800000001",
            "170/65",
            "",
            "d",
        ],
        [
            "选手2",
            "吴九",
            "女",
            &id("19880808", 124),
            "13800000002",
            "",
            "2022年市赛第2名",
            "d",
        ],
        ["选手3", "", "", "", "", "", "", ""],
    ];
    for (i, values) in staff.iter().enumerate() {
        for (col, value) in values.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(8 + i as u32, col as u16 + 1, *value)?;
            }
        }
    }
    let student_headers = [
        "学生组",
        "姓名",
        "性别",
        "身份证号",
        "联系电话",
        "身高\n/体重",
        "指导老师",
        "院系",
        "学生证已核验",
        "身份证已核验",
    ];
    for (col, header) in student_headers.iter().enumerate() {
        sheet.write_string(11, col as u16 + 1, *header)?;
    }
    let student = [
        "选手1",
        "郑十",
        "男",
        &id("20030909", 125),
        "",
        "",
        "冯老师",
        "电商系",
        "是",
        "是",
    ];
    for (col, value) in student.iter().enumerate() {
        if !value.is_empty() {
            sheet.write_string(12, col as u16 + 1, *value)?;
        }
    }
    sheet.write_string(13, 1, "选手2")?;
    sheet.write_string(14, 1, "选手3")?;
    sheet.merge_range(15, 0, 16, 0, "房间\n\n需求", &plain)?;
    sheet.write_string(15, 1, "标间数量")?;
    sheet.write_number(15, 2, 2)?;
    sheet.merge_range(15, 3, 15, 10, "入住日期： ( 10月14日 )", &plain)?;
    sheet.write_string(16, 1, "单间数量")?;
    sheet.write_number(16, 2, 1)?;
    sheet.merge_range(16, 3, 16, 10, "退房日期： ( 10月16日 )", &plain)?;
    sheet.merge_range(
        17,
        0,
        17,
        10,
        "航班、车次信息：K1234 次 10月14日 08:30 抵达宿迁站",
        &plain,
    )?;
    let path = f.dir.path("附件一.xlsx");
    book.save(&path)?;

    let report = f.import(&[path], &ImportOptions::default())?;
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        vec![format!(
            "附件一.xlsx:Sheet1:9: warning: 身份证号: 15 位旧身份证号，已升级为 18 位 {}",
            id("19900101", 123)
        )]
    );
    assert_eq!(report.added, 3);
    let stored = people::contestants(&f.conn)?;
    let names: Vec<(&str, &str, i64)> = stored
        .iter()
        .map(|c| {
            (
                c.record.name.as_str(),
                c.record.unit.as_str(),
                c.record.pool_id,
            )
        })
        .collect();
    let pool = |code: &str| -> Result<i64, Error> {
        let key = judgedesk::core::model::PoolKey::parse(code).ok_or("pool")?;
        Ok(judgedesk::store::competition::pool(&f.conn, &key)?
            .ok_or("pool")?
            .id)
    };
    assert_eq!(
        names,
        vec![
            ("周八", "苏州某技师学院", pool("KJ-ZG")?),
            ("吴九", "苏州某技师学院", pool("KJ-ZG")?),
            ("郑十", "苏州某技师学院", pool("KJ-XS")?),
        ]
    );
    assert_eq!(stored[1].record.remarks.as_deref(), Some("2022年市赛第2名"));
    let form = &units::unit_forms(&f.conn)?[0].form;
    assert_eq!(
        (
            form.leader.as_deref(),
            form.leader_post.as_deref(),
            form.leader_phone.as_deref(),
            form.contact_phone.as_deref()
        ),
        (
            Some("周领队"),
            Some("副院长"),
            Some("13912340000"),
            Some("13812340000")
        )
    );
    assert_eq!(
        (form.total_people, form.male_people, form.female_people),
        (Some(5), Some(3), Some(2))
    );
    assert_eq!((form.standard_rooms, form.single_rooms), (Some(2), Some(1)));
    assert_eq!(
        (
            form.check_in.map(|d| d.to_string()),
            form.check_out.map(|d| d.to_string())
        ),
        (Some("2023-10-14".into()), Some("2023-10-16".into()))
    );
    assert_eq!(
        form.travel.as_deref(),
        Some("K1234 次 10月14日 08:30 抵达宿迁站")
    );
    Ok(())
}

/// The form saved from Excel as CSV in GBK, once comma- and once tab-separated, with an ID
/// typed in full-width digits.
#[test]
fn form_saved_as_gbk_csv_or_tab_separated_text_is_read() -> TestResult {
    let full_width: String = id("19870707", 131)
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c)
        })
        .collect();
    let rows = [
        vec!["“江苏工匠”岗位练兵职业技能竞赛活动", "", "", ""],
        vec![
            "2023年江苏省“直播电商运营”职业技能竞赛参赛回执信息汇总表",
            "",
            "",
            "",
        ],
        vec!["单位（盖章）", "无锡某公司", "", "赛项", "直播电商运营"],
        vec!["领队", "冯领队", "职务", "经理", "手机", "13912345678"],
        vec!["总人数", "2", "男性人数", "2", "女性人数", "0"],
        vec![
            "组别",
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "联系电话",
            "参赛资格",
            "设区市",
        ],
        vec![
            "职工组",
            "选手1",
            "冯一",
            "男",
            full_width.as_str(),
            "13812345678",
            "d",
            "无锡市",
        ],
        vec!["职工组", "选手2", "", "", "", "", "", ""],
        vec!["房间需求", "标间数量", "1", "入住日期", "2023-10-14"],
        vec!["房间需求", "单间数量", "0", "退房日期", "2023-10-15"],
        vec!["航班、车次信息", "自驾"],
    ];
    for (name, separator) in [("回执.csv", ","), ("回执.txt", "\t")] {
        let f = Fixture::new()?;
        let text: String = rows.iter().map(|r| r.join(separator) + "\r\n").collect();
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable && std::str::from_utf8(&bytes).is_err());
        let path = f.dir.path(name);
        std::fs::write(&path, &bytes)?;
        let report = f.import(&[path], &ImportOptions::default())?;
        assert_eq!(
            (report.added, report.problems.clone()),
            (1, Vec::new()),
            "{name}"
        );
        let stored = &people::contestants(&f.conn)?[0].record;
        assert_eq!(
            (
                stored.name.as_str(),
                stored.unit.as_str(),
                stored.id_number.as_str()
            ),
            ("冯一", "无锡某公司", id("19870707", 131).as_str()),
            "{name}"
        );
        let form = &units::unit_forms(&f.conn)?[0].form;
        assert_eq!(
            (
                form.event.as_str(),
                form.leader_phone.as_deref(),
                form.travel.as_deref()
            ),
            ("ZB", Some("13912345678"), Some("自驾")),
            "{name}"
        );
    }
    Ok(())
}

fn xml_of(path: &Path, inner: &str) -> Result<String, Error> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut text = String::new();
    archive.by_name(inner)?.read_to_string(&mut text)?;
    Ok(text)
}

#[test]
fn template_command_writes_a_form_with_drop_downs_and_text_columns() -> TestResult {
    let f = Fixture::new()?;
    let out = f.dir.path("报名表模板.xlsx");
    let output = f.run(&[
        "template",
        "registration",
        "--out",
        out.to_str().ok_or("path")?,
    ])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tables = judgedesk::io::table::read_tables(&out).map_err(|p| p.to_string())?;
    let sheets: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    assert_eq!(
        sheets,
        vec![
            "电子商务运营",
            "跨境电子商务运营",
            "直播电商运营",
            "全媒体运营"
        ]
    );
    let sheet = xml_of(&out, "xl/worksheets/sheet1.xml")?;
    for list in [
        "\"职工组,学生组\"",
        "\"男,女\"",
        "\"a,b,c,d\"",
        "\"无,初级工,中级工,高级工,技师,高级技师\"",
        "\"是,否\"",
        "\"电子商务运营,跨境电子商务运营,直播电商运营,全媒体运营\"",
    ] {
        assert!(
            sheet.contains(&format!("<formula1>{list}</formula1>")),
            "no drop-down {list}"
        );
    }
    let styles = xml_of(&out, "xl/styles.xml")?;
    assert!(styles.contains("formatCode=\"@\""), "a text number format");
    // The blank template imports nothing and succeeds (only the import itself is audited).
    let report = f.import(&[out], &ImportOptions::default())?;
    assert_eq!((report.added, report.problems.len()), (0, 0));
    assert!(people::contestants(&f.conn)?.is_empty() && units::unit_forms(&f.conn)?.is_empty());

    // Without a database file the template comes from the built-in competition; none is created.
    let nowhere = f.dir.path("none.sqlite");
    let out2 = f.dir.path("模板2.xlsx");
    let output = support::bin()
        .arg("--db")
        .arg(&nowhere)
        .args(["template", "registration", "--out"])
        .arg(&out2)
        .output()?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out2.exists() && !nowhere.exists());
    Ok(())
}

#[test]
fn logistics_come_from_the_forms_and_export_as_xlsx() -> TestResult {
    let f = Fixture::new()?;
    let mut second = valid_form();
    second.unit.insert("单位", t("南通某公司"));
    second.unit.insert("入住日期", t("2023-10-15"));
    second.unit.insert("总人数", V::N(3.0));
    second.unit.insert("男性人数", V::N(1.0));
    second.unit.insert("女性人数", V::N(1.0));
    second.unit.insert("航班车次", t("MU2881 南通兴东机场"));
    second.students.clear();
    for (index, person) in second.staff.iter_mut().enumerate() {
        let sequence = 141 + index as u32;
        person.insert("身份证号", t(&id("19850505", sequence)));
    }
    let paths = vec![
        f.form("甲.xlsx", &[valid_form()])?,
        f.form("乙.xlsx", &[second])?,
    ];
    let report = f.import(&paths, &ImportOptions::default())?;
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        vec!["乙.xlsx:电子商务运营:6: warning: 总人数: 男性人数 1 + 女性人数 1 与总人数 3 不符"]
    );

    let plan = judgedesk::ops::logistics::logistics(&f.conn)?;
    let nights: Vec<(String, String, u32, u32, u32, u32, u32)> = plan
        .nights
        .iter()
        .map(|n| {
            (
                n.venue.clone(),
                n.date.to_string(),
                n.standard_rooms,
                n.single_rooms,
                n.male,
                n.female,
                n.guests,
            )
        })
        .collect();
    let venue = "连云港职业技术学院".to_string();
    assert_eq!(
        nights,
        vec![
            (venue.clone(), "2023-10-14".into(), 2, 2, 3, 3, 6),
            (venue.clone(), "2023-10-15".into(), 4, 4, 4, 4, 9),
        ]
    );
    let arrivals: Vec<(String, &str, Option<&str>)> = plan
        .arrivals
        .iter()
        .map(|a| (a.date.to_string(), a.unit.as_str(), a.travel.as_deref()))
        .collect();
    assert_eq!(
        arrivals,
        vec![
            (
                "2023-10-14".into(),
                "江苏某职业学院",
                Some("G7001 10:05 到连云港站")
            ),
            (
                "2023-10-15".into(),
                "南通某公司",
                Some("MU2881 南通兴东机场")
            ),
        ]
    );
    let notes: Vec<(&str, Vec<String>)> = plan
        .head_counts
        .iter()
        .map(|h| (h.unit.as_str(), h.notes.clone()))
        .collect();
    assert_eq!(
        notes,
        vec![
            (
                "南通某公司",
                vec!["男性人数 1 + 女性人数 1 与总人数 3 不符".to_string()]
            ),
            ("江苏某职业学院", vec![]),
        ]
    );

    let out = f.dir.path("住宿.xlsx");
    let output = f.run(&["logistics", "--out", out.to_str().ok_or("path")?])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        vec!["warning: 南通某公司（电子商务运营）: 男性人数 1 + 女性人数 1 与总人数 3 不符"]
    );
    let tables = judgedesk::io::table::read_tables(&out).map_err(|p| p.to_string())?;
    let sheets: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    assert_eq!(sheets, vec!["住宿", "抵达", "人数核对"]);
    // The same as a PDF through the shared table printer.
    let pdf = f.dir.path("住宿.pdf");
    let output = f.run(&["logistics", "--out", pdf.to_str().ok_or("path")?])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(std::fs::read(&pdf)?.starts_with(b"%PDF-"));
    let rooms: Vec<Vec<String>> = tables[0]
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text()).collect::<Vec<_>>())
        .filter(|r| r.first() == Some(&venue))
        .collect();
    assert_eq!(
        rooms[1],
        vec![
            venue.clone(),
            "2023-10-15".into(),
            "4".into(),
            "4".into(),
            "4".into(),
            "4".into(),
            "9".into(),
            "2".into()
        ]
    );
    Ok(())
}

#[test]
fn roster_export_masks_id_numbers_unless_asked_and_audits_full_numbers() -> TestResult {
    let f = Fixture::new()?;
    f.import(
        &[f.form("回执.xlsx", &[valid_form()])?],
        &ImportOptions::default(),
    )?;
    let zhang = id("19900101", 123);
    let masked = format!("3201**********{}", &zhang[14..]);

    let out = f.dir.path("名单.xlsx");
    let path = out.to_str().ok_or("path")?;
    let output = f.run(&["export", "roster", "--pool", "DS-ZG", "--out", path])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tables = judgedesk::io::table::read_tables(&out).map_err(|p| p.to_string())?;
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].sheet.as_deref(), Some("电子商务运营（职工组）"));
    let rows: Vec<Vec<String>> = tables[0]
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("序号"))
        .ok_or("header")?;
    assert_eq!(
        rows[header][..5],
        ["序号", "单位", "姓名", "性别", "身份证号"]
    );
    assert_eq!(
        rows[header + 1][..5],
        ["1", "江苏某职业学院", "张三", "男", masked.as_str()]
    );
    let audits = |f: &Fixture| -> Result<i64, Error> {
        Ok(f.conn.query_row(
            "SELECT count(*) FROM audit WHERE action LIKE '%完整身份证号%'",
            [],
            |r| r.get(0),
        )?)
    };
    assert_eq!(audits(&f)?, 0);

    let output = f.run(&["export", "roster", "--out", path, "--full-id"])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tables = judgedesk::io::table::read_tables(&out).map_err(|p| p.to_string())?;
    let sheets: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    assert_eq!(
        sheets,
        vec!["电子商务运营（职工组）", "电子商务运营（学生组）"]
    );
    let all_text: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.text())))
        .collect();
    assert!(all_text.contains(&zhang));
    assert_eq!(audits(&f)?, 1);
    let (subject, value): (String, String) = f.conn.query_row(
        "SELECT subject, new_value FROM audit WHERE action LIKE '%完整身份证号%'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!((subject.as_str(), value.as_str()), ("DS-ZG、DS-XS", "4 人"));

    let output = f.run(&["export", "roster", "--pool", "QM-ZG", "--out", path])?;
    assert_eq!(
        output.status.code(),
        Some(0),
        "an empty pool is an empty list"
    );
    let output = f.run(&["export", "roster", "--pool", "XX-ZG", "--out", path])?;
    assert_eq!(output.status.code(), Some(1));
    Ok(())
}
