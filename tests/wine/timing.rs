//! A timing harness run by both builds on one machine, to compare the Windows build under Wine
//! with the Linux build (the criterion benches in benches/ measure the Linux build alone; they
//! are not built for Windows because that is a second full build of every dependency).
//! Prints one line per measure: `NAME MEDIAN_MS` over a few runs, in the folder given as the
//! only argument (a fresh temporary folder otherwise), with the keys in `JUDGEDESK_KEY_DIR`
//! (required). Built with the `timing` feature:
//! `JUDGEDESK_KEY_DIR=/tmp/k cargo run --features timing --bin judgedesk-timing`.
//!
//! * `results_cold_2000_contestants`: open the 2000-contestant database, compute all results.
//! * `certificates_1000`: print the register's 1000 certificates of a 1672-contestant
//!   database (every pool final) to one PDF, through `ops`, as the print centre does.
//! * `save_one_score`: one judge's score through `ops::scoring::enter_score` on the file
//!   database (durable on disk when it returns), median of 50.

use judgedesk::core::model::{PoolKey, PoolState, Role};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::Actor;
use judgedesk::ops::certificates::{self, PrintRequest};
use judgedesk::ops::demo::{BENCH_SCALE, Scale, create_scale_database, populate_scale};
use judgedesk::ops::scoring::{ContestantRef, ScoreInput, enter_score};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // It signs with a laptop key and pins its databases: in a folder of the run, never the
    // real key folder of whoever runs it.
    if std::env::var_os("JUDGEDESK_KEY_DIR").is_none() {
        eprintln!("timing: set JUDGEDESK_KEY_DIR to a folder of this run's own");
        return ExitCode::from(2);
    }
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("judgedesk-timing-{}", std::process::id()))
        });
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("timing: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn median_ms(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn timed<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let start = Instant::now();
    let value = f()?;
    Ok((start.elapsed().as_secs_f64() * 1000.0, value))
}

fn run(dir: &Path) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;

    let big = dir.join("results.sqlite");
    create_scale_database(&big, BENCH_SCALE)?;
    let mut runs = Vec::new();
    for _ in 0..5 {
        let (ms, pools) = timed(|| {
            let conn = judgedesk::store::open(&big)?;
            Ok(judgedesk::ops::results::compute(&conn)?.pools.len())
        })?;
        anyhow::ensure!(pools == 8, "{pools} pools");
        runs.push(ms);
    }
    println!("results_cold_2000_contestants {:.1}", median_ms(runs));

    let conn = judgedesk::store::open(&big)?;
    let judge = judgedesk::store::people::account_by_name(&conn, "DS-ZG评委1")?
        .ok_or_else(|| anyhow::anyhow!("no judge DS-ZG评委1"))?;
    let actor = Actor {
        name: judge.name.clone(),
        role: Role::Judge,
        account_id: Some(judge.id),
    };
    let pool = PoolKey::parse("DS-ZG").ok_or_else(|| anyhow::anyhow!("pool"))?;
    let mut runs = Vec::new();
    for n in 1..=50i64 {
        let input = ScoreInput {
            pool: pool.clone(),
            judge: judge.name.clone(),
            contestant: ContestantRef::Workstation((n % 250) as u32 + 1),
            criterion: format!("DS{:02}", n % 19 + 2),
            value: Hundredths((n % 10) * 50),
        };
        runs.push(timed(|| Ok(enter_score(&conn, &actor, "timing", &input)?))?.0);
    }
    println!("save_one_score {:.2}", median_ms(runs));
    drop(conn);

    let db = dir.join("certificates.sqlite");
    let conn = judgedesk::store::open(&db)?;
    judgedesk::ops::setup::init(&conn)?;
    populate_scale(
        &conn,
        Scale {
            contestants_per_pool: 209,
            judges_per_pool: 5,
            criteria_per_pool: 20,
        },
    )?;
    let tx = judgedesk::store::begin(&conn)?;
    for pool in judgedesk::store::competition::pools(&tx)? {
        judgedesk::store::competition::set_pool_state(&tx, pool.id, PoolState::Final)?;
    }
    tx.commit()?;
    let key = certificates::key_path(&db);
    let out = dir.join("certificates.pdf");
    let request = PrintRequest::default();
    let mut runs = Vec::new();
    let mut pages = 0;
    for _ in 0..3 {
        let (ms, report) = timed(|| {
            Ok(certificates::print_certificates(
                &conn,
                &Actor::command_line(),
                &request,
                &key,
                &out,
                &mut |_, _| {},
            )?)
        })?;
        pages = report.pages;
        runs.push(ms);
    }
    println!("certificates_{pages} {:.1}", median_ms(runs));
    drop(conn);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}
