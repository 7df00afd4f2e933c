//! This laptop's Ed25519 signing key: one file outside every database (a copied database never copies the laptop's identity), created on first use, never replaced silently.
//!
//! The folder is `$JUDGEDESK_KEY_DIR` when set (tests, or a deliberate choice), else the
//! platform's local data folder (`~/.local/share/judgedesk` on Linux, `%LOCALAPPDATA%` on Windows).

use ed25519_dalek::SigningKey;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the key folder.
pub const KEY_DIR_ENV: &str = "JUDGEDESK_KEY_DIR";
const FILE_NAME: &str = "device.key";
const HEADER: &str = "judgedesk-ed25519-v1";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("无法读取本机签名密钥 {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法创建本机签名密钥 {path}: {source}（请检查该文件夹是否可写）")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("本机签名密钥文件 {0} 内容无效；为免改变本机身份，程序不会自动替换它，请联系技术支持")]
    Corrupt(PathBuf),
}

/// The folder holding this laptop's key.
pub fn default_dir() -> PathBuf {
    match std::env::var_os(KEY_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        // Windows: %LOCALAPPDATA%\judgedesk, this laptop's own (never roams with a profile).
        _ if cfg!(windows) => directories::BaseDirs::new()
            .map(|dirs| dirs.data_local_dir().join("judgedesk"))
            .unwrap_or_else(|| PathBuf::from(".")),
        _ => directories::ProjectDirs::from("cn", "judgedesk", "judgedesk")
            .map(|dirs| dirs.data_local_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".")),
    }
}

/// The key file inside `dir`.
pub fn key_path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Reads the key in `dir`, creating it (and the folder) on first use. A damaged key file is an
/// error, never silently replaced: replacing it would change who this laptop is.
pub fn load_or_create(dir: &Path) -> Result<SigningKey, KeyError> {
    let path = key_path(dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).ok_or(KeyError::Corrupt(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(dir, &path),
        Err(source) => Err(KeyError::Read { path, source }),
    }
}

fn parse(text: &str) -> Option<SigningKey> {
    let hex = text.trim().strip_prefix(HEADER)?.trim();
    let bytes = crate::core::chain::from_hex(hex)?;
    let seed = <[u8; 32]>::try_from(bytes).ok()?;
    Some(SigningKey::from_bytes(&seed))
}

fn create(dir: &Path, path: &Path) -> Result<SigningKey, KeyError> {
    let create_error = |source| KeyError::Create {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(create_error)?;
    let mut seed = [0u8; 32];
    rand::TryRngCore::try_fill_bytes(&mut rand::rngs::OsRng, &mut seed)
        .map_err(|e| create_error(std::io::Error::other(e.to_string())))?;
    let key = SigningKey::from_bytes(&seed);
    match create_secret_file(
        path,
        &format!("{HEADER} {}\n", crate::core::chain::to_hex(&seed)),
    )
    .map_err(create_error)?
    {
        true => Ok(key),
        false => load_existing(path),
    }
}

/// Creates a secret file (mode 0600 on Unix) with `contents`, whole or not at all, and never over
/// a file that is already there: written under a temporary name of its own, flushed, then hard
/// linked into place, so a file another thread or process created meanwhile wins. Returns false
/// when `path` already existed. The folder must exist.
pub fn create_secret_file(path: &Path, contents: &str) -> std::io::Result<bool> {
    // One temporary name per call: threads of one process and other processes never share it.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.{call}.tmp", std::process::id()));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        drop(file);
        // A hard link never replaces a file another process created meanwhile.
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(_) if !path.exists() => std::fs::rename(&temp, path).map(|()| true),
            Err(e) => Err(e),
        }
    })();
    if temp.exists() {
        std::fs::remove_file(&temp)?;
    }
    written
}

fn load_existing(path: &Path) -> Result<SigningKey, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).ok_or_else(|| KeyError::Corrupt(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("judgedesk-key-{name}-{}", std::process::id()));
        let _ignored = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn threads_creating_the_key_at_once_all_get_the_same_key() -> Result<(), KeyError> {
        let dir = temp_dir("threads");
        let keys: Vec<Result<[u8; 32], KeyError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| load_or_create(&dir).map(|k| k.to_bytes())))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| panic!("thread panicked")))
                .collect()
        });
        let keys = keys.into_iter().collect::<Result<Vec<_>, _>>()?;
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "one key for all");
        let stray: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(stray, vec![std::ffi::OsString::from(FILE_NAME)]);
        let _ignored = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn the_key_is_created_once_and_then_read_back() -> Result<(), KeyError> {
        let dir = temp_dir("create");
        let first = load_or_create(&dir)?;
        let second = load_or_create(&dir)?;
        assert_eq!(first.to_bytes(), second.to_bytes());
        let _ignored = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn a_damaged_key_file_is_an_error_not_a_new_identity() -> Result<(), KeyError> {
        let dir = temp_dir("corrupt");
        load_or_create(&dir)?;
        std::fs::write(key_path(&dir), "garbage").map_err(|source| KeyError::Read {
            path: dir.clone(),
            source,
        })?;
        assert!(matches!(load_or_create(&dir), Err(KeyError::Corrupt(_))));
        assert_eq!(
            std::fs::read_to_string(key_path(&dir)).ok().as_deref(),
            Some("garbage")
        );
        let _ignored = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
