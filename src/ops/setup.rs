//! Creating a database from the built-in competition, and this laptop's device label.

use super::{OpsError, Result};
use crate::store::{audit, competition};
use rusqlite::Connection;

/// Writes the built-in 2023 competition into an empty database.
pub fn init(conn: &Connection) -> Result<()> {
    let builtin = crate::builtin::load().map_err(|e| OpsError::Denied(e.to_string()))?;
    let tx = crate::store::begin(conn)?;
    competition::init(&tx, &builtin)?;
    audit::log(
        &tx,
        &audit::AuditEntry {
            actor: "系统",
            action: "创建竞赛",
            subject: Some(&builtin.short_name),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// Opens an existing database or creates it from the built-in competition (first start).
pub fn open_or_create(path: &std::path::Path) -> Result<Connection> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| OpsError::io(e, format!("无法创建目录 {}", parent.display())))?;
    }
    let conn = crate::store::open(path)?;
    if !competition::is_initialised(&conn)? {
        init(&conn)?;
    }
    Ok(conn)
}

/// The device new score entries record: this laptop's name and signing-key fingerprint.
pub fn device_label(conn: &Connection) -> Result<String> {
    super::device::label(conn)
}

/// Changes whenever another process commits to the database file (not on this connection's
/// own commits): the window reloads when it moves.
pub fn outside_version(conn: &Connection) -> Option<i64> {
    crate::store::data_version(conn).ok()
}
