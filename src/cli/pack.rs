//! `pack`: the master writes a registered judging laptop's database; and the guard that refuses
//! every administrative command on such a pack.

use super::safety::{BundleCommand, DeviceCommand};
use super::score::ScoreCommand;
use super::{Command, Outcome, refused_lines};
use crate::ops::{self, Actor};
use std::path::Path;

/// What a judging pack may do: score, export bundles, check and copy itself, show its key.
fn allowed_on_pack(command: &Command) -> bool {
    matches!(
        command,
        Command::Score(ScoreCommand::Set { .. })
            | Command::Bundle(BundleCommand::Export { .. })
            | Command::Verify
            | Command::Backup { .. }
            | Command::Device(DeviceCommand::Show)
    )
}

/// The refusal of an administrative command on a judging pack, or `None` to go on (also when
/// the file is missing or unreadable: the command reports that itself).
pub fn refuse_on_pack(db: &Path, command: &Command) -> Option<Outcome> {
    if allowed_on_pack(command) || !db.exists() {
        return None;
    }
    let device = ops::verify::open_unchanged(db)
        .and_then(|conn| ops::master::pack_of(&conn))
        .ok()
        .flatten()?;
    Some(Outcome::Refused(vec![format!(
        "error: {}",
        ops::master::refusal(&device)
    )]))
}

pub fn pack(db: &Path, device: &str, out: &Path) -> anyhow::Result<Outcome> {
    let conn = super::open_existing(db)?;
    Ok(
        match ops::pack::write_pack(&conn, &Actor::command_line(), device, out) {
            Ok(written) => {
                println!(
                    "已为评分机 {} 生成评分数据包 {}：赛项组别 {}，选手 {} 名（只有工位号），账号 {} 个，评分 {} 条，{} 字节",
                    written.device,
                    written.path.display(),
                    written.pools.join("、"),
                    written.counts.contestants,
                    written.counts.accounts,
                    written.counts.score_entries,
                    written.bytes
                );
                Outcome::Done
            }
            Err(e) => refused_lines(e)?,
        },
    )
}
