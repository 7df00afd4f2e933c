//! Tabular documents (the 公示 list, judges' score sheets, rosters for the provincial bureau)
//! laid out as pages: a title, lines under it, a ruled table whose header repeats on every
//! page, closing lines (notes, fingerprints, signature lines) and page numbers. Also writes
//! the same tables as an xlsx workbook. Pure apart from the workbook encoder: no SQL, no files.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 494).

use super::layout::{
    Align, Color, Document, Item, MM_PER_PT, Measure, Page, Style, Text, paragraph,
};

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    pub align: Align,
    /// Written to a workbook as a number when the cell parses as one.
    pub numeric: bool,
}

impl Column {
    pub fn text(header: &str) -> Column {
        Column {
            header: header.to_string(),
            align: Align::Left,
            numeric: false,
        }
    }

    pub fn centered(header: &str) -> Column {
        Column {
            header: header.to_string(),
            align: Align::Center,
            numeric: false,
        }
    }

    pub fn number(header: &str) -> Column {
        Column {
            header: header.to_string(),
            align: Align::Right,
            numeric: true,
        }
    }
}

/// One table with its headings and closing lines.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Table {
    pub title: String,
    /// Lines under the title (pool, judge, dates).
    pub subtitle: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Lines after the last row: notes, fingerprints, signature lines.
    pub closing: Vec<String>,
    /// Starts a new page and a new page count (a part of its own, e.g. one judge's sheet);
    /// otherwise the table follows the previous one on the same page when there is room.
    pub new_part: bool,
    /// The sheet name in a workbook.
    pub sheet: String,
}

/// Sheet and type sizes.
pub struct Sheet {
    pub width: f32,
    pub height: f32,
}

pub const A4_PORTRAIT: Sheet = Sheet {
    width: 210.0,
    height: 297.0,
};
pub const A4_LANDSCAPE: Sheet = Sheet {
    width: 297.0,
    height: 210.0,
};

const MARGIN: f32 = 15.0;
const CELL_SIZE: f32 = 9.5;
const HEADER_SIZE: f32 = 9.5;
const ROW_HEIGHT: f32 = 7.0;
const PAD: f32 = 1.5;

/// Column widths: each column's widest cell, spread (or squeezed) to the usable width.
fn column_widths(measure: &mut Measure, table: &Table, usable: f32) -> Vec<f32> {
    let mut widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| measure.width(&c.header, Style::Sans, HEADER_SIZE, 0.0) + 2.0 * PAD)
        .collect();
    for row in &table.rows {
        for (i, cell) in row.iter().enumerate().take(widths.len()) {
            widths[i] = widths[i].max(measure.width(cell, Style::Sans, CELL_SIZE, 0.0) + 2.0 * PAD);
        }
    }
    let total: f32 = widths.iter().sum();
    if total > 0.0 {
        let factor = usable / total;
        for w in &mut widths {
            *w *= factor;
        }
    }
    widths
}

struct Pager<'a> {
    doc: &'a mut Document,
    measure: Measure,
    page: Page,
    y: f32,
    /// Index of the first page of the current part.
    part_start: usize,
    parts: Vec<(usize, usize)>,
}

impl Pager<'_> {
    fn bottom(&self) -> f32 {
        self.doc.height - MARGIN - 8.0
    }

    fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.doc.pages.push(page);
        self.y = MARGIN;
    }

    fn end_part(&mut self) {
        let end = self.doc.pages.len() + usize::from(!self.page.items.is_empty());
        if end > self.part_start {
            self.parts.push((self.part_start, end));
        }
        if !self.page.items.is_empty() {
            self.new_page();
        }
        self.part_start = self.doc.pages.len();
    }

    /// One line of running text (wrapped if long, or centred and shrunk to fit) at `top`;
    /// returns its texts and the top of what follows.
    fn text_line(
        &mut self,
        line: &str,
        style: Style,
        size: f32,
        align: Align,
        top: f32,
    ) -> (Vec<Text>, f32) {
        let width = self.doc.width - 2.0 * MARGIN;
        let line_height = size * MM_PER_PT * 1.6;
        match align {
            Align::Center => {
                let fitted = self.measure.fit_size(line, style, size, width);
                (
                    vec![
                        Text::new(
                            self.doc.width / 2.0,
                            top + fitted * MM_PER_PT,
                            fitted,
                            style,
                            line,
                        )
                        .align(Align::Center),
                    ],
                    top + line_height,
                )
            }
            _ => {
                let (texts, next) = paragraph(
                    &mut self.measure,
                    line,
                    style,
                    size,
                    MARGIN,
                    top + size * MM_PER_PT,
                    width,
                    0.0,
                    line_height,
                );
                (texts, next - size * MM_PER_PT)
            }
        }
    }

    fn text_lines(&mut self, lines: &[String], style: Style, size: f32, align: Align) {
        for line in lines {
            let (mut texts, mut next) = self.text_line(line, style, size, align, self.y);
            if next > self.bottom() && !self.page.items.is_empty() {
                self.new_page();
                (texts, next) = self.text_line(line, style, size, align, self.y);
            }
            self.page.items.extend(texts.into_iter().map(Item::Text));
            self.y = next;
        }
    }

    fn header_row(&mut self, table: &Table, widths: &[f32]) {
        let top = self.y;
        let total: f32 = widths.iter().sum();
        self.page.items.push(Item::Rect {
            x: MARGIN,
            y: top,
            w: total,
            h: ROW_HEIGHT,
            width: 0.0,
            color: Color(232, 232, 232),
        });
        self.row_cells(
            table.columns.iter().map(|c| c.header.as_str()),
            table,
            widths,
            Style::Sans,
            true,
        );
    }

    fn row_cells<'s>(
        &mut self,
        cells: impl Iterator<Item = &'s str>,
        table: &Table,
        widths: &[f32],
        style: Style,
        header: bool,
    ) {
        let top = self.y;
        let baseline = top + ROW_HEIGHT / 2.0 + CELL_SIZE * MM_PER_PT * 0.35;
        let mut x = MARGIN;
        for ((cell, width), column) in cells.zip(widths).zip(&table.columns) {
            if !cell.is_empty() {
                let size = self.measure.fit_size(
                    cell,
                    style,
                    if header { HEADER_SIZE } else { CELL_SIZE },
                    width - 2.0 * PAD,
                );
                let align = if header { Align::Center } else { column.align };
                let anchor = match align {
                    Align::Left => x + PAD,
                    Align::Center => x + width / 2.0,
                    Align::Right => x + width - PAD,
                };
                self.page.items.push(Item::Text(
                    Text::new(anchor, baseline, size, style, cell).align(align),
                ));
            }
            x += width;
        }
        let total: f32 = widths.iter().sum();
        let rule = |y: f32| Item::Line {
            x1: MARGIN,
            y1: y,
            x2: MARGIN + total,
            y2: y,
            width: 0.2,
            color: Color::BLACK,
        };
        if header {
            self.page.items.push(rule(top));
        }
        self.page.items.push(rule(top + ROW_HEIGHT));
        let mut x = MARGIN;
        for width in std::iter::once(&0.0).chain(widths) {
            x += width;
            self.page.items.push(Item::Line {
                x1: x,
                y1: top,
                x2: x,
                y2: top + ROW_HEIGHT,
                width: 0.2,
                color: Color::BLACK,
            });
        }
        self.y = top + ROW_HEIGHT;
    }

    fn table(&mut self, table: &Table) {
        if table.new_part {
            self.end_part();
        } else if self.y > MARGIN && self.y + 40.0 > self.bottom() {
            self.new_page();
        } else if self.y > MARGIN {
            self.y += 6.0;
        }
        let usable = self.doc.width - 2.0 * MARGIN;
        let widths = column_widths(&mut self.measure, table, usable);
        self.text_lines(
            std::slice::from_ref(&table.title),
            Style::SerifBold,
            15.0,
            Align::Center,
        );
        self.y += 1.0;
        self.text_lines(&table.subtitle, Style::Sans, 9.5, Align::Left);
        self.y += 1.5;
        self.header_row(table, &widths);
        for row in &table.rows {
            if self.y + ROW_HEIGHT > self.bottom() {
                self.new_page();
                self.text_lines(
                    &[format!("{}（续）", table.title)],
                    Style::SerifBold,
                    11.0,
                    Align::Center,
                );
                self.text_lines(
                    &table.subtitle[..table.subtitle.len().min(1)],
                    Style::Sans,
                    9.5,
                    Align::Left,
                );
                self.y += 1.0;
                self.header_row(table, &widths);
            }
            self.row_cells(
                row.iter().map(String::as_str),
                table,
                &widths,
                Style::Sans,
                false,
            );
        }
        if table.rows.is_empty() {
            self.y += 1.5;
            self.text_lines(&["（无）".to_string()], Style::Sans, 9.5, Align::Left);
        }
        self.y += 4.0;
        self.text_lines(&table.closing, Style::Sans, 10.0, Align::Left);
    }
}

/// Lays out `tables` in order. Each part (see `Table::new_part`) numbers its own pages.
pub fn document(title: &str, sheet: &Sheet, tables: &[Table]) -> Document {
    let mut doc = Document::new(title, sheet.width, sheet.height);
    let mut pager = Pager {
        doc: &mut doc,
        measure: Measure::new(),
        page: Page::default(),
        y: MARGIN,
        part_start: 0,
        parts: Vec::new(),
    };
    for table in tables {
        pager.table(table);
    }
    pager.end_part();
    let parts = std::mem::take(&mut pager.parts);
    let bottom = doc.height - MARGIN + 2.0;
    for (start, end) in parts {
        let count = end - start;
        for (i, page) in doc.pages[start..end].iter_mut().enumerate() {
            let label = format!("第 {} 页 共 {} 页", i + 1, count);
            page.items.push(Item::Text(
                Text::new(doc.width / 2.0, bottom, 8.0, Style::Sans, label).align(Align::Center),
            ));
        }
    }
    doc
}

#[derive(Debug, thiserror::Error)]
#[error("生成 Excel 文件时出错：{0}")]
pub struct XlsxError(String);

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, index: usize) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if cleaned.is_empty() {
        format!("Sheet{}", index + 1)
    } else {
        cleaned
    }
}

/// Writes text into a cell; text a spreadsheet would take for a formula (a name or unit from
/// outside beginning with `=`, `+`, `-`, `@`) gets the cell's quote prefix, which keeps it text,
/// as the CSV writer's `'` does.
fn write_text(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if crate::io::table::formula_leading(text) {
        sheet.write_string_with_format(row, col, text, &format.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// The tables as a workbook: tables with the same `sheet` go to one worksheet, one after
/// another; ID numbers and other digit strings stay text.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| XlsxError(e.to_string());
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(rust_xlsxwriter::Color::RGB(0xE8E8E8));
    let cell = Format::new().set_border(FormatBorder::Thin);
    let title_format = Format::new().set_bold().set_font_size(14);
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let name = sheet_name(
            if table.sheet.is_empty() {
                &table.title
            } else {
                &table.sheet
            },
            names.len(),
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for (index, name) in names.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(err)?;
        let mut row: u32 = 0;
        let mut widths: Vec<usize> = Vec::new();
        for table in tables.iter().filter(|t| {
            &sheet_name(
                if t.sheet.is_empty() {
                    &t.title
                } else {
                    &t.sheet
                },
                index,
            ) == name
        }) {
            if row > 0 {
                row += 1;
            }
            sheet
                .write_string_with_format(row, 0, &table.title, &title_format)
                .map_err(err)?;
            row += 1;
            for line in &table.subtitle {
                write_text(sheet, row, 0, line, &Format::new()).map_err(err)?;
                row += 1;
            }
            for (c, column) in table.columns.iter().enumerate() {
                sheet
                    .write_string_with_format(row, c as u16, &column.header, &header)
                    .map_err(err)?;
            }
            if row == 1 + table.subtitle.len() as u32 {
                sheet.set_freeze_panes(row + 1, 0).map_err(err)?;
            }
            row += 1;
            for values in &table.rows {
                for (c, (value, column)) in values.iter().zip(&table.columns).enumerate() {
                    match value.parse::<f64>() {
                        Ok(number) if column.numeric => {
                            sheet
                                .write_number_with_format(row, c as u16, number, &cell)
                                .map_err(err)?;
                        }
                        _ => write_text(sheet, row, c as u16, value, &cell).map_err(err)?,
                    }
                    if widths.len() <= c {
                        widths.resize(c + 1, 0);
                    }
                    let display: usize = value
                        .chars()
                        .map(|ch| if ch.is_ascii() { 1 } else { 2 })
                        .sum();
                    widths[c] = widths[c]
                        .max(display)
                        .max(column.header.chars().count() * 2);
                }
                row += 1;
            }
            for line in &table.closing {
                write_text(sheet, row, 0, line, &Format::new()).map_err(err)?;
                row += 1;
            }
        }
        for (c, width) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, (*width as f64 + 2.0).min(60.0))
                .map_err(err)?;
        }
    }
    if names.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize, new_part: bool) -> Table {
        Table {
            title: "电子商务运营（职工组）成绩公示".into(),
            subtitle: vec!["赛项组别：DS-ZG".into()],
            columns: vec![
                Column::centered("名次"),
                Column::text("姓名"),
                Column::text("单位"),
                Column::number("总成绩"),
            ],
            rows: (1..=rows)
                .map(|i| {
                    vec![
                        i.to_string(),
                        format!("选手{i}"),
                        "连云港职业技术学院".into(),
                        "88.50".into(),
                    ]
                })
                .collect(),
            closing: vec!["裁判签名：____________".into()],
            new_part,
            sheet: "公示".into(),
        }
    }

    fn page_labels(doc: &Document) -> Vec<String> {
        doc.pages
            .iter()
            .filter_map(|p| {
                p.items.iter().rev().find_map(|i| {
                    if let Item::Text(t) = i {
                        Some(t.text.clone())
                    } else {
                        None
                    }
                })
            })
            .collect()
    }

    #[test]
    fn long_tables_break_across_pages_and_repeat_the_header() {
        let doc = document("t", &A4_PORTRAIT, &[table(80, true)]);
        assert_eq!(doc.pages.len(), 3);
        assert_eq!(
            page_labels(&doc),
            vec!["第 1 页 共 3 页", "第 2 页 共 3 页", "第 3 页 共 3 页"]
        );
        for page in &doc.pages {
            assert!(
                page.items
                    .iter()
                    .any(|i| matches!(i, Item::Text(t) if t.text == "单位")),
                "header on every page"
            );
        }
        assert!(
            doc.pages[2]
                .items
                .iter()
                .any(|i| matches!(i, Item::Text(t) if t.text.starts_with("裁判签名")))
        );
    }

    #[test]
    fn every_part_numbers_its_own_pages() {
        let doc = document("t", &A4_LANDSCAPE, &[table(3, true), table(3, true)]);
        assert_eq!(
            page_labels(&doc),
            vec!["第 1 页 共 1 页", "第 1 页 共 1 页"]
        );
        let flowing = document("t", &A4_LANDSCAPE, &[table(3, true), table(3, false)]);
        assert_eq!(flowing.pages.len(), 1);
    }

    #[test]
    fn cells_fit_their_columns() {
        let mut measure = Measure::new();
        let doc = document("t", &A4_PORTRAIT, &[table(5, true)]);
        for t in doc.texts() {
            assert!(
                measure.text_width(t) <= A4_PORTRAIT.width - 2.0 * MARGIN,
                "{}",
                t.text
            );
        }
    }

    /// A part of the written workbook, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .unwrap_or_else(|e| panic!("zip: {e}"));
        let mut file = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap_or_else(|e| panic!("{e}"));
        text
    }

    #[test]
    fn formula_leading_text_in_a_workbook_keeps_its_quote_prefix_and_other_text_does_not() {
        let mut hostile = table(0, true);
        hostile.rows = vec![
            vec![
                "1".into(),
                "=HYPERLINK(\"http://x\",\"点此\")".into(),
                "@SUM(A1)".into(),
                "90.00".into(),
            ],
            vec![
                "2".into(),
                "-2+3".into(),
                "＋86 单位".into(),
                "-1.50".into(),
            ],
            vec![
                "3".into(),
                "张三".into(),
                "连云港职业技术学院".into(),
                "88.50".into(),
            ],
        ];
        let bytes = workbook(&[hostile]).unwrap_or_else(|e| panic!("{e}"));
        // The styles: which cell formats carry the quote prefix.
        let styles = part(&bytes, "xl/styles.xml");
        let xfs = styles
            .split("<cellXfs")
            .nth(1)
            .and_then(|s| s.split("</cellXfs>").next())
            .unwrap_or_default();
        let quoted: Vec<usize> = xfs
            .split("<xf ")
            .skip(1)
            .enumerate()
            .filter(|(_, xf)| {
                xf.split('>')
                    .next()
                    .unwrap_or_default()
                    .contains("quotePrefix=\"1\"")
            })
            .map(|(i, _)| i)
            .collect();
        assert!(!quoted.is_empty(), "{xfs}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        let style_of = |cell: &str| -> usize {
            let start = sheet
                .find(&format!("<c r=\"{cell}\""))
                .unwrap_or_else(|| panic!("{cell} in {sheet}"));
            let tag = &sheet[start..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            tag.split(" s=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        };
        // Rows: title 1, subtitle 2, header 3, data from 4.
        for cell in ["B4", "C4", "B5", "C5"] {
            assert!(quoted.contains(&style_of(cell)), "{cell} is not quoted");
        }
        for cell in ["B6", "C6", "A4", "D5"] {
            assert!(!quoted.contains(&style_of(cell)), "{cell} is quoted");
        }
        // The text itself is unchanged (no `'` added), and no cell is a formula.
        let strings = part(&bytes, "xl/sharedStrings.xml");
        assert!(
            strings.contains("@SUM(A1)") && !strings.contains("'@SUM"),
            "{strings}"
        );
        assert!(!sheet.contains("<f>"), "{sheet}");
    }

    #[test]
    fn workbook_is_a_zip_with_one_sheet_per_name() {
        let bytes = workbook(&[table(3, true), table(2, false)]).unwrap_or_else(|e| panic!("{e}"));
        assert!(bytes.starts_with(b"PK"));
        assert_eq!(sheet_name("a/b:c", 0), "abc");
        assert_eq!(sheet_name("", 2), "Sheet3");
    }
}
