//! A problem found in user data, reported compiler style: `FILE:ROW: error: 字段: 说明`.
//! Batch checks return every problem, not the first.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// Where a problem is and what it is. `row` is numbered as a spreadsheet shows it (header = 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub field: Option<String>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(file: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_string(),
            sheet: None,
            row: None,
            field: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    pub fn at_row(mut self, sheet: Option<&str>, row: usize) -> Problem {
        self.sheet = sheet.map(str::to_string);
        self.row = Some(row);
        self
    }

    pub fn in_field(mut self, field: &str) -> Problem {
        self.field = Some(field.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ":{sheet}")?;
        }
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
        }
        write!(f, ": {}: ", self.severity.word())?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// True when any problem is an error (errors block, warnings do not).
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_compiler_style() {
        let p = Problem::error("a.csv", "校验位错误，应为 X")
            .at_row(None, 3)
            .in_field("身份证号");
        assert_eq!(
            p.to_string(),
            "a.csv:3: error: 身份证号: 校验位错误，应为 X"
        );
        let p = Problem::warning("b.xlsx", "男女人数之和与总人数不符").at_row(Some("回执"), 4);
        assert_eq!(
            p.to_string(),
            "b.xlsx:回执:4: warning: 男女人数之和与总人数不符"
        );
    }
}
