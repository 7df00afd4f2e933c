//! Calendar dates without time zones: parsing `YYYY-MM-DD`, the one-full-year rule, and the
//! Chinese-numeral form printed on certificates. Pure; no clock is read here.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A real calendar date or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// `2023-11-15`; also accepts `2023/11/15`, `2023.11.15` and `2023年11月15日`, as people type them.
    pub fn parse(text: &str) -> Option<Date> {
        let cleaned: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '/' | '.' | '年' | '月' => '-',
                '日' => ' ',
                other => other,
            })
            .collect();
        let mut parts = cleaned.trim().split('-');
        let year = parts.next()?.trim().parse().ok()?;
        let month = parts.next()?.trim().parse().ok()?;
        let day = parts.next()?.trim().parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(year, month, day)
    }

    /// The same day one year earlier; 29 February becomes 28 February.
    pub fn minus_one_year(self) -> Date {
        let year = self.year - 1;
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }

    /// `二〇二三年十一月十五日`.
    pub fn to_chinese(self) -> String {
        const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        let year: String = self
            .year
            .to_string()
            .chars()
            .map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]).unwrap_or(c))
            .collect();
        format!(
            "{year}年{}月{}日",
            chinese_number(self.month),
            chinese_number(self.day)
        )
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("不是有效日期: {text}")))
    }
}

/// A time of day as people write it on a 24-hour clock, `16:30`: two digits, a colon, two
/// digits. Returns `(hour, minute)`.
pub fn clock_time(text: &str) -> Option<(u32, u32)> {
    let (h, m) = text.trim().split_once(':')?;
    let two = |t: &str| -> Option<u32> {
        if t.len() == 2 && t.chars().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (hour, minute) = (two(h)?, two(m)?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// 1..=31 as 一 … 三十一.
fn chinese_number(n: u32) -> String {
    const UNITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".to_string(),
        1..=9 => UNITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", UNITS[(n % 10) as usize]),
        _ => format!(
            "{}十{}",
            UNITS[(n / 10 % 10) as usize],
            UNITS[(n % 10) as usize]
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("bad fixture {text}"))
    }

    #[test]
    fn parses_common_spellings() {
        assert_eq!(Date::parse("2023-11-15"), Date::new(2023, 11, 15));
        assert_eq!(Date::parse("2023/1/5"), Date::new(2023, 1, 5));
        assert_eq!(Date::parse("2023年11月15日"), Date::new(2023, 11, 15));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("20231115"), None);
    }

    #[test]
    fn one_year_before_29_february_is_28_february() {
        assert_eq!(d("2024-02-29").minus_one_year(), d("2023-02-28"));
        assert_eq!(d("2023-11-15").minus_one_year(), d("2022-11-15"));
    }

    #[test]
    fn chinese_numeral_dates() {
        assert_eq!(d("2023-11-15").to_chinese(), "二〇二三年十一月十五日");
        assert_eq!(d("2023-10-01").to_chinese(), "二〇二三年十月一日");
        assert_eq!(d("2020-12-20").to_chinese(), "二〇二〇年十二月二十日");
        assert_eq!(d("2023-01-31").to_chinese(), "二〇二三年一月三十一日");
    }

    #[test]
    fn epoch_days_round_trip() {
        for text in ["1970-01-01", "2000-02-29", "2023-11-15", "1899-12-31"] {
            let date = d(text);
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        }
        assert_eq!(d("1970-01-02").days_since_epoch(), 1);
        assert_eq!(d("2023-11-15").add_days(17), d("2023-12-02"));
    }

    #[test]
    fn end_times_are_24_hour_clock_times() {
        let valid_time = |t: &str| clock_time(t).is_some();
        assert!(valid_time("16:30") && valid_time("00:00") && valid_time("23:59"));
        assert!(!valid_time("24:00") && !valid_time("9:30") && !valid_time("16:60"));
        assert!(!valid_time("1630") && !valid_time("16：30"));
        assert_eq!(clock_time(" 16:30 "), Some((16, 30)));
    }
}
