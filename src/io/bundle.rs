//! The signed bundle that carries one laptop's score entries to another on a USB stick: the format, writing it durably, reading and checking it.
//!
//! # Format, version 1
//!
//! UTF-8 text, one JSON object a line, every line ending in `\n`:
//!
//! 1. Header: `{"format":"judgedesk-bundle","version":1,"signer":"<public key, 64 hex>",
//!    "device":"<laptop name>","competition":"<short name>","created_at":"<local time>","entries":N}`
//! 2. `N` entry lines, oldest first: `{"uid":"…","pool":"DS-ZG","id_number":"…","criterion":"C01",
//!    "judge":"<account name>","value":8050,"entered_at":"…","entered_by":"…","device":"…",
//!    "source":"score","supersedes":"<uid>"|null}`. `value` is in hundredths; `null` withdraws.
//! 3. Trailer: `{"sha256":"<hex digest of every byte before this line>","signature":"<hex>"}`,
//!    the signer's Ed25519 signature of `bundle:<digest>` (see `core::chain::sign`).
//!
//! Nothing may follow the trailer. A file that does not end in a valid trailer (truncated), whose
//! digest or signature does not match (altered), whose entry count differs from the header, that
//! repeats a uid or holds a line that does not parse is refused as a whole. Whether the signer is
//! trusted is for the importer to decide.

use crate::core::chain;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

pub const FORMAT: &str = "judgedesk-bundle";
pub const VERSION: u32 = 1;
/// The largest bundle read: one laptop's entries of a whole final are a few MB.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries one bundle may declare.
pub const MAX_ENTRIES: usize = 200_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub signer: String,
    pub device: String,
    pub competition: String,
    pub created_at: String,
    pub entries: usize,
}

/// One score entry, named portably (pool, ID number, criterion code, judge name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub uid: String,
    pub pool: String,
    pub id_number: String,
    pub criterion: String,
    pub judge: String,
    pub value: Option<i64>,
    pub entered_at: String,
    pub entered_by: String,
    pub device: String,
    pub source: String,
    pub supersedes: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trailer {
    sha256: String,
    signature: String,
}

/// A bundle whose digest and signature have been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub header: Header,
    pub entries: Vec<Entry>,
    /// SHA-256 of the signed part: names this bundle.
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("不是 judgedesk 评分数据包")]
    NotABundle,
    #[error("数据包格式版本 {0} 不受支持，请升级 judgedesk")]
    Version(u32),
    #[error("数据包不完整（文件被截断，可能是 U 盘在写入时被拔出），请在原评分机上重新导出")]
    Truncated,
    #[error("数据包内容与签名时不一致（文件被修改或损坏）")]
    Altered,
    #[error("数据包签名无效")]
    BadSignature,
    #[error("数据包第 {line} 行无法读取: {message}")]
    BadLine { line: usize, message: String },
    #[error("数据包声明 {expected} 条记录，实际 {found} 条")]
    CountMismatch { expected: usize, found: usize },
    #[error("数据包第 {0} 行的记录编号重复")]
    DuplicateUid(usize),
    #[error("数据包过大（{0} 字节，上限 64 MB）或记录过多，不是评分机导出的数据包")]
    TooLarge(u64),
}

fn signed_message(digest: &str) -> String {
    format!("bundle:{digest}")
}

/// Writes a bundle signed by `key` (the header's `format`, `version`, `signer` and `entries`
/// are filled in here).
pub fn encode(header: Header, entries: &[Entry], key: &SigningKey) -> serde_json::Result<Vec<u8>> {
    let body = unsigned(header, entries, &chain::public_hex(key))?;
    let signature = chain::sign(key, &message_to_sign(&body));
    finish(body, signature)
}

/// The header and entry lines, for a signer whose key is held elsewhere (a database connection).
pub fn unsigned(
    mut header: Header,
    entries: &[Entry],
    signer: &str,
) -> serde_json::Result<Vec<u8>> {
    header.format = FORMAT.to_string();
    header.version = VERSION;
    header.signer = signer.to_string();
    header.entries = entries.len();
    let mut bytes = serde_json::to_vec(&header)?;
    bytes.push(b'\n');
    for entry in entries {
        bytes.extend(serde_json::to_vec(entry)?);
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// What the signer signs (with `core::chain::sign`) for the lines `unsigned` wrote.
pub fn message_to_sign(body: &[u8]) -> String {
    signed_message(&chain::sha256_hex(body))
}

/// Appends the trailer to the lines `unsigned` wrote.
pub fn finish(mut body: Vec<u8>, signature: String) -> serde_json::Result<Vec<u8>> {
    let sha256 = chain::sha256_hex(&body);
    body.extend(serde_json::to_vec(&Trailer { sha256, signature })?);
    body.push(b'\n');
    Ok(body)
}

/// Reads and checks a bundle (digest, signature by the stated signer, count, unique uids).
pub fn decode(bytes: &[u8]) -> Result<Bundle, BundleError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(BundleError::TooLarge(bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| BundleError::NotABundle)?;
    let first_line = text.split('\n').next().unwrap_or_default();
    let header: Header = serde_json::from_str(first_line).map_err(|_| BundleError::NotABundle)?;
    if header.format != FORMAT {
        return Err(BundleError::NotABundle);
    }
    if header.version != VERSION {
        return Err(BundleError::Version(header.version));
    }
    if header.entries > MAX_ENTRIES {
        return Err(BundleError::TooLarge(bytes.len() as u64));
    }
    let body = text.strip_suffix('\n').ok_or(BundleError::Truncated)?;
    let trailer_start = body
        .rfind('\n')
        .map(|i| i + 1)
        .ok_or(BundleError::Truncated)?;
    let trailer: Trailer =
        serde_json::from_str(&body[trailer_start..]).map_err(|_| BundleError::Truncated)?;
    let digest = chain::sha256_hex(&bytes[..trailer_start]);
    if digest != trailer.sha256 {
        return Err(BundleError::Altered);
    }
    if !chain::verify(&header.signer, &signed_message(&digest), &trailer.signature) {
        return Err(BundleError::BadSignature);
    }
    let mut entries = Vec::new();
    let mut uids = std::collections::HashSet::new();
    let entry_lines = body[..trailer_start]
        .trim_end_matches('\n')
        .split('\n')
        .skip(1);
    for (index, line) in entry_lines.enumerate() {
        let line_number = index + 2;
        let entry: Entry = serde_json::from_str(line).map_err(|e| BundleError::BadLine {
            line: line_number,
            message: e.to_string(),
        })?;
        if !uids.insert(entry.uid.clone()) {
            return Err(BundleError::DuplicateUid(line_number));
        }
        entries.push(entry);
    }
    if entries.len() != header.entries {
        return Err(BundleError::CountMismatch {
            expected: header.entries,
            found: entries.len(),
        });
    }
    Ok(Bundle {
        header,
        entries,
        digest,
    })
}

/// Writes `bytes` to `path` so that the file is either complete or absent: a temporary name in
/// the same folder, flushed (`sync_all`), read back and compared, renamed, and the folder flushed.
/// When this returns Ok the stick may be removed.
pub fn write_verified(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = super::temp_beside(path, "partial");
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if std::fs::read(&temp)? != bytes {
            return Err(std::io::Error::other("写入后读回的内容不一致"));
        }
        std::fs::rename(&temp, path)?;
        super::sync_folder(path)
    })();
    if result.is_err() && temp.exists() {
        // Best effort: the original error is what the person needs to see; a leftover
        // `.partial` file is hidden and never mistaken for a bundle.
        if let Err(cleanup) = std::fs::remove_file(&temp) {
            return Err(std::io::Error::new(
                cleanup.kind(),
                format!(
                    "{}; 临时文件 {} 未能删除",
                    result.err().map(|e| e.to_string()).unwrap_or_default(),
                    temp.display()
                ),
            ));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn sample() -> Vec<u8> {
        let header = Header {
            format: String::new(),
            version: 0,
            signer: String::new(),
            device: "3号评分机".into(),
            competition: "2023 电商".into(),
            created_at: "2023-11-15 15:00:00.000".into(),
            entries: 0,
        };
        let entries: Vec<Entry> = (0..3)
            .map(|i| Entry {
                uid: format!("u{i}"),
                pool: "DS-ZG".into(),
                id_number: "320102199001011232".into(),
                criterion: format!("C0{i}"),
                judge: "DS-ZG裁判1".into(),
                value: Some(800 + i),
                entered_at: "2023-11-15 14:00:00.000".into(),
                entered_by: "DS-ZG裁判1".into(),
                device: "3号评分机 abcd".into(),
                source: "score".into(),
                supersedes: None,
            })
            .collect();
        encode(header, &entries, &key(9)).unwrap_or_default()
    }

    #[test]
    fn a_bundle_reads_back_as_written() {
        let bundle = decode(&sample());
        assert!(
            matches!(&bundle, Ok(b) if b.entries.len() == 3 && b.header.signer == chain::public_hex(&key(9))),
            "{bundle:?}"
        );
    }

    #[test]
    fn every_truncation_is_refused() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_changed_value_is_refused_as_altered() {
        let text = String::from_utf8(sample())
            .unwrap_or_default()
            .replace("\"value\":801", "\"value\":901");
        assert_eq!(decode(text.as_bytes()), Err(BundleError::Altered));
    }

    #[test]
    fn re_signing_with_another_key_changes_the_signer() {
        // An altered bundle re-signed by another laptop verifies, but names that laptop as the
        // signer: the importer refuses it unless that key is trusted.
        let bytes = sample();
        let bundle = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        let again = encode(bundle.header.clone(), &bundle.entries, &key(10)).unwrap_or_default();
        let decoded = decode(&again).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded.header.signer, chain::public_hex(&key(10)));
    }

    #[test]
    fn a_swapped_signer_is_refused() {
        let text = String::from_utf8(sample())
            .unwrap_or_default()
            .replace(&chain::public_hex(&key(9)), &chain::public_hex(&key(10)));
        assert!(matches!(decode(text.as_bytes()), Err(BundleError::Altered)));
    }
}
