//! Registration forms filled by the tests on the app's own template workbook.

use judgedesk::core::model::Group;
use judgedesk::io::form::{FormLayout, FormSpec, add_form_sheet};
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;
use std::path::Path;

pub type Error = Box<dyn std::error::Error>;

/// A valid resident ID number, its check digit computed here independently of the crate.
pub fn id(birth: &str, sequence: u32) -> String {
    let first17 = format!("320102{birth}{sequence:03}");
    format!("{first17}{}", check_char(&first17))
}

pub fn check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

/// A cell value as the test writes it.
#[derive(Clone, Debug)]
pub enum V {
    T(String),
    N(f64),
}

pub fn t(text: &str) -> V {
    V::T(text.to_string())
}

pub type Cells = BTreeMap<&'static str, V>;

pub fn cells(pairs: &[(&'static str, V)]) -> Cells {
    pairs.iter().cloned().collect()
}

/// One form's contents, written onto the app's own template sheet.
#[derive(Clone, Debug)]
pub struct Form {
    pub event: String,
    pub sheet: String,
    pub unit: Cells,
    pub staff: Vec<Cells>,
    pub students: Vec<Cells>,
}

fn spec() -> Result<FormSpec, Error> {
    let builtin = judgedesk::builtin::load()?;
    Ok(FormSpec {
        heading: builtin.name.clone(),
        year: builtin.year,
        events: builtin.events.iter().map(|e| e.name.clone()).collect(),
        registration_end: builtin.registration_end,
    })
}

fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    at: Option<(u32, u16)>,
    what: &str,
    value: &V,
) -> Result<(), Error> {
    let (row, col) = at.ok_or_else(|| format!("the template has no cell for {what}"))?;
    match value {
        V::T(text) => sheet.write_string(row, col, text)?,
        V::N(n) => sheet.write_number(row, col, *n)?,
    };
    Ok(())
}

/// Writes forms as the sheets of one workbook, each on the app's template.
pub fn save_forms(path: &Path, forms: &[Form]) -> Result<(), Error> {
    let spec = spec()?;
    let mut book = Workbook::new();
    for form in forms {
        let rows = form.staff.len().max(form.students.len()).max(3) as u32;
        let layout = FormLayout {
            rows_per_group: rows,
        };
        let sheet = add_form_sheet(&mut book, &spec, &form.event, layout)?;
        sheet.set_name(&form.sheet)?;
        for (field, value) in &form.unit {
            write_cell(sheet, layout.cell(field), field, value)?;
        }
        for (group, people) in [
            (Group::Staff, &form.staff),
            (Group::Student, &form.students),
        ] {
            for (index, person) in people.iter().enumerate() {
                for (column, value) in person {
                    write_cell(
                        sheet,
                        layout.person(group, index as u32, column),
                        column,
                        value,
                    )?;
                }
            }
        }
    }
    book.save(path)?;
    Ok(())
}
