//! The rules of `competition-rules.md` as pure functions over plain data.
//! Must not import egui, rusqlite, printpdf or touch files: everything here tests on structs.

pub mod awards;
pub mod chain;
pub mod date;
pub mod draw;
pub mod evaluate;
pub mod idcard;
pub mod logistics;
pub mod model;
pub mod phone;
pub mod problem;
pub mod ranking;
pub mod registration;
pub mod score;
pub mod signin;
