//! What the window does with each [`Action`] (as rerun's `command_handling`): the window's own
//! requests change only its state; every other is one call of one `ops` function on the worker
//! thread, which borrows the connection, so no database write and no backup runs in a frame.
//! What a job brings back is a [`Reply`] of the request's own kind, worded by `text` here.
//!
//! One piece though over 600 lines with its tests: the match, the replies it answers with and the
//! test that walks every action (each change runs once, each of the window's own none) are read
//! together when an action is added.

use super::{Change, JudgeDeskApp, Screen, StatusLine};
use crate::core::score::Hundredths;
use crate::ops::accounts::SignIn;
use crate::ops::status::StatusOptions;
use crate::ops::steps::{self, Milestone, Saved};
use crate::ops::workflow::AuditFilter;
use crate::ops::workflow::{self, AccountView, AuditPage, Desk};
use crate::ops::{self, OpsError, admin, draw, scoring};
use crate::ui::action::Action;
use crate::ui::status_dialog::StatusDialog;
use crate::ui::text;
use std::path::PathBuf;

/// What a job on the worker brings back: its reply, and the reloaded snapshot when the job
/// may have changed data.
pub struct JobOutput {
    pub reply: Reply,
    pub desk: Option<Result<Desk, String>>,
}

/// A job's answer, typed by the request that started it.
pub enum Reply {
    /// Nothing to show (a reload).
    Nothing,
    /// The status line's message, or the refusal shown as an error.
    Said(Result<String, String>),
    SignIn {
        name: String,
        outcome: ops::Result<SignIn>,
    },
    Saved {
        contestant: i64,
        workstation: u32,
        criterion: String,
        outcome: ops::Result<Saved>,
    },
    Revealed {
        contestant: i64,
        outcome: ops::Result<String>,
    },
    StatusOptions {
        contestant: i64,
        who: String,
        outcome: ops::Result<StatusOptions>,
    },
    Audit {
        filter: AuditFilter,
        outcome: ops::Result<AuditPage>,
    },
    /// The database was replaced by a backup (the window signs out), or could not be.
    Restored {
        message: Result<String, String>,
        signed_out: bool,
    },
    /// A tool screen's task (its reply went to the screen's inbox): the status line's
    /// message, `None` to leave the line as it is.
    Tool(Option<Result<String, String>>),
}

/// The status line's text for a milestone: the step's message, the lock's chain link, and why
/// the automatic backup failed (so the person can make one by hand).
fn milestone_text(done: String, milestone: Milestone) -> String {
    let link = milestone.lock_link.map(text::locked_at_link);
    let backup = milestone
        .backup_failed
        .map(|e| format!("；{}{}", text::BACKUP_FAILED, e.into_text()));
    format!(
        "{done}{}{}",
        link.unwrap_or_default(),
        backup.unwrap_or_default()
    )
}

/// The change a step of the judging (the judges', the chief judge's and the supervisor's) asks
/// for: one `ops` function, its result worded for the status line; any other action back.
fn judging_change(action: Action) -> Result<Change, Box<Action>> {
    Ok(match action {
        Action::Submit { pool, contestants } => {
            Box::new(move |c, a| workflow::submit(c, a, &pool, &contestants).map(text::submitted))
        }
        Action::Reopen {
            pool,
            judge,
            contestant,
            reason,
        } => Box::new(move |c, a| {
            workflow::reopen(c, a, &pool, judge, contestant, &reason).map(text::reopened)
        }),
        Action::AcceptFlag {
            pool,
            contestant,
            criterion,
            note,
        } => Box::new(move |c, a| {
            workflow::accept_flag(c, a, &pool, contestant, &criterion, &note)
                .map(|()| text::flag_accepted(&criterion))
        }),
        Action::Rescore {
            pool,
            contestant,
            criterion,
            judge,
            reason,
        } => Box::new(move |c, a| {
            workflow::request_rescore(c, a, &pool, contestant, &criterion, judge, &reason)
                .map(|()| text::rescore_requested(&criterion))
        }),
        Action::Lock(pool) => Box::new(move |c, a| {
            steps::lock(c, a, &pool)
                .map(|m| milestone_text(text::pool_locked(&pool.to_string()), m))
        }),
        Action::Unlock {
            pool,
            supervisor,
            pin,
            reason,
        } => Box::new(move |c, a| {
            workflow::unlock(c, a, &pool, &supervisor, &pin, &reason)
                .map(|()| text::pool_unlocked(&pool.to_string()))
        }),
        Action::Decrypt(pool) => Box::new(move |c, a| {
            workflow::confirm_and_decrypt(c, a, &pool)
                .map(|()| text::pool_decrypted(&pool.to_string()))
        }),
        Action::Publish(pool) => Box::new(move |c, a| {
            steps::publish(c, a, &pool)
                .map(|m| milestone_text(text::pool_published(&pool.to_string()), m))
        }),
        Action::Finalize(pool) => Box::new(move |c, a| {
            workflow::finalize(c, a, &pool).map(|()| text::pool_finalized(&pool.to_string()))
        }),
        Action::RecordAppeal {
            pool,
            leader,
            unit,
            received_at,
            content,
        } => Box::new(move |c, a| {
            workflow::record_appeal(c, a, &pool, &leader, &unit, &received_at, &content)
                .map(text::appeal_recorded)
        }),
        Action::AppealChange { appeal, change } => Box::new(move |c, a| {
            workflow::apply_appeal_change(c, a, appeal, &change)
                .map(|()| text::appeal_change_recorded(appeal))
        }),
        Action::DecideAppeal { appeal, outcome } => Box::new(move |c, a| {
            workflow::decide_appeal(c, a, appeal, &outcome).map(|()| text::appeal_decided(appeal))
        }),
        other => return Err(Box::new(other)),
    })
}

/// The change a step of the coordinator's setup asks for (check-in, draw, people, accounts,
/// settings); any other action back.
fn setup_change(action: Action, sheets: PathBuf) -> Result<Change, Box<Action>> {
    Ok(match action {
        Action::SetStatus {
            contestant,
            status,
            reason,
        } => Box::new(move |c, a| {
            ops::status::set_status_of(c, a, contestant, status, Some(&reason))
                .map(|_| text::status_changed(status.label()))
        }),
        Action::CheckIn { contestant, status } => Box::new(move |c, a| {
            draw::check_in(c, a, contestant, status).map(|_| text::checked_in(status.label()))
        }),
        Action::Draw(pool) => Box::new(move |c, a| {
            draw::run_fresh_draw(c, a, &pool).map(|n| text::draw_done(&pool.to_string(), n))
        }),
        Action::VerifyDraw(pool) => {
            Box::new(move |c, _| draw::verify_draw(c, &pool).map(text::draw_verified))
        }
        Action::EditContestant { contestant, edit } => Box::new(move |c, a| {
            admin::edit_contestant(c, a, contestant, &edit)
                .map(|()| text::contestant_edited(&edit.name))
        }),
        Action::RenameUnit { unit, name } => Box::new(move |c, a| {
            admin::rename_unit(c, a, unit, &name).map(|()| text::unit_renamed(&name))
        }),
        Action::AddUser {
            name,
            role,
            pin,
            pools,
        } => Box::new(move |c, a| {
            ops::accounts::add_user(c, a, &name, role, &pin, &pools)
                .map(|_| text::account_added(&name))
        }),
        Action::SetPools { name, pools } => Box::new(move |c, a| {
            admin::set_account_pools(c, a, &name, &pools).map(|()| text::pools_set(&name))
        }),
        Action::ResetAccount { name, pin } => Box::new(move |c, a| {
            ops::accounts::reset_account(c, a, &name, pin.as_deref())
                .map(|()| text::account_reset(&name))
        }),
        Action::SaveSettings {
            pool,
            venue,
            settings,
        } => Box::new(move |c, a| {
            admin::update_pool_settings(c, a, &pool, venue, &settings)
                .map(|()| text::settings_saved(&pool.to_string()))
        }),
        Action::SaveScheme { pool, criteria } => Box::new(move |c, a| {
            scoring::replace_scheme(c, a, &pool, &criteria)
                .map(|()| text::scheme_saved(&pool.to_string(), criteria.len()))
        }),
        Action::WriteSheets(pool) => Box::new(move |c, a| {
            draw::write_mapping_sheets(c, a, &pool, &sheets)
                .map(|_| text::sheets_written(&sheets.display().to_string()))
        }),
        other => return Err(Box::new(other)),
    })
}

impl JudgeDeskApp {
    pub(super) fn apply(&mut self, action: Action) {
        let needs_db = !matches!(
            action,
            Action::Open(_)
                | Action::SelectPool(_)
                | Action::ReprintPublication
                | Action::SignOut
                | Action::Ask(_)
        );
        if needs_db && self.conn.is_none() {
            self.deferred.push(action);
            return;
        }
        match action {
            Action::SignIn { name, pin } => {
                self.sign_in(name, move |c, n| ops::accounts::sign_in(c, n, &pin))
            }
            Action::CreateFirstCoordinator { name, pin } => self.sign_in(name, move |c, n| {
                admin::create_first_coordinator_and_sign_in(c, n, &pin)
            }),
            Action::SignOut => self.sign_out(None),
            Action::Open(screen) => self.open(screen),
            Action::SelectPool(index) => self.select_pool(index),
            Action::ReprintPublication => self.reprint_publication(),
            Action::Reload => self.reload_later(),
            Action::SaveScore {
                pool,
                contestant,
                workstation,
                criterion,
                value,
            } => self.save_score(pool, contestant, workstation, criterion, value),
            Action::Ask(question) => self.screens.question = Some(*question),
            Action::OpenStatus { contestant, who } => self.read(move |c, a| Reply::StatusOptions {
                contestant,
                outcome: ops::status::status_options(c, a, contestant),
                who,
            }),
            Action::RevealId(contestant) => self.read(move |c, a| Reply::Revealed {
                contestant,
                outcome: admin::reveal_id_number(c, a, contestant),
            }),
            Action::LoadAudit(filter) => self.read(move |c, _| Reply::Audit {
                outcome: workflow::audit_page(c, &filter),
                filter,
            }),
            Action::Restore { file, reason } => self.restore_backup(file, reason),
            change => self.change(change),
        }
    }

    /// Runs the change an action asks for (every action `apply` does not handle itself).
    fn change(&mut self, action: Action) {
        let sheets = self.db_dir.join(text::MAPPING_SHEETS_FOLDER);
        // `apply` handles every other action itself: nothing is left to run.
        if let Ok(change) = judging_change(action).or_else(|action| setup_change(*action, sheets)) {
            self.write(change);
        }
    }

    fn open(&mut self, screen: Screen) {
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

    /// The print centre, on the 公示 of the selected pool.
    fn reprint_publication(&mut self) {
        self.screens
            .print
            .choose(crate::ui::print_view::Kind::Publication);
        self.open(Screen::Printing);
    }

    fn select_pool(&mut self, index: usize) {
        if self.visible_pools().contains(&index) {
            self.selected = index;
            self.screens.grid.reset_cursor();
            self.rebuild_views();
        }
    }

    /// Saves one value on the worker (committed before the grid shows it saved), with the
    /// interval backup when one is due; the reply updates the cached results of that pool only.
    fn save_score(
        &mut self,
        pool: crate::core::model::PoolKey,
        contestant: i64,
        workstation: u32,
        criterion: String,
        value: Hundredths,
    ) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let input = scoring::ScoreInput {
            pool,
            judge: session.account.name.clone(),
            contestant: scoring::ContestantRef::Workstation(workstation),
            criterion: criterion.clone(),
            value,
        };
        self.read(move |c, a| Reply::Saved {
            contestant,
            workstation,
            criterion,
            outcome: steps::save_score(c, a, &input),
        });
    }

    /// Closes the database, replaces it by the backup `file` (which `ops::backup::restore`
    /// verifies first, keeping the current file aside), reopens it and signs out: the accounts
    /// are those of the backup now.
    fn restore_backup(&mut self, file: PathBuf, reason: Option<String>) {
        let (Some(db), Some(actor)) = (self.db_path.clone(), self.actor()) else {
            self.status = Some(StatusLine::error(text::RESTORE_NEEDS_FILE));
            return;
        };
        self.spawn_owning(move |conn| {
            drop(conn);
            let restored = ops::backup::restore_with_reason(&db, &file, &actor, reason.as_deref());
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
            let signed_out = restored.is_ok();
            (
                reopened.ok(),
                JobOutput {
                    reply: Reply::Restored {
                        message,
                        signed_out,
                    },
                    desk,
                },
            )
        });
    }

    /// Shows what a job brought back.
    pub(super) fn answer(&mut self, reply: Reply) {
        match reply {
            Reply::Nothing => {}
            Reply::Said(said) | Reply::Restored { message: said, .. } => self.say(said),
            Reply::SignIn { name, outcome } => self.signed_in_or_not(&name, outcome),
            Reply::Saved {
                contestant,
                workstation,
                criterion,
                outcome,
            } => self.saved(contestant, workstation, &criterion, outcome),
            Reply::Revealed {
                contestant,
                outcome,
            } => match outcome {
                Ok(number) => self.screens.people.revealed(contestant, number),
                Err(e) => self.say(Err(e.into_text())),
            },
            Reply::StatusOptions {
                contestant,
                who,
                outcome,
            } => match outcome {
                Ok(options) => {
                    self.screens.status = Some(StatusDialog::new(contestant, who, options))
                }
                Err(e) => self.say(Err(e.into_text())),
            },
            Reply::Audit { filter, outcome } => match outcome {
                Ok(page) => self.screens.audit.loaded(filter, page.rows, page.actors),
                Err(e) => self.say(Err(e.into_text())),
            },
            // An empty message (a screen refreshing what it shows) leaves the status line alone.
            Reply::Tool(message) => {
                if let Some(said) = message.filter(|m| !matches!(m, Ok(m) if m.is_empty())) {
                    self.say(said);
                }
            }
        }
    }

    fn say(&mut self, said: Result<String, String>) {
        self.status = Some(match said {
            Ok(m) => StatusLine::info(m),
            Err(m) => StatusLine::error(m),
        });
    }

    fn saved(
        &mut self,
        contestant: i64,
        workstation: u32,
        criterion: &str,
        outcome: ops::Result<Saved>,
    ) {
        match outcome {
            Ok(saved) => {
                let receipt = &saved.receipt;
                self.desk.results.apply_score(
                    receipt.pool_id,
                    receipt.contestant_id,
                    &receipt.criterion,
                    receipt.judge_id,
                    Some(receipt.value),
                );
                self.screens
                    .grid
                    .saved(contestant, criterion, receipt.value);
                let name = self.screens.grid.criterion_name(criterion);
                let line = text::saved_value(workstation, &name, &receipt.value.to_short());
                self.status = Some(match saved.backup_failed {
                    None => StatusLine::info(line),
                    Some(e) => StatusLine::error(format!(
                        "{line}；{}{}",
                        text::BACKUP_FAILED,
                        e.into_text()
                    )),
                });
            }
            Err(e) => {
                let message = e.into_text();
                self.screens
                    .grid
                    .failed(contestant, criterion, message.clone());
                self.status = Some(StatusLine::error(message));
            }
        }
    }

    fn signed_in_or_not(&mut self, name: &str, outcome: ops::Result<SignIn>) {
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
                self.screens.signin.failed(name, message);
            }
            Err(e) => self.screens.signin.failed(name, e.into_text()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{PoolKey, PoolSettings, Role, Status};
    use crate::ops::admin::ContestantEdit;
    use crate::ops::workflow::AppealChange;
    use crate::ui::action::Question;

    fn key() -> PoolKey {
        PoolKey::parse("DS-ZG").unwrap_or_else(|| panic!("pool key"))
    }

    fn runs_a_change(action: Action) -> bool {
        judging_change(action)
            .or_else(|action| setup_change(*action, PathBuf::new()))
            .is_ok()
    }

    fn judging_steps() -> Vec<Action> {
        let s = String::new;
        vec![
            Action::Submit {
                pool: key(),
                contestants: vec![1],
            },
            Action::Reopen {
                pool: key(),
                judge: 1,
                contestant: None,
                reason: s(),
            },
            Action::AcceptFlag {
                pool: key(),
                contestant: 1,
                criterion: s(),
                note: s(),
            },
            Action::Rescore {
                pool: key(),
                contestant: 1,
                criterion: s(),
                judge: 1,
                reason: s(),
            },
            Action::Lock(key()),
            Action::Unlock {
                pool: key(),
                supervisor: s(),
                pin: s(),
                reason: s(),
            },
            Action::Decrypt(key()),
            Action::Publish(key()),
            Action::Finalize(key()),
            Action::RecordAppeal {
                pool: key(),
                leader: s(),
                unit: s(),
                received_at: s(),
                content: s(),
            },
            Action::AppealChange {
                appeal: 1,
                change: AppealChange::Theory {
                    contestant: 1,
                    value: Hundredths(100),
                },
            },
            Action::DecideAppeal {
                appeal: 1,
                outcome: s(),
            },
        ]
    }

    fn setup_steps() -> Vec<Action> {
        let s = String::new;
        vec![
            Action::SetStatus {
                contestant: 1,
                status: Status::Absent,
                reason: s(),
            },
            Action::CheckIn {
                contestant: 1,
                status: Status::Normal,
            },
            Action::Draw(key()),
            Action::VerifyDraw(key()),
            Action::WriteSheets(key()),
            Action::EditContestant {
                contestant: 1,
                edit: ContestantEdit::default(),
            },
            Action::RenameUnit { unit: 1, name: s() },
            Action::AddUser {
                name: s(),
                role: Role::Judge,
                pin: s(),
                pools: vec![key()],
            },
            Action::SetPools {
                name: s(),
                pools: vec![],
            },
            Action::ResetAccount {
                name: s(),
                pin: None,
            },
            Action::SaveSettings {
                pool: key(),
                venue: None,
                settings: PoolSettings::default(),
            },
            Action::SaveScheme {
                pool: key(),
                criteria: vec![],
            },
        ]
    }

    fn windows_own() -> Vec<Action> {
        let s = String::new;
        vec![
            Action::SignIn {
                name: s(),
                pin: s(),
            },
            Action::CreateFirstCoordinator {
                name: s(),
                pin: s(),
            },
            Action::SignOut,
            Action::Open(Screen::Results),
            Action::SelectPool(0),
            Action::Reload,
            Action::SaveScore {
                pool: key(),
                contestant: 1,
                workstation: 1,
                criterion: s(),
                value: Hundredths(100),
            },
            Action::Ask(Box::new(Question {
                title: s(),
                happens: vec![],
                irreversible: s(),
                yes: s(),
                then: Action::Lock(key()),
            })),
            Action::OpenStatus {
                contestant: 1,
                who: s(),
            },
            Action::RevealId(1),
            Action::LoadAudit(AuditFilter::default()),
            Action::Restore {
                file: PathBuf::new(),
                reason: None,
            },
        ]
    }

    #[test]
    fn every_action_that_changes_data_runs_one_change() {
        for action in judging_steps().into_iter().chain(setup_steps()) {
            let shown = format!("{action:?}");
            assert!(runs_a_change(action), "{shown} runs no change");
        }
    }

    #[test]
    fn the_windows_own_actions_run_no_change() {
        for action in windows_own() {
            let shown = format!("{action:?}");
            assert!(
                !runs_a_change(action),
                "{shown} is the window's own, not a change"
            );
        }
    }
}
