//! One writer per database (an OS advisory lock on `<db>.lock`) and plain Chinese messages for file faults: disk full, read-only media, no permission, a stick pulled out.
//!
//! The window holds the lock for as long as it is open; a second window on the same file is
//! refused at once. A command that writes takes the lock for its own duration, waiting a few
//! seconds for another command to finish, and is refused while a window holds it. SQLite's own
//! locking keeps the file consistent regardless; this lock keeps two people from typing into
//! one database at once. The lock is released by the OS when the process ends, even by `kill -9`.

use super::{OpsError, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a command waits for another command to release the database.
pub const COMMAND_WAIT: Duration = Duration::from_secs(5);

/// Who holds a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Window,
    Command,
}

impl Holder {
    fn code(self) -> &'static str {
        match self {
            Holder::Window => "window",
            Holder::Command => "command",
        }
    }
}

/// The exclusive right to write one database, held until dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

/// `<db>.lock`, beside the database.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "judgedesk.sqlite".into());
    name.push(".lock");
    db.with_file_name(name)
}

impl WriterLock {
    /// For the window: succeeds at once or refuses, saying who holds the database.
    pub fn for_window(db: &Path) -> Result<WriterLock> {
        Self::acquire(db, Holder::Window, Duration::ZERO)
    }

    /// For a command that writes: waits up to `COMMAND_WAIT` for another command, refuses at
    /// once if a window holds the database.
    pub fn for_command(db: &Path) -> Result<WriterLock> {
        Self::acquire(db, Holder::Command, COMMAND_WAIT)
    }

    /// The database's folder is created when missing: on a laptop where the app never ran, the
    /// lock is the first file written there.
    pub fn acquire(db: &Path, holder: Holder, wait: Duration) -> Result<WriterLock> {
        let path = lock_path(db);
        if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| OpsError::io(e, format!("无法写入数据库 {}", db.display())))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| OpsError::io(e, format!("无法写入数据库 {}", db.display())))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let other = read_holder(&path);
                    if other == Some(Holder::Window) || started.elapsed() >= wait {
                        return Err(OpsError::Denied(held_message(db, other)));
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(OpsError::io(e, format!("无法锁定数据库 {}", db.display())));
                }
            }
        }
        // Say who holds it, for the message another process shows. Not needed for safety.
        let note = format!("{} {}\n", holder.code(), std::process::id());
        let noted = if cfg!(windows) {
            std::fs::write(note_path(&path), note.as_bytes())
        } else {
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(note.as_bytes()))
        };
        if let Err(e) = noted {
            return Err(OpsError::io(e, format!("无法写入数据库 {}", db.display())));
        }
        Ok(WriterLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Where the holder's note is: in the lock file, except on Windows, where a locked file cannot
/// be read by another process, so the note is `<db>.lock.holder` beside it.
fn note_path(lock: &Path) -> PathBuf {
    if cfg!(windows) {
        let mut name = lock.as_os_str().to_owned();
        name.push(".holder");
        PathBuf::from(name)
    } else {
        lock.to_path_buf()
    }
}

fn read_holder(path: &Path) -> Option<Holder> {
    let mut text = String::new();
    File::open(note_path(path))
        .and_then(|mut f| f.read_to_string(&mut text))
        .ok()?;
    match text.split_whitespace().next()? {
        "window" => Some(Holder::Window),
        "command" => Some(Holder::Command),
        _ => None,
    }
}

fn held_message(db: &Path, holder: Option<Holder>) -> String {
    match holder {
        Some(Holder::Window) => format!(
            "数据库 {} 已在另一个 judgedesk 窗口中打开；同一数据库只能由一个窗口写入。请先关闭那个窗口（或以只读方式查看）",
            db.display()
        ),
        _ => format!(
            "数据库 {} 正被另一个 judgedesk 命令使用，请稍后重试",
            db.display()
        ),
    }
}

/// Writes a file a person asked for: its folder created when missing, the file written whole or
/// not at all, and a failure told in plain Chinese (disk full, stick pulled, read-only).
pub fn save_file(out: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| OpsError::io(e, format!("无法创建文件夹 {}", dir.display())))?;
    }
    crate::io::write_file_atomically(out, bytes).map_err(|e| {
        // Replacing a file another program has open is "access denied" on Windows; opening it
        // for writing tells that apart from a read-only file or folder.
        let e = match e.raw_os_error() {
            Some(ACCESS_DENIED) if cfg!(windows) && out.is_file() => {
                match OpenOptions::new().append(true).open(out) {
                    Err(held) if held_by_another_program(&held) => held,
                    _ => e,
                }
            }
            _ => e,
        };
        OpsError::io(e, format!("无法写入 {}", out.display()))
    })
}

const SHARING_VIOLATION: i32 = 32;
const LOCK_VIOLATION: i32 = 33;
const ACCESS_DENIED: i32 = 5;

/// Whether a file operation failed because another program holds the file open without sharing
/// (Windows: a PDF viewer showing it). Elsewhere an open file never stops a write.
fn held_by_another_program(error: &std::io::Error) -> bool {
    cfg!(windows)
        && matches!(
            error.raw_os_error(),
            Some(SHARING_VIOLATION | LOCK_VIOLATION)
        )
}

/// `what` failed because of `error`: what happened and what to do, in Chinese. Callers promise
/// that nothing was half-written (they write to a temporary name and rename).
pub fn io_message(error: &std::io::Error, what: &str) -> String {
    use std::io::ErrorKind::*;
    let advice = match error.kind() {
        _ if held_by_another_program(error) => {
            "文件正被其他程序打开（例如仍在 PDF 阅读器中显示）。请关闭该文件后重试，或换一个文件名保存"
        }
        StorageFull | QuotaExceeded => "磁盘或 U 盘空间已满。请腾出空间或换一个 U 盘后重试",
        ReadOnlyFilesystem => "目标位置只读（U 盘写保护或只读介质）。请换一个可写的位置后重试",
        PermissionDenied => "没有写入该位置的权限。请换一个位置或请管理员开通权限后重试",
        NotFound => "找不到该位置（U 盘是否已拔出？文件夹是否存在？）。请检查后重试",
        _ => "读写出错（U 盘是否被拔出或已损坏？）。请检查后重试",
    };
    format!("{what}：{advice}；未留下不完整的文件（{error}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_gets_its_folder_and_a_failure_is_told_plainly() {
        let dir = std::env::temp_dir().join(format!("judgedesk-save-{}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&dir);
        let out = dir.join("打印").join("公示.pdf");
        save_file(&out, b"%PDF").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&out).unwrap_or_default(), b"%PDF");
        // A folder where the file should go: refused, in words, nothing else written.
        let blocked = dir.join("占位");
        std::fs::create_dir_all(blocked.join("x")).unwrap_or_else(|e| panic!("{e}"));
        match save_file(&blocked, b"x") {
            Err(fault @ OpsError::Io { .. }) => {
                let message = fault.to_string();
                assert!(message.contains("无法写入") && message.contains("未留下不完整的文件"))
            }
            other => panic!("expected a file fault, got {other:?}"),
        }
        let _ignored = std::fs::remove_dir_all(&dir);
    }

    /// Windows only (run under Wine): a PDF viewer keeps the file open and shares reading only.
    #[cfg(windows)]
    #[test]
    fn saving_over_a_pdf_a_viewer_holds_open_says_so_plainly() {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        let dir = std::env::temp_dir().join(format!("judgedesk-viewer-{}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&dir);
        let out = dir.join("公示.pdf");
        save_file(&out, b"%PDF old").unwrap_or_else(|e| panic!("{e}"));
        let viewer = OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ)
            .open(&out)
            .unwrap_or_else(|e| panic!("{e}"));
        match save_file(&out, b"%PDF new") {
            Err(fault @ OpsError::Io { .. }) => {
                let message = fault.to_string();
                assert!(
                    message.contains("文件正被其他程序打开") && message.contains("公示.pdf"),
                    "{message}"
                )
            }
            other => panic!("expected a file fault, got {other:?}"),
        }
        drop(viewer);
        assert_eq!(std::fs::read(&out).unwrap_or_default(), b"%PDF old");
        save_file(&out, b"%PDF new").unwrap_or_else(|e| panic!("{e}"));
        let _ignored = std::fs::remove_dir_all(&dir);
    }

    fn temp_db(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("judgedesk-lock-{name}-{}", std::process::id()));
        let _ignored = std::fs::create_dir_all(&dir);
        dir.join("judgedesk.sqlite")
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_a_file_fault_and_a_held_database_a_refusal() {
        let db = temp_db("held");
        let file = db.with_file_name("a-file");
        std::fs::write(&file, b"x").unwrap_or_else(|e| panic!("{e}"));
        match save_file(&file.join("sub").join("x.pdf"), b"x") {
            Err(OpsError::Io { what, source }) => {
                assert!(what.contains("无法创建文件夹"), "{what}");
                assert_eq!(source.kind(), std::io::ErrorKind::NotADirectory);
            }
            other => panic!("expected a file fault, got {other:?}"),
        }
        let first = WriterLock::for_window(&db);
        assert!(first.is_ok(), "{first:?}");
        assert!(matches!(
            WriterLock::for_window(&db),
            Err(OpsError::Denied(_))
        ));
        drop(first);
        let _ignored = std::fs::remove_dir_all(db.parent().unwrap_or(Path::new("/nonexistent")));
    }

    #[test]
    fn a_second_window_on_one_database_is_refused() {
        let db = temp_db("window");
        let first = WriterLock::for_window(&db);
        assert!(first.is_ok(), "{first:?}");
        let second = WriterLock::for_window(&db)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(second.contains("另一个 judgedesk 窗口"), "{second}");
        let command = WriterLock::for_command(&db)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            command.contains("窗口"),
            "a command does not wait for a window: {command}"
        );
        drop(first);
        assert!(WriterLock::for_window(&db).is_ok(), "released when dropped");
        let _ignored = std::fs::remove_dir_all(db.parent().unwrap_or(Path::new("/nonexistent")));
    }

    #[test]
    fn a_command_waits_for_another_command() {
        let db = temp_db("command");
        let first = WriterLock::for_command(&db);
        assert!(first.is_ok());
        let waiter = {
            let db = db.clone();
            std::thread::spawn(move || {
                WriterLock::for_command(&db)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        };
        std::thread::sleep(Duration::from_millis(200));
        drop(first);
        assert_eq!(waiter.join().ok(), Some(Ok(())));
        let _ignored = std::fs::remove_dir_all(db.parent().unwrap_or(Path::new("/nonexistent")));
    }

    #[test]
    fn file_faults_are_explained() {
        let full = io_message(
            &std::io::Error::from(std::io::ErrorKind::StorageFull),
            "导出失败",
        );
        assert!(full.contains("空间已满"), "{full}");
        let pulled = io_message(
            &std::io::Error::from(std::io::ErrorKind::NotFound),
            "导出失败",
        );
        assert!(pulled.contains("拔出"), "{pulled}");
        let read_only = io_message(
            &std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem),
            "导出失败",
        );
        assert!(read_only.contains("只读"), "{read_only}");
    }
}
