//! Issue 11, inputs built to exhaust memory or time: workbooks with a huge shared string in
//! many cells, thousands of overlapping merged regions, or a member that unpacks to far more than
//! a form,
//! are refused by the registration reader with a plain message, through the real binary.
//! (Time and memory are measured outside the tests: `/usr/bin/time -v judgedesk … import
//! registration FILE` on the files `write_hostile_workbooks` leaves in `$JUDGEDESK_HOSTILE_DIR`.)

mod support;

use std::io::{Cursor, Write};
use std::path::Path;
use support::Dir;

/// A workbook of one sheet: `shared` as its only shared string, `cells` cells referring to it
/// (100 a row), and `merges` merged regions all covering A1.
fn workbook(shared: &str, cells: usize, merges: usize) -> Vec<u8> {
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    let columns: Vec<String> = (0..100)
        .map(|i| {
            let i = i as u8;
            if i < 26 {
                ((b'A' + i) as char).to_string()
            } else {
                format!("{}{}", (b'A' + i / 26 - 1) as char, (b'A' + i % 26) as char)
            }
        })
        .collect();
    for row in 0..cells.div_ceil(100) {
        sheet.push_str(&format!("<row r=\"{}\">", row + 1));
        for column in columns.iter().take((cells - row * 100).min(100)) {
            sheet.push_str(&format!(
                "<c r=\"{column}{}\" t=\"s\"><v>0</v></c>",
                row + 1
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData>");
    if merges > 0 {
        sheet.push_str(&format!("<mergeCells count=\"{merges}\">"));
        for i in 0..merges {
            sheet.push_str(&format!("<mergeCell ref=\"A1:CV{}\"/>", 1000 + i));
        }
        sheet.push_str("</mergeCells>");
    }
    sheet.push_str("</worksheet>");
    let escaped = shared.replace('&', "&amp;").replace('<', "&lt;");
    let members: [(&str, String); 6] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>".into(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into(),
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"报名表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>".into(),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>{escaped}</t></si></sst>"
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in &members {
        writer
            .start_file(*name, options)
            .unwrap_or_else(|e| panic!("zip: {e}"));
        writer
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("zip: {e}"));
    }
    writer
        .finish()
        .map(Cursor::into_inner)
        .unwrap_or_else(|e| panic!("zip: {e}"))
}

/// A shared string as long as Excel allows, in 250 000 cells: 7.5 GB of text if each cell
/// held its own copy.
fn shared_string_bomb() -> Vec<u8> {
    workbook(&"评".repeat(30_000), 250_000, 0)
}

/// Five thousand merged regions over one corner, each up to 100 × 6000 cells.
fn merged_region_storm() -> Vec<u8> {
    workbook("姓名", 10, 5_000)
}

/// One member that unpacks to 40 MB of spaces.
fn unpacking_bomb() -> Vec<u8> {
    workbook(&" ".repeat(40 * 1024 * 1024), 1, 0)
}

fn import(dir: &Dir, name: &str, bytes: &[u8]) -> (i32, String) {
    let path = dir.path(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write: {e}"));
    let db = dir.path("desk.sqlite");
    if !db.exists() {
        let out = support::bin()
            .env("JUDGEDESK_KEY_DIR", dir.path("keys"))
            .arg("--db")
            .arg(&db)
            .arg("init")
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        assert!(out.status.success());
    }
    let out = support::bin()
        .env("JUDGEDESK_KEY_DIR", dir.path("keys"))
        .arg("--db")
        .arg(&db)
        .args(["import", "registration"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_workbook_with_a_huge_shared_string_in_many_cells_is_refused() {
    let dir = Dir::new("hostile-strings");
    let bytes = shared_string_bomb();
    assert!(bytes.len() < 6 * 1024 * 1024, "{} bytes", bytes.len());
    let (code, said) = import(&dir, "strings.xlsx", &bytes);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("文字过多") && said.contains("不是报名表"),
        "{said}"
    );
}

#[test]
fn a_workbook_with_thousands_of_overlapping_merged_regions_is_refused() {
    let dir = Dir::new("hostile-merges");
    let (code, said) = import(&dir, "merges.xlsx", &merged_region_storm());
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("5000 个合并区域"), "{said}");
}

#[test]
fn a_workbook_that_unpacks_beyond_its_budget_is_refused_before_unpacking() {
    let dir = Dir::new("hostile-unpacking");
    let bytes = unpacking_bomb();
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let (code, said) = import(&dir, "bomb.xlsx", &bytes);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("解压后过大"), "{said}");
}

/// Leaves the hostile workbooks in `$JUDGEDESK_HOSTILE_DIR` for measuring outside the tests.
#[test]
#[ignore = "writes files for measuring, not a check: JUDGEDESK_HOSTILE_DIR=DIR cargo test --test hostile_inputs -- --ignored (README, Tests)"]
fn write_hostile_workbooks() {
    let Some(dir) = std::env::var_os("JUDGEDESK_HOSTILE_DIR") else {
        panic!("set JUDGEDESK_HOSTILE_DIR to the folder the workbooks go to");
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in [
        ("strings.xlsx", shared_string_bomb()),
        ("merges.xlsx", merged_region_storm()),
        ("bomb.xlsx", unpacking_bomb()),
        // About 5 MB: the shared string in two million cells, and the merged regions too.
        (
            "strings-5mb.xlsx",
            workbook(&"评".repeat(30_000), 2_000_000, 0),
        ),
        (
            "both-5mb.xlsx",
            workbook(&"评".repeat(30_000), 2_000_000, 5_000),
        ),
        // Just under the unpacked budget: the whole sheet is read before the text budget stops it.
        (
            "strings-near-budget.xlsx",
            workbook(&"评".repeat(30_000), 520_000, 0),
        ),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
}
