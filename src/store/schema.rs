//! The schema, as an append-only list of migrations numbered by `PRAGMA user_version`.
//! Never edit a migration that has shipped: add a new one.

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
];
