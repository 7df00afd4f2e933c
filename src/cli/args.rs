//! What clap turns the command line's words into: a pool, a contestant status, a score, a quota
//! override, a role, a paper or a layout, each checked once where it is read. A value clap
//! refuses through one of these functions is bad input (exit code 1, our own message, see
//! `cli::parse_args`); a value outside a fixed list (`ValueEnum`) is a usage error (exit code 2).

use crate::core::model::{PoolKey, Role, Status};
use crate::core::score::Hundredths;
use crate::ops::registration::QuotaOverride;
use clap::ValueEnum;

/// A value the command line refused, with the message to print after `error: `.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);

/// `DS-ZG`.
pub fn pool(text: &str) -> Result<PoolKey, BadValue> {
    PoolKey::parse(text).ok_or_else(|| BadValue(format!("赛项组别“{text}”应写作 DS-ZG 这样的形式")))
}

/// 正常, 缺考, 弃赛 or 取消资格.
pub fn status(text: &str) -> Result<Status, BadValue> {
    Status::parse(text)
        .ok_or_else(|| BadValue(format!("状态“{text}”应为 正常、缺考、弃赛 或 取消资格")))
}

/// A score with at most two decimals.
pub fn score(text: &str) -> Result<Hundredths, BadValue> {
    Hundredths::parse(text).map_err(|e| BadValue(format!("分数“{text}”: {e}")))
}

/// `ID_NUMBER=REASON`.
pub fn quota_override(text: &str) -> Result<QuotaOverride, BadValue> {
    match text.split_once('=') {
        Some((id, reason)) if !reason.trim().is_empty() => Ok(QuotaOverride {
            id_number: id.trim().to_string(),
            reason: reason.trim().to_string(),
        }),
        _ => Err(BadValue(format!("--override “{text}”应写作 身份证号=理由"))),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Judge,
    Chief,
    Supervisor,
    Coordinator,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Judge => Role::Judge,
            RoleArg::Chief => Role::Chief,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Coordinator => Role::Coordinator,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// 完整版式（边框、标题、全部文字）
    Full,
    /// 套打（只印文字，用于预印证书纸）
    Overlay,
}

impl From<LayoutArg> for crate::print::certificate::Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::Full => Self::Full,
            LayoutArg::Overlay => Self::Overlay,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    /// A4 横向 297×210
    #[value(name = "a4-landscape")]
    A4Landscape,
    /// A4 纵向 210×297
    #[value(name = "a4-portrait")]
    A4Portrait,
    /// 大度16开 横向 285×210
    #[value(name = "16k-large")]
    Large16k,
    /// 正度16开 横向 260×185
    #[value(name = "16k")]
    Standard16k,
}

impl From<PaperArg> for crate::print::certificate::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4Landscape => Self::A4Landscape,
            PaperArg::A4Portrait => Self::A4Portrait,
            PaperArg::Large16k => Self::Large16k,
            PaperArg::Standard16k => Self::Standard16k,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_status_score_and_override_are_read_or_refused_in_words() {
        assert_eq!(
            pool("ds-zg").map(|k| k.to_string()).ok().as_deref(),
            Some("DS-ZG")
        );
        assert!(pool("DSZG").is_err_and(|e| e.0.contains("应写作 DS-ZG")));
        assert_eq!(status("缺考").ok(), Some(Status::Absent));
        assert!(status("迟到").is_err_and(|e| e.0.contains("应为 正常、缺考、弃赛 或 取消资格")));
        assert_eq!(score("9.5").ok(), Some(Hundredths(950)));
        assert!(score("9.555").is_err_and(|e| e.0.starts_with("分数“9.555”")));
        let found = quota_override(" 32010219900101123X = 东道主单位 ").ok();
        assert_eq!(
            found.map(|o| (o.id_number, o.reason)),
            Some(("32010219900101123X".into(), "东道主单位".into()))
        );
        assert!(quota_override("32010219900101123X=").is_err());
        assert!(quota_override("东道主").is_err());
    }
}
