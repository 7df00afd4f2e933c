//! The CSV and XLSX readers and the registration readers behind them never panic, whatever the
//! bytes: random and structured CSV (proptest), and the app's own form workbook with its XML
//! mutated and zipped again. Nothing may unwind out of a reader, and nothing in this crate may
//! panic at all; a panic inside a dependency (calamine) is caught by the reader's
//! `catch_unwind` and becomes a "damaged file" message; those are counted and printed. The
//! `#[ignore]`d variant runs for
//! `JUDGEDESK_FUZZ_SECONDS` (default 60): `cargo test --test readers_never_panic -- --ignored`.
//! The coverage-guided target for `cargo fuzz` is in `fuzz/`.

use judgedesk::core::date::Date;
use judgedesk::core::model::{Group, PoolKey};
use judgedesk::io::form::{FormLayout, FormSpec, add_form_sheet, read_registration};
use judgedesk::io::roster::PoolRef;
use judgedesk::io::table::{Table, read_csv_bytes, read_workbook_bytes};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{Cursor, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// Panics in this crate's own code (never allowed) and inside dependencies (caught).
static OWN_PANICS: AtomicUsize = AtomicUsize::new(0);
static DEPENDENCY_PANICS: AtomicUsize = AtomicUsize::new(0);
static FIRST_OWN_PANIC: Mutex<Option<String>> = Mutex::new(None);
static DEPENDENCY_PANIC_SITES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Sorts every panic by where it happened; only panics in this crate are printed.
fn count_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let site = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if site.contains(".cargo/registry") {
                DEPENDENCY_PANICS.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut sites) = DEPENDENCY_PANIC_SITES.lock()
                    && !sites.contains(&site)
                {
                    sites.push(site);
                }
            } else {
                OWN_PANICS.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut first) = FIRST_OWN_PANIC.lock() {
                    first.get_or_insert_with(|| info.to_string());
                }
                default(info);
            }
        }));
    });
}

fn assert_no_own_panics(input: &str) {
    let count = OWN_PANICS.load(Ordering::SeqCst);
    let first = FIRST_OWN_PANIC
        .lock()
        .map(|f| f.clone())
        .unwrap_or_default();
    assert_eq!(count, 0, "judgedesk code panicked on {input}: {first:?}");
}

/// Runs a reader; it must return, not unwind.
fn returns(input: &str, read: impl FnOnce()) {
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).is_err();
    assert!(!unwound, "a reader unwound on {input}");
    assert_no_own_panics(input);
}

fn dependency_panics() -> String {
    let sites = DEPENDENCY_PANIC_SITES
        .lock()
        .map(|s| s.join(", "))
        .unwrap_or_default();
    format!(
        "{} panics inside dependencies, caught by the readers ({sites})",
        DEPENDENCY_PANICS.load(Ordering::SeqCst)
    )
}

fn pools() -> Vec<PoolRef> {
    let events = [
        ("DS", "电子商务运营"),
        ("KJ", "跨境电子商务运营"),
        ("ZB", "直播电商运营"),
        ("QM", "全媒体运营"),
    ];
    let mut pools = Vec::new();
    for (code, name) in events {
        for group in [Group::Staff, Group::Student] {
            pools.push(PoolRef {
                key: PoolKey::new(code, group),
                event_name: name.into(),
                pool_id: pools.len() as i64 + 1,
            });
        }
    }
    pools
}

const TODAY: Date = Date {
    year: 2023,
    month: 9,
    day: 1,
};

/// Every reader a registration file goes through.
fn read_all(tables: &[Table]) {
    let mut problems = Vec::new();
    let roster = read_registration(tables, &pools(), TODAY, 2023, &mut problems);
    std::hint::black_box((roster, problems));
}

fn read_csv(bytes: &[u8]) {
    if let Ok(table) = read_csv_bytes("fuzz.csv", bytes) {
        read_all(&[table]);
    }
}

fn read_xlsx(bytes: &[u8]) {
    if let Ok(tables) = read_workbook_bytes("fuzz.xlsx", bytes) {
        read_all(&tables);
    }
}

/// Cells that look like the registration vocabulary, so that random rows reach deep.
const WORDS: &[&str] = &[
    "单位",
    "赛项",
    "组别",
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "领队",
    "职务",
    "手机",
    "联系人",
    "总人数",
    "男性人数",
    "女性人数",
    "标间数量",
    "单间数量",
    "入住日期：( 10月14日 )",
    "退房日期",
    "航班、车次信息：G1",
    "职工组",
    "学生组",
    "选手1",
    "参赛资格",
    "现有等级",
    "院系",
    "指导老师",
    "学生证已核验",
    "是",
    "否",
    "男",
    "女",
    "a",
    "电子商务运营",
    "跨境电子商务运营",
    "320102199001011232",
    "3.20102E+17",
    "１１０１０５１９４９１２３１００２ｘ",
    "320102900101123",
    "2023-10-14",
    "13812345678",
    "",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    ",",
    "\t",
    "　",
    "\u{FEFF}",
    "99999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "第7名",
    "房间需求",
];

fn structured_csv() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_string),
        ".{0,12}",
    ];
    let row = proptest::collection::vec(cell, 0..12);
    let rows = proptest::collection::vec(row, 0..20);
    (rows, any::<bool>(), any::<bool>()).prop_map(|(rows, tabs, gbk)| {
        let separator = if tabs { "\t" } else { "," };
        let text: String = rows.iter().map(|r| r.join(separator) + "\n").collect();
        if gbk {
            encoding_rs::GBK.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_csv_reader(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        count_panics();
        returns("random bytes as CSV", || read_csv(&bytes));
        returns("random bytes as XLSX", || read_xlsx(&bytes));
    }

    #[test]
    fn structured_csv_never_panics_the_readers(bytes in structured_csv()) {
        count_panics();
        returns("structured CSV", || read_csv(&bytes));
    }
}

/// The app's own form, filled with a few rows: the seed the mutations start from.
fn seed_workbook() -> Vec<u8> {
    let spec = FormSpec {
        heading: "“江苏工匠”岗位练兵职业技能竞赛活动".into(),
        year: 2023,
        events: vec!["电子商务运营".into(), "跨境电子商务运营".into()],
        registration_end: Date {
            year: 2023,
            month: 9,
            day: 20,
        },
    };
    let layout = FormLayout::default();
    let mut book = rust_xlsxwriter::Workbook::new();
    let written = (|| -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let sheet = add_form_sheet(&mut book, &spec, "电子商务运营", layout)?;
        let cells = [
            (layout.cell("单位"), "某单位"),
            (layout.cell("总人数"), "3"),
            (layout.cell("入住日期"), "2023-10-14"),
            (layout.person(Group::Staff, 0, "姓名"), "张三"),
            (
                layout.person(Group::Staff, 0, "身份证号"),
                "320102199001011232",
            ),
            (layout.person(Group::Student, 0, "姓名"), "李四"),
        ];
        for (at, text) in cells {
            if let Some((row, col)) = at {
                sheet.write_string(row, col, text)?;
            }
        }
        sheet.merge_range(30, 0, 40, 3, "合并", &rust_xlsxwriter::Format::new())?;
        sheet.write_number(31, 5, 320102199001011232.0)?;
        add_form_sheet(&mut book, &spec, "跨境电子商务运营", layout)?;
        book.save_to_buffer()
    })();
    written.unwrap_or_else(|e| panic!("seed workbook: {e}"))
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("seed zip: {e}"));
    (0..archive.len())
        .map(|i| {
            let mut file = archive
                .by_index(i)
                .unwrap_or_else(|e| panic!("seed entry: {e}"));
            let mut data = Vec::new();
            file.read_to_end(&mut data)
                .unwrap_or_else(|e| panic!("seed read: {e}"));
            (file.name().map(|n| n.to_string()).unwrap_or_default(), data)
        })
        .collect()
}

fn zip_again(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        if writer.start_file(name.as_str(), options).is_err() || writer.write_all(data).is_err() {
            break;
        }
    }
    writer.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// XML fragments worth splicing in: cells, merges, odd references and numbers.
const XML_BITS: &[&str] = &[
    "<c r=\"A1\" t=\"s\"><v>999999</v></c>",
    "<c r=\"XFD1048576\"><v>1</v></c>",
    "<c r=\"A0\"><v>1</v></c>",
    "<c r=\"ZZZZZZ9\" t=\"inlineStr\"><is><t>x</t></is></c>",
    "<mergeCell ref=\"A1:XFD1048576\"/>",
    "<mergeCell ref=\"B2:A1\"/>",
    "<mergeCell ref=\"A1\"/>",
    "<c r=\"B2\" t=\"n\"><v>1e400</v></c>",
    "<c r=\"B3\" s=\"9999\"><v>45213</v></c>",
    "<c r=\"B4\" t=\"d\"><v>not-a-date</v></c>",
    "<c r=\"B5\" t=\"e\"><v>#REF!</v></c>",
    "<row r=\"0\">",
    "<row r=\"4294967295\">",
    "</row>",
    "<si><t>",
    "&amp;#xFFFF;",
    "<![CDATA[",
    "\u{0}",
];

/// One mutation of one XML entry: flip bytes, cut, duplicate a span or splice a fragment.
fn mutate(rng: &mut ChaCha8Rng, entries: &mut [(String, Vec<u8>)]) {
    let xml: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| name.ends_with(".xml") || name.ends_with(".rels"))
        .map(|(i, _)| i)
        .collect();
    if xml.is_empty() {
        return;
    }
    let index = xml[rng.random_range(0..xml.len())];
    let data = &mut entries[index].1;
    if data.is_empty() {
        return;
    }
    let at = rng.random_range(0..data.len());
    match rng.random_range(0..5) {
        0 => data[at] = rng.random(),
        1 => data.truncate(at),
        2 => {
            let end = (at + rng.random_range(1..200)).min(data.len());
            let span = data[at..end].to_vec();
            data.splice(at..at, span);
        }
        3 => {
            let bit = XML_BITS[rng.random_range(0..XML_BITS.len())].as_bytes();
            data.splice(at..at, bit.iter().copied());
        }
        _ => {
            let end = (at + rng.random_range(1..100)).min(data.len());
            data.drain(at..end);
        }
    }
}

/// Mutates the seed until `deadline` or `limit` workbooks; returns how many were read.
fn mutated_workbooks(seed: u64, limit: usize, deadline: Duration) -> usize {
    count_panics();
    let original = unzip(&seed_workbook());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = Instant::now();
    let mut done = 0;
    while done < limit && start.elapsed() < deadline {
        let mut entries = original.clone();
        for _ in 0..rng.random_range(1..4) {
            mutate(&mut rng, &mut entries);
        }
        let bytes = zip_again(&entries);
        let input = format!("mutated workbook {done} (seed {seed})");
        returns(&input, || read_xlsx(&bytes));
        // Raw damage to the zip itself as well, now and then.
        if done % 10 == 0 && !bytes.is_empty() {
            let mut raw = bytes;
            let at = rng.random_range(0..raw.len());
            raw[at] ^= 0x5A;
            returns(&input, || read_xlsx(&raw));
            raw.truncate(at);
            returns(&input, || read_xlsx(&raw));
        }
        done += 1;
    }
    done
}

#[test]
fn mutated_form_workbooks_never_panic_the_readers() {
    let done = mutated_workbooks(2023, 300, Duration::from_secs(20));
    assert!(done > 0);
    eprintln!("read {done} mutated workbooks; {}", dependency_panics());
}

#[test]
#[ignore = "long: JUDGEDESK_FUZZ_SECONDS=300 cargo test --release --test readers_never_panic -- --ignored (README, Tests)"]
fn mutated_form_workbooks_never_panic_the_readers_long() {
    let seconds = std::env::var("JUDGEDESK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("JUDGEDESK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let done = mutated_workbooks(seed, usize::MAX, Duration::from_secs(seconds));
    eprintln!(
        "read {done} mutated workbooks in {seconds} s, none unwound (seed {seed}); {}",
        dependency_panics()
    );
}
