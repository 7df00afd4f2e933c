//! The registration rules of §2 over a batch of parsed contestants plus those already stored: eligibility, honours, duplicates, quotas, city limits and the unit rows of a form. Pure; no SQL, no files.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 388).

use super::date::Date;
use super::model::{Basis, Gender, Group, PoolKey, SkillLevel, Title};
use super::problem::Problem;
use std::collections::HashMap;

/// Contestants a unit may recommend per pool (notice); more need an override with a reason.
pub const UNIT_QUOTA: usize = 2;
/// Students per unit, department and event (notice).
pub const STUDENTS_PER_DEPARTMENT: usize = 2;
/// Contestants per city and event who go to the final (notice).
pub const CITY_FINALISTS: usize = 6;

/// Where a row was read: file, sheet (workbooks only) and row as the spreadsheet shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub sheet: Option<String>,
    pub row: usize,
}

impl Place {
    pub fn error(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(&self.file, message)
            .at_row(self.sheet.as_deref(), self.row)
            .in_field(field)
    }

    pub fn warning(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::warning(&self.file, message)
            .at_row(self.sheet.as_deref(), self.row)
            .in_field(field)
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{}:{}:{}", self.file, sheet, self.row),
            None => write!(f, "{}:{}", self.file, self.row),
        }
    }
}

/// The facts about one contestant that the rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registrant {
    pub id_number: String,
    pub name: String,
    pub gender: Gender,
    pub unit: String,
    pub pool: PoolKey,
    /// The event's name, for messages (`电子商务运营`).
    pub event_name: String,
    pub coach: Option<String>,
    pub department: Option<String>,
    pub city: Option<String>,
    pub city_rank: Option<u32>,
    pub basis: Option<Basis>,
    pub level: Option<SkillLevel>,
    pub level_date: Option<Date>,
    pub title: Option<Title>,
    pub honours: Option<String>,
    pub student_card_checked: Option<bool>,
    pub id_card_checked: Option<bool>,
    /// The reason a unit may send more than [`UNIT_QUOTA`] to this pool, if one was given.
    pub quota_override: Option<String>,
}

impl Registrant {
    fn pool_title(&self) -> String {
        format!("{}（{}）", self.event_name, self.pool.group.label())
    }
}

/// The outcome of [`check_batch`]: every problem, and which batch rows were admitted over the
/// quota by their override (those, and only those, keep the override reason).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchCheck {
    pub problems: Vec<Problem>,
    pub overridden: Vec<usize>,
    /// Batch rows over the quota with no override, each with the error it caused (also in
    /// `problems`): an override with a reason would admit them.
    pub needs_override: Vec<(usize, Problem)>,
}

/// Checks a batch of new rows against the rules and against the contestants already stored.
/// A stored contestant with the ID number of a batch row is that row's earlier version (it is
/// replaced), unless it belongs to another unit. `missing_glyphs` names the characters of a
/// text the bundled fonts cannot draw.
pub fn check_batch(
    batch: &[(Place, Registrant)],
    stored: &[Registrant],
    missing_glyphs: &dyn Fn(&str) -> Vec<char>,
) -> BatchCheck {
    let mut check = BatchCheck::default();
    for (place, person) in batch {
        check_one(place, person, missing_glyphs, &mut check.problems);
    }

    // Duplicates: within the batch, every later row names the first; against the store, only
    // another unit's contestant is a duplicate (the same unit's is an update).
    let stored_by_id: HashMap<&str, &Registrant> =
        stored.iter().map(|s| (s.id_number.as_str(), s)).collect();
    let mut first_row: HashMap<&str, &Place> = HashMap::new();
    let mut counted = Vec::new();
    for (index, (place, person)) in batch.iter().enumerate() {
        if let Some(first) = first_row.get(person.id_number.as_str()) {
            check
                .problems
                .push(place.error("身份证号", format!("身份证号重复，首次出现在 {first}")));
            continue;
        }
        first_row.insert(&person.id_number, place);
        if let Some(earlier) = stored_by_id
            .get(person.id_number.as_str())
            .filter(|s| s.unit != person.unit)
        {
            check.problems.push(place.error(
                "身份证号",
                format!(
                    "身份证号重复，已在库中（{}，{}），同一人不能重复报名",
                    earlier.unit,
                    earlier.pool_title()
                ),
            ));
            continue;
        }
        counted.push(index);
    }

    // Counts start with the stored contestants the batch does not replace.
    let kept: Vec<&Registrant> = stored
        .iter()
        .filter(|s| !first_row.contains_key(s.id_number.as_str()))
        .collect();
    let mut per_pool: HashMap<(&str, &PoolKey), usize> = HashMap::new();
    let mut per_department: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let mut per_city: HashMap<(&str, &str), usize> = HashMap::new();
    for s in &kept {
        *per_pool.entry((&s.unit, &s.pool)).or_default() += 1;
        if let Some(key) = department_key(s) {
            *per_department.entry(key).or_default() += 1;
        }
        if let Some(city) = city_key(s) {
            *per_city.entry((city, &s.pool.event)).or_default() += 1;
        }
    }
    for index in counted {
        let (place, person) = &batch[index];
        let count = per_pool.entry((&person.unit, &person.pool)).or_default();
        *count += 1;
        if *count > UNIT_QUOTA {
            let pool = person.pool_title();
            match person
                .quota_override
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                Some(reason) => {
                    check.overridden.push(index);
                    check.problems.push(place.warning(
                        "单位",
                        format!("“{}”在{pool}的第 {count} 名选手超出每单位 {UNIT_QUOTA} 名的名额，按特批理由“{reason}”接受", person.unit),
                    ));
                }
                None => {
                    let problem = place.error(
                        "单位",
                        format!(
                            "“{}”在{pool}已推荐 {UNIT_QUOTA} 名选手，第 {count} 名超出名额；确需参赛须特批并注明理由",
                            person.unit
                        ),
                    );
                    check.needs_override.push((index, problem.clone()));
                    check.problems.push(problem);
                }
            }
        }
        if let Some(key) = department_key(person) {
            let count = per_department.entry(key).or_default();
            *count += 1;
            if *count > STUDENTS_PER_DEPARTMENT {
                check.problems.push(place.error(
                    "院系",
                    format!(
                        "同一单位同一院系在{}最多 {STUDENTS_PER_DEPARTMENT} 名学生，这是第 {count} 名",
                        person.event_name
                    ),
                ));
            }
        }
        if let Some(city) = city_key(person) {
            let count = per_city.entry((city, &person.pool.event)).or_default();
            *count += 1;
            if *count > CITY_FINALISTS {
                check.problems.push(place.warning(
                    "设区市",
                    format!("{city}在{}已有 {CITY_FINALISTS} 人，每市每赛项只有前 {CITY_FINALISTS} 名进入决赛，这是第 {count} 名", person.event_name),
                ));
            }
        }
    }
    check
}

fn department_key(person: &Registrant) -> Option<(&str, &str, &str)> {
    let department = person
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())?;
    (person.pool.group == Group::Student).then_some((
        person.unit.as_str(),
        department,
        person.pool.event.as_str(),
    ))
}

/// `连云港市` and `连云港` are the same city.
fn city_key(person: &Registrant) -> Option<&str> {
    let city = person.city.as_deref()?.trim();
    let city = city.strip_suffix('市').unwrap_or(city);
    (!city.is_empty()).then_some(city)
}

/// The rules about one row alone.
fn check_one(
    place: &Place,
    person: &Registrant,
    missing_glyphs: &dyn Fn(&str) -> Vec<char>,
    problems: &mut Vec<Problem>,
) {
    match person.pool.group {
        Group::Staff => check_staff_basis(place, person, problems),
        Group::Student => {
            for (field, checked, what) in [
                ("学生证已核验", person.student_card_checked, "学生证"),
                ("身份证已核验", person.id_card_checked, "身份证"),
            ] {
                if checked != Some(true) {
                    problems
                        .push(place.error(field, format!("学生组选手的{what}须经核验（填“是”）")));
                }
            }
            if person
                .department
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
            {
                problems.push(place.warning(
                    "院系",
                    "学生组选手未填写院系，无法核对每个院系最多 2 名的限制",
                ));
            }
        }
    }
    if let Some(honour) = person.honours.as_deref().and_then(barred_honour) {
        problems.push(place.error("已获荣誉", format!("已获“{honour}”者不得参赛")));
    }
    if let Some(rank) = person.city_rank.filter(|r| *r as usize > CITY_FINALISTS) {
        problems.push(place.warning(
            "市选拔名次",
            format!("市选拔第 {rank} 名，每市每赛项只有前 {CITY_FINALISTS} 名进入决赛"),
        ));
    }
    for (field, text) in [
        ("姓名", Some(person.name.as_str())),
        ("指导老师", person.coach.as_deref()),
    ] {
        let Some(text) = text else { continue };
        for c in missing_glyphs(text) {
            problems.push(place.warning(
                field,
                format!(
                    "“{text}”中的“{c}”（U+{:04X}）内置字体中没有，打印证书时会被拒绝",
                    u32::from(c)
                ),
            ));
        }
    }
}

/// Staff eligibility (notice): a basis must be declared; a) needs 中级工 or higher now, b) a title.
fn check_staff_basis(place: &Place, person: &Registrant, problems: &mut Vec<Problem>) {
    match person.basis {
        None => problems.push(place.error("参赛资格", "职工组选手须填写参赛资格（a、b、c 或 d）")),
        Some(Basis::A) if person.level.is_none_or(|l| l < SkillLevel::Intermediate) => {
            let now = person.level.map_or("未填写", SkillLevel::label);
            problems.push(place.error(
                "参赛资格",
                format!("参赛资格 a 要求现有等级为中级工及以上，现有等级：{now}"),
            ));
        }
        Some(Basis::B) if person.title.is_none() => {
            problems.push(place.error(
                "参赛资格",
                "参赛资格 b 要求具有助理工程师（初级）及以上职称，未填写职称",
            ));
        }
        Some(_) => {}
    }
    if person.level == Some(SkillLevel::Technician) && person.level_date.is_none() {
        problems.push(place.warning(
            "等级取得日期",
            "未填写技师等级的取得日期，无法判断能否晋升高级技师",
        ));
    }
}

/// The barred honour an honours text names (江苏技能大奖, 江苏(省)技术能手), if any.
pub fn barred_honour(honours: &str) -> Option<&'static str> {
    let compact: String = honours
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '省')
        .collect();
    ["江苏技能大奖", "江苏技术能手"]
        .into_iter()
        .find(|barred| compact.contains(barred))
}

/// The unit rows of one form (回执): leader, contact, head counts, rooms and travel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitForm {
    pub unit: String,
    /// The event's code (`DS`).
    pub event: String,
    pub leader: Option<String>,
    pub leader_post: Option<String>,
    pub leader_phone: Option<String>,
    pub contact: Option<String>,
    pub contact_post: Option<String>,
    pub contact_phone: Option<String>,
    pub total_people: Option<u32>,
    pub male_people: Option<u32>,
    pub female_people: Option<u32>,
    pub standard_rooms: Option<u32>,
    pub single_rooms: Option<u32>,
    pub check_in: Option<Date>,
    pub check_out: Option<Date>,
    pub travel: Option<String>,
    pub form_date: Option<Date>,
}

/// Checks the unit rows: head counts that do not add up, a form dated after the deadline, a
/// check-out before the check-in, the same unit and event twice.
pub fn check_unit_forms(forms: &[(Place, UnitForm)], registration_end: Date) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut first: HashMap<(&str, &str), &Place> = HashMap::new();
    for (place, form) in forms {
        if let Some(earlier) = first.get(&(form.unit.as_str(), form.event.as_str())) {
            problems.push(place.error(
                "单位",
                format!("同一单位同一赛项的回执重复，首次出现在 {earlier}"),
            ));
        } else {
            first.insert((&form.unit, &form.event), place);
        }
        if let (Some(total), Some(male), Some(female)) =
            (form.total_people, form.male_people, form.female_people)
            && male + female != total
        {
            problems.push(place.warning(
                "总人数",
                format!("男性人数 {male} + 女性人数 {female} 与总人数 {total} 不符"),
            ));
        }
        if let Some(date) = form.form_date.filter(|d| *d > registration_end) {
            problems.push(place.warning(
                "填报日期",
                format!("填报日期 {date} 晚于报名截止日期 {registration_end}"),
            ));
        }
        if let (Some(check_in), Some(check_out)) = (form.check_in, form.check_out)
            && check_out < check_in
        {
            problems.push(place.warning(
                "退房日期",
                format!("退房日期 {check_out} 早于入住日期 {check_in}"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::TitleLevel;
    use crate::core::problem::Severity;

    fn place(row: usize) -> Place {
        Place {
            file: "名册.csv".into(),
            sheet: None,
            row,
        }
    }

    fn staff(id: &str, unit: &str) -> Registrant {
        Registrant {
            id_number: id.into(),
            name: "张三".into(),
            gender: Gender::Male,
            unit: unit.into(),
            pool: PoolKey::new("DS", Group::Staff),
            event_name: "电子商务运营".into(),
            coach: None,
            department: None,
            city: None,
            city_rank: None,
            basis: Some(Basis::C),
            level: None,
            level_date: None,
            title: None,
            honours: None,
            student_card_checked: None,
            id_card_checked: None,
            quota_override: None,
        }
    }

    fn student(id: &str, unit: &str, department: &str) -> Registrant {
        Registrant {
            pool: PoolKey::new("DS", Group::Student),
            basis: None,
            department: Some(department.into()),
            student_card_checked: Some(true),
            id_card_checked: Some(true),
            ..staff(id, unit)
        }
    }

    fn no_missing(_: &str) -> Vec<char> {
        Vec::new()
    }

    fn rows(people: Vec<Registrant>) -> Vec<(Place, Registrant)> {
        people
            .into_iter()
            .enumerate()
            .map(|(i, p)| (place(i + 2), p))
            .collect()
    }

    /// Runs the checks and returns every problem as its printed line.
    fn check(batch: Vec<Registrant>, stored: &[Registrant]) -> Vec<String> {
        check_batch(&rows(batch), stored, &no_missing)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn clean_batch_has_no_problems() {
        assert_eq!(
            check(
                vec![
                    staff("1", "甲单位"),
                    staff("2", "甲单位"),
                    staff("3", "乙单位")
                ],
                &[]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn same_id_twice_is_an_error_on_every_later_row_naming_the_first() {
        let problems = check(
            vec![
                staff("1", "甲单位"),
                staff("1", "甲单位"),
                staff("1", "乙单位"),
            ],
            &[],
        );
        assert_eq!(
            problems,
            vec![
                "名册.csv:3: error: 身份证号: 身份证号重复，首次出现在 名册.csv:2",
                "名册.csv:4: error: 身份证号: 身份证号重复，首次出现在 名册.csv:2",
            ]
        );
    }

    #[test]
    fn same_id_stored_for_another_unit_is_already_in_the_database() {
        let problems = check(vec![staff("1", "乙单位")], &[staff("1", "甲单位")]);
        assert_eq!(
            problems,
            vec![
                "名册.csv:2: error: 身份证号: 身份证号重复，已在库中（甲单位，电子商务运营（职工组）），同一人不能重复报名"
            ]
        );
    }

    #[test]
    fn same_id_stored_for_the_same_unit_is_an_update() {
        let stored = [staff("1", "甲单位"), staff("2", "甲单位")];
        assert_eq!(
            check(vec![staff("1", "甲单位"), staff("2", "甲单位")], &stored),
            Vec::<String>::new()
        );
    }

    #[test]
    fn third_contestant_from_one_unit_needs_override() {
        let problems = check(
            vec![
                staff("1", "甲单位"),
                staff("2", "甲单位"),
                staff("3", "甲单位"),
            ],
            &[],
        );
        assert_eq!(
            problems,
            vec![
                "名册.csv:4: error: 单位: “甲单位”在电子商务运营（职工组）已推荐 2 名选手，第 3 名超出名额；确需参赛须特批并注明理由"
            ]
        );
    }

    #[test]
    fn third_contestant_without_override_is_named_as_needing_one() {
        let result = check_batch(
            &rows(vec![
                staff("1", "甲单位"),
                staff("2", "甲单位"),
                staff("3", "甲单位"),
            ]),
            &[],
            &no_missing,
        );
        assert_eq!(result.needs_override.len(), 1);
        assert_eq!(result.needs_override[0].0, 2);
        assert_eq!(result.problems, vec![result.needs_override[0].1.clone()]);
        assert!(result.overridden.is_empty());
    }

    #[test]
    fn third_contestant_counts_those_already_stored() {
        let stored = [staff("1", "甲单位"), staff("2", "甲单位")];
        let problems = check(vec![staff("3", "甲单位")], &stored);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("第 3 名超出名额"), "{problems:?}");
    }

    #[test]
    fn third_contestant_with_override_is_a_warning_and_marked() {
        let third = Registrant {
            quota_override: Some("东道主单位".into()),
            ..staff("3", "甲单位")
        };
        let result = check_batch(
            &rows(vec![staff("1", "甲单位"), staff("2", "甲单位"), third]),
            &[],
            &no_missing,
        );
        assert_eq!(result.overridden, vec![2]);
        assert_eq!(result.problems.len(), 1);
        assert_eq!(result.problems[0].severity, Severity::Warning);
        assert!(result.problems[0].message.contains("东道主单位"));
    }

    #[test]
    fn override_within_quota_is_not_used() {
        let first = Registrant {
            quota_override: Some("理由".into()),
            ..staff("1", "甲单位")
        };
        let result = check_batch(&rows(vec![first]), &[], &no_missing);
        assert_eq!(result, BatchCheck::default());
    }

    #[test]
    fn quota_is_per_pool() {
        let other_group = Registrant {
            pool: PoolKey::new("DS", Group::Student),
            ..student("3", "甲单位", "商学院")
        };
        let other_event = Registrant {
            pool: PoolKey::new("KJ", Group::Staff),
            ..staff("4", "甲单位")
        };
        assert_eq!(
            check(
                vec![
                    staff("1", "甲单位"),
                    staff("2", "甲单位"),
                    other_group,
                    other_event
                ],
                &[]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn third_student_of_one_department_is_refused_even_with_override() {
        let third = Registrant {
            quota_override: Some("特批".into()),
            ..student("3", "甲学院", "商学院")
        };
        let result = check_batch(
            &rows(vec![
                student("1", "甲学院", "商学院"),
                student("2", "甲学院", "商学院"),
                third,
            ]),
            &[],
            &no_missing,
        );
        let errors: Vec<String> = result
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            vec![
                "名册.csv:4: error: 院系: 同一单位同一院系在电子商务运营最多 2 名学生，这是第 3 名"
            ]
        );
    }

    #[test]
    fn student_cards_must_be_checked() {
        let unchecked = Registrant {
            student_card_checked: Some(false),
            id_card_checked: None,
            ..student("1", "甲学院", "商学院")
        };
        assert_eq!(
            check(vec![unchecked], &[]),
            vec![
                "名册.csv:2: error: 学生证已核验: 学生组选手的学生证须经核验（填“是”）",
                "名册.csv:2: error: 身份证已核验: 学生组选手的身份证须经核验（填“是”）",
            ]
        );
    }

    #[test]
    fn student_without_department_is_a_warning() {
        let problems = check(
            vec![Registrant {
                department: None,
                ..student("1", "甲学院", "")
            }],
            &[],
        );
        assert_eq!(
            problems,
            vec![
                "名册.csv:2: warning: 院系: 学生组选手未填写院系，无法核对每个院系最多 2 名的限制"
            ]
        );
    }

    #[test]
    fn staff_without_basis_is_refused() {
        let problems = check(
            vec![Registrant {
                basis: None,
                ..staff("1", "甲单位")
            }],
            &[],
        );
        assert_eq!(
            problems,
            vec!["名册.csv:2: error: 参赛资格: 职工组选手须填写参赛资格（a、b、c 或 d）"]
        );
    }

    #[test]
    fn basis_a_needs_intermediate_level_or_higher() {
        let junior = Registrant {
            basis: Some(Basis::A),
            level: Some(SkillLevel::Junior),
            ..staff("1", "甲单位")
        };
        let none = Registrant {
            basis: Some(Basis::A),
            ..staff("2", "甲单位")
        };
        assert_eq!(
            check(vec![junior, none], &[]),
            vec![
                "名册.csv:2: error: 参赛资格: 参赛资格 a 要求现有等级为中级工及以上，现有等级：初级工",
                "名册.csv:3: error: 参赛资格: 参赛资格 a 要求现有等级为中级工及以上，现有等级：未填写",
            ]
        );
        let senior = Registrant {
            basis: Some(Basis::A),
            level: Some(SkillLevel::Senior),
            ..staff("3", "甲单位")
        };
        assert_eq!(check(vec![senior], &[]), Vec::<String>::new());
    }

    #[test]
    fn basis_b_needs_a_title() {
        let untitled = Registrant {
            basis: Some(Basis::B),
            ..staff("1", "甲单位")
        };
        assert_eq!(
            check(vec![untitled], &[]),
            vec![
                "名册.csv:2: error: 参赛资格: 参赛资格 b 要求具有助理工程师（初级）及以上职称，未填写职称"
            ]
        );
        let titled = Registrant {
            basis: Some(Basis::B),
            title: Some(Title {
                level: TitleLevel::Junior,
                name: Some("助理工程师".into()),
            }),
            ..staff("2", "甲单位")
        };
        assert_eq!(check(vec![titled], &[]), Vec::<String>::new());
    }

    #[test]
    fn bases_c_and_d_are_taken_as_declared() {
        let d = Registrant {
            basis: Some(Basis::D),
            ..staff("2", "甲单位")
        };
        assert_eq!(
            check(vec![staff("1", "甲单位"), d], &[]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn technician_without_level_date_is_a_warning() {
        let technician = Registrant {
            basis: Some(Basis::A),
            level: Some(SkillLevel::Technician),
            ..staff("1", "甲单位")
        };
        assert_eq!(
            check(vec![technician], &[]),
            vec![
                "名册.csv:2: warning: 等级取得日期: 未填写技师等级的取得日期，无法判断能否晋升高级技师"
            ]
        );
    }

    #[test]
    fn holders_of_barred_honours_are_refused() {
        assert_eq!(barred_honour("2021年江苏省技术能手"), Some("江苏技术能手"));
        assert_eq!(barred_honour("江苏技能大奖"), Some("江苏技能大奖"));
        assert_eq!(barred_honour("全国技术能手；市级劳模"), None);
        let holder = Registrant {
            honours: Some("2020 年 江苏省技术能手".into()),
            ..staff("1", "甲单位")
        };
        assert_eq!(
            check(vec![holder], &[]),
            vec!["名册.csv:2: error: 已获荣誉: 已获“江苏技术能手”者不得参赛"]
        );
    }

    #[test]
    fn seventh_from_one_city_and_event_is_a_warning() {
        let people: Vec<Registrant> = (1..=7)
            .map(|i| Registrant {
                city: Some(if i % 2 == 0 { "南京市" } else { "南京" }.into()),
                ..staff(&i.to_string(), &format!("单位{i}"))
            })
            .collect();
        assert_eq!(
            check(people, &[]),
            vec![
                "名册.csv:8: warning: 设区市: 南京在电子商务运营已有 6 人，每市每赛项只有前 6 名进入决赛，这是第 7 名"
            ]
        );
    }

    #[test]
    fn city_rank_beyond_six_is_a_warning() {
        let seventh = Registrant {
            city_rank: Some(7),
            ..staff("1", "甲单位")
        };
        assert_eq!(
            check(vec![seventh], &[]),
            vec!["名册.csv:2: warning: 市选拔名次: 市选拔第 7 名，每市每赛项只有前 6 名进入决赛"]
        );
    }

    #[test]
    fn name_with_a_character_missing_from_the_fonts_is_a_warning() {
        let rare = Registrant {
            name: "王\u{201D4}".into(),
            ..staff("1", "甲单位")
        };
        let missing = |text: &str| {
            text.chars()
                .filter(|c| u32::from(*c) > 0xFFFF)
                .collect::<Vec<char>>()
        };
        let result = check_batch(&rows(vec![rare]), &[], &missing);
        let lines: Vec<String> = result.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "名册.csv:2: warning: 姓名: “王\u{201D4}”中的“\u{201D4}”（U+201D4）内置字体中没有，打印证书时会被拒绝"
            ]
        );
    }

    fn form() -> UnitForm {
        UnitForm {
            unit: "甲单位".into(),
            event: "DS".into(),
            total_people: Some(4),
            male_people: Some(2),
            female_people: Some(2),
            form_date: Date::new(2023, 9, 10),
            ..UnitForm::default()
        }
    }

    fn check_forms(forms: Vec<UnitForm>) -> Vec<String> {
        let end = Date {
            year: 2023,
            month: 9,
            day: 20,
        };
        let placed: Vec<(Place, UnitForm)> = forms
            .into_iter()
            .enumerate()
            .map(|(i, f)| (place(i + 2), f))
            .collect();
        check_unit_forms(&placed, end)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn head_counts_that_do_not_add_up_are_a_warning() {
        assert_eq!(check_forms(vec![form()]), Vec::<String>::new());
        let off = UnitForm {
            female_people: Some(1),
            ..form()
        };
        assert_eq!(
            check_forms(vec![off]),
            vec!["名册.csv:2: warning: 总人数: 男性人数 2 + 女性人数 1 与总人数 4 不符"]
        );
    }

    #[test]
    fn form_dated_after_the_deadline_is_a_warning() {
        let late = UnitForm {
            form_date: Date::new(2023, 9, 21),
            ..form()
        };
        assert_eq!(
            check_forms(vec![late]),
            vec!["名册.csv:2: warning: 填报日期: 填报日期 2023-09-21 晚于报名截止日期 2023-09-20"]
        );
    }

    #[test]
    fn same_unit_form_twice_is_an_error() {
        assert_eq!(
            check_forms(vec![form(), form()]),
            vec!["名册.csv:3: error: 单位: 同一单位同一赛项的回执重复，首次出现在 名册.csv:2"]
        );
    }
}
