//! Registration benchmark: 100 official forms (the app's own template, 5 staff and 5 student
//! rows each: 1000 contestants) read, checked and imported into a fresh database file in one
//! transaction. The target is at most 2 s.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use judgedesk::core::date::Date;
use judgedesk::core::idcard::check_digit;
use judgedesk::core::model::Group;
use judgedesk::io::form::{FormLayout, FormSpec, add_form_sheet};
use judgedesk::ops::Actor;
use judgedesk::ops::registration::{ImportOptions, QuotaOverride, import_registration};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const FORMS: usize = 100;
const PER_GROUP: u32 = 5;

fn id_number(born: Date, sequence: u32) -> String {
    let first17 = format!(
        "320102{:04}{:02}{:02}{sequence:03}",
        born.year, born.month, born.day
    );
    let check = check_digit(&first17).unwrap_or_else(|| panic!("check digit of {first17}"));
    format!("{first17}{check}")
}

/// Writes the forms; returns their paths and the ID numbers admitted over the quota.
fn write_forms(dir: &Path) -> (Vec<PathBuf>, Vec<QuotaOverride>) {
    let builtin = judgedesk::builtin::load().unwrap_or_else(|e| panic!("builtin: {e}"));
    let spec = FormSpec {
        heading: builtin.name.clone(),
        year: builtin.year,
        events: builtin.events.iter().map(|e| e.name.clone()).collect(),
        registration_end: builtin.registration_end,
    };
    let layout = FormLayout {
        rows_per_group: PER_GROUP,
    };
    let mut paths = Vec::new();
    let mut overrides = Vec::new();
    let mut person = 0i64;
    for form in 0..FORMS {
        let event = &spec.events[form % spec.events.len()];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = add_form_sheet(&mut book, &spec, event, layout)
            .unwrap_or_else(|e| panic!("template: {e}"));
        let mut put = |cell: Option<(u32, u16)>, text: &str| {
            let (row, col) = cell.unwrap_or_else(|| panic!("no cell for {text}"));
            sheet
                .write_string(row, col, text)
                .unwrap_or_else(|e| panic!("write: {e}"));
        };
        for (field, value) in [
            ("单位", format!("江苏第{form:03}职业技术学院")),
            ("领队", "钱领队".to_string()),
            ("领队手机", "13912345678".to_string()),
            ("总人数", "12".to_string()),
            ("男性人数", "6".to_string()),
            ("女性人数", "6".to_string()),
            ("标间数量", "6".to_string()),
            ("入住日期", "2023-10-14".to_string()),
            ("退房日期", "2023-10-16".to_string()),
            ("航班车次", "G7001".to_string()),
            ("填报日期", "2023-09-10".to_string()),
        ] {
            put(layout.cell(field), &value);
        }
        for group in [Group::Staff, Group::Student] {
            for index in 0..PER_GROUP {
                let born = match group {
                    Group::Staff => Date::from_days_since_epoch(3650 + person),
                    Group::Student => Date::from_days_since_epoch(12_000 + person),
                };
                let male = index % 2 == 0;
                let id = id_number(born, if male { 101 } else { 102 });
                person += 1;
                if index >= 2 {
                    overrides.push(QuotaOverride {
                        id_number: id.clone(),
                        reason: "基准测试".to_string(),
                    });
                }
                let mut cells = vec![
                    ("姓名", format!("选手{person}")),
                    ("性别", if male { "男" } else { "女" }.to_string()),
                    ("身份证号", id),
                    ("联系电话", "13812345678".to_string()),
                ];
                match group {
                    Group::Staff => cells.push(("参赛资格", "c".to_string())),
                    Group::Student => cells.extend([
                        ("院系", format!("第{index}系")),
                        ("指导老师", "赵老师".to_string()),
                        ("学生证已核验", "是".to_string()),
                        ("身份证已核验", "是".to_string()),
                    ]),
                }
                for (column, value) in cells {
                    put(layout.person(group, index, column), &value);
                }
            }
        }
        let path = dir.join(format!("回执{form:03}.xlsx"));
        book.save(&path).unwrap_or_else(|e| panic!("save: {e}"));
        paths.push(path);
    }
    (paths, overrides)
}

fn registration(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!(
        "judgedesk-bench-registration-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let (paths, quota_overrides) = write_forms(&dir);
    let options = ImportOptions {
        dry_run: false,
        quota_overrides,
    };
    let actor = Actor::command_line();
    let mut run = 0;
    let mut group = c.benchmark_group("registration");
    group.sample_size(10);
    group.bench_function("import_100_forms_1000_contestants", |b| {
        b.iter_batched(
            || {
                run += 1;
                let path = dir.join(format!("run{run}.sqlite"));
                let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
                judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
                conn
            },
            |conn| {
                let report = import_registration(&conn, &paths, &actor, &options)
                    .unwrap_or_else(|e| panic!("import: {e:?}"));
                assert_eq!(report.added, FORMS * 2 * PER_GROUP as usize);
                black_box(report.problems.len())
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, registration);
criterion_main!(benches);
