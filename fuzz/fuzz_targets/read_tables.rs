//! Fuzz target: any bytes, read as an XLSX workbook (when they start like a zip) and always as
//! CSV, then through the registration readers (official form or flat roster). libFuzzer's panic
//! hook aborts on every panic, so a panic that the readers' `catch_unwind` would turn into a
//! "damaged file" message is still found.
#![no_main]

use judgedesk::core::date::Date;
use judgedesk::core::model::{Group, PoolKey};
use judgedesk::io::form::read_registration;
use judgedesk::io::roster::PoolRef;
use judgedesk::io::table::{Table, read_csv_bytes, read_workbook_bytes};
use libfuzzer_sys::fuzz_target;

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

fn read_all(tables: &[Table]) {
    let today = Date {
        year: 2023,
        month: 9,
        day: 1,
    };
    let mut problems = Vec::new();
    let roster = read_registration(tables, &pools(), today, 2023, &mut problems);
    std::hint::black_box((roster, problems));
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        if let Ok(tables) = read_workbook_bytes("fuzz.xlsx", data) {
            read_all(&tables);
        }
    }
    if let Ok(table) = read_csv_bytes("fuzz.csv", data) {
        read_all(&[table]);
    }
});
