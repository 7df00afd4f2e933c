//! Registration: importing forms and rosters (every file read and checked first, then all of it
//! in one transaction, or nothing), the blank form, and the roster exported for the venue.
//!
//! One file over 600 lines: the import's check, preview and write share the checked batch
//! (`Checked`, `tally`); the roster export and the blank form are the same registration data read
//! back out.

use super::documents::Format;
use super::{Actor, OpsError, Result};
use crate::core::date::Date;
use crate::core::idcard;
use crate::core::model::{Group, PoolKey, PoolState};
use crate::core::problem::{Problem, has_errors};
use crate::core::registration::{self, Place, Registrant, UnitForm};
use crate::io::form;
use crate::io::roster::{self, PoolRef, RosterEntry};
use crate::io::table;
use crate::print::output;
use crate::print::tables::{self, A4_LANDSCAPE, Column, Table};
use crate::store::audit::{self, AuditEntry};
use crate::store::competition::{self, PoolInfo};
use crate::store::people::{self, Contestant, ContestantRecord};
use crate::store::units;
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check and report without writing: the preview.
    pub dry_run: bool,
    /// Contestants admitted over their unit's quota.
    pub quota_overrides: Vec<QuotaOverride>,
}

/// A contestant admitted over their unit's quota, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaOverride {
    pub id_number: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Warnings (errors refuse the import instead).
    pub problems: Vec<Problem>,
    /// What changed for each updated contestant, by name and unit; never an ID number.
    pub changes: Vec<String>,
}

/// One file's unit rows, read.
struct FileForms {
    file: String,
    unit_forms: Vec<(Place, UnitForm)>,
    form_rows: Vec<(Place, &'static str, usize)>,
}

/// A contestant over their unit's quota who has no override yet: the ID number an override
/// names (never shown on a screen; see `masked_id`), who and where, and the error they cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverQuota {
    pub id_number: String,
    pub masked_id: String,
    pub name: String,
    pub unit: String,
    pub pool: String,
    pub problem: Problem,
}

/// What an import would do, errors and all: the preview the window shows before importing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preview {
    /// Counts, warnings and changes as the import would report them.
    pub report: ImportReport,
    /// Every error (the import is refused while there is one), the quota errors included.
    pub errors: Vec<Problem>,
    /// The contestants an override with a reason would admit; their errors are in `errors`.
    pub over_quota: Vec<OverQuota>,
}

impl Preview {
    /// The errors no quota override can resolve.
    pub fn blocking(&self) -> impl Iterator<Item = &Problem> {
        self.errors
            .iter()
            .filter(|p| !self.over_quota.iter().any(|o| &o.problem == *p))
    }
}

/// Every file read and checked against the rules and the stored contestants.
struct Checked {
    files: Vec<FileForms>,
    entries: Vec<RosterEntry>,
    problems: Vec<Problem>,
    over_quota: Vec<OverQuota>,
    stored: Vec<Contestant>,
    refs: Vec<PoolRef>,
}

/// The outcome of an import before it is written: the report, its counts per file (added,
/// updated, unchanged), and the entries to write (by index).
struct Tally {
    report: ImportReport,
    per_file: HashMap<String, [usize; 3]>,
    to_write: Vec<usize>,
}

fn check(conn: &Connection, paths: &[PathBuf], options: &ImportOptions) -> Result<Checked> {
    let info = competition::competition(conn)?;
    let pools = competition::pools(conn)?;
    let refs: Vec<PoolRef> = pools
        .iter()
        .map(|p| PoolRef {
            key: p.key.clone(),
            event_name: p.event_name.clone(),
            pool_id: p.id,
        })
        .collect();
    let today = today();

    let mut problems = Vec::new();
    let mut files = Vec::new();
    let mut entries: Vec<RosterEntry> = Vec::new();
    for path in paths {
        match table::read_tables(path) {
            Ok(tables) => {
                let read = form::read_registration(&tables, &refs, today, info.year, &mut problems);
                let file = tables.first().map(|t| t.file.clone()).unwrap_or_default();
                entries.extend(read.contestants);
                files.push(FileForms {
                    file,
                    unit_forms: read.unit_forms,
                    form_rows: read.form_rows,
                });
            }
            Err(problem) => problems.push(problem),
        }
    }

    let stored = people::contestants(conn)?;
    let stored_by_id: HashMap<&str, &Contestant> = stored
        .iter()
        .map(|c| (c.record.id_number.as_str(), c))
        .collect();
    let ref_by_id: HashMap<i64, &PoolRef> = refs.iter().map(|r| (r.pool_id, r)).collect();
    let stored_registrants: Vec<Registrant> = stored
        .iter()
        .filter_map(|c| {
            ref_by_id
                .get(&c.record.pool_id)
                .map(|pool| roster::registrant(&c.record, pool))
        })
        .collect();

    // An override given now, else one recorded at an earlier import, may admit a contestant over quota.
    let overrides: HashMap<String, String> = options
        .quota_overrides
        .iter()
        .map(|o| (idcard::normalise(&o.id_number), o.reason.trim().to_string()))
        .collect();
    for entry in &mut entries {
        let id = entry.record.id_number.as_str();
        entry.record.quota_override = overrides.get(id).cloned().or_else(|| {
            stored_by_id
                .get(id)
                .and_then(|c| c.record.quota_override.clone())
        });
    }
    let batch: Vec<(Place, Registrant)> = entries
        .iter()
        .map(|e| (e.place.clone(), e.registrant()))
        .collect();
    let missing_glyphs = |text: &str| crate::fonts::missing_glyphs(text, &crate::fonts::Face::ALL);
    let check = registration::check_batch(&batch, &stored_registrants, &missing_glyphs);
    for (index, entry) in entries.iter_mut().enumerate() {
        if !check.overridden.contains(&index) {
            entry.record.quota_override = None;
        }
    }
    let over_quota = check
        .needs_override
        .iter()
        .filter_map(|(index, problem)| {
            entries.get(*index).map(|e| OverQuota {
                id_number: e.record.id_number.clone(),
                masked_id: idcard::mask(&e.record.id_number),
                name: e.record.name.clone(),
                unit: e.record.unit.clone(),
                pool: format!("{}（{}）", e.pool.event_name, e.pool.key.group.label()),
                problem: problem.clone(),
            })
        })
        .collect();
    problems.extend(check.problems);
    for id in overrides
        .keys()
        .filter(|id| !entries.iter().any(|e| &e.record.id_number == *id))
    {
        problems.push(Problem::warning(
            "特批",
            format!("特批的身份证号 {id} 不在导入的文件中，未使用"),
        ));
    }
    let pool_by_id: HashMap<i64, &PoolInfo> = pools.iter().map(|p| (p.id, p)).collect();
    for entry in &entries {
        let old = stored_by_id.get(entry.record.id_number.as_str()).copied();
        problems.extend(pool_change_problem(entry, old, &pool_by_id));
        problems.extend(locked_change_problem(entry, old, &pool_by_id));
    }
    let forms: Vec<(Place, UnitForm)> = files
        .iter()
        .flat_map(|f| f.unit_forms.iter().cloned())
        .collect();
    let form_rows: Vec<&(Place, &str, usize)> = files.iter().flat_map(|f| &f.form_rows).collect();
    problems.extend(
        registration::check_unit_forms(&forms, info.registration_end)
            .into_iter()
            .map(|p| at_field_row(p, &form_rows)),
    );
    Ok(Checked {
        files,
        entries,
        problems,
        over_quota,
        stored,
        refs,
    })
}

/// Counts what an import adds, updates and leaves alone, and describes each update.
fn tally(checked: &Checked, problems: Vec<Problem>) -> Tally {
    let stored_by_id: HashMap<&str, &Contestant> = checked
        .stored
        .iter()
        .map(|c| (c.record.id_number.as_str(), c))
        .collect();
    let ref_by_id: HashMap<i64, &PoolRef> = checked.refs.iter().map(|r| (r.pool_id, r)).collect();
    let mut tally = Tally {
        report: ImportReport {
            problems,
            ..ImportReport::default()
        },
        per_file: HashMap::new(),
        to_write: Vec::new(),
    };
    for (index, entry) in checked.entries.iter().enumerate() {
        let counts = tally.per_file.entry(entry.place.file.clone()).or_default();
        match stored_by_id.get(entry.record.id_number.as_str()) {
            None => {
                tally.report.added += 1;
                counts[0] += 1;
                tally.to_write.push(index);
            }
            Some(old) if same_registration(&old.record, &entry.record) => {
                tally.report.unchanged += 1;
                counts[2] += 1;
            }
            Some(old) => {
                tally.report.updated += 1;
                counts[1] += 1;
                tally
                    .report
                    .changes
                    .push(describe_changes(&old.record, &entry.record, &ref_by_id));
                tally.to_write.push(index);
            }
        }
    }
    tally
}

/// What importing `paths` with `options` would do, without writing anything: counts, changes
/// and warnings, and every error (with the over-quota contestants an override would admit)
/// instead of a refusal.
pub fn preview_registration(
    conn: &Connection,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<Preview> {
    let mut checked = check(conn, paths, options)?;
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) = std::mem::take(&mut checked.problems)
        .into_iter()
        .partition(Problem::is_error);
    let tally = tally(&checked, warnings);
    Ok(Preview {
        report: tally.report,
        errors,
        over_quota: checked.over_quota,
    })
}

/// Imports registration files (the official form, or the flat roster and unit rows; CSV or XLSX),
/// telling form from flat table by content. Any error refuses the
/// whole import with every problem found; otherwise contestants are added or updated (matched
/// by ID number) and the unit rows stored, with one audit row per file.
pub fn import_registration(
    conn: &Connection,
    paths: &[PathBuf],
    actor: &Actor,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let mut checked = check(conn, paths, options)?;
    if has_errors(&checked.problems) {
        return Err(OpsError::Refused(checked.problems));
    }
    let problems = std::mem::take(&mut checked.problems);
    let Tally {
        report,
        per_file,
        to_write,
    } = tally(&checked, problems);
    if options.dry_run {
        return Ok(report);
    }

    let stored_by_id: HashMap<&str, &Contestant> = checked
        .stored
        .iter()
        .map(|c| (c.record.id_number.as_str(), c))
        .collect();
    let tx = crate::store::begin(conn)?;
    let ref_by_id: HashMap<i64, &PoolRef> = checked.refs.iter().map(|r| (r.pool_id, r)).collect();
    for entry in to_write.iter().filter_map(|&i| checked.entries.get(i)) {
        let (contestant_id, _) = people::upsert_contestant(&tx, &entry.record)?;
        let stored = stored_by_id.get(entry.record.id_number.as_str());
        // Every field a re-import changes is an audit row of its own.
        if let Some(old) = stored {
            let pool = entry.pool.key.to_string();
            for change in field_changes(&old.record, &entry.record, &ref_by_id) {
                audit::log(
                    &tx,
                    &AuditEntry {
                        actor: &actor.name,
                        action: "导入更改",
                        pool: Some(&pool),
                        contestant_id: Some(contestant_id),
                        subject: Some(change.label),
                        old_value: Some(&change.before),
                        new_value: Some(&change.after),
                        ..Default::default()
                    },
                )?;
            }
        }
        let stored_override = stored.and_then(|c| c.record.quota_override.as_deref());
        if let Some(reason) = entry
            .record
            .quota_override
            .as_deref()
            .filter(|r| Some(*r) != stored_override)
        {
            let pool = entry.pool.key.to_string();
            let subject = format!("{}（{}）", entry.record.name, entry.record.unit);
            audit::log(
                &tx,
                &AuditEntry {
                    actor: &actor.name,
                    action: "超出名额特批",
                    pool: Some(&pool),
                    contestant_id: Some(contestant_id),
                    subject: Some(&subject),
                    reason: Some(reason),
                    ..Default::default()
                },
            )?;
        }
    }
    for file in &checked.files {
        for (_, form) in &file.unit_forms {
            units::upsert_unit_form(&tx, form, &file.file)?;
        }
        let [added, updated, unchanged] = per_file
            .get(file.file.as_str())
            .copied()
            .unwrap_or_default();
        let summary = format!(
            "新增 {added} 人，更新 {updated} 人，未变 {unchanged} 人；单位回执 {} 份",
            file.unit_forms.len()
        );
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "导入报名表",
                subject: Some(&file.file),
                new_value: Some(&summary),
                ..Default::default()
            },
        )?;
    }
    tx.commit()?;
    Ok(report)
}

/// A problem about a form's field moved to the row the field sits on (the official form spreads
/// its unit fields over several rows; the flat unit table has them on one).
fn at_field_row(mut problem: Problem, form_rows: &[&(Place, &str, usize)]) -> Problem {
    let found = form_rows.iter().find(|(place, field, _)| {
        place.file == problem.file
            && place.sheet == problem.sheet
            && Some(place.row) == problem.row
            && problem.field.as_deref() == Some(*field)
    });
    if let Some((_, _, row)) = found {
        problem.row = Some(*row);
    }
    problem
}

fn today() -> Date {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    Date {
        year: now.year(),
        month: now.month(),
        day: now.day(),
    }
}

/// Equal apart from the file it came from.
fn same_registration(old: &ContestantRecord, new: &ContestantRecord) -> bool {
    ContestantRecord {
        source_file: None,
        ..old.clone()
    } == ContestantRecord {
        source_file: None,
        ..new.clone()
    }
}

/// Past check-in: the draw has been made (or scoring is under way). Who competes changes only
/// through the status changes (缺考, 弃赛, 取消资格) from then on.
pub fn past_check_in(pool: &PoolInfo) -> bool {
    pool.draw_seed.is_some() || pool.state >= PoolState::Scoring
}

/// The refusal for joining or leaving a pool past check-in, naming the pool and its state.
fn closed_pool_text(pool: &PoolInfo, what: &str) -> String {
    format!(
        "{}已抽签（当前状态：{}），不能再{what}；抽签后参赛人员的变化只能通过选手状态（缺考、弃赛、取消资格）办理",
        pool.title(),
        pool.state.label()
    )
}

/// A contestant who has drawn numbers cannot move to another pool, and nobody joins or leaves a
/// pool past check-in.
fn pool_change_problem(
    entry: &RosterEntry,
    old: Option<&Contestant>,
    pools: &HashMap<i64, &PoolInfo>,
) -> Option<Problem> {
    let closed = |pool_id: i64| pools.get(&pool_id).filter(|p| past_check_in(p)).copied();
    match old {
        Some(old) if old.record.pool_id == entry.record.pool_id => None,
        Some(old) if old.checkin_no.is_some() || old.workstation.is_some() => Some(
            entry
                .place
                .error("赛项", "选手已检录抽签，不能更换赛项或组别"),
        ),
        Some(old) => closed(old.record.pool_id)
            .or_else(|| closed(entry.record.pool_id))
            .map(|p| {
                entry
                    .place
                    .error("赛项", closed_pool_text(p, "调入或调出选手"))
            }),
        None => closed(entry.record.pool_id)
            .map(|p| entry.place.error("赛项", closed_pool_text(p, "报名"))),
    }
}

/// A registration of a pool that is locked (or further) stays as it was scored: a re-import that
/// would change it is refused, as editing the contestant is (`admin::edit_contestant`).
fn locked_change_problem(
    entry: &RosterEntry,
    old: Option<&Contestant>,
    pools: &HashMap<i64, &PoolInfo>,
) -> Option<Problem> {
    let old = old?;
    let pool = pools.get(&old.record.pool_id)?;
    if pool.state < PoolState::Locked || same_registration(&old.record, &entry.record) {
        return None;
    }
    let no_refs = HashMap::new();
    let field = field_changes(&old.record, &entry.record, &no_refs)
        .first()
        .map_or("姓名", |c| c.label);
    Some(entry.place.error(
        field,
        format!(
            "{}的{}已{}，报名信息不能再通过导入更改（与编辑选手相同）；请保留原来的填写",
            entry.record.name,
            pool.title(),
            pool.state.label()
        ),
    ))
}

/// One field a re-import changes: its label and the values before and after (a value that
/// identifies or reaches a person, the phone number, is not shown: both read `（已更改）`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// Every field in which `new` differs from `old`, in the form's order.
fn field_changes(
    old: &ContestantRecord,
    new: &ContestantRecord,
    pools: &HashMap<i64, &PoolRef>,
) -> Vec<FieldChange> {
    fn show<T: ToString>(value: &Option<T>) -> String {
        value
            .as_ref()
            .map_or_else(|| "（空）".to_string(), ToString::to_string)
    }
    let pool_title = |id: i64| {
        pools.get(&id).map_or_else(
            || id.to_string(),
            |p| format!("{}（{}）", p.event_name, p.key.group.label()),
        )
    };
    let yes_no = |v: Option<bool>| {
        v.map_or("（空）", |b| if b { "是" } else { "否" })
            .to_string()
    };
    let pairs: [(&'static str, String, String); 19] = [
        ("姓名", old.name.clone(), new.name.clone()),
        (
            "性别",
            old.gender.label().to_string(),
            new.gender.label().to_string(),
        ),
        ("单位", old.unit.clone(), new.unit.clone()),
        ("赛项组别", pool_title(old.pool_id), pool_title(new.pool_id)),
        (
            "身高体重",
            show(&old.height_weight),
            show(&new.height_weight),
        ),
        ("备注", show(&old.remarks), show(&new.remarks)),
        ("指导老师", show(&old.coach), show(&new.coach)),
        ("院系", show(&old.department), show(&new.department)),
        ("设区市", show(&old.city), show(&new.city)),
        ("市选拔名次", show(&old.city_rank), show(&new.city_rank)),
        ("参赛资格", show(&old.basis), show(&new.basis)),
        ("现有等级", show(&old.level), show(&new.level)),
        ("等级取得日期", show(&old.level_date), show(&new.level_date)),
        ("职称", show(&old.title), show(&new.title)),
        ("已获荣誉", show(&old.honours), show(&new.honours)),
        (
            "学生证已核验",
            yes_no(old.student_card_checked),
            yes_no(new.student_card_checked),
        ),
        (
            "身份证已核验",
            yes_no(old.id_card_checked),
            yes_no(new.id_card_checked),
        ),
        (
            "超出名额特批",
            show(&old.quota_override),
            show(&new.quota_override),
        ),
        (
            "联系电话",
            if old.phone == new.phone {
                String::new()
            } else {
                "（原号码）".to_string()
            },
            if old.phone == new.phone {
                String::new()
            } else {
                "（已更改）".to_string()
            },
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(label, before, after)| FieldChange {
            label,
            before,
            after,
        })
        .collect()
}

/// `张三（甲单位）：性别 男→女；联系电话已更改`: values that identify or reach a person are not shown.
fn describe_changes(
    old: &ContestantRecord,
    new: &ContestantRecord,
    pools: &HashMap<i64, &PoolRef>,
) -> String {
    let mut parts: Vec<String> = field_changes(old, new, pools)
        .into_iter()
        .map(|c| {
            if c.label == "联系电话" {
                "联系电话已更改".to_string()
            } else {
                format!("{} {}→{}", c.label, c.before, c.after)
            }
        })
        .collect();
    if parts.is_empty() {
        parts.push("无实质变化".to_string());
    }
    format!("{}（{}）：{}", new.name, new.unit, parts.join("；"))
}

/// The blank registration form workbook: one sheet per event of the competition.
pub fn registration_template(conn: &Connection) -> Result<Vec<u8>> {
    let info = competition::competition(conn)?;
    let spec = form::FormSpec {
        heading: info.name.clone(),
        year: info.year,
        events: competition::events(conn)?
            .into_iter()
            .map(|e| e.name)
            .collect(),
        registration_end: info.registration_end,
    };
    form::template(&spec).map_err(|e| OpsError::Denied(format!("生成报名表模板失败：{e}")))
}

/// The roster of one pool, or of every pool with contestants, for the venue: ID numbers
/// masked (`3201**********1234`) unless `full_id`, which is recorded in the audit log. Check-in
/// and workstation numbers are left out: they are the anonymity key.
pub fn export_roster(
    conn: &Connection,
    actor: &Actor,
    pool: Option<&PoolKey>,
    full_id: bool,
    format: Format,
) -> Result<Vec<u8>> {
    let all = competition::pools(conn)?;
    let contestants = people::contestants(conn)?;
    let selected: Vec<&PoolInfo> = match pool {
        Some(key) => match all.iter().find(|p| &p.key == key) {
            Some(p) => vec![p],
            None => return Err(OpsError::Denied(format!("没有赛项组别 {key}"))),
        },
        None => all
            .iter()
            .filter(|p| contestants.iter().any(|c| c.record.pool_id == p.id))
            .collect(),
    };
    if selected.is_empty() {
        return Err(OpsError::Denied("还没有报名的选手，没有名单可导出".into()));
    }
    let mut tables = Vec::new();
    let mut people_count = 0;
    for pool in &selected {
        let student = pool.key.group == Group::Student;
        let mut members: Vec<&Contestant> = contestants
            .iter()
            .filter(|c| c.record.pool_id == pool.id)
            .collect();
        members.sort_by(|a, b| {
            (&a.record.unit, &a.record.name).cmp(&(&b.record.unit, &b.record.name))
        });
        people_count += members.len();
        let mut columns = vec![
            Column::number("序号"),
            Column::text("单位"),
            Column::text("姓名"),
            Column::centered("性别"),
            Column::text("身份证号"),
            Column::text("设区市"),
        ];
        if student {
            columns.push(Column::text("院系"));
            columns.push(Column::text("指导老师"));
        }
        columns.push(Column::centered("状态"));
        columns.push(Column::text("签到"));
        let rows = members
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let r = &c.record;
                let id = if full_id {
                    r.id_number.clone()
                } else {
                    idcard::mask(&r.id_number)
                };
                let mut row = vec![
                    (i + 1).to_string(),
                    r.unit.clone(),
                    r.name.clone(),
                    r.gender.label().to_string(),
                    id,
                    r.city.clone().unwrap_or_default(),
                ];
                if student {
                    row.push(r.department.clone().unwrap_or_default());
                    row.push(r.coach.clone().unwrap_or_default());
                }
                row.push(c.status.label().to_string());
                row.push(String::new());
                row
            })
            .collect();
        let venue = pool.venue.as_ref().map_or("（未定）", |v| v.name.as_str());
        tables.push(Table {
            title: format!("{}选手名单", pool.title()),
            subtitle: vec![format!("决赛地点：{venue}　共 {} 人", members.len())],
            columns,
            rows,
            closing: vec![if full_id {
                "本名单含完整身份证号，请妥善保管，用后销毁。".to_string()
            } else {
                "身份证号只显示前 4 位和后 4 位，核验时与身份证对照。".to_string()
            }],
            new_part: true,
            sheet: pool.title(),
        });
    }
    let bytes = match format {
        Format::Xlsx => tables::workbook(&tables).map_err(|e| OpsError::Denied(e.to_string()))?,
        Format::Pdf => {
            let doc = tables::document("选手名单", &A4_LANDSCAPE, &tables);
            output::pdf(&doc, &mut |_, _| {}).map_err(|e| OpsError::Denied(e.to_string()))?
        }
    };
    if full_id {
        let pools: Vec<String> = selected.iter().map(|p| p.key.to_string()).collect();
        let pools = pools.join("、");
        let summary = format!("{people_count} 人");
        let tx = crate::store::begin(conn)?;
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "导出含完整身份证号的选手名单",
                pool: pool.map(|_| pools.as_str()),
                subject: Some(&pools),
                new_value: Some(&summary),
                ..Default::default()
            },
        )?;
        tx.commit()?;
    }
    Ok(bytes)
}
