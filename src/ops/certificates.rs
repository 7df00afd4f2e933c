//! 荣誉证书 (competition-rules.md §8): gathering the prize winners of final pools, numbering
//! them `2023-DS-ZG-1-001` (year, event, group, prize, sequence; stable across reprints,
//! never reused after a void), signing, printing the full design or the 套打 overlay (drafts
//! with a 样张 watermark, the only way before a pool is final), the reprint and void log,
//! printer offsets with their calibration page, and verification of a certificate's QR code.
//!
//! Signing: every certificate carries a QR code `JDC1:<number>:<signature>`, the signature
//! being Ed25519 (base32, RFC 4648, unpadded) over the number and the exact text printed
//! (see [`signed_message`]). The private key is a file kept outside the database, in the laptop's
//! key folder (`certificate.key`, mode 0600, created on the first issue; see [`key_path`]; a key
//! an older version kept beside the database is moved there on first use), so that a copy or
//! backup of the database, or the database on a stick, cannot forge certificates; its public key is
//! stored in the database (setting `certificate.public_key`), which is all [`verify`] needs.
//! Reprints reuse the stored signature and need no key. Losing the key file only stops new
//! issues; restore it from a backup of the laptop.
//! Must not import egui.
//!
//! One file over 600 lines: issuing, printing, the register (reprint, void) and checking a scanned
//! certificate share the signed payload and the register's rules.

use super::documents::Preview;
use super::{Actor, OpsError, Result, results};
use crate::core::model::{Group, PoolKey, PoolState, Prize};
use crate::core::problem::Problem;
use crate::print::certificate::{
    self as layout, Certificate, Layout, Offset, Paper, Settings, body_text,
};
use crate::print::output;
use crate::store::audit::{self, AuditEntry};
/// A registered certificate as the print centre's register lists it.
pub use crate::store::certificates::CertificateRow;
use crate::store::certificates::{
    self as register, CertificateText, LogKind, LogRow, NewCertificate,
};
use crate::store::competition::{self, PoolInfo};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The setting holding the hex public key certificates are verified with.
pub const PUBLIC_KEY_SETTING: &str = "certificate.public_key";
const PRINTER_PREFIX: &str = "certificate.printer.";
/// The printer profile used when none is named.
pub const DEFAULT_PRINTER: &str = "默认";
const QR_PREFIX: &str = "JDC1";
const KEY_HEADER: &str = "judgedesk certificate signing key v1";

/// What to print.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintRequest {
    /// One pool, or every pool of the competition.
    pub pool: Option<PoolKey>,
    pub paper: Paper,
    pub layout: Layout,
    /// The printer profile whose offset the overlay uses; `None` is [`DEFAULT_PRINTER`].
    pub printer: Option<String>,
    pub draft: bool,
}

impl Default for PrintRequest {
    fn default() -> Self {
        PrintRequest {
            pool: None,
            paper: Paper::A4Landscape,
            layout: Layout::Full,
            printer: None,
            draft: false,
        }
    }
}

/// What a print produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintReport {
    pub path: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    /// Certificates numbered and signed by this print.
    pub issued: usize,
    /// Certificates printed again under their existing numbers.
    pub reprinted: usize,
    pub draft: bool,
    pub numbers: Vec<String>,
}

/// The certificate signing key's file for the database at `db`: in this laptop's key folder
/// (`JUDGEDESK_KEY_DIR` or the platform folder, beside the laptop's own key), never beside the
/// database, so that a database taken away on a stick (`--db E:\…`) cannot issue certificates.
/// One key per laptop, whichever database names it; where an older version kept it beside the
/// database ([`beside_database`]), the first issue moves it here.
pub fn key_path(_db: &Path) -> PathBuf {
    crate::store::device_key::default_dir().join(KEY_FILE_NAME)
}

/// The key file's name in the key folder.
pub const KEY_FILE_NAME: &str = "certificate.key";

/// Where versions before the key folder kept a database's certificate key: beside it,
/// `judgedesk.sqlite.certificate-key`.
pub fn beside_database(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "judgedesk".into());
    db.with_file_name(format!("{name}.certificate-key"))
}

/// Moves a key kept beside the database (older versions) to `path` when `path` has none yet:
/// written there first (mode 0600, flushed), then removed from beside the database.
fn move_key_from_beside_database(conn: &Connection, path: &Path) -> Result<()> {
    let Some(db) = super::backup::db_path(conn) else {
        return Ok(());
    };
    let old = beside_database(&db);
    if path.exists() || !old.exists() || old == path {
        return Ok(());
    }
    let key = read_key_file(&old)?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| OpsError::io(e, format!("无法创建密钥文件夹 {}", folder.display())))?;
    }
    write_key_file(path, &key)?;
    std::fs::remove_file(&old).map_err(|e| {
        OpsError::io(
            e,
            format!(
                "证书签名密钥已移到 {}，但无法删除数据库旁的旧文件 {}",
                path.display(),
                old.display()
            ),
        )
    })
}

/// `2023-DS-ZG-1-001`.
pub fn certificate_number(year: i32, pool: &PoolKey, prize: Prize, sequence: u32) -> String {
    format!(
        "{year}-{}-{}-{}-{sequence:03}",
        pool.event,
        pool.group.code(),
        prize_digit(prize)
    )
}

fn prize_digit(prize: Prize) -> u8 {
    match prize {
        Prize::First => 1,
        Prize::Second => 2,
        Prize::Third => 3,
    }
}

fn salutation(group: Group) -> &'static str {
    match group {
        Group::Staff => "同志",
        Group::Student => "同学",
    }
}

/// The bytes a certificate's signature covers: the number and everything printed.
pub fn signed_message(number: &str, text: &CertificateText) -> Vec<u8> {
    format!(
        "judgedesk certificate v1\n{number}\n{}\n{}\n{}\n{}\n{}\n",
        text.holder_name, text.salutation, text.body, text.issuer, text.issued_on
    )
    .into_bytes()
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The QR code text of a certificate: `JDC1:2023-DS-ZG-1-001:<base32 signature>`, which packs
/// into the QR alphanumeric mode.
pub fn qr_payload(number: &str, signature_hex: &str) -> Option<String> {
    unhex(signature_hex).map(|sig| format!("{QR_PREFIX}:{number}:{}", base32_encode(&sig)))
}

fn stored_public_key(conn: &Connection) -> Result<Option<VerifyingKey>> {
    let Some(text) = competition::setting(conn, PUBLIC_KEY_SETTING)? else {
        return Ok(None);
    };
    let bytes: Option<[u8; 32]> = unhex(&text).and_then(|b| b.try_into().ok());
    match bytes.and_then(|b| VerifyingKey::from_bytes(&b).ok()) {
        Some(key) => Ok(Some(key)),
        None => Err(OpsError::Denied(format!(
            "数据库中的证书公钥（设置 {PUBLIC_KEY_SETTING}）已损坏"
        ))),
    }
}

/// The public key certificates are verified with, hex, if one was ever set up.
pub fn public_key(conn: &Connection) -> Result<Option<String>> {
    Ok(stored_public_key(conn)?.map(|k| hex(k.as_bytes())))
}

fn read_key_file(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| OpsError::io(e, format!("无法读取证书签名密钥 {}", path.display())))?;
    let seed = text
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 64 && l.chars().all(|c| c.is_ascii_hexdigit()))
        .and_then(unhex)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| OpsError::Denied(format!("{} 不是证书签名密钥文件", path.display())))?;
    Ok(SigningKey::from_bytes(&seed))
}

fn create_key_file(path: &Path) -> Result<SigningKey> {
    let seed: [u8; 32] = rand::random();
    let key = SigningKey::from_bytes(&seed);
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| OpsError::io(e, format!("无法创建密钥文件夹 {}", folder.display())))?;
    }
    write_key_file(path, &key)?;
    Ok(key)
}

/// Writes `key` to a new file at `path` (never over an existing one), readable by its owner only.
fn write_key_file(path: &Path, key: &SigningKey) -> Result<()> {
    let denied =
        |e: std::io::Error| OpsError::io(e, format!("无法创建证书签名密钥 {}", path.display()));
    let contents = format!(
        "{KEY_HEADER}\n{}\npublic {}\n",
        hex(&key.to_bytes()),
        hex(key.verifying_key().as_bytes())
    );
    match crate::store::device_key::create_secret_file(path, &contents).map_err(denied)? {
        true => Ok(()),
        false => Err(denied(std::io::ErrorKind::AlreadyExists.into())),
    }
}

/// The competition's signing key: read from `path`, or created there (and its public key
/// stored) when this database has never signed anything; a key an older version kept beside
/// the database is moved to `path` first. Call inside the caller's transaction.
fn signing_key(conn: &Connection, path: &Path) -> Result<SigningKey> {
    move_key_from_beside_database(conn, path)?;
    let stored = stored_public_key(conn)?;
    let key = if path.exists() {
        read_key_file(path)?
    } else if stored.is_some() {
        return Err(OpsError::Denied(format!(
            "找不到证书签名密钥 {}。本数据库已签发的证书用它签名，请从备份恢复该文件（或用 --key 指定其位置）",
            path.display()
        )));
    } else {
        create_key_file(path)?
    };
    match stored {
        Some(public) if public != key.verifying_key() => Err(OpsError::Denied(format!(
            "证书签名密钥 {} 与本数据库登记的公钥不一致，不能用它签发证书",
            path.display()
        ))),
        Some(_) => Ok(key),
        None => {
            competition::set_setting(
                conn,
                PUBLIC_KEY_SETTING,
                &hex(key.verifying_key().as_bytes()),
            )?;
            Ok(key)
        }
    }
}

/// One certificate of the batch: who, and what is printed.
struct Entry {
    pool: PoolInfo,
    contestant_id: i64,
    prize: Prize,
    text: CertificateText,
}

impl Entry {
    fn certificate(&self, number: String, qr: Option<String>) -> Certificate {
        Certificate {
            name: self.text.holder_name.clone(),
            salutation: self.text.salutation.clone(),
            body: self.text.body.clone(),
            issuer: self.text.issuer.clone(),
            date: self.text.issued_on.to_chinese(),
            number,
            qr,
        }
    }
}

fn row_certificate(row: &CertificateRow, qr: bool) -> Certificate {
    Certificate {
        name: row.text.holder_name.clone(),
        salutation: row.text.salutation.clone(),
        body: row.text.body.clone(),
        issuer: row.text.issuer.clone(),
        date: row.text.issued_on.to_chinese(),
        number: row.number.clone(),
        qr: if qr {
            qr_payload(&row.number, &row.signature)
        } else {
            None
        },
    }
}

/// Every character of every certificate that the fonts cannot draw, one problem each.
fn glyph_problems(entries: &[(String, Certificate)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (pool, certificate) in entries {
        for (field, c) in certificate.missing_glyphs() {
            problems.push(
                Problem::error(
                    "证书",
                    format!(
                        "{pool} {}：{field}中的“{c}”（U+{:04X}）在证书字体中没有字形，整批证书未打印；请核对该字或改用字库中有的写法",
                        certificate.name,
                        u32::from(c)
                    ),
                )
                .in_field(field),
            );
        }
    }
    problems
}

fn selected_pools(conn: &Connection, pool: Option<&PoolKey>) -> Result<Vec<PoolInfo>> {
    let pools = competition::pools(conn)?;
    match pool {
        None => Ok(pools),
        Some(key) => match pools.into_iter().find(|p| &p.key == key) {
            Some(p) => Ok(vec![p]),
            None => Err(OpsError::Denied(format!("没有赛项组别 {key}"))),
        },
    }
}

/// The winners of the selected pools, in pool order, then by prize and rank.
fn winners(conn: &Connection, pools: &[PoolInfo]) -> Result<Vec<Entry>> {
    let results = results::compute(conn)?;
    let info = competition::competition(conn)?;
    let mut entries = Vec::new();
    for pool in pools {
        let Some(outcome) = results.pools.iter().find(|p| p.info.id == pool.id) else {
            continue;
        };
        for row in &outcome.outcome.rows {
            let (Some(prize), Some(contestant)) = (row.prize, results.contestant(row.key)) else {
                continue;
            };
            entries.push(Entry {
                pool: pool.clone(),
                contestant_id: row.key,
                prize,
                text: CertificateText {
                    holder_name: contestant.record.name.trim().to_string(),
                    salutation: salutation(pool.key.group).to_string(),
                    body: body_text(
                        &info.name,
                        &pool.event_name,
                        pool.key.group.label(),
                        prize.label(),
                    ),
                    issuer: info.issuer.clone(),
                    issued_on: pool.settings.end_date,
                },
            });
        }
    }
    entries.sort_by_key(|e| {
        (
            pools.iter().position(|p| p.id == e.pool.id),
            prize_digit(e.prize),
        )
    });
    Ok(entries)
}

fn render(
    certificates: &[Certificate],
    settings: &Settings,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>> {
    let doc =
        layout::document(certificates, settings).map_err(|e| OpsError::Denied(e.to_string()))?;
    output::pdf(&doc, progress).map_err(|e| OpsError::Denied(e.to_string()))
}

/// How a batch is gathered: issuing (new numbers signed and registered, reprints logged, in
/// the caller's transaction) or only looking (drafts and previews: nothing is stored).
enum Gather<'a> {
    Issue {
        actor: &'a Actor,
        key_file: &'a Path,
    },
    Look,
}

/// The certificates of a batch in print order, with what issuing them did.
struct Batch {
    certificates: Vec<Certificate>,
    numbers: Vec<String>,
    issued: usize,
    reprinted: usize,
}

/// The certificates `request` prints, refused as [`print_certificates`] documents. Only
/// looking, a certificate not yet issued gets its provisional number and no QR code.
fn gather(tx: &Connection, request: &PrintRequest, mode: Gather) -> Result<Batch> {
    let pools = selected_pools(tx, request.pool.as_ref())?;
    if !request.draft {
        let open: Vec<String> = pools
            .iter()
            .filter(|p| p.state != PoolState::Final)
            .map(|p| format!("{} {}（{}）", p.key, p.title(), p.state.label()))
            .collect();
        if !open.is_empty() {
            return Err(OpsError::Denied(format!(
                "以下赛项组别尚未定稿，不能打印正式证书（可先打印证书样张）：{}",
                open.join("、")
            )));
        }
    }
    let entries = winners(tx, &pools)?;
    if entries.is_empty() {
        return Err(OpsError::Denied(
            "所选赛项组别还没有获奖选手（成绩未完整或尚未评奖）".into(),
        ));
    }
    let year = competition::competition(tx)?.year;

    // Glyphs first: nothing is numbered, signed or written while a character is missing.
    let provisional: Vec<(String, Certificate)> = entries
        .iter()
        .map(|e| {
            (
                e.pool.key.to_string(),
                e.certificate(certificate_number(year, &e.pool.key, e.prize, 0), None),
            )
        })
        .collect();
    let problems = glyph_problems(&provisional);
    if !problems.is_empty() {
        return Err(OpsError::Refused(problems));
    }

    let mut certificates = Vec::with_capacity(entries.len());
    let mut numbers = Vec::with_capacity(entries.len());
    let mut mismatches = Vec::new();
    let mut next: std::collections::HashMap<(i64, Prize), u32> = std::collections::HashMap::new();
    let mut key: Option<SigningKey> = None;
    let issuing = match mode {
        Gather::Issue { actor, key_file } => Some((actor, key_file)),
        Gather::Look => None,
    };
    let (mut issued, mut reprinted) = (0, 0);
    for entry in &entries {
        let existing = register::valid_for(tx, entry.pool.id, entry.contestant_id)?;
        let same = existing
            .as_ref()
            .is_some_and(|row| row.prize == entry.prize && row.text == entry.text);
        if let Some(row) = existing.as_ref().filter(|_| !same && !request.draft) {
            mismatches.push(Problem::error(
                "证书",
                format!(
                    "{} {}：已登记的证书 {} 与当前结果不符（登记为 {}、{}），请先作废：judgedesk certificate void {} --reason 理由",
                    entry.pool.key,
                    entry.text.holder_name,
                    row.number,
                    row.text.holder_name,
                    row.prize.label(),
                    row.number
                ),
            ));
            continue;
        }
        // A draft shows what a new print would give: a changed winner gets a new number.
        let existing = existing.filter(|_| same);
        let sequence = match next.get(&(entry.pool.id, entry.prize)) {
            Some(&s) => s,
            None => register::next_sequence(tx, entry.pool.id, entry.prize)?,
        };
        match (existing, issuing) {
            (Some(row), issuing) => {
                if let Some(actor) = issuing.map(|(actor, _)| actor) {
                    register::log(
                        tx,
                        row.id,
                        &actor.name,
                        LogKind::Reprint,
                        Some(request.layout.code()),
                        Some("整批重印"),
                    )?;
                    reprinted += 1;
                }
                certificates.push(row_certificate(&row, !request.draft));
                numbers.push(row.number);
            }
            (None, None) => {
                next.insert((entry.pool.id, entry.prize), sequence + 1);
                let number = certificate_number(year, &entry.pool.key, entry.prize, sequence);
                certificates.push(entry.certificate(number.clone(), None));
                numbers.push(number);
            }
            (None, Some((actor, key_file))) => {
                next.insert((entry.pool.id, entry.prize), sequence + 1);
                let number = certificate_number(year, &entry.pool.key, entry.prize, sequence);
                let signing = match &key {
                    Some(k) => k,
                    None => key.insert(signing_key(tx, key_file)?),
                };
                let signature = hex(&signing
                    .sign(&signed_message(&number, &entry.text))
                    .to_bytes());
                let id = register::insert(
                    tx,
                    &NewCertificate {
                        number: &number,
                        pool_id: entry.pool.id,
                        contestant_id: entry.contestant_id,
                        prize: entry.prize,
                        sequence,
                        text: &entry.text,
                        signature: &signature,
                    },
                )?;
                register::log(
                    tx,
                    id,
                    &actor.name,
                    LogKind::Issue,
                    Some(request.layout.code()),
                    None,
                )?;
                issued += 1;
                certificates
                    .push(entry.certificate(number.clone(), qr_payload(&number, &signature)));
                numbers.push(number);
            }
        }
    }
    if !mismatches.is_empty() {
        return Err(OpsError::Refused(mismatches));
    }
    Ok(Batch {
        certificates,
        numbers,
        issued,
        reprinted,
    })
}

/// The sheet, layout, offset and watermark of a batch.
fn batch_settings(conn: &Connection, request: &PrintRequest) -> Result<Settings> {
    let offset = printer_offset(conn, request.printer.as_deref().unwrap_or(DEFAULT_PRINTER))?;
    Ok(Settings {
        paper: request.paper,
        layout: request.layout,
        offset,
        draft: request.draft,
    })
}

/// The first page of what [`print_certificates`] would print for `request` and how many pages
/// it would have, refused exactly as the print would be. Nothing is numbered, signed, stored
/// or written: a certificate not yet issued shows its provisional number and, in place of
/// its QR code, the draft placeholder.
pub fn preview(conn: &Connection, request: &PrintRequest) -> Result<Preview> {
    let batch = gather(conn, request, Gather::Look)?;
    let settings = batch_settings(conn, request)?;
    let first = batch.certificates.get(..1).unwrap_or_default();
    let document =
        layout::document(first, &settings).map_err(|e| OpsError::Denied(e.to_string()))?;
    Ok(Preview {
        document,
        pages: batch.certificates.len(),
    })
}

/// Prints the certificates of every prize winner of the requested pools to `out`.
///
/// Refused, with nothing written or stored, when a pool is not final (unless `draft`), when
/// there is no winner, when any character cannot be drawn (naming the person and the
/// character), or when a registered certificate no longer matches the results (void it first).
/// A first print numbers, signs and registers each certificate; later prints reuse the
/// numbers and are logged as reprints. Drafts show provisional numbers, no QR code, and store
/// nothing. The file is written before the register is committed.
pub fn print_certificates(
    conn: &Connection,
    actor: &Actor,
    request: &PrintRequest,
    key_file: &Path,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PrintReport> {
    super::master::ensure_master(conn)?;
    let tx = crate::store::begin(conn)?;
    let mode = if request.draft {
        Gather::Look
    } else {
        Gather::Issue { actor, key_file }
    };
    let Batch {
        certificates,
        numbers,
        issued,
        reprinted,
    } = gather(&tx, request, mode)?;
    let settings = batch_settings(&tx, request)?;
    let bytes = render(&certificates, &settings, progress)?;
    if !request.draft {
        let summary = format!(
            "{} 张（新发 {issued}，重印 {reprinted}），{}，{}",
            certificates.len(),
            request.layout.label(),
            request.paper.label()
        );
        let pool_name = request.pool.as_ref().map(PoolKey::to_string);
        audit::log(
            &tx,
            &AuditEntry {
                actor: &actor.name,
                action: "打印证书",
                pool: pool_name.as_deref(),
                new_value: Some(&summary),
                ..Default::default()
            },
        )?;
    }
    super::safety::save_file(out, &bytes)?;
    tx.commit()?;
    Ok(PrintReport {
        path: out.to_path_buf(),
        pages: certificates.len(),
        bytes: bytes.len(),
        issued,
        reprinted,
        draft: request.draft,
        numbers,
    })
}

fn registered(conn: &Connection, number: &str) -> Result<CertificateRow> {
    register::by_number(conn, number.trim())?
        .ok_or_else(|| OpsError::Denied(format!("证书登记簿中没有编号 {}", number.trim())))
}

/// Prints one registered certificate again, exactly as issued, under its number; logged with
/// the reason. A void certificate is refused.
pub fn reprint(
    conn: &Connection,
    actor: &Actor,
    number: &str,
    reason: &str,
    request: &PrintRequest,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PrintReport> {
    if reason.trim().is_empty() {
        return Err(OpsError::Denied("重印须写明理由".into()));
    }
    let tx = crate::store::begin(conn)?;
    let row = registered(&tx, number)?;
    if row.is_void() {
        return Err(OpsError::Denied(format!(
            "证书 {} 已作废（{}），不能重印",
            row.number,
            row.void_reason.clone().unwrap_or_default()
        )));
    }
    let offset = printer_offset(&tx, request.printer.as_deref().unwrap_or(DEFAULT_PRINTER))?;
    let settings = Settings {
        paper: request.paper,
        layout: request.layout,
        offset,
        draft: false,
    };
    let bytes = render(&[row_certificate(&row, true)], &settings, progress)?;
    log_event(
        &tx,
        actor,
        &row,
        LogKind::Reprint,
        Some(request.layout.code()),
        reason.trim(),
    )?;
    super::safety::save_file(out, &bytes)?;
    tx.commit()?;
    Ok(PrintReport {
        path: out.to_path_buf(),
        pages: 1,
        bytes: bytes.len(),
        issued: 0,
        reprinted: 1,
        draft: false,
        numbers: vec![row.number],
    })
}

/// Records a reprint or void in the certificate log and the audit log, with its reason.
fn log_event(
    conn: &Connection,
    actor: &Actor,
    row: &CertificateRow,
    kind: LogKind,
    layout: Option<&str>,
    reason: &str,
) -> Result<()> {
    register::log(conn, row.id, &actor.name, kind, layout, Some(reason))?;
    let action = match kind {
        LogKind::Issue => "签发证书",
        LogKind::Reprint => "重印证书",
        LogKind::Void => "作废证书",
    };
    audit::log(
        conn,
        &AuditEntry {
            actor: &actor.name,
            action,
            subject: Some(&row.number),
            reason: Some(reason),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// Voids a certificate: it no longer verifies, its number is never reused, and the next batch
/// print issues the winner a new one.
pub fn void(
    conn: &Connection,
    actor: &Actor,
    number: &str,
    reason: &str,
) -> Result<CertificateRow> {
    if reason.trim().is_empty() {
        return Err(OpsError::Denied("作废证书须写明理由".into()));
    }
    let tx = crate::store::begin(conn)?;
    let row = registered(&tx, number)?;
    if row.is_void() {
        return Err(OpsError::Denied(format!(
            "证书 {} 已于 {} 作废",
            row.number,
            row.voided_at.clone().unwrap_or_default()
        )));
    }
    register::void(&tx, row.id, reason.trim())?;
    log_event(&tx, actor, &row, LogKind::Void, None, reason.trim())?;
    let row = registered(&tx, number)?;
    tx.commit()?;
    Ok(row)
}

/// The register, optionally of one pool.
pub fn list(conn: &Connection, pool: Option<&PoolKey>) -> Result<Vec<CertificateRow>> {
    let pool_id = match pool {
        Some(key) => Some(
            selected_pools(conn, Some(key))?
                .first()
                .map(|p| p.id)
                .unwrap_or(-1),
        ),
        None => None,
    };
    Ok(register::list(conn, pool_id)?)
}

/// The reprint and void log, oldest first; one certificate's when `number` is given.
pub fn log(conn: &Connection, number: Option<&str>) -> Result<Vec<LogRow>> {
    let id = match number {
        Some(n) => Some(registered(conn, n)?.id),
        None => None,
    };
    Ok(register::log_rows(conn, id)?)
}

/// The outcome of checking a certificate's QR text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    Valid {
        number: String,
        holder: String,
        body: String,
        issued_on: String,
    },
    Invalid {
        kind: Invalidity,
        reason: String,
    },
}

/// Why a certificate's QR text does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalidity {
    /// Not a certificate's QR text, or its signature part is damaged.
    Malformed,
    /// The number is not in the register.
    Unknown,
    /// The certificate was voided.
    Void,
    /// The signature does not match the registered text: forged or altered.
    Forged,
    /// This database has no public key to check against.
    NoKey,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verification::Valid { .. })
    }
}

/// Checks a certificate's QR text `JDC1:<number>:<signature>`: the number must be registered
/// and not void, and the signature must match the registered text under the competition's
/// public key.
pub fn verify(conn: &Connection, text: &str) -> Result<Verification> {
    let invalid = |kind: Invalidity, reason: String| Ok(Verification::Invalid { kind, reason });
    let mut parts = text.trim().splitn(3, ':');
    let (Some(prefix), Some(number), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return invalid(
            Invalidity::Malformed,
            "不是证书二维码的内容（应为 JDC1:编号:签名）".into(),
        );
    };
    if !prefix.eq_ignore_ascii_case(QR_PREFIX) {
        return invalid(
            Invalidity::Malformed,
            "不是证书二维码的内容（应为 JDC1:编号:签名）".into(),
        );
    }
    let Some(signature) = base32_decode(signature)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
    else {
        return invalid(Invalidity::Malformed, "签名部分已损坏".into());
    };
    let Some(row) = register::by_number(conn, &number.to_ascii_uppercase())? else {
        return invalid(
            Invalidity::Unknown,
            format!("证书登记簿中没有编号 {number}"),
        );
    };
    if row.is_void() {
        return invalid(
            Invalidity::Void,
            format!(
                "证书 {} 已于 {} 作废：{}",
                row.number,
                row.voided_at.unwrap_or_default(),
                row.void_reason.unwrap_or_default()
            ),
        );
    }
    let Some(public) = stored_public_key(conn)? else {
        return invalid(Invalidity::NoKey, "本数据库没有证书公钥，无法核验".into());
    };
    if public
        .verify(&signed_message(&row.number, &row.text), &signature)
        .is_err()
    {
        return invalid(
            Invalidity::Forged,
            format!(
                "证书 {} 的签名与登记内容不符，可能是伪造或被改动",
                row.number
            ),
        );
    }
    Ok(Verification::Valid {
        number: row.number,
        holder: row.text.holder_name,
        body: row.text.body,
        issued_on: row.text.issued_on.to_chinese(),
    })
}

/// A printer profile's offset; zero for a profile never calibrated.
pub fn printer_offset(conn: &Connection, printer: &str) -> Result<Offset> {
    match competition::setting(conn, &format!("{PRINTER_PREFIX}{}", printer.trim()))? {
        None => Ok(Offset::default()),
        Some(json) => serde_json::from_str(&json).map_err(|_| {
            OpsError::Denied(format!("打印机“{printer}”的偏移设置已损坏，请重新设置"))
        }),
    }
}

/// A calibrated printer profile: its name and its 套打 offset.
#[derive(Clone, Debug, PartialEq)]
pub struct PrinterProfile {
    pub name: String,
    pub offset: Offset,
}

/// Every calibrated printer profile.
pub fn printers(conn: &Connection) -> Result<Vec<PrinterProfile>> {
    let mut profiles = Vec::new();
    for (key, json) in register::settings_with_prefix(conn, PRINTER_PREFIX)? {
        profiles.push(PrinterProfile {
            name: key.trim_start_matches(PRINTER_PREFIX).to_string(),
            offset: serde_json::from_str(&json).unwrap_or_default(),
        });
    }
    Ok(profiles)
}

/// Saves a printer profile's 套打 offset in millimetres (±50 at most).
pub fn set_printer_offset(
    conn: &Connection,
    actor: &Actor,
    printer: &str,
    offset: Offset,
) -> Result<()> {
    let printer = printer.trim();
    if printer.is_empty() {
        return Err(OpsError::Denied("打印机名称不能为空".into()));
    }
    if !(offset.x.abs() <= 50.0 && offset.y.abs() <= 50.0) {
        return Err(OpsError::Denied("偏移应在 ±50 毫米以内".into()));
    }
    let tx = crate::store::begin(conn)?;
    let old = printer_offset(&tx, printer)?;
    let json = serde_json::to_string(&offset).map_err(|e| OpsError::Denied(e.to_string()))?;
    competition::set_setting(&tx, &format!("{PRINTER_PREFIX}{printer}"), &json)?;
    let (old, new) = (
        format!("X {:+.1}，Y {:+.1}", old.x, old.y),
        format!("X {:+.1}，Y {:+.1}", offset.x, offset.y),
    );
    audit::log(
        &tx,
        &AuditEntry {
            actor: &actor.name,
            action: "设置套打偏移",
            subject: Some(printer),
            old_value: Some(&old),
            new_value: Some(&new),
            ..Default::default()
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// The calibration page of a printer profile with its saved offset.
pub fn calibration_document(
    conn: &Connection,
    printer: Option<&str>,
    paper: Paper,
) -> Result<crate::print::layout::Document> {
    let printer = printer.unwrap_or(DEFAULT_PRINTER);
    let offset = printer_offset(conn, printer)?;
    Ok(layout::calibration_page(paper, offset, printer))
}

/// The calibration page of a printer profile, as PDF bytes.
pub fn calibration_page(conn: &Connection, printer: Option<&str>, paper: Paper) -> Result<Vec<u8>> {
    let doc = calibration_document(conn, printer, paper)?;
    output::pdf(&doc, &mut |_, _| {}).map_err(|e| OpsError::Denied(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_and_uses_the_qr_alphanumeric_set() {
        for bytes in [
            vec![],
            vec![0u8],
            vec![255, 1, 2],
            (0..64).collect::<Vec<u8>>(),
        ] {
            let text = base32_encode(&bytes);
            assert!(text.bytes().all(|b| BASE32.contains(&b)));
            assert_eq!(base32_decode(&text), Some(bytes));
        }
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw6ytboi"), Some(b"foobar".to_vec()));
        assert_eq!(base32_decode("0189"), None);
    }

    #[test]
    fn numbers_carry_year_event_group_prize_and_sequence() {
        let key = PoolKey::new("DS", Group::Staff);
        assert_eq!(
            certificate_number(2023, &key, Prize::First, 1),
            "2023-DS-ZG-1-001"
        );
        assert_eq!(
            certificate_number(2023, &PoolKey::new("QM", Group::Student), Prize::Third, 12),
            "2023-QM-XS-3-012"
        );
    }

    #[test]
    fn the_qr_payload_fits_a_small_code() {
        let payload = qr_payload("2023-DS-ZG-1-001", &"ab".repeat(64)).unwrap_or_default();
        assert!(payload.starts_with("JDC1:2023-DS-ZG-1-001:"));
        assert_eq!(payload.len(), 5 + 16 + 1 + 103);
        let code = crate::print::layout::QrMatrix::encode(&payload).map(|q| q.width);
        assert_eq!(code, Some(41 + 8), "version 6 at error correction level M");
    }

    #[test]
    fn the_key_file_lives_in_the_key_folder_never_beside_the_database() {
        let key = key_path(Path::new("/media/stick/judgedesk.sqlite"));
        assert!(!key.starts_with("/media/stick"), "{}", key.display());
        assert_eq!(
            key.file_name().and_then(|n| n.to_str()),
            Some(KEY_FILE_NAME)
        );
        assert_eq!(
            beside_database(Path::new("/data/judgedesk.sqlite")),
            PathBuf::from("/data/judgedesk.sqlite.certificate-key")
        );
    }
}
