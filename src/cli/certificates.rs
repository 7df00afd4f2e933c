//! `certificates`, `certificate list|log|reprint|void|calibrate|offset|printers` and
//! `verify-certificate`: printing certificates, their register, and checking a scanned one.

use super::args::{self, LayoutArg, PaperArg};
use super::{Outcome, page_progress, refused_lines, write_document};
use crate::core::model::PoolKey;
use crate::ops::{self, Actor, certificates};
use clap::{Args, Subcommand};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CertificatesArgs {
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_parser = args::pool)]
    pool: Option<PoolKey>,
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
}

#[derive(Debug, Subcommand)]
pub enum CertificateCommand {
    /// 证书登记簿（编号、持证人、状态、打印次数）
    List {
        #[arg(long, value_parser = args::pool)]
        pool: Option<PoolKey>,
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

/// `certificates`: a certificate for every prize winner of the chosen pools.
pub fn print(db: &Path, conn: &Connection, args: CertificatesArgs) -> anyhow::Result<Outcome> {
    let request = certificates::PrintRequest {
        pool: args.pool,
        paper: args.paper.into(),
        layout: args.layout.into(),
        printer: args.printer,
        draft: args.draft,
    };
    let key = args.key.unwrap_or_else(|| certificates::key_path(db));
    match certificates::print_certificates(
        conn,
        &Actor::command_line(),
        &request,
        &key,
        &args.out,
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

/// `verify-certificate TEXT`: exit code 0 for a valid certificate, 1 for an invalid one.
pub fn verify(conn: &Connection, text: &str) -> anyhow::Result<Outcome> {
    match certificates::verify(conn, text) {
        Ok(certificates::Verification::Valid {
            number,
            holder,
            body,
            issued_on,
        }) => {
            println!("有效：{number} {holder}，{body}（{issued_on}）");
            Ok(Outcome::Done)
        }
        Ok(certificates::Verification::Invalid { reason, .. }) => {
            Ok(Outcome::Refused(vec![format!("无效：{reason}")]))
        }
        Err(e) => refused_lines(e),
    }
}

/// `certificate …`: the register.
pub fn register(conn: &Connection, command: CertificateCommand) -> anyhow::Result<Outcome> {
    let actor = Actor::command_line();
    let result = match command {
        CertificateCommand::List { pool } => list(conn, pool.as_ref()),
        CertificateCommand::Log { number } => log(conn, number.as_deref()),
        CertificateCommand::Reprint {
            number,
            reason,
            out,
            layout,
            paper,
            printer,
        } => {
            let request = certificates::PrintRequest {
                pool: None,
                paper: paper.into(),
                layout: layout.into(),
                printer,
                draft: false,
            };
            certificates::reprint(
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
            certificates::void(conn, &actor, &number, &reason)
                .map(|row| println!("已作废 {}（{}）", row.number, row.text.holder_name))
        }
        CertificateCommand::Calibrate {
            out,
            printer,
            paper,
        } => match certificates::calibration_page(conn, printer.as_deref(), paper.into()) {
            Ok(bytes) => return write_document(&out, &bytes),
            Err(e) => Err(e),
        },
        CertificateCommand::Offset { printer, x, y } => {
            let printer = printer.unwrap_or_else(|| certificates::DEFAULT_PRINTER.to_string());
            let offset = crate::print::certificate::Offset { x, y };
            certificates::set_printer_offset(conn, &actor, &printer, offset)
                .map(|()| println!("打印机“{printer}”的套打偏移：X {x:+.1} 毫米，Y {y:+.1} 毫米"))
        }
        CertificateCommand::Printers => certificates::printers(conn).map(|profiles| {
            for profile in profiles {
                let (name, offset) = (profile.name, profile.offset);
                println!("{name}\tX {:+.1}\tY {:+.1}", offset.x, offset.y);
            }
        }),
    };
    match result {
        Ok(()) => Ok(Outcome::Done),
        Err(e) => refused_lines(e),
    }
}

fn list(conn: &Connection, pool: Option<&PoolKey>) -> ops::Result<()> {
    for row in certificates::list(conn, pool)? {
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
    Ok(())
}

fn log(conn: &Connection, number: Option<&str>) -> ops::Result<()> {
    for row in certificates::log(conn, number)? {
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
    Ok(())
}
