//! Certificates and printed documents end to end: the demo competition through the real
//! database, the PDFs read back (pages, each page's text through the ToUnicode maps, fonts
//! embedded once and subset), the register, verification, and the command line.

mod support;

use judgedesk::core::model::{Group, PoolKey, PoolState};
use judgedesk::ops::certificates::{self, PrintRequest, Verification};
use judgedesk::ops::{Actor, OpsError, documents};
use judgedesk::print::certificate::{Layout, Offset, Paper};
use judgedesk::store::competition;
use lopdf::{Dictionary, Document, Object};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

struct Fixture {
    dir: support::Dir,
    conn: Connection,
}

impl Fixture {
    /// The demo competition with DS-ZG and DS-XS final.
    fn new(name: &str) -> Fixture {
        let dir = support::Dir::new(&format!("cert-{name}"));
        let conn = support::open(&dir.path("c.sqlite"));
        judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
        judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("demo: {e}"));
        let fixture = Fixture { dir, conn };
        fixture.set_state("DS", Group::Staff, PoolState::Final);
        fixture.set_state("DS", Group::Student, PoolState::Final);
        fixture
    }

    fn set_state(&self, event: &str, group: Group, state: PoolState) {
        let pool = competition::pool(&self.conn, &PoolKey::new(event, group))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("pool {event}"));
        let tx = judgedesk::store::begin(&self.conn).unwrap_or_else(|e| panic!("begin: {e}"));
        competition::set_pool_state(&tx, pool.id, state).unwrap_or_else(|e| panic!("state: {e}"));
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
    }

    fn db(&self) -> PathBuf {
        self.dir.path("c.sqlite")
    }

    /// The key file in this laptop's key folder (the `JUDGEDESK_KEY_DIR` the commands get).
    fn key(&self) -> PathBuf {
        self.path("keys").join(certificates::KEY_FILE_NAME)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path(name)
    }

    fn print(
        &self,
        request: &PrintRequest,
        out: &str,
    ) -> Result<certificates::PrintReport, OpsError> {
        certificates::print_certificates(
            &self.conn,
            &Actor::command_line(),
            request,
            &self.key(),
            &self.path(out),
            &mut |_, _| {},
        )
    }

    fn count(&self, sql: &str) -> i64 {
        self.conn
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Renames the DS-ZG winner ranked first (the first certificate of the pool).
    fn rename_first_winner(&self, name: &str) -> String {
        let results =
            judgedesk::ops::results::compute(&self.conn).unwrap_or_else(|e| panic!("{e}"));
        let pool = results.pool("DS-ZG").unwrap_or_else(|| panic!("DS-ZG"));
        let key = pool
            .outcome
            .rows
            .first()
            .map(|r| r.key)
            .unwrap_or_else(|| panic!("no rows"));
        let old = results
            .contestant(key)
            .map(|c| c.record.name.clone())
            .unwrap_or_default();
        let tx = judgedesk::store::begin(&self.conn).unwrap_or_else(|e| panic!("begin: {e}"));
        tx.execute(
            "UPDATE contestant SET name = ?1 WHERE id = ?2",
            rusqlite::params![name, key],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
        old
    }
}

fn ds_zg(layout: Layout, draft: bool) -> PrintRequest {
    PrintRequest {
        pool: Some(PoolKey::new("DS", Group::Staff)),
        layout,
        draft,
        ..PrintRequest::default()
    }
}

fn unwrap<T>(result: Result<T, OpsError>) -> T {
    result.unwrap_or_else(|e| match e {
        OpsError::Refused(problems) => panic!("refused: {problems:?}"),
        other => panic!("{other}"),
    })
}

/// A PDF read back: each page's text (through the fonts' ToUnicode maps, forms included),
/// each page's raw content, the QR codes each page draws (the side, in modules, of each image
/// mask it paints), and the embedded fonts.
struct Pdf {
    doc: Document,
    pages: Vec<String>,
    contents: Vec<String>,
    codes: Vec<Vec<i64>>,
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a Dictionary {
    match object {
        Object::Reference(id) => doc.get_dictionary(*id).unwrap_or_else(|e| panic!("{e}")),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn stream_bytes(doc: &Document, object: &Object) -> Vec<u8> {
    let id = object.as_reference().unwrap_or_else(|e| panic!("{e}"));
    let stream = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .unwrap_or_else(|e| panic!("{e}"));
    stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone())
}

/// `<0001> <5F20>` lines of a ToUnicode CMap.
fn parse_cmap(text: &str) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [from, to] = parts.as_slice() {
            let (Some(from), Some(to)) = (
                from.strip_prefix('<').and_then(|s| s.strip_suffix('>')),
                to.strip_prefix('<').and_then(|s| s.strip_suffix('>')),
            ) else {
                continue;
            };
            let (Ok(gid), false) = (
                u16::from_str_radix(from, 16),
                from.len() != 4 || from == "0000" && to == "FFFF",
            ) else {
                continue;
            };
            let units: Vec<u16> = (0..to.len() / 4)
                .filter_map(|i| u16::from_str_radix(&to[i * 4..i * 4 + 4], 16).ok())
                .collect();
            map.insert(gid, String::from_utf16_lossy(&units));
        }
    }
    map
}

/// The tokens of a content stream, with array brackets and hex strings apart.
fn tokens(content: &str) -> Vec<String> {
    content
        .replace('[', " [ ")
        .replace(']', " ] ")
        .replace("><", "> <")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn show_hex(
    hex: &str,
    font: &str,
    fonts: &HashMap<String, HashMap<u16, String>>,
    out: &mut String,
) {
    let Some(hex) = hex.strip_prefix('<').and_then(|h| h.strip_suffix('>')) else {
        return;
    };
    let map = fonts
        .get(font)
        .unwrap_or_else(|| panic!("font {font} has no ToUnicode"));
    for k in 0..hex.len() / 4 {
        let gid = u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).unwrap_or_else(|e| panic!("{e}"));
        out.push_str(map.get(&gid).map(String::as_str).unwrap_or("\u{FFFD}"));
    }
}

fn page_text(
    content: &str,
    fonts: &HashMap<String, HashMap<u16, String>>,
    forms: &HashMap<String, String>,
    out: &mut String,
) {
    let tokens = tokens(content);
    let mut font = String::new();
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "Tf" if i >= 2 => font = tokens[i - 2].trim_start_matches('/').to_string(),
            "Tj" if i >= 1 => show_hex(&tokens[i - 1], &font, fonts, out),
            "TJ" if i >= 1 => {
                let open = tokens[..i].iter().rposition(|t| t == "[").unwrap_or(i);
                for t in &tokens[open..i] {
                    show_hex(t, &font, fonts, out);
                }
            }
            "ET" => out.push('\n'),
            "Do" if i >= 1 => {
                if let Some(form) = forms.get(tokens[i - 1].trim_start_matches('/')) {
                    page_text(form, fonts, forms, out);
                }
            }
            _ => {}
        }
    }
}

fn read_pdf(bytes: &[u8]) -> Pdf {
    let doc = Document::load_mem(bytes).unwrap_or_else(|e| panic!("PDF does not load: {e}"));
    let first = doc
        .get_pages()
        .into_values()
        .next()
        .unwrap_or_else(|| panic!("no page"));
    let page = doc.get_dictionary(first).unwrap_or_else(|e| panic!("{e}"));
    let resources = match page.get(b"Resources") {
        Ok(own) => dict(&doc, own),
        Err(_) => dict(
            &doc,
            dict(&doc, page.get(b"Parent").unwrap_or_else(|e| panic!("{e}")))
                .get(b"Resources")
                .unwrap_or_else(|e| panic!("{e}")),
        ),
    };
    let mut fonts = HashMap::new();
    if let Ok(font_dict) = resources.get(b"Font") {
        for (name, font) in dict(&doc, font_dict).iter() {
            let font = dict(&doc, font);
            let cmap = stream_bytes(
                &doc,
                font.get(b"ToUnicode").unwrap_or_else(|e| panic!("{e}")),
            );
            fonts.insert(
                String::from_utf8_lossy(name).into_owned(),
                parse_cmap(&String::from_utf8_lossy(&cmap)),
            );
        }
    }
    let mut forms = HashMap::new();
    let mut images = HashMap::new();
    if let Ok(xobjects) = resources.get(b"XObject") {
        for (name, object) in dict(&doc, xobjects).iter() {
            let name = String::from_utf8_lossy(name).into_owned();
            let id = object.as_reference().unwrap_or_else(|e| panic!("{e}"));
            let stream = doc
                .get_object(id)
                .and_then(Object::as_stream)
                .unwrap_or_else(|e| panic!("{e}"));
            match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                Ok(b"Form") => {
                    forms.insert(
                        name,
                        String::from_utf8_lossy(&stream_bytes(&doc, object)).into_owned(),
                    );
                }
                Ok(b"Image") => {
                    let mask = stream
                        .dict
                        .get(b"ImageMask")
                        .and_then(Object::as_bool)
                        .unwrap_or(false);
                    let width = stream.dict.get(b"Width").and_then(Object::as_i64);
                    if let (true, Ok(width)) = (mask, width) {
                        images.insert(name, width);
                    }
                }
                _ => {}
            }
        }
    }
    let mut pages = Vec::new();
    let mut contents = Vec::new();
    let mut codes = Vec::new();
    for (_, id) in doc.get_pages() {
        let content = String::from_utf8_lossy(&doc.get_page_content(id)).into_owned();
        let mut text = String::new();
        page_text(&content, &fonts, &forms, &mut text);
        let tokens = tokens(&content);
        codes.push(
            tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| t.as_str() == "Do")
                .filter_map(|(i, _)| images.get(tokens[i - 1].trim_start_matches('/')).copied())
                .collect(),
        );
        pages.push(text);
        contents.push(content);
    }
    Pdf {
        doc,
        pages,
        contents,
        codes,
    }
}

impl Pdf {
    /// (BaseFont, uncompressed font program size) of every embedded font program.
    fn font_programs(&self) -> Vec<(String, i64)> {
        let mut programs = Vec::new();
        for object in self.doc.objects.values() {
            let Ok(d) = object.as_dict() else { continue };
            if d.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
                continue;
            }
            let name = d
                .get(b"FontName")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            let file = d
                .get(b"FontFile2")
                .unwrap_or_else(|_| panic!("{name} is not embedded"));
            let id = file.as_reference().unwrap_or_else(|e| panic!("{e}"));
            let stream = self
                .doc
                .get_object(id)
                .and_then(Object::as_stream)
                .unwrap_or_else(|e| panic!("{e}"));
            let length = stream
                .dict
                .get(b"Length1")
                .and_then(Object::as_i64)
                .unwrap_or(0);
            programs.push((name, length));
        }
        programs.sort();
        programs
    }

    /// The x, y of the first `Tm` on a page.
    fn first_text_position(&self, page: usize) -> (f64, f64) {
        let tokens: Vec<&str> = self.contents[page].split_whitespace().collect();
        let i = tokens
            .iter()
            .position(|t| *t == "Tm")
            .unwrap_or_else(|| panic!("no Tm"));
        let number = |t: &str| t.parse::<f64>().unwrap_or_else(|e| panic!("{t}: {e}"));
        (number(tokens[i - 2]), number(tokens[i - 1]))
    }
}

fn read_file(path: &Path) -> Pdf {
    read_pdf(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

#[test]
fn certificates_are_refused_before_the_pool_is_final_unless_draft() {
    let f = Fixture::new("refused");
    f.set_state("DS", Group::Staff, PoolState::Published);
    match f.print(&ds_zg(Layout::Full, false), "a.pdf") {
        Err(OpsError::Denied(message)) => assert!(
            message.contains("DS-ZG") && message.contains("已公示") && message.contains("证书样张"),
            "{message}"
        ),
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.pages)),
    }
    assert!(!f.path("a.pdf").exists());
    assert_eq!(f.count("SELECT count(*) FROM certificate"), 0);

    let report = unwrap(f.print(&ds_zg(Layout::Full, true), "draft.pdf"));
    assert!(report.draft && report.issued == 0 && report.pages > 0);
    assert_eq!(
        f.count("SELECT count(*) FROM certificate"),
        0,
        "a draft registers nothing"
    );
    assert_eq!(
        f.count("SELECT count(*) FROM setting WHERE key = 'certificate.public_key'"),
        0
    );
    assert!(!f.key().exists(), "a draft needs no key");
    let pdf = read_file(&f.path("draft.pdf"));
    assert_eq!(pdf.pages.len(), report.pages);
    for (page, codes) in pdf.pages.iter().zip(&pdf.codes) {
        assert!(page.contains("样张") && page.contains("荣誉证书"), "{page}");
        assert!(codes.is_empty(), "a draft has no QR code");
    }
}

#[test]
fn a_final_pool_prints_one_page_per_winner_with_searchable_text_and_subset_fonts() {
    let f = Fixture::new("full");
    let results = judgedesk::ops::results::compute(&f.conn).unwrap_or_else(|e| panic!("{e}"));
    let pool = results.pool("DS-ZG").unwrap_or_else(|| panic!("DS-ZG"));
    let winners: Vec<String> = pool
        .outcome
        .rows
        .iter()
        .filter(|r| r.prize.is_some())
        .filter_map(|r| results.contestant(r.key).map(|c| c.record.name.clone()))
        .collect();
    assert!(winners.len() >= 5, "demo pool has winners");

    let report = unwrap(f.print(&ds_zg(Layout::Full, false), "full.pdf"));
    assert_eq!(
        (report.pages, report.issued, report.reprinted),
        (winners.len(), winners.len(), 0)
    );
    assert_eq!(
        report.numbers.first().map(String::as_str),
        Some("2023-DS-ZG-1-001")
    );
    let pdf = read_file(&f.path("full.pdf"));
    assert_eq!(pdf.pages.len(), winners.len());
    for ((page, name), number) in pdf.pages.iter().zip(&winners).zip(&report.numbers) {
        assert!(page.contains("荣誉证书"), "{page}");
        assert!(page.contains(&format!("{name}\n同志：")), "{name}: {page}");
        assert!(
            page.contains("“电子商务运营”赛项（职工组）中荣获"),
            "{page}"
        );
        assert!(
            page.contains("2023年江苏省互联网行业电子商务技术应用职业技能竞赛组委会"),
            "{page}"
        );
        assert!(page.contains("二〇二三年十一月十五日"), "{page}");
        assert!(page.contains(&format!("证书编号：{number}")), "{page}");
    }
    assert!(!pdf.codes.is_empty(), "the PDF has certificate pages");
    assert!(
        pdf.codes.iter().all(|c| c.len() == 1),
        "every certificate has its QR code"
    );

    let fonts = pdf.font_programs();
    assert!((2..=3).contains(&fonts.len()), "{fonts:?}");
    let mut faces: Vec<&str> = fonts
        .iter()
        .map(|(n, _)| n.split('+').nth(1).unwrap_or(""))
        .collect();
    faces.dedup();
    assert_eq!(
        faces.len(),
        fonts.len(),
        "each face embedded once: {fonts:?}"
    );
    for (name, size) in &fonts {
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "subset tag on {name}"
        );
        assert!(
            *size > 0 && *size < 400_000,
            "{name} embeds {size} bytes: not subset"
        );
    }
    let bytes = std::fs::metadata(f.path("full.pdf"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(bytes < 150_000, "{bytes} bytes for {} pages", winners.len());
}

#[test]
fn a_rare_name_character_is_drawn_from_the_fallback_face_and_extracted_intact() {
    let f = Fixture::new("rare");
    f.rename_first_winner("欧阳𠇔");
    unwrap(f.print(&ds_zg(Layout::Full, false), "rare.pdf"));
    let pdf = read_file(&f.path("rare.pdf"));
    assert!(pdf.pages[0].contains("欧阳𠇔"), "{}", pdf.pages[0]);
    assert!(
        pdf.font_programs()
            .iter()
            .any(|(name, _)| name.ends_with("+LXGWWenKai-Regular"))
    );
    let listed = certificates::list(&f.conn, None).unwrap_or_default();
    assert_eq!(
        listed.first().map(|r| r.text.holder_name.as_str()),
        Some("欧阳𠇔")
    );
}

#[test]
fn a_missing_glyph_refuses_the_batch_naming_the_person_and_the_character() {
    let f = Fixture::new("glyph");
    f.rename_first_winner("王\u{E000}明");
    match f.print(&ds_zg(Layout::Full, false), "x.pdf") {
        Err(OpsError::Refused(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            let line = problems[0].to_string();
            assert!(
                line.contains("王\u{E000}明") && line.contains("U+E000") && line.contains("姓名"),
                "{line}"
            );
        }
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.pages)),
    }
    assert!(!f.path("x.pdf").exists(), "nothing written");
    assert_eq!(
        f.count("SELECT count(*) FROM certificate"),
        0,
        "nothing numbered"
    );
    assert!(!f.key().exists(), "no key made");
    // Drafts are checked the same way.
    assert!(matches!(
        f.print(&ds_zg(Layout::Full, true), "y.pdf"),
        Err(OpsError::Refused(_))
    ));
}

#[test]
fn numbers_are_stable_across_reprints_and_voided_numbers_are_never_reused() {
    let f = Fixture::new("stable");
    let first = unwrap(f.print(&ds_zg(Layout::Full, false), "1.pdf"));
    let second = unwrap(f.print(&ds_zg(Layout::Full, false), "2.pdf"));
    assert_eq!(first.numbers, second.numbers);
    assert_eq!((second.issued, second.reprinted), (0, first.numbers.len()));
    // The same pages, fonts and file identifier; only the creation date may differ.
    let (a, b) = (read_file(&f.path("1.pdf")), read_file(&f.path("2.pdf")));
    assert!(
        a.pages == b.pages && a.contents == b.contents && !a.pages.is_empty(),
        "a reprint is the same document"
    );
    assert_eq!(a.font_programs(), b.font_programs());
    assert_eq!(a.doc.trailer.get(b"ID").ok(), b.doc.trailer.get(b"ID").ok());

    let target = first.numbers[1].clone();
    let actor = Actor::command_line();
    unwrap(certificates::void(&f.conn, &actor, &target, "姓名有误"));
    assert!(matches!(
        certificates::void(&f.conn, &actor, &target, "again"),
        Err(OpsError::Denied(_))
    ));
    let third = unwrap(f.print(&ds_zg(Layout::Full, false), "3.pdf"));
    assert_eq!(third.issued, 1);
    let replacement = &third.numbers[1];
    assert_ne!(replacement, &target);
    assert!(!third.numbers.contains(&target));
    let prize_prefix = &target[..target.len() - 3];
    assert!(
        replacement.starts_with(prize_prefix),
        "{replacement} in the same prize series as {target}"
    );

    let log = certificates::log(&f.conn, Some(&target)).unwrap_or_default();
    let kinds: Vec<&str> = log.iter().map(|l| l.kind.label()).collect();
    assert_eq!(kinds, vec!["首次打印", "重印", "作废"]);
    assert_eq!(log[2].reason.as_deref(), Some("姓名有误"));

    unwrap(certificates::reprint(
        &f.conn,
        &actor,
        &first.numbers[0],
        "卡纸",
        &ds_zg(Layout::Full, false),
        &f.path("r.pdf"),
        &mut |_, _| {},
    ));
    let reprinted = read_file(&f.path("r.pdf"));
    assert_eq!(reprinted.pages.len(), 1);
    assert!(reprinted.pages[0].contains(&first.numbers[0]));
    assert!(matches!(
        certificates::reprint(
            &f.conn,
            &actor,
            &target,
            "x",
            &ds_zg(Layout::Full, false),
            &f.path("v.pdf"),
            &mut |_, _| {}
        ),
        Err(OpsError::Denied(_))
    ));
}

#[test]
fn the_overlay_prints_only_the_text_moved_by_the_printer_offset() {
    let f = Fixture::new("overlay");
    let actor = Actor::command_line();
    unwrap(f.print(&ds_zg(Layout::Overlay, false), "plain.pdf"));
    unwrap(certificates::set_printer_offset(
        &f.conn,
        &actor,
        "办公室",
        Offset { x: 3.0, y: -2.0 },
    ));
    assert_eq!(
        unwrap(certificates::printers(&f.conn)),
        vec![certificates::PrinterProfile {
            name: "办公室".to_string(),
            offset: Offset { x: 3.0, y: -2.0 }
        }]
    );
    let request = PrintRequest {
        printer: Some("办公室".into()),
        ..ds_zg(Layout::Overlay, false)
    };
    unwrap(f.print(&request, "moved.pdf"));
    let (plain, moved) = (
        read_file(&f.path("plain.pdf")),
        read_file(&f.path("moved.pdf")),
    );
    assert!(
        !plain.pages[0].contains("荣誉证书"),
        "no title on pre-printed stock"
    );
    assert!(plain.pages[0].contains("同志："));
    let ((x0, y0), (x1, y1)) = (plain.first_text_position(0), moved.first_text_position(0));
    let pt = 72.0 / 25.4;
    assert!((x1 - x0 - 3.0 * pt).abs() < 0.02, "x {x0} → {x1}");
    assert!((y1 - y0 - 2.0 * pt).abs() < 0.02, "y {y0} → {y1} (2 mm up)");
    // The full design is centred on blank paper whatever the printer.
    let full = PrintRequest {
        printer: Some("办公室".into()),
        ..ds_zg(Layout::Full, false)
    };
    unwrap(f.print(&full, "full-moved.pdf"));
    unwrap(f.print(&ds_zg(Layout::Full, false), "full.pdf"));
    assert_eq!(
        read_file(&f.path("full-moved.pdf")).first_text_position(0),
        read_file(&f.path("full.pdf")).first_text_position(0)
    );

    let calibration = read_pdf(&unwrap(certificates::calibration_page(
        &f.conn,
        Some("办公室"),
        Paper::A4Landscape,
    )));
    assert_eq!(calibration.pages.len(), 1);
    assert!(
        calibration.pages[0].contains("X +3.0 毫米，Y -2.0 毫米"),
        "{}",
        calibration.pages[0]
    );
}

#[test]
fn verification_accepts_a_registered_signature_and_rejects_tampering_and_voids() {
    let f = Fixture::new("verify");
    let report = unwrap(f.print(&ds_zg(Layout::Full, false), "v.pdf"));
    let rows = unwrap(certificates::list(
        &f.conn,
        Some(&PoolKey::new("DS", Group::Staff)),
    ));
    let row = &rows[0];
    let payload = certificates::qr_payload(&row.number, &row.signature).unwrap_or_default();
    let pdf = read_file(&f.path("v.pdf"));
    assert!(
        pdf.codes[0] == [49],
        "a version-6 QR code (with its quiet zone) on the page"
    );

    assert!(unwrap(certificates::verify(&f.conn, &payload)).is_valid());
    let forged = payload.replacen(&row.number, &report.numbers[1], 1);
    assert!(!unwrap(certificates::verify(&f.conn, &forged)).is_valid());
    assert!(!unwrap(certificates::verify(&f.conn, "hello")).is_valid());
    assert!(!unwrap(certificates::verify(&f.conn, "JDC1:2023-DS-ZG-9-999:AAAA")).is_valid());

    // The command line: exit 0 valid, 1 invalid.
    let verify = |text: &str| {
        support::bin()
            .env("JUDGEDESK_KEY_DIR", f.path("keys"))
            .arg("--db")
            .arg(f.db())
            .args(["verify-certificate", text])
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let ok = verify(&payload);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains(&row.number));
    assert_eq!(verify(&forged).status.code(), Some(1));

    unwrap(certificates::void(
        &f.conn,
        &Actor::command_line(),
        &row.number,
        "遗失补发",
    ));
    match unwrap(certificates::verify(&f.conn, &payload)) {
        Verification::Invalid { reason, .. } => assert!(
            reason.contains("作废") && reason.contains("遗失补发"),
            "{reason}"
        ),
        valid => panic!("a void certificate verified: {valid:?}"),
    }
    assert_eq!(verify(&payload).status.code(), Some(1));
}

#[test]
fn the_signing_key_lives_outside_the_database_and_is_needed_only_for_new_numbers() {
    let f = Fixture::new("key");
    unwrap(f.print(&ds_zg(Layout::Full, false), "a.pdf"));
    let key_text = std::fs::read_to_string(f.key()).unwrap_or_default();
    let public = unwrap(certificates::public_key(&f.conn)).unwrap_or_default();
    assert!(
        key_text.contains(&public),
        "the key file names its public key"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.key())
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
    }
    std::fs::rename(f.key(), f.path("moved-key")).unwrap_or_else(|e| panic!("{e}"));
    // Reprints reuse the stored signatures.
    unwrap(f.print(&ds_zg(Layout::Full, false), "b.pdf"));
    // A new winner's certificate needs the key: refused, and nothing half-done.
    let before = f.count("SELECT count(*) FROM certificate_log");
    match f.print(
        &PrintRequest {
            pool: Some(PoolKey::new("DS", Group::Student)),
            ..ds_zg(Layout::Full, false)
        },
        "c.pdf",
    ) {
        Err(OpsError::Denied(message)) => {
            assert!(message.contains("找不到证书签名密钥"), "{message}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.pages)),
    }
    assert_eq!(f.count("SELECT count(*) FROM certificate_log"), before);
    assert!(!f.path("c.pdf").exists());
    // A different key is refused too.
    let other = f.path("other-key");
    std::fs::write(
        &other,
        format!(
            "judgedesk certificate signing key v1\n{}\n",
            "11".repeat(32)
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    match certificates::print_certificates(
        &f.conn,
        &Actor::command_line(),
        &PrintRequest {
            pool: Some(PoolKey::new("DS", Group::Student)),
            ..PrintRequest::default()
        },
        &other,
        &f.path("c.pdf"),
        &mut |_, _| {},
    ) {
        Err(OpsError::Denied(message)) => assert!(message.contains("不一致"), "{message}"),
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.pages)),
    }
    std::fs::rename(f.path("moved-key"), f.key()).unwrap_or_else(|e| panic!("{e}"));
    let report = unwrap(f.print(
        &PrintRequest {
            pool: Some(PoolKey::new("DS", Group::Student)),
            ..ds_zg(Layout::Full, false)
        },
        "c.pdf",
    ));
    assert!(report.issued > 0);
    let pdf = read_file(&f.path("c.pdf"));
    assert!(pdf.pages[0].contains("同学："), "{}", pdf.pages[0]);
}

#[test]
fn a_key_kept_beside_the_database_moves_to_the_key_folder_on_first_use() {
    let f = Fixture::new("key-move");
    // What an older version did: the first issue put the key beside the database.
    let beside = certificates::beside_database(&f.db());
    unwrap(certificates::print_certificates(
        &f.conn,
        &Actor::command_line(),
        &ds_zg(Layout::Full, false),
        &beside,
        &f.path("a.pdf"),
        &mut |_, _| {},
    ));
    let key_text = std::fs::read_to_string(&beside).unwrap_or_default();
    let public = unwrap(certificates::public_key(&f.conn)).unwrap_or_default();
    assert!(!f.key().exists());
    // The next issue, with the key folder's file: the same key is moved there and signs.
    let report = unwrap(f.print(
        &PrintRequest {
            pool: Some(PoolKey::new("DS", Group::Student)),
            ..ds_zg(Layout::Full, false)
        },
        "b.pdf",
    ));
    assert!(report.issued > 0);
    assert!(!beside.exists(), "nothing is left beside the database");
    assert_eq!(
        std::fs::read_to_string(f.key()).unwrap_or_default(),
        key_text
    );
    assert_eq!(
        unwrap(certificates::public_key(&f.conn)).unwrap_or_default(),
        public
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.key())
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn every_paper_preset_prints() {
    let f = Fixture::new("papers");
    for paper in Paper::ALL {
        let request = PrintRequest {
            paper,
            ..ds_zg(Layout::Full, true)
        };
        let report = unwrap(f.print(&request, "p.pdf"));
        let pdf = read_file(&f.path("p.pdf"));
        assert_eq!(pdf.pages.len(), report.pages);
        let page = pdf
            .doc
            .get_pages()
            .into_values()
            .next()
            .unwrap_or_else(|| panic!("no page"));
        // The page's own media box, else the one it inherits from the page tree.
        let page = pdf.doc.get_dictionary(page).ok();
        let parent = page
            .and_then(|d| d.get(b"Parent").ok())
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| pdf.doc.get_dictionary(id).ok());
        let media = page
            .and_then(|d| d.get(b"MediaBox").ok())
            .or_else(|| parent.and_then(|d| d.get(b"MediaBox").ok()))
            .and_then(|m| m.as_array().ok())
            .cloned();
        let (w, h) = paper.size();
        let pt = |mm: f32| f64::from(mm) * 72.0 / 25.4;
        let media: Vec<f64> = media
            .unwrap_or_default()
            .iter()
            .filter_map(|o| {
                o.as_float()
                    .ok()
                    .map(f64::from)
                    .or_else(|| o.as_i64().ok().map(|v| v as f64))
            })
            .collect();
        assert_eq!(media.len(), 4);
        assert!(
            (media[2] - pt(w)).abs() < 0.02 && (media[3] - pt(h)).abs() < 0.02,
            "{paper:?}: {media:?}"
        );
    }
}

#[test]
fn publication_score_sheets_and_rosters_read_back() {
    let f = Fixture::new("documents");
    let ds_zg = PoolKey::new("DS", Group::Staff);
    let publication = read_pdf(&unwrap(documents::publication(
        &f.conn,
        Some(&ds_zg),
        false,
        &mut |_, _| {},
    )));
    assert!(publication.pages[0].contains("电子商务运营（职工组）成绩公示"));
    assert!(publication.pages[0].contains("一等奖"));
    let results = judgedesk::ops::results::compute(&f.conn).unwrap_or_else(|e| panic!("{e}"));
    for contestant in results.contestants.values() {
        assert!(
            !publication
                .pages
                .concat()
                .contains(&contestant.record.id_number),
            "no ID numbers in the public list"
        );
    }
    f.set_state("KJ", Group::Staff, PoolState::Scoring);
    assert!(matches!(
        documents::publication(
            &f.conn,
            Some(&PoolKey::new("KJ", Group::Staff)),
            false,
            &mut |_, _| {}
        ),
        Err(OpsError::Denied(_))
    ));

    let sheets = read_pdf(&unwrap(documents::score_sheets(
        &f.conn,
        Some(&ds_zg),
        &mut |_, _| {},
    )));
    let judges = judgedesk::store::people::pool_judges(
        &f.conn,
        competition::pool(&f.conn, &ds_zg)
            .ok()
            .flatten()
            .map(|p| p.id)
            .unwrap_or(0),
    )
    .unwrap_or_default();
    assert!(!judges.is_empty());
    let all = sheets.pages.join("\u{C}");
    for (_, judge) in &judges {
        assert!(all.contains(&format!("裁判：{judge}")), "{judge}");
    }
    assert_eq!(all.matches("数据指纹（SHA-256）：").count(), judges.len());
    assert!(all.contains("裁判签名："));
    assert!(!all.contains("身份证"), "score sheets are anonymous");

    let pdf = read_pdf(&unwrap(documents::rosters(
        &f.conn,
        Some(&ds_zg),
        documents::Format::Pdf,
        false,
        &mut |_, _| {},
    )));
    let text = pdf.pages.join("\n");
    for heading in [
        "省技术能手推荐名单",
        "职业技能等级证书名单：电子商务师",
        "职称评聘名单",
        "优秀指导教师名单",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let xlsx = unwrap(documents::rosters(
        &f.conn,
        Some(&ds_zg),
        documents::Format::Xlsx,
        false,
        &mut |_, _| {},
    ));
    let path = f.path("rosters.xlsx");
    std::fs::write(&path, &xlsx).unwrap_or_else(|e| panic!("{e}"));
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        book.sheet_names(),
        vec!["技术能手推荐", "职业技能等级", "职称", "指导教师"]
    );
    let range = book
        .worksheet_range("技术能手推荐")
        .unwrap_or_else(|e| panic!("{e}"));
    let header: Vec<String> = range
        .rows()
        .nth(2)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    assert_eq!(
        header,
        vec![
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "单位",
            "赛项",
            "组别",
            "名次",
            "奖项"
        ]
    );
    let first = range
        .rows()
        .nth(3)
        .unwrap_or_else(|| panic!("no expert rows"));
    assert!(
        matches!(&first[3], calamine::Data::String(id) if id.len() == 18),
        "ID number kept as text: {:?}",
        first[3]
    );
    // Rosters wait for the pool to be final.
    f.set_state("DS", Group::Staff, PoolState::Published);
    assert!(matches!(
        documents::rosters(
            &f.conn,
            Some(&ds_zg),
            documents::Format::Pdf,
            false,
            &mut |_, _| {}
        ),
        Err(OpsError::Denied(_))
    ));
}

#[test]
fn the_command_line_prints_certificates_and_refuses_with_exit_code_1() {
    let f = Fixture::new("cli");
    f.set_state("DS", Group::Staff, PoolState::Scoring);
    let run = |args: &[&str]| {
        support::bin()
            .env("JUDGEDESK_KEY_DIR", f.path("keys"))
            .arg("--db")
            .arg(f.db())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let out = f.path("c.pdf");
    let out = out.to_string_lossy();
    let refused = run(&["certificates", "--out", &out, "--pool", "DS-ZG"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("尚未定稿"));
    let draft = run(&[
        "certificates",
        "--out",
        &out,
        "--pool",
        "DS-ZG",
        "--draft",
        "--paper",
        "a4-portrait",
    ]);
    assert_eq!(
        draft.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&draft.stderr)
    );
    assert!(read_file(Path::new(&*out)).pages[0].contains("样张"));
    let usage = run(&["certificates", "--out", &out, "--layout", "sideways"]);
    assert_eq!(usage.status.code(), Some(2));
    let offset = run(&[
        "certificate",
        "offset",
        "--printer",
        "A",
        "--x",
        "-1.5",
        "--y",
        "0.5",
    ]);
    assert_eq!(
        offset.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&offset.stderr)
    );
    let cal = f.path("cal.pdf");
    assert_eq!(
        run(&[
            "certificate",
            "calibrate",
            "--printer",
            "A",
            "--out",
            &cal.to_string_lossy()
        ])
        .status
        .code(),
        Some(0)
    );
    assert!(read_file(&cal).pages[0].contains("X -1.5 毫米，Y +0.5 毫米"));
}
