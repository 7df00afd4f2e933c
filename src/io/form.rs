//! The official registration form (参赛回执信息汇总表, notice 附件一): the blank workbook units
//! fill in (one sheet per event, drop-down lists, ID and phone columns as text), and the reader
//! that turns a filled form — the app's own or the notice's layout with merged title rows —
//! into the same records and unit rows as the flat roster. Cells and labels only; the rules are
//! in `core`. Must not import egui.
//!
//! One file over 600 lines: the official form's reader and its blank template are written from one
//! cell map, so the two cannot drift apart.

use super::roster::{self, PoolRef, Roster};
use super::table::{Cell, Row, Table, header_key};
use crate::core::date::Date;
use crate::core::logistics::head_count_problems;
use crate::core::model::{Group, SkillLevel, TitleLevel};
use crate::core::phone;
use crate::core::problem::Problem;
use crate::core::registration::{Place, UnitForm};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

/// What the blank form needs to know about the competition.
#[derive(Clone, Debug)]
pub struct FormSpec {
    /// The first title line: `“江苏工匠”岗位练兵职业技能竞赛活动`.
    pub heading: String,
    pub year: i32,
    /// Event names, one sheet each, in the built-in order.
    pub events: Vec<String>,
    pub registration_end: Date,
}

/// The person columns of the staff rows, in the template's order.
pub const STAFF_COLUMNS: [&str; 15] = [
    "组别",
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "身高/体重",
    "备注",
    "设区市",
    "市选拔名次",
    "参赛资格",
    "现有等级",
    "等级取得日期",
    "职称",
    "已获荣誉",
];
/// The person columns of the student rows, in the template's order.
pub const STUDENT_COLUMNS: [&str; 14] = [
    "组别",
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "身高/体重",
    "指导老师",
    "院系",
    "设区市",
    "市选拔名次",
    "学生证已核验",
    "身份证已核验",
    "已获荣誉",
];
const LAST_COL: u16 = STAFF_COLUMNS.len() as u16 - 1;

/// A unit field of the template: its name (as in the unit-rows table), label text, row and the
/// columns of its label and value cells.
struct Slot {
    field: &'static str,
    label: &'static str,
    row: u32,
    label_cols: (u16, u16),
    value_cols: (u16, u16),
}

/// Where the template puts everything; `rows_per_group` is three on the official form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormLayout {
    pub rows_per_group: u32,
}

impl Default for FormLayout {
    fn default() -> Self {
        FormLayout { rows_per_group: 3 }
    }
}

impl FormLayout {
    fn header_row(&self, group: Group) -> u32 {
        match group {
            Group::Staff => 7,
            Group::Student => 8 + self.rows_per_group,
        }
    }

    /// The first row below the person rows (房间需求).
    fn bottom(&self) -> u32 {
        9 + 2 * self.rows_per_group
    }

    fn slots(&self) -> Vec<Slot> {
        let slot = |field, label, row, label_cols, value_cols| Slot {
            field,
            label,
            row,
            label_cols,
            value_cols,
        };
        let b = self.bottom();
        vec![
            slot("单位", "单位（盖章）", 2, (0, 1), (2, 9)),
            slot("赛项", "赛项", 2, (10, 11), (12, LAST_COL)),
            slot("领队", "领队", 3, (0, 1), (2, 4)),
            slot("领队职务", "职务", 3, (5, 6), (7, 9)),
            slot("领队手机", "手机", 3, (10, 11), (12, LAST_COL)),
            slot("联系人", "联系人", 4, (0, 1), (2, 4)),
            slot("联系人职务", "职务", 4, (5, 6), (7, 9)),
            slot("联系人手机", "手机", 4, (10, 11), (12, LAST_COL)),
            slot("总人数", "总人数", 5, (0, 1), (2, 4)),
            slot("男性人数", "男性人数", 5, (5, 6), (7, 9)),
            slot("女性人数", "女性人数", 5, (10, 11), (12, LAST_COL)),
            slot("标间数量", "标间数量", b, (2, 3), (4, 5)),
            slot("入住日期", "入住日期", b, (6, 7), (8, 9)),
            slot("填报日期", "填报日期", b, (10, 11), (12, LAST_COL)),
            slot("单间数量", "单间数量", b + 1, (2, 3), (4, 5)),
            slot("退房日期", "退房日期", b + 1, (6, 7), (8, 9)),
            slot("航班车次", "航班、车次信息", b + 2, (0, 1), (2, LAST_COL)),
        ]
    }

    /// The value cell `(row, column)` of a unit field, named as in the unit-rows table
    /// (`单位`, `领队手机`, `总人数`, `入住日期`, `航班车次`, ...).
    pub fn cell(&self, field: &str) -> Option<(u32, u16)> {
        self.slots()
            .into_iter()
            .find(|s| s.field == field)
            .map(|s| (s.row, s.value_cols.0))
    }

    /// The cell `(row, column)` of a person's field; `index` counts from 0.
    pub fn person(&self, group: Group, index: u32, column: &str) -> Option<(u32, u16)> {
        if index >= self.rows_per_group {
            return None;
        }
        let wanted = person_header(column);
        let col = columns(group)
            .iter()
            .position(|c| person_header(c) == wanted)?;
        Some((self.header_row(group) + 1 + index, col as u16))
    }
}

fn columns(group: Group) -> &'static [&'static str] {
    match group {
        Group::Staff => &STAFF_COLUMNS,
        Group::Student => &STUDENT_COLUMNS,
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    label: Format,
    value: Format,
    text: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let bordered = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: bordered
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7)),
            value: bordered.clone(),
            text: bordered.set_num_format("@"),
            note: Format::new()
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

fn list(values: &[&str], title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(values)?
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_title("请从下拉列表中选择")?
        .set_error_message(format!("可选：{}", values.join("、")))
}

/// Adds one event's form as a worksheet named after the event, blank, ready to be filled.
pub fn add_form_sheet<'a>(
    book: &'a mut Workbook,
    spec: &FormSpec,
    event: &str,
    layout: FormLayout,
) -> Result<&'a mut Worksheet, XlsxError> {
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(event)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    for (col, width) in [8, 7, 10, 6, 22, 14, 10, 14, 10, 10, 10, 10, 12, 14, 18]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.merge_range(0, 0, 0, LAST_COL, &spec.heading, &f.title)?;
    sheet.merge_range(
        1,
        0,
        1,
        LAST_COL,
        &format!(
            "{}年江苏省“{event}”职业技能竞赛参赛回执信息汇总表",
            spec.year
        ),
        &f.subtitle,
    )?;
    sheet.set_row_height(1, 28)?;
    for slot in layout.slots() {
        let (first, last) = slot.label_cols;
        sheet.merge_range(slot.row, first, slot.row, last, slot.label, &f.label)?;
        let (first, last) = slot.value_cols;
        let format = if slot.field.ends_with("手机") || slot.field.ends_with("日期") {
            &f.text
        } else {
            &f.value
        };
        let text = if slot.field == "赛项" { event } else { "" };
        sheet.merge_range(slot.row, first, slot.row, last, text, format)?;
    }
    let event_list = DataValidation::new()
        .allow_list_strings(&spec.events)?
        .set_error_style(DataValidationErrorStyle::Warning);
    if let Some((row, col)) = layout.cell("赛项") {
        sheet.add_data_validation(row, col, row, col, &event_list)?;
    }
    sheet.merge_range(6, 0, 6, LAST_COL, "参赛选手信息", &f.label)?;
    for group in Group::ALL.iter().copied() {
        person_rows(sheet, &f, group, layout)?;
    }
    let b = layout.bottom();
    sheet.merge_range(b, 0, b + 1, 1, "房间需求", &f.label)?;
    sheet.merge_range(b + 1, 10, b + 1, LAST_COL, "", &f.value)?;
    sheet.set_row_height(b + 2, 36)?;
    let note = format!(
        "填表说明：每个单位每个赛项填写一张（本工作簿每个赛项一页，未参加的赛项留空）；请于 {} 前提交。\
         身份证号、手机列为文本格式，请勿改为数字；日期写作 {}-10-14；职工组须填参赛资格 a/b/c/d \
         （a 中级工及以上，b 初级及以上职称，c 从事本职业初级工满 3 年，d 县级前 3、市级前 6 或参加过省级竞赛）；\
         学生组须核验学生证和身份证。每单位每赛项每组别推荐 2 名选手。",
        spec.registration_end, spec.year
    );
    sheet.merge_range(b + 3, 0, b + 3, LAST_COL, &note, &f.note)?;
    sheet.set_row_height(b + 3, 48)?;
    Ok(sheet)
}

/// One group's header and blank person rows with their drop-down lists.
fn person_rows(
    sheet: &mut Worksheet,
    f: &Formats,
    group: Group,
    layout: FormLayout,
) -> Result<(), XlsxError> {
    let header = layout.header_row(group);
    let first = header + 1;
    let last = header + layout.rows_per_group;
    let names = columns(group);
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(header, col as u16, *name, &f.label)?;
    }
    for col in names.len() as u16..=LAST_COL {
        sheet.write_blank(header, col, &f.label)?;
    }
    for (i, row) in (first..=last).enumerate() {
        for col in 0..=LAST_COL {
            let name = names.get(col as usize).copied().unwrap_or("");
            let format = if matches!(name, "身份证号" | "联系电话" | "等级取得日期") {
                &f.text
            } else {
                &f.value
            };
            match name {
                "组别" => sheet.write_string_with_format(row, col, group.label(), format)?,
                "序号" => {
                    sheet.write_string_with_format(row, col, format!("选手{}", i + 1), format)?
                }
                _ => sheet.write_blank(row, col, format)?,
            };
        }
    }
    let column = |name: &str| names.iter().position(|n| *n == name).map(|c| c as u16);
    let levels: Vec<&str> = std::iter::once("无")
        .chain(SkillLevel::ALL.iter().map(|l| l.label()))
        .collect();
    let titles: Vec<&str> = std::iter::once("无")
        .chain(TitleLevel::ALL.iter().map(|t| t.label()))
        .collect();
    let id_hint = DataValidation::new()
        .allow_any_value()
        .set_input_title("身份证号")?
        .set_input_message("18 位身份证号。本列为文本格式，请勿改为数字，否则末几位会丢失。")?;
    let mut validations = vec![
        (
            "组别",
            list(&["职工组", "学生组"], "组别", "职工组或学生组")?,
        ),
        ("性别", list(&["男", "女"], "性别", "男或女")?),
        ("身份证号", id_hint),
        (
            "已获荣誉",
            DataValidation::new()
                .allow_any_value()
                .set_input_title("已获荣誉")?
                .set_input_message("已获江苏技能大奖或江苏技术能手者不得参赛。没有填“无”。")?,
        ),
    ];
    match group {
        Group::Staff => {
            validations.push((
                "参赛资格",
                list(
                    &["a", "b", "c", "d"],
                    "参赛资格",
                    "a 中级工及以上；b 助理工程师（初级）及以上职称；c 从事本职业初级工满 3 年；d 县级前 3、市级前 6 或参加过省级竞赛",
                )?,
            ));
            validations.push((
                "现有等级",
                list(&levels, "现有等级", "现有职业技能等级，没有填“无”")?,
            ));
            validations.push((
                "职称",
                list(&titles, "职称", "可在括号中写职称名称，如 中级（经济师）")?
                    .set_error_style(DataValidationErrorStyle::Information),
            ));
        }
        Group::Student => {
            for name in ["学生证已核验", "身份证已核验"] {
                validations.push((name, list(&["是", "否"], name, "学生组须核验，填“是”")?));
            }
        }
    }
    for (name, validation) in validations {
        if let Some(col) = column(name) {
            sheet.add_data_validation(first, col, last, col, &validation)?;
        }
    }
    Ok(())
}

/// The blank workbook: one form sheet per event.
pub fn template(spec: &FormSpec) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for event in &spec.events {
        add_form_sheet(&mut book, spec, event, FormLayout::default())?;
    }
    book.save_to_buffer()
}

// ---- reading ----

/// Person headers as the roster names them: `身高/体重` → `身高体重`, `身份证号码` → `身份证号`.
fn person_header(text: &str) -> String {
    let key = header_key(text);
    match key.as_str() {
        "身高/体重" | "身高、体重" => "身高体重".to_string(),
        "身份证号码" | "身份证" => "身份证号".to_string(),
        "手机" | "手机号" | "手机号码" | "电话" => "联系电话".to_string(),
        "指导教师" | "指导老师姓名" => "指导老师".to_string(),
        _ => key,
    }
}

/// A row holding the person headers: `姓名` and `身份证号`.
fn is_person_header(row: &Row) -> bool {
    let headers: Vec<String> = row.cells.iter().map(|c| person_header(&c.text())).collect();
    headers.iter().any(|h| h == "姓名") && headers.iter().any(|h| h == "身份证号")
}

/// Header cells that only label rows (`序号`, `参赛选手信息`, `选手1`).
fn is_row_label(header: &str) -> bool {
    matches!(
        header,
        "" | "序号" | "参赛选手信息" | "选手信息" | "参赛选手"
    )
}

/// Unit-field labels read as a whole cell.
const EXACT_LABELS: [(&str, &str); 17] = [
    ("单位", "单位"),
    ("参赛单位", "单位"),
    ("单位名称", "单位"),
    ("赛项", "赛项"),
    ("参赛赛项", "赛项"),
    ("填报日期", "填报日期"),
    ("领队", "领队"),
    ("联系人", "联系人"),
    ("职务", "职务"),
    ("手机", "手机"),
    ("手机号码", "手机"),
    ("总人数", "总人数"),
    ("男性人数", "男性人数"),
    ("女性人数", "女性人数"),
    ("标间数量", "标间数量"),
    ("单间数量", "单间数量"),
    ("房间需求", ""),
];
/// Labels that may carry their value in the same cell: `入住日期：( 10月14日 )`.
const INLINE_LABELS: [(&str, &str); 7] = [
    ("入住日期", "入住日期"),
    ("退房日期", "退房日期"),
    ("航班、车次信息", "航班车次"),
    ("航班车次信息", "航班车次"),
    ("航班/车次信息", "航班车次"),
    ("航班、车次", "航班车次"),
    ("航班车次", "航班车次"),
];

/// The unit field a cell labels (`""` for a label of no field, such as 房间需求), with the
/// value written into the label cell itself, if any.
fn label(text: &str) -> Option<(&'static str, String)> {
    let key = header_key(text)
        .replace("（盖章）", "")
        .replace("(盖章)", "");
    let key = key.trim_end_matches([':', '：']);
    if let Some((_, field)) = EXACT_LABELS.iter().find(|(l, _)| *l == key) {
        return Some((field, String::new()));
    }
    let (prefix, field) = INLINE_LABELS.iter().find(|(l, _)| key.starts_with(l))?;
    let rest = &key[prefix.len()..];
    if !(rest.is_empty() || rest.starts_with([':', '：', '(', '（'])) {
        return None;
    }
    let inline = match text.find([':', '：']) {
        Some(at) => text[at..].trim_start_matches([':', '：']),
        None => rest,
    };
    let inline = inline.trim_matches(|c: char| c.is_whitespace() || "()（）".contains(c));
    Some((field, inline.to_string()))
}

/// The value of the label in `cells[col]`: what it carries itself, else the next non-empty cell
/// to its right that is neither the same (merged) label nor another label.
fn value_right(cells: &[Cell], col: usize, inline: String) -> Option<Cell> {
    if !inline.is_empty() {
        return Some(Cell::Text(inline));
    }
    let own = cells[col].text();
    for cell in cells.iter().skip(col + 1) {
        let text = cell.text();
        if cell.is_empty() || text == own {
            continue;
        }
        if label(&text).is_some() {
            return None;
        }
        return Some(cell.clone());
    }
    None
}

/// True when a table is the form rather than a flat table: the person headers or the unit
/// labels sit below its first row.
pub fn is_form(table: &Table) -> bool {
    if roster::is_flat(table) {
        return false;
    }
    table.rows.iter().any(|row| {
        is_person_header(row)
            || row
                .cells
                .iter()
                .any(|c| matches!(label(&c.text()), Some(("单位" | "领队" | "总人数", _))))
    })
}

/// A unit field as read: its cell and the row it sits in.
struct Found {
    field: &'static str,
    value: Option<Cell>,
    row: usize,
}

/// One form's person section: its header row and the rows below it.
struct Section<'a> {
    header: &'a Row,
    rows: Vec<&'a Row>,
}

/// Reads every table of one file: form sheets as forms, flat tables as the roster; a sheet of
/// instructions (named `…说明`) is skipped quietly, others with a warning.
pub fn read_registration(
    tables: &[Table],
    pools: &[PoolRef],
    today: Date,
    year: i32,
    problems: &mut Vec<Problem>,
) -> Roster {
    let forms: Vec<&Table> = tables.iter().filter(|t| is_form(t)).collect();
    let flat: Vec<Table> = tables
        .iter()
        .filter(|t| roster::is_flat(t))
        .cloned()
        .collect();
    if forms.is_empty() && flat.is_empty() {
        return roster::read_roster(tables, pools, today, problems);
    }
    let mut read = if flat.is_empty() {
        Roster::default()
    } else {
        roster::read_roster(&flat, pools, today, problems)
    };
    for table in tables {
        if is_form(table) {
            read_form(table, pools, today, year, &mut read, problems);
        } else if !roster::is_flat(table)
            && !table.sheet.as_deref().is_some_and(|s| s.contains("说明"))
        {
            problems.push(
                Problem::warning(&table.file, "既不是报名回执也不是选手名册，已跳过")
                    .at_row(table.sheet.as_deref(), table.header_row),
            );
        }
    }
    read
}

/// Reads one form sheet into `roster`. A blank form (no unit, nobody) adds nothing.
pub fn read_form(
    table: &Table,
    pools: &[PoolRef],
    today: Date,
    year: i32,
    roster: &mut Roster,
    problems: &mut Vec<Problem>,
) {
    let grid = table.grid();
    let place = |row: usize| Place {
        file: table.file.clone(),
        sheet: table.sheet.clone(),
        row,
    };
    let (sections, unit_rows) = split(&grid);
    let found = unit_fields(&unit_rows);
    let text_of = |field: &str| {
        found
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| f.value.as_ref())
            .map(Cell::text)
            .filter(|t| !t.is_empty())
    };
    let row_of = |field: &str| found.iter().find(|f| f.field == field).map(|f| f.row);
    let has_people = sections.iter().any(|s| !s.rows.is_empty());
    let unit = text_of("单位").map(|u| roster::normalise_unit(&u));
    if unit.is_none() && !has_people {
        return;
    }
    let first_row = grid.first().map_or(1, |r| r.number);
    let unit_place = place(row_of("单位").unwrap_or(first_row));
    if unit.is_none() {
        problems.push(unit_place.error("单位", "未填写单位名称"));
    }
    let event = match text_of("赛项") {
        Some(text) => {
            let found = roster::find_event(pools, &text);
            if found.is_none() {
                problems.push(
                    place(row_of("赛项").unwrap_or(first_row))
                        .error("赛项", format!("没有赛项“{text}”")),
                );
            }
            found
        }
        None => {
            let found = event_from_titles(&grid, table.sheet.as_deref(), pools);
            if found.is_none() {
                problems.push(place(first_row).error(
                    "赛项",
                    "无法确定赛项：请在标题或“赛项”一栏写明赛项名称（如 电子商务运营）",
                ));
            }
            found
        }
    };

    let mut genders = Vec::new();
    if let Some(event) = &event {
        // Without a unit the one error above says it; the rows are still checked under a
        // stand-in name.
        let unit_text = unit.clone().unwrap_or_else(|| "（未填写单位）".to_string());
        for section in &sections {
            let flat = section_table(table, section, &unit_text, event);
            let entries = roster::read_contestants(&flat, pools, today, problems);
            genders.extend(entries.iter().map(|e| e.record.gender));
            roster.contestants.extend(entries);
        }
    }

    let (Some(unit), Some(event)) = (unit, event) else {
        return;
    };
    let mut form = UnitForm {
        unit,
        event,
        ..UnitForm::default()
    };
    for f in &found {
        let Some(cell) = &f.value else { continue };
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        let at = place(f.row);
        let count = |problems: &mut Vec<Problem>| {
            let digits = text.trim_end_matches(['人', '间', '个']).trim();
            digits
                .parse::<u32>()
                .map_err(|_| {
                    problems.push(at.error(f.field, format!("“{text}”应为不小于 0 的整数")))
                })
                .ok()
        };
        let date = |problems: &mut Vec<Problem>| {
            form_date(cell, year)
                .ok_or_else(|| {
                    problems.push(at.error(
                        f.field,
                        format!("“{text}”不是有效日期（应写作 YYYY-MM-DD）"),
                    ))
                })
                .ok()
        };
        let mobile = |problems: &mut Vec<Problem>| {
            phone::check(&text)
                .map_err(|e| problems.push(at.error(f.field, e.to_string())))
                .ok()
        };
        match f.field {
            "领队" => form.leader = Some(roster::normalise_name(&text)),
            "领队职务" => form.leader_post = Some(text.clone()),
            "领队手机" => form.leader_phone = mobile(problems),
            "联系人" => form.contact = Some(roster::normalise_name(&text)),
            "联系人职务" => form.contact_post = Some(text.clone()),
            "联系人手机" => form.contact_phone = mobile(problems),
            "总人数" => form.total_people = count(problems),
            "男性人数" => form.male_people = count(problems),
            "女性人数" => form.female_people = count(problems),
            "标间数量" => form.standard_rooms = count(problems),
            "单间数量" => form.single_rooms = count(problems),
            "入住日期" => form.check_in = date(problems),
            "退房日期" => form.check_out = date(problems),
            "填报日期" => form.form_date = date(problems),
            "航班车次" => form.travel = Some(text.clone()),
            _ => {}
        }
    }
    for (field, message) in head_count_problems(&form, &genders) {
        let row = row_of(field).unwrap_or(unit_place.row);
        problems.push(place(row).warning(field, message));
    }
    for f in &found {
        roster.form_rows.push((unit_place.clone(), f.field, f.row));
    }
    roster.unit_forms.push((unit_place, form));
}

/// Person sections (header row and the rows up to the next header or unit label, blank rows
/// left out) and the other rows.
fn split(grid: &[Row]) -> (Vec<Section<'_>>, Vec<&Row>) {
    let mut sections: Vec<Section<'_>> = Vec::new();
    let mut others = Vec::new();
    let mut current: Option<Section<'_>> = None;
    for row in grid {
        if is_person_header(row) {
            sections.extend(current.take());
            current = Some(Section {
                header: row,
                rows: Vec::new(),
            });
            continue;
        }
        let has_label = row.cells.iter().any(|c| label(&c.text()).is_some());
        match &mut current {
            Some(section) if !has_label => {
                if has_person_data(section.header, row) {
                    section.rows.push(row);
                }
            }
            _ => {
                sections.extend(current.take());
                others.push(row);
            }
        }
    }
    sections.extend(current);
    (sections, others)
}

/// Whether a row under a person header holds anything besides row labels and the group.
fn has_person_data(header: &Row, row: &Row) -> bool {
    row.cells.iter().enumerate().any(|(col, cell)| {
        let heading = header.cells.get(col).map(|c| person_header(&c.text()));
        let heading = heading.as_deref().unwrap_or("");
        !cell.is_empty() && !is_row_label(heading) && group_heading(heading).is_none()
    })
}

/// A header cell that holds the group: `组别`, or the notice's `职工组` / `学生组` row label.
fn group_heading(heading: &str) -> Option<Option<Group>> {
    match heading {
        "组别" => Some(None),
        other => Group::parse(other).map(Some),
    }
}

/// The unit fields of the rows outside the person sections, first occurrence of each.
/// 职务 and 手机 belong to the 领队 or 联系人 named before them in the same row.
fn unit_fields(rows: &[&Row]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for row in rows {
        let mut person: Option<&str> = None;
        let mut previous = String::new();
        for (col, cell) in row.cells.iter().enumerate() {
            let text = cell.text();
            let same_as_previous = text == previous;
            previous = text.clone();
            if same_as_previous || text.is_empty() {
                continue;
            }
            let Some((field, inline)) = label(&text) else {
                continue;
            };
            let field = match field {
                "领队" | "联系人" => {
                    person = Some(field);
                    field
                }
                "职务" | "手机" => match (person, field) {
                    (Some("领队"), "职务") => "领队职务",
                    (Some("领队"), _) => "领队手机",
                    (Some(_), "职务") => "联系人职务",
                    (Some(_), _) => "联系人手机",
                    (None, _) => continue,
                },
                "" => continue,
                other => other,
            };
            if found.iter().any(|f| f.field == field) {
                continue;
            }
            found.push(Found {
                field,
                value: value_right(&row.cells, col, inline),
                row: row.number,
            });
        }
    }
    found
}

/// The event named in a title cell (the longest name found, so that 跨境电子商务运营 is not
/// read as 电子商务运营), else in the sheet's name.
fn event_from_titles(grid: &[Row], sheet: Option<&str>, pools: &[PoolRef]) -> Option<String> {
    let titles = grid
        .iter()
        .take_while(|r| !is_person_header(r))
        .flat_map(|r| r.cells.iter().map(Cell::text))
        .chain(sheet.map(str::to_string));
    for text in titles {
        let best = pools
            .iter()
            .filter(|p| text.contains(p.event_name.as_str()))
            .max_by_key(|p| p.event_name.chars().count());
        if let Some(pool) = best {
            return Some(pool.key.event.clone());
        }
    }
    None
}

/// A person section as a flat roster table: the header names as the roster spells them, row
/// labels blanked, and the form's unit, event and each row's group appended.
fn section_table(table: &Table, section: &Section<'_>, unit: &str, event: &str) -> Table {
    let headings: Vec<String> = section
        .header
        .cells
        .iter()
        .map(|c| person_header(&c.text()))
        .collect();
    let group_col = headings.iter().position(|h| group_heading(h).is_some());
    let default_group = headings
        .iter()
        .find_map(|h| group_heading(h).flatten())
        .unwrap_or_else(|| {
            let student = headings
                .iter()
                .any(|h| matches!(h.as_str(), "指导老师" | "院系" | "学生证已核验"));
            if student {
                Group::Student
            } else {
                Group::Staff
            }
        });
    let width = section
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain(std::iter::once(headings.len()))
        .max()
        .unwrap_or(0);
    let mut headers: Vec<String> = headings
        .iter()
        .enumerate()
        .map(|(col, h)| {
            if Some(col) == group_col || is_row_label(h) || h.starts_with("选手") {
                String::new()
            } else {
                h.clone()
            }
        })
        .collect();
    headers.resize(width, String::new());
    headers.extend(["单位", "赛项", "组别"].map(String::from));
    let rows = section
        .rows
        .iter()
        .map(|row| {
            let written = group_col
                .and_then(|col| row.cells.get(col))
                .map(Cell::text)
                .unwrap_or_default();
            let group = match Group::parse(&written) {
                Some(group) => group.label().to_string(),
                // Under a 组别 heading anything else is a mistake to report; under the
                // notice's 职工组/学生组 heading the cell is a row label (选手1).
                None if !written.is_empty() && group_col.is_some_and(|c| headings[c] == "组别") => {
                    written
                }
                None => default_group.label().to_string(),
            };
            let mut cells = row.cells.clone();
            cells.resize(width, Cell::Empty);
            cells.extend([
                Cell::Text(unit.to_string()),
                Cell::Text(event.to_string()),
                Cell::Text(group),
            ]);
            Row {
                number: row.number,
                cells,
            }
        })
        .collect();
    Table {
        file: table.file.clone(),
        sheet: table.sheet.clone(),
        header_row: section.header.number,
        headers,
        rows,
    }
}

/// A date as forms hold it: `2023-10-14` (also `/`, `.`, `年月日`), `10月14日` in the
/// competition's year, or a spreadsheet date serial.
fn form_date(cell: &Cell, year: i32) -> Option<Date> {
    if let Cell::Number(n) = cell {
        // Excel counts days from 1899-12-30; 1970-01-01 is day 25569.
        return (*n >= 1.0 && *n < 2_958_466.0 && n.fract() == 0.0)
            .then(|| Date::from_days_since_epoch(*n as i64 - 25_569));
    }
    let text = cell.text();
    Date::parse(&text).or_else(|| {
        let cleaned: String = text
            .chars()
            .map(|c| match c {
                '/' | '.' | '月' | '-' => '-',
                '日' | '号' => ' ',
                other => other,
            })
            .collect();
        let (month, day) = cleaned.trim().split_once('-')?;
        Date::new(year, month.trim().parse().ok()?, day.trim().parse().ok()?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::PoolKey;

    fn pools() -> Vec<PoolRef> {
        let events = [
            ("DS", "电子商务运营"),
            ("KJ", "跨境电子商务运营"),
            ("ZB", "直播电商运营"),
            ("QM", "全媒体运营"),
        ];
        let mut pools = Vec::new();
        for (code, name) in events {
            for group in Group::ALL.iter().copied() {
                pools.push(PoolRef {
                    key: PoolKey::new(code, group),
                    event_name: name.into(),
                    pool_id: pools.len() as i64 + 1,
                });
            }
        }
        pools
    }

    #[test]
    fn labels_are_read_with_annotations_and_inline_values() {
        assert_eq!(label("单位\n（盖章）"), Some(("单位", String::new())));
        assert_eq!(label("单间数量"), Some(("单间数量", String::new())));
        assert_eq!(
            label("入住日期： ( 10月14日 )"),
            Some(("入住日期", "10月14日".into()))
        );
        assert_eq!(label("退房日期： ( )"), Some(("退房日期", String::new())));
        assert_eq!(
            label("航班、车次信息：G7001 10:05 到连云港"),
            Some(("航班车次", "G7001 10:05 到连云港".into()))
        );
        assert_eq!(label("入住日期说明"), None);
        assert_eq!(label("张三"), None);
    }

    #[test]
    fn dates_without_a_year_take_the_competitions() {
        assert_eq!(
            form_date(&Cell::Text("10月14日".into()), 2023),
            Date::new(2023, 10, 14)
        );
        assert_eq!(
            form_date(&Cell::Text("2023/10/16".into()), 2023),
            Date::new(2023, 10, 16)
        );
        assert_eq!(
            form_date(&Cell::Number(45213.0), 2023),
            Date::new(2023, 10, 14)
        );
        assert_eq!(form_date(&Cell::Text("下周".into()), 2023), None);
    }

    #[test]
    fn the_longest_event_name_in_a_title_wins() {
        let row = Row {
            number: 2,
            cells: vec![Cell::Text(
                "2023年江苏省“跨境电子商务运营”职业技能竞赛参赛回执信息汇总表".into(),
            )],
        };
        assert_eq!(
            event_from_titles(&[row], None, &pools()).as_deref(),
            Some("KJ")
        );
        assert_eq!(
            event_from_titles(&[], Some("全媒体运营"), &pools()).as_deref(),
            Some("QM")
        );
    }

    #[test]
    fn layout_places_people_below_their_headers() {
        let layout = FormLayout::default();
        assert_eq!(layout.person(Group::Staff, 0, "姓名"), Some((8, 2)));
        assert_eq!(layout.person(Group::Staff, 0, "身高体重"), Some((8, 6)));
        assert_eq!(layout.person(Group::Student, 2, "指导老师"), Some((14, 7)));
        assert_eq!(layout.person(Group::Student, 3, "姓名"), None);
        assert_eq!(layout.person(Group::Staff, 0, "指导老师"), None);
        assert_eq!(layout.cell("单位"), Some((2, 2)));
        assert_eq!(layout.cell("航班车次"), Some((17, 2)));
    }

    #[test]
    fn blank_template_reads_as_no_form() -> Result<(), Box<dyn std::error::Error>> {
        let spec = FormSpec {
            heading: "“江苏工匠”岗位练兵职业技能竞赛活动".into(),
            year: 2023,
            events: pools()
                .iter()
                .step_by(2)
                .map(|p| p.event_name.clone())
                .collect(),
            registration_end: Date {
                year: 2023,
                month: 9,
                day: 20,
            },
        };
        let bytes = template(&spec)?;
        let tables = super::super::table::read_workbook_bytes("模板.xlsx", &bytes)
            .map_err(|p| p.to_string())?;
        assert_eq!(tables.len(), 4);
        assert!(tables.iter().all(is_form));
        let mut problems = Vec::new();
        let today = Date {
            year: 2023,
            month: 9,
            day: 1,
        };
        let roster = read_registration(&tables, &pools(), today, 2023, &mut problems);
        assert_eq!(problems, Vec::new());
        assert_eq!(roster, Roster::default());
        Ok(())
    }
}
