//! What the integration tests share: temporary folders, the demo database, the window under
//! egui_kittest (signed in, stepped until the worker is idle, read back as text, files dropped on
//! it) and registration forms written on the app's own template. Each test file uses a part.
#![allow(dead_code)]

pub mod forms;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use judgedesk::ui::app::{Action, JudgeDeskApp, Screen};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A fresh folder under the temporary directory, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(tag: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("judgedesk-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
        Dir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` in the folder.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn open(path: &Path) -> Connection {
    judgedesk::store::open(path).unwrap_or_else(|e| panic!("open: {e}"))
}

/// The demo competition in `desk.sqlite` of `dir`.
pub fn demo_db(dir: &Dir) -> PathBuf {
    let path = dir.path("desk.sqlite");
    let conn = open(&path);
    judgedesk::ops::setup::init(&conn).unwrap_or_else(|e| panic!("init: {e}"));
    judgedesk::ops::demo::populate(&conn).unwrap_or_else(|e| panic!("demo: {e}"));
    path
}

pub type Window = Harness<'static, JudgeDeskApp>;

/// The window at the venue laptop's size with the bundled fonts.
pub fn harness(app: JudgeDeskApp) -> Window {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_context_setup(judgedesk::ui::fonts::install_fonts)
        .build_ui_state(|ui, app: &mut JudgeDeskApp| app.ui(ui), app)
}

/// The window on `path`, signed in as `name`, settled.
pub fn window(path: &Path, name: &str) -> Window {
    let mut h = harness(JudgeDeskApp::signed_in(
        open(path),
        path.display().to_string(),
        name,
    ));
    settle(&mut h);
    h
}

/// Steps frames until the worker has been idle for a few frames (a screen may queue its next
/// task on the frame after a reply).
pub fn settle(h: &mut Window) {
    let start = Instant::now();
    let mut idle = 0;
    while idle < 3 {
        h.step();
        idle = if h.state().is_busy() { 0 } else { idle + 1 };
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "job did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run();
}

/// Opens a screen; a tool screen reads what it shows on its first frame.
pub fn open_screen(h: &mut Window, screen: Screen) {
    h.state_mut().push(Action::Open(screen));
    settle(h);
    settle(h);
}

pub fn click(h: &mut Window, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

/// Every label and value the window shows, one a line.
pub fn texts(h: &Window) -> Vec<String> {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

pub fn all_text(h: &Window) -> String {
    texts(h).join("\n")
}

/// The status line's message.
pub fn status(h: &Window) -> String {
    h.state()
        .status()
        .map(|(m, _)| m.clone())
        .unwrap_or_default()
}

/// A file dropped on the window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `files` on the window and lets it take them in.
pub fn drop_files(h: &mut Window, files: &[PathBuf]) {
    for file in files {
        h.input_mut()
            .dropped_files
            .push(Arc::new(Dropped(file.clone())));
    }
    h.step();
    settle(h);
}
