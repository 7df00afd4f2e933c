//! Acting as a person on the command line: the command names the person, and the person's PIN
//! comes from `JUDGEDESK_PIN` (scripts) or is typed at the terminal without echo — never from the
//! arguments. The check is `ops::accounts::sign_in`, so the window's lockout applies unchanged.

use super::Outcome;
use crate::core::model::Role;
use crate::ops::{self, Actor, accounts::SignIn};
use rusqlite::Connection;
use std::io::IsTerminal;

/// The environment variable a script sets to give the acting person's PIN.
pub const PIN_ENV: &str = "JUDGEDESK_PIN";

/// Where a PIN comes from: the environment, else the terminal.
fn read_pin(name: &str) -> Result<String, Outcome> {
    read_pin_from(name, PIN_ENV)
}

/// A second person's PIN (the supervisor's consent to an unlock): the environment variable
/// `env`, else the terminal.
pub fn read_pin_from(name: &str, env: &str) -> Result<String, Outcome> {
    if let Some(pin) = std::env::var_os(env) {
        return pin
            .into_string()
            .map_err(|_| Outcome::Refused(vec![format!("error: 环境变量 {env} 不是有效的文字")]));
    }
    let missing = || {
        Outcome::Refused(vec![format!(
            "error: 需要 {name} 的 PIN：请在终端输入，或设置环境变量 {env}"
        )])
    };
    // Only a person at a terminal is asked; a script without the variable is refused at once
    // instead of waiting for a keyboard that is not there.
    if !std::io::stdin().is_terminal() {
        return Err(missing());
    }
    rpassword::prompt_password(format!("{name} 的 PIN: ")).map_err(|_| missing())
}

/// Checks that `name` is an account with one of `roles` and that the PIN read for it is right
/// (wrong PINs count towards the lockout exactly as in the window). Returns the person as an
/// actor for `ops`, or the refusal to print.
pub fn act_as(
    conn: &Connection,
    name: &str,
    roles: &[Role],
) -> anyhow::Result<Result<Actor, Outcome>> {
    let refuse = |text: String| Ok(Err(Outcome::Refused(vec![format!("error: {text}")])));
    let pin = match read_pin(name) {
        Ok(pin) => pin,
        Err(outcome) => return Ok(Err(outcome)),
    };
    let account = match ops::accounts::sign_in(conn, name, pin.trim()) {
        Ok(SignIn::Accepted(account)) => account,
        Ok(SignIn::WrongPin { failures }) => {
            return refuse(format!("{name} 的 PIN 错误（第 {failures} 次）"));
        }
        Ok(SignIn::Wait(seconds)) => {
            return refuse(format!("{name} 的 PIN 错误次数过多，请 {seconds} 秒后再试"));
        }
        Ok(SignIn::Locked) => return refuse(format!("账号 {name} 已锁定，请赛务解锁")),
        Ok(SignIn::UnknownAccount) => return refuse(format!("没有名为“{name}”的账号")),
        Err(ops::OpsError::Denied(text)) => return refuse(text),
        Err(e) => return Err(e.into()),
    };
    if !roles.contains(&account.role) {
        let wanted: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        return refuse(format!(
            "{name} 是{}，这一步须由{}执行",
            account.role.label(),
            wanted.join("或")
        ));
    }
    Ok(Ok(Actor {
        name: account.name,
        role: account.role,
        account_id: Some(account.id),
    }))
}
