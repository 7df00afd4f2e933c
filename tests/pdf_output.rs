//! Every kind of printed document, written from the demo competition (certificates from a fixed
//! batch, so that their QR codes do not depend on a fresh signing key), checked with the tools
//! venues' viewers are built on:
//!
//! * each page rendered by poppler's `pdftoppm` (grey, 24 dpi) differs from the reference
//!   rendering in `tests/fixtures/pdf` in under 1 % of its pixels, and the page count matches;
//! * the text `pdftotext` extracts is the reference text, character for character;
//! * every font is embedded as a subset (`pdffonts`: emb yes, sub yes);
//! * poppler, mupdf (`mutool`) and `qpdf --check` read the file without a warning.
//!
//! The references were rendered from the PDFs of the writer the app used before printpdf;
//! `JUDGEDESK_BLESS_PDF=1 cargo test --test pdf_output` writes them anew from the current
//! writer. The tools come from `.ci/test-packages` (poppler-utils, mupdf-tools, qpdf).

mod support;

use ed25519_dalek::{Signer, SigningKey};
use judgedesk::core::model::{Group, PoolKey};
use judgedesk::ops::documents::{self, Format};
use judgedesk::ops::{Actor, certificates, draw, logistics, registration};
use judgedesk::print::certificate::{
    self, Certificate, Layout, Offset, Paper, Settings, body_text,
};
use judgedesk::print::layout::Document;
use judgedesk::store::{competition, people};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Dir;

/// Pages compared pixel by pixel (the rest are compared by count and text).
const PAGES_COMPARED: usize = 2;
const DPI: &str = "24";
/// A pixel differs when its grey levels are further apart than this.
const LEVEL_TOLERANCE: u8 = 64;
/// The share of a page's pixels that may differ.
const PIXEL_FRACTION: f64 = 0.01;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

fn write_pdf(doc: &Document) -> Vec<u8> {
    judgedesk::print::output::pdf(doc, &mut |_, _| {}).unwrap_or_else(|e| panic!("pdf: {e}"))
}

/// Three certificates signed with a fixed key, one with a name from CJK Extension B.
fn batch() -> Vec<Certificate> {
    let key = SigningKey::from_bytes(&[11; 32]);
    let competition =
        "“江苏工匠”岗位练兵职业技能竞赛暨2023年江苏省互联网行业电子商务技术应用职业技能竞赛";
    [
        ("王华淼", "同志", "职工组", "一等奖", "2023-DS-ZG-1-001"),
        (
            "李\u{201D4}",
            "同学",
            "学生组",
            "二等奖",
            "2023-DS-XS-2-001",
        ),
        ("欧阳晓燕", "同志", "职工组", "三等奖", "2023-DS-ZG-3-004"),
    ]
    .into_iter()
    .map(|(name, salutation, group, prize, number)| {
        let signature: String = key
            .sign(number.as_bytes())
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Certificate {
            name: name.into(),
            salutation: salutation.into(),
            body: body_text(competition, "电子商务运营", group, prize),
            issuer: "2023年江苏省互联网行业电子商务技术应用职业技能竞赛组委会".into(),
            date: "二〇二三年十一月十五日".into(),
            qr: certificates::qr_payload(number, &signature),
            number: number.into(),
        }
    })
    .collect()
}

fn certificates_pdf(layout: Layout, draft: bool, paper: Paper) -> Vec<u8> {
    let mut batch = batch();
    if draft {
        for c in &mut batch {
            c.qr = None;
        }
    }
    let settings = Settings {
        paper,
        layout,
        offset: Offset { x: 2.5, y: -1.5 },
        draft,
    };
    let doc = certificate::document(&batch, &settings).unwrap_or_else(|e| panic!("layout: {e}"));
    write_pdf(&doc)
}

/// Every document kind, by name, as PDF bytes.
fn documents(dir: &Dir) -> Vec<(&'static str, Vec<u8>)> {
    let db = support::demo_db(dir);
    let conn = support::open(&db);
    let actor = Actor::command_line();
    let ok = |what: &str, r: judgedesk::ops::Result<Vec<u8>>| {
        r.unwrap_or_else(|e| panic!("{what}: {e}"))
    };
    certificates::set_printer_offset(&conn, &actor, "套打机", Offset { x: 1.5, y: -2.0 })
        .unwrap_or_else(|e| panic!("offset: {e}"));
    let ds_zg = PoolKey::new("DS", Group::Staff);
    let pools = competition::pools(&conn).unwrap_or_else(|e| panic!("pools: {e}"));
    let first = pools.first().unwrap_or_else(|| panic!("no pool"));
    let contestants =
        people::contestants_in_pool(&conn, first.id).unwrap_or_else(|e| panic!("contestants: {e}"));
    vec![
        (
            "certificates-full",
            certificates_pdf(Layout::Full, false, Paper::A4Landscape),
        ),
        (
            "certificates-overlay",
            certificates_pdf(Layout::Overlay, false, Paper::A4Landscape),
        ),
        (
            "certificates-draft",
            certificates_pdf(Layout::Full, true, Paper::Large16k),
        ),
        (
            "calibration",
            ok(
                "calibration",
                certificates::calibration_page(&conn, Some("套打机"), Paper::A4Landscape),
            ),
        ),
        (
            "publication",
            ok(
                "公示",
                documents::publication(&conn, Some(&ds_zg), true, &mut |_, _| {}),
            ),
        ),
        (
            "score-sheets",
            ok(
                "score sheets",
                documents::score_sheets(&conn, Some(&ds_zg), &mut |_, _| {}),
            ),
        ),
        (
            "rosters",
            ok(
                "rosters",
                documents::rosters(&conn, Some(&ds_zg), Format::Pdf, true, &mut |_, _| {}),
            ),
        ),
        (
            "mapping-sheets",
            ok("mapping", draw::mapping_sheets_pdf(first, &contestants)),
        ),
        (
            "logistics",
            ok("logistics", logistics::export_logistics(&conn, Format::Pdf)),
        ),
        (
            "venue-roster",
            ok(
                "roster",
                registration::export_roster(&conn, &actor, None, false, Format::Pdf),
            ),
        ),
    ]
}

/// Runs a tool; returns (success, stdout, stderr).
fn run(program: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (from .ci/test-packages) did not run: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn page_count(pdf: &Path) -> usize {
    let (ok, out, err) = run("pdfinfo", &[&pdf.to_string_lossy()]);
    assert!(ok, "pdfinfo: {err}");
    out.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gave no page count: {out}"))
}

/// A grey PGM (P5) image: width, height, pixels.
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn parse_pgm(bytes: &[u8]) -> Grey {
    // "P5" whitespace width whitespace height whitespace maxval single-whitespace data
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "not a binary PGM");
    let number = |s: &str| {
        s.parse::<usize>()
            .unwrap_or_else(|e| panic!("PGM field {s}: {e}"))
    };
    let (width, height) = (number(&fields[1]), number(&fields[2]));
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "PGM size");
    Grey {
        width,
        height,
        pixels,
    }
}

fn render_page(pdf: &Path, page: usize, dir: &Dir) -> Vec<u8> {
    let prefix = dir.path(&format!("page-{page}"));
    let page = page.to_string();
    let (ok, _, err) = run(
        "pdftoppm",
        &[
            "-gray",
            "-r",
            DPI,
            "-f",
            &page,
            "-l",
            &page,
            "-singlefile",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    assert!(ok && err.is_empty(), "pdftoppm: {err}");
    let path = prefix.with_extension("pgm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn gunzip(path: &Path) -> Vec<u8> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

fn gzip(path: &Path, bytes: &[u8]) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|_| encoder.finish().map(|_| ()))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn text_of(pdf: &Path) -> String {
    let (ok, out, err) = run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"]);
    assert!(ok && err.is_empty(), "pdftotext: {err}");
    out
}

fn differing_fraction(a: &Grey, b: &Grey) -> f64 {
    let differing = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .filter(|(x, y)| x.abs_diff(**y) > LEVEL_TOLERANCE)
        .count();
    differing as f64 / a.pixels.len().max(1) as f64
}

fn save(dir: &Dir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path(&format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

#[test]
fn every_document_prints_as_the_reference_pages_and_text() {
    let dir = Dir::new("pdf-reference");
    let bless = std::env::var_os("JUDGEDESK_BLESS_PDF").is_some();
    let fixtures = fixtures();
    if bless {
        std::fs::create_dir_all(&fixtures).unwrap_or_else(|e| panic!("fixtures: {e}"));
    }
    let mut failures = Vec::new();
    for (name, bytes) in documents(&dir) {
        let pdf = save(&dir, name, &bytes);
        let pages = page_count(&pdf);
        let text = text_of(&pdf);
        let pages_file = fixtures.join(format!("{name}.pages"));
        let text_file = fixtures.join(format!("{name}.txt"));
        if bless {
            std::fs::write(&pages_file, format!("{pages}\n"))
                .and_then(|_| std::fs::write(&text_file, &text))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for page in 1..=pages.min(PAGES_COMPARED) {
                let image = render_page(&pdf, page, &dir);
                gzip(&fixtures.join(format!("{name}-{page}.pgm.gz")), &image);
            }
            continue;
        }
        let read = |path: &Path| {
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let expected_pages: usize = read(&pages_file).trim().parse().unwrap_or(0);
        if pages != expected_pages {
            failures.push(format!(
                "{name}: {pages} pages, the reference has {expected_pages}"
            ));
            continue;
        }
        if text != read(&text_file) {
            let at = text
                .lines()
                .zip(read(&text_file).lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            failures.push(format!(
                "{name}: pdftotext differs from the reference at line {}: {:?}",
                at + 1,
                text.lines().nth(at)
            ));
        }
        for page in 1..=pages.min(PAGES_COMPARED) {
            let new = parse_pgm(&render_page(&pdf, page, &dir));
            let reference = parse_pgm(&gunzip(&fixtures.join(format!("{name}-{page}.pgm.gz"))));
            if (new.width, new.height) != (reference.width, reference.height) {
                failures.push(format!("{name} page {page}: another page size"));
                continue;
            }
            let fraction = differing_fraction(&new, &reference);
            if fraction >= PIXEL_FRACTION {
                failures.push(format!(
                    "{name} page {page}: {:.2} % of the pixels differ",
                    fraction * 100.0
                ));
            }
        }
    }
    assert!(!bless, "references written to {}", fixtures.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_font_is_an_embedded_subset() {
    let dir = Dir::new("pdf-fonts");
    for (name, bytes) in documents(&dir) {
        let pdf = save(&dir, name, &bytes);
        let (ok, out, err) = run("pdffonts", &[&pdf.to_string_lossy()]);
        assert!(ok && err.is_empty(), "{name}: pdffonts: {err}");
        let fonts: Vec<&str> = out.lines().skip(2).collect();
        assert!(!fonts.is_empty(), "{name}: no fonts\n{out}");
        for line in fonts {
            // name type encoding emb sub uni object ID
            let fields: Vec<&str> = line.split_whitespace().collect();
            let n = fields.len();
            assert!(n >= 7, "{name}: {line}");
            assert_eq!(
                (fields[n - 5], fields[n - 4], fields[n - 3]),
                ("yes", "yes", "yes"),
                "{name}: not an embedded subset with a ToUnicode map: {line}"
            );
            assert!(
                fields[0].len() > 7 && fields[0].as_bytes()[6] == b'+',
                "{name}: no subset tag: {line}"
            );
        }
    }
}

/// mupdf's messages without the one about how it was built (Debian's mutool has no ICC
/// colour management), which says nothing about the file.
fn about_the_file(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("ICC support is not available"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_document_opens_without_a_warning_in_poppler_mupdf_and_qpdf() {
    let dir = Dir::new("pdf-readers");
    for (name, bytes) in documents(&dir) {
        let pdf = save(&dir, name, &bytes);
        let path = pdf.to_string_lossy().into_owned();
        let (ok, _, err) = run("pdfinfo", &[&path]);
        assert!(ok && err.is_empty(), "{name}: pdfinfo: {err}");
        let (ok, out, err) = run("qpdf", &["--check", &path]);
        assert!(
            ok && !out.to_lowercase().contains("warning") && err.is_empty(),
            "{name}: qpdf --check:\n{out}{err}"
        );
        let drawn = dir.path(&format!("{name}-mupdf.pgm"));
        let (ok, out, err) = run(
            "mutool",
            &[
                "draw",
                "-q",
                "-r",
                "12",
                "-o",
                &format!("{}-%d.pgm", drawn.with_extension("").to_string_lossy()),
                &path,
            ],
        );
        let err = about_the_file(&err);
        assert!(
            ok && err.is_empty() && !out.contains("warning"),
            "{name}: mutool draw:\n{out}{err}"
        );
        let (ok, out, err) = run("mutool", &["info", &path]);
        let err = about_the_file(&err);
        assert!(ok && err.is_empty(), "{name}: mutool info:\n{out}{err}");
    }
}
