//! One shape for every screen, as egui's demo app and the rerun viewer build theirs: a screen
//! keeps its own state and draws itself with [`View::ui`] from a [`Cx`] that carries the
//! signed-in person, the snapshot and the selected pool, and takes what the person asked for
//! (an [`Action`] for the window, a [`Task`] for the worker thread).

use super::action::{Action, Screen};
use super::task::{self, Done, Ended, Inbox, TaskEnv};
use super::text;
use crate::core::model::Role;
use crate::ops::Actor;
use crate::ops::results::PoolResults;
use crate::ops::workflow::{AccountView, Desk, PoolWorkflow, works_in_pool};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A screen of the window.
pub trait View {
    /// Draws the screen into `ui`; what the person asks for goes into `cx`.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx);
    /// Files dropped on the window while this screen is open; returns whether it took them.
    fn dropped(&mut self, _files: &[PathBuf]) -> bool {
        false
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
    pub fn new(account: AccountView) -> Session {
        let actor = Actor {
            name: account.name.clone(),
            role: account.role,
            account_id: Some(account.id),
        };
        Session {
            account,
            actor,
            last_activity: Instant::now(),
        }
    }

    pub fn role(&self) -> Role {
        self.account.role
    }

    /// Judges and chief judges see their assigned pools; the others see every pool.
    pub fn sees_pool(&self, pool_id: i64) -> bool {
        works_in_pool(self.account.role, &self.account.pools, pool_id)
    }

    /// The person did something just now.
    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    /// How long since the person last did something.
    pub fn idle(&self) -> Duration {
        self.last_activity.elapsed()
    }
}

pub type TaskFn = Box<dyn FnOnce(&TaskEnv) -> Ended + Send>;

/// A piece of work for the worker thread; its reply goes to the inbox it was made with.
pub struct Task {
    pub run: TaskFn,
}

impl Task {
    pub fn new<R: Send + 'static>(
        inbox: &Inbox<R>,
        run: impl FnOnce(&TaskEnv) -> Result<Done<R>, String> + Send + 'static,
    ) -> Task {
        let sender = inbox.sender();
        Task {
            run: Box::new(move |env| task::finish(&sender, run(env))),
        }
    }
}

/// What a screen draws from, and where it puts what the person asked for.
pub struct Cx<'a> {
    pub desk: &'a Desk,
    pub session: &'a Session,
    /// The screen being drawn (one state may draw two screens: the chief judge's).
    pub screen: Screen,
    /// The pool selected on the left (already limited to what the person may see).
    pub pool: Option<&'a PoolResults>,
    /// The selected pool's workflow (judges, resolutions, appeals), when it has one.
    pub flow: Option<&'a PoolWorkflow>,
    /// The database file (`None` for an in-memory database).
    pub db: Option<&'a Path>,
    /// Slow work is running: buttons that need the database are disabled.
    pub busy: bool,
    /// Goes up every time the window's data is reloaded: what a screen built from the
    /// database is stale when this has changed.
    pub version: u64,
    pub tasks: &'a mut Vec<Task>,
    pub actions: &'a mut Vec<Action>,
}

impl<'a> Cx<'a> {
    pub fn role(&self) -> Role {
        self.session.role()
    }

    /// The selected pool, or a line asking to choose one.
    pub fn pool_or_hint(&self, ui: &mut egui::Ui) -> Option<&'a PoolResults> {
        if self.pool.is_none() {
            ui.label(text::CHOOSE_POOL);
        }
        self.pool
    }

    /// The folder holding the database file (`None` for an in-memory database).
    pub fn db_dir(&self) -> Option<&Path> {
        self.db.and_then(Path::parent)
    }

    /// A folder beside the database where a screen saves what it writes (relative to the
    /// working folder for an in-memory database).
    pub fn beside_db(&self, folder: &str) -> PathBuf {
        self.db_dir().unwrap_or(Path::new("")).join(folder)
    }

    /// Queues `run` for the worker thread; its reply goes to `inbox`.
    pub fn run<R: Send + 'static>(
        &mut self,
        inbox: &Inbox<R>,
        run: impl FnOnce(&TaskEnv) -> Result<Done<R>, String> + Send + 'static,
    ) {
        self.tasks.push(Task::new(inbox, run));
    }
}
