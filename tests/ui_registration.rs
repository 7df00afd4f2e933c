//! The coordinator's registration screen in the window, headless (egui_kittest), on real
//! database files and forms written on the app's own template: a form dropped on the window
//! is previewed (nothing written) and then imported; a corrected form updates and shows what
//! changed; an error names its file, row and field and blocks the import; an over-quota
//! contestant needs a reason, which is logged; logistics on screen and as xlsx; the venue
//! roster masked by default.

mod support;

use egui_kittest::kittest::{NodeT, Queryable};
use judgedesk::ui::app::Screen;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use support::forms::{Cells, Form, V, cells, id, save_forms, t};
use support::{Dir, Window};

const SHEET: &str = "电子商务运营";
const UNIT: &str = "江苏某职业学院";

fn staff(name: &str, gender: &str, id_number: &str, phone: &str) -> Cells {
    cells(&[
        ("姓名", t(name)),
        ("性别", t(gender)),
        ("身份证号", t(id_number)),
        ("联系电话", t(phone)),
        ("参赛资格", t("c")),
    ])
}

/// A complete, valid form: 2 staff, 1 student, leader and contact; 5 people, 3 men, 2 women,
/// 1 standard and 3 single rooms.
fn valid_form() -> Form {
    Form {
        event: SHEET.into(),
        sheet: SHEET.into(),
        unit: cells(&[
            ("单位", t(UNIT)),
            ("领队", t("钱领队")),
            ("领队职务", t("处长")),
            ("领队手机", t("13912345678")),
            ("联系人", t("孙联系")),
            ("联系人职务", t("科员")),
            ("联系人手机", t("13812345678")),
            ("总人数", V::N(5.0)),
            ("男性人数", V::N(3.0)),
            ("女性人数", V::N(2.0)),
            ("标间数量", V::N(1.0)),
            ("单间数量", V::N(3.0)),
            ("入住日期", t("2023-10-14")),
            ("退房日期", t("2023-10-16")),
            ("航班车次", t("G7001 10:05 到连云港站")),
            ("填报日期", t("2023-09-10")),
        ]),
        staff: vec![
            staff("张三", "男", &id("19900101", 123), "13812345671"),
            staff("李四", "女", &id("19910202", 124), "13812345672"),
        ],
        students: vec![cells(&[
            ("姓名", t("王五")),
            ("性别", t("男")),
            ("身份证号", t(&id("20030303", 125))),
            ("联系电话", t("13912340001")),
            ("指导老师", t("赵老师")),
            ("院系", t("商学院")),
            ("学生证已核验", t("是")),
            ("身份证已核验", t("是")),
        ])],
    }
}

/// The window, then its folder: fields drop in this order, the window (and its database)
/// before the folder is removed.
struct Desk {
    h: Window,
    dir: Dir,
    db: PathBuf,
}

/// The competition before check-in in a file (registration is closed once a pool is drawn),
/// the window signed in as the coordinator on this screen.
fn desk(tag: &str) -> Desk {
    let dir = Dir::new(&format!("ui-reg-{tag}"));
    let db = support::registration_db(&dir);
    let mut h = support::window(&db, "赛务管理员");
    support::open_screen(&mut h, Screen::Registration);
    assert_eq!(h.state().screen(), Screen::Registration);
    Desk { h, dir, db }
}

impl Desk {
    fn conn(&self) -> Connection {
        support::open(&self.db)
    }

    fn count(&self, sql: &str) -> i64 {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn contestants(&self) -> i64 {
        self.count("SELECT count(*) FROM contestant")
    }

    fn form(&self, name: &str, form: &Form) -> PathBuf {
        let path = self.dir.path(name);
        save_forms(&path, std::slice::from_ref(form)).unwrap_or_else(|e| panic!("form: {e}"));
        path
    }

    fn drop_files(&mut self, files: &[PathBuf]) {
        support::drop_files(&mut self.h, files);
    }

    fn click(&mut self, label: &str) {
        support::click(&mut self.h, label);
    }

    fn texts(&self) -> Vec<String> {
        support::texts(&self.h)
    }

    fn shows(&self, text: &str) -> bool {
        self.texts().iter().any(|t| t.contains(text))
    }

    fn import_enabled(&self) -> bool {
        !self.h.get_by_label("导入").accesskit_node().is_disabled()
    }
}

#[test]
fn dropped_form_is_previewed_then_imported_and_a_corrected_form_updates() {
    let mut d = desk("drop");
    let before = d.contestants();
    let audits = d.count("SELECT count(*) FROM audit");
    let path = d.form("回执.xlsx", &valid_form());
    d.drop_files(std::slice::from_ref(&path));

    assert!(
        d.shows("新增 3 人 · 更新 0 人 · 不变 0 人"),
        "{:?}",
        d.texts()
    );
    assert!(d.shows("回执.xlsx"));
    assert_eq!(d.contestants(), before, "the preview writes nothing");
    assert_eq!(d.count("SELECT count(*) FROM audit"), audits);
    assert!(d.import_enabled(), "{:?}", d.texts());

    d.click("导入");
    assert_eq!(d.contestants(), before + 3);
    assert!(d.shows("已导入：新增 3 人，更新 0 人，不变 0 人"));
    let names: i64 = d.count(
        "SELECT count(*) FROM contestant WHERE name IN ('张三', '李四', '王五') AND unit_id IN
         (SELECT id FROM unit WHERE name = '江苏某职业学院')",
    );
    assert_eq!(names, 3);
    assert!(!d.import_enabled(), "a second import needs a new preview");

    // The unit adds a height and weight and sends the form again: matched by ID number, updated.
    let mut corrected = valid_form();
    corrected.staff[1].insert("身高体重", t("160/50"));
    let path = d.form("回执.xlsx", &corrected);
    d.drop_files(&[path]);
    assert!(
        d.shows("新增 0 人 · 更新 1 人 · 不变 2 人"),
        "{:?}",
        d.texts()
    );
    assert!(d.shows("李四（江苏某职业学院）：身高体重 （空）→160/50"));
    d.click("导入");
    assert_eq!(d.contestants(), before + 3);
    assert!(d.shows("已导入：新增 0 人，更新 1 人，不变 2 人"));
    let height: String = d
        .conn()
        .query_row(
            "SELECT height_weight FROM contestant WHERE name = '李四'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("height: {e}"));
    assert_eq!(height, "160/50");
}

#[test]
fn an_error_names_file_row_and_field_and_blocks_the_import() {
    let mut d = desk("error");
    let before = d.contestants();
    let audits = d.count("SELECT count(*) FROM audit");
    let mut form = valid_form();
    let good = id("19900101", 123);
    let bad = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    form.staff[0].insert("身份证号", t(&bad));
    let path = d.form("有错.xlsx", &form);
    d.drop_files(&[path]);

    assert!(d.shows("有错.xlsx"));
    assert!(d.shows("错误"));
    assert!(d.shows("身份证号"));
    let texts = d.texts();
    assert!(
        texts.iter().any(|t| t.contains("校验位")),
        "the check-digit message is shown: {texts:?}"
    );
    assert!(!d.import_enabled());
    assert!(d.shows("有错误，修正报名表后重新预检"));
    // The row number of the person's line on the form is in the table.
    let conn = d.conn();
    let preview = judgedesk::ops::registration::preview_registration(
        &conn,
        &[d.dir.path("有错.xlsx")],
        &judgedesk::ops::registration::ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("preview: {e}"));
    let row = preview.errors[0].row.unwrap_or_else(|| panic!("no row"));
    d.h.get_by_label(&row.to_string());
    assert_eq!(d.contestants(), before);
    assert_eq!(d.count("SELECT count(*) FROM audit"), audits);
}

#[test]
fn an_over_quota_contestant_needs_a_reason_which_is_logged() {
    let mut d = desk("quota");
    let mut form = valid_form();
    form.staff
        .push(staff("丙七", "男", &id("19920303", 131), "13812345673"));
    form.unit.insert("总人数", V::N(6.0));
    form.unit.insert("男性人数", V::N(4.0));
    let path = d.form("三人.xlsx", &form);
    d.drop_files(&[path]);
    let before = d.contestants();

    assert!(d.shows("超出名额，须特批"), "{:?}", d.texts());
    assert!(d.shows("第 3 名超出名额"));
    assert!(!d.import_enabled());
    // The ID number is masked on the screen.
    let full = id("19920303", 131);
    assert!(!d.texts().iter().any(|t| t.contains(&full)));
    assert!(d.shows(&format!("3201**********{}", &full[14..])));

    let field = d.h.query_by(|n| {
        n.role() == egui::accesskit::Role::TextInput && n.label().as_deref() == Some("丙七")
    });
    let field = field.unwrap_or_else(|| panic!("no reason field: {:?}", d.texts()));
    field.click();
    d.h.run();
    d.h.event(egui::Event::Text("东道主单位".into()));
    d.h.run();
    assert!(d.import_enabled(), "{:?}", d.texts());

    d.click("导入");
    assert_eq!(d.contestants(), before + 4);
    let (reason, subject): (String, String) = d
        .conn()
        .query_row(
            "SELECT reason, subject FROM audit WHERE action = '超出名额特批'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_else(|e| panic!("audit: {e}"));
    assert_eq!(
        (reason.as_str(), subject.as_str()),
        ("东道主单位", "丙七（江苏某职业学院）")
    );
}

#[test]
fn logistics_are_shown_and_exported_as_xlsx() {
    let mut d = desk("logistics");
    let path = d.form("回执.xlsx", &valid_form());
    d.drop_files(&[path]);
    d.click("导入");

    d.click("住宿与接站");
    assert!(
        d.shows("住宿需求（按决赛地点和入住当晚）"),
        "{:?}",
        d.texts()
    );
    assert!(d.shows("抵达安排（按入住日期）"));
    assert!(d.shows("G7001 10:05 到连云港站"));
    assert!(d.shows("2023-10-14"));

    d.click("导出 Excel");
    let out = d.dir.path("报名导出").join("住宿与接站.xlsx");
    assert!(out.is_file(), "{} was written", out.display());
    let tables = judgedesk::io::table::read_tables(&out).unwrap_or_else(|p| panic!("{p}"));
    assert!(tables.iter().any(|t| t.sheet.as_deref() == Some("住宿")));
    assert!(d.shows(&format!("已保存到 {}", out.display())));
    d.h.get_by_label("打开");
}

#[test]
fn roster_export_masks_id_numbers_unless_asked() {
    let mut d = desk("roster");
    let path = d.form("回执.xlsx", &valid_form());
    d.drop_files(&[path]);
    d.click("导入");
    let zhang = id("19900101", 123);

    d.click("名单导出");
    d.click("导出名单 Excel");
    let out = d.dir.path("报名导出").join("选手名单-全部.xlsx");
    assert!(out.is_file(), "{} was written", out.display());
    let cells = |path: &Path| -> Vec<String> {
        judgedesk::io::table::read_tables(path)
            .unwrap_or_else(|p| panic!("{p}"))
            .iter()
            .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.text())))
            .collect()
    };
    let text = cells(&out);
    assert!(text.contains(&format!("3201**********{}", &zhang[14..])));
    assert!(!text.contains(&zhang));
    let full_logged = "SELECT count(*) FROM audit WHERE action LIKE '%完整身份证号%'";
    assert_eq!(d.count(full_logged), 0);

    d.click("显示完整身份证号（将记入日志）");
    d.click("导出名单 Excel");
    let out = d
        .dir
        .path("报名导出")
        .join("选手名单-全部-完整身份证号.xlsx");
    assert!(cells(&out).contains(&zhang));
    assert_eq!(d.count(full_logged), 1);
}

#[test]
fn the_template_button_writes_the_blank_form_beside_the_database() {
    let mut d = desk("template");
    d.click("下载报名表模板…");
    let out = d.dir.path("报名导出").join("报名表模板.xlsx");
    assert!(out.is_file(), "{} was written", out.display());
    let tables = judgedesk::io::table::read_tables(&out).unwrap_or_else(|p| panic!("{p}"));
    assert!(tables.iter().any(|t| t.sheet.as_deref() == Some(SHEET)));
}

#[test]
fn a_form_dropped_on_a_screen_that_reads_no_files_goes_to_the_registration_screen() {
    let mut d = desk("elsewhere");
    support::open_screen(&mut d.h, Screen::Safety);
    let path = d.form("回执.xlsx", &valid_form());
    d.drop_files(std::slice::from_ref(&path));
    assert_eq!(d.h.state().screen(), Screen::Registration);
    assert!(
        d.shows("新增 3 人 · 更新 0 人 · 不变 0 人"),
        "{:?}",
        d.texts()
    );
}
