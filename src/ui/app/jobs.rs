//! The worker thread's jobs: the window lends it the connection for one job at a time (a change
//! an action asks for, a read, a tool screen's task, a reload; the lending itself is in `app`,
//! the one file of the window that names the connection) and takes it back here, with a typed
//! [`Reply`], when the job has finished; actions that need the database wait until then.

use super::apply::{JobOutput, Reply};
use super::{JudgeDeskApp, StatusLine};
use crate::ui::task::{Progress, TaskEnv};
use crate::ui::text;

impl JudgeDeskApp {
    /// A reload on the worker thread.
    pub(super) fn reload_later(&mut self) {
        self.spawn(|conn| JobOutput::reloaded(conn, Reply::Nothing));
    }

    pub(super) fn poll_job(&mut self) {
        if !self.job.as_ref().is_some_and(|h| h.is_finished()) {
            return;
        }
        let Some(handle) = self.job.take() else {
            return;
        };
        match handle.join() {
            Ok((Some(conn), output)) => {
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
                self.status = Some(StatusLine::error(text::WORKER_DIED));
            }
        }
        for action in std::mem::take(&mut self.deferred) {
            self.apply(action);
        }
    }

    fn finish_job(&mut self, output: JobOutput) {
        if matches!(
            output.reply,
            Reply::Restored {
                signed_out: true,
                ..
            }
        ) {
            self.sign_out(None);
        }
        if let Some(desk) = output.desk {
            match desk {
                Ok(desk) => {
                    // Accounts change only in jobs that reload: none yet means the first start.
                    self.needs_first_account = desk.accounts.is_empty();
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
                Err(e) => self.status = Some(StatusLine::error(e)),
            }
            self.rebuild_views();
        }
        self.answer(output.reply);
    }

    /// Starts the next queued task on the worker (when the database is free).
    pub(super) fn start_task(&mut self) {
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
        self.spawn(move |conn| {
            let env = TaskEnv {
                conn,
                actor: &actor,
                progress: &progress,
                db: db.as_deref(),
            };
            let ended = (task.run)(&env);
            let reply = Reply::Tool(ended.message);
            if ended.reload {
                JobOutput::reloaded(conn, reply)
            } else {
                JobOutput { reply, desk: None }
            }
        });
    }
}
