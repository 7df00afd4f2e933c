//! The flat registration roster and its unit rows (interchange.md "Roster"): headers checked, cells typed into `ContestantRecord`s and `UnitForm`s, every problem named by file, sheet, row and field.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 567).

use super::table::{Cell, Row, Table, header_key};
use crate::core::date::Date;
use crate::core::idcard::{self, IdProblem};
use crate::core::model::{Basis, Gender, Group, PoolKey, SkillLevel, Title};
use crate::core::phone;
use crate::core::problem::Problem;
use crate::core::registration::{Place, Registrant, UnitForm};
use crate::store::people::ContestantRecord;
use std::collections::HashMap;

/// The roster's columns, in the documented order (any order is accepted).
pub const ROSTER_COLUMNS: [&str; 20] = [
    "单位",
    "赛项",
    "组别",
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "身高体重",
    "备注",
    "指导老师",
    "院系",
    "设区市",
    "市选拔名次",
    "参赛资格",
    "现有等级",
    "等级取得日期",
    "职称",
    "已获荣誉",
    "学生证已核验",
    "身份证已核验",
];
pub const ROSTER_REQUIRED: [&str; 6] = ["单位", "赛项", "组别", "姓名", "性别", "身份证号"];

/// The unit rows of the form, one per unit and event.
pub const UNIT_COLUMNS: [&str; 17] = [
    "单位",
    "赛项",
    "领队",
    "领队职务",
    "领队手机",
    "联系人",
    "联系人职务",
    "联系人手机",
    "总人数",
    "男性人数",
    "女性人数",
    "标间数量",
    "单间数量",
    "入住日期",
    "退房日期",
    "航班车次",
    "填报日期",
];
pub const UNIT_REQUIRED: [&str; 2] = ["单位", "赛项"];

/// A pool as files may name it: by the event's code or name and the group's code or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRef {
    pub key: PoolKey,
    pub event_name: String,
    pub pool_id: i64,
}

/// One contestant row, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub place: Place,
    pub pool: PoolRef,
    pub record: ContestantRecord,
}

impl RosterEntry {
    pub fn registrant(&self) -> Registrant {
        registrant(&self.record, &self.pool)
    }
}

/// What the roster files held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub contestants: Vec<RosterEntry>,
    pub unit_forms: Vec<(Place, UnitForm)>,
    /// On the official form the unit fields sit on different rows: `(form's place, field,
    /// row)`, so that a problem about a field names its row.
    pub form_rows: Vec<(Place, &'static str, usize)>,
}

/// The facts the registration rules need about a contestant record in a pool.
pub fn registrant(record: &ContestantRecord, pool: &PoolRef) -> Registrant {
    Registrant {
        id_number: record.id_number.clone(),
        name: record.name.clone(),
        gender: record.gender,
        unit: record.unit.clone(),
        pool: pool.key.clone(),
        event_name: pool.event_name.clone(),
        coach: record.coach.clone(),
        department: record.department.clone(),
        city: record.city.clone(),
        city_rank: record.city_rank,
        basis: record.basis,
        level: record.level,
        level_date: record.level_date,
        title: record.title.clone(),
        honours: record.honours.clone(),
        student_card_checked: record.student_card_checked,
        id_card_checked: record.id_card_checked,
        quota_override: record.quota_override.clone(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Roster,
    Units,
}

/// A table is a roster if it has contestant columns, unit rows if it has form columns.
fn kind(table: &Table) -> Option<Kind> {
    let has = |names: &[&str]| {
        table
            .headers
            .iter()
            .any(|h| names.contains(&header_key(h).as_str()))
    };
    if has(&["姓名", "身份证号", "性别"]) {
        Some(Kind::Roster)
    } else if has(&[
        "领队",
        "联系人",
        "总人数",
        "男性人数",
        "女性人数",
        "标间数量",
        "单间数量",
        "填报日期",
    ]) {
        Some(Kind::Units)
    } else {
        None
    }
}

/// Reads the tables of one file. `today` bounds birth dates. Problems are appended; a file
/// with no table this module recognises is an error.
pub fn read_roster(
    tables: &[Table],
    pools: &[PoolRef],
    today: Date,
    problems: &mut Vec<Problem>,
) -> Roster {
    let mut roster = Roster::default();
    let mut recognised = false;
    for table in tables {
        match kind(table) {
            Some(Kind::Roster) => {
                recognised = true;
                roster
                    .contestants
                    .extend(read_contestants(table, pools, today, problems));
            }
            Some(Kind::Units) => {
                recognised = true;
                if let Some(columns) = Columns::new(table, &UNIT_COLUMNS, &UNIT_REQUIRED, problems)
                {
                    for row in &table.rows {
                        if let Some(form) = unit_row(&columns, row, pools, problems) {
                            roster.unit_forms.push(form);
                        }
                    }
                }
            }
            None if table.sheet.is_some() => problems.push(
                Problem::warning(&table.file, "既不是选手名册也不是单位信息表，已跳过")
                    .at_row(table.sheet.as_deref(), table.header_row),
            ),
            None => {}
        }
    }
    if !recognised {
        let file = tables.first().map_or("", |t| t.file.as_str());
        problems.push(Problem::error(
            file,
            "没有找到选手名册（须有“姓名”“身份证号”等列）或单位信息表（须有“领队”“总人数”等列）",
        ));
    }
    roster
}

/// True when a table is a flat roster or a table of unit rows (its first row holds their headers).
pub fn is_flat(table: &Table) -> bool {
    kind(table).is_some()
}

/// The contestant rows of a table with roster headers (`单位`, `赛项`, `组别`, `姓名`, ...).
pub(crate) fn read_contestants(
    table: &Table,
    pools: &[PoolRef],
    today: Date,
    problems: &mut Vec<Problem>,
) -> Vec<RosterEntry> {
    let Some(columns) = Columns::new(table, &ROSTER_COLUMNS, &ROSTER_REQUIRED, problems) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| contestant_row(&columns, row, pools, today, problems))
        .collect()
}

/// Where each known column is in one table.
struct Columns<'a> {
    table: &'a Table,
    positions: HashMap<&'static str, usize>,
}

impl<'a> Columns<'a> {
    /// Unknown columns are one warning each; a missing required column is an error (and `None`).
    fn new(
        table: &'a Table,
        known: &[&'static str],
        required: &[&str],
        problems: &mut Vec<Problem>,
    ) -> Option<Columns<'a>> {
        let at_header = |p: Problem| p.at_row(table.sheet.as_deref(), table.header_row);
        for header in &table.headers {
            let key = header_key(header);
            if !key.is_empty() && !known.contains(&key.as_str()) {
                problems.push(at_header(Problem::warning(
                    &table.file,
                    format!("未知列“{}”，已忽略", header.trim()),
                )));
            }
        }
        let positions: HashMap<&'static str, usize> = known
            .iter()
            .filter_map(|name| table.column(name).map(|col| (*name, col)))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| !positions.contains_key(name))
            .collect();
        if !missing.is_empty() {
            problems.push(at_header(Problem::error(
                &table.file,
                format!("缺少必需的列：{}", missing.join("、")),
            )));
            return None;
        }
        Some(Columns { table, positions })
    }

    fn place(&self, row: &Row) -> Place {
        Place {
            file: self.table.file.clone(),
            sheet: self.table.sheet.clone(),
            row: row.number,
        }
    }

    fn cell<'r>(&self, row: &'r Row, name: &str) -> &'r Cell {
        self.positions
            .get(name)
            .map_or(&Cell::Empty, |col| self.table.cell(row, *col))
    }

    fn text(&self, row: &Row, name: &str) -> String {
        self.cell(row, name).text()
    }

    fn optional(&self, row: &Row, name: &str) -> Option<String> {
        Some(self.text(row, name)).filter(|t| !t.is_empty())
    }

    /// A required text; empty is an error.
    fn required(&self, row: &Row, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
        let text = self.optional(row, name);
        if text.is_none() {
            problems.push(self.place(row).error(name, "不能为空"));
        }
        text
    }

    /// An optional cell read by `parse`; a value it refuses is an error with its message.
    fn parsed<T>(
        &self,
        row: &Row,
        name: &str,
        problems: &mut Vec<Problem>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.optional(row, name)?;
        parse(&text)
            .map_err(|message| problems.push(self.place(row).error(name, message)))
            .ok()
    }
}

fn contestant_row(
    columns: &Columns<'_>,
    row: &Row,
    pools: &[PoolRef],
    today: Date,
    problems: &mut Vec<Problem>,
) -> Option<RosterEntry> {
    let place = columns.place(row);
    let unit = columns
        .required(row, "单位", problems)
        .map(|u| normalise_unit(&u));
    let pool = resolve_pool(columns, row, pools, problems);
    let name = columns
        .required(row, "姓名", problems)
        .map(|n| normalise_name(&n));
    let gender = columns.parsed(row, "性别", problems, |t| {
        Gender::parse(t).ok_or_else(|| format!("“{t}”应为 男 或 女"))
    });
    if columns.text(row, "性别").is_empty() {
        problems.push(place.error("性别", "不能为空"));
    }
    let id_cell = columns.cell(row, "身份证号");
    let id = idcard::check(
        &id_cell.text(),
        matches!(id_cell, Cell::Number(_)),
        gender,
        today,
    );
    for problem in &id.problems {
        let message = problem.to_string();
        problems.push(match problem {
            IdProblem::Upgraded(_) => place.warning("身份证号", message),
            _ => place.error("身份证号", message),
        });
    }
    let phone = columns.parsed(row, "联系电话", problems, |t| {
        phone::check(t).map_err(|e| e.to_string())
    });
    let city_rank = columns.parsed(row, "市选拔名次", problems, parse_rank);
    let basis = columns.parsed(row, "参赛资格", problems, |t| {
        Basis::parse(t.trim_end_matches([')', '）', '.', '、']))
            .ok_or_else(|| format!("“{t}”应为 a、b、c 或 d"))
    });
    let level = columns
        .parsed(row, "现有等级", problems, parse_level)
        .flatten();
    let level_date = columns.parsed(row, "等级取得日期", problems, parse_date);
    let title = columns
        .parsed(row, "职称", problems, |t| {
            Title::parse(t).map_err(|_| {
                format!("“{t}”应为 初级、中级、副高级 或 正高级（可在括号中写职称名称）")
            })
        })
        .flatten();
    let student_card_checked = columns.parsed(row, "学生证已核验", problems, parse_yes_no);
    let id_card_checked = columns.parsed(row, "身份证已核验", problems, parse_yes_no);
    let honours = columns.optional(row, "已获荣誉").filter(|h| h != "无");

    let (unit, pool, name, gender) = (unit?, pool?, name?, gender?);
    if id.number.is_empty() {
        return None;
    }
    let record = ContestantRecord {
        id_number: id.number,
        name,
        gender,
        phone,
        unit,
        pool_id: pool.pool_id,
        height_weight: columns.optional(row, "身高体重"),
        remarks: columns.optional(row, "备注"),
        coach: columns
            .optional(row, "指导老师")
            .map(|c| normalise_name(&c)),
        department: columns.optional(row, "院系"),
        city: columns.optional(row, "设区市"),
        city_rank,
        basis,
        level,
        level_date,
        title,
        honours,
        student_card_checked,
        id_card_checked,
        quota_override: None,
        source_file: Some(place.file.clone()),
    };
    Some(RosterEntry {
        place,
        pool,
        record,
    })
}

fn unit_row(
    columns: &Columns<'_>,
    row: &Row,
    pools: &[PoolRef],
    problems: &mut Vec<Problem>,
) -> Option<(Place, UnitForm)> {
    let unit = columns
        .required(row, "单位", problems)
        .map(|u| normalise_unit(&u));
    let event = columns.required(row, "赛项", problems).and_then(|text| {
        let found = find_event(pools, &text);
        if found.is_none() {
            problems.push(
                columns
                    .place(row)
                    .error("赛项", format!("没有赛项“{text}”")),
            );
        }
        found
    });
    let phone = |name: &str, problems: &mut Vec<Problem>| {
        columns.parsed(row, name, problems, |t| {
            phone::check(t).map_err(|e| e.to_string())
        })
    };
    let count =
        |name: &str, problems: &mut Vec<Problem>| columns.parsed(row, name, problems, parse_count);
    let date =
        |name: &str, problems: &mut Vec<Problem>| columns.parsed(row, name, problems, parse_date);
    let form = UnitForm {
        unit: unit.unwrap_or_default(),
        event: event.unwrap_or_default(),
        leader: columns.optional(row, "领队"),
        leader_post: columns.optional(row, "领队职务"),
        leader_phone: phone("领队手机", problems),
        contact: columns.optional(row, "联系人"),
        contact_post: columns.optional(row, "联系人职务"),
        contact_phone: phone("联系人手机", problems),
        total_people: count("总人数", problems),
        male_people: count("男性人数", problems),
        female_people: count("女性人数", problems),
        standard_rooms: count("标间数量", problems),
        single_rooms: count("单间数量", problems),
        check_in: date("入住日期", problems),
        check_out: date("退房日期", problems),
        travel: columns.optional(row, "航班车次"),
        form_date: date("填报日期", problems),
    };
    (!form.unit.is_empty() && !form.event.is_empty()).then(|| (columns.place(row), form))
}

/// The pool named by the row's 赛项 and 组别 columns.
fn resolve_pool(
    columns: &Columns<'_>,
    row: &Row,
    pools: &[PoolRef],
    problems: &mut Vec<Problem>,
) -> Option<PoolRef> {
    let event_text = columns.required(row, "赛项", problems);
    let group_text = columns.required(row, "组别", problems);
    let event = event_text.as_deref().and_then(|text| {
        let found = find_event(pools, text);
        if found.is_none() {
            problems.push(
                columns
                    .place(row)
                    .error("赛项", format!("没有赛项“{text}”")),
            );
        }
        found
    });
    let group = group_text.as_deref().and_then(|text| {
        let found = Group::parse(text).or_else(|| Group::parse(&format!("{}组", text.trim())));
        if found.is_none() {
            problems.push(
                columns
                    .place(row)
                    .error("组别", format!("“{text}”应为 职工组 或 学生组")),
            );
        }
        found
    });
    let (event, group) = (event?, group?);
    pools
        .iter()
        .find(|p| p.key.event == event && p.key.group == group)
        .cloned()
}

/// The code of the event named by code or name (quotes and spaces ignored).
pub(crate) fn find_event(pools: &[PoolRef], text: &str) -> Option<String> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"'))
        .collect();
    pools
        .iter()
        .find(|p| p.key.event.eq_ignore_ascii_case(&text) || p.event_name == text)
        .map(|p| p.key.event.clone())
}

/// Unit names compare as written, without spaces and with Chinese brackets.
pub(crate) fn normalise_unit(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect()
}

/// Han names are often spaced out to align (`王  伟`); names with Latin letters keep single spaces.
pub(crate) fn normalise_name(text: &str) -> String {
    if text.chars().any(|c| c.is_ascii_alphabetic()) {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("“{text}”不是有效日期（应写作 YYYY-MM-DD）"))
}

pub(crate) fn parse_count(text: &str) -> Result<u32, String> {
    text.parse()
        .map_err(|_| format!("“{text}”应为不小于 0 的整数"))
}

fn parse_rank(text: &str) -> Result<u32, String> {
    let digits = text.trim_start_matches('第').trim_end_matches('名');
    digits
        .parse()
        .ok()
        .filter(|r| *r > 0)
        .ok_or_else(|| format!("“{text}”应为正整数"))
}

pub(crate) fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text {
        "是" => Ok(true),
        "否" => Ok(false),
        _ => Err(format!("“{text}”应填“是”或“否”")),
    }
}

/// A skill level by name or code, also as the numbered grade (`三级`, `三级/高级工`); `无` is none.
fn parse_level(text: &str) -> Result<Option<SkillLevel>, String> {
    if text == "无" {
        return Ok(None);
    }
    let by_grade = |part: &str| match part {
        "五级" => Some(SkillLevel::Junior),
        "四级" => Some(SkillLevel::Intermediate),
        "三级" => Some(SkillLevel::Senior),
        "二级" => Some(SkillLevel::Technician),
        "一级" => Some(SkillLevel::SeniorTechnician),
        _ => None,
    };
    text.split(['/', '／', '（', '）', '(', ')'])
        .map(str::trim)
        .find_map(|part| SkillLevel::parse(part).or_else(|| by_grade(part)))
        .map(Some)
        .ok_or_else(|| format!("“{text}”应为 初级工、中级工、高级工、技师 或 高级技师"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2023,
        month: 9,
        day: 1,
    };

    fn pools() -> Vec<PoolRef> {
        let mut pools = Vec::new();
        for (i, (code, name)) in [("DS", "电子商务运营"), ("KJ", "跨境电子商务运营")]
            .into_iter()
            .enumerate()
        {
            for (j, group) in [Group::Staff, Group::Student].into_iter().enumerate() {
                pools.push(PoolRef {
                    key: PoolKey::new(code, group),
                    event_name: name.into(),
                    pool_id: (i * 2 + j + 1) as i64,
                });
            }
        }
        pools
    }

    fn id(first17: &str) -> String {
        format!("{first17}{}", idcard::check_digit(first17).unwrap_or('?'))
    }

    fn table(csv: &str) -> Table {
        match super::super::table::read_csv_bytes("名册.csv", csv.as_bytes()) {
            Ok(table) => table,
            Err(problem) => panic!("fixture: {problem}"),
        }
    }

    fn read(csv: &str) -> (Roster, Vec<String>) {
        let mut problems = Vec::new();
        let roster = read_roster(&[table(csv)], &pools(), TODAY, &mut problems);
        (roster, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn staff_row_becomes_a_record() {
        let csv = format!(
            "单位,赛项,组别,姓名,性别,身份证号,联系电话,参赛资格,现有等级,等级取得日期,职称,已获荣誉\n\
             南京(某)公司,电子商务运营,ZG,王 伟,男,{},+86 138-1234-5678,a,三级/高级工,2020-05-01,中级（经济师）,无\n",
            id("32010219900101123")
        );
        let (roster, problems) = read(&csv);
        assert_eq!(problems, Vec::<String>::new());
        let entry = &roster.contestants[0];
        assert_eq!(entry.place.row, 2);
        assert_eq!(entry.pool.key, PoolKey::new("DS", Group::Staff));
        let r = &entry.record;
        assert_eq!(
            (r.unit.as_str(), r.name.as_str(), r.pool_id),
            ("南京（某）公司", "王伟", 1)
        );
        assert_eq!(r.phone.as_deref(), Some("13812345678"));
        assert_eq!(
            (r.basis, r.level),
            (Some(Basis::A), Some(SkillLevel::Senior))
        );
        assert_eq!(r.level_date, Date::new(2020, 5, 1));
        assert_eq!(
            r.title.as_ref().map(ToString::to_string).as_deref(),
            Some("中级（经济师）")
        );
        assert_eq!(r.honours, None);
        assert_eq!(r.source_file.as_deref(), Some("名册.csv"));
    }

    #[test]
    fn missing_required_column_is_an_error_and_unknown_column_a_warning() {
        let (roster, problems) = read("单位,赛项,姓名,性别,身份证号,籍贯\n甲,DS,张三,男,1,江苏\n");
        assert!(roster.contestants.is_empty());
        assert_eq!(
            problems,
            vec![
                "名册.csv:1: warning: 未知列“籍贯”，已忽略",
                "名册.csv:1: error: 缺少必需的列：组别"
            ]
        );
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_field() {
        let csv = "单位,赛项,组别,姓名,性别,身份证号,联系电话,参赛资格,学生证已核验\n\
                   ,XX,成人组,张三,人,3.20102E+17,12345,e,对\n";
        let (roster, problems) = read(csv);
        assert!(roster.contestants.is_empty());
        assert_eq!(
            problems,
            vec![
                "名册.csv:2: error: 单位: 不能为空".to_string(),
                "名册.csv:2: error: 赛项: 没有赛项“XX”".to_string(),
                "名册.csv:2: error: 组别: “成人组”应为 职工组 或 学生组".to_string(),
                "名册.csv:2: error: 性别: “人”应为 男 或 女".to_string(),
                format!("名册.csv:2: error: 身份证号: {}", IdProblem::StoredAsNumber),
                "名册.csv:2: error: 联系电话: “12345”不是有效的手机号码（应为 1 开头、第二位为 3–9 的 11 位数字）".to_string(),
                "名册.csv:2: error: 参赛资格: “e”应为 a、b、c 或 d".to_string(),
                "名册.csv:2: error: 学生证已核验: “对”应填“是”或“否”".to_string(),
            ]
        );
    }

    #[test]
    fn unit_rows_table_is_recognised_by_its_headers() {
        let mut problems = Vec::new();
        let units = table(
            "单位,赛项,领队,领队手机,总人数,男性人数,女性人数,入住日期,填报日期\n甲,跨境电子商务运营,李四,13912345678,3,2,1,2023-10-14,2023-09-01\n",
        );
        let roster = read_roster(&[units], &pools(), TODAY, &mut problems);
        assert_eq!(problems, Vec::new());
        let (place, form) = &roster.unit_forms[0];
        assert_eq!(place.row, 2);
        assert_eq!((form.unit.as_str(), form.event.as_str()), ("甲", "KJ"));
        assert_eq!(
            (form.total_people, form.male_people, form.female_people),
            (Some(3), Some(2), Some(1))
        );
        assert_eq!(form.check_in, Date::new(2023, 10, 14));
    }

    #[test]
    fn unrecognised_csv_is_an_error() {
        let (_, problems) = read("赛项,组别,编号\nDS,ZG,A1\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("没有找到选手名册"), "{problems:?}");
    }

    #[test]
    fn skill_levels_read_names_codes_and_grades() {
        assert_eq!(parse_level("技师"), Ok(Some(SkillLevel::Technician)));
        assert_eq!(
            parse_level("二级（技师）"),
            Ok(Some(SkillLevel::Technician))
        );
        assert_eq!(parse_level("四级"), Ok(Some(SkillLevel::Intermediate)));
        assert_eq!(parse_level("无"), Ok(None));
        assert!(parse_level("大师").is_err());
    }
}
