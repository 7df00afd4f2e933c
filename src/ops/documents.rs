//! Printed documents other than certificates: the results publication list (公示) per pool,
//! each judge's score sheet per pool for signature (by workstation number, with a SHA-256
//! fingerprint of the values), and the award rosters for the provincial bureau (技术能手
//! recommendations, skill-level certificates by occupation and level, titles, coaches) as PDF
//! or xlsx. Each returns the file's bytes, built from the page model its `*_document`
//! twin returns (which the window previews); nothing here changes the database.
//! Must not import egui.

use super::{OpsError, Result, results};
use crate::core::awards;
use crate::core::model::{PoolKey, PoolState, SkillLevel, Status, TitleAward};
use crate::core::score::Hundredths;
use crate::print::layout::Document;
use crate::print::output;
use crate::print::tables::{self, A4_LANDSCAPE, A4_PORTRAIT, Column, Table};
use crate::store::competition::{self, PoolInfo};
use crate::store::{people, scores};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The two file formats of rosters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
}

impl Format {
    /// From a file name's extension: `.xlsx` is a workbook, anything else a PDF.
    pub fn of_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            _ => Format::Pdf,
        }
    }
}

fn pools(conn: &Connection, only: Option<&PoolKey>) -> Result<Vec<PoolInfo>> {
    let all = competition::pools(conn)?;
    match only {
        None => Ok(all),
        Some(key) => match all.into_iter().find(|p| &p.key == key) {
            Some(p) => Ok(vec![p]),
            None => Err(OpsError::Denied(format!("没有赛项组别 {key}"))),
        },
    }
}

/// The first page of a document as it would print, and how many pages the whole has.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// The document with its first page only (its shared blocks kept).
    pub document: Document,
    pub pages: usize,
}

impl Preview {
    /// Keeps the first page of `document`.
    pub fn of(mut document: Document) -> Preview {
        let pages = document.pages.len();
        document.pages.truncate(1);
        Preview { document, pages }
    }
}

fn write_pdf(doc: &Document, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>> {
    output::pdf(doc, progress).map_err(|e| OpsError::Denied(e.to_string()))
}

fn fixed(value: Option<Hundredths>) -> String {
    value.map_or_else(|| "—".to_string(), Hundredths::to_fixed2)
}

/// Refuses a document when a pool has not reached `needed` (unless `draft`), naming them all.
fn require_state(pools: &[PoolInfo], needed: PoolState, draft: bool, what: &str) -> Result<()> {
    if draft {
        return Ok(());
    }
    let early: Vec<String> = pools
        .iter()
        .filter(|p| p.state < needed)
        .map(|p| format!("{} {}（{}）", p.key, p.title(), p.state.label()))
        .collect();
    if early.is_empty() {
        Ok(())
    } else {
        Err(OpsError::Denied(format!(
            "{what}须在“{}”之后打印（可先打印样张），以下赛项组别尚未到此阶段：{}",
            needed.label(),
            early.join("、")
        )))
    }
}

fn draft_mark(title: String, draft: bool) -> String {
    if draft {
        format!("{title}（样张）")
    } else {
        title
    }
}

/// The 公示 list of each selected pool (all when `pool` is None): every contestant with scores,
/// rank and prize, ranked ones first. Pools must be complete and decrypted (unless `draft`).
pub fn publication(
    conn: &Connection,
    pool: Option<&PoolKey>,
    draft: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>> {
    write_pdf(&publication_document(conn, pool, draft)?, progress)
}

/// The page model of [`publication`].
pub fn publication_document(
    conn: &Connection,
    pool: Option<&PoolKey>,
    draft: bool,
) -> Result<Document> {
    let selected = pools(conn, pool)?;
    require_state(&selected, PoolState::Decrypted, draft, "成绩公示")?;
    let results = results::compute(conn)?;
    let info = competition::competition(conn)?;
    let mut tables = Vec::new();
    for pool in &selected {
        let Some(outcome) = results.pools.iter().find(|p| p.info.id == pool.id) else {
            continue;
        };
        if !outcome.outcome.complete {
            return Err(OpsError::Denied(format!(
                "{} {} 成绩尚未完整，不能公示",
                pool.key,
                pool.title()
            )));
        }
        let rows = outcome
            .outcome
            .rows
            .iter()
            .filter_map(|row| {
                let person = results.contestant(row.key)?;
                let rank = match row.rank {
                    Some(r) => r.to_string(),
                    None => row.status.label().to_string(),
                };
                Some(vec![
                    rank,
                    person.record.name.clone(),
                    person.record.unit.clone(),
                    fixed(row.theory),
                    fixed(row.practical),
                    fixed(row.total),
                    row.prize.map(|p| p.label().to_string()).unwrap_or_default(),
                ])
            })
            .collect();
        tables.push(Table {
            title: draft_mark(format!("{}（{}）成绩公示", pool.event_name, pool.key.group.label()), draft),
            subtitle: vec![
                info.name.clone(),
                format!(
                    "总成绩 = 理论知识 × {}% + 操作技能 × {}%；参赛 {} 人，一、二、三等奖各 {}、{}、{} 名。",
                    pool.settings.theory_weight,
                    pool.settings.practical_weight(),
                    outcome.outcome.participants,
                    outcome.outcome.quota[0],
                    outcome.outcome.quota[1],
                    outcome.outcome.quota[2]
                ),
            ],
            columns: vec![
                Column::centered("名次"),
                Column::text("姓名"),
                Column::text("单位"),
                Column::number("理论知识"),
                Column::number("操作技能"),
                Column::number("总成绩"),
                Column::centered("奖项"),
            ],
            rows,
            closing: vec![
                "如对成绩有异议，请由参赛队领队于本赛项比赛结束后 2 小时内以书面形式提出，逾期不予受理。".into(),
                format!("{}　　{}", info.issuer, pool.settings.end_date.to_chinese()),
            ],
            new_part: true,
            sheet: pool.key.to_string(),
        });
    }
    Ok(tables::document(
        &draft_mark("成绩公示".into(), draft),
        &A4_PORTRAIT,
        &tables,
    ))
}

/// The canonical text a judge's score sheet fingerprint is the SHA-256 of: a header, the pool,
/// the judge, the criteria codes, then one `workstation,criterion,value` line per value,
/// by workstation and criterion order, values with 2 decimals.
pub fn score_sheet_canonical(
    pool: &PoolKey,
    judge: &str,
    criteria: &[String],
    values: &[(u32, String, Hundredths)],
) -> String {
    let mut text = format!(
        "judgedesk score sheet v1\npool={pool}\njudge={judge}\ncriteria={}\n",
        criteria.join(",")
    );
    let mut sorted: Vec<&(u32, String, Hundredths)> = values.iter().collect();
    sorted.sort_by_key(|(w, code, _)| (*w, criteria.iter().position(|c| c == code)));
    for (workstation, code, value) in sorted {
        text.push_str(&format!("{workstation},{code},{}\n", value.to_fixed2()));
    }
    text
}

/// SHA-256 in lower-case hex, grouped by eight for reading aloud.
fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One score sheet per judge of each selected pool, for the judge's signature: rows by
/// workstation number (no names), the judge's own current values per criterion, and the
/// fingerprint of exactly those values.
pub fn score_sheets(
    conn: &Connection,
    pool: Option<&PoolKey>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>> {
    write_pdf(&score_sheets_document(conn, pool)?, progress)
}

/// The page model of [`score_sheets`].
pub fn score_sheets_document(conn: &Connection, pool: Option<&PoolKey>) -> Result<Document> {
    let selected = pools(conn, pool)?;
    let mut tables = Vec::new();
    for pool in &selected {
        // Locked: the chain head recorded at the lock, to reconcile paper and file later.
        let lock_line = match super::workflow::lock_head(&crate::store::workflow::pool_events(
            conn, pool.id,
        )?) {
            Some(head) => format!("锁定时审计链：第 {} 条，哈希 {}", head.link, head.hash),
            None => "审计链：本赛项组别尚未锁定，锁定后打印的评分表载明锁定时的链头".into(),
        };
        let judges = people::pool_judges(conn, pool.id)?;
        if judges.is_empty() {
            continue;
        }
        let criteria: Vec<_> = competition::criteria(conn, pool.id)?
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        let codes: Vec<String> = criteria.iter().map(|c| c.code.clone()).collect();
        let mut contestants: Vec<(u32, Status)> = people::contestants_in_pool(conn, pool.id)?
            .into_iter()
            .filter_map(|c| Some((c.workstation?, c.status)))
            .collect();
        contestants.sort_unstable();
        let current = scores::current_scores(conn, Some(pool.id))?;
        for (_, judge) in &judges {
            let values: Vec<(u32, String, Hundredths)> = current
                .iter()
                .filter(|s| &s.judge == judge)
                .filter_map(|s| Some((s.workstation?, s.criterion.clone(), s.value)))
                .collect();
            let rows = contestants
                .iter()
                .map(|(workstation, status)| {
                    let mut row = vec![workstation.to_string()];
                    let mut sum = 0i64;
                    for code in &codes {
                        match values
                            .iter()
                            .find(|(w, c, _)| w == workstation && c == code)
                        {
                            Some((_, _, v)) => {
                                sum += v.0;
                                row.push(v.to_fixed2());
                            }
                            None => row.push(String::new()),
                        }
                    }
                    row.push(Hundredths(sum).to_fixed2());
                    row.push(if *status == Status::Normal {
                        String::new()
                    } else {
                        status.label().to_string()
                    });
                    row
                })
                .collect();
            let mut columns = vec![Column::centered("工位号")];
            columns.extend(
                criteria
                    .iter()
                    .map(|c| Column::number(&format!("{}（{}）", c.code, c.max.to_short()))),
            );
            columns.push(Column::number("小计"));
            columns.push(Column::centered("备注"));
            let canonical = score_sheet_canonical(&pool.key, judge, &codes, &values);
            tables.push(Table {
                title: format!("{}（{}）操作技能评分表", pool.event_name, pool.key.group.label()),
                subtitle: vec![
                    format!("赛项组别：{}　　裁判：{judge}　　共 {} 个工位，本表记录该裁判本人录入的当前分值", pool.key, contestants.len()),
                    criteria.iter().map(|c| format!("{} {}", c.code, c.name)).collect::<Vec<_>>().join("；"),
                ],
                columns,
                rows,
                closing: vec![
                    format!("数据指纹（SHA-256）：{}", fingerprint(&canonical)),
                    lock_line.clone(),
                    "裁判签名：____________________　　日期：____________　　　　裁判长签名：____________________".into(),
                ],
                new_part: true,
                sheet: format!("{} {judge}", pool.key),
            });
        }
    }
    if tables.is_empty() {
        return Err(OpsError::Denied(
            "所选赛项组别还没有分配裁判，没有评分表可打印".into(),
        ));
    }
    Ok(tables::document("操作技能评分表", &A4_LANDSCAPE, &tables))
}

fn roster_columns(extra: &[&str]) -> Vec<Column> {
    let mut columns = vec![
        Column::number("序号"),
        Column::text("姓名"),
        Column::centered("性别"),
        Column::text("身份证号"),
        Column::text("单位"),
        Column::text("赛项"),
        Column::centered("组别"),
        Column::number("名次"),
        Column::centered("奖项"),
    ];
    columns.extend(extra.iter().map(|h| Column::text(h)));
    columns
}

fn numbered(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    for (i, row) in rows.iter_mut().enumerate() {
        row.insert(0, (i + 1).to_string());
    }
    rows
}

/// The award rosters of the selected pools for the provincial bureau, as PDF or xlsx.
/// Pools must be final (unless `draft`).
pub fn rosters(
    conn: &Connection,
    pool: Option<&PoolKey>,
    format: Format,
    draft: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>> {
    let (title, tables) = roster_tables(conn, pool, format, draft)?;
    match format {
        Format::Pdf => write_pdf(&tables::document(&title, &A4_LANDSCAPE, &tables), progress),
        Format::Xlsx => tables::workbook(&tables).map_err(|e| OpsError::Denied(e.to_string())),
    }
}

/// The page model of the PDF [`rosters`] (the workbook holds the same tables).
pub fn rosters_document(
    conn: &Connection,
    pool: Option<&PoolKey>,
    draft: bool,
) -> Result<Document> {
    let (title, tables) = roster_tables(conn, pool, Format::Pdf, draft)?;
    Ok(tables::document(&title, &A4_LANDSCAPE, &tables))
}

/// The rosters' title and tables; the PDF splits skill levels by occupation and level.
fn roster_tables(
    conn: &Connection,
    pool: Option<&PoolKey>,
    format: Format,
    draft: bool,
) -> Result<(String, Vec<Table>)> {
    let selected = pools(conn, pool)?;
    require_state(&selected, PoolState::Final, draft, "获奖名册")?;
    let results = results::compute(conn)?;
    let info = competition::competition(conn)?;
    let mut experts = Vec::new();
    let mut levels: Vec<(usize, SkillLevel, String, Vec<String>)> = Vec::new();
    let mut titles = Vec::new();
    let mut coaches = Vec::new();
    for (pool_index, pool) in selected.iter().enumerate() {
        let Some(outcome) = results.pools.iter().find(|p| p.info.id == pool.id) else {
            continue;
        };
        for row in &outcome.outcome.rows {
            let (Some(rank), Some(person)) = (row.rank, results.contestant(row.key)) else {
                continue;
            };
            let r = &person.record;
            let base = vec![
                r.name.clone(),
                r.gender.label().to_string(),
                r.id_number.clone(),
                r.unit.clone(),
                pool.event_name.clone(),
                pool.key.group.label().to_string(),
                rank.to_string(),
                row.prize.map(|p| p.label().to_string()).unwrap_or_default(),
            ];
            if row.technical_expert == Some(true) {
                experts.push(base.clone());
            }
            if let Some(level) = row.skill_level {
                let mut line = base.clone();
                line.push(pool.occupation.clone());
                line.push(level.label().to_string());
                line.push(if row.already_holds_level == Some(true) {
                    "已持有同级或更高等级".into()
                } else {
                    String::new()
                });
                levels.push((pool_index, level, pool.occupation.clone(), line));
            }
            if let Some(title) = row.title {
                let mut line = base.clone();
                line.push(match title {
                    TitleAward::AssociateSenior => "可申报副高级职称".into(),
                    TitleAward::Exceptional => "作为破格晋升上一级职称的条件".into(),
                });
                titles.push(line);
            }
        }
        let ranked: Vec<(i64, Option<u32>)> = outcome
            .outcome
            .rows
            .iter()
            .map(|r| (r.key, r.rank))
            .collect();
        let coach_of = |key: i64| {
            results
                .contestant(key)
                .and_then(|c| c.record.coach.as_deref())
        };
        for entry in awards::coach_entries(pool.key.group, &ranked, coach_of) {
            let Some(student) = results.contestant(entry.contestant) else {
                continue;
            };
            let prize = outcome
                .outcome
                .rows
                .iter()
                .find(|r| r.key == entry.contestant)
                .and_then(|r| r.prize);
            coaches.push(vec![
                entry.name.to_string(),
                String::new(),
                String::new(),
                student.record.unit.clone(),
                pool.event_name.clone(),
                pool.key.group.label().to_string(),
                entry.rank.to_string(),
                prize.map(|p| p.label().to_string()).unwrap_or_default(),
                student.record.name.clone(),
                format!("同职工组第{}名", entry.rank),
            ]);
        }
    }
    // Skill levels by occupation (in event order), then from the highest level down.
    let mut occupations: Vec<String> = Vec::new();
    for (_, _, occupation, _) in &levels {
        if !occupations.contains(occupation) {
            occupations.push(occupation.clone());
        }
    }
    levels.sort_by_key(|(pool_index, level, occupation, _)| {
        (
            occupations.iter().position(|o| o == occupation),
            std::cmp::Reverse(*level),
            *pool_index,
        )
    });

    let heading = |title: &str| draft_mark(title.to_string(), draft);
    let subtitle = vec![format!("{}　　填报单位：{}", info.short_name, info.issuer)];
    let mut out = vec![Table {
        title: heading("省技术能手推荐名单"),
        subtitle: subtitle.clone(),
        columns: roster_columns(&[]),
        rows: numbered(experts),
        closing: Vec::new(),
        new_part: true,
        sheet: "技术能手推荐".into(),
    }];
    let level_columns = roster_columns(&["职业（工种）", "等级", "备注"]);
    match format {
        Format::Xlsx => out.push(Table {
            title: heading("职业技能等级证书名单"),
            subtitle: subtitle.clone(),
            columns: level_columns,
            rows: numbered(levels.into_iter().map(|(_, _, _, line)| line).collect()),
            closing: Vec::new(),
            new_part: false,
            sheet: "职业技能等级".into(),
        }),
        Format::Pdf => {
            // (occupation, level) with its rows.
            type Group = ((String, SkillLevel), Vec<Vec<String>>);
            let mut groups: Vec<Group> = Vec::new();
            for (_, level, occupation, line) in levels {
                match groups.last_mut() {
                    Some((key, rows)) if key.0 == occupation && key.1 == level => rows.push(line),
                    _ => groups.push(((occupation, level), vec![line])),
                }
            }
            if groups.is_empty() {
                groups.push((("—".into(), SkillLevel::Senior), Vec::new()));
            }
            for (i, ((occupation, level), rows)) in groups.into_iter().enumerate() {
                out.push(Table {
                    title: heading(&format!(
                        "职业技能等级证书名单：{occupation} {}（{} 人）",
                        level.label(),
                        rows.len()
                    )),
                    subtitle: if i == 0 { subtitle.clone() } else { Vec::new() },
                    columns: level_columns.clone(),
                    rows: numbered(rows),
                    closing: Vec::new(),
                    new_part: i == 0,
                    sheet: "职业技能等级".into(),
                });
            }
        }
    }
    out.push(Table {
        title: heading("职称评聘名单"),
        subtitle: subtitle.clone(),
        columns: roster_columns(&["职称待遇"]),
        rows: numbered(titles),
        closing: Vec::new(),
        new_part: true,
        sheet: "职称".into(),
    });
    let mut coach_columns = roster_columns(&["学生姓名", "待遇"]);
    coach_columns[1] = Column::text("指导教师");
    coach_columns[7] = Column::number("学生名次");
    out.push(Table {
        title: heading("优秀指导教师名单"),
        subtitle,
        columns: coach_columns,
        rows: numbered(coaches),
        closing: vec!["学生组第 1—3 名选手的指导教师享受职工组相应名次选手的待遇；指导两名获奖学生的教师列两次。".into()],
        new_part: true,
        sheet: "指导教师".into(),
    });
    Ok((heading(&format!("{} 获奖名册", info.short_name)), out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Group;

    #[test]
    fn score_sheet_fingerprint_ignores_input_order() {
        let key = PoolKey::new("DS", Group::Staff);
        let criteria = vec!["DS01".to_string(), "DS02".to_string()];
        let a = vec![
            (2, "DS02".to_string(), Hundredths(950)),
            (1, "DS01".to_string(), Hundredths(800)),
            (1, "DS02".to_string(), Hundredths(1000)),
        ];
        let mut b = a.clone();
        b.reverse();
        let text = score_sheet_canonical(&key, "裁判一", &criteria, &a);
        assert_eq!(text, score_sheet_canonical(&key, "裁判一", &criteria, &b));
        assert_eq!(
            text,
            "judgedesk score sheet v1\npool=DS-ZG\njudge=裁判一\ncriteria=DS01,DS02\n1,DS01,8.00\n1,DS02,10.00\n2,DS02,9.50\n"
        );
        assert_eq!(
            fingerprint("").replace(' ', ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
