//! Carrying scores between laptops on a USB stick: exporting this laptop's entries as a signed bundle, importing another laptop's (checked before anything changes; again adds nothing), and the conflicts the chief judge decides.
//!
//! The file format is documented in `io::bundle`.

use super::{Actor, OpsError, Result};
use crate::core::chain;
use crate::core::model::{PoolKey, PoolState, Role};
use crate::core::problem::Problem;
use crate::core::score::Hundredths;
use crate::io::bundle::{self, Entry, Header};
use crate::store::merge::{self, BUNDLE_SOURCE, LocalEntry};
use crate::store::{audit, competition, ledger, now_text, people};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A written bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    pub entries: usize,
    pub bytes: usize,
}

/// Writes this laptop's score entries to `out` as a signed bundle. When this returns Ok the file
/// has been flushed, read back and checked, and the stick may be removed.
pub fn export(conn: &Connection, out: &Path) -> Result<Exported> {
    let signer = ledger::own_public_key(conn)?;
    let entries: Vec<Entry> = merge::own_entries(conn, &signer)?
        .into_iter()
        .map(|e| Entry {
            uid: e.uid,
            pool: format!("{}-{}", e.event, e.group),
            id_number: e.id_number,
            criterion: e.criterion,
            judge: e.judge,
            value: e.value,
            entered_at: e.entered_at,
            entered_by: e.entered_by,
            device: e.device,
            source: e.source,
            supersedes: e.supersedes,
        })
        .collect();
    let header = Header {
        format: String::new(),
        version: 0,
        signer: String::new(),
        device: super::device::this_device(conn)?.name,
        competition: competition::competition(conn)?.short_name,
        created_at: now_text(),
        entries: 0,
    };
    let encoding = |e: serde_json::Error| OpsError::Denied(format!("无法生成数据包: {e}"));
    let body = bundle::unsigned(header, &entries, &signer).map_err(encoding)?;
    let signature = ledger::sign(conn, &bundle::message_to_sign(&body))?;
    let bytes = bundle::finish(body, signature).map_err(encoding)?;
    bundle::decode(&bytes).map_err(|e| OpsError::Denied(format!("生成的数据包未通过自检: {e}")))?;
    bundle::write_verified(out, &bytes)
        .map_err(|e| OpsError::io(e, format!("导出数据包 {} 失败", out.display())))?;
    Ok(Exported {
        path: out.to_path_buf(),
        entries: entries.len(),
        bytes: bytes.len(),
    })
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The sending laptop's name as registered here.
    pub device: String,
    pub added: usize,
    /// Entries already here (or already recorded as conflicts).
    pub already: usize,
    /// Conflicts found by this import.
    pub conflicts: Vec<merge::Conflict>,
}

/// Reads, checks and merges a bundle. Refused as a whole, with nothing changed, when the file is
/// truncated or altered, signed by a laptop this database does not trust, from another
/// competition, or names a pool, contestant, criterion or judge this database lacks. An entry
/// already here is skipped; one that disagrees with this laptop's newest value of the same cell
/// becomes a merge conflict and changes no score.
pub fn import(conn: &Connection, actor: &Actor, file: &Path) -> Result<Imported> {
    super::master::ensure_master(conn)?;
    let read_error =
        |e: std::io::Error| OpsError::io(e, format!("读取数据包 {} 失败", file.display()));
    // The size is checked before anything is read: a file from outside is never read whole
    // when it cannot be a bundle.
    let size = std::fs::metadata(file).map_err(read_error)?.len();
    if size > bundle::MAX_BYTES {
        return Err(OpsError::Denied(format!(
            "拒绝导入 {}: {}",
            file.display(),
            bundle::BundleError::TooLarge(size)
        )));
    }
    let bytes = std::fs::read(file).map_err(read_error)?;
    let found = bundle::decode(&bytes)
        .map_err(|e| OpsError::Denied(format!("拒绝导入 {}: {e}", file.display())))?;
    let signer = &found.header.signer;
    let own = ledger::own_public_key(conn)?;
    let device = match ledger::device_name(conn, signer)? {
        Some(name) => name,
        None if *signer == own => "本机".to_string(),
        None => {
            return Err(OpsError::Denied(format!(
                "拒绝导入 {}: 数据包由未登记的评分机签名（“{}”，指纹 {}）。如确属本场评分机，请在该机上运行 judgedesk device show 核对公钥，再在本机运行 judgedesk device trust 公钥 --name 名称",
                file.display(),
                found.header.device,
                chain::fingerprint(signer)
            )));
        }
    };
    if let Some(revoked) = ledger::revocation(conn, signer)? {
        return Err(OpsError::Denied(format!(
            "拒绝导入 {}: 评分机 {device} 已于 {} 撤销（{}），它之后的数据包一律不接受",
            file.display(),
            revoked.revoked_at,
            revoked.reason
        )));
    }
    // The pools the sending laptop serves; this laptop's own bundle may carry any of its entries.
    let served = if *signer == own {
        None
    } else {
        match ledger::device_pools(conn, signer)? {
            Some(pools) if !pools.is_empty() => Some(pools),
            _ => {
                return Err(OpsError::Denied(format!(
                    "拒绝导入 {}: 评分机 {device} 登记时没有指定它服务的赛项组别。请运行 judgedesk device trust 公钥 --name {device} --pool 赛项组别",
                    file.display()
                )));
            }
        }
    };
    let from = merge::Provenance {
        digest: found.digest.clone(),
        signer: signer.clone(),
    };
    let ours = competition::competition(conn)?.short_name;
    if found.header.competition != ours {
        return Err(OpsError::Denied(format!(
            "拒绝导入 {}: 数据包属于“{}”，本数据库是“{ours}”",
            file.display(),
            found.header.competition
        )));
    }

    let file_label = file.display().to_string();
    let tx = crate::store::begin(conn)?;
    let mut resolver = Resolver::default();
    let mut problems = Vec::new();
    let mut report = Imported {
        device: device.clone(),
        ..Default::default()
    };
    let mut touched_pools = Vec::new();
    for (index, entry) in found.entries.iter().enumerate() {
        let line = index + 2;
        let problem = |message: String| Problem::error(&file_label, message).at_row(None, line);
        if let Some(pools) = &served
            && !pools.contains(&entry.pool)
        {
            problems.push(problem(format!(
                "评分机 {device} 未登记为 {} 的评分机，不能带来该赛项组别的评分",
                entry.pool
            )));
            continue;
        }
        let (local, pool) = match resolver.resolve(&tx, entry)? {
            Ok(resolved) => resolved,
            Err(message) => {
                problems.push(problem(message));
                continue;
            }
        };
        if let Some(stored) = merge::entry_by_uid(&tx, &entry.uid)? {
            let same = (
                stored.contestant_id,
                stored.criterion_id,
                stored.judge_id,
                stored.value,
                &stored.entered_at,
            ) == (
                local.contestant_id,
                local.criterion_id,
                local.judge_id,
                local.value,
                &local.entered_at,
            );
            if same {
                report.already += 1;
            } else {
                problems.push(problem(format!(
                    "记录 {} 与本机已有的同号记录内容不同",
                    entry.uid
                )));
            }
            continue;
        }
        if merge::conflict_recorded(&tx, &entry.uid)? {
            report.already += 1;
            continue;
        }
        if pool.state >= PoolState::Locked {
            problems.push(problem(format!(
                "{} 已{}，不能再合并评分",
                pool.title(),
                pool.state.label()
            )));
            continue;
        }
        if crate::store::workflow::is_submitted(&tx, local.judge_id, local.contestant_id)? {
            problems.push(problem(format!(
                "{} 工位{} 的评分行已由 {} 提交，数据包不能再改动它（需裁判长先退回）",
                pool.title(),
                resolver.workstation(&tx, local.contestant_id)?,
                entry.judge
            )));
            continue;
        }
        match merge::newest_in_cell(&tx, local.contestant_id, local.criterion_id, local.judge_id)? {
            Some((local_uid, local_value))
                if Some(&local_uid) != entry.supersedes.as_ref() && local_value != entry.value =>
            {
                let id = merge::insert_conflict(&tx, &local, &from, &local_uid, local_value)?;
                if let Some(conflict) = merge::conflict(&tx, id)? {
                    report.conflicts.push(conflict);
                }
            }
            _ => {
                merge::insert_entry(&tx, &local)?;
                merge::record_provenance(&tx, &local.uid, &from)?;
                report.added += 1;
            }
        }
        if !touched_pools.contains(&pool.id) {
            touched_pools.push(pool.id);
            if pool.state < PoolState::Scoring {
                competition::set_pool_state(&tx, pool.id, PoolState::Scoring)?;
            }
        }
    }
    if !problems.is_empty() {
        return Err(OpsError::Refused(problems));
    }
    if report.added == 0 && report.conflicts.is_empty() {
        return Ok(report); // the transaction is dropped: nothing was written
    }
    let summary = format!(
        "新增 {} 条，已有 {} 条，冲突 {} 条",
        report.added,
        report.already,
        report.conflicts.len()
    );
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: &actor.name,
            action: "合并数据包",
            subject: Some(&device),
            new_value: Some(&summary),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(report)
}

/// A pool with its criteria and their row ids.
type PoolScheme = (
    competition::PoolInfo,
    Vec<(i64, crate::core::model::Criterion)>,
);

/// Finds a bundle entry's pool, contestant, criterion and judge here, caching per pool.
#[derive(Default)]
struct Resolver {
    pools: HashMap<String, Option<PoolScheme>>,
    judges: HashMap<String, Option<people::Account>>,
}

impl Resolver {
    /// A contestant's workstation as the chief judge reads it (`-` before the draw).
    fn workstation(&self, conn: &Connection, contestant_id: i64) -> Result<String> {
        Ok(people::contestant_workstation(conn, contestant_id)?
            .map(|w| w.to_string())
            .unwrap_or_else(|| "-".into()))
    }

    fn resolve(
        &mut self,
        conn: &Connection,
        entry: &Entry,
    ) -> Result<std::result::Result<(LocalEntry, competition::PoolInfo), String>> {
        if !self.pools.contains_key(&entry.pool) {
            let found = match PoolKey::parse(&entry.pool) {
                Some(key) => match competition::pool(conn, &key)? {
                    Some(pool) => {
                        let criteria = competition::criteria(conn, pool.id)?;
                        Some((pool, criteria))
                    }
                    None => None,
                },
                None => None,
            };
            self.pools.insert(entry.pool.clone(), found);
        }
        let Some(Some((pool, criteria))) = self.pools.get(&entry.pool) else {
            return Ok(Err(format!("本数据库没有赛项组别 {}", entry.pool)));
        };
        // An entry made on a judging pack names its contestant by the master's row id.
        let found = match crate::store::pack::parse_token(&entry.id_number) {
            Some(row_id) => people::contestant_by_row_id(conn, row_id)?,
            None => {
                let id_number = crate::core::idcard::normalise(&entry.id_number);
                people::contestant_by_id_number(conn, &id_number)?
            }
        };
        let Some(contestant) = found.filter(|c| c.record.pool_id == pool.id) else {
            return Ok(Err(format!("{} 中没有该身份证号的选手", pool.title())));
        };
        let Some((criterion_id, criterion)) =
            criteria.iter().find(|(_, c)| c.code == entry.criterion)
        else {
            return Ok(Err(format!(
                "{} 没有评分项 {}",
                pool.title(),
                entry.criterion
            )));
        };
        if let Some(value) = entry.value
            && let Err(e) = criterion.check_value(Hundredths(value))
        {
            return Ok(Err(format!("{} {}: {e}", criterion.code, criterion.name)));
        }
        if !self.judges.contains_key(&entry.judge) {
            let account = people::account_by_name(conn, &entry.judge)?;
            self.judges.insert(entry.judge.clone(), account);
        }
        let Some(Some(judge)) = self.judges.get(&entry.judge) else {
            return Ok(Err(format!("本数据库没有裁判账号 {}", entry.judge)));
        };
        if judge.role != Role::Judge || !judge.pools.contains(&pool.id) {
            return Ok(Err(format!(
                "{} 不是 {} 的裁判，不能带来其评分",
                entry.judge,
                pool.title()
            )));
        }
        let judge_id = &judge.id;
        let local = LocalEntry {
            uid: entry.uid.clone(),
            contestant_id: contestant.id,
            criterion_id: *criterion_id,
            judge_id: *judge_id,
            value: entry.value,
            entered_at: entry.entered_at.clone(),
            entered_by: entry.entered_by.clone(),
            device: entry.device.clone(),
            source: BUNDLE_SOURCE.to_string(),
            supersedes: entry.supersedes.clone(),
        };
        Ok(Ok((local, pool.clone())))
    }
}

/// Merge conflicts, oldest first; only the undecided ones unless `all`.
pub fn conflicts(conn: &Connection, all: bool) -> Result<Vec<merge::Conflict>> {
    Ok(merge::conflicts(conn, all)?)
}

/// `DS-ZG 工位3 C01 DS-ZG裁判1：本机 80 / 3号评分机 85` — never a name or ID number.
pub fn describe(conflict: &merge::Conflict) -> String {
    let value = |v: Option<i64>| {
        v.map(|v| Hundredths(v).to_short())
            .unwrap_or_else(|| "（撤回）".into())
    };
    let place = match conflict.workstation {
        Some(w) => format!("工位{w}"),
        None => format!("选手#{}", conflict.contestant_id),
    };
    format!(
        "#{} {}-{} {place} {} {}：本机 {}，{}（{}）{}",
        conflict.id,
        conflict.pool_event,
        conflict.pool_group,
        conflict.criterion,
        conflict.judge,
        value(conflict.local_value),
        conflict.incoming_device,
        conflict.incoming_entered_at,
        value(conflict.incoming_value)
    )
}

/// Which value of a conflict stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Local,
    Incoming,
}

/// The chief judge (or coordinator) decides a conflict: keep this laptop's value, or take the
/// other laptop's (appended as a new entry of the cell). Every undecided conflict of the same
/// cell is closed with it.
pub fn resolve(conn: &Connection, actor: &Actor, conflict_id: i64, keep: Keep) -> Result<()> {
    if !matches!(actor.role, Role::Chief | Role::Coordinator) {
        return Err(OpsError::Denied(
            "只有裁判长或赛务人员可以裁决合并冲突".into(),
        ));
    }
    let tx = crate::store::begin(conn)?;
    let conflict = merge::conflict(&tx, conflict_id)?
        .ok_or_else(|| OpsError::Denied(format!("没有编号为 {conflict_id} 的合并冲突")))?;
    if conflict.resolution.is_some() {
        return Err(OpsError::Denied(format!("合并冲突 #{conflict_id} 已裁决")));
    }
    let key = PoolKey::parse(&format!("{}-{}", conflict.pool_event, conflict.pool_group));
    let pool = match key {
        Some(key) => competition::pool(&tx, &key)?,
        None => None,
    }
    .ok_or_else(|| OpsError::Denied("冲突所在的赛项组别不存在".into()))?;
    if pool.state >= PoolState::Locked {
        return Err(OpsError::Denied(format!(
            "{} 已{}，不能再裁决",
            pool.title(),
            pool.state.label()
        )));
    }
    let cell = (
        conflict.contestant_id,
        conflict.criterion_id,
        conflict.judge_id,
    );
    let current = merge::newest_in_cell(&tx, cell.0, cell.1, cell.2)?;
    let (resolution, chosen) = match keep {
        Keep::Local => ("local", current.as_ref().and_then(|(_, v)| *v)),
        Keep::Incoming => {
            merge::insert_entry(
                &tx,
                &LocalEntry {
                    uid: conflict.uid.clone(),
                    contestant_id: cell.0,
                    criterion_id: cell.1,
                    judge_id: cell.2,
                    value: conflict.incoming_value,
                    entered_at: conflict.incoming_entered_at.clone(),
                    entered_by: conflict.incoming_entered_by.clone(),
                    device: conflict.incoming_device.clone(),
                    source: BUNDLE_SOURCE.to_string(),
                    supersedes: current.as_ref().map(|(uid, _)| uid.clone()),
                },
            )?;
            if let Some(from) = merge::conflict_provenance(&tx, conflict_id)? {
                merge::record_provenance(&tx, &conflict.uid, &from)?;
            }
            ("incoming", conflict.incoming_value)
        }
    };
    merge::mark_cell_resolved(&tx, cell.0, cell.1, cell.2, &actor.name, resolution)?;
    let place = conflict
        .workstation
        .map(|w| format!("工位{w}"))
        .unwrap_or_else(|| format!("选手#{}", conflict.contestant_id));
    let subject = format!("{} {place} {}", conflict.judge, conflict.criterion);
    let pool_name = pool.key.to_string();
    let old = conflict.local_value.map(|v| Hundredths(v).to_short());
    let new = chosen.map(|v| Hundredths(v).to_short());
    let reason = match keep {
        Keep::Local => "采用本机数值".to_string(),
        Keep::Incoming => format!("采用 {} 的数值", conflict.incoming_device),
    };
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: &actor.name,
            action: "裁决合并冲突",
            pool: Some(&pool_name),
            contestant_id: Some(conflict.contestant_id),
            subject: Some(&subject),
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            reason: Some(&reason),
        },
    )?;
    tx.commit()?;
    Ok(())
}
