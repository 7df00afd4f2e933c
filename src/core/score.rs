//! Exact score arithmetic: every score is an integer number of hundredths of a point.
//! Owns parsing, formatting and half-up rounding; knows nothing of storage or UI.

use std::fmt;

/// A score in hundredths of a point (`78.25` is `Hundredths(7825)`).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Hundredths(pub i64);

/// Why a typed score was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreParseError {
    #[error("不是数字")]
    NotANumber,
    #[error("最多两位小数")]
    TooManyDecimals,
    #[error("数值过大")]
    TooLarge,
}

impl Hundredths {
    pub const ZERO: Hundredths = Hundredths(0);

    pub fn from_points(points: i64) -> Self {
        Hundredths(points * 100)
    }

    /// Parses a decimal with at most two places: `85`, `85.5`, `85.50`, `.5`, `-0.5`.
    /// Full-width digits and the ideographic full stop are accepted as people type them.
    pub fn parse(text: &str) -> Result<Self, ScoreParseError> {
        let normalised: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                '－' => '-',
                other => other,
            })
            .collect();
        let (negative, body) = match normalised.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, normalised.strip_prefix('+').unwrap_or(&normalised)),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(ScoreParseError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(ScoreParseError::NotANumber);
        }
        if body.contains('.') && frac.is_empty() && whole.is_empty() {
            return Err(ScoreParseError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(ScoreParseError::TooManyDecimals);
        }
        if whole.len() > 12 {
            return Err(ScoreParseError::TooLarge);
        }
        let whole_value: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| ScoreParseError::TooLarge)?
        };
        let mut frac_value: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| ScoreParseError::NotANumber)?
        };
        if frac.len() == 1 {
            frac_value *= 10;
        }
        let value = whole_value * 100 + frac_value;
        Ok(Hundredths(if negative { -value } else { value }))
    }

    /// `78.25`, always two decimals, as the results files publish it.
    pub fn to_fixed2(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// The shortest exact form, for people: `78.25`, `78.5`, `78`.
    pub fn to_short(self) -> String {
        let fixed = self.to_fixed2();
        let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
        trimmed.to_string()
    }
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_fixed2())
    }
}

/// `numerator / denominator` rounded half up (away from zero at the half), for non-negative
/// denominators. Used for every mean and weighted total so that no float ever touches a score.
pub fn div_round_half_up(numerator: i64, denominator: i64) -> i64 {
    debug_assert!(denominator > 0);
    if numerator >= 0 {
        (2 * numerator + denominator) / (2 * denominator)
    } else {
        -((2 * -numerator + denominator) / (2 * denominator))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<i64, ScoreParseError>) {
        assert_eq!(
            Hundredths::parse(text).map(|h| h.0),
            expected,
            "input {text:?}"
        );
    }

    #[test]
    fn parses_decimals_with_at_most_two_places() {
        check("85", Ok(8500));
        check("85.5", Ok(8550));
        check("85.50", Ok(8550));
        check(" 7.25 ", Ok(725));
        check(".5", Ok(50));
        check("0", Ok(0));
        check("-0.5", Ok(-50));
        check("８５．５", Ok(8550));
        check("85.", Ok(8500));
    }

    #[test]
    fn refuses_three_decimals_and_garbage() {
        check("85.555", Err(ScoreParseError::TooManyDecimals));
        check("8,5", Err(ScoreParseError::NotANumber));
        check("", Err(ScoreParseError::NotANumber));
        check(".", Err(ScoreParseError::NotANumber));
        check("1e2", Err(ScoreParseError::NotANumber));
        check("abc", Err(ScoreParseError::NotANumber));
        check("9999999999999", Err(ScoreParseError::TooLarge));
    }

    #[test]
    fn formats_with_exactly_two_decimals() {
        assert_eq!(Hundredths(7825).to_fixed2(), "78.25");
        assert_eq!(Hundredths(5).to_fixed2(), "0.05");
        assert_eq!(Hundredths(-50).to_fixed2(), "-0.50");
        assert_eq!(Hundredths(8550).to_short(), "85.5");
        assert_eq!(Hundredths(8500).to_short(), "85");
    }

    #[test]
    fn rounds_half_up() {
        assert_eq!(div_round_half_up(5, 2), 3);
        assert_eq!(div_round_half_up(4, 3), 1);
        assert_eq!(div_round_half_up(5, 3), 2);
        assert_eq!(div_round_half_up(-5, 2), -3);
        assert_eq!(div_round_half_up(0, 7), 0);
    }
}
