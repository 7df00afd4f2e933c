//! Files the app reads and writes: CSV/XLSX tables, the interchange formats of `interchange.md`.
//! Knows files and formats; must not import egui. Turns files into the plain data `ops` stores.

pub mod bundle;
pub mod form;
pub mod interchange;
pub mod results;
pub mod roster;
pub mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes a file so that it is either wholly there or not at all: a temporary name in the same
/// folder, flushed to disk, renamed over the target, and the folder entry flushed.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = temp_beside(path, "tmp");
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        sync_folder(path)
    })();
    if result.is_err() {
        let _ignored = std::fs::remove_file(&temp);
    }
    result
}

/// A hidden temporary name beside `path` (`.NAME.PID.N.SUFFIX`), new on every call: threads of
/// one process and other processes never share one.
pub fn temp_beside(path: &Path, suffix: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(
        ".{file_name}.{}.{call}.{suffix}",
        std::process::id()
    ))
}

/// Flushes a written file to disk through a handle that may write: Windows refuses to flush
/// through a read-only one.
pub fn flush_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

/// Flushes the folder entry of a renamed file (Unix; Windows cannot open a folder as a file,
/// and its rename is durable once the file itself was flushed).
pub fn sync_folder(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _unused = path;
    Ok(())
}
