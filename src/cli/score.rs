//! `score set`: one practical score, entered as the judge (their PIN, `auth::act_as`), saved once
//! its transaction has committed.

use super::{Outcome, args, auth, refused_lines};
use crate::core::model::{PoolKey, Role};
use crate::core::score::Hundredths;
use crate::ops::{self, scoring::ContestantRef};
use clap::Subcommand;
use rusqlite::Connection;

#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    Set {
        #[arg(long, value_parser = args::pool)]
        pool: PoolKey,
        #[arg(long)]
        judge: String,
        #[arg(
            long,
            conflicts_with = "workstation",
            required_unless_present = "workstation"
        )]
        id: Option<String>,
        #[arg(long)]
        workstation: Option<u32>,
        #[arg(long)]
        criterion: String,
        #[arg(long, value_parser = args::score)]
        value: Hundredths,
    },
}

pub fn run(conn: &Connection, command: ScoreCommand) -> anyhow::Result<Outcome> {
    let ScoreCommand::Set {
        pool,
        judge,
        id,
        workstation,
        criterion,
        value,
    } = command;
    // clap requires exactly one of the two.
    let contestant = match (id, workstation) {
        (Some(id), _) => ContestantRef::IdNumber(id),
        (None, Some(w)) => ContestantRef::Workstation(w),
        (None, None) => {
            return Ok(Outcome::Refused(vec![
                "error: 须给出 --id 或 --workstation".into(),
            ]));
        }
    };
    let input = ops::scoring::ScoreInput {
        pool,
        judge,
        contestant,
        criterion,
        value,
    };
    let actor = match auth::act_as(conn, &input.judge, &[Role::Judge])? {
        Ok(actor) => actor,
        Err(outcome) => return Ok(outcome),
    };
    let device = ops::setup::device_label(conn)?;
    match ops::scoring::enter_score(conn, &actor, &device, &input) {
        Ok(receipt) => {
            println!(
                "已保存 {} = {}",
                receipt.criterion,
                receipt.value.to_short()
            );
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}
