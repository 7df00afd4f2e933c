//! `results [--pool DS-ZG] [--format json|csv]`: rankings and awards as `interchange.md` lays out.

use super::{Outcome, args};
use crate::core::model::PoolKey;
use crate::ops;
use clap::{Args, ValueEnum};
use rusqlite::Connection;
use std::io::Write;

#[derive(Debug, Args)]
pub struct ResultsArgs {
    #[arg(long, value_parser = args::pool)]
    pool: Option<PoolKey>,
    #[arg(long, value_enum, default_value = "json")]
    format: ResultsFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ResultsFormat {
    Json,
    Csv,
}

pub fn run(conn: &Connection, args: ResultsArgs) -> anyhow::Result<Outcome> {
    let results = ops::results::compute(conn)?;
    let only = args.pool.as_ref().map(PoolKey::to_string);
    if let Some(name) = &only
        && results.pool(name).is_none()
    {
        return Ok(Outcome::Refused(vec![format!(
            "error: 没有赛项组别 {name}"
        )]));
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ResultsFormat::Json => writeln!(
            stdout,
            "{}",
            crate::io::results::to_json(&results, only.as_deref())?
        )?,
        ResultsFormat::Csv => {
            stdout.write_all(&crate::io::results::to_csv(&results, only.as_deref())?)?
        }
    }
    Ok(Outcome::Done)
}
