//! Reading CSV (UTF-8 with or without BOM, or GBK; comma- or tab-separated) and XLSX files into plain tables of cells; what the columns mean is the caller's business.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 499).

use crate::core::problem::Problem;
use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::io::Cursor;
use std::path::Path;

/// Files larger than this are refused before they are parsed.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Cells beyond this column are ignored (a roster has about 20).
const MAX_COLUMNS: u32 = 500;
/// More non-empty cells than this in one sheet is not a registration form.
const MAX_CELLS: usize = 2_000_000;
/// A workbook that unpacks to more than this (as its zip directory declares) is refused before
/// it is unpacked: a roster of 2000 contestants unpacks to about 3 MB, and reading a sheet runs
/// at about 15 MB a second, so a refusal stays well under 2 seconds.
const MAX_UNPACKED_BYTES: u64 = 16 * 1024 * 1024;
/// The text of all cells read from one workbook, merged regions filled in, at most.
const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;
/// Excel's own limit for one cell: longer text did not come from a spreadsheet program.
const MAX_CELL_CHARS: usize = 32_767;
/// Merged regions in one sheet, at most (the official form has a few dozen).
const MAX_MERGED_REGIONS: usize = 2_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row number as the spreadsheet shows it; the header row of a CSV is 1.
    pub number: usize,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The file name, for messages.
    pub file: String,
    /// The sheet's name in a workbook; `None` for CSV.
    pub sheet: Option<String>,
    /// The row number of the header row as the spreadsheet shows it (the first non-empty row).
    pub header_row: usize,
    pub headers: Vec<String>,
    /// The rows below the header, empty rows skipped.
    pub rows: Vec<Row>,
}

/// Text from outside (a name, a unit) as it may be written into a spreadsheet cell: a leading
/// `=`, `+`, `-` or `@` would make Excel or WPS read it as a formula, so such text gets a `'`
/// in front (shown by neither). Only for text fields: numbers and placeholders are written as
/// they are.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if formula_leading(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether a spreadsheet would take this text for a formula: it begins (after spaces) with `=`,
/// `+`, `-` or `@`, half- or full-width. The CSV writer puts a `'` in front of it; the XLSX writer
/// gives its cell the quote prefix (`print::tables::workbook`).
pub fn formula_leading(text: &str) -> bool {
    matches!(
        text.trim_start().chars().next(),
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
    )
}

/// A header as compared: trimmed, with full-width and other spaces removed.
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
        .collect()
}

impl Table {
    /// The position of the column with this header.
    pub fn column(&self, header: &str) -> Option<usize> {
        let wanted = header_key(header);
        self.headers.iter().position(|h| header_key(h) == wanted)
    }

    /// The trimmed text of a cell; a number without a trailing `.0`; empty when out of range.
    pub fn text(&self, row: &Row, col: usize) -> String {
        match row.cells.get(col) {
            Some(cell) => cell.text(),
            None => String::new(),
        }
    }

    /// The cell itself, `Empty` when out of range.
    pub fn cell<'a>(&self, row: &'a Row, col: usize) -> &'a Cell {
        row.cells.get(col).unwrap_or(&Cell::Empty)
    }

    /// Every non-empty row, the header row first, as the sheet shows them: for readers of
    /// layouts that are not one header over records (the official form).
    pub fn grid(&self) -> Vec<Row> {
        let header = Row {
            number: self.header_row,
            cells: self.headers.iter().map(|h| Cell::from_text(h)).collect(),
        };
        std::iter::once(header)
            .chain(self.rows.iter().cloned())
            .collect()
    }
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(n) => number_text(*n),
        }
    }

    pub fn from_text(text: &str) -> Cell {
        if text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text.to_string())
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Reads a CSV file as one table, or an XLSX workbook as one table per non-empty sheet.
pub fn read_tables(path: &Path) -> Result<Vec<Table>, Problem> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let size = std::fs::metadata(path)
        .map_err(|e| Problem::error(&file, format!("无法读取文件：{e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Problem::error(
            &file,
            format!(
                "文件过大（{:.1} MB），上限为 20 MB",
                size as f64 / 1_048_576.0
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Problem::error(&file, format!("无法读取文件：{e}")))?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return read_workbook_bytes(&file, &bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || extension == "xls" {
        return Err(Problem::error(
            &file,
            "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
        ));
    }
    match extension.as_str() {
        "csv" | "txt" | "tsv" => read_csv_bytes(&file, &bytes).map(|t| vec![t]),
        "xlsx" | "xlsm" => Err(Problem::error(
            &file,
            "不是有效的 .xlsx 文件，文件可能已损坏",
        )),
        other => Err(Problem::error(
            &file,
            format!("不支持的文件类型“.{other}”，请使用 .xlsx 或 .csv"),
        )),
    }
}

/// Reads XLSX bytes as one table per non-empty sheet.
pub fn read_workbook_bytes(file_name: &str, bytes: &[u8]) -> Result<Vec<Table>, Problem> {
    guarded(file_name, || read_xlsx_bytes(file_name, bytes))
}

/// Runs a parser, turning a panic inside it into a problem.
fn guarded<T>(file: &str, parse: impl FnOnce() -> Result<T, Problem>) -> Result<T, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).unwrap_or_else(|_| {
        Err(Problem::error(
            file,
            "文件无法解析，可能已损坏；请用 Excel 打开后重新保存再导入",
        ))
    })
}

/// Reads CSV bytes (UTF-8 with or without BOM, or GBK; commas or tabs) as one table; the first
/// non-empty row holds the headers.
pub fn read_csv_bytes(file_name: &str, bytes: &[u8]) -> Result<Table, Problem> {
    guarded(file_name, || parse_csv(file_name, bytes))
}

fn decode(file_name: &str, bytes: &[u8]) -> Result<String, Problem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Problem::error(
            file_name,
            "文件是 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| Problem::error(file_name, "文件编码无法识别（既不是 UTF-8 也不是 GBK），请另存为“CSV UTF-8（逗号分隔）”后再导入"))
}

fn parse_csv(file_name: &str, bytes: &[u8]) -> Result<Table, Problem> {
    let text = decode(file_name, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    // The csv reader skips blank lines; a spreadsheet shows them as rows. The line breaks before
    // a record (CRLF, LF or a lone CR each one break: Excel writes CRLF), minus those inside
    // quoted cells, give the row a spreadsheet shows; the header row is 1.
    let mut breaks_inside_cells = 0;
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map(|p| format!("（第 {} 行附近）", p.line()))
                .unwrap_or_default();
            Problem::error(file_name, format!("CSV 格式有误{line}，请检查引号是否成对"))
        })?;
        // The reader's position may sit before the blank lines it skipped.
        let mut start = record.position().map_or(0, |p| p.byte()) as usize;
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let before = text.get(..start).map_or(0, line_breaks);
        let number = (before + 1).saturating_sub(breaks_inside_cells).max(1);
        breaks_inside_cells += record.iter().map(line_breaks).sum::<usize>();
        grid.push(Row {
            number,
            cells: record.iter().map(Cell::from_text).collect(),
        });
    }
    into_table(file_name, None, grid).ok_or_else(|| Problem::error(file_name, "文件是空的"))
}

/// Line breaks in `text`, a CRLF counting once.
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| (b == b'\n' && (i == 0 || bytes[i - 1] != b'\r')) || b == b'\r')
        .count()
}

/// Tab when the first non-empty line has more tabs than commas (Excel's “文本文件（制表符分隔）”),
/// else comma.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// Splits a grid into header and rows: the first non-empty row is the header; empty rows go.
fn into_table(file: &str, sheet: Option<String>, grid: Vec<Row>) -> Option<Table> {
    let mut rows = grid
        .into_iter()
        .filter(|r| !r.cells.iter().all(Cell::is_empty));
    let header = rows.next()?;
    let header_row = header.number;
    let headers = header
        .cells
        .iter()
        .map(|c| c.text().trim_start_matches('\u{FEFF}').trim().to_string())
        .collect();
    Some(Table {
        file: file.to_string(),
        sheet,
        header_row,
        headers,
        rows: rows.collect(),
    })
}

/// The total size a zip archive's central directory declares for its members once unpacked.
/// `None` when the directory cannot be read (or uses ZIP64, which no form needs).
fn declared_unpacked_size(bytes: &[u8]) -> Option<u64> {
    let u16_at = |at: usize| -> Option<u64> {
        Some(u64::from(u16::from_le_bytes(
            bytes.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    let u32_at = |at: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            bytes.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(&b"PK\x05\x06"[..]))?;
    let members = u16_at(end + 10)?;
    let mut at = usize::try_from(u32_at(end + 16)?).ok()?;
    let mut total: u64 = 0;
    for _ in 0..members {
        if bytes.get(at..at + 4) != Some(&b"PK\x01\x02"[..]) {
            return None;
        }
        let unpacked = u32_at(at + 24)?;
        if unpacked == u64::from(u32::MAX) {
            return None;
        }
        total = total.saturating_add(unpacked);
        let variable = u16_at(at + 28)? + u16_at(at + 30)? + u16_at(at + 32)?;
        at = at.checked_add(46 + usize::try_from(variable).ok()?)?;
    }
    Some(total)
}

fn read_xlsx_bytes(file_name: &str, bytes: &[u8]) -> Result<Vec<Table>, Problem> {
    let unreadable = |e: calamine::XlsxError| {
        Problem::error(
            file_name,
            format!("无法读取 Excel 文件（{e}），文件可能已损坏或加密"),
        )
    };
    let not_a_form = |what: String| Problem::error(file_name, format!("{what}，不是报名表"));
    match declared_unpacked_size(bytes) {
        None => {
            return Err(Problem::error(
                file_name,
                "无法读取 Excel 文件（压缩目录无效），文件可能已损坏",
            ));
        }
        Some(size) if size > MAX_UNPACKED_BYTES => {
            return Err(not_a_form(format!(
                "工作簿解压后过大（{} MB，上限 16 MB）",
                size / 1_048_576
            )));
        }
        Some(_) => {}
    }
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut tables = Vec::new();
    let mut text_bytes = 0usize;
    let mut take_text = |value: &Cell, name: &str| -> Result<(), Problem> {
        if let Cell::Text(text) = value {
            if text.chars().count() > MAX_CELL_CHARS {
                return Err(not_a_form(format!(
                    "工作表“{name}”有单元格超过 {MAX_CELL_CHARS} 个字"
                )));
            }
            text_bytes += text.len();
            if text_bytes > MAX_TEXT_BYTES {
                return Err(not_a_form(format!("工作表“{name}”的文字过多")));
            }
        }
        Ok(())
    };
    for name in workbook.sheet_names() {
        let merged = workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(unreadable)?;
        if merged.len() > MAX_MERGED_REGIONS {
            return Err(not_a_form(format!(
                "工作表“{name}”有 {} 个合并区域",
                merged.len()
            )));
        }
        let mut cells: BTreeMap<u32, BTreeMap<u32, Cell>> = BTreeMap::new();
        let mut count = 0;
        {
            let mut reader = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
            while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                let (row, col) = cell.get_position();
                let value = xlsx_cell(cell.get_value());
                if col >= MAX_COLUMNS || value.is_empty() {
                    continue;
                }
                take_text(&value, &name)?;
                count += 1;
                if count > MAX_CELLS {
                    return Err(Problem::error(
                        file_name,
                        format!("工作表“{name}”的数据过多，不是报名表"),
                    ));
                }
                cells.entry(row).or_default().insert(col, value);
            }
        }
        // A merged region shows its top-left value in every cell it covers.
        for region in merged {
            let (top, left) = region.start;
            let Some(value) = cells.get(&top).and_then(|r| r.get(&left)).cloned() else {
                continue;
            };
            let bottom = region.end.0.min(top.saturating_add(10_000));
            let right = region.end.1.min(MAX_COLUMNS - 1);
            for row in top..=bottom {
                for col in left..=right {
                    if let Entry::Vacant(cell) = cells.entry(row).or_default().entry(col) {
                        take_text(&value, &name)?;
                        cell.insert(value.clone());
                        // Filled cells count too: many huge merged regions are no form either.
                        count += 1;
                        if count > MAX_CELLS {
                            return Err(Problem::error(
                                file_name,
                                format!("工作表“{name}”的数据过多，不是报名表"),
                            ));
                        }
                    }
                }
            }
        }
        let first_col = cells
            .values()
            .filter_map(|r| r.keys().next().copied())
            .min()
            .unwrap_or(0);
        let grid = cells
            .into_iter()
            .map(|(row, values)| {
                let width = values
                    .keys()
                    .next_back()
                    .map_or(0, |last| (last - first_col + 1) as usize);
                let mut line = vec![Cell::Empty; width];
                for (col, value) in values {
                    line[(col - first_col) as usize] = value;
                }
                Row {
                    number: row as usize + 1,
                    cells: line,
                }
            })
            .collect();
        if let Some(table) = into_table(file_name, Some(name.clone()), grid) {
            tables.push(table);
        }
    }
    if tables.is_empty() {
        return Err(Problem::error(file_name, "工作簿中没有数据"));
    }
    Ok(tables)
}

/// One XLSX value as a plain cell: cached formula results are values; dates become `YYYY-MM-DD`.
fn xlsx_cell(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(n) => Cell::Number(*n),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::from_text(s)
        }
        DataRef::SharedString(s) => Cell::from_text(s),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
        DataRef::Error(e) => Cell::Text(e.to_string()),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                Cell::Text(format!("{year:04}-{month:02}-{day:02}"))
            } else {
                Cell::Text(format!(
                    "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
                ))
            }
        }
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<(usize, Vec<String>)> {
        table
            .rows
            .iter()
            .map(|r| (r.number, r.cells.iter().map(Cell::text).collect()))
            .collect()
    }

    #[test]
    fn formula_leading_text_is_neutralised_and_other_text_is_not() {
        for (text, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+86 公司", "'+86 公司"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            (" =1", "' =1"),
            ("＝1", "'＝1"),
            ("王芳", "王芳"),
            ("南京-科技公司", "南京-科技公司"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(text), safe, "{text}");
        }
    }

    #[test]
    fn csv_with_bom_reads_headers_and_rows() -> Result<(), Problem> {
        let table = read_csv_bytes("a.csv", "\u{FEFF}姓名, 身份证号 \n张三,1\n".as_bytes())?;
        assert_eq!(table.headers, vec!["姓名", "身份证号"]);
        assert_eq!(table.column("身份证号"), Some(1));
        assert_eq!(table.column("身份证　号"), Some(1));
        assert_eq!(
            texts(&table),
            vec![(2, vec!["张三".to_string(), "1".to_string()])]
        );
        assert_eq!(table.sheet, None);
        Ok(())
    }

    #[test]
    fn gbk_csv_is_detected() -> Result<(), Problem> {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,单位\n李四,南京市\n");
        let table = read_csv_bytes("gbk.csv", &bytes)?;
        assert_eq!(table.headers, vec!["姓名", "单位"]);
        assert_eq!(
            texts(&table),
            vec![(2, vec!["李四".to_string(), "南京市".to_string()])]
        );
        Ok(())
    }

    #[test]
    fn bytes_neither_utf8_nor_gbk_are_refused() {
        let problem = read_csv_bytes("bad.csv", &[0x61, 0x2C, 0xFF, 0xFF, 0x0A]).err();
        assert!(problem.is_some_and(|p| p.message.contains("编码无法识别")));
    }

    #[test]
    fn empty_rows_are_skipped_but_numbering_follows_the_spreadsheet() -> Result<(), Problem> {
        let table = read_csv_bytes("a.csv", "姓名,备注\n甲,\"两\n行\"\n\n,\n乙,x\n".as_bytes())?;
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 5]);
        Ok(())
    }

    #[test]
    fn excel_line_endings_number_the_header_row_1_and_the_first_data_row_2() -> Result<(), Problem>
    {
        for text in [
            "\u{FEFF}姓名,备注\r\n甲,\"两\r\n行\"\r\n\r\n,\r\n乙,x\r\n",
            "姓名,备注\r甲,\"两\r行\"\r\r,\r乙,x\r",
            "姓名,备注\n甲,\"两\n行\"\n\n,\n乙,x\n",
        ] {
            let table = read_csv_bytes("a.csv", text.as_bytes())?;
            assert_eq!(table.header_row, 1, "{text:?}");
            let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
            assert_eq!(numbers, vec![2, 5], "{text:?}");
        }
        Ok(())
    }

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(Cell::Number(3.0).text(), "3");
        assert_eq!(Cell::Number(2.5).text(), "2.5");
        assert_eq!(Cell::Number(13812345678.0).text(), "13812345678");
        assert_eq!(Cell::Text("  x ".into()).text(), "x");
    }

    #[test]
    fn tab_separated_text_is_detected() -> Result<(), Problem> {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名\t单位\t备注\n李四\t南京市\t甲,乙\n");
        let table = read_csv_bytes("制表符.txt", &bytes)?;
        assert_eq!(table.headers, vec!["姓名", "单位", "备注"]);
        assert_eq!(
            texts(&table),
            vec![(2, vec!["李四".into(), "南京市".into(), "甲,乙".into()])]
        );
        Ok(())
    }

    #[test]
    fn header_row_is_the_first_non_empty_row() -> Result<(), Problem> {
        let table = read_csv_bytes("a.csv", "\n,,\n姓名,单位\n甲,乙\n".as_bytes())?;
        assert_eq!(table.header_row, 3);
        assert_eq!(table.rows[0].number, 4);
        let grid = table.grid();
        assert_eq!(
            grid.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![3, 4]
        );
        Ok(())
    }

    #[test]
    fn a_panic_inside_a_parser_becomes_a_problem() {
        let result: Result<(), Problem> = guarded("坏.xlsx", || panic!("parser bug"));
        let problem = result.err();
        assert_eq!(
            problem.map(|p| p.to_string()).as_deref(),
            Some("坏.xlsx: error: 文件无法解析，可能已损坏；请用 Excel 打开后重新保存再导入")
        );
    }

    #[test]
    fn damaged_workbooks_are_refused_not_panicked_on() {
        let truncated = b"PK\x03\x04\x14\x00\x00\x00\x08\x00garbage";
        assert!(read_workbook_bytes("坏.xlsx", truncated).is_err());
        assert!(read_workbook_bytes("空.xlsx", b"").is_err());
    }

    #[test]
    fn empty_csv_is_refused() {
        assert!(read_csv_bytes("a.csv", b"\n\n").is_err());
    }
}
