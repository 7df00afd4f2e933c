//! Check-in (检录) and the two-stage draw (§3): the coordinator marks each contestant 正常
//! or 缺考, then draws check-in and workstation numbers from a fresh 32-byte random seed that
//! is recorded, so the draw can be redone and audited (`verify_draw`). The mapping sheets for
//! the sealed envelopes are written next to the database. Must not import egui.

use super::scoring::pool_or_denied;
use super::{Actor, OpsError, Result};
use crate::core::draw::{self, Entrant, SEED_LEN};
use crate::core::model::{PoolKey, PoolState, Role, Status};
use crate::store::audit::{self, AuditEntry};
use crate::store::competition::{self, PoolInfo};
use crate::store::people::{self, Contestant};
use crate::store::workflow as flow;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn ensure_coordinator(actor: &Actor) -> Result<()> {
    if actor.role != Role::Coordinator {
        return Err(OpsError::Denied("只有赛务可以办理检录和抽签".into()));
    }
    Ok(())
}

/// Has this pool's draw been made? (A seed is recorded.)
pub fn is_drawn(pool: &PoolInfo) -> bool {
    pool.draw_seed.is_some()
}

/// Marks one contestant 正常 or 缺考 at check-in; only before the draw.
pub fn check_in(
    conn: &Connection,
    actor: &Actor,
    contestant_id: i64,
    status: Status,
) -> Result<()> {
    ensure_coordinator(actor)?;
    if !matches!(status, Status::Normal | Status::Absent) {
        return Err(OpsError::Denied("检录只能标记为正常或缺考".into()));
    }
    let tx = crate::store::begin(conn)?;
    let contestant = flow::contestant(&tx, contestant_id)?
        .ok_or_else(|| OpsError::Denied("没有该选手".into()))?;
    let pool = competition::pool_by_id(&tx, contestant.record.pool_id)?
        .ok_or_else(|| OpsError::Denied("选手所在的赛项组别不存在".into()))?;
    if is_drawn(&pool) {
        return Err(OpsError::Denied(format!(
            "{} 已抽签，不能再更改检录结果",
            pool.title()
        )));
    }
    if contestant.status != status {
        people::set_status(&tx, contestant.id, status)?;
        let pool_name = pool.key.to_string();
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "检录",
                pool: Some(&pool_name),
                contestant_id: Some(contestant.id),
                subject: Some(&contestant.record.name),
                old_value: Some(contestant.status.label()),
                new_value: Some(status.label()),
                reason: None,
            },
        )?;
    }
    if pool.state == PoolState::Registration {
        competition::set_pool_state(&tx, pool.id, PoolState::CheckIn)?;
        flow::add_pool_event(&tx, pool.id, PoolState::CheckIn, &actor.name, None)?;
    }
    tx.commit()?;
    Ok(())
}

/// A fresh seed from the operating system's generator.
pub fn fresh_seed() -> [u8; SEED_LEN] {
    rand::random()
}

/// Runs the draw of a pool with a fresh random seed (see [`run_draw`]).
pub fn run_fresh_draw(conn: &Connection, actor: &Actor, pool_key: &PoolKey) -> Result<usize> {
    run_draw(conn, actor, pool_key, &fresh_seed())
}

/// May the draw be run (or run again)? Until the pool is locked and while nothing is scored.
pub fn draw_allowed(state: PoolState, scored: bool) -> bool {
    state < PoolState::Locked && !scored
}

/// Draws check-in and workstation numbers for every 正常 contestant of a pool from `seed`,
/// records the seed, and opens scoring. Refused once anything is scored in the pool.
pub fn run_draw(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    seed: &[u8; SEED_LEN],
) -> Result<usize> {
    ensure_coordinator(actor)?;
    let tx = crate::store::begin(conn)?;
    let pool = pool_or_denied(&tx, pool_key)?;
    if !draw_allowed(
        pool.state,
        competition::score_entry_count(&tx, pool.id)? > 0,
    ) {
        return Err(OpsError::Denied(format!(
            "{} 已有评分，不能重新抽签",
            pool.title()
        )));
    }
    let contestants = people::contestants_in_pool(&tx, pool.id)?;
    let entrants: Vec<Entrant> = contestants
        .iter()
        .filter(|c| c.status == Status::Normal)
        .map(|c| Entrant {
            key: c.id,
            sort_key: c.record.id_number.clone(),
        })
        .collect();
    if entrants.is_empty() {
        return Err(OpsError::Denied(format!(
            "{} 没有检录正常的选手",
            pool.title()
        )));
    }
    for c in &contestants {
        people::set_draw_numbers(&tx, c.id, None, None)?;
    }
    let drawn = draw::draw(seed, &entrants);
    for d in &drawn {
        people::set_draw_numbers(&tx, d.key, Some(d.checkin_no), Some(d.workstation))?;
    }
    let hex = draw::seed_to_hex(seed);
    competition::set_draw_seed(&tx, pool.id, Some(&hex))?;
    if pool.state < PoolState::Scoring {
        competition::set_pool_state(&tx, pool.id, PoolState::Scoring)?;
        flow::add_pool_event(
            &tx,
            pool.id,
            PoolState::Scoring,
            &actor.name,
            Some("抽签完成"),
        )?;
    }
    let pool_name = pool.key.to_string();
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "抽签",
            pool: Some(&pool_name),
            subject: Some(&format!("{} 人", drawn.len())),
            old_value: pool.draw_seed.as_deref(),
            new_value: Some(&hex),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(drawn.len())
}

/// Redoes the recorded draw and says whether every stored number matches it.
/// `None` when the pool has no recorded hexadecimal seed (e.g. demo data).
pub fn verify_draw(conn: &Connection, pool_key: &PoolKey) -> Result<Option<bool>> {
    let pool = pool_or_denied(conn, pool_key)?;
    let Some(seed) = pool.draw_seed.as_deref().and_then(draw::seed_from_hex) else {
        return Ok(None);
    };
    let contestants = people::contestants_in_pool(conn, pool.id)?;
    let entrants: Vec<Entrant> = contestants
        .iter()
        .filter(|c| c.checkin_no.is_some())
        .map(|c| Entrant {
            key: c.id,
            sort_key: c.record.id_number.clone(),
        })
        .collect();
    let drawn = draw::draw(&seed, &entrants);
    Ok(Some(drawn.iter().all(|d| {
        contestants.iter().any(|c| {
            c.id == d.key
                && c.checkin_no == Some(d.checkin_no)
                && c.workstation == Some(d.workstation)
        })
    })))
}

/// `3201**********1234`: the first four and the last four characters (`core::idcard::mask`).
pub fn mask_id_number(id: &str) -> String {
    crate::core::idcard::mask(id)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The two mapping sheets as CSV text (UTF-8 with BOM, for spreadsheets): sheet 1 maps each
/// contestant to a check-in number (一次加密), sheet 2 check-in numbers to workstations (二次加密).
pub fn mapping_sheets(pool: &PoolInfo, contestants: &[Contestant]) -> MappingSheets {
    let mut drawn: Vec<&Contestant> = contestants
        .iter()
        .filter(|c| c.checkin_no.is_some())
        .collect();
    drawn.sort_by_key(|c| c.checkin_no);
    let seed = pool.draw_seed.clone().unwrap_or_default();
    let mut first = format!(
        "\u{feff}{}（{}） 检录号对照表（一次加密）,,,\n抽签种子,{seed},,\n检录号,姓名,单位,身份证号\n",
        pool.event_name,
        pool.key.group.label()
    );
    for c in &drawn {
        first.push_str(&format!(
            "{},{},{},{}\n",
            c.checkin_no.unwrap_or_default(),
            csv_field(&c.record.name),
            csv_field(&c.record.unit),
            mask_id_number(&c.record.id_number)
        ));
    }
    let mut second = format!(
        "\u{feff}{}（{}） 工位号对照表（二次加密）,\n抽签种子,{seed}\n检录号,工位号\n",
        pool.event_name,
        pool.key.group.label()
    );
    for c in &drawn {
        second.push_str(&format!(
            "{},{}\n",
            c.checkin_no.unwrap_or_default(),
            c.workstation.map(|w| w.to_string()).unwrap_or_default()
        ));
    }
    MappingSheets {
        checkin: first,
        workstations: second,
    }
}

/// The two mapping sheets as CSV text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingSheets {
    /// Sheet 1: contestant → check-in number (一次加密).
    pub checkin: String,
    /// Sheet 2: check-in number → workstation (二次加密).
    pub workstations: String,
}

/// The two mapping sheets as one PDF for printing and sealing: each sheet starts a page of its
/// own, with the seed, and signature lines for the coordinator and the supervisor.
pub fn mapping_sheets_pdf(pool: &PoolInfo, contestants: &[Contestant]) -> Result<Vec<u8>> {
    use crate::print::tables::{self, Column, Table};
    let mut drawn: Vec<&Contestant> = contestants
        .iter()
        .filter(|c| c.checkin_no.is_some())
        .collect();
    drawn.sort_by_key(|c| c.checkin_no);
    let seed = pool.draw_seed.clone().unwrap_or_default();
    let subtitle = vec![format!("{}  抽签种子 {seed}", pool.title())];
    let closing = vec![
        "赛务签字：____________    监督签字：____________    密封时间：____________".to_string(),
    ];
    let first = Table {
        title: "检录号对照表（一次加密）".into(),
        subtitle: subtitle.clone(),
        columns: vec![
            Column::centered("检录号"),
            Column::text("姓名"),
            Column::text("单位"),
            Column::text("身份证号"),
        ],
        rows: drawn
            .iter()
            .map(|c| {
                vec![
                    c.checkin_no.unwrap_or_default().to_string(),
                    c.record.name.clone(),
                    c.record.unit.clone(),
                    mask_id_number(&c.record.id_number),
                ]
            })
            .collect(),
        closing: closing.clone(),
        new_part: true,
        sheet: "检录号".into(),
    };
    let second = Table {
        title: "工位号对照表（二次加密）".into(),
        subtitle,
        columns: vec![Column::centered("检录号"), Column::centered("工位号")],
        rows: drawn
            .iter()
            .map(|c| {
                vec![
                    c.checkin_no.unwrap_or_default().to_string(),
                    c.workstation.map(|w| w.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        closing,
        new_part: true,
        sheet: "工位号".into(),
    };
    let title = format!("{} 对照表", pool.key);
    let document = tables::document(&title, &tables::A4_PORTRAIT, &[first, second]);
    crate::print::output::pdf(&document, &mut |_, _| {})
        .map_err(|e| OpsError::Denied(e.to_string()))
}

/// Writes the pool's two mapping sheets into `dir` and returns their paths.
pub fn write_mapping_sheets(
    conn: &Connection,
    actor: &Actor,
    pool_key: &PoolKey,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    ensure_coordinator(actor)?;
    let pool = pool_or_denied(conn, pool_key)?;
    if !is_drawn(&pool) {
        return Err(OpsError::Denied(format!("{} 尚未抽签", pool.title())));
    }
    let contestants = people::contestants_in_pool(conn, pool.id)?;
    let sheets = mapping_sheets(&pool, &contestants);
    let mut paths = Vec::new();
    for (name, text) in [
        ("检录号对照表", sheets.checkin),
        ("工位号对照表", sheets.workstations),
    ] {
        let path = dir.join(format!("{}-{name}.csv", pool.key));
        super::safety::save_file(&path, text.as_bytes())?;
        paths.push(path);
    }
    let pdf = mapping_sheets_pdf(&pool, &contestants)?;
    let path = dir.join(format!("{}-对照表.pdf", pool.key));
    super::safety::save_file(&path, &pdf)?;
    paths.push(path);
    let pool_name = pool.key.to_string();
    let tx = crate::store::begin(conn)?;
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "导出对照表",
            pool: Some(&pool_name),
            new_value: Some(&dir.display().to_string()),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_masked_to_four_and_four() {
        assert_eq!(mask_id_number("320102199001011234"), "3201**********1234");
        assert_eq!(mask_id_number("1234"), "****");
    }
}
