//! The built-in 2023 competition, read from `assets/competition-2023.toml` (compiled in).
//! Pure parsing into plain structs; the store turns it into a database.

use crate::core::date::Date;
use crate::core::model::{Criterion, Dimension, Kind, PoolSettings, Stage};
use crate::core::score::Hundredths;
use serde::Deserialize;

pub const COMPETITION_TOML: &str = include_str!("../assets/competition-2023.toml");

#[derive(Clone, Debug, Deserialize)]
pub struct Builtin {
    pub name: String,
    pub short_name: String,
    pub year: i32,
    pub issuer: String,
    pub registration_start: Date,
    pub registration_end: Date,
    pub start_date: Date,
    pub end_date: Date,
    pub checkin_cities: Vec<String>,
    pub venues: Vec<BuiltinVenue>,
    pub settings: PoolSettings,
    pub events: Vec<BuiltinEvent>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BuiltinVenue {
    pub name: String,
    pub city: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BuiltinEvent {
    pub code: String,
    pub name: String,
    pub occupation: String,
    pub venue: String,
    pub criteria: Vec<BuiltinCriterion>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BuiltinCriterion {
    pub code: String,
    pub name: String,
    pub max: f64,
    pub step: f64,
    pub stage: String,
    pub dimension: String,
    pub kind: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BuiltinError {
    #[error("内置竞赛数据无法读取: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("内置竞赛数据有误: {0}")]
    Invalid(String),
}

impl BuiltinCriterion {
    pub fn to_criterion(&self) -> Result<Criterion, BuiltinError> {
        let invalid = |what: &str| BuiltinError::Invalid(format!("评分项 {} 的{what}", self.code));
        let hundredths = |v: f64| -> Option<Hundredths> {
            let scaled = v * 100.0;
            (scaled.fract().abs() < 1e-6 && scaled >= 0.0)
                .then_some(Hundredths(scaled.round() as i64))
        };
        Ok(Criterion {
            code: self.code.clone(),
            name: self.name.clone(),
            max: hundredths(self.max).ok_or_else(|| invalid("满分"))?,
            step: hundredths(self.step).ok_or_else(|| invalid("步长"))?,
            stage: Stage::parse(&self.stage).ok_or_else(|| invalid("阶段"))?,
            dimension: Dimension::parse(&self.dimension).ok_or_else(|| invalid("维度"))?,
            kind: Kind::parse(&self.kind).ok_or_else(|| invalid("方式"))?,
        })
    }
}

/// Parses the compiled-in competition.
pub fn load() -> Result<Builtin, BuiltinError> {
    let builtin: Builtin = toml::from_str(COMPETITION_TOML)?;
    for event in &builtin.events {
        let criteria = event
            .criteria
            .iter()
            .map(|c| c.to_criterion())
            .collect::<Result<Vec<_>, _>>()?;
        let problems = crate::core::model::check_scheme(&criteria);
        if let Some(problem) = problems.first() {
            return Err(BuiltinError::Invalid(format!("{}: {problem}", event.name)));
        }
        if !builtin.venues.iter().any(|v| v.name == event.venue) {
            return Err(BuiltinError::Invalid(format!(
                "{} 的决赛地点 {} 不在地点列表中",
                event.name, event.venue
            )));
        }
    }
    Ok(builtin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_competition_has_four_events_with_valid_schemes() {
        let builtin = load().unwrap_or_else(|e| panic!("{e}"));
        let codes: Vec<&str> = builtin.events.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["DS", "KJ", "ZB", "QM"]);
        assert_eq!(builtin.venues.len(), 4);
        assert_eq!(builtin.settings, PoolSettings::default());
        assert_eq!(
            builtin.issuer,
            "2023年江苏省互联网行业电子商务技术应用职业技能竞赛组委会"
        );
        for event in &builtin.events {
            let criteria: Vec<Criterion> = event
                .criteria
                .iter()
                .filter_map(|c| c.to_criterion().ok())
                .collect();
            assert_eq!(criteria.len(), event.criteria.len());
            assert!(criteria.iter().any(|c| c.kind == Kind::Judgement));
            assert!(criteria.iter().any(|c| c.kind == Kind::Measurement));
        }
    }
}
