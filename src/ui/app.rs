//! The application state: the open database, the signed-in person, a snapshot of the data
//! (`ops::workflow::Desk`) reloaded only when data changes, the screen and pool open, and
//! the actions screens push. Each frame draws the frame around the screen (`chrome`), the open
//! screen through its [`View`], then applies the actions (`apply`). Every database call runs on
//! the worker thread, which borrows the connection (`jobs`); actions that need the database wait
//! until it is back.

mod apply;
mod chrome;
mod jobs;

pub use chrome::venue_style;

use crate::ops::OpsError;
use crate::ops::accounts::SignIn;
use apply::{JobOutput, Reply};

pub use super::action::{Action, Screen};
use super::task::Progress;
pub use super::view::{Cx, Session, Task, View};
use super::{
    accounts_view, audit_view, charts, check_view, checkin_view, chief, grid, people_view,
    print_view, registration_view, results_view, safety_view, scores_view, settings_view, signin,
    supervisor, text,
};
use crate::core::model::Role;
use crate::ops::results::{PoolResults, Results};
use crate::ops::workflow::{self, AccountView, Desk};
use crate::ops::{self, Actor, Connection};
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Signed-in people are signed out after this long without input.
pub const IDLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How often the window looks for changes another process wrote to the file.
const OUTSIDE_CHANGES_EVERY: Duration = Duration::from_secs(2);
const STORAGE_SCREEN: &str = "judgedesk.last_screen";

/// A change an action asks for, run on the worker thread: its message for the status line.
type Change = Box<dyn FnOnce(&Connection, &Actor) -> ops::Result<String> + Send>;

/// The status line at the foot of the window: what the last action or job said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusLine {
    pub message: String,
    /// A refusal or a fault, drawn in the error colour.
    pub is_error: bool,
}

impl StatusLine {
    pub fn info(message: impl Into<String>) -> StatusLine {
        StatusLine {
            message: message.into(),
            is_error: false,
        }
    }

    pub fn error(message: impl Into<String>) -> StatusLine {
        StatusLine {
            message: message.into(),
            is_error: true,
        }
    }
}

impl JobOutput {
    /// `reply`, with the snapshot reloaded on the worker.
    pub fn reloaded(conn: &Connection, reply: Reply) -> JobOutput {
        JobOutput {
            reply,
            desk: Some(workflow::load_desk(conn).map_err(OpsError::into_text)),
        }
    }
}

/// The per-screen state (what is typed, selected, or open), kept across frames.
#[derive(Default)]
struct Screens {
    signin: signin::SignInScreen,
    grid: grid::GridScreen,
    chief: chief::ChiefScreen,
    supervisor: supervisor::SupervisorScreen,
    checkin: checkin_view::CheckInScreen,
    people: people_view::PeopleScreen,
    accounts: accounts_view::AccountsScreen,
    settings: settings_view::SettingsScreen,
    audit: audit_view::AuditScreen,
    results: results_view::ResultsScreen,
    charts: charts::ChartsScreen,
    registration: registration_view::RegistrationScreen,
    print: print_view::PrintScreen,
    check: check_view::CheckScreen,
    safety: safety_view::SafetyScreen,
    scores: scores_view::ScoresScreen,
    status: Option<super::status_dialog::StatusDialog>,
    question: Option<super::action::Question>,
}

impl Screens {
    /// The state that draws `screen`.
    fn view(&mut self, screen: Screen) -> &mut dyn View {
        match screen {
            Screen::Grid => &mut self.grid,
            Screen::Progress | Screen::Flags => &mut self.chief,
            Screen::Oversight => &mut self.supervisor,
            Screen::CheckIn => &mut self.checkin,
            Screen::People => &mut self.people,
            Screen::Accounts => &mut self.accounts,
            Screen::Settings => &mut self.settings,
            Screen::Results => &mut self.results,
            Screen::Charts => &mut self.charts,
            Screen::Audit => &mut self.audit,
            Screen::Registration => &mut self.registration,
            Screen::Printing => &mut self.print,
            Screen::CertCheck => &mut self.check,
            Screen::Safety => &mut self.safety,
            Screen::ScoreImport => &mut self.scores,
        }
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
    status: Option<StatusLine>,
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
            Err(e) => app.status = Some(StatusLine::error(e.into_text())),
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

    pub fn status(&self) -> Option<&StatusLine> {
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
        self.screens.results.lines()
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
        let screens = Screen::for_role(account.role);
        self.screen = match self.last_screen {
            Some(s) if screens.contains(&s) => s,
            _ => screens[0],
        };
        self.session = Some(Session::new(account));
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
        self.status = message.map(StatusLine::info);
    }

    /// Rebuilds what the open screen draws from the snapshot (after data or selection change).
    fn rebuild_views(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(pool) = self.desk.results.pools.get(self.selected) else {
            self.screens.results.clear();
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
        self.screens
            .results
            .rebuild(&self.desk.results, pool, session.role());
        self.screens.charts.rebuild(&self.desk.results, pool, &flow);
        if session.role() == Role::Coordinator {
            self.screens.checkin.rebuild(&self.desk, pool);
            self.screens.people.rebuild(&self.desk);
            self.screens.settings.rebuild(pool);
        }
    }

    // ---- lending the connection to the worker (see `jobs`) --------------------------------

    /// Lends the connection to the worker thread for `job`; it comes back with the reply.
    pub(super) fn spawn(&mut self, job: impl FnOnce(&Connection) -> JobOutput + Send + 'static) {
        self.spawn_owning(move |conn| {
            let output = job(&conn);
            (Some(conn), output)
        });
    }

    /// Lends the connection itself to the worker, which hands back a connection (`None` when
    /// the database could not be reopened) with what it brings.
    pub(super) fn spawn_owning(
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

    /// Runs a change on the worker thread: its message (or refusal) goes to the status line,
    /// then the snapshot is reloaded there too.
    fn write(
        &mut self,
        run: impl FnOnce(&Connection, &Actor) -> ops::Result<String> + Send + 'static,
    ) {
        let Some(actor) = self.actor() else { return };
        self.spawn(move |conn| {
            let said = run(conn, &actor).map_err(OpsError::into_text);
            JobOutput::reloaded(conn, Reply::Said(said))
        });
    }

    /// Runs a request that changes nothing the window shows on the worker thread.
    pub(super) fn read(&mut self, run: impl FnOnce(&Connection, &Actor) -> Reply + Send + 'static) {
        let Some(actor) = self.actor() else { return };
        self.spawn(move |conn| JobOutput {
            reply: run(conn, &actor),
            desk: None,
        });
    }

    /// Tries a PIN (after `first` made the account, on first start) on the worker thread.
    pub(super) fn sign_in(
        &mut self,
        name: String,
        first: impl FnOnce(&Connection, &str) -> ops::Result<SignIn> + Send + 'static,
    ) {
        self.spawn(move |conn| {
            let outcome = first(conn, &name);
            JobOutput::reloaded(conn, Reply::SignIn { name, outcome })
        });
    }

    fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(|s| s.actor.clone())
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
            session.touch();
        }
        let idle = session.idle();
        if idle >= limit {
            self.sign_out(Some(text::IDLE_SIGNED_OUT.to_string()));
        } else {
            ui.ctx()
                .request_repaint_after((limit - idle).min(Duration::from_secs(5)));
        }
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
        if self.screens.view(self.screen).dropped(&files) {
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
        let mut cx = Cx {
            desk: &self.desk,
            session,
            screen: self.screen,
            pool,
            flow: pool.and_then(|p| self.desk.flow(p.info.id)),
            db: self.db_path.as_deref(),
            busy,
            version: self.desk_version,
            tasks: &mut self.tasks,
            actions: &mut self.actions,
        };
        let screens = &mut self.screens;
        screens.view(self.screen).ui(ui, &mut cx);
        if let Some(dialog) = &mut screens.status
            && !dialog.ui(ui.ctx(), busy, cx.actions)
        {
            screens.status = None;
        }
        if let Some(question) = &screens.question
            && !question.ui(ui.ctx(), cx.actions)
        {
            screens.question = None;
        }
    }
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
