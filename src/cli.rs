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

mod auth;
mod pack;
mod pool;
mod safety;

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
    /// 生成空白表格
    #[command(subcommand)]
    Template(TemplateCommand),
    /// 住宿与抵达汇总（来自单位回执）：每个决赛地点每晚的房间与人数、抵达安排、人数核对
    Logistics {
        /// 输出文件：.xlsx 为工作簿，.pdf 为 PDF
        #[arg(long)]
        out: PathBuf,
    },
    /// 为获奖选手打印荣誉证书（PDF）；未定稿的赛项组别只能加 --draft 打印样张
    Certificates {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        pool: Option<String>,
        #[arg(long, value_enum, default_value = "full")]
        layout: LayoutArg,
        #[arg(long, value_enum, default_value = "a4-landscape")]
        paper: PaperArg,
        /// 套打所用的打印机配置（偏移），默认“默认”
        #[arg(long)]
        printer: Option<String>,
        #[arg(long)]
        draft: bool,
        /// 证书签名私钥文件，默认在本机密钥文件夹（JUDGEDESK_KEY_DIR）中的 certificate.key；旧版放在数据库旁的密钥首次使用时移入
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// 证书登记簿：列表、记录、重印、作废、套打校准
    #[command(subcommand)]
    Certificate(CertificateCommand),
    /// 核验证书二维码的内容：有效退出码 0，无效 1
    VerifyCertificate { text: String },
    /// 打印成绩公示、评分表、获奖名册
    #[command(subcommand)]
    Print(PrintCommand),
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
    /// 各赛项组别的选手名单（供决赛地点检录），身份证号默认只显示前 4 位和后 4 位
    Roster {
        #[arg(long)]
        pool: Option<String>,
        /// 输出文件：.xlsx 为工作簿，.pdf 为 PDF
        #[arg(long)]
        out: PathBuf,
        /// 显示完整身份证号（记入审计日志）
        #[arg(long)]
        full_id: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// 官方参赛回执信息汇总表（每个赛项一页），供各单位填写后导入
    Registration {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ResultsFormat {
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum CertificateCommand {
    /// 证书登记簿（编号、持证人、状态、打印次数）
    List {
        #[arg(long)]
        pool: Option<String>,
    },
    /// 重印与作废记录
    Log {
        /// 只看这一张证书
        number: Option<String>,
    },
    /// 按原编号、原内容重印一张证书
    Reprint {
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "full")]
        layout: LayoutArg,
        #[arg(long, value_enum, default_value = "a4-landscape")]
        paper: PaperArg,
        /// 套打所用的打印机配置
        #[arg(long)]
        printer: Option<String>,
    },
    /// 作废一张证书（编号不再使用，下次打印为该选手发新证）
    Void {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// 打印套打校准页（毫米网格）
    Calibrate {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        printer: Option<String>,
        #[arg(long, value_enum, default_value = "a4-landscape")]
        paper: PaperArg,
    },
    /// 保存打印机的套打偏移（毫米，向右、向下为正）
    Offset {
        #[arg(long)]
        printer: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        x: f32,
        #[arg(long, allow_negative_numbers = true)]
        y: f32,
    },
    /// 已保存的打印机配置及其偏移
    Printers,
}

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// 成绩公示表（每个赛项组别一份）
    Publication {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        pool: Option<String>,
        #[arg(long)]
        draft: bool,
    },
    /// 每位裁判的评分表（工位号、分值、数据指纹、签名栏）
    ScoreSheets {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        pool: Option<String>,
    },
    /// 报省厅的获奖名册（技术能手、技能等级、职称、指导教师）：.pdf 或 .xlsx
    Rosters {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        pool: Option<String>,
        #[arg(long)]
        draft: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// 完整版式（边框、标题、全部文字）
    Full,
    /// 套打（只印文字，用于预印证书纸）
    Overlay,
}

impl From<LayoutArg> for crate::print::certificate::Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::Full => Self::Full,
            LayoutArg::Overlay => Self::Overlay,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    /// A4 横向 297×210
    #[value(name = "a4-landscape")]
    A4Landscape,
    /// A4 纵向 210×297
    #[value(name = "a4-portrait")]
    A4Portrait,
    /// 大度16开 横向 285×210
    #[value(name = "16k-large")]
    Large16k,
    /// 正度16开 横向 260×185
    #[value(name = "16k")]
    Standard16k,
}

impl From<PaperArg> for crate::print::certificate::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4Landscape => Self::A4Landscape,
            PaperArg::A4Portrait => Self::A4Portrait,
            PaperArg::Large16k => Self::Large16k,
            PaperArg::Standard16k => Self::Standard16k,
        }
    }
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

/// Runs one headless command.
pub fn run(db: &Path, command: Command) -> anyhow::Result<ExitCode> {
    if let Some(refused) = pack::refuse_on_pack(db, &command) {
        return Ok(finish(refused));
    }
    let writer = match safety::writer_lock(db, &command) {
        Ok(lock) => lock,
        Err(outcome) => return Ok(finish(outcome)),
    };
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
        Command::Pool(command) => pool::run_pool(db, command)?,
        Command::Appeal(command) => pool::run_appeal(db, command)?,
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
                Some(status) => match ops::status::set_status(
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
            if let Some(name) = &pool
                && let Err(outcome) = parse_pool(name)
            {
                return Ok(finish(outcome));
            }
            let results = ops::results::compute(&conn)?;
            if let Some(name) = &pool
                && results.pool(name).is_none()
            {
                return Ok(finish(Outcome::Refused(vec![format!(
                    "error: 没有赛项组别 {name}"
                )])));
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
            let actor = match auth::act_as(&conn, &input.judge, &[Role::Judge])? {
                Ok(actor) => actor,
                Err(outcome) => return Ok(finish(outcome)),
            };
            let device = ops::setup::device_label(&conn)?;
            match ops::scoring::enter_score(&conn, &actor, &device, &input) {
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
        Command::Template(TemplateCommand::Registration { out }) => run_template(db, &out)?,
        Command::Logistics { out } => run_logistics(&open_existing(db)?, &out)?,
        Command::Export(ExportCommand::Roster { pool, out, full_id }) => {
            run_export_roster(&open_existing(db)?, pool.as_deref(), &out, full_id)?
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
        Command::Certificates {
            out,
            pool,
            layout,
            paper,
            printer,
            draft,
            key,
        } => {
            let pool = match pool.as_deref().map(parse_pool).transpose() {
                Ok(pool) => pool,
                Err(outcome) => return Ok(finish(outcome)),
            };
            let request = ops::certificates::PrintRequest {
                pool,
                paper: paper.into(),
                layout: layout.into(),
                printer,
                draft,
            };
            let key = key.unwrap_or_else(|| ops::certificates::key_path(db));
            run_certificates(&open_existing(db)?, &request, &key, &out)?
        }
        Command::Certificate(command) => run_certificate(&open_existing(db)?, command)?,
        Command::VerifyCertificate { text } => {
            match ops::certificates::verify(&open_existing(db)?, &text) {
                Ok(ops::certificates::Verification::Valid {
                    number,
                    holder,
                    body,
                    issued_on,
                }) => {
                    println!("有效：{number} {holder}，{body}（{issued_on}）");
                    Outcome::Done
                }
                Ok(ops::certificates::Verification::Invalid { reason, .. }) => {
                    Outcome::Refused(vec![format!("无效：{reason}")])
                }
                Err(e) => refused_lines(e)?,
            }
        }
        Command::Print(command) => run_print(&open_existing(db)?, command)?,
        Command::Backup { out } => safety::backup(db, &out)?,
        Command::Restore { file, reason } => safety::restore(db, &file, reason.as_deref())?,
        Command::Verify => safety::verify(db)?,
        Command::Device(command) => safety::device(db, command)?,
        Command::Bundle(command) => safety::bundle(db, command)?,
        Command::Pack { device, out } => pack::pack(db, &device, &out)?,
    };
    Ok(safety::after_write(db, writer, finish(outcome)))
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
    crate::io::write_file_atomically(out, bytes)
        .with_context(|| format!("无法写入 {}", out.display()))?;
    println!("已写入 {}（{} 字节）", out.display(), bytes.len());
    Ok(Outcome::Done)
}

fn run_certificates(
    conn: &rusqlite::Connection,
    request: &ops::certificates::PrintRequest,
    key: &Path,
    out: &Path,
) -> anyhow::Result<Outcome> {
    match ops::certificates::print_certificates(
        conn,
        &Actor::command_line(),
        request,
        key,
        out,
        &mut page_progress,
    ) {
        Ok(report) => {
            let kind = if report.draft {
                "证书样张"
            } else {
                "证书"
            };
            println!(
                "已写入 {}：{kind} {} 张（新发 {}，重印 {}），{} 字节",
                report.path.display(),
                report.pages,
                report.issued,
                report.reprinted,
                report.bytes
            );
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

fn run_certificate(
    conn: &rusqlite::Connection,
    command: CertificateCommand,
) -> anyhow::Result<Outcome> {
    let actor = Actor::command_line();
    let result = match command {
        CertificateCommand::List { pool } => {
            let pool = match pool.as_deref().map(parse_pool).transpose() {
                Ok(pool) => pool,
                Err(outcome) => return Ok(outcome),
            };
            ops::certificates::list(conn, pool.as_ref()).map(|rows| {
                for row in rows {
                    let state = match &row.voided_at {
                        Some(at) => format!(
                            "已作废 {at}（{}）",
                            row.void_reason.clone().unwrap_or_default()
                        ),
                        None => "有效".to_string(),
                    };
                    println!(
                        "{}\t{}\t{}\t{state}\t打印 {} 次",
                        row.number,
                        row.text.holder_name,
                        row.prize.label(),
                        row.prints
                    );
                }
            })
        }
        CertificateCommand::Log { number } => {
            ops::certificates::log(conn, number.as_deref()).map(|rows| {
                for row in rows {
                    let layout = row.layout.as_deref().unwrap_or("");
                    println!(
                        "{}\t{}\t{}\t{}\t{layout}\t{}",
                        row.at,
                        row.number,
                        row.kind.label(),
                        row.actor,
                        row.reason.as_deref().unwrap_or("")
                    );
                }
            })
        }
        CertificateCommand::Reprint {
            number,
            reason,
            out,
            layout,
            paper,
            printer,
        } => {
            let request = ops::certificates::PrintRequest {
                pool: None,
                paper: paper.into(),
                layout: layout.into(),
                printer,
                draft: false,
            };
            ops::certificates::reprint(
                conn,
                &actor,
                &number,
                &reason,
                &request,
                &out,
                &mut page_progress,
            )
            .map(|report| println!("已重印 {} 到 {}", number.trim(), report.path.display()))
        }
        CertificateCommand::Void { number, reason } => {
            ops::certificates::void(conn, &actor, &number, &reason)
                .map(|row| println!("已作废 {}（{}）", row.number, row.text.holder_name))
        }
        CertificateCommand::Calibrate {
            out,
            printer,
            paper,
        } => match ops::certificates::calibration_page(conn, printer.as_deref(), paper.into()) {
            Ok(bytes) => return write_document(&out, &bytes),
            Err(e) => Err(e),
        },
        CertificateCommand::Offset { printer, x, y } => {
            let printer = printer.unwrap_or_else(|| ops::certificates::DEFAULT_PRINTER.to_string());
            let offset = crate::print::certificate::Offset { x, y };
            ops::certificates::set_printer_offset(conn, &actor, &printer, offset)
                .map(|()| println!("打印机“{printer}”的套打偏移：X {x:+.1} 毫米，Y {y:+.1} 毫米"))
        }
        CertificateCommand::Printers => ops::certificates::printers(conn).map(|profiles| {
            for (name, offset) in profiles {
                println!("{name}\tX {:+.1}\tY {:+.1}", offset.x, offset.y);
            }
        }),
    };
    match result {
        Ok(()) => Ok(Outcome::Done),
        Err(e) => refused_lines(e),
    }
}

fn run_print(conn: &rusqlite::Connection, command: PrintCommand) -> anyhow::Result<Outcome> {
    let (out, pool) = match &command {
        PrintCommand::Publication { out, pool, .. }
        | PrintCommand::ScoreSheets { out, pool }
        | PrintCommand::Rosters { out, pool, .. } => (out.clone(), pool.clone()),
    };
    let pool = match pool.as_deref().map(parse_pool).transpose() {
        Ok(pool) => pool,
        Err(outcome) => return Ok(outcome),
    };
    let bytes = match command {
        PrintCommand::Publication { draft, .. } => {
            ops::documents::publication(conn, pool.as_ref(), draft, &mut page_progress)
        }
        PrintCommand::ScoreSheets { .. } => {
            ops::documents::score_sheets(conn, pool.as_ref(), &mut page_progress)
        }
        PrintCommand::Rosters { draft, .. } => {
            let format = ops::documents::Format::of_path(&out);
            ops::documents::rosters(conn, pool.as_ref(), format, draft, &mut page_progress)
        }
    };
    match bytes {
        Ok(bytes) => write_document(&out, &bytes),
        Err(e) => refused_lines(e),
    }
}

fn write_output(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    crate::io::write_file_atomically(out, bytes)
        .with_context(|| format!("无法写入 {}", out.display()))
}

/// The blank form: from the database when it exists, else from the built-in competition
/// (nothing is created on disk).
fn run_template(db: &Path, out: &Path) -> anyhow::Result<Outcome> {
    let conn = if db.exists() {
        open_existing(db)?
    } else {
        let conn = crate::store::open_in_memory()?;
        crate::ops::setup::init(&conn)?;
        conn
    };
    match ops::registration::registration_template(&conn) {
        Ok(bytes) => {
            write_output(out, &bytes)?;
            println!("已生成报名表模板 {}", out.display());
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}

fn run_logistics(conn: &rusqlite::Connection, out: &Path) -> anyhow::Result<Outcome> {
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

fn run_export_roster(
    conn: &rusqlite::Connection,
    pool: Option<&str>,
    out: &Path,
    full_id: bool,
) -> anyhow::Result<Outcome> {
    let key = match pool.map(parse_pool).transpose() {
        Ok(key) => key,
        Err(outcome) => return Ok(outcome),
    };
    let format = ops::documents::Format::of_path(out);
    match ops::registration::export_roster(
        conn,
        &Actor::command_line(),
        key.as_ref(),
        full_id,
        format,
    ) {
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
