//! The results file formats of `interchange.md`: JSON (the contract) and CSV.

use crate::core::awards;
use crate::core::score::Hundredths;
use crate::io::table::spreadsheet_safe;
use crate::ops::results::{PoolResults, Results};
use serde::Serialize;

#[derive(Serialize)]
struct ResultsFile<'a> {
    pools: Vec<PoolJson<'a>>,
}

#[derive(Serialize)]
struct PoolJson<'a> {
    pool: String,
    event: &'a str,
    group: &'static str,
    complete: bool,
    participants: u32,
    quota: [u32; 3],
    contestants: Vec<ContestantJson<'a>>,
    coaches: Vec<CoachJson<'a>>,
}

#[derive(Serialize)]
struct ContestantJson<'a> {
    id_number: &'a str,
    name: &'a str,
    unit: &'a str,
    status: &'static str,
    theory: Option<String>,
    practical: Option<String>,
    total: Option<String>,
    rank: Option<u32>,
    prize: Option<&'static str>,
    double_qualified: Option<bool>,
    technical_expert: Option<bool>,
    skill_level: Option<&'static str>,
    already_holds_level: Option<bool>,
    title: Option<&'static str>,
    tie_break: Option<&'static str>,
    /// Extension: the workstation number once drawn.
    workstation: Option<u32>,
    /// Extension: city-selection mode only, whether the contestant advances.
    advances: Option<bool>,
}

#[derive(Serialize)]
struct CoachJson<'a> {
    name: &'a str,
    contestant_id_number: &'a str,
    rank: u32,
}

fn fixed(value: Option<Hundredths>) -> Option<String> {
    value.map(Hundredths::to_fixed2)
}

fn pool_json<'a>(results: &'a Results, pool: &'a PoolResults) -> PoolJson<'a> {
    let mut contestants = Vec::with_capacity(pool.outcome.rows.len());
    let mut coaches = Vec::new();
    for row in &pool.outcome.rows {
        let Some(person) = results.contestant(row.key) else {
            continue;
        };
        let record = &person.record;
        contestants.push(ContestantJson {
            id_number: &record.id_number,
            name: &record.name,
            unit: &record.unit,
            status: row.status.label(),
            theory: fixed(row.theory),
            practical: fixed(row.practical),
            total: fixed(row.total),
            rank: row.rank,
            prize: row.prize.map(|p| p.label()),
            double_qualified: row.double_qualified,
            technical_expert: row.technical_expert,
            skill_level: row.skill_level.map(|l| l.label()),
            already_holds_level: row.already_holds_level,
            title: row.title.map(|t| t.label()),
            tie_break: row.tie_break.map(|t| t.code()),
            workstation: person.workstation,
            advances: row.advances,
        });
    }
    let ranked: Vec<(i64, Option<u32>)> =
        pool.outcome.rows.iter().map(|r| (r.key, r.rank)).collect();
    let coach_of = |key: i64| {
        results
            .contestant(key)
            .and_then(|c| c.record.coach.as_deref())
    };
    for entry in awards::coach_entries(pool.info.key.group, &ranked, coach_of) {
        if let Some(person) = results.contestant(entry.contestant) {
            coaches.push(CoachJson {
                name: entry.name,
                contestant_id_number: &person.record.id_number,
                rank: entry.rank,
            });
        }
    }
    PoolJson {
        pool: pool.info.key.to_string(),
        event: &pool.info.event_name,
        group: pool.info.key.group.label(),
        complete: pool.outcome.complete,
        participants: pool.outcome.participants,
        quota: pool.outcome.quota,
        contestants,
        coaches,
    }
}

/// The results JSON of the selected pools (all when `only` is None), pretty-printed.
pub fn to_json(results: &Results, only: Option<&str>) -> serde_json::Result<String> {
    let pools = results
        .pools
        .iter()
        .filter(|p| only.is_none_or(|name| p.info.key.to_string().eq_ignore_ascii_case(name)))
        .map(|p| pool_json(results, p))
        .collect();
    serde_json::to_string_pretty(&ResultsFile { pools })
}

pub const CSV_HEADERS: [&str; 19] = [
    "赛项",
    "组别",
    "身份证号",
    "姓名",
    "单位",
    "状态",
    "工位号",
    "理论成绩",
    "操作技能成绩",
    "总成绩",
    "名次",
    "奖项",
    "双合格",
    "技术能手",
    "技能等级",
    "已持有该等级",
    "职称",
    "并列区分",
    "晋级",
];

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "是",
        Some(false) => "否",
        None => "",
    }
}

/// The results as CSV (UTF-8 with BOM, so that Excel opens it correctly).
pub fn to_csv(results: &Results, only: Option<&str>) -> csv::Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(CSV_HEADERS)?;
        for pool in results
            .pools
            .iter()
            .filter(|p| only.is_none_or(|name| p.info.key.to_string().eq_ignore_ascii_case(name)))
        {
            for row in &pool.outcome.rows {
                let Some(person) = results.contestant(row.key) else {
                    continue;
                };
                let text = |v: Option<Hundredths>| v.map(Hundredths::to_fixed2).unwrap_or_default();
                writer.write_record([
                    pool.info.event_name.as_str(),
                    pool.info.key.group.label(),
                    &person.record.id_number,
                    &spreadsheet_safe(&person.record.name),
                    &spreadsheet_safe(&person.record.unit),
                    row.status.label(),
                    &person
                        .workstation
                        .map(|w| w.to_string())
                        .unwrap_or_default(),
                    &text(row.theory),
                    &text(row.practical),
                    &text(row.total),
                    &row.rank.map(|r| r.to_string()).unwrap_or_default(),
                    row.prize.map(|p| p.label()).unwrap_or(""),
                    yes_no(row.double_qualified),
                    yes_no(row.technical_expert),
                    row.skill_level.map(|l| l.label()).unwrap_or(""),
                    yes_no(row.already_holds_level),
                    row.title.map(|t| t.label()).unwrap_or(""),
                    row.tie_break.map(|t| t.label()).unwrap_or(""),
                    yes_no(row.advances),
                ])?;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}
