//! `export scores|roster` and `logistics`: tables written out of the database.

use super::{Outcome, args, refused_lines, write_output};
use crate::core::model::PoolKey;
use crate::ops::{self, Actor};
use anyhow::Context;
use clap::Subcommand;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// 当前操作技能评分，列与 import scores 相同
    Scores {
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
        /// 输出文件，- 为标准输出
        #[arg(long)]
        out: PathBuf,
    },
    /// 各赛项组别的选手名单（供决赛地点检录），身份证号默认只显示前 4 位和后 4 位
    Roster {
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
        /// 输出文件：.xlsx 为工作簿，.pdf 为 PDF
        #[arg(long)]
        out: PathBuf,
        /// 显示完整身份证号（记入审计日志）
        #[arg(long)]
        full_id: bool,
    },
}

pub fn run(conn: &Connection, command: ExportCommand) -> anyhow::Result<Outcome> {
    match command {
        ExportCommand::Scores { pool, out } => scores(conn, pool.as_ref(), &out),
        ExportCommand::Roster { pool, out, full_id } => roster(conn, pool.as_ref(), &out, full_id),
    }
}

fn scores(conn: &Connection, pool: Option<&PoolKey>, out: &Path) -> anyhow::Result<Outcome> {
    match ops::imports::export_scores(conn, pool) {
        Ok(bytes) => {
            if out.as_os_str() == "-" {
                std::io::stdout().lock().write_all(&bytes)?;
            } else {
                crate::io::write_file_atomically(out, &bytes)
                    .with_context(|| format!("无法写入 {}", out.display()))?;
                println!("已导出到 {}", out.display());
            }
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

fn roster(
    conn: &Connection,
    pool: Option<&PoolKey>,
    out: &Path,
    full_id: bool,
) -> anyhow::Result<Outcome> {
    let format = ops::documents::Format::of_path(out);
    match ops::registration::export_roster(conn, &Actor::command_line(), pool, full_id, format) {
        Ok(bytes) => {
            write_output(out, &bytes)?;
            let note = if full_id {
                "（含完整身份证号，已记入审计日志）"
            } else {
                ""
            };
            println!("已导出选手名单到 {}{note}", out.display());
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

pub fn logistics(conn: &Connection, out: &Path) -> anyhow::Result<Outcome> {
    let format = ops::documents::Format::of_path(out);
    let plan = match ops::logistics::logistics(conn) {
        Ok(plan) => plan,
        Err(e) => return refused_lines(e),
    };
    for count in plan.head_counts.iter().filter(|h| !h.notes.is_empty()) {
        eprintln!(
            "warning: {}（{}）: {}",
            count.unit,
            count.event_name,
            count.notes.join("；")
        );
    }
    match ops::logistics::export_logistics(conn, format) {
        Ok(bytes) => {
            write_output(out, &bytes)?;
            println!(
                "住宿 {} 晚次，抵达 {} 批，回执 {} 份；已导出到 {}",
                plan.nights.len(),
                plan.arrivals.len(),
                plan.head_counts.len(),
                out.display()
            );
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}
