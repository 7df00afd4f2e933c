//! The print centre and the certificate check screen in the window, headless (egui_kittest),
//! on real database files: the first-page preview built without side effects, a draft printed
//! to a path (pages read back, progress to the total), a real print refused before the pool
//! is final and registering numbers after, and the check screen answering a scanned QR text.

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::core::model::{PoolKey, PoolState, Prize};
use judgedesk::ops::certificates::{self, Invalidity, Verification};
use judgedesk::ui::app::{Action, Screen};
use judgedesk::ui::print_view::Kind;
use rusqlite::Connection;
use std::path::Path;
use support::{Dir, Window, demo_db, open, settle};

const COORDINATOR: &str = "赛务管理员";

fn set_state(conn: &Connection, key: &str, state: PoolState) {
    let key = PoolKey::parse(key).unwrap_or_else(|| panic!("key {key}"));
    let pool = judgedesk::store::competition::pool(conn, &key)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool {key}"));
    let tx = judgedesk::store::begin(conn).unwrap_or_else(|e| panic!("begin: {e}"));
    judgedesk::store::competition::set_pool_state(&tx, pool.id, state)
        .unwrap_or_else(|e| panic!("state: {e}"));
    tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
}

/// The coordinator on the print centre with pool `key` selected.
fn print_centre(path: &Path, key: &str) -> Window {
    let mut h = support::window(path, COORDINATOR);
    let index = h
        .state()
        .results()
        .pools
        .iter()
        .position(|p| p.info.key.to_string() == key)
        .unwrap_or_else(|| panic!("no pool {key}"));
    h.state_mut().push(Action::SelectPool(index));
    h.state_mut().push(Action::Open(Screen::Printing));
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Printing);
    h
}

fn choose(h: &mut Window, kind: Kind) {
    h.state_mut().print_screen_mut().choose(kind);
    settle(h);
}

fn click_print(h: &mut Window) {
    h.get_by_label("打印到 PDF").click();
    settle(h);
}

/// The winners of a pool, in certificate order.
fn winners(conn: &Connection, key: &str) -> Vec<String> {
    let results = judgedesk::ops::results::compute(conn).unwrap_or_else(|e| panic!("{e}"));
    let pool = results.pool(key).unwrap_or_else(|| panic!("{key}"));
    let mut rows: Vec<_> = pool
        .outcome
        .rows
        .iter()
        .filter_map(|r| Some((r.prize?, r.key)))
        .collect();
    // Stable, as the certificates are: results order within each prize.
    rows.sort_by_key(|(prize, _)| match prize {
        Prize::First => 1,
        Prize::Second => 2,
        Prize::Third => 3,
    });
    rows.iter()
        .filter_map(|(_, key)| results.contestant(*key))
        .map(|c| c.record.name.trim().to_string())
        .collect()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn pdf_pages(path: &Path) -> usize {
    lopdf::Document::load(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .get_pages()
        .len()
}

#[test]
fn a_draft_certificate_preview_shows_the_first_winner_and_stores_nothing() {
    let dir = Dir::new("ui-print-preview");
    let path = demo_db(&dir);
    let conn = open(&path);
    let audit_before = count(&conn, "SELECT COUNT(*) FROM audit");
    let mut h = print_centre(&path, "DS-ZG");
    choose(&mut h, Kind::Drafts);

    let screen = h.state().print_screen();
    let names = winners(&conn, "DS-ZG");
    let texts = screen.preview_texts();
    assert!(texts.iter().any(|t| t == "荣誉证书"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("样张")), "the watermark");
    assert!(texts.contains(&names[0]), "{texts:?} lacks {}", names[0]);
    assert!(
        texts.iter().any(|t| t.contains("2023-DS-ZG-1-001")),
        "the provisional number: {texts:?}"
    );
    assert_eq!(screen.preview_pages(), Some(names.len()));
    assert_eq!(screen.preview_error(), None);
    assert!(
        screen.output().ends_with("证书样张-DS-ZG.pdf"),
        "{}",
        screen.output()
    );
    assert!(
        Path::new(screen.output()).starts_with(path.parent().unwrap_or(Path::new(""))),
        "the default folder is beside the database"
    );

    // The other documents preview too.
    for (kind, title) in [
        (Kind::Calibration, "套打校准页"),
        (Kind::ScoreSheets, "操作技能评分表"),
    ] {
        choose(&mut h, kind);
        let texts = h.state().print_screen().preview_texts();
        assert!(
            texts.iter().any(|t| t.contains(title)),
            "{kind:?}: {texts:?}"
        );
    }

    assert_eq!(count(&conn, "SELECT COUNT(*) FROM certificate"), 0);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM audit"), audit_before);
}

#[test]
fn printing_a_draft_writes_one_page_per_winner_and_progress_reaches_the_total() {
    let dir = Dir::new("ui-print-draft");
    let path = demo_db(&dir);
    let conn = open(&path);
    let mut h = print_centre(&path, "DS-ZG");
    choose(&mut h, Kind::Drafts);
    let out = path.with_file_name("输出").join("样张.pdf");
    h.state_mut()
        .print_screen_mut()
        .set_output(&out.display().to_string());
    h.run();
    click_print(&mut h);

    let n = winners(&conn, "DS-ZG").len();
    let screen = h.state().print_screen();
    assert_eq!(screen.error(), None);
    let written = screen
        .written()
        .unwrap_or_else(|| panic!("nothing written"));
    assert_eq!(written.path, out);
    assert_eq!(written.pages, Some(n));
    assert_eq!(written.progress, (n, n), "progress reached the total");
    assert_eq!(pdf_pages(&out), n);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM certificate"), 0);
    // The result is shown with a button to open it.
    assert!(h.query_by_label("打开").is_some());
    let status = h.state().status().cloned().unwrap_or_default();
    assert!(
        !status.is_error && status.message.contains("样张.pdf"),
        "{status:?}"
    );
}

#[test]
fn a_real_print_is_refused_until_the_pool_is_final_then_registers_numbers() {
    let dir = Dir::new("ui-print-final");
    let path = demo_db(&dir);
    let conn = open(&path);
    set_state(&conn, "DS-ZG", PoolState::Published);
    let mut h = print_centre(&path, "DS-ZG");
    choose(&mut h, Kind::Certificates);
    let refusal = h
        .state()
        .print_screen()
        .preview_error()
        .unwrap_or_else(|| panic!("the preview is refused"))
        .to_string();
    assert!(refusal.contains("尚未定稿"), "{refusal}");
    let out = path.with_file_name("证书.pdf");
    h.state_mut()
        .print_screen_mut()
        .set_output(&out.display().to_string());
    click_print(&mut h);
    let error = h
        .state()
        .print_screen()
        .error()
        .unwrap_or_default()
        .to_string();
    assert!(
        error.contains("尚未定稿") && error.contains("DS-ZG"),
        "{error}"
    );
    let status = h.state().status().cloned().unwrap_or_default();
    assert!(
        status.is_error && status.message.contains("尚未定稿"),
        "{status:?}"
    );
    assert!(!out.exists());
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM certificate"), 0);

    // Final: the print numbers, signs and registers every winner's certificate.
    set_state(&conn, "DS-ZG", PoolState::Final);
    h.state_mut().push(Action::Reload);
    settle(&mut h);
    assert_eq!(h.state().print_screen().preview_error(), None);
    click_print(&mut h);
    let names = winners(&conn, "DS-ZG");
    let written = h
        .state()
        .print_screen()
        .written()
        .cloned()
        .unwrap_or_else(|| panic!("not written: {:?}", h.state().print_screen().error()));
    assert_eq!(written.pages, Some(names.len()));
    assert_eq!(pdf_pages(&out), names.len());
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM certificate"),
        names.len() as i64
    );
    // The register and the preview now show the issued numbers.
    let register = h.state().print_screen().register().to_vec();
    assert_eq!(register.len(), names.len());
    assert!(register.iter().all(|r| r.number.starts_with("2023-DS-ZG-")));
    assert!(h.query_by_label(&register[0].number).is_some());
    let texts = h.state().print_screen().preview_texts();
    assert!(
        texts.contains(&format!("证书编号：{}", register[0].number)),
        "{texts:?}"
    );
}

#[test]
fn the_check_screen_accepts_a_printed_certificate_and_rejects_a_tampered_one() {
    let dir = Dir::new("ui-print-check");
    let path = demo_db(&dir);
    let conn = open(&path);
    set_state(&conn, "DS-ZG", PoolState::Final);
    let mut h = print_centre(&path, "DS-ZG");
    choose(&mut h, Kind::Certificates);
    h.state_mut()
        .print_screen_mut()
        .set_output(&path.with_file_name("c.pdf").display().to_string());
    click_print(&mut h);
    let rows = certificates::list(&conn, PoolKey::parse("DS-ZG").as_ref())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(rows.len() >= 2);
    let payload = certificates::qr_payload(&rows[0].number, &rows[0].signature)
        .unwrap_or_else(|| panic!("payload"));

    h.state_mut().push(Action::Open(Screen::CertCheck));
    h.run();
    // The field has the focus: a scanner's keystrokes and Enter land there.
    h.event(egui::Event::Text(payload.clone()));
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let checked = h
        .state()
        .check_screen()
        .result()
        .cloned()
        .unwrap_or_else(|| panic!("no result: {:?}", h.state().check_screen().error()));
    match &checked.verification {
        Verification::Valid { number, holder, .. } => {
            assert_eq!(number, &rows[0].number);
            assert_eq!(holder, &rows[0].text.holder_name);
        }
        other => panic!("a printed certificate did not verify: {other:?}"),
    }
    assert!(h.query_by_label("有效").is_some());
    assert!(h.query_by_label(&rows[0].text.holder_name).is_some());

    // Another certificate's number under this signature: 签名不符.
    let forged = payload.replacen(&rows[0].number, &rows[1].number, 1);
    h.event(egui::Event::Text(forged));
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let checked = h.state().check_screen().result().cloned();
    assert!(
        matches!(
            checked.as_ref().map(|c| &c.verification),
            Some(Verification::Invalid {
                kind: Invalidity::Forged,
                ..
            })
        ),
        "{checked:?}"
    );
    assert!(h.query_by_label("签名不符").is_some());

    // Not a certificate's code at all.
    h.event(egui::Event::Text("hello".into()));
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(matches!(
        h.state().check_screen().result().map(|c| &c.verification),
        Some(Verification::Invalid {
            kind: Invalidity::Malformed,
            ..
        })
    ));
    assert!(h.query_by_label("无效").is_some());
}
