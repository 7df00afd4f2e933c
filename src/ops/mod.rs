//! User actions: each public function is one thing a person does, run as one transaction over
//! the store with the rules of `core`. The window and the command line both call these; neither
//! repeats a rule. Must not import egui.

pub mod accounts;
pub mod admin;
pub mod backup;
pub mod bundle;
pub mod certificates;
pub mod demo;
pub mod device;
pub mod documents;
pub mod draw;
pub mod imports;
pub mod logistics;
pub mod master;
pub mod pack;
pub mod registration;
pub mod results;
pub mod safety;
pub mod scoring;
pub mod setup;
pub mod status;
pub mod steps;
pub mod verify;
pub mod view;
pub mod workflow;

use crate::core::model::Role;
use crate::core::problem::Problem;
use crate::store::StoreError;

/// The open database every action runs on. The window holds one and lends it to its worker
/// thread; it names the handle through `ops`, never the driver underneath.
pub type Connection = rusqlite::Connection;

/// Who is acting: the signed-in account, or the coordinator at the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    pub account_id: Option<i64>,
}

impl Actor {
    /// The coordinator working at the command line of their own laptop.
    pub fn command_line() -> Actor {
        Actor {
            name: "命令行".to_string(),
            role: Role::Coordinator,
            account_id: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input had errors; nothing was changed. Every problem is listed.
    #[error("输入有误，未做任何更改")]
    Refused(Vec<Problem>),
    /// The action is not allowed now or for this person; nothing was changed.
    #[error("{0}")]
    Denied(String),
    /// A file or folder could not be read or written (disk full, stick pulled out, no permission,
    /// missing file): a fault of the machine, not a rule's refusal. Nothing was changed; `what`
    /// says what was being done, the message adds what to do (`safety::io_message`).
    #[error("{}", safety::io_message(source, what))]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl OpsError {
    /// `what` failed on a file or folder because of `source`.
    pub fn io(source: std::io::Error, what: impl Into<String>) -> OpsError {
        OpsError::Io {
            what: what.into(),
            source,
        }
    }

    /// One line for a person: a refusal's problems joined, else the error itself.
    pub fn into_text(self) -> String {
        match self {
            OpsError::Refused(problems) => problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("；"),
            other => other.to_string(),
        }
    }
}

impl From<rusqlite::Error> for OpsError {
    fn from(e: rusqlite::Error) -> Self {
        OpsError::Store(StoreError::Sql(e))
    }
}

pub type Result<T> = std::result::Result<T, OpsError>;
