//! The rules of `competition-rules.md` as pure functions over plain data.
//! Must not import egui, rusqlite, printpdf or touch files: everything here tests on structs.

pub mod awards;
pub mod date;
pub mod evaluate;
pub mod idcard;
pub mod model;
pub mod phone;
pub mod problem;
pub mod ranking;
pub mod registration;
pub mod score;
pub mod signin;
