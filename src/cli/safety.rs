//! The command line of issue 6: `backup`, `restore`, `verify`, `device`, `bundle`, and the writer lock every writing command takes.

use super::{Command, Outcome, open_existing, refused_lines};
use crate::core::model::PoolKey;
use crate::ops::backup;
use crate::ops::bundle::{self, Keep};
use crate::ops::safety::WriterLock;
use crate::ops::verify::Startup;
use crate::ops::{self, Actor};
use crate::store::device_key;
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// 显示本机的签名公钥与指纹
    Show,
    /// 登记另一台评分机的公钥，以接受它的数据包
    Trust {
        public_key: String,
        #[arg(long)]
        name: String,
        /// 该机服务的赛项组别（可多个）：只接受这些组别、其裁判的评分
        #[arg(long = "pool", value_name = "DS-ZG", value_parser = super::args::pool)]
        pools: Vec<PoolKey>,
    },
    /// 撤销对一台评分机的信任：它此后的数据包一律拒绝
    Revoke {
        name: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// 把本机录入的评分写成签名数据包（写入、刷盘、读回校验后才提示可以拔出 U 盘）
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// 校验并合并另一台评分机的数据包；重复导入不会增加任何内容
    Import { file: PathBuf },
    /// 列出合并冲突（默认只列未裁决的）
    Conflicts {
        #[arg(long)]
        all: bool,
    },
    /// 裁决一项合并冲突
    Resolve {
        id: i64,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepArg {
    /// 保留本机数值
    Local,
    /// 采用导入的数值
    Incoming,
}

/// Takes the database's writer lock for a command that may write, and refuses to write into a
/// damaged file (`PRAGMA quick_check`), naming the newest backup that verifies. `None` for
/// commands that only read, create a new file, or name a database that does not exist (they
/// report that themselves).
pub fn writer_lock(db: &Path, command: &Command) -> Result<Option<WriterLock>, Outcome> {
    let reads_only = matches!(
        command,
        Command::Init
            | Command::Demo
            | Command::Results(_)
            | Command::Export(_)
            | Command::VerifyCertificate { .. }
            | Command::Backup { .. }
            | Command::Verify
            | Command::Device(DeviceCommand::Show)
            | Command::Bundle(BundleCommand::Export { .. } | BundleCommand::Conflicts { .. })
    );
    if reads_only {
        return Ok(None);
    }
    if matches!(command, Command::Restore { .. }) {
        if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Outcome::Refused(vec![format!(
                    "error: {}",
                    ops::safety::io_message(&e, &format!("无法创建目录 {}", parent.display()))
                )])
            })?;
        }
    } else if !db.exists() {
        return Ok(None);
    }
    let lock =
        WriterLock::for_command(db).map_err(|e| Outcome::Refused(vec![format!("error: {e}")]))?;
    if !matches!(command, Command::Restore { .. })
        && let Startup::Damaged { problems, backup } = ops::verify::startup_check(db)
    {
        let mut lines = vec![format!(
            "error: 数据库 {} 已损坏，拒绝在其上继续工作：{}",
            db.display(),
            problems.join("；")
        )];
        lines.push(match backup {
            Some(path) => format!(
                "error: 最近一份通过校验的备份是 {0}，可运行 judgedesk --db {1} restore {0}",
                path.display(),
                db.display()
            ),
            None => "error: 没有找到通过校验的备份，请联系技术支持".to_string(),
        });
        return Err(Outcome::Refused(lines));
    }
    Ok(Some(lock))
}

/// After a writing command: an automatic backup when one is due. A failure is a warning; the
/// command's own work is already saved.
pub fn after_write(db: &Path, lock: Option<WriterLock>, code: ExitCode) -> ExitCode {
    if lock.is_some() && code == ExitCode::SUCCESS && db.exists() {
        let due = crate::store::open(db)
            .map_err(ops::OpsError::from)
            .and_then(|conn| backup::automatic_if_due(&conn));
        match due {
            Ok(Some(info)) => eprintln!("已自动备份到 {}", info.path.display()),
            Ok(None) => {}
            Err(e) => eprintln!("warning: 自动备份失败：{e}"),
        }
    }
    drop(lock);
    code
}

pub fn backup(db: &Path, out: &Path) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    Ok(match backup::backup_to(&conn, out) {
        Ok(info) => {
            println!(
                "已备份到 {}（{} 条评分记录，审计链 {} 条，已校验）",
                info.path.display(),
                info.score_entries,
                info.links
            );
            Outcome::Done
        }
        Err(e) => refused_lines(e)?,
    })
}

pub fn restore(db: &Path, file: &Path, reason: Option<&str>) -> anyhow::Result<Outcome> {
    Ok(
        match backup::restore_with_reason(db, file, &Actor::command_line(), reason) {
            Ok(restored) => {
                if let Some(aside) = &restored.aside {
                    println!("原数据库已另存为 {}", aside.display());
                }
                println!(
                    "已从 {} 恢复 {}；审计链 {} 条，校验通过",
                    file.display(),
                    db.display(),
                    restored.report.links
                );
                for finding in &restored.report.findings {
                    eprintln!("{}: warning: {finding}", db.display());
                }
                Outcome::Done
            }
            Err(e) => match refused_lines(e)? {
                // On the command line the reason is given with --reason.
                Outcome::Refused(mut lines) if reason.is_none() => {
                    lines.push(format!(
                        "（需要写明理由时：judgedesk --db {} restore {} --reason \"理由\"）",
                        db.display(),
                        file.display()
                    ));
                    Outcome::Refused(lines)
                }
                other => other,
            },
        },
    )
}

pub fn verify(db: &Path) -> anyhow::Result<Outcome> {
    let report = match ops::verify::verify_file(db) {
        Ok(report) => report,
        Err(e) => return refused_lines(e),
    };
    let name = db.display();
    // Each lock's chain head as the file has it now, for comparing with the printed sheets.
    let heads = ops::verify::open_unchanged(db)
        .and_then(|conn| ops::verify::lock_heads(&conn))
        .unwrap_or_default();
    if report.is_clean() && heads.iter().all(|h| h.matches()) {
        println!(
            "{name}: 文件完整性检查通过；审计链 {} 条记录完整、签名有效（创建设备 {}，共 {} 台设备签名）",
            report.links,
            report.root.as_deref().unwrap_or("-"),
            report.signers.len()
        );
        for head in &heads {
            println!("{name}: {head}");
        }
        return Ok(Outcome::Done);
    }
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{name}: error: {f}"))
        .chain(
            heads
                .iter()
                .filter(|h| !h.matches())
                .map(|h| format!("{name}: error: {h}")),
        )
        .collect();
    let problems = lines.len();
    lines.push(format!(
        "{name}: error: 共发现 {problems} 处问题，该文件不是本程序写入时的原样"
    ));
    Ok(Outcome::Refused(lines))
}

pub fn device(db: &Path, command: DeviceCommand) -> anyhow::Result<Outcome> {
    match command {
        DeviceCommand::Show => device_show(db),
        DeviceCommand::Trust {
            public_key,
            name,
            pools,
        } => device_trust(db, &public_key, &name, &pools),
        DeviceCommand::Revoke { name, reason } => device_revoke(db, &name, &reason),
    }
}

/// `device show`: this laptop's key, and the laptops this database has registered.
fn device_show(db: &Path) -> anyhow::Result<Outcome> {
    // Without a database (a laptop before its copy arrives) the key alone is shown.
    let key_dir = device_key::default_dir();
    let conn = if db.exists() {
        Some(open_existing(db)?)
    } else {
        None
    };
    let (name, public_key) = match &conn {
        Some(conn) => {
            let this = ops::device::this_device(conn)?;
            (this.name, this.public_key)
        }
        None => {
            let key = device_key::load_or_create(&key_dir)?;
            ("本机".to_string(), crate::core::chain::public_hex(&key))
        }
    };
    println!("名称: {name}");
    println!("公钥: {public_key}");
    println!("指纹: {}", crate::core::chain::fingerprint(&public_key));
    println!("密钥文件: {}", device_key::key_path(&key_dir).display());
    if let Some(conn) = &conn {
        for device in ops::device::registered(conn)? {
            let pools = if device.pools.is_empty() {
                "未指定赛项组别".to_string()
            } else {
                device.pools.join("、")
            };
            let state = match &device.revoked {
                Some(r) => format!("，已于 {} 撤销（{}）", r.revoked_at, r.reason),
                None => String::new(),
            };
            println!(
                "已登记评分机: {}（{}）：{pools}{state}",
                device.name, device.fingerprint
            );
        }
    }
    Ok(Outcome::Done)
}

/// `device trust`: registers another laptop's key, with the pools it serves.
fn device_trust(
    db: &Path,
    public_key: &str,
    name: &str,
    pools: &[PoolKey],
) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    let pools = (!pools.is_empty()).then_some(pools);
    let actor = Actor::command_line();
    Ok(
        match ops::device::trust_for_pools(&conn, &actor, public_key, name, pools) {
            Ok(outcome) => {
                let fingerprint = crate::core::chain::normalise_public_key(public_key)
                    .map(|k| crate::core::chain::fingerprint(&k))
                    .unwrap_or_default();
                let verb = match outcome {
                    ops::device::Trusted::Added => "已登记",
                    ops::device::Trusted::Renamed => "已更名为",
                    ops::device::Trusted::Unchanged => "早已登记为",
                };
                println!("{verb}评分机 {}（指纹 {fingerprint}）", name.trim());
                let pools = ops::device::registered(&conn)?
                    .into_iter()
                    .find(|d| d.name == name.trim())
                    .map(|d| d.pools)
                    .unwrap_or_default();
                if pools.is_empty() {
                    println!("该机未指定服务的赛项组别，它的数据包将被拒绝；请加 --pool 赛项组别");
                } else {
                    println!("服务的赛项组别: {}", pools.join("、"));
                }
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
    )
}

/// `device revoke`: withdraws a laptop's trust.
fn device_revoke(db: &Path, name: &str, reason: &str) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    Ok(
        match ops::device::revoke(&conn, &Actor::command_line(), name, reason) {
            Ok(fingerprint) => {
                println!(
                    "已撤销评分机 {}（指纹 {fingerprint}）：它此后的数据包一律拒绝",
                    name.trim()
                );
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
    )
}

pub fn bundle(db: &Path, command: BundleCommand) -> anyhow::Result<Outcome> {
    let conn = open_existing(db)?;
    let actor = Actor::command_line();
    Ok(match command {
        BundleCommand::Export { out } => match bundle::export(&conn, &out) {
            Ok(done) => {
                println!(
                    "已导出本机 {} 条评分到 {}，已写入并读回校验，可以安全拔出 U 盘",
                    done.entries,
                    done.path.display()
                );
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
        BundleCommand::Import { file } => bundle_import(&conn, &actor, &file)?,
        BundleCommand::Conflicts { all } => {
            let list = bundle::conflicts(&conn, all)?;
            if list.is_empty() {
                println!("没有{}合并冲突", if all { "" } else { "待裁决的" });
            }
            for conflict in &list {
                let state = match conflict.resolution.as_deref() {
                    Some("local") => "（已裁决：保留本机）",
                    Some(_) => "（已裁决：采用导入）",
                    None => "",
                };
                println!("{}{state}", bundle::describe(conflict));
            }
            Outcome::Done
        }
        BundleCommand::Resolve { id, keep } => {
            let keep = match keep {
                KeepArg::Local => Keep::Local,
                KeepArg::Incoming => Keep::Incoming,
            };
            match bundle::resolve(&conn, &actor, id, keep) {
                Ok(()) => {
                    println!("合并冲突 #{id} 已裁决");
                    Outcome::Done
                }
                Err(e) => refused_lines(e)?,
            }
        }
    })
}

/// `bundle import FILE`: verifies and merges another laptop's bundle; conflicts are warnings.
fn bundle_import(
    conn: &rusqlite::Connection,
    actor: &Actor,
    file: &Path,
) -> anyhow::Result<Outcome> {
    Ok(match bundle::import(conn, actor, file) {
        Ok(report) => {
            for conflict in &report.conflicts {
                eprintln!(
                    "{}: warning: 合并冲突 {}，请裁判长裁决",
                    file.display(),
                    bundle::describe(conflict)
                );
            }
            if report.added == 0 && report.conflicts.is_empty() {
                println!(
                    "来自 {}：{} 条记录均已存在，未做任何更改",
                    report.device, report.already
                );
            } else {
                println!(
                    "来自 {}：新增 {} 条，已有 {} 条，冲突 {} 条",
                    report.device,
                    report.added,
                    report.already,
                    report.conflicts.len()
                );
            }
            Outcome::Done
        }
        Err(e) => refused_lines(e)?,
    })
}
