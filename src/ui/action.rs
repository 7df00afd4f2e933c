//! What a person can ask the window for: the screens ([`Screen`]), the requests a screen pushes
//! ([`Action`], applied by [`apply`](super::apply) after the frame is drawn), and the question an
//! irreversible step asks first ([`Question`], drawn by [`confirm`](super::confirm)).

use crate::core::model::{Criterion, PoolKey, PoolSettings, Role, Status};
use crate::core::score::Hundredths;
use crate::ops::admin::ContestantEdit;
use crate::ops::workflow::AppealChange;
use crate::ops::workflow::AuditFilter;
use std::path::PathBuf;

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

    pub fn code(self) -> String {
        format!("{self:?}")
    }

    pub fn from_code(code: &str) -> Option<Screen> {
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
    /// Open the print centre on the 公示 of the selected pool (an appeal changed a score).
    ReprintPublication,
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
    Ask(Box<Question>),
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
    /// Replace the database by a verified backup (closes and reopens it; signs out). `reason`:
    /// the coordinator's reason for a backup that departs from what this laptop pinned.
    Restore {
        file: PathBuf,
        reason: Option<String>,
    },
}

/// One question, with the action it releases.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub title: String,
    /// What will happen, one sentence a line.
    pub happens: Vec<String>,
    /// What cannot be undone afterwards.
    pub irreversible: String,
    /// The confirming button's label (the step's name).
    pub yes: String,
    pub then: Action,
}
