//! The unit rows of the registration forms (回执): leader, contact, head counts, rooms and travel,
//! one per unit and event.

use super::Result;
use super::people::unit_id;
use crate::core::date::Date;
use crate::core::registration::UnitForm;
use rusqlite::{Connection, params};

/// A stored form with the file it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredUnitForm {
    pub unit_id: i64,
    pub form: UnitForm,
    pub source_file: Option<String>,
}

/// Stores the unit rows of a form, replacing an earlier version for the same unit and event.
pub fn upsert_unit_form(conn: &Connection, form: &UnitForm, source_file: &str) -> Result<()> {
    let unit_id = unit_id(conn, &form.unit)?;
    let date = |d: Option<Date>| d.map(|d| d.to_string());
    conn.prepare_cached(
        "INSERT INTO unit_form (unit_id, event, leader, leader_post, leader_phone, contact, contact_post, contact_phone,
             total_people, male_people, female_people, standard_rooms, single_rooms, check_in, check_out, travel, form_date, source_file)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (unit_id, event) DO UPDATE SET leader = excluded.leader, leader_post = excluded.leader_post,
             leader_phone = excluded.leader_phone, contact = excluded.contact, contact_post = excluded.contact_post,
             contact_phone = excluded.contact_phone, total_people = excluded.total_people, male_people = excluded.male_people,
             female_people = excluded.female_people, standard_rooms = excluded.standard_rooms, single_rooms = excluded.single_rooms,
             check_in = excluded.check_in, check_out = excluded.check_out, travel = excluded.travel,
             form_date = excluded.form_date, source_file = excluded.source_file",
    )?
    .execute(params![
        unit_id,
        form.event,
        form.leader,
        form.leader_post,
        form.leader_phone,
        form.contact,
        form.contact_post,
        form.contact_phone,
        form.total_people,
        form.male_people,
        form.female_people,
        form.standard_rooms,
        form.single_rooms,
        date(form.check_in),
        date(form.check_out),
        form.travel,
        date(form.form_date),
        source_file,
    ])?;
    Ok(())
}

/// Every stored form, by unit name and event order.
pub fn unit_forms(conn: &Connection) -> Result<Vec<StoredUnitForm>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.unit_id, u.name, f.event, f.leader, f.leader_post, f.leader_phone, f.contact, f.contact_post,
             f.contact_phone, f.total_people, f.male_people, f.female_people, f.standard_rooms, f.single_rooms,
             f.check_in, f.check_out, f.travel, f.form_date, f.source_file
         FROM unit_form f JOIN unit u ON u.id = f.unit_id JOIN event e ON e.code = f.event
         ORDER BY u.name, e.position",
    )?;
    let rows = stmt.query_map([], |r| {
        let date = |i: usize| -> rusqlite::Result<Option<Date>> {
            Ok(r.get::<_, Option<String>>(i)?
                .as_deref()
                .and_then(Date::parse))
        };
        Ok(StoredUnitForm {
            unit_id: r.get(0)?,
            form: UnitForm {
                unit: r.get(1)?,
                event: r.get(2)?,
                leader: r.get(3)?,
                leader_post: r.get(4)?,
                leader_phone: r.get(5)?,
                contact: r.get(6)?,
                contact_post: r.get(7)?,
                contact_phone: r.get(8)?,
                total_people: r.get(9)?,
                male_people: r.get(10)?,
                female_people: r.get(11)?,
                standard_rooms: r.get(12)?,
                single_rooms: r.get(13)?,
                check_in: date(14)?,
                check_out: date(15)?,
                travel: r.get(16)?,
                form_date: date(17)?,
            },
            source_file: r.get(18)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_form_for_the_same_unit_and_event_replaces_the_first() -> Result<()> {
        let conn = super::super::open_in_memory()?;
        // One transaction for the whole test, never committed: its sealed rows need no signature.
        conn.execute_batch("BEGIN")?;
        conn.execute(
            "INSERT INTO event (code, name, occupation, position) VALUES ('DS', '电子商务运营', '电子商务师', 0)",
            [],
        )?;
        let mut form = UnitForm {
            unit: "甲单位".into(),
            event: "DS".into(),
            total_people: Some(3),
            check_in: Date::new(2023, 10, 14),
            ..UnitForm::default()
        };
        upsert_unit_form(&conn, &form, "一.xlsx")?;
        form.total_people = Some(4);
        upsert_unit_form(&conn, &form, "二.xlsx")?;
        let stored = unit_forms(&conn)?;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].form, form);
        assert_eq!(stored[0].source_file.as_deref(), Some("二.xlsx"));
        Ok(())
    }
}
