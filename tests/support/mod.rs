//! What the integration tests share: temporary folders, the demo database, the window under
//! egui_kittest (signed in, stepped until the worker is idle, read back as text, files dropped on
//! it) and registration forms written on the app's own template. Each test file uses a part.
#![allow(dead_code)]

pub mod forms;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_judgedesk");

/// The folder that holds everything this test process writes: `judgedesk-tests-PID` under the
/// temporary directory. A test process cannot clean up after itself at exit (statics are never
/// dropped), so the first call removes the folders of test processes that have ended.
pub fn process_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_ended_processes_folders(&tmp);
        let root = tmp.join(format!("judgedesk-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("test folder: {e}"));
        root
    })
}

/// Removes `judgedesk-tests-PID` folders whose process is gone (where the system says which
/// processes run; elsewhere nothing is removed).
fn remove_ended_processes_folders(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("judgedesk-tests-"))
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A folder name inside this process's folder that no other test or thread uses.
pub fn unique_temp(tag: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    process_root().join(format!("{tag}-{n}"))
}

/// Keeps this test process out of the real data folder: every connection it opens signs with a
/// key in a temporary folder of its own (returned), the same one `bin` gives the binary.
pub fn hermetic() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| process_root().join("keys"));
    judgedesk::store::ledger::pin_key_dir(dir.clone())
}

/// An empty home folder for this test process (no data folder, no key).
pub fn empty_home() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = process_root().join("home");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("home: {e}"));
        dir
    })
}

/// The binary, with this process's test key folder and an empty home: it never reaches the real
/// home or data folder. A test that plays another laptop sets its own `JUDGEDESK_KEY_DIR`.
pub fn bin() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env(judgedesk::store::device_key::KEY_DIR_ENV, hermetic())
        .env("HOME", empty_home())
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME");
    cmd
}

/// The binary as one laptop: `keys` is its key folder, and a command that acts as a person gets the
/// demo accounts' PIN from the environment, as a script would give it.
pub fn laptop(keys: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .env(judgedesk::store::device_key::KEY_DIR_ENV, keys)
        .env("JUDGEDESK_PIN", judgedesk::ops::demo::DEMO_PIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

/// The public key that `device show` printed.
pub fn shown_public_key(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("公钥: ").map(str::to_string))
        .unwrap_or_else(|| panic!("no public key in: {text}"))
}

/// A DS-ZG measurement cell of the demo that two judges agree on, and a judge of the pool who has
/// not entered it.
pub struct AgreedCell {
    pub contestant: i64,
    pub workstation: u32,
    pub criterion: String,
    /// The agreed value, `12.50`.
    pub value: String,
    pub third_judge: String,
}

pub fn agreed_measurement_cell(conn: &Connection) -> AgreedCell {
    conn.query_row(
        "SELECT s.contestant_id, ct.workstation, cr.code, printf('%.2f', min(s.value) / 100.0),
                (SELECT a.name FROM account a JOIN account_pool ap ON ap.account_id = a.id
                 WHERE ap.pool_id = p.id AND a.role = 'judge'
                   AND a.id NOT IN (SELECT judge_id FROM current_score
                                    WHERE contestant_id = s.contestant_id
                                      AND criterion_id = s.criterion_id)
                 ORDER BY a.name LIMIT 1)
         FROM current_score s
         JOIN criterion cr ON cr.id = s.criterion_id
         JOIN pool p ON p.id = cr.pool_id
         JOIN contestant ct ON ct.id = s.contestant_id
         WHERE p.event = 'DS' AND p.grp = 'ZG' AND cr.kind = 'measurement'
           AND ct.status = 'normal'
         GROUP BY s.contestant_id, s.criterion_id
         HAVING count(*) = 2 AND min(s.value) = max(s.value)
         LIMIT 1",
        [],
        |r| {
            Ok(AgreedCell {
                contestant: r.get(0)?,
                workstation: r.get(1)?,
                criterion: r.get(2)?,
                value: r.get(3)?,
                third_judge: r.get(4)?,
            })
        },
    )
    .unwrap_or_else(|e| panic!("an agreed measurement cell in the demo: {e}"))
}

/// A fresh folder under the temporary directory, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(tag: &str) -> Dir {
        hermetic();
        let dir = unique_temp(tag);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
        Dir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` in the folder.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn open(path: &Path) -> Connection {
    hermetic();
    judgedesk::store::open(path).unwrap_or_else(|e| panic!("open: {e}"))
}

/// The account `name` acting (a judge, chief judge, supervisor or coordinator of the database).
pub fn actor(conn: &Connection, name: &str) -> judgedesk::ops::Actor {
    let account = judgedesk::store::people::account_by_name(conn, name)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no account {name}"));
    judgedesk::ops::Actor {
        name: account.name,
        role: account.role,
        account_id: Some(account.id),
    }
}

/// `judge`'s value (hundredths) for `criterion` at `workstation` of `pool`, entered as the judge
/// through `ops::scoring::enter_score`, as the grid saves it.
pub fn enter_score(
    conn: &Connection,
    pool: &str,
    judge: &str,
    workstation: u32,
    criterion: &str,
    value: i64,
) -> Result<(), judgedesk::ops::OpsError> {
    use judgedesk::ops::scoring::{ContestantRef, ScoreInput};
    let input = ScoreInput {
        pool: judgedesk::core::model::PoolKey::parse(pool).unwrap_or_else(|| panic!("key {pool}")),
        judge: judge.into(),
        contestant: ContestantRef::Workstation(workstation),
        criterion: criterion.into(),
        value: judgedesk::core::score::Hundredths(value),
    };
    judgedesk::ops::scoring::enter_score(conn, &actor(conn, judge), "test", &input).map(|_| ())
}

/// `pool` of the demo competition locked by its chief judge, then confirmed, decrypted and
/// published by the supervisor (`监督员`).
pub fn publish(conn: &Connection, pool: &str) {
    use judgedesk::ops::workflow;
    let key = judgedesk::core::model::PoolKey::parse(pool).unwrap_or_else(|| panic!("key {pool}"));
    let chief = actor(conn, &format!("{pool}裁判长"));
    let supervisor = actor(conn, "监督员");
    workflow::lock(conn, &chief, &key).unwrap_or_else(|e| panic!("lock: {e}"));
    workflow::confirm_and_decrypt(conn, &supervisor, &key)
        .unwrap_or_else(|e| panic!("decrypt: {e}"));
    workflow::publish(conn, &supervisor, &key).unwrap_or_else(|e| panic!("publish: {e}"));
}

/// The demo competition in memory, signed with this process's test key.
pub fn demo_in_memory() -> Connection {
    hermetic();
    let conn = judgedesk::store::open_in_memory().unwrap_or_else(|e| panic!("open: {e}"));
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("demo: {e}"));
    conn
}

/// What a run of the binary printed, standard output then standard error.
pub fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The demo competition in `desk.sqlite` of `dir`.
pub fn demo_db(dir: &Dir) -> PathBuf {
    let path = dir.path("desk.sqlite");
    let conn = open(&path);
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("demo: {e}"));
    path
}

/// The built-in competition before check-in, with the coordinator account `赛务管理员`
/// (PIN 123456), in `desk.sqlite` of `dir`: registration is open in every pool.
pub fn registration_db(dir: &Dir) -> PathBuf {
    let path = dir.path("desk.sqlite");
    let conn = open(&path);
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    judgedesk::ops::admin::create_first_coordinator(&conn, "赛务管理员", "123456")
        .unwrap_or_else(|e| panic!("coordinator: {e}"));
    path
}

pub type Window = Harness<'static, JudgeDeskApp>;

/// A headless window of `width`×`height` with the bundled fonts (kittest panics on a missing
/// glyph), in a process that signs with its test key.
pub fn builder<State>(width: f32, height: f32) -> egui_kittest::HarnessBuilder<State> {
    hermetic();
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_context_setup(judgedesk::ui::fonts::install_fonts)
}

/// The window at the venue laptop's size with the bundled fonts.
pub fn harness(app: JudgeDeskApp) -> Window {
    builder(1366.0, 768.0).build_ui_state(|ui, app: &mut JudgeDeskApp| app.ui(ui), app)
}

/// The window on `path`, signed in as `name`, settled.
pub fn window(path: &Path, name: &str) -> Window {
    let mut h = harness(JudgeDeskApp::signed_in(
        open(path),
        path.display().to_string(),
        name,
    ));
    settle(&mut h);
    h
}

/// Steps frames until the worker has been idle for a few frames (a screen may queue its next
/// task on the frame after a reply).
pub fn settle(h: &mut Window) {
    let start = Instant::now();
    let mut idle = 0;
    while idle < 3 {
        h.step();
        idle = if h.state().is_busy() { 0 } else { idle + 1 };
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "job did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run();
}

/// Opens a screen; a tool screen reads what it shows on its first frame.
pub fn open_screen(h: &mut Window, screen: Screen) {
    h.state_mut().push(Action::Open(screen));
    settle(h);
    settle(h);
}

pub fn click(h: &mut Window, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

/// Every label and value the window shows, one a line.
pub fn texts(h: &Window) -> Vec<String> {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

pub fn all_text(h: &Window) -> String {
    texts(h).join("\n")
}

/// The status line's message.
pub fn status(h: &Window) -> String {
    h.state()
        .status()
        .map(|s| s.message.clone())
        .unwrap_or_default()
}

/// A file dropped on the window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `files` on the window and lets it take them in.
pub fn drop_files(h: &mut Window, files: &[PathBuf]) {
    for file in files {
        h.input_mut()
            .dropped_files
            .push(Arc::new(Dropped(file.clone())));
    }
    h.step();
    settle(h);
}

/// A contestant of DS-ZG who competes (status normal, drawn): `(id, name)`.
pub fn competing_in_ds_zg(conn: &Connection) -> (i64, String) {
    use judgedesk::core::model::{PoolKey, Status};
    let key = PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("key"));
    let pool = judgedesk::store::competition::pool(conn, &key)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("pool DS-ZG"));
    judgedesk::store::people::contestants_in_pool(conn, pool.id)
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.status == Status::Normal && c.workstation.is_some())
        .map(|c| (c.id, c.record.name))
        .unwrap_or_else(|| panic!("a competing contestant"))
}

/// The reason of the newest audit row of `action` (empty when there is none).
pub fn last_audit_reason(conn: &Connection, action: &str) -> String {
    conn.query_row(
        "SELECT reason FROM audit WHERE action = ?1 ORDER BY id DESC LIMIT 1",
        [action],
        |r| r.get::<_, Option<String>>(0),
    )
    .ok()
    .flatten()
    .unwrap_or_default()
}
