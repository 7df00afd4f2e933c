//! `print publication|score-sheets|rosters`: the printed documents as PDF (rosters also `.xlsx`).

use super::{Outcome, args, page_progress, refused_lines, write_document};
use crate::core::model::PoolKey;
use crate::ops;
use clap::Subcommand;
use rusqlite::Connection;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// 成绩公示表（每个赛项组别一份）
    Publication {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
        #[arg(long)]
        draft: bool,
    },
    /// 每位裁判的评分表（工位号、分值、数据指纹、签名栏）
    ScoreSheets {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
    },
    /// 报省厅的获奖名册（技术能手、技能等级、职称、指导教师）：.pdf 或 .xlsx
    Rosters {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
        #[arg(long)]
        draft: bool,
    },
}

pub fn run(conn: &Connection, command: PrintCommand) -> anyhow::Result<Outcome> {
    let (out, bytes) = match command {
        PrintCommand::Publication { out, pool, draft } => {
            let bytes = ops::documents::publication(conn, pool.as_ref(), draft, &mut page_progress);
            (out, bytes)
        }
        PrintCommand::ScoreSheets { out, pool } => {
            let bytes = ops::documents::score_sheets(conn, pool.as_ref(), &mut page_progress);
            (out, bytes)
        }
        PrintCommand::Rosters { out, pool, draft } => {
            let format = ops::documents::Format::of_path(&out);
            let bytes =
                ops::documents::rosters(conn, pool.as_ref(), format, draft, &mut page_progress);
            (out, bytes)
        }
    };
    match bytes {
        Ok(bytes) => write_document(&out, &bytes),
        Err(e) => refused_lines(e),
    }
}
