//! Work a screen hands to the worker thread, and what it brings back.
//!
//! The tool screens (registration import, print centre, certificate check, backups and USB
//! merge) keep their own state and do not add variants to `Action`: they push a
//! [`Task`](super::view::Task)
//! that runs on the worker thread with the connection and the signed-in person, may report
//! progress (shown as a bar in the status line), and returns a message for the status line
//! and a reply for the screen that asked.

use crate::ops::Actor;
use rusqlite::Connection;
use std::any::Any;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a finished task hands back to its screen.
pub type Reply = Box<dyn Any + Send>;

/// How far a batch has come: `done` of `total` (both 0 until the task reports).
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<(AtomicUsize, AtomicUsize)>);

impl Progress {
    pub fn set(&self, done: usize, total: usize) {
        self.0.1.store(total, Ordering::Relaxed);
        self.0.0.store(done, Ordering::Relaxed);
    }

    /// `Some((done, total))` once the task has reported a total.
    pub fn get(&self) -> Option<(usize, usize)> {
        let total = self.0.1.load(Ordering::Relaxed);
        (total > 0).then(|| (self.0.0.load(Ordering::Relaxed).min(total), total))
    }
}

/// A finished task: the status line's message, the reply for its screen, and whether the
/// window's data must be reloaded (the task changed the database).
pub struct Done {
    pub message: String,
    pub reply: Option<Reply>,
    pub reload: bool,
}

impl Done {
    /// A message only; nothing changed.
    pub fn said(message: impl Into<String>) -> Done {
        Done {
            message: message.into(),
            reply: None,
            reload: false,
        }
    }

    /// A message and a reply; nothing changed.
    pub fn with(message: impl Into<String>, reply: impl Any + Send) -> Done {
        Done {
            message: message.into(),
            reply: Some(Box::new(reply)),
            reload: false,
        }
    }

    /// The task changed the database: reload after it.
    pub fn changed(mut self) -> Done {
        self.reload = true;
        self
    }
}

/// What a task's closure gets: the connection (on the worker thread), the person, a progress
/// handle and the database file (`None` for an in-memory database).
pub struct TaskEnv<'a> {
    pub conn: &'a Connection,
    pub actor: &'a Actor,
    pub progress: &'a Progress,
    pub db: Option<&'a Path>,
}

/// What a finished task brought back to the screen that asked: its reply, or the error text.
pub type Outcome = Result<Option<Reply>, String>;

/// Takes the reply out as `T` (when the task sent one of that type).
pub fn reply_as<T: 'static>(outcome: Outcome) -> Result<Option<T>, String> {
    outcome.map(|reply| reply.and_then(|r| r.downcast::<T>().ok().map(|b| *b)))
}

/// Opens a file in the system's viewer (the PDF viewer for a PDF, the spreadsheet for an
/// xlsx). Returns the error text when the system has no way to open it.
pub fn open_in_system_viewer(path: &Path) -> Result<(), String> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]).arg(path);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| super::text::cannot_open(&path.display().to_string(), &e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reports_nothing_until_a_total_is_set_and_never_more_than_it() {
        let p = Progress::default();
        assert_eq!(p.get(), None);
        p.set(3, 10);
        assert_eq!(p.get(), Some((3, 10)));
        p.set(12, 10);
        assert_eq!(p.get(), Some((10, 10)));
    }

    #[test]
    fn reply_as_takes_out_the_right_type_only() {
        let outcome: Outcome = Ok(Some(Box::new(7u32)));
        assert_eq!(reply_as::<u32>(outcome), Ok(Some(7)));
        let outcome: Outcome = Ok(Some(Box::new(7u32)));
        assert_eq!(reply_as::<String>(outcome), Ok(None));
        let outcome: Outcome = Err("坏了".into());
        assert_eq!(reply_as::<u32>(outcome), Err("坏了".into()));
    }
}
