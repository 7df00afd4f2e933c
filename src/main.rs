//! The `judgedesk` binary: no command opens the window, a command runs headless.
//!
//! On Windows `judgedesk.exe` is linked for the GUI subsystem (no console window on a
//! double-click; see build.rs) and `judgedesk-cli.exe` (src/bin/judgedesk-cli.rs, the same
//! `main`) for the console, so commands print in cmd.exe and PowerShell.

use judgedesk::cli;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let args = match cli::parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let db = args.db.clone().unwrap_or_else(cli::default_db_path);
    let result = match args.command {
        None => judgedesk::ui::run(&db, args.renderer.as_deref()),
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
