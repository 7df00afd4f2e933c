//! Resident ID numbers (GB 11643-1999): normalising, the check digit and every check of §2. Pure.

use super::date::Date;
use super::model::Gender;

/// Weights of ISO 7064 MOD 11-2 for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by `sum mod 11`.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Something wrong with an ID number as typed. Only [`IdProblem::Upgraded`] is a warning.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    #[error("不能为空")]
    Empty,
    #[error(
        "身份证号被存成了数字（如 3.20102E+17），电子表格只保留 15 位有效数字，末几位已丢失；请把该列设为文本格式后重新填写"
    )]
    StoredAsNumber,
    #[error("应为 18 位，实为 {0} 位")]
    Length(usize),
    #[error("前 17 位应为数字，末位应为数字或 X")]
    Characters,
    #[error("校验位错误，应为 {0}")]
    CheckDigit(char),
    #[error("出生日期 {0} 不是有效日期")]
    BirthDate(String),
    #[error("出生日期 {0} 晚于今天")]
    FutureBirthDate(Date),
    #[error("第 17 位表示性别为{by_number}，与填写的性别“{declared}”不符")]
    Gender { by_number: Gender, declared: Gender },
    #[error("15 位旧身份证号，已升级为 18 位 {0}")]
    Upgraded(String),
}

impl IdProblem {
    pub fn is_error(&self) -> bool {
        !matches!(self, IdProblem::Upgraded(_))
    }
}

/// The outcome of checking one ID number: the normalised (and upgraded) number, and every problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdCheck {
    pub number: String,
    pub problems: Vec<IdProblem>,
}

impl IdCheck {
    pub fn is_ok(&self) -> bool {
        !self.problems.iter().any(IdProblem::is_error)
    }
}

/// Full-width digits and letters as half-width, letters upper case (`x` → `X`), spaces and a
/// leading apostrophe (Excel's "keep as text" mark) removed.
pub fn normalise(text: &str) -> String {
    text.trim()
        .trim_start_matches(['\'', '‘', '’'])
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An ID number with all but the first 4 and last 4 characters hidden, for lists that leave
/// the coordinator's laptop: `3201**********1234`. Short texts are hidden whole.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 8;
    chars[..4]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - 4..])
        .collect()
}

/// The check character for the first 17 digits, or `None` if they are not 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// The gender the 17th digit encodes (odd = 男, even = 女), for a normalised 18-character number.
pub fn gender_of(number: &str) -> Option<Gender> {
    let digit = number.chars().nth(16)?.to_digit(10)?;
    Some(if digit % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    })
}

/// The birth date in a normalised 18-character number, if it is a real date.
pub fn birth_date(number: &str) -> Option<Date> {
    let digits = number.get(6..14)?;
    let year = digits.get(0..4)?.parse().ok()?;
    let month = digits.get(4..6)?.parse().ok()?;
    let day = digits.get(6..8)?.parse().ok()?;
    Date::new(year, month, day)
}

/// A text that a spreadsheet produced from a long number: `3.20102E+17`, `3.2010219900101e17`.
pub fn looks_like_scientific_notation(text: &str) -> bool {
    let text = normalise(text);
    text.contains('E') && text.parse::<f64>().is_ok()
}

/// Every check of §2 on one ID number. `stored_as_number` is true when the spreadsheet cell held
/// a number rather than text; `declared` is the gender written on the form, if it could be read.
pub fn check(raw: &str, stored_as_number: bool, declared: Option<Gender>, today: Date) -> IdCheck {
    let mut number = normalise(raw);
    let mut problems = Vec::new();
    if number.is_empty() {
        return IdCheck {
            number,
            problems: vec![IdProblem::Empty],
        };
    }
    if stored_as_number || looks_like_scientific_notation(&number) {
        return IdCheck {
            number,
            problems: vec![IdProblem::StoredAsNumber],
        };
    }
    if number.len() == 15 && number.chars().all(|c| c.is_ascii_digit()) {
        let first17 = format!("{}19{}", &number[..6], &number[6..]);
        if let Some(check) = check_digit(&first17) {
            number = format!("{first17}{check}");
            problems.push(IdProblem::Upgraded(number.clone()));
        }
    }
    let chars: Vec<char> = number.chars().collect();
    if chars.len() != 18 {
        problems.push(IdProblem::Length(chars.len()));
        return IdCheck { number, problems };
    }
    if !chars[..17].iter().all(char::is_ascii_digit)
        || !(chars[17].is_ascii_digit() || chars[17] == 'X')
    {
        problems.push(IdProblem::Characters);
        return IdCheck { number, problems };
    }
    if let Some(expected) = check_digit(&number[..17])
        && expected != chars[17]
    {
        problems.push(IdProblem::CheckDigit(expected));
    }
    match birth_date(&number) {
        None => problems.push(IdProblem::BirthDate(number[6..14].to_string())),
        Some(born) if born > today => problems.push(IdProblem::FutureBirthDate(born)),
        Some(_) => {}
    }
    if let (Some(declared), Some(by_number)) = (declared, gender_of(&number))
        && declared != by_number
    {
        problems.push(IdProblem::Gender {
            by_number,
            declared,
        });
    }
    IdCheck { number, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2023,
        month: 9,
        day: 1,
    };

    /// A valid number from its first 17 digits.
    fn valid(first17: &str) -> String {
        format!("{first17}{}", check_digit(first17).unwrap_or('?'))
    }

    fn problems(raw: &str, declared: Option<Gender>) -> Vec<String> {
        check(raw, false, declared, TODAY)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn check_digit_matches_published_examples() {
        // The example number of GB 11643-1999.
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        assert_eq!(check_digit("44052418800101001"), Some('4'));
        assert_eq!(check_digit("1234"), None);
        assert_eq!(check_digit("1101051949123100A"), None);
    }

    #[test]
    fn valid_number_has_no_problems() {
        let id = valid("32010219900101123");
        assert_eq!(problems(&id, Some(Gender::Male)), Vec::<String>::new());
        assert_eq!(check(&id, false, None, TODAY).number, id);
    }

    #[test]
    fn wrong_check_digit_names_the_expected_one() {
        assert_eq!(
            problems("11010519491231002", None),
            vec!["应为 18 位，实为 17 位"]
        );
        assert_eq!(
            problems("110105194912310021", Some(Gender::Female)),
            vec!["校验位错误，应为 X"]
        );
    }

    #[test]
    fn full_width_digits_and_lower_case_x_are_normalised() {
        assert_eq!(
            normalise("１１０１０５１９４９１２３１００２ｘ"),
            "11010519491231002X"
        );
        assert_eq!(normalise(" 11010519491231002x "), "11010519491231002X");
        assert_eq!(normalise("'110105 1949 1231 002X"), "11010519491231002X");
        assert_eq!(
            problems("11010519491231002x", Some(Gender::Female)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn letters_inside_the_number_are_refused() {
        assert_eq!(
            problems("1101051949123X002X", None),
            vec!["前 17 位应为数字，末位应为数字或 X"]
        );
        assert_eq!(
            problems("11010519491231002Y", None),
            vec!["前 17 位应为数字，末位应为数字或 X"]
        );
    }

    #[test]
    fn birth_date_must_be_real_and_not_in_the_future() {
        let id = valid("32010219900230123");
        assert_eq!(problems(&id, None), vec!["出生日期 19900230 不是有效日期"]);
        let id = valid("32010220240101123");
        assert_eq!(problems(&id, None), vec!["出生日期 2024-01-01 晚于今天"]);
    }

    #[test]
    fn seventeenth_digit_must_agree_with_gender() {
        let male = valid("32010219900101123");
        assert_eq!(
            problems(&male, Some(Gender::Female)),
            vec!["第 17 位表示性别为男，与填写的性别“女”不符"]
        );
        let female = valid("32010219900101124");
        assert_eq!(gender_of(&female), Some(Gender::Female));
        assert_eq!(
            problems(&female, Some(Gender::Female)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn fifteen_digit_number_is_upgraded_with_a_warning() {
        let result = check("320102900101123", false, Some(Gender::Male), TODAY);
        let upgraded = valid("32010219900101123");
        assert_eq!(result.number, upgraded);
        assert_eq!(result.problems, vec![IdProblem::Upgraded(upgraded)]);
        assert!(result.is_ok());
    }

    #[test]
    fn number_cell_or_scientific_notation_is_refused() {
        assert!(looks_like_scientific_notation("3.20102E+17"));
        assert!(!looks_like_scientific_notation("32010219900101123X"));
        let message = IdProblem::StoredAsNumber.to_string();
        assert_eq!(problems("3.20102E+17", None), vec![message.clone()]);
        let id = valid("32010219900101123");
        assert_eq!(
            check(&id, true, None, TODAY).problems,
            vec![IdProblem::StoredAsNumber]
        );
        assert!(message.contains("15 位有效数字") && message.contains("文本"));
    }

    #[test]
    fn mask_keeps_the_first_and_last_four() {
        assert_eq!(mask("320102199001011234"), "3201**********1234");
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
        assert_eq!(mask("1234567"), "*******");
    }

    #[test]
    fn empty_number_is_refused() {
        assert_eq!(problems("  ", None), vec!["不能为空"]);
    }
}
