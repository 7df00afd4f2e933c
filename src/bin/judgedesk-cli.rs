//! `judgedesk-cli.exe`: the console twin of `judgedesk.exe` for cmd.exe and PowerShell. The
//! same `main` (src/main.rs), linked for the console subsystem, so a command's output and exit
//! code reach the shell that started it. Built with the `cli-exe` feature.

#[path = "../main.rs"]
mod judgedesk_main;

fn main() -> std::process::ExitCode {
    judgedesk_main::main()
}
