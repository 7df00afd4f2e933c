//! The command line of `interchange.md`: parses arguments, calls `ops`, prints plain text.
//! Exit codes: 0 done, 1 refused (bad input or a rule), 2 usage error.

use crate::core::model::{PoolKey, Role, Status};
use crate::core::problem::Problem;
use crate::core::score::Hundredths;
use crate::ops::{self, Actor, OpsError};
use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "judgedesk",
    version,
    about = "江苏省电子商务技术应用职业技能竞赛 决赛评分系统"
)]
pub struct Cli {
    /// 数据库文件（默认: 系统数据目录下的 judgedesk.sqlite）
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 新建数据库，写入内置的 2023 年竞赛
    Init,
    /// 新建带演示数据的数据库
    Demo,
    /// 导入文件
    #[command(subcommand)]
    Import(ImportCommand),
    /// 账号管理
    #[command(subcommand)]
    User(UserCommand),
    /// 选手管理
    #[command(subcommand)]
    Contestant(ContestantCommand),
    /// 排名与奖项
    Results {
        #[arg(long)]
        pool: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: ResultsFormat,
    },
    /// 录入一项操作技能评分
    #[command(subcommand)]
    Score(ScoreCommand),
    /// 导出
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// 参赛回执或选手名册（.xlsx/.csv，可多个）
    Registration {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 超出名额的选手及理由: 身份证号=理由
        #[arg(long = "override", value_name = "ID=REASON")]
        overrides: Vec<String>,
    },
    /// 替换评分方案
    Scheme { file: PathBuf },
    /// 理论成绩
    Theory { file: PathBuf },
    /// 操作技能评分
    Scores { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    Add {
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        pin: String,
        #[arg(long = "pool")]
        pools: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Judge,
    Chief,
    Supervisor,
    Coordinator,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Judge => Role::Judge,
            RoleArg::Chief => Role::Chief,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Coordinator => Role::Coordinator,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ContestantCommand {
    /// 检录结果或赛中状态: 正常|缺考|弃赛|取消资格
    Status {
        id_number: String,
        status: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    Set {
        #[arg(long)]
        pool: String,
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
        #[arg(long)]
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// 当前操作技能评分，列与 import scores 相同
    Scores {
        #[arg(long)]
        pool: Option<String>,
        /// 输出文件，- 为标准输出
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ResultsFormat {
    Json,
    Csv,
}

/// A refusal: printed as problem lines or one message, exit code 1.
enum Outcome {
    Done,
    Refused(Vec<String>),
}

fn refused_lines(error: OpsError) -> anyhow::Result<Outcome> {
    match error {
        OpsError::Refused(problems) => Ok(Outcome::Refused(
            problems.iter().map(Problem::to_string).collect(),
        )),
        OpsError::Denied(message) => Ok(Outcome::Refused(vec![format!("error: {message}")])),
        OpsError::Store(e) => Err(e.into()),
    }
}

fn print_warnings(problems: &[Problem]) {
    for p in problems {
        eprintln!("{p}");
    }
}

fn parse_pool(text: &str) -> Result<PoolKey, Outcome> {
    PoolKey::parse(text).ok_or_else(|| {
        Outcome::Refused(vec![format!(
            "error: 赛项组别“{text}”应写作 DS-ZG 这样的形式"
        )])
    })
}

/// The default database: the platform data directory's `judgedesk.sqlite`.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("cn", "judgedesk", "judgedesk")
        .map(|dirs| dirs.data_dir().join("judgedesk.sqlite"))
        .unwrap_or_else(|| PathBuf::from("judgedesk.sqlite"))
}

fn open_existing(path: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn =
        crate::store::open(path).with_context(|| format!("无法打开数据库 {}", path.display()))?;
    if !crate::store::competition::is_initialised(&conn)? {
        anyhow::bail!(
            "{} 中还没有竞赛数据，请先运行 judgedesk --db {} init",
            path.display(),
            path.display()
        );
    }
    Ok(conn)
}

fn create_new(path: &Path) -> anyhow::Result<rusqlite::Connection> {
    if path.exists() {
        anyhow::bail!("{} 已存在，不会覆盖", path.display());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建目录 {}", parent.display()))?;
    }
    Ok(crate::store::open(path).with_context(|| format!("无法创建数据库 {}", path.display()))?)
}

/// Runs one headless command.
pub fn run(db: &Path, command: Command) -> anyhow::Result<ExitCode> {
    let outcome = match command {
        Command::Init => {
            let conn = create_new(db)?;
            crate::ops::setup::init(&conn)?;
            println!("已创建 {}（内置 2023 年竞赛）", db.display());
            Outcome::Done
        }
        Command::Demo => {
            let conn = create_new(db)?;
            crate::ops::setup::init(&conn)?;
            let summary = crate::ops::demo::populate(&conn)?;
            println!("已创建演示数据库 {}: {summary}", db.display());
            Outcome::Done
        }
        Command::Import(import) => run_import(&open_existing(db)?, import)?,
        Command::User(UserCommand::Add {
            role,
            name,
            pin,
            pools,
        }) => {
            let conn = open_existing(db)?;
            let mut keys = Vec::new();
            for text in &pools {
                match parse_pool(text) {
                    Ok(key) => keys.push(key),
                    Err(outcome) => return Ok(finish(outcome)),
                }
            }
            match ops::accounts::add_user(
                &conn,
                &Actor::command_line(),
                &name,
                role.into(),
                &pin,
                &keys,
            ) {
                Ok(_) => {
                    println!("已添加账号 {name}");
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
        Command::Contestant(ContestantCommand::Status {
            id_number,
            status,
            reason,
        }) => {
            let conn = open_existing(db)?;
            match Status::parse(&status) {
                None => Outcome::Refused(vec![format!(
                    "error: 状态“{status}”应为 正常、缺考、弃赛 或 取消资格"
                )]),
                Some(status) => match ops::scoring::set_status(
                    &conn,
                    &Actor::command_line(),
                    &id_number,
                    status,
                    reason.as_deref(),
                ) {
                    Ok(previous) => {
                        println!("状态: {} → {}", previous.label(), status.label());
                        Outcome::Done
                    }
                    Err(e) => refused_lines(e)?,
                },
            }
        }
        Command::Results { pool, format } => {
            let conn = open_existing(db)?;
            if let Some(name) = &pool {
                if let Err(outcome) = parse_pool(name) {
                    return Ok(finish(outcome));
                }
            }
            let results = ops::results::compute(&conn)?;
            if let Some(name) = &pool {
                if results.pool(name).is_none() {
                    return Ok(finish(Outcome::Refused(vec![format!(
                        "error: 没有赛项组别 {name}"
                    )])));
                }
            }
            let mut stdout = std::io::stdout().lock();
            match format {
                ResultsFormat::Json => writeln!(
                    stdout,
                    "{}",
                    crate::io::results::to_json(&results, pool.as_deref())?
                )?,
                ResultsFormat::Csv => {
                    stdout.write_all(&crate::io::results::to_csv(&results, pool.as_deref())?)?
                }
            }
            Outcome::Done
        }
        Command::Score(ScoreCommand::Set {
            pool,
            judge,
            id,
            workstation,
            criterion,
            value,
        }) => {
            let conn = open_existing(db)?;
            let key = match parse_pool(&pool) {
                Ok(key) => key,
                Err(outcome) => return Ok(finish(outcome)),
            };
            let value = match Hundredths::parse(&value) {
                Ok(v) => v,
                Err(e) => {
                    return Ok(finish(Outcome::Refused(vec![format!(
                        "error: 分数“{value}”: {e}"
                    )])));
                }
            };
            let contestant = match (id, workstation) {
                (Some(id), _) => ops::scoring::ContestantRef::IdNumber(id),
                (None, Some(w)) => ops::scoring::ContestantRef::Workstation(w),
                (None, None) => {
                    return Ok(finish(Outcome::Refused(vec![
                        "error: 须给出 --id 或 --workstation".into(),
                    ])));
                }
            };
            let input = ops::scoring::ScoreInput {
                pool: key,
                judge,
                contestant,
                criterion,
                value,
            };
            let device = ops::setup::device_label(&conn)?;
            match ops::scoring::enter_score(&conn, &Actor::command_line(), &device, &input) {
                Ok(receipt) => {
                    println!(
                        "已保存 {} = {}",
                        receipt.criterion,
                        receipt.value.to_short()
                    );
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
        Command::Export(ExportCommand::Scores { pool, out }) => {
            let conn = open_existing(db)?;
            let key = match pool.as_deref().map(parse_pool).transpose() {
                Ok(key) => key,
                Err(outcome) => return Ok(finish(outcome)),
            };
            match ops::imports::export_scores(&conn, key.as_ref()) {
                Ok(bytes) => {
                    if out.as_os_str() == "-" {
                        std::io::stdout().lock().write_all(&bytes)?;
                    } else {
                        crate::io::write_file_atomically(&out, &bytes)
                            .with_context(|| format!("无法写入 {}", out.display()))?;
                        println!("已导出到 {}", out.display());
                    }
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
    };
    Ok(finish(outcome))
}

fn run_import(conn: &rusqlite::Connection, import: ImportCommand) -> anyhow::Result<Outcome> {
    let actor = Actor::command_line();
    let read = |path: &Path| ops::imports::read_file(path);
    let outcome = match import {
        ImportCommand::Registration { files, overrides } => {
            let mut quota_overrides = Vec::new();
            for text in overrides {
                match text.split_once('=') {
                    Some((id, reason)) if !reason.trim().is_empty() => {
                        quota_overrides.push((id.trim().to_string(), reason.trim().to_string()))
                    }
                    _ => {
                        return Ok(Outcome::Refused(vec![format!(
                            "error: --override “{text}”应写作 身份证号=理由"
                        )]));
                    }
                }
            }
            let options = ops::registration::ImportOptions {
                dry_run: false,
                quota_overrides,
            };
            match ops::registration::import_registration(conn, &files, &actor, &options) {
                Ok(report) => {
                    print_warnings(&report.problems);
                    println!(
                        "新增 {} 人，更新 {} 人，未变 {} 人",
                        report.added, report.updated, report.unchanged
                    );
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
        ImportCommand::Scheme { file } => match read(&file)
            .and_then(|tables| ops::imports::import_scheme(conn, &actor, &tables))
        {
            Ok(warnings) => {
                print_warnings(&warnings);
                println!("评分方案已更新");
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
        ImportCommand::Theory { file } => match read(&file)
            .and_then(|tables| ops::imports::import_theory(conn, &actor, &tables))
        {
            Ok((warnings, changed)) => {
                print_warnings(&warnings);
                println!("理论成绩: {changed} 项有变化");
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
        ImportCommand::Scores { file } => {
            let device = ops::setup::device_label(conn)?;
            match read(&file)
                .and_then(|tables| ops::imports::import_scores(conn, &actor, &device, &tables))
            {
                Ok((warnings, changed)) => {
                    print_warnings(&warnings);
                    println!("操作技能评分: {changed} 项有变化");
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
    };
    Ok(outcome)
}

fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::Refused(lines) => {
            for line in lines {
                eprintln!("{line}");
            }
            ExitCode::from(1)
        }
    }
}
