//! The venue workflow's operations without the window: submitting and reopening sheets,
//! spread flags resolved by re-score or acceptance before locking, the joint unlock, appeals
//! within their window, and a draw that reproduces from its recorded seed.

mod support;

use judgedesk::core::model::{Gender, PoolKey, PoolState, Role};
use judgedesk::core::score::Hundredths;
use judgedesk::ops::workflow::{self, AppealChange};
use judgedesk::ops::{Actor, OpsError};
use judgedesk::store::people::{self, ContestantRecord};
use rusqlite::Connection;

fn demo() -> Connection {
    support::demo_in_memory()
}

fn key(text: &str) -> PoolKey {
    PoolKey::parse(text).unwrap_or_else(|| panic!("key {text}"))
}

fn actor(conn: &Connection, name: &str) -> Actor {
    support::actor(conn, name)
}

fn score(
    conn: &Connection,
    judge: &str,
    ws: u32,
    criterion: &str,
    value: i64,
) -> Result<(), OpsError> {
    support::enter_score(conn, "DS-ZG", judge, ws, criterion, value)
}

fn state(conn: &Connection, pool: &str) -> PoolState {
    judgedesk::store::competition::pool(conn, &key(pool))
        .ok()
        .flatten()
        .map(|p| p.state)
        .unwrap_or_else(|| panic!("pool"))
}

fn denied(result: Result<(), OpsError>) -> String {
    match result {
        Err(OpsError::Denied(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn contestant_at(conn: &Connection, ws: u32) -> i64 {
    let pool = judgedesk::store::competition::pool(conn, &key("DS-ZG"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    people::contestant_by_workstation(conn, pool.id, ws)
        .ok()
        .flatten()
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("ws"))
}

#[test]
fn a_spread_flag_blocks_the_lock_until_rescored_or_accepted() {
    let conn = demo();
    let chief = actor(&conn, "DS-ZG裁判长");
    // DS01 (max 10): 0 and 10 from two judges is far over the 20% spread limit.
    score(&conn, "DS-ZG裁判1", 1, "DS01", 0).unwrap_or_else(|e| panic!("{e}"));
    score(&conn, "DS-ZG裁判2", 1, "DS01", 1000).unwrap_or_else(|e| panic!("{e}"));
    let message = denied(workflow::lock(&conn, &chief, &key("DS-ZG")));
    assert!(message.contains("评分差异未处理"), "{message}");

    // Re-score: judge 1's value is withdrawn, so the pool is incomplete until re-entered.
    let contestant = contestant_at(&conn, 1);
    let judge1 = actor(&conn, "DS-ZG裁判1").account_id.unwrap_or_default();
    workflow::request_rescore(
        &conn,
        &chief,
        &key("DS-ZG"),
        contestant,
        "DS01",
        judge1,
        "明显偏低",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let message = denied(workflow::lock(&conn, &chief, &key("DS-ZG")));
    assert!(message.contains("尚未完整"), "{message}");
    // Re-entered but still far apart: the flag is back and needs an acceptance.
    score(&conn, "DS-ZG裁判1", 1, "DS01", 200).unwrap_or_else(|e| panic!("{e}"));
    let message = denied(workflow::lock(&conn, &chief, &key("DS-ZG")));
    assert!(message.contains("评分差异未处理"), "{message}");
    assert!(
        workflow::accept_flag(&conn, &chief, &key("DS-ZG"), contestant, "DS01", "  ").is_err(),
        "a note is required"
    );
    workflow::accept_flag(
        &conn,
        &chief,
        &key("DS-ZG"),
        contestant,
        "DS01",
        "两位裁判对作品理解不同，经复核维持",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    workflow::lock(&conn, &chief, &key("DS-ZG")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state(&conn, "DS-ZG"), PoolState::Locked);
    // Locked: no more scores.
    assert!(score(&conn, "DS-ZG裁判3", 1, "DS01", 500).is_err());
}

#[test]
fn an_accepted_flag_lapses_when_a_value_changes() {
    let conn = demo();
    let chief = actor(&conn, "DS-ZG裁判长");
    score(&conn, "DS-ZG裁判1", 2, "DS02", 0).unwrap_or_else(|e| panic!("{e}"));
    let contestant = contestant_at(&conn, 2);
    workflow::accept_flag(&conn, &chief, &key("DS-ZG"), contestant, "DS02", "复核无误")
        .unwrap_or_else(|e| panic!("{e}"));
    score(&conn, "DS-ZG裁判1", 2, "DS02", 50).unwrap_or_else(|e| panic!("{e}"));
    let message = denied(workflow::lock(&conn, &chief, &key("DS-ZG")));
    assert!(message.contains("评分差异未处理"), "{message}");
}

#[test]
fn submitted_rows_are_frozen_until_the_chief_judge_reopens_them() {
    let conn = demo();
    let judge = actor(&conn, "DS-ZG裁判1");
    let chief = actor(&conn, "DS-ZG裁判长");
    let contestant = contestant_at(&conn, 3);
    assert_eq!(
        workflow::submit(&conn, &judge, &key("DS-ZG"), &[contestant]).ok(),
        Some(1)
    );
    let message = denied(score(&conn, "DS-ZG裁判1", 3, "DS01", 500));
    assert!(message.contains("已提交"), "{message}");
    // Other judges are not frozen by it; a judge cannot reopen; the chief needs a reason.
    score(&conn, "DS-ZG裁判2", 3, "DS01", 500).unwrap_or_else(|e| panic!("{e}"));
    let judge_id = judge.account_id.unwrap_or_default();
    assert!(workflow::reopen(&conn, &judge, &key("DS-ZG"), judge_id, None, "x").is_err());
    assert!(workflow::reopen(&conn, &chief, &key("DS-ZG"), judge_id, None, " ").is_err());
    assert_eq!(
        workflow::reopen(
            &conn,
            &chief,
            &key("DS-ZG"),
            judge_id,
            Some(contestant),
            "误提交"
        )
        .ok(),
        Some(1)
    );
    score(&conn, "DS-ZG裁判1", 3, "DS01", 500).unwrap_or_else(|e| panic!("{e}"));
    // Another pool's chief judge may not touch DS-ZG.
    let other = actor(&conn, "KJ-ZG裁判长");
    assert!(workflow::reopen(&conn, &other, &key("DS-ZG"), judge_id, None, "x").is_err());
}

#[test]
fn unlocking_needs_the_supervisors_pin_and_a_reason() {
    let conn = demo();
    let chief = actor(&conn, "DS-ZG裁判长");
    workflow::lock(&conn, &chief, &key("DS-ZG")).unwrap_or_else(|e| panic!("{e}"));
    let wrong = workflow::unlock(
        &conn,
        &chief,
        &key("DS-ZG"),
        "监督员",
        "000000",
        "更正录入错误",
    );
    assert!(denied(wrong).contains("PIN 错误"));
    assert!(workflow::unlock(&conn, &chief, &key("DS-ZG"), "监督员", "123456", "").is_err());
    assert_eq!(state(&conn, "DS-ZG"), PoolState::Locked);
    workflow::unlock(
        &conn,
        &chief,
        &key("DS-ZG"),
        "监督员",
        "123456",
        "更正录入错误",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state(&conn, "DS-ZG"), PoolState::Scoring);
    let reason: String = conn
        .query_row(
            "SELECT reason FROM audit WHERE action = '解锁' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    assert!(
        reason.contains("更正录入错误") && reason.contains("监督员"),
        "{reason}"
    );
}

#[test]
fn appeals_are_taken_within_two_hours_of_the_pools_end_and_change_the_ranking() {
    // No end time is set: the chief judge's lock is the pool's end.
    let conn = demo();
    let chief = actor(&conn, "DS-ZG裁判长");
    let supervisor = actor(&conn, "监督员");
    let pool = key("DS-ZG");
    assert!(
        workflow::confirm_and_decrypt(&conn, &supervisor, &pool).is_err(),
        "only a locked pool"
    );
    workflow::lock(&conn, &chief, &pool).unwrap_or_else(|e| panic!("{e}"));
    workflow::confirm_and_decrypt(&conn, &supervisor, &pool).unwrap_or_else(|e| panic!("{e}"));
    workflow::publish(&conn, &supervisor, &pool).unwrap_or_else(|e| panic!("{e}"));

    let results = judgedesk::ops::results::compute(&conn).unwrap_or_else(|e| panic!("{e}"));
    let ds = results.pool("DS-ZG").unwrap_or_else(|| panic!("pool"));
    let last = ds
        .outcome
        .rows
        .iter()
        .rev()
        .find(|r| r.rank.is_some())
        .unwrap_or_else(|| panic!("rows"));
    let unit = results
        .contestant(last.key)
        .map(|c| c.record.unit.clone())
        .unwrap_or_default();
    let now = chrono::Local::now();
    let late = (now + chrono::Duration::hours(3))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let on_time = now.format("%Y-%m-%d %H:%M").to_string();
    let message = denied(
        workflow::record_appeal(
            &conn,
            &supervisor,
            &pool,
            "王领队",
            &unit,
            &late,
            "理论成绩有误",
        )
        .map(|_| ()),
    );
    assert!(message.contains("超过申诉期限"), "{message}");
    let appeal = workflow::record_appeal(
        &conn,
        &supervisor,
        &pool,
        "王领队",
        &unit,
        &on_time,
        "理论成绩有误",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        workflow::finalize(&conn, &supervisor, &pool).is_err(),
        "an open appeal blocks final"
    );

    let change = AppealChange::Theory {
        contestant: last.key,
        value: Hundredths(10_000),
    };
    workflow::apply_appeal_change(&conn, &supervisor, appeal, &change)
        .unwrap_or_else(|e| panic!("{e}"));
    workflow::decide_appeal(&conn, &supervisor, appeal, "更正成绩")
        .unwrap_or_else(|e| panic!("{e}"));
    let after = judgedesk::ops::results::compute(&conn).unwrap_or_else(|e| panic!("{e}"));
    let row = after
        .pool("DS-ZG")
        .and_then(|p| p.outcome.rows.iter().find(|r| r.key == last.key))
        .cloned();
    assert_eq!(
        row.as_ref().and_then(|r| r.theory),
        Some(Hundredths(10_000))
    );
    assert!(row.and_then(|r| r.rank) < last.rank, "the pool re-ranks");
    // The lock was the pool's end: the deadline is two hours later.
    let after_deadline = now.naive_local() + chrono::Duration::hours(3);
    workflow::finalize_at(&conn, &supervisor, &pool, after_deadline)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state(&conn, "DS-ZG"), PoolState::Final);
}

#[test]
fn final_is_refused_before_the_appeal_deadline_saying_until_when() {
    let conn = demo();
    support::publish(&conn, "DS-ZG");
    let supervisor = actor(&conn, "监督员");
    let pool = key("DS-ZG");
    let info = judgedesk::store::competition::pool(&conn, &pool)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    let events =
        judgedesk::store::workflow::pool_events(&conn, info.id).unwrap_or_else(|e| panic!("{e}"));
    let deadline = workflow::appeal_deadline(&info.settings, &events)
        .unwrap_or_else(|| panic!("a published pool has a deadline"));
    let message = denied(workflow::finalize_at(
        &conn,
        &supervisor,
        &pool,
        deadline - chrono::Duration::minutes(1),
    ));
    let until = deadline.format("%Y-%m-%d %H:%M").to_string();
    assert!(
        message.contains("申诉期限") && message.contains(&until),
        "{message}"
    );
    assert_eq!(
        state(&conn, "DS-ZG"),
        PoolState::Published,
        "nothing changed"
    );
    // The window stays open for an appeal received within it.
    workflow::finalize_at(
        &conn,
        &supervisor,
        &pool,
        deadline + chrono::Duration::minutes(1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state(&conn, "DS-ZG"), PoolState::Final);
}

#[test]
fn the_draw_reproduces_from_its_seed_and_is_refused_once_scored() {
    let conn = judgedesk::store::open_in_memory().unwrap_or_else(|e| panic!("open: {e}"));
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    let pool = judgedesk::store::competition::pool(&conn, &key("KJ-XS"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    for n in 0..12u32 {
        let birth = judgedesk::core::date::Date {
            year: 2003,
            month: 5,
            day: 1 + n,
        };
        let record = ContestantRecord {
            id_number: judgedesk::ops::demo::demo_id_number("320505", birth, n % 2 == 0, 700 + n),
            name: format!("学生{n}"),
            gender: if n % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            },
            phone: None,
            unit: "苏州经贸职业技术学院".into(),
            pool_id: pool.id,
            height_weight: None,
            remarks: None,
            coach: None,
            department: None,
            city: None,
            city_rank: None,
            basis: None,
            level: None,
            level_date: None,
            title: None,
            honours: None,
            student_card_checked: Some(true),
            id_card_checked: Some(true),
            quota_override: None,
            source_file: None,
        };
        let tx = judgedesk::store::begin(&conn).unwrap_or_else(|e| panic!("begin: {e}"));
        people::upsert_contestant(&tx, &record).unwrap_or_else(|e| panic!("{e}"));
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
    }
    let coordinator = Actor {
        name: "赛务".into(),
        role: Role::Coordinator,
        account_id: None,
    };
    let judge_only = Actor {
        name: "x".into(),
        role: Role::Judge,
        account_id: None,
    };
    let seed = [17u8; 32];
    assert!(judgedesk::ops::draw::run_draw(&conn, &judge_only, &key("KJ-XS"), &seed).is_err());
    let first = people::contestants_in_pool(&conn, pool.id).unwrap_or_default();
    let absent = first[0].id;
    judgedesk::ops::draw::check_in(
        &conn,
        &coordinator,
        absent,
        judgedesk::core::model::Status::Absent,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        judgedesk::ops::draw::run_draw(&conn, &coordinator, &key("KJ-XS"), &seed).ok(),
        Some(11)
    );
    let numbers = |conn: &Connection| -> Vec<(i64, Option<u32>, Option<u32>)> {
        people::contestants_in_pool(conn, pool.id)
            .unwrap_or_default()
            .iter()
            .map(|c| (c.id, c.checkin_no, c.workstation))
            .collect()
    };
    let once = numbers(&conn);
    assert_eq!(
        judgedesk::ops::draw::verify_draw(&conn, &key("KJ-XS"))
            .ok()
            .flatten(),
        Some(true)
    );
    judgedesk::ops::draw::run_draw(&conn, &coordinator, &key("KJ-XS"), &seed)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(numbers(&conn), once, "same seed, same draw");
    assert!(
        once.iter()
            .any(|(id, c, w)| *id == absent && c.is_none() && w.is_none())
    );
    // After the draw check-in is closed.
    assert!(
        judgedesk::ops::draw::check_in(
            &conn,
            &coordinator,
            absent,
            judgedesk::core::model::Status::Normal
        )
        .is_err()
    );
    let hex: Option<String> = judgedesk::store::competition::pool(&conn, &key("KJ-XS"))
        .ok()
        .flatten()
        .and_then(|p| p.draw_seed);
    assert_eq!(
        hex.as_deref(),
        Some(judgedesk::core::draw::seed_to_hex(&seed).as_str())
    );
}

#[test]
fn an_appeal_received_more_than_two_hours_after_the_pools_end_time_is_refused() {
    let conn = demo();
    support::publish(&conn, "DS-ZG");
    let supervisor = actor(&conn, "监督员");
    let pool = key("DS-ZG");
    let info = judgedesk::store::competition::pool(&conn, &pool)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    let mut settings = info.settings.clone();
    settings.end_time = Some("16:00".into());
    let tx = judgedesk::store::begin(&conn).unwrap_or_else(|e| panic!("begin: {e}"));
    judgedesk::store::competition::set_pool_settings(&tx, info.id, &settings)
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
    let unit = people::contestants_in_pool(&conn, info.id)
        .unwrap_or_default()
        .first()
        .map(|c| c.record.unit.clone())
        .unwrap_or_default();
    let appeal = |at: &str| {
        workflow::record_appeal(
            &conn,
            &supervisor,
            &pool,
            "王领队",
            &unit,
            at,
            "复核操作成绩",
        )
    };
    let late = denied(appeal("2023-11-15 18:01").map(|_| ()));
    assert!(
        late.contains("超过申诉期限") && late.contains("2023-11-15 18:00"),
        "{late}"
    );
    let early = denied(appeal("2023-11-15 15:30").map(|_| ()));
    assert!(early.contains("早于比赛结束时间"), "{early}");
    appeal("2023-11-15 18:00").unwrap_or_else(|e| panic!("exactly two hours is on time: {e}"));
}

#[test]
fn a_pools_end_time_must_be_a_24_hour_clock_time() {
    let conn = judgedesk::store::open_in_memory().unwrap_or_else(|e| panic!("open: {e}"));
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    let pool = key("DS-ZG");
    let info = judgedesk::store::competition::pool(&conn, &pool)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool"));
    let mut settings = info.settings.clone();
    settings.end_time = Some("25:00".into());
    let coordinator = Actor::command_line();
    let refused =
        judgedesk::ops::admin::update_pool_settings(&conn, &coordinator, &pool, None, &settings);
    assert!(denied(refused).contains("24 小时制"));
    settings.end_time = Some("16:30".into());
    judgedesk::ops::admin::update_pool_settings(&conn, &coordinator, &pool, None, &settings)
        .unwrap_or_else(|e| panic!("{e}"));
    let stored = judgedesk::store::competition::pool(&conn, &pool)
        .ok()
        .flatten()
        .map(|p| p.settings.end_time)
        .unwrap_or_default();
    assert_eq!(stored.as_deref(), Some("16:30"));
}

#[test]
fn a_lock_records_the_chain_head_which_the_score_sheets_print_and_verify_reconciles() {
    let conn = demo();
    let chief = actor(&conn, "DS-ZG裁判长");
    let pool = key("DS-ZG");
    assert_eq!(
        workflow::lock_head_of(&conn, &pool).unwrap_or_default(),
        None
    );
    let before = judgedesk::store::ledger::head(&conn)
        .unwrap_or_default()
        .unwrap_or_else(|| panic!("a chain"));
    workflow::lock(&conn, &chief, &pool).unwrap_or_else(|e| panic!("{e}"));
    let workflow::RecordedHead { link: seq, hash } = workflow::lock_head_of(&conn, &pool)
        .unwrap_or_default()
        .unwrap_or_else(|| panic!("the lock records the head"));
    assert_eq!((seq, hash.clone()), before, "the head just before the lock");

    let sheets = judgedesk::ops::documents::score_sheets_document(&conn, Some(&pool))
        .unwrap_or_else(|e| panic!("{e}"));
    let printed = format!("锁定时审计链：第 {seq} 条，哈希 {hash}");
    assert!(
        sheets.texts().any(|t| t.text == printed),
        "every judge's sheet carries the head"
    );

    let heads = judgedesk::ops::verify::lock_heads(&conn).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(heads.len(), 1);
    assert!(heads[0].matches() && heads[0].to_string().contains(&hash));

    // Someone holding the laptop rewrites that link: the file no longer matches the paper.
    conn.execute_batch(&format!(
        "DROP TRIGGER ledger_signed_once; UPDATE ledger SET hash = '{}' WHERE seq = {seq};",
        "0".repeat(64)
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let heads = judgedesk::ops::verify::lock_heads(&conn).unwrap_or_else(|e| panic!("{e}"));
    assert!(!heads[0].matches());
    assert!(heads[0].to_string().contains("不一致"), "{}", heads[0]);
}
