//! Realistic demo data: units from Jiangsu's 13 cities, about 25 contestants a pool, judges,
//! theory and practical scores (mostly complete), a few absentees, one pool left incomplete,
//! names with rare characters. Deterministic: the same seed gives the same competition.

use super::Result;
use super::accounts::hash_pin;
use super::scoring::new_uid;
use crate::core::date::Date;
use crate::core::model::{
    Basis, Gender, Group, PoolState, Role, SkillLevel, Status, Title, TitleLevel,
};
use crate::core::score::Hundredths;
use crate::store::people::{self, ContestantRecord};
use crate::store::scores::{self, NewScore};
use crate::store::{audit, competition, now_text};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

/// The PIN of every demo account (documented in the README).
pub const DEMO_PIN: &str = "123456";
/// The demo pool left deliberately incomplete.
pub const INCOMPLETE_POOL: &str = "QM-XS";

const CITIES: [(&str, &str); 13] = [
    ("南京市", "320102"),
    ("无锡市", "320213"),
    ("徐州市", "320303"),
    ("常州市", "320411"),
    ("苏州市", "320505"),
    ("南通市", "320602"),
    ("连云港市", "320706"),
    ("淮安市", "320803"),
    ("盐城市", "320902"),
    ("扬州市", "321002"),
    ("镇江市", "321102"),
    ("泰州市", "321202"),
    ("宿迁市", "321302"),
];

const COMPANY_WORDS: [&str; 13] = [
    "云帆",
    "锦程",
    "苏美达",
    "星河",
    "汇通",
    "海润",
    "连海",
    "运河",
    "鹤鸣",
    "广陵",
    "金山",
    "凤城",
    "骆马湖",
];
const COMPANY_KINDS: [&str; 4] = [
    "电子商务有限公司",
    "网络科技有限公司",
    "跨境贸易有限公司",
    "文化传媒有限公司",
];
const SCHOOLS: [&str; 13] = [
    "南京工业职业技术大学",
    "无锡商业职业技术学院",
    "徐州工业职业技术学院",
    "常州信息职业技术学院",
    "苏州经贸职业技术学院",
    "南通科技职业学院",
    "连云港职业技术学院",
    "江苏财经职业技术学院",
    "盐城工业职业技术学院",
    "扬州市职业大学",
    "镇江市高等专科学校",
    "泰州职业技术学院",
    "宿迁职业技术学院",
];
const DEPARTMENTS: [&str; 3] = ["电子商务学院", "经济管理学院", "数字传媒学院"];
const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "文", "华", "晨", "雨萱", "子涵", "浩然", "欣怡",
    "宇轩", "思远", "梓萱", "嘉怡", "一诺", "俊杰", "佳琪", "晓东", "海燕", "志强", "婷婷",
];
/// Given names with characters that strain fonts: 堃 喆 犇 淼 燚 䶮 𠇔.
const RARE_GIVEN: [&str; 7] = ["堃", "喆", "犇", "淼", "燚", "䶮", "𠇔"];
const COACHES: [&str; 6] = ["沈建国", "陆文静", "顾晓明", "钱海燕", "蒋立新", "许春梅"];

/// What was created, for the command's message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub contestants: usize,
    pub accounts: usize,
    pub score_entries: usize,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} 名选手，{} 个账号，{} 条评分（演示账号 PIN 均为 {DEMO_PIN}）",
            self.contestants, self.accounts, self.score_entries
        )
    }
}

/// A valid resident ID number for a birth date, area and gender, with a serial.
pub fn demo_id_number(area: &str, birth: Date, male: bool, serial: u32) -> String {
    let sequence = (serial % 500) * 2 + u32::from(male);
    let first17 = format!(
        "{area}{:04}{:02}{:02}{:03}",
        birth.year,
        birth.month,
        birth.day,
        sequence % 1000
    );
    let check = crate::core::idcard::check_digit(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn person_name(rng: &mut ChaCha8Rng, rare: bool) -> String {
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let given = if rare {
        let rare_char = RARE_GIVEN[rng.random_range(0..RARE_GIVEN.len())];
        format!("{}{rare_char}", GIVEN[rng.random_range(0..24)])
    } else {
        GIVEN[rng.random_range(0..GIVEN.len())].to_string()
    };
    format!("{surname}{given}")
}

fn round_to_step(value: i64, step: i64, max: i64) -> Hundredths {
    let stepped = (value / step) * step;
    Hundredths(stepped.clamp(0, max))
}

/// Fills an initialised database with the demo competition.
pub fn populate(conn: &Connection) -> Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(2023);
    let mut summary = DemoSummary::default();
    let tx = crate::store::begin(conn)?;
    let pin_hash = hash_pin(DEMO_PIN)?;
    let pools = competition::pools(&tx)?;

    people::add_account(&tx, "赛务管理员", Role::Coordinator, &pin_hash, &[])?;
    people::add_account(&tx, "监督员", Role::Supervisor, &pin_hash, &[])?;
    summary.accounts += 2;

    let mut serial = 0u32;
    let mut rare_left = RARE_GIVEN.len() * 2;
    for (pool_index, pool) in pools.iter().enumerate() {
        let judge_count = if pool_index % 3 == 2 { 3 } else { 5 };
        let chief = format!("{}裁判长", pool.key);
        people::add_account(&tx, &chief, Role::Chief, &pin_hash, &[pool.id])?;
        let mut judges = Vec::new();
        for j in 1..=judge_count {
            let name = format!("{}裁判{j}", pool.key);
            judges.push(people::add_account(
                &tx,
                &name,
                Role::Judge,
                &pin_hash,
                &[pool.id],
            )?);
        }
        summary.accounts += 1 + judge_count;

        // About 25 contestants, two per unit, from units across the 13 cities.
        let size = 23 + (pool_index % 4);
        let mut contestant_ids = Vec::new();
        for n in 0..size {
            let city_index = (n / 2 + pool_index) % CITIES.len();
            let (city, area) = CITIES[city_index];
            let unit = match pool.key.group {
                Group::Staff => format!(
                    "{}{}{}",
                    city.trim_end_matches('市'),
                    COMPANY_WORDS[city_index],
                    COMPANY_KINDS[(city_index + pool_index) % COMPANY_KINDS.len()]
                ),
                Group::Student => SCHOOLS[city_index].to_string(),
            };
            let male = rng.random_bool(0.5);
            let year = match pool.key.group {
                Group::Staff => rng.random_range(1978..=1999),
                Group::Student => rng.random_range(2002..=2005),
            };
            let birth = Date::new(year, rng.random_range(1..=12), rng.random_range(1..=28))
                .unwrap_or(Date {
                    year,
                    month: 1,
                    day: 1,
                });
            serial += 1;
            let rare = rare_left > 0 && n % 9 == 4;
            if rare {
                rare_left -= 1;
            }
            let (basis, level, level_date, title) = match pool.key.group {
                Group::Staff => match n % 4 {
                    0 => (
                        Some(Basis::A),
                        Some(SkillLevel::Technician),
                        Date::new(2021 + (n % 3) as i32, 6, 30),
                        None,
                    ),
                    1 => (
                        Some(Basis::B),
                        None,
                        None,
                        Some(Title {
                            level: TitleLevel::Intermediate,
                            name: Some("经济师".into()),
                        }),
                    ),
                    2 => (
                        Some(Basis::A),
                        Some(SkillLevel::Senior),
                        Date::new(2019, 12, 1),
                        None,
                    ),
                    _ => (
                        Some(Basis::D),
                        Some(SkillLevel::Intermediate),
                        Date::new(2020, 5, 20),
                        None,
                    ),
                },
                Group::Student => (None, None, None, None),
            };
            let student = pool.key.group == Group::Student;
            let record = ContestantRecord {
                id_number: demo_id_number(area, birth, male, serial),
                name: person_name(&mut rng, rare),
                gender: if male { Gender::Male } else { Gender::Female },
                phone: Some(format!(
                    "13{}{:08}",
                    rng.random_range(0..10),
                    rng.random_range(0..100_000_000u32)
                )),
                unit,
                pool_id: pool.id,
                height_weight: Some(format!(
                    "{}/{}",
                    rng.random_range(155..190),
                    rng.random_range(45..90)
                )),
                remarks: None,
                coach: student.then(|| COACHES[(n / 2) % COACHES.len()].to_string()),
                department: student.then(|| DEPARTMENTS[n % 2 + (n / 8) % 2].to_string()),
                city: Some(city.to_string()),
                city_rank: Some((n % 6) as u32 + 1),
                basis,
                level,
                level_date,
                title,
                honours: None,
                student_card_checked: student.then_some(true),
                id_card_checked: student.then_some(true),
                quota_override: None,
                source_file: Some("演示数据".into()),
            };
            let (id, _) = people::upsert_contestant(&tx, &record)?;
            contestant_ids.push(id);
        }
        summary.contestants += contestant_ids.len();

        // Check-in: one or two absentees a pool, one withdrawal in the second pool.
        let absent = 1 + pool_index % 2;
        for &id in contestant_ids.iter().rev().take(absent) {
            people::set_status(&tx, id, Status::Absent)?;
        }
        if pool_index == 1 {
            people::set_status(&tx, contestant_ids[3], Status::Withdrawn)?;
        }
        // The draw: check-in numbers, then workstation numbers.
        let mut present: Vec<i64> = contestant_ids[..contestant_ids.len() - absent].to_vec();
        present.shuffle(&mut rng);
        let mut stations: Vec<u32> = (1..=present.len() as u32).collect();
        stations.shuffle(&mut rng);
        for (n, id) in present.iter().enumerate() {
            people::set_draw_numbers(&tx, *id, Some(n as u32 + 1), Some(stations[n]))?;
        }

        // Scores: each contestant has an ability; judges vary around it.
        let criteria = competition::criteria(&tx, pool.id)?;
        let incomplete = pool.key.to_string() == INCOMPLETE_POOL;
        let now = now_text();
        for (n, &id) in present.iter().enumerate() {
            let ability: f64 = rng.random_range(0.50..0.97);
            let theory = (rng.random_range(0.0..1.0f64) * 45.0 + 50.0) * 100.0;
            if !(incomplete && n % 7 == 0) {
                scores::append_theory(
                    &tx,
                    id,
                    Some(Hundredths((theory as i64 / 50) * 50)),
                    "演示数据",
                    "demo",
                )?;
            }
            for (k, (criterion_id, criterion)) in criteria.iter().enumerate() {
                let base = (criterion.max.0 as f64 * ability) as i64;
                let panel: Vec<i64> = match criterion.kind {
                    crate::core::model::Kind::Judgement => judges.clone(),
                    crate::core::model::Kind::Measurement => judges[..2].to_vec(),
                };
                for (j, &judge) in panel.iter().enumerate() {
                    if incomplete && n % 5 == 1 && j == panel.len() - 1 && k % 2 == 0 {
                        continue;
                    }
                    let value = match criterion.kind {
                        crate::core::model::Kind::Judgement => {
                            let spread = criterion.max.0 / 12;
                            round_to_step(
                                base + rng.random_range(-spread..=spread),
                                criterion.step.0,
                                criterion.max.0,
                            )
                        }
                        crate::core::model::Kind::Measurement => {
                            round_to_step(base, criterion.step.0, criterion.max.0)
                        }
                    };
                    let uid = new_uid();
                    scores::append(
                        &tx,
                        &NewScore {
                            uid: &uid,
                            contestant_id: id,
                            criterion_id: *criterion_id,
                            judge_id: judge,
                            value: Some(value),
                            entered_at: &now,
                            entered_by: "演示数据",
                            device: "demo",
                            source: "demo",
                        },
                    )?;
                    summary.score_entries += 1;
                }
            }
        }
        competition::set_draw_seed(&tx, pool.id, Some("demo-2023"))?;
        competition::set_pool_state(&tx, pool.id, PoolState::Scoring)?;
    }
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: "系统",
            action: "生成演示数据",
            new_value: Some(&summary.to_string()),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(summary)
}

/// The size of a generated competition for benchmarks.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub contestants_per_pool: usize,
    pub judges_per_pool: usize,
    pub criteria_per_pool: usize,
}

/// The benchmarks' database: 8 pools × 250 contestants, 5 judges, 20 criteria.
pub const BENCH_SCALE: Scale = Scale {
    contestants_per_pool: 250,
    judges_per_pool: 5,
    criteria_per_pool: 20,
};

/// Creates a database file holding the built-in competition filled to `scale`, with a draw
/// recorded in every pool (so judges' grids open) and the log checkpointed into the file.
pub fn create_scale_database(path: &std::path::Path, scale: Scale) -> Result<DemoSummary> {
    let conn = crate::store::open(path)?;
    super::setup::init(&conn)?;
    let summary = populate_scale(&conn, scale)?;
    let tx = crate::store::begin(&conn)?;
    for pool in competition::pools(&tx)? {
        competition::set_draw_seed(&tx, pool.id, Some("bench"))?;
    }
    tx.commit()?;
    crate::store::checkpoint(&conn)?;
    Ok(summary)
}

/// Fills an initialised database with a large, complete competition: every pool gets
/// `criteria_per_pool` judgement criteria (maxima summing to 100), its judges, contestants,
/// theory scores and every practical score. Fast: account PINs share one hash.
pub fn populate_scale(conn: &Connection, scale: Scale) -> Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut summary = DemoSummary::default();
    let tx = crate::store::begin(conn)?;
    let pin_hash = hash_pin(DEMO_PIN)?;
    let pools = competition::pools(&tx)?;
    let n = scale.criteria_per_pool.max(2);
    let mut serial = 0u32;
    for pool in &pools {
        // Maxima in hundredths summing to exactly 100 points.
        let base = 10_000 / n as i64 / 50 * 50;
        let criteria: Vec<crate::core::model::Criterion> = (0..n)
            .map(|k| crate::core::model::Criterion {
                code: format!("{}{:02}", pool.key.event, k + 1),
                name: format!("评分项{}", k + 1),
                max: Hundredths(if k == 0 {
                    10_000 - base * (n as i64 - 1)
                } else {
                    base
                }),
                step: Hundredths(50),
                stage: if k % 2 == 0 {
                    crate::core::model::Stage::Process
                } else {
                    crate::core::model::Stage::Result
                },
                dimension: if k % 5 == 4 {
                    crate::core::model::Dimension::Professionalism
                } else {
                    crate::core::model::Dimension::Ability
                },
                kind: crate::core::model::Kind::Judgement,
            })
            .collect();
        competition::replace_criteria(&tx, pool.id, &criteria)?;
        let criterion_ids: Vec<(i64, crate::core::model::Criterion)> =
            competition::criteria(&tx, pool.id)?;
        let mut judges = Vec::new();
        for j in 1..=scale.judges_per_pool {
            judges.push(people::add_account(
                &tx,
                &format!("{}评委{j}", pool.key),
                Role::Judge,
                &pin_hash,
                &[pool.id],
            )?);
        }
        summary.accounts += judges.len();
        let now = now_text();
        for c in 0..scale.contestants_per_pool {
            serial += 1;
            let (_, area) = CITIES[c % CITIES.len()];
            // A distinct birth date per person keeps every generated ID number unique.
            let birth = Date {
                year: 1970,
                month: 1,
                day: 1,
            }
            .add_days(3650 + i64::from(serial) * 3);
            let male = c % 2 == 0;
            let record = ContestantRecord {
                id_number: demo_id_number(area, birth, male, serial),
                name: person_name(&mut rng, false),
                gender: if male { Gender::Male } else { Gender::Female },
                phone: None,
                unit: format!("单位{}", c / 2),
                pool_id: pool.id,
                height_weight: None,
                remarks: None,
                coach: None,
                department: None,
                city: None,
                city_rank: None,
                basis: Some(Basis::A),
                level: Some(SkillLevel::Intermediate),
                level_date: None,
                title: None,
                honours: None,
                student_card_checked: None,
                id_card_checked: None,
                quota_override: None,
                source_file: None,
            };
            let (id, _) = people::upsert_contestant(&tx, &record)?;
            people::set_draw_numbers(&tx, id, Some(c as u32 + 1), Some(c as u32 + 1))?;
            scores::append_theory(
                &tx,
                id,
                Some(Hundredths(rng.random_range(4000..10_000))),
                "基准数据",
                "bench",
            )?;
            for (criterion_id, criterion) in &criterion_ids {
                for &judge in &judges {
                    let value = round_to_step(
                        rng.random_range(0..=criterion.max.0),
                        criterion.step.0,
                        criterion.max.0,
                    );
                    let uid = new_uid();
                    scores::append(
                        &tx,
                        &NewScore {
                            uid: &uid,
                            contestant_id: id,
                            criterion_id: *criterion_id,
                            judge_id: judge,
                            value: Some(value),
                            entered_at: &now,
                            entered_by: "基准数据",
                            device: "bench",
                            source: "bench",
                        },
                    )?;
                    summary.score_entries += 1;
                }
            }
            summary.contestants += 1;
        }
    }
    tx.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_data_keeps_every_contestant_in_its_pool() -> Result<()> {
        let conn = crate::store::open_in_memory()?;
        super::super::setup::init(&conn)?;
        let scale = Scale {
            contestants_per_pool: 260,
            judges_per_pool: 1,
            criteria_per_pool: 2,
        };
        let summary = populate_scale(&conn, scale)?;
        assert_eq!(summary.contestants, 2080);
        let results = super::super::results::compute(&conn)?;
        for pool in &results.pools {
            assert_eq!(pool.sheet.contestants.len(), 260, "{}", pool.info.key);
            assert!(pool.outcome.complete);
        }
        Ok(())
    }

    #[test]
    fn demo_id_numbers_are_unique_and_valid() -> Result<()> {
        let conn = crate::store::open_in_memory()?;
        super::super::setup::init(&conn)?;
        let summary = populate(&conn)?;
        let people = crate::store::people::contestants(&conn)?;
        assert_eq!(people.len(), summary.contestants);
        let today = Date {
            year: 2023,
            month: 11,
            day: 15,
        };
        for person in &people {
            let check = crate::core::idcard::check(
                &person.record.id_number,
                false,
                Some(person.record.gender),
                today,
            );
            assert!(check.problems.is_empty(), "{:?}", check.problems);
        }
        Ok(())
    }
}
