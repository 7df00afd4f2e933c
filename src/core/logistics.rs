//! Logistics from the unit forms (§2): rooms and guests per venue and night, arrivals by date
//! with their flight or train, and head counts checked against the forms' totals. Pure.

use super::date::Date;
use super::model::Gender;
use super::registration::UnitForm;
use std::collections::BTreeMap;

/// A stay longer than this many nights is a typing error; only this many are counted.
pub const MAX_NIGHTS: i64 = 31;
/// Shown where a pool has no venue yet.
pub const NO_VENUE: &str = "（未定）";

/// One unit at one event: its form, if it sent one, and the contestants registered for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegation {
    pub unit: String,
    pub event_name: String,
    pub venue: Option<String>,
    pub form: Option<UnitForm>,
    /// The genders of the contestants registered for this unit and event.
    pub contestants: Vec<Gender>,
}

/// What one venue needs for one night (the night that begins on `date`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Night {
    pub venue: String,
    pub date: Date,
    pub standard_rooms: u32,
    pub single_rooms: u32,
    pub male: u32,
    pub female: u32,
    pub guests: u32,
    pub units: u32,
}

/// A delegation arriving on its check-in date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub date: Date,
    pub venue: String,
    pub unit: String,
    pub event_name: String,
    pub guests: u32,
    pub travel: Option<String>,
    pub leader: Option<String>,
    pub leader_phone: Option<String>,
}

/// A form's declared head counts beside the contestants registered, with what does not agree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadCount {
    pub unit: String,
    pub event_name: String,
    pub venue: String,
    pub total: Option<u32>,
    pub male: Option<u32>,
    pub female: Option<u32>,
    pub registered: u32,
    pub registered_male: u32,
    pub registered_female: u32,
    /// Beds in the rooms asked for: two per standard room, one per single room.
    pub beds: Option<u32>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logistics {
    /// By venue, then date.
    pub nights: Vec<Night>,
    /// By date, venue, unit.
    pub arrivals: Vec<Arrival>,
    /// In the order of the delegations given.
    pub head_counts: Vec<HeadCount>,
}

impl Logistics {
    /// True when some head count has a note.
    pub fn has_notes(&self) -> bool {
        self.head_counts.iter().any(|h| !h.notes.is_empty())
    }
}

fn genders(contestants: &[Gender]) -> (u32, u32) {
    let male = contestants.iter().filter(|g| **g == Gender::Male).count() as u32;
    (male, contestants.len() as u32 - male)
}

/// Where a form's head counts disagree with each other or with the contestants it covers:
/// `(field, message)`.
pub fn head_count_problems(form: &UnitForm, contestants: &[Gender]) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let (male, female) = genders(contestants);
    let registered = male + female;
    if let Some(total) = form.total_people.filter(|t| registered > *t) {
        problems.push((
            "总人数",
            format!("报名选手 {registered} 人，多于总人数 {total}"),
        ));
    }
    if let Some(declared) = form.male_people.filter(|m| male > *m) {
        problems.push((
            "男性人数",
            format!("男选手 {male} 人，多于男性人数 {declared}"),
        ));
    }
    if let Some(declared) = form.female_people.filter(|f| female > *f) {
        problems.push((
            "女性人数",
            format!("女选手 {female} 人，多于女性人数 {declared}"),
        ));
    }
    if let (Some(beds), Some(total)) = (beds(form), form.total_people)
        && beds < total
    {
        problems.push((
            "标间数量",
            format!("房间共 {beds} 个床位，少于总人数 {total}"),
        ));
    }
    problems
}

fn beds(form: &UnitForm) -> Option<u32> {
    match (form.standard_rooms, form.single_rooms) {
        (None, None) => None,
        (standard, single) => Some(standard.unwrap_or(0) * 2 + single.unwrap_or(0)),
    }
}

/// Guests `(male, female, total)`: the form's counts, completed from each other and, where the
/// form is silent, from the registered contestants.
fn guests(form: &UnitForm, contestants: &[Gender]) -> (u32, u32, u32) {
    let (registered_male, registered_female) = genders(contestants);
    let total = form
        .total_people
        .or(form.male_people.zip(form.female_people).map(|(m, f)| m + f))
        .unwrap_or(registered_male + registered_female);
    let male = form
        .male_people
        .or_else(|| form.female_people.and_then(|f| total.checked_sub(f)))
        .unwrap_or(registered_male);
    let female = form
        .female_people
        .or_else(|| total.checked_sub(male))
        .unwrap_or(registered_female);
    (male, female, total)
}

/// Rooms, guests, arrivals and head counts of every delegation.
pub fn plan(delegations: &[Delegation]) -> Logistics {
    let mut nights: BTreeMap<(String, Date), Night> = BTreeMap::new();
    let mut logistics = Logistics::default();
    for d in delegations {
        let venue = d.venue.clone().unwrap_or_else(|| NO_VENUE.to_string());
        let (registered_male, registered_female) = genders(&d.contestants);
        let mut count = HeadCount {
            unit: d.unit.clone(),
            event_name: d.event_name.clone(),
            venue: venue.clone(),
            total: None,
            male: None,
            female: None,
            registered: registered_male + registered_female,
            registered_male,
            registered_female,
            beds: None,
            notes: Vec::new(),
        };
        let Some(form) = &d.form else {
            count.notes.push("没有单位回执，住宿与行程不详".to_string());
            logistics.head_counts.push(count);
            continue;
        };
        count.total = form.total_people;
        count.male = form.male_people;
        count.female = form.female_people;
        count.beds = beds(form);
        if let (Some(total), Some(male), Some(female)) =
            (form.total_people, form.male_people, form.female_people)
            && male + female != total
        {
            count.notes.push(format!(
                "男性人数 {male} + 女性人数 {female} 与总人数 {total} 不符"
            ));
        }
        count.notes.extend(
            head_count_problems(form, &d.contestants)
                .into_iter()
                .map(|(_, message)| message),
        );
        if form.total_people.is_none() {
            count.notes.push("未填写总人数，按报名选手计".to_string());
        }
        if count.beds.is_none() {
            count.notes.push("未填写房间数量".to_string());
        }
        let (male, female, people) = guests(form, &d.contestants);
        match form.check_in {
            None => count
                .notes
                .push("未填写入住日期，未计入住宿与抵达".to_string()),
            Some(check_in) => {
                let nights_stayed = match form.check_out {
                    None => {
                        count.notes.push("未填写退房日期，按住一晚计".to_string());
                        1
                    }
                    Some(out) if out <= check_in => {
                        count.notes.push(format!(
                            "退房日期 {out} 不晚于入住日期 {check_in}，未计住宿"
                        ));
                        0
                    }
                    Some(out) => {
                        let n = out.days_since_epoch() - check_in.days_since_epoch();
                        if n > MAX_NIGHTS {
                            count
                                .notes
                                .push(format!("住宿 {n} 晚，疑为填写错误，只计 {MAX_NIGHTS} 晚"));
                        }
                        n.min(MAX_NIGHTS)
                    }
                };
                for offset in 0..nights_stayed {
                    let date = check_in.add_days(offset);
                    let night = nights
                        .entry((venue.clone(), date))
                        .or_insert_with(|| Night {
                            venue: venue.clone(),
                            date,
                            standard_rooms: 0,
                            single_rooms: 0,
                            male: 0,
                            female: 0,
                            guests: 0,
                            units: 0,
                        });
                    night.standard_rooms += form.standard_rooms.unwrap_or(0);
                    night.single_rooms += form.single_rooms.unwrap_or(0);
                    night.male += male;
                    night.female += female;
                    night.guests += people;
                    night.units += 1;
                }
                logistics.arrivals.push(Arrival {
                    date: check_in,
                    venue: venue.clone(),
                    unit: d.unit.clone(),
                    event_name: d.event_name.clone(),
                    guests: people,
                    travel: form.travel.clone(),
                    leader: form.leader.clone(),
                    leader_phone: form.leader_phone.clone(),
                });
            }
        }
        logistics.head_counts.push(count);
    }
    logistics.nights = nights.into_values().collect();
    logistics
        .arrivals
        .sort_by(|a, b| (a.date, &a.venue, &a.unit).cmp(&(b.date, &b.venue, &b.unit)));
    logistics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day: u32) -> Date {
        Date {
            year: 2023,
            month: 10,
            day,
        }
    }

    fn delegation(unit: &str, venue: &str, form: UnitForm, contestants: &[Gender]) -> Delegation {
        Delegation {
            unit: unit.into(),
            event_name: "电子商务运营".into(),
            venue: Some(venue.into()),
            form: Some(form),
            contestants: contestants.to_vec(),
        }
    }

    fn form(total: u32, male: u32, female: u32, rooms: (u32, u32), stay: (u32, u32)) -> UnitForm {
        UnitForm {
            total_people: Some(total),
            male_people: Some(male),
            female_people: Some(female),
            standard_rooms: Some(rooms.0),
            single_rooms: Some(rooms.1),
            check_in: Some(date(stay.0)),
            check_out: Some(date(stay.1)),
            travel: Some("G7001 10:05 到连云港站".into()),
            ..UnitForm::default()
        }
    }

    #[test]
    fn nights_add_up_per_venue_and_date() {
        use Gender::*;
        let plan = plan(&[
            delegation(
                "甲",
                "连云港职业技术学院",
                form(4, 3, 1, (1, 2), (14, 16)),
                &[Male, Female],
            ),
            delegation(
                "乙",
                "连云港职业技术学院",
                form(3, 1, 2, (1, 1), (15, 16)),
                &[Female],
            ),
            delegation(
                "丙",
                "江苏经贸职业技术学院",
                form(2, 2, 0, (1, 0), (14, 15)),
                &[Male],
            ),
        ]);
        let rows: Vec<(&str, u32, u32, u32, u32, u32, u32)> = plan
            .nights
            .iter()
            .map(|n| {
                (
                    n.venue.as_str(),
                    n.date.day,
                    n.standard_rooms,
                    n.single_rooms,
                    n.male,
                    n.female,
                    n.units,
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("江苏经贸职业技术学院", 14, 1, 0, 2, 0, 1),
                ("连云港职业技术学院", 14, 1, 2, 3, 1, 1),
                ("连云港职业技术学院", 15, 2, 3, 4, 3, 2),
            ]
        );
        let arrivals: Vec<(u32, &str)> = plan
            .arrivals
            .iter()
            .map(|a| (a.date.day, a.unit.as_str()))
            .collect();
        assert_eq!(arrivals, vec![(14, "丙"), (14, "甲"), (15, "乙")]);
        assert!(!plan.has_notes());
    }

    #[test]
    fn head_counts_are_checked_against_the_form() {
        use Gender::*;
        let plan = plan(&[
            delegation(
                "甲",
                "某地",
                form(2, 1, 0, (0, 1), (14, 15)),
                &[Male, Male, Female],
            ),
            Delegation {
                unit: "乙".into(),
                event_name: "电子商务运营".into(),
                venue: None,
                form: None,
                contestants: vec![Female],
            },
        ]);
        assert_eq!(
            plan.head_counts[0].notes,
            vec![
                "男性人数 1 + 女性人数 0 与总人数 2 不符",
                "报名选手 3 人，多于总人数 2",
                "男选手 2 人，多于男性人数 1",
                "女选手 1 人，多于女性人数 0",
                "房间共 1 个床位，少于总人数 2",
            ]
        );
        assert_eq!(plan.head_counts[1].venue, NO_VENUE);
        assert_eq!(
            plan.head_counts[1].notes,
            vec!["没有单位回执，住宿与行程不详"]
        );
    }

    #[test]
    fn missing_dates_are_noted_and_long_stays_capped() {
        let mut no_out = form(2, 1, 1, (1, 0), (14, 15));
        no_out.check_out = None;
        let mut no_in = no_out.clone();
        no_in.check_in = None;
        let mut long = form(2, 1, 1, (1, 0), (14, 15));
        long.check_out = Date::new(2024, 10, 14);
        let plan = plan(&[
            delegation("甲", "某地", no_out, &[]),
            delegation("乙", "某地", no_in, &[]),
            delegation("丙", "某地", long, &[]),
        ]);
        assert_eq!(
            plan.head_counts[0].notes,
            vec!["未填写退房日期，按住一晚计"]
        );
        assert_eq!(
            plan.head_counts[1].notes,
            vec!["未填写入住日期，未计入住宿与抵达"]
        );
        assert_eq!(
            plan.head_counts[2].notes,
            vec!["住宿 366 晚，疑为填写错误，只计 31 晚"]
        );
        assert_eq!(plan.arrivals.len(), 2);
        assert_eq!(plan.nights.len(), 31);
        assert_eq!(plan.nights[0].units, 2);
    }

    #[test]
    fn guests_fall_back_on_the_form_then_the_contestants() {
        use Gender::*;
        let silent = UnitForm::default();
        assert_eq!(guests(&silent, &[Male, Female, Female]), (1, 2, 3));
        let total_and_female = UnitForm {
            total_people: Some(5),
            female_people: Some(2),
            ..UnitForm::default()
        };
        assert_eq!(guests(&total_and_female, &[]), (3, 2, 5));
    }
}
