//! The pool's steps and appeals on the command line (`interchange.md`): `pool draw|lock|unlock|
//! confirm|publish|final` and `appeal add`, each by the person the window requires, signed in with
//! that person's PIN (`auth::act_as`), through the same `ops` functions and refusals as the window.

use super::auth::{act_as, read_pin_from};
use super::{Outcome, open_existing, refused_lines};
use crate::core::model::{PoolKey, Role};
use crate::ops::{self, Actor, OpsError, workflow};
use clap::{Args, Subcommand};
use std::path::Path;

/// The environment variable a script sets to give the consenting supervisor's PIN at an unlock.
pub const SUPERVISOR_PIN_ENV: &str = "JUDGEDESK_SUPERVISOR_PIN";

/// Which pool and who acts.
#[derive(Debug, Args)]
pub struct Who {
    /// 赛项组别，如 DS-ZG
    #[arg(long, value_parser = super::args::pool)]
    pub pool: PoolKey,
    /// 执行这一步的人（账号名）；PIN 取自 JUDGEDESK_PIN 或在终端输入
    #[arg(long = "as")]
    pub person: String,
}

#[derive(Debug, Subcommand)]
pub enum PoolCommand {
    /// 抽签（赛务）：检录号与工位号，种子记入数据库
    Draw(Who),
    /// 锁定成绩（裁判长）
    Lock(Who),
    /// 解锁（裁判长，须写理由，并由监督输入 PIN 同意）
    Unlock {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        reason: String,
        /// 同意解锁的监督（PIN 取自 JUDGEDESK_SUPERVISOR_PIN 或在终端输入）
        #[arg(long)]
        supervisor: String,
    },
    /// 确认并解密（监督）
    Confirm(Who),
    /// 公示（监督）
    Publish(Who),
    /// 定稿（监督；申诉期限过后、申诉均已处理）
    Final(Who),
}

#[derive(Debug, Subcommand)]
pub enum AppealCommand {
    /// 登记一份书面申诉（监督；比赛结束后 2 小时内）
    Add {
        #[command(flatten)]
        who: Who,
        /// 领队姓名
        #[arg(long)]
        leader: String,
        /// 领队所在单位（须在该赛项组别有选手）；省略时按报名回执中的领队姓名查找
        #[arg(long)]
        unit: Option<String>,
        /// 收到时间 "YYYY-MM-DD HH:MM"
        #[arg(long)]
        received: String,
        /// 申诉内容
        #[arg(long)]
        text: String,
    },
}

/// The pool and the acting person, or the refusal to print.
fn sign_in(
    conn: &rusqlite::Connection,
    who: &Who,
    role: Role,
) -> anyhow::Result<Result<(PoolKey, Actor), Outcome>> {
    Ok(act_as(conn, &who.person, &[role])?.map(|actor| (who.pool.clone(), actor)))
}

fn done(result: Result<String, OpsError>) -> anyhow::Result<Outcome> {
    match result {
        Ok(message) => {
            println!("{message}");
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

/// A milestone's automatic backup, as the window notes it.
fn milestone(conn: &rusqlite::Connection, reason: ops::backup::Reason) -> String {
    match ops::backup::at_milestone(conn, reason) {
        Ok(_) => String::new(),
        Err(e) => format!("；自动备份失败：{}", e.into_text()),
    }
}

pub fn run_pool(db: &Path, command: PoolCommand) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    let role = match &command {
        PoolCommand::Draw(_) => Role::Coordinator,
        PoolCommand::Lock(_) | PoolCommand::Unlock { .. } => Role::Chief,
        PoolCommand::Confirm(_) | PoolCommand::Publish(_) | PoolCommand::Final(_) => {
            Role::Supervisor
        }
    };
    let who = match &command {
        PoolCommand::Draw(who)
        | PoolCommand::Lock(who)
        | PoolCommand::Confirm(who)
        | PoolCommand::Publish(who)
        | PoolCommand::Final(who)
        | PoolCommand::Unlock { who, .. } => who,
    };
    let (key, actor) = match sign_in(&conn, who, role)? {
        Ok(signed) => signed,
        Err(outcome) => return Ok(outcome),
    };
    let result = match &command {
        PoolCommand::Draw(_) => {
            let seed = ops::draw::fresh_seed();
            ops::draw::run_draw(&conn, &actor, &key, &seed)
                .map(|n| format!("{key} 抽签完成：{n} 人"))
        }
        PoolCommand::Lock(_) => workflow::lock(&conn, &actor, &key).map(|()| {
            format!(
                "{key} 已锁定{}",
                milestone(&conn, ops::backup::Reason::Lock)
            )
        }),
        PoolCommand::Unlock {
            reason, supervisor, ..
        } => {
            let pin = match read_pin_from(supervisor, SUPERVISOR_PIN_ENV) {
                Ok(pin) => pin,
                Err(outcome) => return Ok(outcome),
            };
            workflow::unlock(&conn, &actor, &key, supervisor, pin.trim(), reason)
                .map(|()| format!("{key} 已解锁"))
        }
        PoolCommand::Confirm(_) => workflow::confirm_and_decrypt(&conn, &actor, &key)
            .map(|()| format!("{key} 已确认并解密")),
        PoolCommand::Publish(_) => workflow::publish(&conn, &actor, &key).map(|()| {
            format!(
                "{key} 已公示{}",
                milestone(&conn, ops::backup::Reason::Publication)
            )
        }),
        PoolCommand::Final(_) => {
            workflow::finalize(&conn, &actor, &key).map(|()| format!("{key} 已定稿"))
        }
    };
    done(result)
}

pub fn run_appeal(db: &Path, command: AppealCommand) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    let AppealCommand::Add {
        who,
        leader,
        unit,
        received,
        text,
    } = command;
    let (key, actor) = match sign_in(&conn, &who, Role::Supervisor)? {
        Ok(signed) => signed,
        Err(outcome) => return Ok(outcome),
    };
    let unit = match unit {
        Some(unit) => unit,
        None => match workflow::unit_of_leader(&conn, &key, &leader)? {
            Some(unit) => unit,
            None => {
                return Ok(Outcome::Refused(vec![format!(
                    "error: 报名回执中找不到唯一一个领队为“{leader}”的单位，请用 --unit 写明单位"
                )]));
            }
        },
    };
    done(
        workflow::record_appeal(&conn, &actor, &key, &leader, &unit, &received, &text)
            .map(|id| format!("已登记申诉 #{id}")),
    )
}
