//! The schema, as an append-only list of migrations numbered by `PRAGMA user_version`.
//! Never edit a migration that has shipped: add a new one.
//! One file over 600 lines: the migrations are one append-only list, read in order.

/// One object of a database's schema as `sqlite_master` holds it: type, name, table, SQL.
pub type SchemaObject = (String, String, String, Option<String>);

/// The schema objects of a database (SQLite's own `sqlite_*` objects left out), sorted.
pub fn objects(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The schema objects every database at `version` has: the migrations up to it, applied to an
/// empty database in memory exactly as `store::migrate` applies them.
pub fn expected_objects(version: i64) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    super::ledger::install(&mut conn, super::ledger::KeySource::ephemeral())?;
    for sql in MIGRATIONS
        .iter()
        .take(usize::try_from(version).unwrap_or(0))
    {
        let tx = super::begin(&conn)?;
        tx.execute_batch(sql)?;
        tx.commit().map_err(|e| match e {
            super::StoreError::Sql(e) => e,
            other => rusqlite::Error::UserFunctionError(other.to_string().into()),
        })?;
    }
    objects(&conn)
}

/// How a database's schema differs from the expected one, object by object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// An object this app never creates (a trigger could rewrite or seal rows).
    Added { kind: String, name: String },
    /// An expected object is missing (a guard such as an append-only trigger was dropped).
    Removed { kind: String, name: String },
    /// An object defined otherwise (an added column, a changed trigger).
    Changed { kind: String, name: String },
}

/// The Chinese word for a schema object's type.
pub fn kind_word(kind: &str) -> &str {
    match kind {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        other => other,
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Added { kind, name } => write!(
                f,
                "数据库结构中多出{}“{name}”（不是本程序创建的，可能被用来改写或签封记录）",
                kind_word(kind)
            ),
            Difference::Removed { kind, name } => {
                write!(f, "数据库结构中缺少{}“{name}”（被删除）", kind_word(kind))
            }
            Difference::Changed { kind, name } => write!(
                f,
                "数据库结构中的{}“{name}”与本程序的定义不同（被修改，如增加了列）",
                kind_word(kind)
            ),
        }
    }
}

/// The schema of the newest version, computed once per process.
fn latest_expected() -> rusqlite::Result<&'static [SchemaObject]> {
    static LATEST: std::sync::OnceLock<Vec<SchemaObject>> = std::sync::OnceLock::new();
    if let Some(objects) = LATEST.get() {
        return Ok(objects);
    }
    let objects = expected_objects(MIGRATIONS.len() as i64)?;
    Ok(LATEST.get_or_init(|| objects))
}

/// Compares a database's schema with the one this app creates for the database's version
/// (`PRAGMA user_version`), object by object, in a stable order.
pub fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<Difference>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let owned;
    let expected: &[SchemaObject] = if version == MIGRATIONS.len() as i64 {
        latest_expected()?
    } else {
        owned = expected_objects(version)?;
        &owned
    };
    let found = objects(conn)?;
    let key = |o: &SchemaObject| (o.0.clone(), o.1.clone());
    let expected_by: std::collections::HashMap<_, _> =
        expected.iter().map(|o| (key(o), o)).collect();
    let found_by: std::collections::HashSet<_> = found.iter().map(key).collect();
    let mut out = Vec::new();
    for object in &found {
        let (kind, name) = key(object);
        match expected_by.get(&(kind.clone(), name.clone())) {
            None => out.push(Difference::Added { kind, name }),
            Some(wanted) if *wanted != object => out.push(Difference::Changed { kind, name }),
            Some(_) => {}
        }
    }
    for object in expected {
        let (kind, name) = key(object);
        if !found_by.contains(&(kind.clone(), name.clone())) {
            out.push(Difference::Removed { kind, name });
        }
    }
    Ok(out)
}

pub const MIGRATIONS: &[&str] = &[
    // 1: the competition, people, append-only score and theory entries, the audit log.
    r#"
CREATE TABLE competition (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    issuer TEXT NOT NULL,
    registration_start TEXT NOT NULL,
    registration_end TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    checkin_cities TEXT NOT NULL
);
CREATE TABLE event (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    occupation TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE venue (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    city TEXT NOT NULL
);
CREATE TABLE pool (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL REFERENCES event(code),
    grp TEXT NOT NULL CHECK (grp IN ('ZG', 'XS')),
    position INTEGER NOT NULL,
    venue_id INTEGER REFERENCES venue(id),
    state TEXT NOT NULL DEFAULT 'registration',
    settings TEXT NOT NULL,
    draw_seed TEXT,
    UNIQUE (event, grp)
);
CREATE TABLE criterion (
    id INTEGER PRIMARY KEY,
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    max INTEGER NOT NULL CHECK (max > 0),
    step INTEGER NOT NULL CHECK (step > 0),
    stage TEXT NOT NULL,
    dimension TEXT NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (pool_id, code)
);
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE unit_form (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    event TEXT NOT NULL REFERENCES event(code),
    leader TEXT, leader_post TEXT, leader_phone TEXT,
    contact TEXT, contact_post TEXT, contact_phone TEXT,
    total_people INTEGER, male_people INTEGER, female_people INTEGER,
    standard_rooms INTEGER, single_rooms INTEGER,
    check_in TEXT, check_out TEXT, travel TEXT, form_date TEXT,
    source_file TEXT,
    UNIQUE (unit_id, event)
);
CREATE TABLE contestant (
    id INTEGER PRIMARY KEY,
    id_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),
    phone TEXT,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    height_weight TEXT,
    remarks TEXT,
    coach TEXT,
    department TEXT,
    city TEXT,
    city_rank INTEGER,
    basis TEXT,
    level TEXT,
    level_date TEXT,
    title TEXT,
    honours TEXT,
    student_card_checked INTEGER,
    id_card_checked INTEGER,
    status TEXT NOT NULL DEFAULT 'normal',
    checkin_no INTEGER,
    workstation INTEGER,
    quota_override TEXT,
    source_file TEXT,
    UNIQUE (pool_id, workstation),
    UNIQUE (pool_id, checkin_no)
);
CREATE INDEX contestant_pool ON contestant(pool_id);
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'chief', 'judge', 'supervisor')),
    pin_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    last_failure TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE account_pool (
    account_id INTEGER NOT NULL REFERENCES account(id),
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    PRIMARY KEY (account_id, pool_id)
) WITHOUT ROWID;

-- Every practical score ever entered. Nothing is updated or deleted; the current value of a
-- (contestant, criterion, judge) is the newest entry, kept in current_score by a trigger.
CREATE TABLE score_entry (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    criterion_id INTEGER NOT NULL REFERENCES criterion(id),
    judge_id INTEGER NOT NULL REFERENCES account(id),
    value INTEGER,
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    device TEXT NOT NULL,
    source TEXT NOT NULL,
    supersedes TEXT
);
CREATE INDEX score_entry_cell ON score_entry(contestant_id, criterion_id, judge_id);
CREATE TABLE current_score (
    contestant_id INTEGER NOT NULL,
    criterion_id INTEGER NOT NULL,
    judge_id INTEGER NOT NULL,
    entry_id INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (contestant_id, criterion_id, judge_id)
) WITHOUT ROWID;
CREATE TRIGGER score_entry_current AFTER INSERT ON score_entry
WHEN NEW.value IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO current_score (contestant_id, criterion_id, judge_id, entry_id, value)
    VALUES (NEW.contestant_id, NEW.criterion_id, NEW.judge_id, NEW.id, NEW.value);
END;
CREATE TRIGGER score_entry_withdrawn AFTER INSERT ON score_entry
WHEN NEW.value IS NULL
BEGIN
    DELETE FROM current_score
    WHERE contestant_id = NEW.contestant_id AND criterion_id = NEW.criterion_id AND judge_id = NEW.judge_id;
END;
CREATE TRIGGER score_entry_no_update BEFORE UPDATE ON score_entry
BEGIN SELECT RAISE(ABORT, 'score entries are append-only'); END;
CREATE TRIGGER score_entry_no_delete BEFORE DELETE ON score_entry
BEGIN SELECT RAISE(ABORT, 'score entries are append-only'); END;

CREATE TABLE theory_entry (
    id INTEGER PRIMARY KEY,
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    value INTEGER,
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX theory_entry_contestant ON theory_entry(contestant_id, id);
CREATE TRIGGER theory_entry_no_update BEFORE UPDATE ON theory_entry
BEGIN SELECT RAISE(ABORT, 'theory entries are append-only'); END;
CREATE TRIGGER theory_entry_no_delete BEFORE DELETE ON theory_entry
BEGIN SELECT RAISE(ABORT, 'theory entries are append-only'); END;

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    pool TEXT,
    contestant_id INTEGER,
    subject TEXT,
    old_value TEXT,
    new_value TEXT,
    reason TEXT
);
CREATE INDEX audit_pool ON audit(pool);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // The venue workflow (issue 3): judges' submitted sheets, the chief judge's flag
    // resolutions, the pool lifecycle history, and appeals.
    r#"
CREATE TABLE sheet_submission (
    judge_id INTEGER NOT NULL REFERENCES account(id),
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (judge_id, contestant_id)
) WITHOUT ROWID;
CREATE TABLE flag_resolution (
    id INTEGER PRIMARY KEY,
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    criterion TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('accept', 'rescore')),
    judge_values TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX flag_resolution_pool ON flag_resolution(pool_id);
CREATE TRIGGER flag_resolution_no_update BEFORE UPDATE ON flag_resolution
BEGIN SELECT RAISE(ABORT, 'flag resolutions are append-only'); END;
CREATE TRIGGER flag_resolution_no_delete BEFORE DELETE ON flag_resolution
BEGIN SELECT RAISE(ABORT, 'flag resolutions are append-only'); END;
CREATE TABLE pool_event (
    id INTEGER PRIMARY KEY,
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    state TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT
);
CREATE TRIGGER pool_event_no_update BEFORE UPDATE ON pool_event
BEGIN SELECT RAISE(ABORT, 'pool events are append-only'); END;
CREATE TRIGGER pool_event_no_delete BEFORE DELETE ON pool_event
BEGIN SELECT RAISE(ABORT, 'pool events are append-only'); END;
CREATE TABLE appeal (
    id INTEGER PRIMARY KEY,
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    leader TEXT NOT NULL,
    unit TEXT NOT NULL,
    received_at TEXT NOT NULL,
    content TEXT NOT NULL,
    outcome TEXT,
    changes TEXT,
    decided_at TEXT,
    recorded_by TEXT NOT NULL
);
"#,
    // The certificate register (issue 5): issued 荣誉证书 numbers with the text they were signed
    // over, and the append-only log of issue, reprints and voids. A certificate is never
    // deleted and changes only once, when it is voided.
    r#"
CREATE TABLE certificate (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    pool_id INTEGER NOT NULL REFERENCES pool(id),
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    prize TEXT NOT NULL CHECK (prize IN ('first', 'second', 'third')),
    sequence INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    salutation TEXT NOT NULL,
    body TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    signature TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    voided_at TEXT,
    void_reason TEXT,
    UNIQUE (pool_id, prize, sequence)
);
CREATE UNIQUE INDEX certificate_one_valid ON certificate(pool_id, contestant_id) WHERE voided_at IS NULL;
CREATE TRIGGER certificate_no_delete BEFORE DELETE ON certificate
BEGIN SELECT RAISE(ABORT, 'certificates are never deleted, only voided'); END;
CREATE TRIGGER certificate_only_voided BEFORE UPDATE ON certificate
WHEN OLD.voided_at IS NOT NULL OR NEW.voided_at IS NULL
    OR NEW.number IS NOT OLD.number OR NEW.pool_id IS NOT OLD.pool_id OR NEW.contestant_id IS NOT OLD.contestant_id
    OR NEW.prize IS NOT OLD.prize OR NEW.sequence IS NOT OLD.sequence OR NEW.holder_name IS NOT OLD.holder_name
    OR NEW.salutation IS NOT OLD.salutation OR NEW.body IS NOT OLD.body OR NEW.issuer IS NOT OLD.issuer
    OR NEW.issued_on IS NOT OLD.issued_on OR NEW.signature IS NOT OLD.signature OR NEW.issued_at IS NOT OLD.issued_at
BEGIN SELECT RAISE(ABORT, 'a certificate can only be voided, once'); END;
CREATE TABLE certificate_log (
    id INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificate(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('issue', 'reprint', 'void')),
    layout TEXT,
    reason TEXT
);
CREATE INDEX certificate_log_certificate ON certificate_log(certificate_id);
CREATE TRIGGER certificate_log_no_update BEFORE UPDATE ON certificate_log
BEGIN SELECT RAISE(ABORT, 'the certificate log is append-only'); END;
CREATE TRIGGER certificate_log_no_delete BEFORE DELETE ON certificate_log
BEGIN SELECT RAISE(ABORT, 'the certificate log is append-only'); END;
"#,
    // Tamper evidence (issue 6): every score, theory, audit and trusted-device row is sealed in
    // the transaction that inserts it. A ledger link holds the hash of the row's content, the
    // previous link's hash and this laptop's Ed25519 signature, computed by functions that
    // `store::ledger::install` registers on each connection. Also: the keys of other laptops
    // this database trusts, and conflicts found when merging another laptop's bundle. Rows that
    // an older file already holds are sealed at the end, in insertion order.
    r#"
CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    row_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    UNIQUE (kind, row_id)
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE VIEW ledger_feed AS SELECT kind, row_id, row_hash FROM ledger;
CREATE TRIGGER ledger_feed_seal INSTEAD OF INSERT ON ledger_feed
BEGIN
    INSERT INTO ledger (kind, row_id, row_hash, prev_hash, hash, signer, signature)
    SELECT NEW.kind, NEW.row_id, NEW.row_hash, prev, link, signer, judgedesk_sign(link)
    FROM (SELECT prev, signer, judgedesk_chain_hash(prev, NEW.kind, NEW.row_id, NEW.row_hash, signer) AS link
          FROM (SELECT coalesce((SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1),
                                '0000000000000000000000000000000000000000000000000000000000000000') AS prev,
                       judgedesk_signer() AS signer));
END;

CREATE TABLE trusted_device (
    id INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL,
    name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE INDEX trusted_device_key ON trusted_device(public_key);
CREATE TRIGGER trusted_device_no_update BEFORE UPDATE ON trusted_device
BEGIN SELECT RAISE(ABORT, 'trusted devices are append-only'); END;
CREATE TRIGGER trusted_device_no_delete BEFORE DELETE ON trusted_device
BEGIN SELECT RAISE(ABORT, 'trusted devices are append-only'); END;

CREATE TABLE merge_conflict (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    contestant_id INTEGER NOT NULL REFERENCES contestant(id),
    criterion_id INTEGER NOT NULL REFERENCES criterion(id),
    judge_id INTEGER NOT NULL REFERENCES account(id),
    local_uid TEXT NOT NULL,
    local_value INTEGER,
    incoming_value INTEGER,
    incoming_entered_at TEXT NOT NULL,
    incoming_entered_by TEXT NOT NULL,
    incoming_device TEXT NOT NULL,
    incoming_supersedes TEXT,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT CHECK (resolution IN ('local', 'incoming'))
);

CREATE TRIGGER score_entry_seal AFTER INSERT ON score_entry
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('score', NEW.id, judgedesk_row_hash('score',
        NEW.id, NEW.uid, NEW.contestant_id, NEW.criterion_id, NEW.judge_id, NEW.value, NEW.entered_at,
        NEW.entered_by, NEW.device, NEW.source, NEW.supersedes));
END;
CREATE TRIGGER theory_entry_seal AFTER INSERT ON theory_entry
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('theory', NEW.id, judgedesk_row_hash('theory',
        NEW.id, NEW.contestant_id, NEW.value, NEW.entered_at, NEW.entered_by, NEW.source));
END;
CREATE TRIGGER audit_seal AFTER INSERT ON audit
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('audit', NEW.id, judgedesk_row_hash('audit',
        NEW.id, NEW.at, NEW.actor, NEW.action, NEW.pool, NEW.contestant_id, NEW.subject, NEW.old_value,
        NEW.new_value, NEW.reason));
END;
CREATE TRIGGER trusted_device_seal AFTER INSERT ON trusted_device
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('device', NEW.id, judgedesk_row_hash('device',
        NEW.id, NEW.public_key, NEW.name, NEW.added_at, NEW.added_by));
END;

INSERT INTO ledger_feed (kind, row_id, row_hash)
SELECT 'audit', id, judgedesk_row_hash('audit', id, at, actor, action, pool, contestant_id, subject, old_value, new_value, reason)
FROM audit ORDER BY id;
INSERT INTO ledger_feed (kind, row_id, row_hash)
SELECT 'score', id, judgedesk_row_hash('score', id, uid, contestant_id, criterion_id, judge_id, value, entered_at, entered_by, device, source, supersedes)
FROM score_entry ORDER BY id;
INSERT INTO ledger_feed (kind, row_id, row_hash)
SELECT 'theory', id, judgedesk_row_hash('theory', id, contestant_id, value, entered_at, entered_by, source)
FROM theory_entry ORDER BY id;
"#,
    // Judging laptops bound to their pools (issue 11): each `device_pools` record states the
    // pools a trusted laptop serves from then on (its newest record counts), a `device_revocation`
    // withdraws trust for good, and `merged_entry` keeps, for every score entry merged from a
    // bundle, the digest and signer of that bundle. All three are sealed like trusted devices.
    // Merge conflicts keep the same for the incoming value.
    r#"
CREATE TABLE device_pools (
    id INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL,
    pools TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE INDEX device_pools_key ON device_pools(public_key);
CREATE TRIGGER device_pools_no_update BEFORE UPDATE ON device_pools
BEGIN SELECT RAISE(ABORT, 'device pool records are append-only'); END;
CREATE TRIGGER device_pools_no_delete BEFORE DELETE ON device_pools
BEGIN SELECT RAISE(ABORT, 'device pool records are append-only'); END;
CREATE TRIGGER device_pools_seal AFTER INSERT ON device_pools
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('device_pools', NEW.id, judgedesk_row_hash('device_pools',
        NEW.id, NEW.public_key, NEW.pools, NEW.added_at, NEW.added_by));
END;

CREATE TABLE device_revocation (
    id INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    revoked_by TEXT NOT NULL
);
CREATE INDEX device_revocation_key ON device_revocation(public_key);
CREATE TRIGGER device_revocation_no_update BEFORE UPDATE ON device_revocation
BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
CREATE TRIGGER device_revocation_no_delete BEFORE DELETE ON device_revocation
BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
CREATE TRIGGER device_revocation_seal AFTER INSERT ON device_revocation
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('revocation', NEW.id, judgedesk_row_hash('revocation',
        NEW.id, NEW.public_key, NEW.reason, NEW.revoked_at, NEW.revoked_by));
END;

CREATE TABLE merged_entry (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    bundle_digest TEXT NOT NULL,
    bundle_signer TEXT NOT NULL,
    merged_at TEXT NOT NULL
);
CREATE TRIGGER merged_entry_no_update BEFORE UPDATE ON merged_entry
BEGIN SELECT RAISE(ABORT, 'merge records are append-only'); END;
CREATE TRIGGER merged_entry_no_delete BEFORE DELETE ON merged_entry
BEGIN SELECT RAISE(ABORT, 'merge records are append-only'); END;
CREATE TRIGGER merged_entry_seal AFTER INSERT ON merged_entry
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('merge', NEW.id, judgedesk_row_hash('merge',
        NEW.id, NEW.uid, NEW.bundle_digest, NEW.bundle_signer, NEW.merged_at));
END;

ALTER TABLE merge_conflict ADD COLUMN incoming_bundle_digest TEXT;
ALTER TABLE merge_conflict ADD COLUMN incoming_bundle_signer TEXT;
"#,
    // Signing in Rust only: a link is appended by the trigger with an empty signature, its hash
    // noted by `judgedesk_pending`, and signed by `store::ledger::seal_pending` before the
    // transaction commits (no SQL function signs). A link may be changed once, from unsigned to
    // signed, and in nothing else; the unsigned links are found through a partial index.
    r#"
DROP TRIGGER ledger_feed_seal;
CREATE TRIGGER ledger_feed_seal INSTEAD OF INSERT ON ledger_feed
BEGIN
    INSERT INTO ledger (kind, row_id, row_hash, prev_hash, hash, signer, signature)
    SELECT NEW.kind, NEW.row_id, NEW.row_hash, prev, link, signer, judgedesk_pending(link)
    FROM (SELECT prev, signer, judgedesk_chain_hash(prev, NEW.kind, NEW.row_id, NEW.row_hash, signer) AS link
          FROM (SELECT coalesce((SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1),
                                '0000000000000000000000000000000000000000000000000000000000000000') AS prev,
                       judgedesk_signer() AS signer));
END;
DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_signed_once BEFORE UPDATE ON ledger
WHEN OLD.signature <> '' OR NEW.signature = '' OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind
    OR NEW.row_id IS NOT OLD.row_id OR NEW.row_hash IS NOT OLD.row_hash OR NEW.prev_hash IS NOT OLD.prev_hash
    OR NEW.hash IS NOT OLD.hash OR NEW.signer IS NOT OLD.signer
BEGIN SELECT RAISE(ABORT, 'a ledger link is signed once and never changed'); END;
CREATE INDEX ledger_unsigned ON ledger(hash) WHERE signature = '';
"#,
    // Everything a result depends on is sealed (issue 11): each insert, change or deletion of a
    // record of the tables in `store::ledger::RECORDS` (the competition, events, units, pools with
    // their settings, criteria with their maxima, contestants, accounts, panels, submitted sheets,
    // flag decisions, pool events, appeals, certificates, their log and the settings, among them
    // the certificate key) appends a `record_seal` row holding the record's key and the hash of
    // its new content (NULL once deleted), and that row is sealed like every other. The newest
    // seal of a record is what `verify` compares the record with. Records already in the file are
    // sealed at the end, table by table.
    r#"
CREATE TABLE record_seal (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    row_key TEXT NOT NULL,
    row_hash TEXT
);
CREATE TRIGGER record_seal_no_update BEFORE UPDATE ON record_seal
BEGIN SELECT RAISE(ABORT, 'record seals are append-only'); END;
CREATE TRIGGER record_seal_no_delete BEFORE DELETE ON record_seal
BEGIN SELECT RAISE(ABORT, 'record seals are append-only'); END;
CREATE TRIGGER record_seal_seal AFTER INSERT ON record_seal
BEGIN
    INSERT INTO ledger_feed (kind, row_id, row_hash) VALUES ('record', NEW.id, judgedesk_row_hash('record',
        NEW.id, NEW.kind, NEW.row_key, NEW.row_hash));
END;

CREATE TRIGGER competition_record_insert AFTER INSERT ON competition
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('competition', NEW.id,
        judgedesk_row_hash('competition', NEW.id, NEW.name, NEW.short_name, NEW.year, NEW.issuer, NEW.registration_start, NEW.registration_end, NEW.start_date, NEW.end_date, NEW.checkin_cities));
END;
CREATE TRIGGER competition_record_update AFTER UPDATE ON competition
WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.short_name IS NOT OLD.short_name OR NEW.year IS NOT OLD.year OR NEW.issuer IS NOT OLD.issuer OR NEW.registration_start IS NOT OLD.registration_start OR NEW.registration_end IS NOT OLD.registration_end OR NEW.start_date IS NOT OLD.start_date OR NEW.end_date IS NOT OLD.end_date OR NEW.checkin_cities IS NOT OLD.checkin_cities
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('competition', NEW.id,
        judgedesk_row_hash('competition', NEW.id, NEW.name, NEW.short_name, NEW.year, NEW.issuer, NEW.registration_start, NEW.registration_end, NEW.start_date, NEW.end_date, NEW.checkin_cities));
END;
CREATE TRIGGER competition_record_delete AFTER DELETE ON competition
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('competition', OLD.id, NULL);
END;
CREATE TRIGGER event_record_insert AFTER INSERT ON event
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('event', NEW.code,
        judgedesk_row_hash('event', NEW.code, NEW.name, NEW.occupation, NEW.position));
END;
CREATE TRIGGER event_record_update AFTER UPDATE ON event
WHEN NEW.code IS NOT OLD.code OR NEW.name IS NOT OLD.name OR NEW.occupation IS NOT OLD.occupation OR NEW.position IS NOT OLD.position
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('event', NEW.code,
        judgedesk_row_hash('event', NEW.code, NEW.name, NEW.occupation, NEW.position));
END;
CREATE TRIGGER event_record_delete AFTER DELETE ON event
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('event', OLD.code, NULL);
END;
CREATE TRIGGER unit_record_insert AFTER INSERT ON unit
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('unit', NEW.id,
        judgedesk_row_hash('unit', NEW.id, NEW.name));
END;
CREATE TRIGGER unit_record_update AFTER UPDATE ON unit
WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('unit', NEW.id,
        judgedesk_row_hash('unit', NEW.id, NEW.name));
END;
CREATE TRIGGER unit_record_delete AFTER DELETE ON unit
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('unit', OLD.id, NULL);
END;
CREATE TRIGGER pool_record_insert AFTER INSERT ON pool
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('pool', NEW.id,
        judgedesk_row_hash('pool', NEW.id, NEW.event, NEW.grp, NEW.position, NEW.venue_id, NEW.state, NEW.settings, NEW.draw_seed));
END;
CREATE TRIGGER pool_record_update AFTER UPDATE ON pool
WHEN NEW.id IS NOT OLD.id OR NEW.event IS NOT OLD.event OR NEW.grp IS NOT OLD.grp OR NEW.position IS NOT OLD.position OR NEW.venue_id IS NOT OLD.venue_id OR NEW.state IS NOT OLD.state OR NEW.settings IS NOT OLD.settings OR NEW.draw_seed IS NOT OLD.draw_seed
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('pool', NEW.id,
        judgedesk_row_hash('pool', NEW.id, NEW.event, NEW.grp, NEW.position, NEW.venue_id, NEW.state, NEW.settings, NEW.draw_seed));
END;
CREATE TRIGGER pool_record_delete AFTER DELETE ON pool
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('pool', OLD.id, NULL);
END;
CREATE TRIGGER criterion_record_insert AFTER INSERT ON criterion
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('criterion', NEW.id,
        judgedesk_row_hash('criterion', NEW.id, NEW.pool_id, NEW.code, NEW.name, NEW.max, NEW.step, NEW.stage, NEW.dimension, NEW.kind, NEW.position));
END;
CREATE TRIGGER criterion_record_update AFTER UPDATE ON criterion
WHEN NEW.id IS NOT OLD.id OR NEW.pool_id IS NOT OLD.pool_id OR NEW.code IS NOT OLD.code OR NEW.name IS NOT OLD.name OR NEW.max IS NOT OLD.max OR NEW.step IS NOT OLD.step OR NEW.stage IS NOT OLD.stage OR NEW.dimension IS NOT OLD.dimension OR NEW.kind IS NOT OLD.kind OR NEW.position IS NOT OLD.position
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('criterion', NEW.id,
        judgedesk_row_hash('criterion', NEW.id, NEW.pool_id, NEW.code, NEW.name, NEW.max, NEW.step, NEW.stage, NEW.dimension, NEW.kind, NEW.position));
END;
CREATE TRIGGER criterion_record_delete AFTER DELETE ON criterion
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('criterion', OLD.id, NULL);
END;
CREATE TRIGGER contestant_record_insert AFTER INSERT ON contestant
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('contestant', NEW.id,
        judgedesk_row_hash('contestant', NEW.id, NEW.id_number, NEW.name, NEW.gender, NEW.phone, NEW.unit_id, NEW.pool_id, NEW.height_weight, NEW.remarks, NEW.coach, NEW.department, NEW.city, NEW.city_rank, NEW.basis, NEW.level, NEW.level_date, NEW.title, NEW.honours, NEW.student_card_checked, NEW.id_card_checked, NEW.status, NEW.checkin_no, NEW.workstation, NEW.quota_override, NEW.source_file));
END;
CREATE TRIGGER contestant_record_update AFTER UPDATE ON contestant
WHEN NEW.id IS NOT OLD.id OR NEW.id_number IS NOT OLD.id_number OR NEW.name IS NOT OLD.name OR NEW.gender IS NOT OLD.gender OR NEW.phone IS NOT OLD.phone OR NEW.unit_id IS NOT OLD.unit_id OR NEW.pool_id IS NOT OLD.pool_id OR NEW.height_weight IS NOT OLD.height_weight OR NEW.remarks IS NOT OLD.remarks OR NEW.coach IS NOT OLD.coach OR NEW.department IS NOT OLD.department OR NEW.city IS NOT OLD.city OR NEW.city_rank IS NOT OLD.city_rank OR NEW.basis IS NOT OLD.basis OR NEW.level IS NOT OLD.level OR NEW.level_date IS NOT OLD.level_date OR NEW.title IS NOT OLD.title OR NEW.honours IS NOT OLD.honours OR NEW.student_card_checked IS NOT OLD.student_card_checked OR NEW.id_card_checked IS NOT OLD.id_card_checked OR NEW.status IS NOT OLD.status OR NEW.checkin_no IS NOT OLD.checkin_no OR NEW.workstation IS NOT OLD.workstation OR NEW.quota_override IS NOT OLD.quota_override OR NEW.source_file IS NOT OLD.source_file
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('contestant', NEW.id,
        judgedesk_row_hash('contestant', NEW.id, NEW.id_number, NEW.name, NEW.gender, NEW.phone, NEW.unit_id, NEW.pool_id, NEW.height_weight, NEW.remarks, NEW.coach, NEW.department, NEW.city, NEW.city_rank, NEW.basis, NEW.level, NEW.level_date, NEW.title, NEW.honours, NEW.student_card_checked, NEW.id_card_checked, NEW.status, NEW.checkin_no, NEW.workstation, NEW.quota_override, NEW.source_file));
END;
CREATE TRIGGER contestant_record_delete AFTER DELETE ON contestant
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('contestant', OLD.id, NULL);
END;
CREATE TRIGGER account_record_insert AFTER INSERT ON account
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('account', NEW.id,
        judgedesk_row_hash('account', NEW.id, NEW.name, NEW.role, NEW.pin_hash, NEW.locked, NEW.created_at));
END;
CREATE TRIGGER account_record_update AFTER UPDATE ON account
WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.pin_hash IS NOT OLD.pin_hash OR NEW.locked IS NOT OLD.locked OR NEW.created_at IS NOT OLD.created_at
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('account', NEW.id,
        judgedesk_row_hash('account', NEW.id, NEW.name, NEW.role, NEW.pin_hash, NEW.locked, NEW.created_at));
END;
CREATE TRIGGER account_record_delete AFTER DELETE ON account
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('account', OLD.id, NULL);
END;
CREATE TRIGGER account_pool_record_insert AFTER INSERT ON account_pool
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('panel', NEW.account_id || '/' || NEW.pool_id,
        judgedesk_row_hash('panel', NEW.account_id, NEW.pool_id));
END;
CREATE TRIGGER account_pool_record_update AFTER UPDATE ON account_pool
WHEN NEW.account_id IS NOT OLD.account_id OR NEW.pool_id IS NOT OLD.pool_id
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('panel', NEW.account_id || '/' || NEW.pool_id,
        judgedesk_row_hash('panel', NEW.account_id, NEW.pool_id));
END;
CREATE TRIGGER account_pool_record_delete AFTER DELETE ON account_pool
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('panel', OLD.account_id || '/' || OLD.pool_id, NULL);
END;
CREATE TRIGGER sheet_submission_record_insert AFTER INSERT ON sheet_submission
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('sheet', NEW.judge_id || '/' || NEW.contestant_id,
        judgedesk_row_hash('sheet', NEW.judge_id, NEW.contestant_id, NEW.pool_id, NEW.submitted_at));
END;
CREATE TRIGGER sheet_submission_record_update AFTER UPDATE ON sheet_submission
WHEN NEW.judge_id IS NOT OLD.judge_id OR NEW.contestant_id IS NOT OLD.contestant_id OR NEW.pool_id IS NOT OLD.pool_id OR NEW.submitted_at IS NOT OLD.submitted_at
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('sheet', NEW.judge_id || '/' || NEW.contestant_id,
        judgedesk_row_hash('sheet', NEW.judge_id, NEW.contestant_id, NEW.pool_id, NEW.submitted_at));
END;
CREATE TRIGGER sheet_submission_record_delete AFTER DELETE ON sheet_submission
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('sheet', OLD.judge_id || '/' || OLD.contestant_id, NULL);
END;
CREATE TRIGGER flag_resolution_record_insert AFTER INSERT ON flag_resolution
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('flag', NEW.id,
        judgedesk_row_hash('flag', NEW.id, NEW.pool_id, NEW.contestant_id, NEW.criterion, NEW.kind, NEW.judge_values, NEW.note, NEW.decided_by, NEW.decided_at));
END;
CREATE TRIGGER pool_event_record_insert AFTER INSERT ON pool_event
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('pool_event', NEW.id,
        judgedesk_row_hash('pool_event', NEW.id, NEW.pool_id, NEW.state, NEW.at, NEW.actor, NEW.reason));
END;
CREATE TRIGGER appeal_record_insert AFTER INSERT ON appeal
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('appeal', NEW.id,
        judgedesk_row_hash('appeal', NEW.id, NEW.pool_id, NEW.leader, NEW.unit, NEW.received_at, NEW.content, NEW.outcome, NEW.changes, NEW.decided_at, NEW.recorded_by));
END;
CREATE TRIGGER appeal_record_update AFTER UPDATE ON appeal
WHEN NEW.id IS NOT OLD.id OR NEW.pool_id IS NOT OLD.pool_id OR NEW.leader IS NOT OLD.leader OR NEW.unit IS NOT OLD.unit OR NEW.received_at IS NOT OLD.received_at OR NEW.content IS NOT OLD.content OR NEW.outcome IS NOT OLD.outcome OR NEW.changes IS NOT OLD.changes OR NEW.decided_at IS NOT OLD.decided_at OR NEW.recorded_by IS NOT OLD.recorded_by
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('appeal', NEW.id,
        judgedesk_row_hash('appeal', NEW.id, NEW.pool_id, NEW.leader, NEW.unit, NEW.received_at, NEW.content, NEW.outcome, NEW.changes, NEW.decided_at, NEW.recorded_by));
END;
CREATE TRIGGER appeal_record_delete AFTER DELETE ON appeal
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('appeal', OLD.id, NULL);
END;
CREATE TRIGGER certificate_record_insert AFTER INSERT ON certificate
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('certificate', NEW.id,
        judgedesk_row_hash('certificate', NEW.id, NEW.number, NEW.pool_id, NEW.contestant_id, NEW.prize, NEW.sequence, NEW.holder_name, NEW.salutation, NEW.body, NEW.issuer, NEW.issued_on, NEW.signature, NEW.issued_at, NEW.voided_at, NEW.void_reason));
END;
CREATE TRIGGER certificate_record_update AFTER UPDATE ON certificate
WHEN NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number OR NEW.pool_id IS NOT OLD.pool_id OR NEW.contestant_id IS NOT OLD.contestant_id OR NEW.prize IS NOT OLD.prize OR NEW.sequence IS NOT OLD.sequence OR NEW.holder_name IS NOT OLD.holder_name OR NEW.salutation IS NOT OLD.salutation OR NEW.body IS NOT OLD.body OR NEW.issuer IS NOT OLD.issuer OR NEW.issued_on IS NOT OLD.issued_on OR NEW.signature IS NOT OLD.signature OR NEW.issued_at IS NOT OLD.issued_at OR NEW.voided_at IS NOT OLD.voided_at OR NEW.void_reason IS NOT OLD.void_reason
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('certificate', NEW.id,
        judgedesk_row_hash('certificate', NEW.id, NEW.number, NEW.pool_id, NEW.contestant_id, NEW.prize, NEW.sequence, NEW.holder_name, NEW.salutation, NEW.body, NEW.issuer, NEW.issued_on, NEW.signature, NEW.issued_at, NEW.voided_at, NEW.void_reason));
END;
CREATE TRIGGER certificate_record_delete AFTER DELETE ON certificate
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('certificate', OLD.id, NULL);
END;
CREATE TRIGGER certificate_log_record_insert AFTER INSERT ON certificate_log
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('certificate_log', NEW.id,
        judgedesk_row_hash('certificate_log', NEW.id, NEW.certificate_id, NEW.at, NEW.actor, NEW.kind, NEW.layout, NEW.reason));
END;
CREATE TRIGGER setting_record_insert AFTER INSERT ON setting
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('setting', NEW.key,
        judgedesk_row_hash('setting', NEW.key, NEW.value));
END;
CREATE TRIGGER setting_record_update AFTER UPDATE ON setting
WHEN NEW.key IS NOT OLD.key OR NEW.value IS NOT OLD.value
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('setting', NEW.key,
        judgedesk_row_hash('setting', NEW.key, NEW.value));
END;
CREATE TRIGGER setting_record_delete AFTER DELETE ON setting
BEGIN
    INSERT INTO record_seal (kind, row_key, row_hash) VALUES ('setting', OLD.key, NULL);
END;

INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'competition', id, judgedesk_row_hash('competition', id, name, short_name, year, issuer, registration_start, registration_end, start_date, end_date, checkin_cities) FROM competition ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'event', code, judgedesk_row_hash('event', code, name, occupation, position) FROM event ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'unit', id, judgedesk_row_hash('unit', id, name) FROM unit ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'pool', id, judgedesk_row_hash('pool', id, event, grp, position, venue_id, state, settings, draw_seed) FROM pool ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'criterion', id, judgedesk_row_hash('criterion', id, pool_id, code, name, max, step, stage, dimension, kind, position) FROM criterion ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'contestant', id, judgedesk_row_hash('contestant', id, id_number, name, gender, phone, unit_id, pool_id, height_weight, remarks, coach, department, city, city_rank, basis, level, level_date, title, honours, student_card_checked, id_card_checked, status, checkin_no, workstation, quota_override, source_file) FROM contestant ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'account', id, judgedesk_row_hash('account', id, name, role, pin_hash, locked, created_at) FROM account ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'panel', account_id || '/' || pool_id, judgedesk_row_hash('panel', account_id, pool_id) FROM account_pool ORDER BY account_id, pool_id;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'sheet', judge_id || '/' || contestant_id, judgedesk_row_hash('sheet', judge_id, contestant_id, pool_id, submitted_at) FROM sheet_submission ORDER BY judge_id, contestant_id;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'flag', id, judgedesk_row_hash('flag', id, pool_id, contestant_id, criterion, kind, judge_values, note, decided_by, decided_at) FROM flag_resolution ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'pool_event', id, judgedesk_row_hash('pool_event', id, pool_id, state, at, actor, reason) FROM pool_event ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'appeal', id, judgedesk_row_hash('appeal', id, pool_id, leader, unit, received_at, content, outcome, changes, decided_at, recorded_by) FROM appeal ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'certificate', id, judgedesk_row_hash('certificate', id, number, pool_id, contestant_id, prize, sequence, holder_name, salutation, body, issuer, issued_on, signature, issued_at, voided_at, void_reason) FROM certificate ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'certificate_log', id, judgedesk_row_hash('certificate_log', id, certificate_id, at, actor, kind, layout, reason) FROM certificate_log ORDER BY rowid;
INSERT INTO record_seal (kind, row_key, row_hash)
SELECT 'setting', key, judgedesk_row_hash('setting', key, value) FROM setting ORDER BY rowid;
"#,
    // Trust roots pinned outside the database (issue 11): each database gets an id once, kept by
    // its backups, under which laptops record its root key and newest head (`store::pins`).
    r#"
INSERT OR IGNORE INTO setting (key, value) VALUES ('database.id', lower(hex(randomblob(16))));
"#,
];
