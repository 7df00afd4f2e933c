//! `init`, `demo` and `template registration`: a new database, a demo one, the blank form.

use super::{Outcome, create_new, open_existing, refused_lines};
use crate::ops;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// 官方参赛回执信息汇总表（每个赛项一页），供各单位填写后导入
    Registration {
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn init(db: &Path) -> anyhow::Result<Outcome> {
    let conn = create_new(db)?;
    ops::setup::init(&conn)?;
    println!("已创建 {}（内置 2023 年竞赛）", db.display());
    Ok(Outcome::Done)
}

pub fn demo(db: &Path) -> anyhow::Result<Outcome> {
    let conn = create_new(db)?;
    ops::setup::init(&conn)?;
    let summary = ops::demo::populate(&conn)?;
    println!("已创建演示数据库 {}: {summary}", db.display());
    Ok(Outcome::Done)
}

/// The blank form: from the database when it exists, else from the built-in competition
/// (nothing is created on disk).
pub fn template(db: &Path, command: TemplateCommand) -> anyhow::Result<Outcome> {
    let TemplateCommand::Registration { out } = command;
    let conn = if db.exists() {
        open_existing(db)?
    } else {
        let conn = crate::store::open_in_memory()?;
        ops::setup::init(&conn)?;
        conn
    };
    match ops::registration::registration_template(&conn) {
        Ok(bytes) => {
            super::write_output(&out, &bytes)?;
            println!("已生成报名表模板 {}", out.display());
            Ok(Outcome::Done)
        }
        Err(e) => refused_lines(e),
    }
}
