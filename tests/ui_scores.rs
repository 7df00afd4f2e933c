//! 成绩导入 in the window, headless (egui_kittest) on a real file: theory scores from the exam
//! system refused as a whole when a row is wrong (file, row and field named, nothing changed),
//! then imported; a practical score typed from a paper sheet imported the same way.

mod support;

use egui_kittest::kittest::Queryable;
use judgedesk::ui::app::{Action, Screen};
use rusqlite::Connection;
use support::{Dir, all_text, demo_db, drop_files, open, settle, window};

/// The DS-ZG contestants' ID numbers, by workstation.
fn ids(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT c.id_number FROM contestant c JOIN pool p ON p.id = c.pool_id
              WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.workstation IS NOT NULL
              ORDER BY c.workstation",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    stmt.query_map([], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .collect()
}

fn theory(conn: &Connection, id_number: &str) -> Option<i64> {
    conn.query_row(
        "SELECT t.value FROM theory_entry t JOIN contestant c ON c.id = t.contestant_id
          WHERE c.id_number = ?1 ORDER BY t.id DESC LIMIT 1",
        [id_number],
        |r| r.get(0),
    )
    .unwrap_or(None)
}

#[test]
fn theory_scores_are_refused_whole_with_the_row_named_then_imported() {
    let dir = Dir::new("ui-scores-theory");
    let db = demo_db(&dir);
    let conn = open(&db);
    let people = ids(&conn);
    assert!(people.len() >= 2);
    let before = theory(&conn, &people[0]);

    let mut h = window(&db, "赛务管理员");
    h.state_mut().push(Action::Open(Screen::ScoreImport));
    settle(&mut h);

    // Row 3 holds an ID number nobody in DS-ZG has: the whole file is refused.
    let csv = dir.path("理论成绩.csv");
    let write = |rows: &[(&str, &str)]| {
        let mut text = String::from("赛项,组别,身份证号,理论成绩\n");
        for (id, value) in rows {
            text.push_str(&format!("电子商务运营,职工组,{id},{value}\n"));
        }
        std::fs::write(&csv, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write(&[
        (&people[0], "91.5"),
        ("32010219900101123X", "80"),
        (&people[1], "77"),
    ]);
    drop_files(&mut h, std::slice::from_ref(&csv));
    h.get_by_label("导入理论成绩").click();
    settle(&mut h);
    let shown = all_text(&h);
    assert!(shown.contains("未导入"), "{shown}");
    assert!(
        shown.contains("理论成绩.csv") && shown.contains("身份证号"),
        "the file and the field are named: {shown}"
    );
    assert!(shown.lines().any(|l| l == "3"), "the row is named: {shown}");
    assert_eq!(theory(&conn, &people[0]), before, "nothing changed");

    // Corrected and imported again: both values stored.
    write(&[(&people[0], "91.5"), (&people[1], "77")]);
    h.get_by_label("导入理论成绩").click();
    settle(&mut h);
    assert!(all_text(&h).contains("理论成绩已导入"), "{}", all_text(&h));
    assert_eq!(theory(&conn, &people[0]), Some(9150));
    assert_eq!(theory(&conn, &people[1]), Some(7700));

    // A practical score from a paper sheet, by workstation.
    h.get_by_label("纸质评分").click();
    h.run();
    let paper = dir.path("纸质评分.csv");
    std::fs::write(
        &paper,
        "赛项,组别,身份证号,工位号,裁判,评分项,分数\nDS,ZG,,1,DS-ZG裁判1,DS01,1.5\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop_files(&mut h, std::slice::from_ref(&paper));
    h.get_by_label("导入纸质评分").click();
    settle(&mut h);
    assert!(
        all_text(&h).contains("纸质评分已导入：1 项有变化"),
        "{}",
        all_text(&h)
    );
    let value: i64 = conn
        .query_row(
            "SELECT cs.value FROM current_score cs
               JOIN contestant c ON c.id = cs.contestant_id
               JOIN pool p ON p.id = c.pool_id
               JOIN criterion k ON k.id = cs.criterion_id
               JOIN account a ON a.id = cs.judge_id
              WHERE p.event = 'DS' AND p.grp = 'ZG' AND c.workstation = 1
                AND k.code = 'DS01' AND a.name = 'DS-ZG裁判1'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value, 150);
}
