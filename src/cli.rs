//! The command line of `interchange.md`: clap reads the arguments into the app's types (`args`),
//! `run` dispatches to one function per command (a file per command family under `cli/`), each
//! calls `ops` and prints plain text. Exit codes: 0 done, 1 refused (bad input or a rule),
//! 2 usage error.

use crate::core::problem::Problem;
use crate::ops::OpsError;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;
mod auth;
mod certificates;
mod export;
mod import;
mod pack;
mod people;
mod pool;
mod print;
mod results;
mod safety;
mod score;
mod setup;

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
    /// 窗口的绘制方式 wgpu 或 glow（默认自动，一种启动不了就换另一种；也可用环境变量 JUDGEDESK_RENDERER）
    #[arg(long, value_parser = ["wgpu", "glow", "auto"])]
    pub renderer: Option<String>,
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
    Import(import::ImportCommand),
    /// 账号管理
    #[command(subcommand)]
    User(people::UserCommand),
    /// 选手管理
    #[command(subcommand)]
    Contestant(people::ContestantCommand),
    /// 排名与奖项
    Results(results::ResultsArgs),
    /// 录入一项操作技能评分
    #[command(subcommand)]
    Score(score::ScoreCommand),
    /// 导出
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// 生成空白表格
    #[command(subcommand)]
    Template(setup::TemplateCommand),
    /// 住宿与抵达汇总（来自单位回执）：每个决赛地点每晚的房间与人数、抵达安排、人数核对
    Logistics {
        /// 输出文件：.xlsx 为工作簿，.pdf 为 PDF
        #[arg(long)]
        out: PathBuf,
    },
    /// 为获奖选手打印荣誉证书（PDF）；未定稿的赛项组别只能加 --draft 打印样张
    Certificates(certificates::CertificatesArgs),
    /// 证书登记簿：列表、记录、重印、作废、套打校准
    #[command(subcommand)]
    Certificate(certificates::CertificateCommand),
    /// 核验证书二维码的内容：有效退出码 0，无效 1
    VerifyCertificate { text: String },
    /// 打印成绩公示、评分表、获奖名册
    #[command(subcommand)]
    Print(print::PrintCommand),
    /// 备份数据库：写出经校验的一致副本
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// 从备份恢复（先把当前数据库另存到 <数据库文件名>.backups/）
    Restore {
        file: PathBuf,
        /// 备份与本机记录不符（较旧、被截短、另一把密钥签封或另一个数据库）时，协调员写明的恢复理由
        #[arg(long)]
        reason: Option<String>,
    },
    /// 检查数据库文件与审计链，列出被修改、删除或插入的每条记录
    Verify,
    /// 本机签名密钥；登记其他评分机
    #[command(subcommand)]
    Device(safety::DeviceCommand),
    /// 评分机之间用 U 盘合并评分的签名数据包
    #[command(subcommand)]
    Bundle(safety::BundleCommand),
    /// 赛项组别的步骤：抽签、锁定、解锁、确认解密、公示、定稿
    #[command(subcommand)]
    Pool(pool::PoolCommand),
    /// 申诉
    #[command(subcommand)]
    Appeal(pool::AppealCommand),
    /// 为一台已登记的评分机生成评分数据包（只含其赛项组别、工位号与本组裁判账号，不含任何个人信息）
    Pack {
        /// 评分机名称（device trust 时所用）
        #[arg(long)]
        device: String,
        /// 输出的数据库文件
        #[arg(long)]
        out: PathBuf,
    },
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
        // A file fault is told with what to do about it, and exits 1 like a refusal: the
        // command did not do its work and changed nothing.
        fault @ OpsError::Io { .. } => Ok(Outcome::Refused(vec![format!("error: {fault}")])),
        OpsError::Store(e) => Err(e.into()),
    }
}

fn print_warnings(problems: &[Problem]) {
    for p in problems {
        eprintln!("{p}");
    }
}

/// The default database: the platform data directory's `judgedesk.sqlite`; on Windows
/// `%APPDATA%\judgedesk\judgedesk.sqlite` (a folder a coordinator can find by typing it).
pub fn default_db_path() -> PathBuf {
    if cfg!(windows) {
        return directories::BaseDirs::new()
            .map(|dirs| dirs.data_dir().join("judgedesk").join("judgedesk.sqlite"))
            .unwrap_or_else(|| PathBuf::from("judgedesk.sqlite"));
    }
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
    crate::store::open(path).with_context(|| format!("无法创建数据库 {}", path.display()))
}

/// Reads the command line. A value refused by one of `args`' parsers is bad input: its message
/// alone, exit code 1, as for any refused work; every other clap error keeps clap's wording and
/// exit code (2 for a usage error, 0 for `--help` and `--version`).
pub fn parse_args() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|error| {
        use std::error::Error as _;
        if let Some(bad) = error
            .source()
            .and_then(|source| source.downcast_ref::<args::BadValue>())
        {
            eprintln!("error: {bad}");
            return ExitCode::from(1);
        }
        let code = if error.use_stderr() { 2 } else { 0 };
        let _ = error.print();
        ExitCode::from(code)
    })
}

/// Runs one headless command: refused on a judging pack unless a judge's, under the writer lock
/// when it may write, followed by the automatic backup when one is due.
pub fn run(db: &Path, command: Command) -> anyhow::Result<ExitCode> {
    if let Some(refused) = pack::refuse_on_pack(db, &command) {
        return Ok(finish(refused));
    }
    let writer = match safety::writer_lock(db, &command) {
        Ok(lock) => lock,
        Err(outcome) => return Ok(finish(outcome)),
    };
    let outcome = dispatch(db, command)?;
    Ok(safety::after_write(db, writer, finish(outcome)))
}

/// One function per command.
fn dispatch(db: &Path, command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Init => setup::init(db),
        Command::Demo => setup::demo(db),
        Command::Import(command) => import::run(&open_existing(db)?, command),
        Command::User(command) => people::user(&open_existing(db)?, command),
        Command::Contestant(command) => people::contestant(&open_existing(db)?, command),
        Command::Results(args) => results::run(&open_existing(db)?, args),
        Command::Score(command) => score::run(&open_existing(db)?, command),
        Command::Export(command) => export::run(&open_existing(db)?, command),
        Command::Template(command) => setup::template(db, command),
        Command::Logistics { out } => export::logistics(&open_existing(db)?, &out),
        Command::Certificates(args) => certificates::print(db, &open_existing(db)?, args),
        Command::Certificate(command) => certificates::register(&open_existing(db)?, command),
        Command::VerifyCertificate { text } => certificates::verify(&open_existing(db)?, &text),
        Command::Print(command) => print::run(&open_existing(db)?, command),
        Command::Backup { out } => safety::backup(db, &out),
        Command::Restore { file, reason } => safety::restore(db, &file, reason.as_deref()),
        Command::Verify => safety::verify(db),
        Command::Device(command) => safety::device(db, command),
        Command::Bundle(command) => safety::bundle(db, command),
        Command::Pool(command) => pool::run_pool(db, command),
        Command::Appeal(command) => pool::run_appeal(db, command),
        Command::Pack { device, out } => pack::pack(db, &device, &out),
    }
}

/// Reports pages as they are laid down, on one line of standard error.
fn page_progress(done: usize, total: usize) {
    if done == total || done.is_multiple_of(100) {
        eprint!("\r已排版 {done}/{total} 页");
        if done == total {
            eprintln!();
        }
    }
}

fn write_document(out: &Path, bytes: &[u8]) -> anyhow::Result<Outcome> {
    write_output(out, bytes)?;
    println!("已写入 {}（{} 字节）", out.display(), bytes.len());
    Ok(Outcome::Done)
}

fn write_output(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    crate::io::write_file_atomically(out, bytes)
        .with_context(|| format!("无法写入 {}", out.display()))
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
