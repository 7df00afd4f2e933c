//! 成绩导入 in the window, headless (egui_kittest) on a real file: theory scores from the exam
//! system refused as a whole when a row is wrong (file, row and field named, nothing changed),
//! then imported; a practical score typed from a paper sheet imported the same way.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("judgedesk-ui-scores-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("dir: {e}"));
        Dir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn open(path: &Path) -> Connection {
    judgedesk::store::open(path).unwrap_or_else(|e| panic!("open: {e}"))
}

fn settle(h: &mut Harness<'static, JudgeDeskApp>) {
    let start = Instant::now();
    let mut idle = 0;
    loop {
        h.step();
        idle = if h.state().is_busy() { 0 } else { idle + 1 };
        if idle >= 3 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "job did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run();
}

fn all_text(h: &Harness<'static, JudgeDeskApp>) -> String {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file dropped on the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'static, JudgeDeskApp>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    h.run();
}

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
    let dir = Dir::new("theory");
    let db = dir.path("desk.sqlite");
    {
        let conn = open(&db);
        judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
        judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("demo: {e}"));
    }
    let conn = open(&db);
    let people = ids(&conn);
    assert!(people.len() >= 2);
    let before = theory(&conn, &people[0]);

    let app = JudgeDeskApp::signed_in(open(&db), db.display().to_string(), "赛务管理员");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_context_setup(judgedesk::ui::fonts::install_fonts)
        .build_ui_state(|ui, app: &mut JudgeDeskApp| app.ui(ui), app);
    settle(&mut h);
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
    drop_file(&mut h, &csv);
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
    drop_file(&mut h, &paper);
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
