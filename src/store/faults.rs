//! What a SQLite failure means for the person at the laptop, in Chinese: disk full, read-only media, no permission, a damaged file.

use rusqlite::ErrorCode;

/// A message saying what happened and what to do; the technical detail follows in brackets.
pub fn describe(error: &rusqlite::Error) -> String {
    let advice = match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            "磁盘空间已满，本次操作未保存（此前已保存的内容不受影响）。请腾出空间后重试"
        }
        Some(ErrorCode::ReadOnly) => {
            "数据库文件只读（只读介质、写保护或没有写入权限），本次操作未保存"
        }
        Some(ErrorCode::PermissionDenied) => "没有访问数据库文件的权限，本次操作未保存",
        Some(ErrorCode::CannotOpen) => "无法打开数据库文件（路径不存在、U 盘已拔出或没有权限）",
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "数据库正被另一个程序使用，本次操作未保存，请稍后重试"
        }
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            "数据库文件已损坏或不是 judgedesk 数据库。请停止使用该文件，运行 verify 检查并从最近的备份恢复"
        }
        Some(ErrorCode::SystemIoFailure) => {
            "读写数据库时出错（存储设备被拔出或损坏？），本次操作未保存"
        }
        Some(ErrorCode::TooBig) => "数据过大，本次操作未保存",
        _ => return format!("数据库错误: {error}"),
    };
    format!("{advice}（{error}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_full_is_said_plainly() {
        let error = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(13), None);
        assert!(
            describe(&error).starts_with("磁盘空间已满"),
            "{}",
            describe(&error)
        );
    }
}
