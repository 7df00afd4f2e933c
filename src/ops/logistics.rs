//! Logistics from the stored unit forms: rooms and guests per venue and night, arrivals, head
//! counts against the forms' totals (`core::logistics`), and the same as an xlsx or PDF file
//! for the venues. Reads only; changes nothing. Must not import egui.

use super::documents::Format;
use super::{OpsError, Result};
use crate::core::logistics::{self, Delegation, Logistics};
use crate::print::output;
use crate::print::tables::{self, A4_LANDSCAPE, Column, Table};
use crate::store::competition;
use crate::store::people;
use crate::store::units;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Every unit at every event it has a form or contestants for, planned.
pub fn logistics(conn: &Connection) -> Result<Logistics> {
    let pools = competition::pools(conn)?;
    let events = competition::events(conn)?;
    let forms = units::unit_forms(conn)?;
    let contestants = people::contestants(conn)?;
    let event_of_pool: BTreeMap<i64, &str> =
        pools.iter().map(|p| (p.id, p.key.event.as_str())).collect();
    // (unit, event position) → delegation; BTreeMap keeps units by name, events in order.
    let position = |event: &str| {
        events
            .iter()
            .position(|e| e.code == event)
            .unwrap_or(usize::MAX)
    };
    let mut delegations: BTreeMap<(String, usize), Delegation> = BTreeMap::new();
    let mut pools_used: BTreeMap<(String, usize), Vec<i64>> = BTreeMap::new();
    let event_name = |code: &str| {
        events
            .iter()
            .find(|e| e.code == code)
            .map_or_else(|| code.to_string(), |e| e.name.clone())
    };
    for stored in forms {
        let key = (stored.form.unit.clone(), position(&stored.form.event));
        delegations.insert(
            key,
            Delegation {
                unit: stored.form.unit.clone(),
                event_name: event_name(&stored.form.event),
                venue: None,
                form: Some(stored.form.clone()),
                contestants: Vec::new(),
            },
        );
    }
    for c in &contestants {
        let Some(event) = event_of_pool.get(&c.record.pool_id) else {
            continue;
        };
        let key = (c.record.unit.clone(), position(event));
        delegations
            .entry(key.clone())
            .or_insert_with(|| Delegation {
                unit: c.record.unit.clone(),
                event_name: event_name(event),
                venue: None,
                form: None,
                contestants: Vec::new(),
            })
            .contestants
            .push(c.record.gender);
        pools_used.entry(key).or_default().push(c.record.pool_id);
    }
    // The venue of the pool the unit's contestants are in, else of the event's first pool.
    for ((unit, event_position), delegation) in &mut delegations {
        let used = pools_used.get(&(unit.clone(), *event_position));
        let event = events.get(*event_position).map(|e| e.code.as_str());
        delegation.venue = pools
            .iter()
            .filter(|p| Some(p.key.event.as_str()) == event)
            .filter(|p| used.is_none_or(|ids| ids.contains(&p.id)))
            .find_map(|p| p.venue.as_ref().map(|v| v.name.clone()));
    }
    let delegations: Vec<Delegation> = delegations.into_values().collect();
    Ok(logistics::plan(&delegations))
}

/// The logistics as tables: 住宿 (per venue and night), 抵达 (by date), 人数核对 (per form).
pub fn logistics_tables(plan: &Logistics) -> Vec<Table> {
    let nights = plan
        .nights
        .iter()
        .map(|n| {
            vec![
                n.venue.clone(),
                n.date.to_string(),
                n.standard_rooms.to_string(),
                n.single_rooms.to_string(),
                n.male.to_string(),
                n.female.to_string(),
                n.guests.to_string(),
                n.units.to_string(),
            ]
        })
        .collect();
    let arrivals = plan
        .arrivals
        .iter()
        .map(|a| {
            vec![
                a.date.to_string(),
                a.venue.clone(),
                a.unit.clone(),
                a.event_name.clone(),
                a.guests.to_string(),
                a.travel.clone().unwrap_or_default(),
                a.leader.clone().unwrap_or_default(),
                a.leader_phone.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let optional = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let counts = plan
        .head_counts
        .iter()
        .map(|h| {
            vec![
                h.unit.clone(),
                h.event_name.clone(),
                h.venue.clone(),
                optional(h.total),
                optional(h.male),
                optional(h.female),
                h.registered.to_string(),
                h.registered_male.to_string(),
                h.registered_female.to_string(),
                optional(h.beds),
                h.notes.join("；"),
            ]
        })
        .collect();
    let number = Column::number;
    let text = Column::text;
    vec![
        Table {
            title: "住宿需求（按决赛地点和入住当晚）".into(),
            subtitle: vec!["来自各单位参赛回执；人数为回执所填，未填时按报名选手计。".into()],
            columns: vec![
                text("决赛地点"),
                Column::centered("日期（当晚）"),
                number("标间"),
                number("单间"),
                number("男"),
                number("女"),
                number("人数"),
                number("单位数"),
            ],
            rows: nights,
            sheet: "住宿".into(),
            ..Table::default()
        },
        Table {
            title: "抵达安排（按入住日期）".into(),
            columns: vec![
                Column::centered("入住日期"),
                text("决赛地点"),
                text("单位"),
                text("赛项"),
                number("人数"),
                text("航班、车次信息"),
                text("领队"),
                text("领队手机"),
            ],
            rows: arrivals,
            sheet: "抵达".into(),
            new_part: true,
            ..Table::default()
        },
        Table {
            title: "人数核对（回执与报名选手）".into(),
            columns: vec![
                text("单位"),
                text("赛项"),
                text("决赛地点"),
                number("总人数"),
                number("男性人数"),
                number("女性人数"),
                number("报名选手"),
                number("男选手"),
                number("女选手"),
                number("床位"),
                text("需核实"),
            ],
            rows: counts,
            sheet: "人数核对".into(),
            new_part: true,
            ..Table::default()
        },
    ]
}

/// The logistics file for the venues, as a workbook or a PDF.
pub fn export_logistics(conn: &Connection, format: Format) -> Result<Vec<u8>> {
    let plan = logistics(conn)?;
    let tables = logistics_tables(&plan);
    match format {
        Format::Xlsx => tables::workbook(&tables).map_err(|e| OpsError::Denied(e.to_string())),
        Format::Pdf => {
            let doc = tables::document("住宿与抵达汇总", &A4_LANDSCAPE, &tables);
            output::pdf(&doc, &mut |_, _| {}).map_err(|e| OpsError::Denied(e.to_string()))
        }
    }
}
