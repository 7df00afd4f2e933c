//! The application state: the open database, the signed-in person, a snapshot of the data
//! (`ops::workflow::Desk`) reloaded only when data changes, the screen and pool open, and
//! the actions views push. Slow work (PIN hashing, reloads, the draw) runs on a thread that
//! borrows the connection; actions that need the database wait until it is back.

use super::task::{Cx, Outcome, Progress, Task, TaskEnv};
use super::{
    audit_view, charts, check_view, chief, coordinator, grid, print_view, registration_view,
    results_view, safety_view, scores_view, signin, supervisor, text,
};
use crate::core::model::{Criterion, PoolKey, PoolSettings, Role, Status};
use crate::core::score::Hundredths;
use crate::ops::accounts::SignIn;
use crate::ops::admin::ContestantEdit;
use crate::ops::results::{PoolResults, Results};
use crate::ops::workflow::{self, AccountView, AppealChange, Desk};
use crate::ops::{self, Actor, OpsError};
use crate::store::workflow::AuditFilter;
use rusqlite::Connection;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Signed-in people are signed out after this long without input.
pub const IDLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How often the window looks for changes another process wrote to the file.
const OUTSIDE_CHANGES_EVERY: Duration = Duration::from_secs(2);
const STORAGE_SCREEN: &str = "judgedesk.last_screen";

/// The screens; which ones a person sees depends on their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    Grid,
    Progress,
    Flags,
    Oversight,
    CheckIn,
    People,
    Accounts,
    Settings,
    Results,
    Charts,
    Audit,
    Registration,
    Printing,
    CertCheck,
    Safety,
    ScoreImport,
}

impl Screen {
    pub const ALL: [Screen; 16] = [
        Screen::Grid,
        Screen::Progress,
        Screen::Flags,
        Screen::Oversight,
        Screen::CheckIn,
        Screen::People,
        Screen::Accounts,
        Screen::Settings,
        Screen::Results,
        Screen::Charts,
        Screen::Audit,
        Screen::Registration,
        Screen::Printing,
        Screen::CertCheck,
        Screen::Safety,
        Screen::ScoreImport,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Grid => text::SCREEN_GRID,
            Screen::Progress => text::SCREEN_PROGRESS,
            Screen::Flags => text::SCREEN_FLAGS,
            Screen::Oversight => text::SCREEN_OVERSIGHT,
            Screen::CheckIn => text::SCREEN_CHECKIN,
            Screen::People => text::SCREEN_PEOPLE,
            Screen::Accounts => text::SCREEN_ACCOUNTS,
            Screen::Settings => text::SCREEN_SETTINGS,
            Screen::Results => text::SCREEN_RESULTS,
            Screen::Charts => text::SCREEN_CHARTS,
            Screen::Audit => text::SCREEN_AUDIT,
            Screen::Registration => text::SCREEN_REGISTRATION,
            Screen::Printing => text::SCREEN_PRINTING,
            Screen::CertCheck => text::SCREEN_CERT_CHECK,
            Screen::Safety => text::SCREEN_SAFETY,
            Screen::ScoreImport => text::SCREEN_SCORE_IMPORT,
        }
    }

    fn code(self) -> String {
        format!("{self:?}")
    }

    fn from_code(code: &str) -> Option<Screen> {
        Screen::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The screens a role may open, the first being where they start.
    pub fn for_role(role: Role) -> &'static [Screen] {
        match role {
            Role::Judge => &[Screen::Grid],
            Role::Chief => &[
                Screen::Progress,
                Screen::Flags,
                Screen::Results,
                Screen::Charts,
                Screen::Safety,
            ],
            Role::Supervisor => &[
                Screen::Oversight,
                Screen::Results,
                Screen::Charts,
                Screen::CertCheck,
                Screen::Safety,
                Screen::Audit,
            ],
            Role::Coordinator => &[
                Screen::CheckIn,
                Screen::Registration,
                Screen::People,
                Screen::Accounts,
                Screen::Settings,
                Screen::ScoreImport,
                Screen::Results,
                Screen::Charts,
                Screen::Printing,
                Screen::CertCheck,
                Screen::Safety,
                Screen::Audit,
            ],
        }
    }
}

/// The signed-in person.
#[derive(Clone, Debug)]
pub struct Session {
    pub account: AccountView,
    pub actor: Actor,
    last_activity: Instant,
}

impl Session {
    pub fn role(&self) -> Role {
        self.account.role
    }

    /// Judges and chief judges see their assigned pools; the others see every pool.
    pub fn sees_pool(&self, pool_id: i64) -> bool {
        match self.account.role {
            Role::Judge | Role::Chief => self.account.pools.contains(&pool_id),
            Role::Coordinator | Role::Supervisor => true,
        }
    }
}

/// What a person asked for, applied after the frame is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Try a PIN for an account.
    SignIn { name: String, pin: String },
    /// First start: create the coordinator account and sign in.
    CreateFirstCoordinator { name: String, pin: String },
    /// Back to the sign-in screen.
    SignOut,
    /// Open another screen.
    Open(Screen),
    /// Show another pool (index into the results' pools).
    SelectPool(usize),
    /// Reload everything from the database.
    Reload,
    /// A judge's value for one cell of their grid.
    SaveScore {
        pool: PoolKey,
        contestant: i64,
        workstation: u32,
        criterion: String,
        value: Hundredths,
    },
    /// A judge submits (freezes) rows of their sheet.
    Submit {
        pool: PoolKey,
        contestants: Vec<i64>,
    },
    /// The chief judge reopens a judge's submitted rows.
    Reopen {
        pool: PoolKey,
        judge: i64,
        contestant: Option<i64>,
        reason: String,
    },
    /// The chief judge accepts a spread flag's values.
    AcceptFlag {
        pool: PoolKey,
        contestant: i64,
        criterion: String,
        note: String,
    },
    /// The chief judge withdraws one judge's value for re-scoring.
    Rescore {
        pool: PoolKey,
        contestant: i64,
        criterion: String,
        judge: i64,
        reason: String,
    },
    /// The chief judge locks a pool.
    Lock(PoolKey),
    /// The chief judge and the supervisor unlock a pool.
    Unlock {
        pool: PoolKey,
        supervisor: String,
        pin: String,
        reason: String,
    },
    /// The supervisor confirms and decrypts a locked pool.
    Decrypt(PoolKey),
    /// The supervisor publishes a pool's results.
    Publish(PoolKey),
    /// The supervisor makes a pool's results final.
    Finalize(PoolKey),
    /// The supervisor records an appeal.
    RecordAppeal {
        pool: PoolKey,
        leader: String,
        unit: String,
        received_at: String,
        content: String,
    },
    /// The supervisor records a score change an appeal caused.
    AppealChange { appeal: i64, change: AppealChange },
    /// The supervisor closes an appeal with its outcome.
    DecideAppeal { appeal: i64, outcome: String },
    /// Ask first, then apply the question's action if the person confirms.
    Ask(Box<super::confirm::Question>),
    /// The coordinator marks a contestant at check-in.
    CheckIn { contestant: i64, status: Status },
    /// Open the status change of one contestant after the draw (`who` as the person sees them).
    OpenStatus { contestant: i64, who: String },
    /// Change a contestant's status after the draw, with a reason.
    SetStatus {
        contestant: i64,
        status: Status,
        reason: String,
    },
    /// The coordinator runs the draw of a pool.
    Draw(PoolKey),
    /// Redo the recorded draw and compare.
    VerifyDraw(PoolKey),
    /// Write the mapping sheets next to the database.
    WriteSheets(PoolKey),
    /// Show one full ID number (logged).
    RevealId(i64),
    /// Correct a contestant's registration facts.
    EditContestant {
        contestant: i64,
        edit: ContestantEdit,
    },
    /// Rename a unit.
    RenameUnit { unit: i64, name: String },
    /// Create an account.
    AddUser {
        name: String,
        role: Role,
        pin: String,
        pools: Vec<PoolKey>,
    },
    /// Assign an account's pools.
    SetPools { name: String, pools: Vec<PoolKey> },
    /// Unlock an account, optionally with a new PIN.
    ResetAccount { name: String, pin: Option<String> },
    /// Save a pool's venue and settings.
    SaveSettings {
        pool: PoolKey,
        venue: Option<i64>,
        settings: PoolSettings,
    },
    /// Replace a pool's scheme (before scoring).
    SaveScheme {
        pool: PoolKey,
        criteria: Vec<Criterion>,
    },
    /// Load the audit log with a filter.
    LoadAudit(AuditFilter),
    /// Replace the database by a verified backup (closes and reopens it; signs out).
    Restore(PathBuf),
}

/// What a slow job brings back with the connection.
#[derive(Default)]
struct JobOutput {
    signin: Option<(String, ops::Result<SignIn>)>,
    message: Option<Result<String, String>>,
    desk: Option<Result<Desk, String>>,
    /// A tool screen's task: the screen and what it brought back.
    reply: Option<(Screen, Outcome)>,
    /// The database was replaced: sign out.
    signed_out: bool,
}

type JobFn = Box<dyn FnOnce(&Connection) -> JobOutput + Send>;

/// The per-screen state (what is typed, selected, or open), kept across frames.
#[derive(Default)]
struct Screens {
    signin: signin::SignInScreen,
    grid: grid::GridScreen,
    chief: chief::ChiefScreen,
    supervisor: supervisor::SupervisorScreen,
    coordinator: coordinator::CoordinatorScreen,
    audit: audit_view::AuditScreen,
    charts: charts::ChartsScreen,
    registration: registration_view::RegistrationScreen,
    print: print_view::PrintScreen,
    check: check_view::CheckScreen,
    safety: safety_view::SafetyScreen,
    scores: scores_view::ScoresScreen,
    results_lines: Vec<results_view::ResultLine>,
    status: Option<super::status_dialog::StatusDialog>,
    question: Option<super::confirm::Question>,
}

impl Screens {
    /// The tool screen that draws `screen`, if it is one.
    fn tool(&mut self, screen: Screen) -> Option<&mut dyn ToolScreen> {
        match screen {
            Screen::Registration => Some(&mut self.registration),
            Screen::Printing => Some(&mut self.print),
            Screen::CertCheck => Some(&mut self.check),
            Screen::Safety => Some(&mut self.safety),
            Screen::ScoreImport => Some(&mut self.scores),
            _ => None,
        }
    }
}

/// A screen that keeps its own state and hands its database work to the worker as [`Task`]s.
pub trait ToolScreen {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx);
    /// What the screen's task brought back (or the error it ended with).
    fn finished(&mut self, outcome: Outcome);
    /// Files dropped on the window while this screen is open; returns whether it took them.
    fn dropped(&mut self, _files: &[PathBuf]) -> bool {
        false
    }
}

pub struct JudgeDeskApp {
    conn: Option<Connection>,
    job: Option<JoinHandle<(Option<Connection>, JobOutput)>>,
    deferred: Vec<Action>,
    repaint: Option<egui::Context>,
    db_label: String,
    db_dir: PathBuf,
    /// The database file (`None` for an in-memory database).
    db_path: Option<PathBuf>,
    desk: Desk,
    needs_first_account: bool,
    /// This laptop's signing key has never signed anything in this database nor been
    /// registered in it (its key folder was lost or this is another laptop): said at sign-in.
    new_laptop_key: bool,
    session: Option<Session>,
    screen: Screen,
    last_screen: Option<Screen>,
    selected: usize,
    screens: Screens,
    status: Option<(String, bool)>,
    actions: Vec<Action>,
    tasks: Vec<Task>,
    progress: Progress,
    idle_limit: Duration,
    /// `PRAGMA data_version` when last looked at, and when that was.
    data_version: Option<i64>,
    data_checked: Instant,
    outside_every: Duration,
    /// Counts the snapshots loaded (see [`Cx::version`]).
    desk_version: u64,
}

impl JudgeDeskApp {
    /// Opens the window's state on a database (loads the first snapshot before the first frame).
    pub fn new(conn: Connection, db_label: String) -> JudgeDeskApp {
        let db_dir = PathBuf::from(&db_label)
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default();
        let mut app = JudgeDeskApp {
            conn: None,
            job: None,
            deferred: Vec::new(),
            repaint: None,
            db_label,
            db_dir,
            db_path: ops::backup::db_path(&conn),
            desk: Desk::default(),
            needs_first_account: false,
            new_laptop_key: false,
            session: None,
            screen: Screen::Results,
            last_screen: None,
            selected: 0,
            screens: Screens::default(),
            status: None,
            actions: Vec::new(),
            tasks: Vec::new(),
            progress: Progress::default(),
            idle_limit: IDLE_LIMIT,
            data_version: ops::setup::outside_version(&conn),
            data_checked: Instant::now(),
            outside_every: OUTSIDE_CHANGES_EVERY,
            desk_version: 0,
        };
        match workflow::load_desk(&conn) {
            Ok(desk) => app.desk = desk,
            Err(e) => app.status = Some((e.into_text(), true)),
        }
        app.needs_first_account = ops::admin::needs_first_account(&conn).unwrap_or(false);
        app.new_laptop_key = ops::admin::laptop_key_is_new(&conn).unwrap_or(false);
        app.conn = Some(conn);
        app.rebuild_views();
        app
    }

    /// For tests and the command line's demo: the app already signed in as `name` (no PIN).
    pub fn signed_in(conn: Connection, db_label: String, name: &str) -> JudgeDeskApp {
        let mut app = JudgeDeskApp::new(conn, db_label);
        if let Some(account) = app.desk.accounts.iter().find(|a| a.name == name).cloned() {
            app.start_session(account);
        }
        app
    }

    /// Restores the last screen remembered by eframe.
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>) {
        if let Some(storage) = storage {
            let code: Option<String> = eframe::get_value(storage, STORAGE_SCREEN);
            self.last_screen = code.as_deref().and_then(Screen::from_code);
        }
    }

    pub fn results(&self) -> &Results {
        &self.desk.results
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn status(&self) -> Option<&(String, bool)> {
        self.status.as_ref()
    }

    /// Is slow work running (the database lent to a thread)?
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || !self.deferred.is_empty() || !self.tasks.is_empty()
    }

    /// How far the running batch has come, when it reports.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().and(self.progress.get())
    }

    /// Queues a tool screen's task (tests use this like a click).
    pub fn push_task(&mut self, task: Task) {
        self.tasks.push(task);
    }

    pub fn selected_pool(&self) -> Option<&str> {
        self.current_pool().map(|p| p.info.key.event.as_str())
    }

    pub fn lines(&self) -> &[results_view::ResultLine] {
        &self.screens.results_lines
    }

    pub fn grid(&self) -> &grid::GridScreen {
        &self.screens.grid
    }

    pub fn print_screen(&self) -> &print_view::PrintScreen {
        &self.screens.print
    }

    /// The print centre's state (tests choose what to print through it).
    pub fn print_screen_mut(&mut self) -> &mut print_view::PrintScreen {
        &mut self.screens.print
    }

    pub fn check_screen(&self) -> &check_view::CheckScreen {
        &self.screens.check
    }

    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Tests shorten the idle timeout.
    pub fn set_idle_limit(&mut self, limit: Duration) {
        self.idle_limit = limit;
    }

    /// Tests look for other processes' changes more often.
    pub fn set_outside_changes_every(&mut self, every: Duration) {
        self.outside_every = every;
    }

    fn current_pool(&self) -> Option<&PoolResults> {
        self.desk.results.pools.get(self.selected)
    }

    fn visible_pools(&self) -> Vec<usize> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        self.desk
            .results
            .pools
            .iter()
            .enumerate()
            .filter(|(_, p)| session.sees_pool(p.info.id))
            .map(|(i, _)| i)
            .collect()
    }

    fn start_session(&mut self, account: AccountView) {
        let actor = Actor {
            name: account.name.clone(),
            role: account.role,
            account_id: Some(account.id),
        };
        let screens = Screen::for_role(account.role);
        self.screen = match self.last_screen {
            Some(s) if screens.contains(&s) => s,
            _ => screens[0],
        };
        self.session = Some(Session {
            account,
            actor,
            last_activity: Instant::now(),
        });
        self.screens = Screens::default();
        let visible = self.visible_pools();
        if !visible.contains(&self.selected) {
            self.selected = visible.first().copied().unwrap_or(0);
        }
        self.status = None;
        self.rebuild_views();
    }

    fn sign_out(&mut self, message: Option<String>) {
        self.session = None;
        self.screens = Screens::default();
        self.status = message.map(|m| (m, false));
    }

    /// Rebuilds what the open screen draws from the snapshot (after data or selection change).
    fn rebuild_views(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(pool) = self.desk.results.pools.get(self.selected) else {
            self.screens.results_lines.clear();
            return;
        };
        let flow = self.desk.flow(pool.info.id).cloned().unwrap_or_default();
        match session.role() {
            Role::Judge => {
                self.screens
                    .grid
                    .rebuild(&self.desk.results, pool, &flow, session.account.id)
            }
            Role::Chief => self.screens.chief.rebuild(&self.desk, pool, &flow),
            _ => {}
        }
        let show_names = results_view::names_visible(session.role(), pool.info.state);
        self.screens.results_lines = results_view::lines(&self.desk.results, pool, show_names);
        self.screens.charts.rebuild(&self.desk.results, pool, &flow);
        if session.role() == Role::Coordinator {
            self.screens.coordinator.rebuild(&self.desk, pool);
        }
    }

    // ---- jobs ---------------------------------------------------------------------------

    fn spawn(&mut self, job: JobFn) {
        self.spawn_owning(move |conn| {
            let output = job(&conn);
            (Some(conn), output)
        });
    }

    /// Lends the connection itself to the worker, which hands back a connection (`None` when
    /// the database could not be reopened) with what it brings.
    fn spawn_owning(
        &mut self,
        job: impl FnOnce(Connection) -> (Option<Connection>, JobOutput) + Send + 'static,
    ) {
        let Some(conn) = self.conn.take() else { return };
        let ctx = self.repaint.clone();
        self.job = Some(std::thread::spawn(move || {
            let done = job(conn);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
            done
        }));
    }

    /// A reload on the worker thread.
    fn reload_later(&mut self) {
        self.spawn(Box::new(|conn| JobOutput {
            desk: Some(workflow::load_desk(conn).map_err(OpsError::into_text)),
            ..Default::default()
        }));
    }

    fn poll_job(&mut self) {
        if !self.job.as_ref().is_some_and(|h| h.is_finished()) {
            return;
        }
        let Some(handle) = self.job.take() else {
            return;
        };
        match handle.join() {
            Ok((Some(conn), output)) => {
                self.needs_first_account = ops::admin::needs_first_account(&conn).unwrap_or(false);
                self.conn = Some(conn);
                self.finish_job(output);
            }
            // The database could not be reopened after a restore: nothing more can be done
            // in this window; the message says so.
            Ok((None, output)) => {
                self.deferred.clear();
                self.tasks.clear();
                self.finish_job(output);
            }
            Err(_) => {
                self.status = Some(("后台任务意外中止，请重新启动程序".into(), true));
            }
        }
        for action in std::mem::take(&mut self.deferred) {
            self.apply(action);
        }
    }

    fn finish_job(&mut self, output: JobOutput) {
        if output.signed_out {
            self.sign_out(None);
        }
        if let Some((screen, outcome)) = output.reply
            && let Some(tool) = self.screens.tool(screen)
        {
            tool.finished(outcome);
        }
        // An empty message (a screen refreshing what it shows) leaves the status line alone.
        let message = output
            .message
            .filter(|m| !matches!(m, Ok(m) if m.is_empty()));
        if let Some(message) = message {
            self.status = Some(match message {
                Ok(m) => (m, false),
                Err(m) => (m, true),
            });
        }
        if let Some(desk) = output.desk {
            match desk {
                Ok(desk) => {
                    self.desk = desk;
                    self.desk_version += 1;
                    if let Some(session) = &mut self.session
                        && let Some(account) = self
                            .desk
                            .accounts
                            .iter()
                            .find(|a| a.id == session.account.id)
                    {
                        session.account = account.clone();
                    }
                }
                Err(e) => self.status = Some((e, true)),
            }
            self.rebuild_views();
        }
        if let Some((name, outcome)) = output.signin {
            match outcome {
                Ok(SignIn::Accepted(account)) => {
                    let view = self
                        .desk
                        .accounts
                        .iter()
                        .find(|a| a.id == account.id)
                        .cloned()
                        .unwrap_or(AccountView {
                            id: account.id,
                            name: account.name.clone(),
                            role: account.role,
                            failed_attempts: 0,
                            locked: false,
                            pools: account.pools.clone(),
                        });
                    self.screens.signin.clear();
                    self.start_session(view);
                }
                Ok(other) => {
                    let message = match other {
                        SignIn::WrongPin { failures } => text::wrong_pin(failures),
                        SignIn::Wait(s) => text::wait_seconds(s),
                        SignIn::Locked => text::ACCOUNT_LOCKED.to_string(),
                        SignIn::UnknownAccount => text::UNKNOWN_ACCOUNT.to_string(),
                        SignIn::Accepted(_) => String::new(),
                    };
                    self.screens.signin.failed(&name, message);
                }
                Err(e) => self.screens.signin.failed(&name, e.into_text()),
            }
        }
    }

    /// Starts the next queued task on the worker (when the database is free).
    fn start_task(&mut self) {
        if self.conn.is_none() || self.tasks.is_empty() {
            return;
        }
        let Some(actor) = self.actor() else {
            self.tasks.clear();
            return;
        };
        let task = self.tasks.remove(0);
        let progress = Progress::default();
        self.progress = progress.clone();
        let db = self.db_path.clone();
        let screen = task.screen;
        let run = task.run;
        self.spawn(Box::new(move |conn| {
            let env = TaskEnv {
                conn,
                actor: &actor,
                progress: &progress,
                db: db.as_deref(),
            };
            let outcome = run(&env);
            let (message, reply, reload) = match outcome {
                Ok(done) => (
                    (!done.message.is_empty()).then_some(Ok(done.message)),
                    Ok(done.reply),
                    done.reload,
                ),
                Err(e) => (Some(Err(e.clone())), Err(e), true),
            };
            JobOutput {
                message,
                desk: reload.then(|| workflow::load_desk(conn).map_err(OpsError::into_text)),
                reply: Some((screen, reply)),
                ..Default::default()
            }
        }));
    }

    // ---- actions ------------------------------------------------------------------------

    fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(|s| s.actor.clone())
    }

    /// Opens the status dialog with the choices `ops::status::status_options` offers this person.
    fn open_status(&mut self, contestant: i64, who: String) {
        let (Some(conn), Some(actor)) = (self.conn.as_ref(), self.actor()) else {
            return;
        };
        match ops::status::status_options(conn, &actor, contestant) {
            Ok(options) => {
                self.screens.status = Some(super::status_dialog::StatusDialog::new(
                    contestant, who, options,
                ))
            }
            Err(e) => self.status = Some((e.into_text(), true)),
        }
    }

    /// Runs a quick action on the connection, shows its outcome, then reloads on the worker.
    fn quick(&mut self, run: impl FnOnce(&Connection, &Actor) -> ops::Result<String>) {
        let (Some(conn), Some(actor)) = (self.conn.as_ref(), self.actor()) else {
            return;
        };
        match run(conn, &actor) {
            Ok(message) => self.status = Some((message, false)),
            Err(e) => self.status = Some((e.into_text(), true)),
        }
        self.reload_later();
    }

    /// Runs a slow action on the worker thread, then reloads there too.
    fn slow(
        &mut self,
        run: impl FnOnce(&Connection, &Actor) -> ops::Result<String> + Send + 'static,
    ) {
        let Some(actor) = self.actor() else { return };
        self.spawn(Box::new(move |conn| JobOutput {
            message: Some(run(conn, &actor).map_err(OpsError::into_text)),
            desk: Some(workflow::load_desk(conn).map_err(OpsError::into_text)),
            ..Default::default()
        }));
    }

    fn apply(&mut self, action: Action) {
        let needs_db = !matches!(
            action,
            Action::Open(_) | Action::SelectPool(_) | Action::SignOut | Action::Ask(_)
        );
        if needs_db && self.conn.is_none() {
            self.deferred.push(action);
            return;
        }
        match action {
            Action::SignIn { name, pin } => {
                self.spawn(Box::new(move |conn| JobOutput {
                    signin: Some((name.clone(), ops::accounts::sign_in(conn, &name, &pin))),
                    desk: Some(workflow::load_desk(conn).map_err(OpsError::into_text)),
                    ..Default::default()
                }));
            }
            Action::CreateFirstCoordinator { name, pin } => {
                self.spawn(Box::new(move |conn| {
                    let created = ops::admin::create_first_coordinator(conn, &name, &pin);
                    let signin = match created {
                        Ok(_) => ops::accounts::sign_in(conn, &name, &pin),
                        Err(e) => Err(e),
                    };
                    JobOutput {
                        signin: Some((name.clone(), signin)),
                        desk: Some(workflow::load_desk(conn).map_err(OpsError::into_text)),
                        ..Default::default()
                    }
                }));
            }
            Action::SignOut => self.sign_out(None),
            Action::Open(screen) => {
                let allowed = self
                    .session
                    .as_ref()
                    .is_some_and(|s| Screen::for_role(s.role()).contains(&screen));
                if allowed {
                    if screen == Screen::Audit {
                        self.screens.audit.refresh();
                    }
                    self.screen = screen;
                    self.last_screen = Some(screen);
                    self.rebuild_views();
                }
            }
            Action::SelectPool(index) => {
                if self.visible_pools().contains(&index) {
                    self.selected = index;
                    self.screens.grid.reset_cursor();
                    self.rebuild_views();
                }
            }
            Action::Reload => self.reload_later(),
            Action::SaveScore {
                pool,
                contestant,
                workstation,
                criterion,
                value,
            } => self.save_score(pool, contestant, workstation, criterion, value),
            Action::Submit { pool, contestants } => self.quick(move |conn, actor| {
                let n = workflow::submit(conn, actor, &pool, &contestants)?;
                Ok(format!("已提交 {n} 名选手的评分"))
            }),
            Action::Reopen {
                pool,
                judge,
                contestant,
                reason,
            } => self.quick(move |conn, actor| {
                let n = workflow::reopen(conn, actor, &pool, judge, contestant, &reason)?;
                Ok(format!("已退回 {n} 名选手的评分"))
            }),
            Action::AcceptFlag {
                pool,
                contestant,
                criterion,
                note,
            } => self.quick(move |conn, actor| {
                workflow::accept_flag(conn, actor, &pool, contestant, &criterion, &note)?;
                Ok(format!("已接受 {criterion} 的评分差异"))
            }),
            Action::Rescore {
                pool,
                contestant,
                criterion,
                judge,
                reason,
            } => self.quick(move |conn, actor| {
                workflow::request_rescore(
                    conn, actor, &pool, contestant, &criterion, judge, &reason,
                )?;
                Ok(format!("已要求重评 {criterion}"))
            }),
            Action::Lock(pool) => self.quick(move |conn, actor| {
                workflow::lock(conn, actor, &pool)?;
                let head = workflow::lock_head_of(conn, &pool)?
                    .map(|head| text::locked_at_link(head.link))
                    .unwrap_or_default();
                Ok(format!(
                    "{pool} 已锁定{head}{}",
                    milestone_backup(conn, ops::backup::Reason::Lock)
                ))
            }),
            Action::Unlock {
                pool,
                supervisor,
                pin,
                reason,
            } => self.slow(move |conn, actor| {
                workflow::unlock(conn, actor, &pool, &supervisor, &pin, &reason)?;
                Ok(format!("{pool} 已解锁"))
            }),
            Action::Decrypt(pool) => self.quick(move |conn, actor| {
                workflow::confirm_and_decrypt(conn, actor, &pool)?;
                Ok(format!("{pool} 已确认并解密"))
            }),
            Action::Publish(pool) => self.quick(move |conn, actor| {
                workflow::publish(conn, actor, &pool)?;
                Ok(format!(
                    "{pool} 已公示{}",
                    milestone_backup(conn, ops::backup::Reason::Publication)
                ))
            }),
            Action::Finalize(pool) => self.quick(move |conn, actor| {
                workflow::finalize(conn, actor, &pool)?;
                Ok(format!("{pool} 已定稿"))
            }),
            Action::RecordAppeal {
                pool,
                leader,
                unit,
                received_at,
                content,
            } => self.quick(move |conn, actor| {
                let id = workflow::record_appeal(
                    conn,
                    actor,
                    &pool,
                    &leader,
                    &unit,
                    &received_at,
                    &content,
                )?;
                Ok(format!("已登记申诉 #{id}"))
            }),
            Action::AppealChange { appeal, change } => self.quick(move |conn, actor| {
                workflow::apply_appeal_change(conn, actor, appeal, &change)?;
                Ok(format!("申诉 #{appeal} 的改分已记录，名次已重新计算"))
            }),
            Action::DecideAppeal { appeal, outcome } => self.quick(move |conn, actor| {
                workflow::decide_appeal(conn, actor, appeal, &outcome)?;
                Ok(format!("申诉 #{appeal} 已处理"))
            }),
            Action::Ask(question) => self.screens.question = Some(*question),
            Action::OpenStatus { contestant, who } => self.open_status(contestant, who),
            Action::SetStatus {
                contestant,
                status,
                reason,
            } => self.quick(move |conn, actor| {
                ops::status::set_status_of(conn, actor, contestant, status, Some(&reason))?;
                Ok(text::status_changed(status.label()))
            }),
            Action::CheckIn { contestant, status } => self.quick(move |conn, actor| {
                ops::draw::check_in(conn, actor, contestant, status)?;
                Ok(format!("检录：{}", status.label()))
            }),
            Action::Draw(pool) => self.slow(move |conn, actor| {
                let seed = ops::draw::fresh_seed();
                let n = ops::draw::run_draw(conn, actor, &pool, &seed)?;
                Ok(format!("{pool} 抽签完成：{n} 人"))
            }),
            Action::VerifyDraw(pool) => self.quick(move |conn, _| {
                Ok(match ops::draw::verify_draw(conn, &pool)? {
                    Some(true) => text::DRAW_VERIFIED.to_string(),
                    Some(false) => text::DRAW_MISMATCH.to_string(),
                    None => text::DRAW_NO_SEED.to_string(),
                })
            }),
            Action::WriteSheets(pool) => {
                let dir = self.db_dir.join("对照表");
                self.slow(move |conn, actor| {
                    ops::draw::write_mapping_sheets(conn, actor, &pool, &dir)?;
                    Ok(text::sheets_written(&dir.display().to_string()))
                })
            }
            Action::RevealId(contestant) => {
                let (Some(conn), Some(actor)) = (self.conn.as_ref(), self.actor()) else {
                    return;
                };
                match ops::admin::reveal_id_number(conn, &actor, contestant) {
                    Ok(number) => self.screens.coordinator.revealed(contestant, number),
                    Err(e) => self.status = Some((e.into_text(), true)),
                }
            }
            Action::EditContestant { contestant, edit } => self.quick(move |conn, actor| {
                ops::admin::edit_contestant(conn, actor, contestant, &edit)?;
                Ok(format!("已修改 {}", edit.name))
            }),
            Action::RenameUnit { unit, name } => self.quick(move |conn, actor| {
                ops::admin::rename_unit(conn, actor, unit, &name)?;
                Ok(format!("单位已改名为 {name}"))
            }),
            Action::AddUser {
                name,
                role,
                pin,
                pools,
            } => self.slow(move |conn, actor| {
                ops::accounts::add_user(conn, actor, &name, role, &pin, &pools)?;
                Ok(format!("已新建账号 {name}"))
            }),
            Action::SetPools { name, pools } => self.quick(move |conn, actor| {
                ops::admin::set_account_pools(conn, actor, &name, &pools)?;
                Ok(format!("已更新 {name} 的赛项组别"))
            }),
            Action::ResetAccount { name, pin } => self.slow(move |conn, actor| {
                ops::accounts::reset_account(conn, actor, &name, pin.as_deref())?;
                Ok(format!("账号 {name} 已解锁"))
            }),
            Action::SaveSettings {
                pool,
                venue,
                settings,
            } => self.quick(move |conn, actor| {
                ops::admin::update_pool_settings(conn, actor, &pool, venue, &settings)?;
                Ok(format!("{pool} 设置已保存"))
            }),
            Action::Restore(file) => self.restore_backup(file),
            Action::SaveScheme { pool, criteria } => self.quick(move |conn, actor| {
                ops::scoring::replace_scheme(conn, actor, &pool, &criteria)?;
                Ok(text::scheme_saved(&pool.to_string(), criteria.len()))
            }),
            Action::LoadAudit(filter) => {
                let Some(conn) = self.conn.as_ref() else {
                    return;
                };
                let rows = workflow::audit_log(conn, &filter);
                let actors = workflow::audit_actors(conn).unwrap_or_default();
                match rows {
                    Ok(rows) => self.screens.audit.loaded(filter, rows, actors),
                    Err(e) => self.status = Some((e.into_text(), true)),
                }
            }
        }
    }

    /// Closes the database, replaces it by the backup `file` (which `ops::backup::restore`
    /// verifies first, keeping the current file aside), reopens it and signs out: the accounts
    /// are those of the backup now.
    fn restore_backup(&mut self, file: PathBuf) {
        let (Some(db), Some(actor)) = (self.db_path.clone(), self.actor()) else {
            self.status = Some((text::RESTORE_NEEDS_FILE.to_string(), true));
            return;
        };
        self.spawn_owning(move |conn| {
            drop(conn);
            let restored = ops::backup::restore(&db, &file, &actor);
            let reopened = ops::setup::open_or_create(&db);
            let message = match (&restored, &reopened) {
                (Ok(r), Ok(_)) => Ok(text::restored(
                    &file.display().to_string(),
                    r.aside.as_ref().map(|p| p.display().to_string()).as_deref(),
                )),
                (Err(e), Ok(_)) => Err(e.to_string()),
                (_, Err(e)) => Err(format!("{}{e}", text::REOPEN_FAILED)),
            };
            let desk = reopened
                .as_ref()
                .ok()
                .map(|conn| workflow::load_desk(conn).map_err(OpsError::into_text));
            (
                reopened.ok(),
                JobOutput {
                    message: Some(message),
                    desk,
                    signed_out: restored.is_ok(),
                    ..Default::default()
                },
            )
        });
    }

    /// Saves one value at once (committed before the grid shows it saved) and updates the
    /// cached results of that pool only: no reload.
    fn save_score(
        &mut self,
        pool: PoolKey,
        contestant: i64,
        workstation: u32,
        criterion: String,
        value: Hundredths,
    ) {
        let (Some(conn), Some(session)) = (self.conn.as_ref(), self.session.as_ref()) else {
            return;
        };
        let input = ops::scoring::ScoreInput {
            pool,
            judge: session.account.name.clone(),
            contestant: ops::scoring::ContestantRef::Workstation(workstation),
            criterion: criterion.clone(),
            value,
        };
        // A failure to read this laptop's identity is a failed save, shown like any other.
        let saved = ops::setup::device_label(conn)
            .and_then(|device| ops::scoring::enter_score(conn, &session.actor, &device, &input));
        match saved {
            Ok(receipt) => {
                self.desk.results.apply_score(
                    receipt.pool_id,
                    receipt.contestant_id,
                    &receipt.criterion,
                    receipt.judge_id,
                    Some(receipt.value),
                );
                self.screens.grid.saved(contestant, &criterion, value);
                let name = self.screens.grid.criterion_name(&criterion);
                let saved = text::saved_value(workstation, &name, &value.to_short());
                // Every 10 minutes while scores change, a verified backup beside the database.
                self.status = match ops::backup::automatic_if_due(conn) {
                    Ok(_) => Some((saved, false)),
                    Err(e) => Some((
                        format!("{saved}；{}{}", text::BACKUP_FAILED, e.into_text()),
                        true,
                    )),
                };
            }
            Err(e) => {
                let message = e.into_text();
                self.screens
                    .grid
                    .failed(contestant, &criterion, message.clone());
                self.status = Some((message, true));
            }
        }
    }

    // ---- drawing ------------------------------------------------------------------------

    /// Reloads when another process (a command-line import, `score set`) wrote to the file.
    /// One cheap PRAGMA every two seconds, never while the database is lent to the worker.
    fn notice_outside_changes(&mut self, ui: &egui::Ui) {
        if self.session.is_none() || self.data_checked.elapsed() < self.outside_every {
            return;
        }
        let Some(conn) = self.conn.as_ref() else {
            return;
        };
        self.data_checked = Instant::now();
        let now = ops::setup::outside_version(conn);
        if now.is_some() && self.data_version.is_some() && now != self.data_version {
            self.reload_later();
        }
        self.data_version = now.or(self.data_version);
        ui.ctx().request_repaint_after(self.outside_every);
    }

    fn track_idle(&mut self, ui: &egui::Ui) {
        let active =
            ui.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down());
        let limit = self.idle_limit;
        let Some(session) = &mut self.session else {
            return;
        };
        if active {
            session.last_activity = Instant::now();
        }
        let idle = session.last_activity.elapsed();
        if idle >= limit {
            self.sign_out(Some(text::IDLE_SIGNED_OUT.to_string()));
        } else {
            ui.ctx()
                .request_repaint_after((limit - idle).min(Duration::from_secs(5)));
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                // Signed in, the bar holds the screens (the window's title names the app).
                if self.session.is_none() {
                    ui.strong(text::WINDOW_TITLE);
                }
                if let Some(session) = &self.session {
                    for &screen in Screen::for_role(session.role()) {
                        if ui
                            .selectable_label(self.screen == screen, screen.label())
                            .clicked()
                        {
                            self.actions.push(Action::Open(screen));
                        }
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(session) = &self.session {
                        if ui.button(text::SIGN_OUT).clicked() {
                            self.actions.push(Action::SignOut);
                        }
                        ui.label(text::signed_in_as(
                            &session.account.name,
                            session.role().label(),
                        ));
                        if ui.button(text::RELOAD).clicked() {
                            self.actions.push(Action::Reload);
                        }
                    }
                    if self.is_busy() {
                        ui.spinner();
                        ui.weak(text::WORKING);
                    }
                });
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((message, is_error)) = &self.status {
                    let color = if *is_error {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.colored_label(color, message);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak(format!("{} {}", text::DATABASE, self.db_label));
                    if let Some((done, total)) = self.progress() {
                        ui.add(
                            egui::ProgressBar::new(done as f32 / total as f32)
                                .desired_width(220.0)
                                .text(text::progress(done, total)),
                        );
                    }
                });
            });
        });
    }

    fn pools_ui(&mut self, ui: &mut egui::Ui) {
        let visible = self.visible_pools();
        egui::Panel::left("pools")
            .resizable(false)
            .exact_size(250.0)
            .show(ui, |ui| {
                ui.heading(text::POOLS);
                ui.add_space(4.0);
                if visible.is_empty() {
                    ui.label(text::NO_POOLS);
                }
                for index in visible {
                    let Some(pool) = self.desk.results.pools.get(index) else {
                        continue;
                    };
                    let mark = if pool.outcome.complete { "●" } else { "○" };
                    let label = format!("{mark} {}", pool.info.title());
                    let response = ui.selectable_label(index == self.selected, label);
                    if response.clicked() {
                        self.actions.push(Action::SelectPool(index));
                    }
                    ui.weak(format!("    {}", pool.info.state.label()));
                }
            });
    }

    /// Draws the whole window into `ui`, then applies what the person asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.repaint.is_none() {
            self.repaint = Some(ui.ctx().clone());
            venue_style(ui.ctx());
        }
        self.poll_job();
        self.notice_outside_changes(ui);
        self.track_idle(ui);
        self.top_bar_ui(ui);
        self.status_bar_ui(ui);
        let busy = self.is_busy();
        if self.session.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                if self.new_laptop_key {
                    ui.colored_label(ui.visuals().warn_fg_color, text::NEW_LAPTOP_KEY);
                }
                if self.needs_first_account {
                    self.screens
                        .signin
                        .first_run_ui(ui, busy, &mut self.actions);
                } else {
                    self.screens
                        .signin
                        .ui(ui, &self.desk.accounts, busy, &mut self.actions);
                }
            });
        } else {
            self.take_dropped_files(ui);
            self.pools_ui(ui);
            egui::CentralPanel::default().show(ui, |ui| self.screen_ui(ui, busy));
        }
        for action in std::mem::take(&mut self.actions) {
            self.apply(action);
        }
        self.start_task();
        if self.job.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(30));
        }
    }

    /// Registration forms dropped on the window go to the coordinator's import screen.
    fn take_dropped_files(&mut self, ui: &egui::Ui) {
        let files: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if files.is_empty() {
            return;
        }
        // The open screen takes them if it reads files; else the coordinator's forms import.
        if let Some(tool) = self.screens.tool(self.screen)
            && tool.dropped(&files)
        {
            return;
        }
        if self.session.as_ref().map(Session::role) == Some(Role::Coordinator) {
            self.screen = Screen::Registration;
            self.last_screen = Some(Screen::Registration);
            self.screens.registration.dropped(&files);
        }
    }

    fn screen_ui(&mut self, ui: &mut egui::Ui, busy: bool) {
        let Some(session) = &self.session else { return };
        let pool = self
            .desk
            .results
            .pools
            .get(self.selected)
            .filter(|p| session.sees_pool(p.info.id));
        let screens = &mut self.screens;
        let actions = &mut self.actions;
        let desk = &self.desk;
        if let Some(tool) = screens.tool(self.screen) {
            let mut cx = Cx {
                desk,
                pool,
                role: session.role(),
                db: self.db_path.as_deref(),
                busy,
                version: self.desk_version,
                tasks: &mut self.tasks,
                actions,
            };
            tool.ui(ui, &mut cx);
            return;
        }
        match self.screen {
            Screen::Audit => return screens.audit.ui(ui, desk, session.role(), busy, actions),
            Screen::Accounts => return screens.coordinator.accounts_ui(ui, desk, busy, actions),
            Screen::People => return screens.coordinator.people_ui(ui, desk, busy, actions),
            _ => {}
        }
        let Some(pool) = pool else {
            ui.label(text::CHOOSE_POOL);
            return;
        };
        let flow = desk.flow(pool.info.id);
        let empty = workflow::PoolWorkflow::default();
        let flow = flow.unwrap_or(&empty);
        match self.screen {
            Screen::Grid => screens.grid.ui(ui, pool, busy, actions),
            Screen::Progress => screens
                .chief
                .progress_ui(ui, desk, pool, flow, busy, actions),
            Screen::Flags => screens.chief.flags_ui(ui, pool, busy, actions),
            Screen::Oversight => screens.supervisor.ui(ui, desk, pool, flow, busy, actions),
            Screen::CheckIn => screens.coordinator.checkin_ui(ui, pool, busy, actions),
            Screen::Settings => screens
                .coordinator
                .settings_ui(ui, desk, pool, busy, actions),
            Screen::Results => {
                let show_names = results_view::names_visible(session.role(), pool.info.state);
                results_view::pool_results_ui(ui, pool, flow, &screens.results_lines, show_names)
            }
            Screen::Charts => screens.charts.ui(ui, pool),
            Screen::Audit
            | Screen::Accounts
            | Screen::People
            | Screen::Registration
            | Screen::Printing
            | Screen::CertCheck
            | Screen::Safety
            | Screen::ScoreImport => {}
        }
        if let Some(dialog) = &mut screens.status
            && !dialog.ui(ui.ctx(), busy, actions)
        {
            screens.status = None;
        }
        if let Some(question) = &screens.question
            && !question.ui(ui.ctx(), actions)
        {
            screens.question = None;
        }
    }
}

/// Larger text than egui's default, for a 1366×768 laptop read at arm's length.
pub fn venue_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
        ]
        .into();
    });
}

impl eframe::App for JudgeDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        JudgeDeskApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let code = self.last_screen.unwrap_or(self.screen).code();
        eframe::set_value(storage, STORAGE_SCREEN, &code);
    }
}

/// The note a milestone adds about its automatic backup: empty when taken (or not applicable),
/// the reason when it failed, so the person can make one by hand.
fn milestone_backup(conn: &rusqlite::Connection, reason: ops::backup::Reason) -> String {
    match ops::backup::at_milestone(conn, reason) {
        Ok(_) => String::new(),
        Err(e) => format!("；{}{}", text::BACKUP_FAILED, e.into_text()),
    }
}
