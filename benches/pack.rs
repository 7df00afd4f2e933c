//! Judging pack benchmark: `pack_250_contestants` writes the pack of a laptop serving one pool
//! of the benchmark database (8 pools × 250 contestants, 5 judges, 20 criteria, every score
//! entered), so the pack holds 250 contestants and 25 000 score entries, each sealed again.

use criterion::{Criterion, criterion_group, criterion_main};
use judgedesk::core::model::PoolKey;
use judgedesk::ops::Actor;
use judgedesk::ops::demo::{BENCH_SCALE, create_scale_database};
use std::hint::black_box;

fn pack(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("judgedesk-bench-pack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.join("master.sqlite");
    create_scale_database(&path, BENCH_SCALE).unwrap_or_else(|e| panic!("fixture: {e}"));
    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("pool"));
    // A valid Ed25519 public key (not every 32 bytes are one).
    let laptop =
        judgedesk::core::chain::public_hex(&ed25519_dalek::SigningKey::from_bytes(&[3; 32]));
    judgedesk::ops::device::trust_for_pools(
        &conn,
        &Actor::command_line(),
        &laptop,
        "裁判机1",
        Some(&[pool]),
    )
    .unwrap_or_else(|e| panic!("trust: {e}"));
    let mut round = 0;
    c.bench_function("pack_250_contestants", |b| {
        b.iter(|| {
            round += 1;
            let out = dir.join(format!("pack-{round}.sqlite"));
            let written =
                judgedesk::ops::pack::write_pack(&conn, &Actor::command_line(), "裁判机1", &out)
                    .unwrap_or_else(|e| panic!("pack: {e}"));
            assert_eq!(written.counts.contestants, 250);
            let _ = std::fs::remove_file(&out);
            black_box(written.bytes)
        })
    });
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = pack
}
criterion_main!(benches);
