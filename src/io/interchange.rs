//! The scheme, theory and practical-score tables of `interchange.md`: headers checked, cells
//! typed, every problem named by file, row and field. Applying them is `ops::imports`' job.

use super::table::{Cell, Row, Table};
use crate::core::model::{Criterion, Dimension, Kind, Stage};
use crate::core::problem::Problem;
use crate::core::score::{Hundredths, ScoreParseError};

/// The text of a cell as a person would read it.
pub fn cell_text(row: &Row, column: Option<usize>) -> String {
    match column.and_then(|c| row.cells.get(c)) {
        Some(Cell::Text(text)) => text.trim().to_string(),
        Some(Cell::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Some(Cell::Number(n)) => format!("{n}"),
        _ => String::new(),
    }
}

/// Column positions by header; a missing required header is an error, an unknown one a warning.
pub struct Columns<'a> {
    table: &'a Table,
    positions: Vec<Option<usize>>,
}

impl<'a> Columns<'a> {
    pub fn new(
        table: &'a Table,
        required: &[&str],
        optional: &[&str],
        problems: &mut Vec<Problem>,
    ) -> Option<Columns<'a>> {
        let mut positions = Vec::new();
        let mut missing = Vec::new();
        for header in required.iter().chain(optional) {
            let position = table.column(header);
            if position.is_none() && required.contains(header) {
                missing.push(*header);
            }
            positions.push(position);
        }
        for header in &table.headers {
            let known = required.iter().chain(optional).any(|h| *h == header.trim());
            if !known && !header.trim().is_empty() {
                problems.push(
                    Problem::warning(&table.file, format!("未知列“{header}”，已忽略"))
                        .at_row(table.sheet.as_deref(), table.header_row),
                );
            }
        }
        if !missing.is_empty() {
            problems.push(
                Problem::error(&table.file, format!("缺少列: {}", missing.join("、")))
                    .at_row(table.sheet.as_deref(), table.header_row),
            );
            return None;
        }
        Some(Columns { table, positions })
    }

    /// The text in column number `index` of the required-then-optional list.
    pub fn text(&self, row: &Row, index: usize) -> String {
        cell_text(row, self.positions.get(index).copied().flatten())
    }

    pub fn problem(&self, row: &Row, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(&self.table.file, message)
            .at_row(self.table.sheet.as_deref(), row.number)
            .in_field(field)
    }
}

/// A score cell: a decimal with at most 2 places.
pub fn parse_score(text: &str) -> Result<Hundredths, String> {
    if text.is_empty() {
        return Err("不能为空".into());
    }
    Hundredths::parse(text).map_err(|e| match e {
        ScoreParseError::TooManyDecimals => format!("“{text}”超过两位小数"),
        _ => format!("“{text}”不是有效分数"),
    })
}

/// One row of a scheme table.
#[derive(Clone, Debug)]
pub struct SchemeRow {
    pub file: String,
    pub sheet: Option<String>,
    pub row: usize,
    pub event: String,
    /// Empty means both groups.
    pub group: String,
    pub criterion: Criterion,
}

pub const SCHEME_HEADERS: [&str; 9] = [
    "赛项", "组别", "编号", "名称", "满分", "步长", "阶段", "维度", "方式",
];

pub fn scheme_rows(table: &Table, problems: &mut Vec<Problem>) -> Vec<SchemeRow> {
    let Some(columns) = Columns::new(table, &SCHEME_HEADERS, &[], problems) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for row in &table.rows {
        let text = |i: usize| columns.text(row, i);
        let mut row_problems = Vec::new();
        let mut score = |i: usize| match parse_score(&text(i)) {
            Ok(v) if v.0 > 0 => Some(v),
            Ok(_) => {
                row_problems.push(columns.problem(row, SCHEME_HEADERS[i], "须大于 0"));
                None
            }
            Err(message) => {
                row_problems.push(columns.problem(row, SCHEME_HEADERS[i], message));
                None
            }
        };
        let max = score(4);
        let step = score(5);
        let stage = Stage::parse(&text(6));
        let dimension = Dimension::parse(&text(7));
        let kind = Kind::parse(&text(8));
        if stage.is_none() {
            row_problems.push(columns.problem(
                row,
                "阶段",
                format!("“{}”应为 过程评价 或 结果评价", text(6)),
            ));
        }
        if dimension.is_none() {
            row_problems.push(columns.problem(
                row,
                "维度",
                format!("“{}”应为 能力 或 职业素养", text(7)),
            ));
        }
        if kind.is_none() {
            row_problems.push(columns.problem(
                row,
                "方式",
                format!("“{}”应为 主观 或 客观", text(8)),
            ));
        }
        if text(2).is_empty() {
            row_problems.push(columns.problem(row, "编号", "不能为空"));
        }
        if text(3).is_empty() {
            row_problems.push(columns.problem(row, "名称", "不能为空"));
        }
        let ok = row_problems.is_empty();
        problems.extend(row_problems);
        if let (true, Some(max), Some(step), Some(stage), Some(dimension), Some(kind)) =
            (ok, max, step, stage, dimension, kind)
        {
            rows.push(SchemeRow {
                file: table.file.clone(),
                sheet: table.sheet.clone(),
                row: row.number,
                event: text(0),
                group: text(1),
                criterion: Criterion {
                    code: text(2),
                    name: text(3),
                    max,
                    step,
                    stage,
                    dimension,
                    kind,
                },
            });
        }
    }
    rows
}

/// One row of a theory table.
#[derive(Clone, Debug)]
pub struct TheoryRow {
    pub row: usize,
    pub event: String,
    pub group: String,
    pub id_number: String,
    pub value: Hundredths,
}

pub const THEORY_HEADERS: [&str; 4] = ["赛项", "组别", "身份证号", "理论成绩"];

pub fn theory_rows(table: &Table, problems: &mut Vec<Problem>) -> Vec<TheoryRow> {
    let Some(columns) = Columns::new(table, &THEORY_HEADERS, &[], problems) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for row in &table.rows {
        match parse_score(&columns.text(row, 3)) {
            Ok(value) => rows.push(TheoryRow {
                row: row.number,
                event: columns.text(row, 0),
                group: columns.text(row, 1),
                id_number: columns.text(row, 2),
                value,
            }),
            Err(message) => problems.push(columns.problem(row, "理论成绩", message)),
        }
    }
    rows
}

/// One row of a practical-score table.
#[derive(Clone, Debug)]
pub struct ScoreRow {
    pub row: usize,
    pub event: String,
    pub group: String,
    pub id_number: String,
    pub workstation: Option<u32>,
    pub judge: String,
    pub criterion: String,
    pub value: Hundredths,
}

pub const SCORE_HEADERS: [&str; 7] = [
    "赛项",
    "组别",
    "身份证号",
    "工位号",
    "裁判",
    "评分项",
    "分数",
];

pub fn score_rows(table: &Table, problems: &mut Vec<Problem>) -> Vec<ScoreRow> {
    // 身份证号 and 工位号: one of the two columns suffices.
    let Some(columns) = Columns::new(
        table,
        &["赛项", "组别", "裁判", "评分项", "分数"],
        &["身份证号", "工位号"],
        problems,
    ) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for row in &table.rows {
        let id_number = columns.text(row, 5);
        let workstation_text = columns.text(row, 6);
        let workstation = if workstation_text.is_empty() {
            None
        } else {
            match workstation_text.parse::<u32>() {
                Ok(w) => Some(w),
                Err(_) => {
                    problems.push(columns.problem(
                        row,
                        "工位号",
                        format!("“{workstation_text}”不是整数"),
                    ));
                    continue;
                }
            }
        };
        if id_number.is_empty() && workstation.is_none() {
            problems.push(columns.problem(row, "身份证号", "身份证号和工位号须填写其一"));
            continue;
        }
        match parse_score(&columns.text(row, 4)) {
            Ok(value) => rows.push(ScoreRow {
                row: row.number,
                event: columns.text(row, 0),
                group: columns.text(row, 1),
                id_number,
                workstation,
                judge: columns.text(row, 2),
                criterion: columns.text(row, 3),
                value,
            }),
            Err(message) => problems.push(columns.problem(row, "分数", message)),
        }
    }
    rows
}

/// The current scores in the columns of `import scores`, as CSV with a BOM.
pub fn scores_csv(
    rows: &[(String, String, crate::store::scores::CurrentScore)],
) -> csv::Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(SCORE_HEADERS)?;
        for (event, group, score) in rows {
            writer.write_record([
                event.as_str(),
                group.as_str(),
                &score.id_number,
                &score.workstation.map(|w| w.to_string()).unwrap_or_default(),
                &score.judge,
                &score.criterion,
                &score.value.to_short(),
            ])?;
        }
        writer.flush()?;
    }
    Ok(out)
}
