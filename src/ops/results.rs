//! Results of every pool: the store's rows through the rules engine, with the people attached.
//! `ResultsCache` keeps the loaded sheets so that one changed score recomputes one pool only.

use super::Result;
use crate::core::evaluate::{PoolOutcome, PoolSheet, evaluate};
use crate::core::score::Hundredths;
use crate::store::competition::PoolInfo;
use crate::store::people::{self, Contestant};
use crate::store::scores;
use rusqlite::Connection;
use std::collections::HashMap;

/// One pool's outcome with what is needed to show or print it.
#[derive(Clone, Debug)]
pub struct PoolResults {
    pub info: PoolInfo,
    pub sheet: PoolSheet,
    pub outcome: PoolOutcome,
}

/// Every pool's results plus the contestants by id.
#[derive(Clone, Debug, Default)]
pub struct Results {
    pub pools: Vec<PoolResults>,
    pub contestants: HashMap<i64, Contestant>,
}

impl Results {
    pub fn contestant(&self, key: i64) -> Option<&Contestant> {
        self.contestants.get(&key)
    }

    pub fn pool(&self, name: &str) -> Option<&PoolResults> {
        self.pools
            .iter()
            .find(|p| p.info.key.to_string().eq_ignore_ascii_case(name))
    }

    /// Applies one stored score to the cached sheet and recomputes that pool only.
    pub fn apply_score(
        &mut self,
        pool_id: i64,
        contestant_id: i64,
        criterion: &str,
        judge_id: i64,
        value: Option<Hundredths>,
    ) -> bool {
        let Some(pool) = self.pools.iter_mut().find(|p| p.info.id == pool_id) else {
            return false;
        };
        let changed = match value {
            Some(v) => pool.sheet.set_entry(contestant_id, criterion, judge_id, v),
            None => pool.sheet.clear_entry(contestant_id, criterion, judge_id),
        };
        if changed {
            pool.outcome = evaluate(&pool.sheet);
        }
        changed
    }
}

/// Loads everything and computes every pool.
pub fn compute(conn: &Connection) -> Result<Results> {
    let sheets = scores::load_sheets(conn)?;
    let contestants = people::contestants(conn)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let pools = sheets
        .into_iter()
        .map(|(info, sheet)| {
            let outcome = evaluate(&sheet);
            PoolResults {
                info,
                sheet,
                outcome,
            }
        })
        .collect();
    Ok(Results { pools, contestants })
}
