//! Work a screen hands to the worker thread, and what it brings back.
//!
//! The tool screens (registration import, print centre, certificate check, backups and USB
//! merge) keep their own state and do not add variants to `Action`: they push a
//! [`Task`](super::view::Task) that runs on the worker thread with the connection and the
//! signed-in person, may report progress (shown as a bar in the status line), and returns a
//! message for the status line and a reply of the screen's own type, delivered to the
//! screen's [`Inbox`] (the window's own requests have their typed `Reply` in `app::apply`).

use crate::ops::{Actor, Connection};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

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
pub struct Done<R> {
    pub message: String,
    pub reply: Option<R>,
    pub reload: bool,
}

impl<R> Done<R> {
    /// A message only; nothing changed.
    pub fn said(message: impl Into<String>) -> Done<R> {
        Done {
            message: message.into(),
            reply: None,
            reload: false,
        }
    }

    /// A message and a reply; nothing changed.
    pub fn with(message: impl Into<String>, reply: R) -> Done<R> {
        Done {
            message: message.into(),
            reply: Some(reply),
            reload: false,
        }
    }

    /// The task changed the database: reload after it.
    pub fn changed(mut self) -> Done<R> {
        self.reload = true;
        self
    }
}

/// What a finished task brought back to the screen that asked: its reply, or the error text.
pub type Outcome<R> = Result<Option<R>, String>;

/// Where a screen's tasks deliver what they bring back, typed by the screen's own reply: a task
/// can only be started with the inbox of the reply type it returns, so a reply of another type
/// cannot reach a screen. The screen takes its replies when it is drawn.
pub struct Inbox<R> {
    sender: Sender<Outcome<R>>,
    receiver: Receiver<Outcome<R>>,
}

impl<R> Default for Inbox<R> {
    fn default() -> Inbox<R> {
        let (sender, receiver) = channel();
        Inbox { sender, receiver }
    }
}

impl<R> Inbox<R> {
    /// The replies delivered since the last call, oldest first.
    pub fn take(&self) -> Vec<Outcome<R>> {
        self.receiver.try_iter().collect()
    }

    pub(super) fn sender(&self) -> Sender<Outcome<R>> {
        self.sender.clone()
    }
}

/// What the window keeps of a finished task (its reply went to the screen's inbox): the
/// status line's message (`None` leaves the line as it is) and whether to reload.
pub struct Ended {
    pub message: Option<Result<String, String>>,
    pub reload: bool,
}

/// Runs `run` and delivers its reply (or error) to `sender`; an error also goes to the
/// status line and reloads (the task may have changed part of the data before it failed).
pub(super) fn finish<R>(sender: &Sender<Outcome<R>>, ran: Result<Done<R>, String>) -> Ended {
    // A screen's state is gone once the person signed out: its reply is dropped with it.
    match ran {
        Ok(done) => {
            let _ = sender.send(Ok(done.reply));
            Ended {
                message: (!done.message.is_empty()).then_some(Ok(done.message)),
                reload: done.reload,
            }
        }
        Err(e) => {
            let _ = sender.send(Err(e.clone()));
            Ended {
                message: Some(Err(e)),
                reload: true,
            }
        }
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
    fn a_task_delivers_its_reply_to_its_screens_inbox_and_its_message_to_the_status_line() {
        let inbox: Inbox<u32> = Inbox::default();
        let ended = finish(&inbox.sender(), Ok(Done::with("好了", 7u32)));
        assert_eq!(ended.message, Some(Ok("好了".to_string())));
        assert!(!ended.reload);
        let ended = finish(&inbox.sender(), Err::<Done<u32>, _>("坏了".into()));
        assert_eq!(ended.message, Some(Err("坏了".to_string())));
        assert!(ended.reload);
        assert_eq!(inbox.take(), vec![Ok(Some(7)), Err("坏了".to_string())]);
        assert_eq!(inbox.take(), Vec::new());
    }

    #[test]
    fn a_quiet_task_leaves_the_status_line_and_still_answers_its_screen() {
        let inbox: Inbox<u32> = Inbox::default();
        let ended = finish(&inbox.sender(), Ok(Done::said("").changed()));
        assert_eq!(ended.message, None);
        assert!(ended.reload);
        assert_eq!(inbox.take(), vec![Ok(None)]);
    }
}
