//! Window benchmarks (issues 3 and 14): one frame of the judge's score grid at 250 contestants ×
//! 20 criteria, one frame of the results table at 2000 rows and one whole window frame of the
//! coordinator's people table at 2000 rows (each laid out and tessellated on a bare
//! `egui::Context` at 1366×768), and saving one score through `ops::scoring::enter_score` on a
//! file database (the 99th percentile is printed). Targets: a frame ≤ 4 ms, a save ≤ 10 ms at
//! p99. The frames write nothing: a save, a lock or a publication runs on the window's worker
//! thread (`tests/ui_frames.rs` checks that a frame with a pending lock returns with no write
//! and no backup).

use criterion::{Criterion, criterion_group, criterion_main};
use judgedesk::core::model::{PoolKey, Role};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::Actor;
use judgedesk::ops::demo::{BENCH_SCALE, create_scale_database};
use judgedesk::ops::scoring::{ContestantRef, ScoreInput, enter_score};
use judgedesk::ui::action::Action;
use judgedesk::ui::app::{JudgeDeskApp, Screen};
use judgedesk::ui::results_view;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

fn fixture() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("judgedesk-bench-ui-{}", std::process::id()));
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

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        ..Default::default()
    }
}

fn context() -> egui::Context {
    let ctx = egui::Context::default();
    judgedesk::ui::fonts::install_fonts(&ctx);
    judgedesk::ui::app::venue_style(&ctx);
    ctx
}

/// One full frame: layout and tessellation.
fn frame(ctx: &egui::Context, mut draw: impl FnMut(&mut egui::Ui)) -> usize {
    let output = ctx.run_ui(input(), |ui| draw(ui));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    primitives.len()
}

fn ui_benches(c: &mut Criterion) {
    let path = fixture();

    // The judge's grid: DS-ZG, 250 workstations × 20 criteria.
    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let mut app = JudgeDeskApp::signed_in(conn, path.display().to_string(), "DS-ZG评委1");
    assert_eq!(app.screen(), Screen::Grid);
    let ctx = context();
    for _ in 0..5 {
        frame(&ctx, |ui| app.ui(ui));
    }
    assert!(
        app.grid().model().drawn,
        "the grid is drawn, not the not-drawn notice"
    );
    let rows = app.grid().model().rows.len();
    let columns = app.grid().model().criteria.len();
    assert_eq!((rows, columns), (250, 20));
    c.bench_function("frame_score_grid_250x20", |b| {
        b.iter(|| black_box(frame(&ctx, |ui| app.ui(ui))))
    });

    // The results table: every pool's rows, 2000 in one table.
    let results = app.results().clone();
    let lines: Vec<results_view::ResultLine> = results
        .pools
        .iter()
        .flat_map(|pool| results_view::lines(&results, pool, true))
        .collect();
    assert_eq!(lines.len(), 2000);
    let ctx = context();
    let draw = |ui: &mut egui::Ui| {
        egui::CentralPanel::default().show(ui, |ui| results_view::results_table_ui(ui, &lines));
    };
    for _ in 0..5 {
        frame(&ctx, draw);
    }
    c.bench_function("frame_results_table_2000_rows", |b| {
        b.iter(|| black_box(frame(&ctx, draw)))
    });

    // The coordinator's people table: every contestant, 2000 rows, in the whole window.
    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let pin = judgedesk::ops::accounts::hash_pin("123456").unwrap_or_else(|e| panic!("pin: {e}"));
    judgedesk::store::people::add_account(&conn, "赛务管理员", Role::Coordinator, &pin, &[])
        .unwrap_or_else(|e| panic!("coordinator: {e}"));
    let mut app = JudgeDeskApp::signed_in(conn, path.display().to_string(), "赛务管理员");
    app.push(Action::Open(Screen::People));
    let ctx = context();
    for _ in 0..5 {
        frame(&ctx, |ui| app.ui(ui));
    }
    assert_eq!(app.screen(), Screen::People);
    assert_eq!(judgedesk::ops::view::people(app.desk()).len(), 2000);
    c.bench_function("frame_people_table_2000_rows", |b| {
        b.iter(|| black_box(frame(&ctx, |ui| app.ui(ui))))
    });

    // Saving one score on the file database, as the grid does.
    let conn = judgedesk::store::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let judge = judgedesk::store::people::account_by_name(&conn, "DS-ZG评委1")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("judge"));
    let actor = Actor {
        name: judge.name.clone(),
        role: Role::Judge,
        account_id: Some(judge.id),
    };
    let pool = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("pool"));
    let mut n: i64 = 0;
    let mut save = || {
        n += 1;
        let input = ScoreInput {
            pool: pool.clone(),
            judge: judge.name.clone(),
            contestant: ContestantRef::Workstation((n % 250) as u32 + 1),
            criterion: format!("DS{:02}", (n / 250) % 19 + 2),
            value: Hundredths((n % 10) * 50),
        };
        enter_score(&conn, &actor, "bench", &input).unwrap_or_else(|e| panic!("save: {e}"))
    };
    let mut times: Vec<f64> = (0..1000)
        .map(|_| {
            let start = Instant::now();
            black_box(save());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "save_one_score (enter_score, file db, 1000 saves): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        p(0.50),
        p(0.99),
        p(1.0)
    );
    c.bench_function("save_one_score_file_db", |b| b.iter(|| black_box(save())));

    // The same saves with the disk's fsync switched off on this connection: the CPU part.
    conn.execute_batch("PRAGMA synchronous = OFF")
        .unwrap_or_else(|e| panic!("pragma: {e}"));
    let mut times: Vec<f64> = (0..1000)
        .map(|_| {
            let start = Instant::now();
            black_box(save());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "save_one_score without fsync (CPU part, 1000 saves): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        p(0.50),
        p(0.99),
        p(1.0)
    );

    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = ui_benches
}
criterion_main!(benches);
