//! Results benchmarks: 2000 contestants (8 pools × 250), 5 judges, 20 criteria per pool.
//! Full results from a cold database (a freshly opened file), and results after one changed score.

use criterion::{Criterion, criterion_group, criterion_main};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::demo::{BENCH_SCALE, create_scale_database};
use std::hint::black_box;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("judgedesk-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.join("bench.sqlite");
    let summary =
        create_scale_database(&path, BENCH_SCALE).unwrap_or_else(|e| panic!("fixture: {e}"));
    assert_eq!(
        (summary.contestants, summary.score_entries),
        (2000, 200_000)
    );
    path
}

fn results(c: &mut Criterion) {
    let path = fixture();
    c.bench_function("results_cold_2000_contestants", |b| {
        b.iter(|| {
            let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
            let results =
                judgedesk::ops::results::compute(&conn).unwrap_or_else(|e| panic!("compute: {e}"));
            black_box(results.pools.len())
        })
    });

    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let mut results =
        judgedesk::ops::results::compute(&conn).unwrap_or_else(|e| panic!("compute: {e}"));
    let pool = &results.pools[0];
    let (pool_id, contestant, criterion, judge) = (
        pool.info.id,
        pool.sheet.contestants[17].key,
        pool.sheet.criteria[3].code.clone(),
        pool.sheet.judges[2],
    );
    let mut value = 0i64;
    c.bench_function("results_after_one_changed_score", |b| {
        b.iter(|| {
            value = (value + 50) % 500;
            black_box(results.apply_score(
                pool_id,
                contestant,
                &criterion,
                judge,
                Some(Hundredths(value)),
            ))
        })
    });
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = results
}
criterion_main!(benches);
