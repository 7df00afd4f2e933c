//! judgedesk: offline judging for the 2023 Jiangsu e-commerce skills competition finals.
//! See ARCHITECTURE.md for the map.

pub mod builtin;
pub mod cli;
pub mod core;
pub mod fonts;
pub mod io;
pub mod ops;
pub mod print;
pub mod store;
pub mod ui;
