//! Files the app reads and writes: CSV/XLSX tables, the interchange formats of `interchange.md`.
//! Knows files and formats; must not import egui. Turns files into the plain data `ops` stores.

pub mod bundle;
pub mod form;
pub mod interchange;
pub mod results;
pub mod roster;
pub mod table;

use std::io::Write;
use std::path::Path;

/// Writes a file so that it is either wholly there or not at all: a temporary name in the same
/// folder, flushed to disk, then renamed over the target.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ignored = std::fs::remove_file(&temp);
    }
    result
}
