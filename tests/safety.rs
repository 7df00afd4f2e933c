//! Issue 6, nothing lost and nothing altered: kill -9 during score writes, one writer per file,
//! tampering found by `verify`, backups and restore, a full disk. Through the real binary and
//! database; each laptop's key lives in its own folder (`JUDGEDESK_KEY_DIR`).

mod support;

use support::Dir;

use judgedesk::core::chain;
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn command(db: &Path, keys: &Path, args: &[&str]) -> Command {
    let mut cmd = support::bin();
    cmd.env("JUDGEDESK_KEY_DIR", keys)
        .env("JUDGEDESK_PIN", judgedesk::ops::demo::DEMO_PIN)
        .arg("--db")
        .arg(db)
        .args(args);
    cmd
}

fn run(db: &Path, keys: &Path, args: &[&str]) -> Output {
    command(db, keys, args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn text(output: &Output) -> String {
    support::said(output)
}

fn demo(dir: &Dir, keys: &Path) -> PathBuf {
    let db = dir.path("judgedesk.sqlite");
    let out = run(&db, keys, &["demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    db
}

fn open(db: &Path) -> Connection {
    Connection::open(db).unwrap_or_else(|e| panic!("open: {e}"))
}

fn count(db: &Path, table: &str) -> i64 {
    open(db)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(-1)
}

/// What a refused command must leave unchanged.
fn fingerprint(db: &Path) -> (i64, i64, i64, i64) {
    (
        count(db, "score_entry"),
        count(db, "current_score"),
        count(db, "audit"),
        count(db, "ledger"),
    )
}

/// A scoreable cell of DS-ZG for judge DS-ZG裁判1: (workstation, criterion, max, step).
fn cells(db: &Path, n: usize) -> Vec<(u32, String, i64, i64)> {
    let conn = open(db);
    let criteria: Vec<(String, i64, i64)> = conn
        .prepare("SELECT k.code, k.max, k.step FROM criterion k JOIN pool p ON p.id = k.pool_id WHERE p.event = 'DS' AND p.grp = 'ZG' AND k.kind = 'judgement' ORDER BY k.position")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
        .unwrap_or_default();
    let stations: Vec<u32> = conn
        .prepare("SELECT c.workstation FROM contestant c JOIN pool p ON p.id = c.pool_id WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.status = 'normal' AND c.workstation IS NOT NULL ORDER BY c.workstation")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    assert!(!criteria.is_empty() && !stations.is_empty());
    (0..n)
        .map(|i| {
            let (code, max, step) = criteria[i % criteria.len()].clone();
            (
                stations[(i / criteria.len()) % stations.len()],
                code,
                max,
                step,
            )
        })
        .collect()
}

fn score_args(cell: &(u32, String, i64, i64), value: i64) -> Vec<String> {
    let value = format!("{}.{:02}", value / 100, value % 100);
    [
        "score",
        "set",
        "--pool",
        "DS-ZG",
        "--judge",
        "DS-ZG裁判1",
        "--workstation",
        &cell.0.to_string(),
        "--criterion",
        &cell.1,
        "--value",
        &value,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Every value a cell has held, oldest first, and its current value.
fn history(db: &Path, cell: &(u32, String, i64, i64)) -> (Vec<Option<i64>>, Option<i64>) {
    let conn = open(db);
    let cell_filter = "e.contestant_id = (SELECT c.id FROM contestant c JOIN pool p ON p.id = c.pool_id WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.workstation = ?1)
         AND e.criterion_id = (SELECT k.id FROM criterion k JOIN pool p ON p.id = k.pool_id WHERE p.event = 'DS' AND p.grp = 'ZG' AND k.code = ?2)
         AND e.judge_id = (SELECT id FROM account WHERE name = 'DS-ZG裁判1')";
    let values: Vec<Option<i64>> = conn
        .prepare(&format!(
            "SELECT e.value FROM score_entry e WHERE {cell_filter} ORDER BY e.id"
        ))
        .and_then(|mut s| {
            s.query_map(rusqlite::params![cell.0, cell.1], |r| r.get(0))?
                .collect()
        })
        .unwrap_or_default();
    let current: Option<i64> = conn
        .query_row(&format!("SELECT e.value FROM current_score s JOIN score_entry e ON e.id = s.entry_id WHERE {cell_filter}"), rusqlite::params![cell.0, cell.1], |r| r.get(0))
        .ok();
    (values, current)
}

fn verify(db: &Path, keys: &Path) -> Output {
    run(db, keys, &["verify"])
}

#[test]
fn kill_9_during_a_stream_of_score_writes_loses_nothing_acknowledged() {
    let dir = Dir::new("safety-kill");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let cells = cells(&db, 6);
    let rounds: usize = std::env::var("JUDGEDESK_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160);

    // How long one write takes, so that the kills land before, during and after the commit.
    let started = Instant::now();
    let out = command(
        &db,
        &keys,
        &score_args(&cells[0], 0)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .output();
    assert!(out.is_ok_and(|o| o.status.success()));
    let typical = started.elapsed().max(Duration::from_millis(2));

    let entries_before = count(&db, "score_entry");
    let mut attempts: HashMap<usize, Vec<(i64, bool)>> = HashMap::new();
    let (mut acknowledged, mut killed) = (0, 0);
    for round in 0..rounds {
        let index = round % cells.len();
        let cell = &cells[index];
        let steps = cell.2 / cell.3;
        let mut value = ((round as i64 * 7 + 3) % steps + 1) * cell.3;
        if attempts
            .get(&index)
            .and_then(|a| a.last())
            .is_some_and(|(last, _)| *last == value)
        {
            value = if value > cell.3 {
                value - cell.3
            } else {
                value + cell.3
            };
        }
        let args = score_args(cell, value);
        let mut child = command(
            &db,
            &keys,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
        std::thread::sleep(typical.mul_f64((round % 12) as f64 / 10.0));
        let finished_before_kill = child.try_wait().ok().flatten().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        let output = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("wait: {e}"));
        let acked =
            output.status.success() && String::from_utf8_lossy(&output.stdout).contains("已保存");
        if acked {
            acknowledged += 1;
        } else if !finished_before_kill {
            killed += 1;
        }
        attempts.entry(index).or_default().push((value, acked));
    }

    let mut lost = 0;
    for (index, tried) in &attempts {
        let (values, current) = history(&db, &cells[*index]);
        // Every acknowledged value appears in the cell's history, in order.
        let mut position = 0;
        for (value, _) in tried.iter().filter(|(_, acked)| *acked) {
            match values[position..].iter().position(|v| *v == Some(*value)) {
                Some(found) => position += found,
                None => lost += 1,
            }
        }
        // The current value is the last acknowledged one or a later attempt that landed.
        if let Some(last_acked) = tried.iter().rposition(|(_, acked)| *acked) {
            let allowed: Vec<i64> = tried[last_acked..].iter().map(|(v, _)| *v).collect();
            assert!(
                current.is_some_and(|c| allowed.contains(&c)),
                "cell {index}: current {current:?}, allowed {allowed:?}"
            );
        }
    }
    // Writes that committed although their process was killed before it could say so.
    let landed_unacknowledged = count(&db, "score_entry") - entries_before - acknowledged as i64;
    eprintln!(
        "kill -9: {rounds} rounds, {acknowledged} acknowledged, {killed} killed while running \
         (of which about {landed_unacknowledged} had committed), {lost} acknowledged writes lost"
    );
    assert_eq!(lost, 0, "acknowledged scores lost");
    assert!(
        acknowledged > 0 && killed > 0,
        "the kills must hit both sides: {acknowledged} acked, {killed} killed"
    );
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn a_second_writer_on_one_file_is_refused_and_concurrent_commands_take_turns() {
    let dir = Dir::new("safety-two");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let cells = cells(&db, 8);

    // A window holds the database: a writing command is refused at once, nothing changes.
    let window =
        judgedesk::ops::safety::WriterLock::for_window(&db).unwrap_or_else(|e| panic!("lock: {e}"));
    let before = fingerprint(&db);
    let args = score_args(&cells[0], cells[0].3);
    let out = run(
        &db,
        &keys,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("窗口"), "{}", text(&out));
    assert_eq!(fingerprint(&db), before);
    // Reading is still allowed.
    assert_eq!(code(&run(&db, &keys, &["results", "--pool", "DS-ZG"])), 0);
    drop(window);

    // Two processes writing at once take turns; every write lands and the chain holds.
    let workers: Vec<_> = [0usize, 1]
        .into_iter()
        .map(|w| {
            let (db, keys, cells) = (db.clone(), keys.clone(), cells.clone());
            std::thread::spawn(move || {
                let mut written = Vec::new();
                for i in 0..12 {
                    let cell = &cells[w * 4 + i % 4];
                    let value = ((i as i64 % (cell.2 / cell.3 - 1)) + 1) * cell.3;
                    let args = score_args(cell, value);
                    let out = run(
                        &db,
                        &keys,
                        &args.iter().map(String::as_str).collect::<Vec<_>>(),
                    );
                    assert_eq!(code(&out), 0, "{}", text(&out));
                    written.push((w * 4 + i % 4, value));
                }
                written
            })
        })
        .collect();
    let mut last: HashMap<usize, i64> = HashMap::new();
    for worker in workers {
        for (cell, value) in worker.join().unwrap_or_default() {
            last.insert(cell, value);
        }
    }
    assert_eq!(last.len(), 8);
    for (cell, value) in last {
        assert_eq!(history(&db, &cells[cell]).1, Some(value));
    }
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

/// Flips one byte of the file inside `needle` where it is stored in one of `table`'s pages (a
/// value can also sit in an index or a freed page, which holds no record).
fn flip(db: &Path, table: &str, needle: &[u8], offset: usize) {
    let pages: Vec<i64> = open(db)
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1")
        .and_then(|mut s| s.query_map([table], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let mut bytes = std::fs::read(db).unwrap_or_default();
    let at = (0..bytes.len().saturating_sub(needle.len()))
        .find(|&i| bytes[i..i + needle.len()] == *needle && pages.contains(&(i as i64 / 4096 + 1)))
        .unwrap_or_else(|| panic!("needle not in {table}"))
        + offset;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(db, bytes).unwrap_or_else(|e| panic!("write: {e}"));
}

#[test]
fn one_flipped_byte_is_detected() {
    let dir = Dir::new("safety-flip");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    assert_eq!(code(&verify(&db, &keys)), 0);
    let pristine = std::fs::read(&db).unwrap_or_default();
    assert!(
        !dir.path("judgedesk.sqlite-wal").exists(),
        "checkpointed on close"
    );

    // A byte inside a score entry (its uid), and a byte inside a signature in the ledger.
    let (uid, signature): (String, String) = {
        let conn = open(&db);
        let uid = conn
            .query_row(
                "SELECT uid FROM score_entry ORDER BY id LIMIT 1 OFFSET 100",
                [],
                |r| r.get(0),
            )
            .unwrap_or_default();
        let sig = conn
            .query_row(
                "SELECT signature FROM ledger ORDER BY seq LIMIT 1 OFFSET 200",
                [],
                |r| r.get(0),
            )
            .unwrap_or_default();
        (uid, sig)
    };
    flip(&db, "score_entry", uid.as_bytes(), 5);
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("评分记录"), "{}", text(&out));

    std::fs::write(&db, &pristine).unwrap_or_else(|e| panic!("{e}"));
    flip(&db, "ledger", signature.as_bytes(), 10);
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("签名无效"), "{}", text(&out));

    // The file header: SQLite no longer recognises it; still a clear refusal, exit 1.
    std::fs::write(&db, &pristine).unwrap_or_else(|e| panic!("{e}"));
    let mut bytes = pristine.clone();
    bytes[0] ^= 0x01;
    std::fs::write(&db, bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 1, "{}", text(&out));
}

#[test]
fn records_edited_deleted_inserted_or_rehashed_with_sql_are_named_by_verify() {
    let dir = Dir::new("safety-intruder");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let conn = open(&db);
    let (edited, edited_uid): (i64, String) = conn
        .query_row(
            "SELECT id, uid FROM score_entry ORDER BY id LIMIT 1 OFFSET 10",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_default();
    let deleted: i64 = conn
        .query_row(
            "SELECT id FROM score_entry ORDER BY id LIMIT 1 OFFSET 20",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    let rehashed: i64 = conn
        .query_row(
            "SELECT id FROM score_entry ORDER BY id LIMIT 1 OFFSET 30",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    // The intruder drops the guards, then edits, deletes, inserts, and re-hashes one record
    // (and its link) as well as anyone can without the laptop's key; and changes one current
    // value directly, which needs no guard dropped at all.
    let intrusion = format!(
        "DROP TRIGGER score_entry_no_update; DROP TRIGGER score_entry_no_delete; DROP TRIGGER score_entry_seal;
         DROP TRIGGER ledger_signed_once;
         UPDATE score_entry SET value = value + 50 WHERE id = {edited};
         UPDATE current_score SET value = value + 50 WHERE entry_id = {edited};
         DELETE FROM current_score WHERE entry_id = {deleted};
         DELETE FROM score_entry WHERE id = {deleted};
         INSERT INTO score_entry (uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source)
             SELECT 'intruder', contestant_id, criterion_id, judge_id, 100, entered_at, entered_by, device, source FROM score_entry WHERE id = {edited};
         UPDATE score_entry SET value = 0 WHERE id = {rehashed};
         UPDATE current_score SET value = value + 100 WHERE entry_id = (SELECT id FROM score_entry ORDER BY id LIMIT 1 OFFSET 40);"
    );
    conn.execute_batch(&intrusion)
        .unwrap_or_else(|e| panic!("intrusion: {e}"));
    let (row_hash, link, seq): (String, String, i64) = {
        let mut stmt = conn.prepare("SELECT id, uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes FROM score_entry WHERE id = ?1").unwrap_or_else(|e| panic!("{e}"));
        let row_hash = stmt
            .query_row([rehashed], |r| {
                let fields: Vec<chain::Field<'_>> = (0..11)
                    .map(|i| r.get_ref(i).map(judgedesk::store::ledger::field))
                    .collect::<Result<_, _>>()?;
                Ok(chain::row_hash("score", &fields))
            })
            .unwrap_or_default();
        let (seq, prev, signer): (i64, String, String) = conn
            .query_row(
                "SELECT seq, prev_hash, signer FROM ledger WHERE kind = 'score' AND row_id = ?1",
                [rehashed],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap_or_default();
        let link = chain::link_hash(&prev, "score", rehashed, &row_hash, &signer);
        (row_hash, link, seq)
    };
    conn.execute(
        "UPDATE ledger SET row_hash = ?1, hash = ?2 WHERE seq = ?3",
        rusqlite::params![row_hash, link, seq],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);

    let out = verify(&db, &keys);
    let report = text(&out);
    assert_eq!(code(&out), 1, "{report}");
    assert!(
        report.contains(&format!(
            "评分记录 #{edited}（uid {edited_uid}）：内容与签封时不一致"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("评分记录 #{deleted}：已被删除")),
        "{report}"
    );
    assert!(report.contains("当前分数表"), "{report}");
    assert!(report.contains("没有签封"), "{report}");
    // The re-hashed record matches its rewritten link; the missing key gives it away.
    assert!(
        report.contains(&format!("审计链第 {seq} 条（评分记录 #{rehashed}"))
            && report.contains("签名无效"),
        "{report}"
    );
}

#[test]
fn backup_restores_exactly_and_restore_refuses_foreign_or_tampered_files() {
    let dir = Dir::new("safety-backup");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let cells = cells(&db, 2);
    let backup = dir.path("stick-backup.sqlite");
    let out = run(
        &db,
        &keys,
        &["backup", "--out", backup.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(code(&verify(&backup, &keys)), 0);
    let saved = history(&db, &cells[0]).1;

    // Work continues; the first write also takes an automatic backup beside the database.
    let args = score_args(&cells[0], cells[0].3 * 3);
    assert_eq!(
        code(&run(
            &db,
            &keys,
            &args.iter().map(String::as_str).collect::<Vec<_>>()
        )),
        0
    );
    let automatic = judgedesk::ops::backup::list(&db);
    assert_eq!(automatic.len(), 1, "{automatic:?}");
    assert_ne!(history(&db, &cells[0]).1, saved);

    // Refused: not a database, a tampered backup. Nothing changes.
    let before = fingerprint(&db);
    let garbage = dir.path("garbage.sqlite");
    std::fs::write(&garbage, b"not a database at all").unwrap_or_else(|e| panic!("{e}"));
    let out = run(
        &db,
        &keys,
        &["restore", garbage.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let tampered = dir.path("tampered.sqlite");
    std::fs::copy(&backup, &tampered).unwrap_or_else(|e| panic!("{e}"));
    open(&tampered)
        .execute_batch(
            "DROP TRIGGER score_entry_no_update; UPDATE score_entry SET value = 0 WHERE id = 5;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let out = run(
        &db,
        &keys,
        &["restore", tampered.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("未通过校验"), "{}", text(&out));
    assert_eq!(fingerprint(&db), before);

    // Restored: the backup's scores, the current file kept aside, the chain intact.
    let out = run(
        &db,
        &keys,
        &["restore", backup.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(history(&db, &cells[0]).1, saved);
    assert!(
        judgedesk::ops::backup::list(&db)
            .iter()
            .any(|p| p.to_string_lossy().contains("before-restore"))
    );
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn automatic_backups_rotate_and_a_damaged_database_is_refused_with_the_newest_verified_backup() {
    use judgedesk::ops::backup::{self, Reason};
    use judgedesk::ops::verify::{Startup, startup_check};
    let dir = Dir::new("safety-rotate");
    let db = dir.path("judgedesk.sqlite");
    let key =
        judgedesk::store::ledger::KeySource::Fixed(ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
    {
        let conn = judgedesk::store::open_with_keys(&db, key).unwrap_or_else(|e| panic!("{e}"));
        judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..(backup::KEEP + 2) {
            backup::automatic(&conn, Reason::Lock).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(backup::list(&db).len(), backup::KEEP);
        assert_eq!(
            backup::automatic_if_due(&conn).ok().flatten(),
            None,
            "nothing due right after a backup"
        );
    }
    assert_eq!(startup_check(&db), Startup::Sound);
    // Damage the middle of the file.
    let mut bytes = std::fs::read(&db).unwrap_or_default();
    let len = bytes.len();
    for b in &mut bytes[4096..len.min(4096 * 3)] {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap_or_else(|e| panic!("{e}"));
    match startup_check(&db) {
        Startup::Damaged {
            problems,
            backup: offered,
        } => {
            assert!(!problems.is_empty());
            assert_eq!(
                offered.as_ref(),
                backup::list(&db).first(),
                "the newest backup is offered"
            );
        }
        other => panic!("damage not found: {other:?}"),
    }
    // The command line refuses to write into it and names the backup to restore.
    let out = run(
        &db,
        &dir.path("keys"),
        &["contestant", "status", "320102199001011232", "缺考"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("已损坏") && text(&out).contains("restore"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_full_disk_refuses_the_score_with_a_clear_message_and_loses_nothing() {
    use judgedesk::core::model::{Group, PoolKey};
    use judgedesk::core::score::Hundredths;
    use judgedesk::ops::scoring::{ContestantRef, ScoreInput, enter_score};
    let dir = Dir::new("safety-full");
    let db = dir.path("judgedesk.sqlite");
    let key = || {
        judgedesk::store::ledger::KeySource::Fixed(ed25519_dalek::SigningKey::from_bytes(&[9; 32]))
    };
    {
        let conn = judgedesk::store::open_with_keys(&db, key()).unwrap_or_else(|e| panic!("{e}"));
        judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("{e}"));
        judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("{e}"));
    }
    let cells = cells(&db, 40);
    let conn = judgedesk::store::open_with_keys(&db, key()).unwrap_or_else(|e| panic!("{e}"));
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap_or_default();
    conn.query_row(&format!("PRAGMA max_page_count = {}", pages + 2), [], |r| {
        r.get::<_, i64>(0)
    })
    .unwrap_or_default();
    let actor = judgedesk::ops::Actor::command_line();
    let input = |cell: &(u32, String, i64, i64), value: i64| ScoreInput {
        pool: PoolKey::new("DS", Group::Staff),
        judge: "DS-ZG裁判1".into(),
        contestant: ContestantRef::Workstation(cell.0),
        criterion: cell.1.clone(),
        value: Hundredths(value),
    };
    let mut saved: Vec<(usize, i64)> = Vec::new();
    let mut refusal = None;
    'writing: for round in 0..400 {
        for (index, cell) in cells.iter().enumerate() {
            let value = if round % 2 == 0 { cell.3 } else { 2 * cell.3 };
            match enter_score(&conn, &actor, "测试机", &input(cell, value)) {
                Ok(_) => saved.push((index, value)),
                Err(e) => {
                    refusal = Some((index, value, e.to_string()));
                    break 'writing;
                }
            }
        }
    }
    let (index, value, message) = refusal.unwrap_or_else(|| panic!("the disk never filled"));
    assert!(
        message.contains("磁盘空间已满") && message.contains("未保存"),
        "{message}"
    );
    assert!(!saved.is_empty());
    drop(conn);

    // Reopened with room: every acknowledged score is there, the chain verifies, and the value
    // that was refused can be entered again.
    let conn = judgedesk::store::open_with_keys(&db, key()).unwrap_or_else(|e| panic!("{e}"));
    let mut last: HashMap<usize, i64> = HashMap::new();
    for (i, v) in &saved {
        last.insert(*i, *v);
    }
    for (i, v) in &last {
        assert_eq!(history(&db, &cells[*i]).1, Some(*v), "cell {i}");
    }
    let report = judgedesk::ops::verify::verify(&conn, true).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_clean(), "{:?}", report.findings.first());
    enter_score(&conn, &actor, "测试机", &input(&cells[index], value))
        .unwrap_or_else(|e| panic!("retry: {e}"));
    assert_eq!(history(&db, &cells[index]).1, Some(value));
}

#[test]
fn an_added_trigger_view_or_column_is_named_by_verify() {
    let dir = Dir::new("safety-schema");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    assert_eq!(code(&verify(&db, &keys)), 0);
    // What a judge with the sqlite3 shell could add: a trigger that rewrites every new score,
    // a view, a column.
    open(&db)
        .execute_batch(
            "CREATE TRIGGER quietly_more AFTER INSERT ON current_score
             BEGIN UPDATE current_score SET value = value + 50 WHERE entry_id = NEW.entry_id; END;
             CREATE VIEW everyone AS SELECT name, id_number FROM contestant;
             ALTER TABLE account ADD COLUMN note TEXT;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let out = verify(&db, &keys);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let said = text(&out);
    for named in [
        "多出触发器“quietly_more”",
        "多出视图“everyone”",
        "表“account”与本程序的定义不同",
    ] {
        assert!(said.contains(named), "{named}: {said}");
    }
    // A guard dropped is named too.
    open(&db)
        .execute_batch("DROP TRIGGER audit_no_delete;")
        .unwrap_or_else(|e| panic!("{e}"));
    let said = text(&verify(&db, &keys));
    assert!(said.contains("缺少触发器“audit_no_delete”"), "{said}");
}

#[test]
fn a_file_with_an_added_trigger_is_refused_on_open() {
    let dir = Dir::new("safety-schema-open");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let cell = cells(&db, 1).remove(0);
    // A trigger the app's own connection would run with its functions installed: it would get
    // an extra audit row sealed by the laptop's key and add 50 to every new score.
    open(&db)
        .execute_batch(
            "CREATE TRIGGER sealed_by_the_app AFTER INSERT ON score_entry
             BEGIN UPDATE current_score SET value = value + 50 WHERE entry_id = NEW.id;
                   INSERT INTO audit (at, actor, action) VALUES ('t', '裁判', '悄悄改分'); END;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let before = fingerprint(&db);
    let args = score_args(&cell, 500);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&db, &keys, &args);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("拒绝打开") && text(&out).contains("触发器“sealed_by_the_app”"),
        "{}",
        text(&out)
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_backup_with_an_added_trigger_is_refused_by_restore() {
    let dir = Dir::new("safety-schema-restore");
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    let backup = dir.path("copy.sqlite");
    let out = run(
        &db,
        &keys,
        &["backup", "--out", backup.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Sealing and rows untouched: only a trigger that would act once the copy is in use.
    open(&backup)
        .execute_batch(
            "CREATE TRIGGER later AFTER INSERT ON score_entry
             BEGIN UPDATE contestant SET status = 'absent' WHERE id = NEW.contestant_id; END;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let before = fingerprint(&db);
    let out = run(
        &db,
        &keys,
        &["restore", backup.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("未通过校验") && text(&out).contains("触发器“later”"),
        "{}",
        text(&out)
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_missing_backup_or_database_file_is_a_file_fault_not_a_refusal() {
    use judgedesk::ops::{Actor, OpsError};
    let dir = Dir::new("missing-files");
    let db = dir.path("judgedesk.sqlite");
    let gone = dir.path("stick/backup.sqlite");
    match judgedesk::ops::backup::restore(&db, &gone, &Actor::command_line()) {
        Err(OpsError::Io { what, source }) => {
            assert!(what.contains("读取备份文件"), "{what}");
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected a file fault, got {other:?}"),
    }
    assert!(!db.exists(), "nothing was created");
    match judgedesk::ops::verify::verify_file(&db) {
        Err(OpsError::Io { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
        }
        other => panic!("expected a file fault, got {other:?}"),
    }
}

/// A judge's save while another connection (the command line, an import) holds the write lock
/// waits for it and then saves, instead of failing at once with "database is locked": the save
/// reads before it writes, and a deferred transaction could not wait at that point.
#[test]
fn a_save_waits_for_another_writer_instead_of_failing() {
    let dir = Dir::new("save-waits");
    let db = support::demo_db(&dir);
    let conn = support::open(&db);
    // Another connection takes the write lock and keeps it for a moment.
    let holder = support::open(&db);
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .unwrap_or_else(|e| panic!("{e}"));
    let (started, release) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || {
        let _ = release_after(&started, holder);
    });
    fn release_after(
        started: &std::sync::mpsc::Sender<()>,
        holder: Connection,
    ) -> rusqlite::Result<()> {
        let _ = started.send(());
        std::thread::sleep(Duration::from_millis(400));
        holder.execute_batch("COMMIT")
    }
    let _ = release.recv();
    let began = Instant::now();
    support::enter_score(&conn, "DS-ZG", "DS-ZG裁判1", 1, "DS01", 750)
        .unwrap_or_else(|e| panic!("the save failed: {e}"));
    assert!(
        began.elapsed() >= Duration::from_millis(200),
        "the save waited for the other writer"
    );
    let _ = other.join();
}
