//! The judging pack: the database a judging laptop works on, written by the master for one
//! registered laptop and holding only what that laptop's judges and chief judge may see (see
//! `store::pack`). On a pack the judges score and export bundles; every administrative action is
//! refused (`ops::master::ensure_master`).

use super::{Actor, OpsError, Result};
use crate::core::model::Role;
use crate::store::{self, audit, competition, pack};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A written pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub device: String,
    pub pools: Vec<String>,
    pub counts: pack::PackCounts,
    pub bytes: u64,
}

/// Writes the pack of the registered laptop `device` to `out` (which must not exist yet): a
/// judgedesk database with the laptop's pools and nothing personal. The coordinator, on the
/// master. The file appears complete or not at all; the master records the pack in its audit.
pub fn write_pack(conn: &Connection, actor: &Actor, device: &str, out: &Path) -> Result<Written> {
    if actor.role != Role::Coordinator {
        return Err(OpsError::Denied("只有赛务人员可以生成评分机数据包".into()));
    }
    super::master::ensure_master(conn)?;
    let device = device.trim();
    let registered = super::device::registered(conn)?
        .into_iter()
        .find(|d| d.name == device)
        .ok_or_else(|| {
            OpsError::Denied(format!(
                "没有登记名为“{device}”的评分机：先运行 judgedesk device trust 公钥 --name {device} --pool 赛项组别"
            ))
        })?;
    if let Some(revoked) = &registered.revoked {
        return Err(OpsError::Denied(format!(
            "评分机 {device} 已于 {} 撤销，不能再为它生成数据包",
            revoked.revoked_at
        )));
    }
    if registered.pools.is_empty() {
        return Err(OpsError::Denied(format!(
            "评分机 {device} 登记时没有指定服务的赛项组别：请运行 judgedesk device trust 公钥 --name {device} --pool 赛项组别"
        )));
    }
    let mut pool_ids = Vec::new();
    for name in &registered.pools {
        let pool = crate::core::model::PoolKey::parse(name)
            .map(|key| competition::pool(conn, &key))
            .transpose()?
            .flatten()
            .ok_or_else(|| OpsError::Denied(format!("没有赛项组别 {name}")))?;
        pool_ids.push(pool.id);
    }
    let master = super::backup::db_path(conn)
        .ok_or_else(|| OpsError::Denied("内存中的数据库不能生成评分机数据包".into()))?;
    if out.exists() {
        return Err(OpsError::Denied(format!(
            "{} 已存在，不会覆盖",
            out.display()
        )));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| OpsError::io(e, format!("无法创建目录 {}", parent.display())))?;
    }
    let temp = crate::io::temp_beside(out, "partial");
    remove_partial(&temp);
    let written = (|| -> Result<pack::PackCounts> {
        let pack_conn = store::open(&temp)?;
        let counts = pack::fill(&pack_conn, &master, &pool_ids, device)?;
        store::checkpoint(&pack_conn)?;
        store::use_rollback_journal(&pack_conn)?;
        pack::compact(&pack_conn)?;
        pack_conn
            .close()
            .map_err(|(_, e)| OpsError::from(store::StoreError::Sql(e)))?;
        Ok(counts)
    })();
    let counts = match written {
        Ok(counts) => counts,
        Err(e) => {
            remove_partial(&temp);
            return Err(e);
        }
    };
    let placed = crate::io::flush_file(&temp)
        .and_then(|()| std::fs::rename(&temp, out))
        .and_then(|()| crate::io::sync_folder(out));
    if let Err(e) = placed {
        remove_partial(&temp);
        return Err(OpsError::io(
            e,
            format!("写入评分机数据包 {} 失败", out.display()),
        ));
    }
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let tx = crate::store::begin(conn)?;
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: &actor.name,
            action: "生成评分机数据包",
            subject: Some(device),
            new_value: Some(&registered.pools.join(",")),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(Written {
        path: out.to_path_buf(),
        device: device.to_string(),
        pools: registered.pools,
        counts,
        bytes,
    })
}

/// Removes a partial pack and the journal files SQLite may have left beside it.
fn remove_partial(temp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = temp.as_os_str().to_owned();
        name.push(suffix);
        let _absent = std::fs::remove_file(PathBuf::from(name));
    }
}
