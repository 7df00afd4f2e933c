//! The competition, its events, venues, pools, settings and schemes.

use super::{Result, StoreError};
use crate::builtin::Builtin;
use crate::core::date::Date;
use crate::core::model::{
    Criterion, Dimension, Group, Kind, PoolKey, PoolSettings, PoolState, Stage,
};
use crate::core::score::Hundredths;
use rusqlite::{Connection, OptionalExtension, params};

/// The competition-wide facts.
#[derive(Clone, Debug)]
pub struct CompetitionInfo {
    pub name: String,
    pub short_name: String,
    pub year: i32,
    pub issuer: String,
    pub registration_start: Date,
    pub registration_end: Date,
    pub start_date: Date,
    pub end_date: Date,
    pub checkin_cities: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventInfo {
    pub code: String,
    pub name: String,
    pub occupation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenueInfo {
    pub id: i64,
    pub name: String,
    pub city: String,
}

/// One pool with everything but its people and scores.
#[derive(Clone, Debug)]
pub struct PoolInfo {
    pub id: i64,
    pub key: PoolKey,
    pub event_name: String,
    pub occupation: String,
    pub venue: Option<VenueInfo>,
    pub state: PoolState,
    pub settings: PoolSettings,
    pub draw_seed: Option<String>,
}

impl PoolInfo {
    /// `电子商务运营（职工组）`.
    pub fn title(&self) -> String {
        format!("{}（{}）", self.event_name, self.key.group.label())
    }
}

pub fn is_initialised(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM competition", [], |r| {
        r.get::<_, i64>(0)
    })? > 0)
}

/// Writes the built-in competition into an empty database.
pub fn init(conn: &Connection, builtin: &Builtin) -> Result<()> {
    if is_initialised(conn)? {
        return Err(StoreError::AlreadyInitialised);
    }
    conn.execute(
        "INSERT INTO competition (id, name, short_name, year, issuer, registration_start, registration_end, start_date, end_date, checkin_cities)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            builtin.name,
            builtin.short_name,
            builtin.year,
            builtin.issuer,
            builtin.registration_start.to_string(),
            builtin.registration_end.to_string(),
            builtin.start_date.to_string(),
            builtin.end_date.to_string(),
            builtin.checkin_cities.join(","),
        ],
    )?;
    for venue in &builtin.venues {
        conn.execute(
            "INSERT INTO venue (name, city) VALUES (?1, ?2)",
            params![venue.name, venue.city],
        )?;
    }
    let settings =
        serde_json::to_string(&builtin.settings).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut position = 0;
    for (event_position, event) in builtin.events.iter().enumerate() {
        conn.execute(
            "INSERT INTO event (code, name, occupation, position) VALUES (?1, ?2, ?3, ?4)",
            params![
                event.code,
                event.name,
                event.occupation,
                event_position as i64
            ],
        )?;
        let venue_id: Option<i64> = conn
            .query_row(
                "SELECT id FROM venue WHERE name = ?1",
                [&event.venue],
                |r| r.get(0),
            )
            .optional()?;
        let criteria = event
            .criteria
            .iter()
            .map(|c| c.to_criterion())
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        for group in Group::ALL {
            conn.execute(
                "INSERT INTO pool (event, grp, position, venue_id, settings) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![event.code, group.code(), position, venue_id, settings],
            )?;
            position += 1;
            let pool_id = conn.last_insert_rowid();
            replace_criteria(conn, pool_id, &criteria)?;
        }
    }
    Ok(())
}

pub fn competition(conn: &Connection) -> Result<CompetitionInfo> {
    conn.query_row(
        "SELECT name, short_name, year, issuer, registration_start, registration_end, start_date, end_date, checkin_cities FROM competition WHERE id = 1",
        [],
        |r| {
            let date = |i: usize| -> rusqlite::Result<Date> {
                let text: String = r.get(i)?;
                Date::parse(&text).ok_or_else(|| bad_value(i, &text))
            };
            let cities: String = r.get(8)?;
            Ok(CompetitionInfo {
                name: r.get(0)?,
                short_name: r.get(1)?,
                year: r.get(2)?,
                issuer: r.get(3)?,
                registration_start: date(4)?,
                registration_end: date(5)?,
                start_date: date(6)?,
                end_date: date(7)?,
                checkin_cities: cities.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect(),
            })
        },
    )
    .optional()?
    .ok_or(StoreError::NotInitialised)
}

pub(crate) fn bad_value(column: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unexpected value {text:?}").into(),
    )
}

pub fn events(conn: &Connection) -> Result<Vec<EventInfo>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, name, occupation FROM event ORDER BY position")?;
    let rows = stmt.query_map([], |r| {
        Ok(EventInfo {
            code: r.get(0)?,
            name: r.get(1)?,
            occupation: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn venues(conn: &Connection) -> Result<Vec<VenueInfo>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, city FROM venue ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(VenueInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            city: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every pool in the built-in order (events DS, KJ, ZB, QM; 职工组 before 学生组).
pub fn pools(conn: &Connection) -> Result<Vec<PoolInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.event, p.grp, e.name, e.occupation, v.id, v.name, v.city, p.state, p.settings, p.draw_seed
         FROM pool p JOIN event e ON e.code = p.event LEFT JOIN venue v ON v.id = p.venue_id
         ORDER BY p.position",
    )?;
    let rows = stmt.query_map([], |r| {
        let group_code: String = r.get(2)?;
        let state_code: String = r.get(8)?;
        let settings_json: String = r.get(9)?;
        let venue = match r.get::<_, Option<i64>>(5)? {
            Some(id) => Some(VenueInfo {
                id,
                name: r.get(6)?,
                city: r.get(7)?,
            }),
            None => None,
        };
        Ok(PoolInfo {
            id: r.get(0)?,
            key: PoolKey {
                event: r.get(1)?,
                group: Group::parse(&group_code).ok_or_else(|| bad_value(2, &group_code))?,
            },
            event_name: r.get(3)?,
            occupation: r.get(4)?,
            venue,
            state: PoolState::parse(&state_code).ok_or_else(|| bad_value(8, &state_code))?,
            settings: serde_json::from_str(&settings_json)
                .map_err(|_| bad_value(9, &settings_json))?,
            draw_seed: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn pool(conn: &Connection, key: &PoolKey) -> Result<Option<PoolInfo>> {
    Ok(pools(conn)?.into_iter().find(|p| &p.key == key))
}

pub fn pool_by_id(conn: &Connection, id: i64) -> Result<Option<PoolInfo>> {
    Ok(pools(conn)?.into_iter().find(|p| p.id == id))
}

/// Finds the pool of an event given by code or name and a group given by code or name.
pub fn find_pool(conn: &Connection, event: &str, group: &str) -> Result<Option<PoolInfo>> {
    let event = event.trim();
    let Some(group) = Group::parse(group) else {
        return Ok(None);
    };
    Ok(pools(conn)?.into_iter().find(|p| {
        p.key.group == group && (p.key.event.eq_ignore_ascii_case(event) || p.event_name == event)
    }))
}

pub fn criteria(conn: &Connection, pool_id: i64) -> Result<Vec<(i64, Criterion)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, max, step, stage, dimension, kind FROM criterion WHERE pool_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([pool_id], |r| {
        let stage: String = r.get(5)?;
        let dimension: String = r.get(6)?;
        let kind: String = r.get(7)?;
        Ok((
            r.get(0)?,
            Criterion {
                code: r.get(1)?,
                name: r.get(2)?,
                max: Hundredths(r.get(3)?),
                step: Hundredths(r.get(4)?),
                stage: Stage::parse(&stage).ok_or_else(|| bad_value(5, &stage))?,
                dimension: Dimension::parse(&dimension).ok_or_else(|| bad_value(6, &dimension))?,
                kind: Kind::parse(&kind).ok_or_else(|| bad_value(7, &kind))?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces a pool's criteria. The caller checks that nothing is scored yet.
pub fn replace_criteria(conn: &Connection, pool_id: i64, criteria: &[Criterion]) -> Result<()> {
    conn.execute("DELETE FROM criterion WHERE pool_id = ?1", [pool_id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO criterion (pool_id, code, name, max, step, stage, dimension, kind, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, c) in criteria.iter().enumerate() {
        stmt.execute(params![
            pool_id,
            c.code,
            c.name,
            c.max.0,
            c.step.0,
            c.stage.code(),
            c.dimension.code(),
            c.kind.code(),
            position as i64
        ])?;
    }
    Ok(())
}

pub fn set_pool_state(conn: &Connection, pool_id: i64, state: PoolState) -> Result<()> {
    conn.execute(
        "UPDATE pool SET state = ?1 WHERE id = ?2",
        params![state.code(), pool_id],
    )?;
    Ok(())
}

pub fn set_pool_settings(conn: &Connection, pool_id: i64, settings: &PoolSettings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Invalid(e.to_string()))?;
    conn.execute(
        "UPDATE pool SET settings = ?1 WHERE id = ?2",
        params![json, pool_id],
    )?;
    Ok(())
}

pub fn set_pool_venue(conn: &Connection, pool_id: i64, venue_id: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE pool SET venue_id = ?1 WHERE id = ?2",
        params![venue_id, pool_id],
    )?;
    Ok(())
}

pub fn set_draw_seed(conn: &Connection, pool_id: i64, seed: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE pool SET draw_seed = ?1 WHERE id = ?2",
        params![seed, pool_id],
    )?;
    Ok(())
}

/// Number of score entries ever made in a pool (a scheme may only change while this is 0).
pub fn score_entry_count(conn: &Connection, pool_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM score_entry s JOIN criterion c ON c.id = s.criterion_id WHERE c.pool_id = ?1",
        [pool_id],
        |r| r.get(0),
    )?)
}

pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
