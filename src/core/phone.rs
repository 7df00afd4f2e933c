//! Mainland mobile numbers: `+86`/`0086`, spaces and hyphens stripped, then `1[3-9]` and 9 digits. Pure.

/// Why a mobile number was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的手机号码（应为 1 开头、第二位为 3–9 的 11 位数字）")]
pub struct PhoneError(pub String);

/// Full-width digits as half-width; spaces, hyphens and a leading `+86` or `0086` removed.
pub fn normalise(text: &str) -> String {
    let compact: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '‑' | '–' | '—'))
        .collect();
    let without_prefix = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .unwrap_or(&compact);
    without_prefix.to_string()
}

/// The normalised 11-digit number, or why it is not one.
pub fn check(text: &str) -> Result<String, PhoneError> {
    let number = normalise(text);
    let bytes = number.as_bytes();
    let valid = bytes.len() == 11
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
        && bytes.iter().all(u8::is_ascii_digit);
    if valid {
        Ok(number)
    } else {
        Err(PhoneError(text.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_ok(input: &str, expected: &str) {
        assert_eq!(check(input), Ok(expected.to_string()), "{input}");
    }

    #[test]
    fn prefixes_spaces_and_hyphens_are_stripped() {
        check_ok("13812345678", "13812345678");
        check_ok("+86 138-1234-5678", "13812345678");
        check_ok("0086 13812345678", "13812345678");
        check_ok("１３８ １２３４ ５６７８", "13812345678");
        check_ok("+8619912345678", "19912345678");
    }

    #[test]
    fn landlines_and_short_numbers_are_refused() {
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "025-83456789",
            "1381234567a",
            "",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check("025-8345").map_err(|e| e.to_string()),
            Err(
                "“025-8345”不是有效的手机号码（应为 1 开头、第二位为 3–9 的 11 位数字）"
                    .to_string()
            )
        );
    }
}
