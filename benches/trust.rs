//! Trust benchmarks on the benchmark database (8 pools × 250 contestants, 5 judges, 20 criteria,
//! every score entered: 200 000 score entries, each sealed, and the sealed records of every
//! contestant, account, panel, criterion and pool):
//! - `verify_200000_entries`: `verify` of the whole file (integrity check, schema, every link's
//!   hash and signature, every sealed row and record, the pinned head);
//! - `save_one_score`: `enter_score` of one value on that file (WAL, `synchronous=FULL`: the
//!   commit, its seal signed in Rust and the head pinned in the key folder); its 99th percentile
//!   over the measured saves is printed as well (target ≤ 10 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use judgedesk::core::model::{Group, PoolKey};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::Actor;
use judgedesk::ops::demo::{BENCH_SCALE, create_scale_database};
use judgedesk::ops::scoring::{ContestantRef, ScoreInput, enter_score};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn trust(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("judgedesk-bench-trust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let keys = dir.join("keys");
    let keys = judgedesk::store::ledger::pin_key_dir(keys).to_path_buf();
    let path = dir.join("bench.sqlite");
    create_scale_database(&path, BENCH_SCALE).unwrap_or_else(|e| panic!("fixture: {e}"));
    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM score_entry", [], |r| r.get(0))
        .unwrap_or_default();
    assert!(entries >= 200_000, "{entries}");

    c.bench_function("verify_200000_entries", |b| {
        b.iter(|| {
            let report =
                judgedesk::ops::verify::verify(&conn, true).unwrap_or_else(|e| panic!("{e}"));
            assert!(report.is_clean(), "{:?}", report.findings.first());
            black_box(report.links)
        })
    });

    let (id_number, judge): (String, String) = conn
        .query_row(
            "SELECT c.id_number, a.name FROM contestant c JOIN pool p ON p.id = c.pool_id
             JOIN account_pool ap ON ap.pool_id = p.id JOIN account a ON a.id = ap.account_id
             WHERE p.event = 'DS' AND p.grp = 'ZG' AND a.role = 'judge'
             ORDER BY c.id, a.name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_else(|e| panic!("a cell: {e}"));
    let actor = Actor::command_line();
    let mut round = 0i64;
    let mut times: Vec<Duration> = Vec::new();
    c.bench_function("save_one_score", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                round += 1;
                let input = ScoreInput {
                    pool: PoolKey::new("DS", Group::Staff),
                    judge: judge.clone(),
                    contestant: ContestantRef::IdNumber(id_number.clone()),
                    criterion: "DS01".into(),
                    value: Hundredths(if round % 2 == 0 { 100 } else { 200 }),
                };
                let start = Instant::now();
                let receipt =
                    enter_score(&conn, &actor, "基准机", &input).unwrap_or_else(|e| panic!("{e}"));
                let took = start.elapsed();
                black_box(receipt);
                times.push(took);
                total += took;
            }
            total
        })
    });
    times.sort();
    if let Some(p99) = times.get(times.len() * 99 / 100) {
        eprintln!(
            "save_one_score: {} saves, median {:?}, p99 {:?}",
            times.len(),
            times[times.len() / 2],
            p99
        );
    }
    let pinned = std::fs::read_dir(keys.join("databases"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(pinned > 0, "the head is pinned in the key folder");
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = trust
}
criterion_main!(benches);
