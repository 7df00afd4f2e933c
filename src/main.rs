//! The `judgedesk` binary: no command opens the window, a command runs headless.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

use clap::Parser;
use judgedesk::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let db = args.db.clone().unwrap_or_else(cli::default_db_path);
    let result = match args.command {
        None => judgedesk::ui::run(&db),
        Some(command) => cli::run(&db, command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
