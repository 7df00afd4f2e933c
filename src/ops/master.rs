//! Whether this database is the master or a judging laptop's pack: administrative actions run on
//! the master only. Every `ops` module may ask; this module asks only `store`.

use super::{OpsError, Result};
use crate::store::pack;
use rusqlite::Connection;

/// The refusal of an administrative action on a pack.
pub fn refusal(device: &str) -> String {
    format!(
        "这是评分机“{device}”的评分数据包，只能用于裁判评分、导出数据包和校验；管理操作请在主控机上进行"
    )
}

/// Refuses an administrative action on a judging pack.
pub fn ensure_master(conn: &Connection) -> Result<()> {
    match pack::pack_device(conn)? {
        Some(device) => Err(OpsError::Denied(refusal(&device))),
        None => Ok(()),
    }
}

/// The laptop a database is the pack of, if it is one.
pub fn pack_of(conn: &Connection) -> Result<Option<String>> {
    Ok(pack::pack_device(conn)?)
}
