//! The draw's mapping sheets print as a PDF for sealing (and CSV for spreadsheets).

mod support;

use judgedesk::core::model::PoolKey;
use judgedesk::ops::Actor;

#[test]
fn mapping_sheets_are_written_as_a_pdf_with_both_sheets() {
    let conn = support::demo_in_memory();
    let dir = support::Dir::new("mapping");
    let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("pool"));
    let paths =
        judgedesk::ops::draw::write_mapping_sheets(&conn, &Actor::command_line(), &pool, &dir.0)
            .unwrap_or_else(|e| panic!("write: {e}"));
    let pdf = paths
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap_or_else(|| panic!("no pdf in {paths:?}"));
    let document = lopdf::Document::load(pdf).unwrap_or_else(|e| panic!("read back: {e}"));
    assert!(
        document.get_pages().len() >= 2,
        "each sheet starts its own page"
    );
    let text = document.extract_text(&[1, 2]).unwrap_or_default();
    assert!(
        text.contains("检录号") && text.contains("抽签种子"),
        "{text}"
    );
}
