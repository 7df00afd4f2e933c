//! Issue 11, everything a result depends on is sealed and the trust roots are pinned outside the
//! database: each attack is made as a team leader with the `sqlite3` shell would make it (plain
//! SQL on the file, or on a copy), and `judgedesk verify` / `restore` run as the real binary.

mod support;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::Dir;

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn demo(dir: &Dir, keys: &Path) -> PathBuf {
    let db = dir.path("judgedesk.sqlite");
    let out = support::laptop(keys, &db, &["demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    db
}

fn open(db: &Path) -> Connection {
    Connection::open(db).unwrap_or_else(|e| panic!("open: {e}"))
}

/// Runs `sql` on the file as an intruder with the `sqlite3` shell does: the record-sealing
/// triggers (which need the app's functions) are dropped first and put back exactly as they were
/// afterwards, so the schema is the app's again.
fn as_intruder(db: &Path, sql: &str) {
    let conn = open(db);
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .unwrap_or_else(|e| panic!("{e}"));
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_record\\_%' ESCAPE '\\'")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!triggers.is_empty());
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    conn.execute_batch(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    for (_, sql) in &triggers {
        conn.execute_batch(sql).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    open(db)
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `verify` and returns what it said, asserting that it found something.
fn verify_finds(db: &Path, keys: &Path) -> String {
    let out = support::laptop(keys, db, &["verify"]);
    assert_eq!(code(&out), 1, "verify should find it: {}", text(&out));
    text(&out)
}

fn verify_clean(db: &Path, keys: &Path) {
    let out = support::laptop(keys, db, &["verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

/// A demo database whose `verify` is clean, with its key folder.
fn sealed_demo(tag: &str) -> (Dir, PathBuf, PathBuf) {
    let dir = Dir::new(tag);
    let keys = dir.path("keys");
    let db = demo(&dir, &keys);
    verify_clean(&db, &keys);
    (dir, db, keys)
}

#[test]
fn an_edited_contestant_name_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-name");
    let id: i64 = one(&db, "SELECT min(id) FROM contestant");
    as_intruder(
        &db,
        &format!("UPDATE contestant SET name = '冒名顶替' WHERE id = {id}"),
    );
    let said = verify_finds(&db, &keys);
    assert!(
        said.contains(&format!("选手 #{id}（冒名顶替）：内容与签封时不一致")),
        "{said}"
    );
}

#[test]
fn a_swapped_id_number_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-idnumber");
    let (a, b): (i64, i64) = open(&db)
        .query_row("SELECT min(id), max(id) FROM contestant", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let number = |id: i64| -> String {
        one(
            &db,
            &format!("SELECT id_number FROM contestant WHERE id = {id}"),
        )
    };
    let (number_a, number_b) = (number(a), number(b));
    as_intruder(
        &db,
        &format!(
            "UPDATE contestant SET id_number = 'swap' WHERE id = {a};
             UPDATE contestant SET id_number = '{number_a}' WHERE id = {b};
             UPDATE contestant SET id_number = '{number_b}' WHERE id = {a};"
        ),
    );
    let said = verify_finds(&db, &keys);
    for id in [a, b] {
        assert!(said.contains(&format!("选手 #{id}（")), "{id}: {said}");
    }
    // The ID numbers themselves are never printed.
    let number: String = one(
        &db,
        &format!("SELECT id_number FROM contestant WHERE id = {a}"),
    );
    assert!(!said.contains(&number), "{said}");
}

#[test]
fn a_removed_judge_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-panel");
    as_intruder(
        &db,
        "DELETE FROM account_pool WHERE account_id = (SELECT id FROM account WHERE name = 'DS-ZG裁判1')",
    );
    let said = verify_finds(&db, &keys);
    assert!(
        said.contains("评委组成员（DS-ZG裁判1 / DS-ZG）：已被删除"),
        "{said}"
    );
    // The account itself deleted as well (the shell does not enforce foreign keys).
    as_intruder(&db, "DELETE FROM account WHERE name = 'DS-ZG裁判1'");
    let said = verify_finds(&db, &keys);
    assert!(
        said.contains("账号 #") && said.contains("已被删除"),
        "{said}"
    );
}

#[test]
fn a_changed_maximum_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-maximum");
    let (id, code): (i64, String) = open(&db)
        .query_row(
            "SELECT k.id, k.code FROM criterion k JOIN pool p ON p.id = k.pool_id WHERE p.event = 'DS' AND p.grp = 'ZG' ORDER BY k.position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    as_intruder(
        &db,
        &format!("UPDATE criterion SET max = max * 2 WHERE id = {id}"),
    );
    let said = verify_finds(&db, &keys);
    assert!(
        said.contains(&format!("评分项 #{id}（DS-ZG {code} ")) && said.contains("被修改"),
        "{said}"
    );
}

#[test]
fn a_changed_weight_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-weight");
    as_intruder(
        &db,
        "UPDATE pool SET settings = json_set(settings, '$.theory_weight', 90) WHERE event = 'DS' AND grp = 'ZG'",
    );
    let said = verify_finds(&db, &keys);
    assert!(
        said.contains("赛项组别 #") && said.contains("（DS-ZG）：内容与签封时不一致"),
        "{said}"
    );
}

#[test]
fn a_replaced_certificate_key_or_status_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-setting");
    as_intruder(
        &db,
        "INSERT OR REPLACE INTO setting (key, value) VALUES ('certificate.public_key', 'aaaa');
         UPDATE contestant SET status = CASE status WHEN 'normal' THEN 'absent' ELSE 'normal' END
             WHERE id = (SELECT max(id) FROM contestant);",
    );
    let said = verify_finds(&db, &keys);
    assert!(said.contains("设置“certificate.public_key”"), "{said}");
    let id: i64 = one(&db, "SELECT max(id) FROM contestant");
    assert!(said.contains(&format!("选手 #{id}（")), "{said}");
}

#[test]
fn changes_made_through_the_app_stay_sealed() {
    // The demo inserts and then changes records of every sealed kind (the draw, check-in, pool
    // states); its verify is clean, so every newest seal matches its record.
    let (_dir, db, keys) = sealed_demo("trust-app-changes");
    for kind in [
        "contestant",
        "account",
        "panel",
        "criterion",
        "pool",
        "setting",
        "unit",
    ] {
        let seals: i64 = one(
            &db,
            &format!("SELECT count(*) FROM record_seal WHERE kind = '{kind}'"),
        );
        assert!(seals > 0, "{kind}");
    }
    // An account added, a status changed: each change is a sealed record, verify stays clean.
    let out = support::laptop(
        &keys,
        &db,
        &[
            "user",
            "add",
            "--name",
            "新裁判",
            "--role",
            "judge",
            "--pin",
            "2468",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    verify_clean(&db, &keys);
    let seals: i64 = one(
        &db,
        "SELECT count(*) FROM record_seal WHERE kind = 'account'",
    );
    assert!(seals > 0);
}

fn backup(db: &Path, keys: &Path, out: &Path) {
    let out = support::laptop(
        keys,
        db,
        &["backup", "--out", out.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
}

/// A change through the app after the copy was taken: the chain moves on and this laptop pins it.
fn one_more_change(db: &Path, keys: &Path) {
    let out = support::laptop(
        keys,
        db,
        &[
            "user",
            "add",
            "--name",
            "后来的裁判",
            "--role",
            "judge",
            "--pin",
            "1357",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
}

fn remove_wal(db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

#[test]
fn an_older_copy_laid_over_the_file_is_named_by_verify() {
    let (dir, db, keys) = sealed_demo("trust-older-copy");
    let copy = dir.path("copy.sqlite");
    backup(&db, &keys, &copy);
    one_more_change(&db, &keys);
    verify_clean(&db, &keys);
    // The older copy, sound by itself, laid over the file while the app is closed.
    remove_wal(&db);
    std::fs::copy(&copy, &db).unwrap_or_else(|e| panic!("{e}"));
    let said = verify_finds(&db, &keys);
    assert!(said.contains("旧副本覆盖了文件"), "{said}");
    // Another laptop, which never saw the newer state, has nothing to compare with.
    let other = dir.path("other-keys");
    let out = support::laptop(&other, &copy, &["verify"]);
    assert!(!text(&out).contains("旧副本"), "{}", text(&out));
}

#[test]
fn a_truncated_chain_is_named_by_verify() {
    let (_dir, db, keys) = sealed_demo("trust-truncated");
    let (links, seals, audits): (i64, i64, i64) = open(&db)
        .query_row(
            "SELECT (SELECT max(seq) FROM ledger), (SELECT max(id) FROM record_seal), (SELECT max(id) FROM audit)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    one_more_change(&db, &keys);
    // The newest rows and their links removed, and every guard put back exactly as it was: the
    // file by itself is consistent.
    let conn = open(&db);
    let guards = [
        "ledger_no_delete",
        "record_seal_no_delete",
        "audit_no_delete",
        "account_record_delete",
    ];
    let saved: Vec<String> = guards
        .iter()
        .map(|name| {
            conn.query_row(
                "SELECT sql FROM sqlite_master WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect();
    for name in guards {
        conn.execute_batch(&format!("DROP TRIGGER {name}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    conn.execute_batch(&format!(
        "DELETE FROM ledger WHERE seq > {links};
         DELETE FROM record_seal WHERE id > {seals};
         DELETE FROM audit WHERE id > {audits};
         DELETE FROM account WHERE name = '后来的裁判';"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    for sql in saved {
        conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{e}"));
    }
    drop(conn);
    let said = verify_finds(&db, &keys);
    assert!(said.contains("链被截短"), "{said}");
    assert!(
        !said.contains("数据库结构"),
        "the schema is as it was: {said}"
    );
}

/// Re-signs every link of `db` with `key`, as someone with the `sqlite3` shell and their own key
/// can: the chain is intact and every signature valid, only the signer is another.
fn resign(db: &Path, key: &ed25519_dalek::SigningKey) {
    use judgedesk::core::chain;
    let conn = open(db);
    let guard: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'ledger_signed_once'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("DROP TRIGGER ledger_signed_once; BEGIN;")
        .unwrap_or_else(|e| panic!("{e}"));
    let signer = chain::public_hex(key);
    let rows: Vec<(i64, String, i64, String)> = conn
        .prepare("SELECT seq, kind, row_id, row_hash FROM ledger ORDER BY seq")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let mut prev = chain::GENESIS.to_string();
    for (seq, kind, row_id, row_hash) in rows {
        let hash = chain::link_hash(&prev, &kind, row_id, &row_hash, &signer);
        conn.execute(
            "UPDATE ledger SET prev_hash = ?1, hash = ?2, signer = ?3, signature = ?4 WHERE seq = ?5",
            rusqlite::params![prev, hash, signer, chain::sign(key, &hash), seq],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        prev = hash;
    }
    conn.execute_batch(&format!("COMMIT; {guard}"))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_backup_resigned_with_another_key_is_refused() {
    let (dir, db, keys) = sealed_demo("trust-resigned");
    let copy = dir.path("copy.sqlite");
    backup(&db, &keys, &copy);
    resign(&copy, &ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
    // By itself the copy verifies: its first signer is taken for its creator.
    let out = support::laptop(&dir.path("stranger-keys"), &copy, &["verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // This laptop pinned the database's root key: restore refuses and names it.
    let before: i64 = one(&db, "SELECT count(*) FROM ledger");
    let out = support::laptop(&keys, &db, &["restore", copy.to_str().unwrap_or_default()]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("另一把密钥重新签封") && text(&out).contains("--reason"),
        "{}",
        text(&out)
    );
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM ledger"), before);
    // Laid over the file instead, verify names it.
    let laid = dir.path("laid.sqlite");
    std::fs::copy(&db, &laid).unwrap_or_else(|e| panic!("{e}"));
    remove_wal(&db);
    std::fs::copy(&copy, &db).unwrap_or_else(|e| panic!("{e}"));
    let said = verify_finds(&db, &keys);
    assert!(said.contains("另一把密钥重新签封"), "{said}");
    // The coordinator may still restore it, saying why; the reason is audited.
    std::fs::copy(&laid, &db).unwrap_or_else(|e| panic!("{e}"));
    let out = support::laptop(
        &keys,
        &db,
        &[
            "restore",
            copy.to_str().unwrap_or_default(),
            "--reason",
            "主控机损坏，只有这份备份",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let reason: String = one(
        &db,
        "SELECT reason FROM audit WHERE action = '从备份恢复' ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(reason, "主控机损坏，只有这份备份");
}

#[test]
fn a_backup_this_laptop_wrote_is_still_offered_and_restored_after_the_head_moved_on() {
    let dir = Dir::new("trust-own-backup");
    let db = dir.path("db.sqlite");
    let conn = judgedesk::store::open(&db).unwrap_or_else(|e| panic!("{e}"));
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("{e}"));
    judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("{e}"));
    let taken = judgedesk::ops::backup::automatic(&conn, judgedesk::ops::backup::Reason::Manual)
        .unwrap_or_else(|e| panic!("{e}"));
    // Something sealed after the backup: the pinned head moves past it.
    judgedesk::ops::device::trust_for_pools(
        &conn,
        &judgedesk::ops::Actor::command_line(),
        &judgedesk::core::chain::public_hex(&ed25519_dalek::SigningKey::from_bytes(&[9; 32])),
        "裁判机9",
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    // In the place of the database it would replace, the backup is older than the pinned head.
    let backup =
        judgedesk::ops::verify::open_unchanged(&taken.path).unwrap_or_else(|e| panic!("{e}"));
    let in_place = judgedesk::ops::verify::departure_in_place_of(&backup, &db)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(
            in_place,
            Some(judgedesk::ops::verify::Finding::PinnedHeadMissing { .. })
        ),
        "{in_place:?}"
    );
    drop(backup);
    // Still the backup offered at startup, and restored without a reason: a state this laptop saved.
    let offered = judgedesk::ops::backup::newest_verified(&db).map(|b| b.path);
    assert_eq!(offered.as_deref(), Some(taken.path.as_path()));
    judgedesk::ops::backup::restore(&db, &taken.path, &judgedesk::ops::Actor::command_line())
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A backup restored into a second file on the same laptop is a sibling copy with the same
/// database id: neither the original nor the copy is reported as truncated or older while the
/// two go on separately (the pin follows whichever committed last), and an older copy laid over
/// the original is still named.
#[test]
fn a_copy_restored_beside_the_database_raises_no_alarm_on_either() {
    let (dir, db, keys) = sealed_demo("trust-sibling");
    let copy = dir.path("copy.sqlite");
    backup(&db, &keys, &copy);
    let beside = dir.path("beside.sqlite");
    let out = support::laptop(
        &keys,
        &beside,
        &["restore", copy.to_str().unwrap_or_default()],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    verify_clean(&db, &keys);
    verify_clean(&beside, &keys);
    let change = |file: &Path, name: &str| {
        let out = support::laptop(
            &keys,
            file,
            &[
                "user", "add", "--name", name, "--role", "judge", "--pin", "1357",
            ],
        );
        assert_eq!(code(&out), 0, "{}", text(&out));
    };
    change(&db, "原库的新裁判");
    verify_clean(&beside, &keys);
    verify_clean(&db, &keys);
    change(&beside, "副本的新裁判");
    verify_clean(&db, &keys);
    verify_clean(&beside, &keys);
    // The original takes the pin back with a change of its own; then the older copy is laid
    // over it.
    change(&db, "原库的第二位新裁判");
    remove_wal(&db);
    std::fs::copy(&copy, &db).unwrap_or_else(|e| panic!("{e}"));
    let said = verify_finds(&db, &keys);
    assert!(said.contains("旧副本覆盖了文件"), "{said}");
}

#[test]
fn another_database_laid_over_the_file_is_named_by_verify() {
    let (dir, db, keys) = sealed_demo("trust-other-database");
    // A whole database made elsewhere (its own id, chain and key): sound by itself.
    let stranger = dir.path("stranger.sqlite");
    let stranger_keys = dir.path("stranger-keys");
    let out = support::laptop(&stranger_keys, &stranger, &["demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    verify_clean(&stranger, &stranger_keys);
    // Laid over the file while the app is closed: its id has no pin here, but the file has.
    let laid = dir.path("laid.sqlite");
    std::fs::copy(&db, &laid).unwrap_or_else(|e| panic!("{e}"));
    remove_wal(&db);
    std::fs::copy(&stranger, &db).unwrap_or_else(|e| panic!("{e}"));
    let said = verify_finds(&db, &keys);
    assert!(said.contains("现在却是别的数据库"), "{said}");
    // It stays named after the app wrote to it.
    one_more_change(&db, &keys);
    assert!(verify_finds(&db, &keys).contains("现在却是别的数据库"));

    // The coordinator puts the right database back, saying why: the alarm is answered.
    let out = support::laptop(&keys, &db, &["restore", laid.to_str().unwrap_or_default()]);
    assert_eq!(
        code(&out),
        1,
        "another database needs a reason: {}",
        text(&out)
    );
    let out = support::laptop(
        &keys,
        &db,
        &[
            "restore",
            laid.to_str().unwrap_or_default(),
            "--reason",
            "评分库被换成了别的数据库，恢复原库",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    verify_clean(&db, &keys);
}

#[test]
fn a_new_database_made_in_the_files_place_raises_no_alarm() {
    let (_dir, db, keys) = sealed_demo("trust-new-in-place");
    remove_wal(&db);
    std::fs::remove_file(&db).unwrap_or_else(|e| panic!("{e}"));
    let out = support::laptop(&keys, &db, &["demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    verify_clean(&db, &keys);
}
