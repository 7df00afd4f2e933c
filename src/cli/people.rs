//! `user add` and `contestant status`: an account, a check-in outcome.

use super::args::{self, RoleArg};
use super::{Outcome, refused_lines};
use crate::core::model::{PoolKey, Status};
use crate::ops::{self, Actor};
use clap::Subcommand;
use rusqlite::Connection;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    Add {
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        pin: String,
        #[arg(long = "pool", value_parser = args::pool)]
        pools: Vec<PoolKey>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContestantCommand {
    /// 检录结果或赛中状态: 正常|缺考|弃赛|取消资格
    Status {
        id_number: String,
        #[arg(value_parser = args::status)]
        status: Status,
        #[arg(long)]
        reason: Option<String>,
    },
}

pub fn user(conn: &Connection, command: UserCommand) -> anyhow::Result<Outcome> {
    let UserCommand::Add {
        role,
        name,
        pin,
        pools,
    } = command;
    match ops::accounts::add_user(
        conn,
        &Actor::command_line(),
        &name,
        role.into(),
        &pin,
        &pools,
    ) {
        Ok(_) => {
            println!("已添加账号 {name}");
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

pub fn contestant(conn: &Connection, command: ContestantCommand) -> anyhow::Result<Outcome> {
    let ContestantCommand::Status {
        id_number,
        status,
        reason,
    } = command;
    match ops::status::set_status(
        conn,
        &Actor::command_line(),
        &id_number,
        status,
        reason.as_deref(),
    ) {
        Ok(previous) => {
            println!("状态: {} → {}", previous.label(), status.label());
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}
