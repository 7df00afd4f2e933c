//! `import registration|scheme|theory|scores`: files into the database, each one transaction.

use super::{Outcome, args, print_warnings, refused_lines};
use crate::ops::registration::QuotaOverride;
use crate::ops::{self, Actor};
use clap::Subcommand;
use rusqlite::Connection;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// 参赛回执或选手名册（.xlsx/.csv，可多个）
    Registration {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 超出名额的选手及理由: 身份证号=理由
        #[arg(long = "override", value_name = "ID=REASON", value_parser = args::quota_override)]
        overrides: Vec<QuotaOverride>,
    },
    /// 替换评分方案
    Scheme { file: PathBuf },
    /// 理论成绩
    Theory { file: PathBuf },
    /// 操作技能评分
    Scores { file: PathBuf },
}

pub fn run(conn: &Connection, import: ImportCommand) -> anyhow::Result<Outcome> {
    let actor = Actor::command_line();
    match import {
        ImportCommand::Registration { files, overrides } => {
            let options = ops::registration::ImportOptions {
                dry_run: false,
                quota_overrides: overrides,
            };
            match ops::registration::import_registration(conn, &files, &actor, &options) {
                Ok(report) => {
                    print_warnings(&report.problems);
                    println!(
                        "新增 {} 人，更新 {} 人，未变 {} 人",
                        report.added, report.updated, report.unchanged
                    );
                    Ok(Outcome::Done)
                }
                Err(e) => refused_lines(e),
            }
        }
        ImportCommand::Scheme { file } => match ops::imports::read_file(&file)
            .and_then(|tables| ops::imports::import_scheme(conn, &actor, &tables))
        {
            Ok(warnings) => {
                print_warnings(&warnings);
                println!("评分方案已更新");
                Ok(Outcome::Done)
            }
            Err(e) => refused_lines(e),
        },
        ImportCommand::Theory { file } => match ops::imports::read_file(&file)
            .and_then(|tables| ops::imports::import_theory(conn, &actor, &tables))
        {
            Ok((warnings, changed)) => {
                print_warnings(&warnings);
                println!("理论成绩: {changed} 项有变化");
                Ok(Outcome::Done)
            }
            Err(e) => refused_lines(e),
        },
        ImportCommand::Scores { file } => {
            let device = ops::setup::device_label(conn)?;
            match ops::imports::read_file(&file)
                .and_then(|tables| ops::imports::import_scores(conn, &actor, &device, &tables))
            {
                Ok((warnings, changed)) => {
                    print_warnings(&warnings);
                    println!("操作技能评分: {changed} 项有变化");
                    Ok(Outcome::Done)
                }
                Err(e) => refused_lines(e),
            }
        }
    }
}
