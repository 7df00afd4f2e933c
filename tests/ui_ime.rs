//! Chinese typed through an input method (IME) in the fields where a person types a name or a
//! reason. Wine has no Chinese IME to type with, so this is checked the way the IME reaches the
//! window on Windows: winit turns the IME's messages into a preedit (the pinyin being composed,
//! shown underlined in the field) and a commit (the characters chosen), which eframe hands to
//! egui as `Event::Ime`. Each test checks that a focused field asks the system for the IME
//! (egui's IME output, which eframe turns into winit's `set_ime_allowed` and the candidate
//! window's position), that the preedit is shown and then replaced by the commit, and that what
//! is saved is the committed text only.

mod support;

use egui::{Event, ImeEvent};
use egui_kittest::kittest::Queryable;
use judgedesk::ui::app::{Action, Screen};
use support::{Dir, Window, all_text, demo_db, open, open_screen, settle, window};

/// Composes `pinyin` and commits `chosen`, as a Chinese IME does, checking each step.
fn compose(h: &mut Window, pinyin: &str, chosen: &str) {
    assert!(
        h.output().platform_output.ime.is_some(),
        "the focused field asks for the IME"
    );
    h.event(Event::Ime(ImeEvent::Preedit {
        text: pinyin.to_string(),
        active_range_chars: None,
    }));
    h.run();
    assert!(
        all_text(h).contains(pinyin),
        "the preedit shows in the field"
    );
    h.event(Event::Ime(ImeEvent::Commit(chosen.to_string())));
    h.run();
    let shown = all_text(h);
    assert!(
        shown.contains(chosen),
        "the commit is in the field: {shown}"
    );
    assert!(!shown.contains(pinyin), "the preedit is replaced: {shown}");
}

#[test]
fn a_reason_is_typed_in_chinese_through_an_ime() {
    let dir = Dir::new("ui-ime-reason");
    let path = demo_db(&dir);
    let conn = open(&path);
    let (id, name) = support::competing_in_ds_zg(&conn);
    let mut h = window(&path, "赛务管理员");
    h.state_mut().push(Action::OpenStatus {
        contestant: id,
        who: name,
    });
    settle(&mut h);
    h.get_all_by_label("弃赛")
        .last()
        .unwrap_or_else(|| panic!("弃赛"))
        .click();
    settle(&mut h);
    h.get_by_label("理由（记入审计日志）").click();
    h.run();
    compose(&mut h, "shen ti bu shi", "身体不适");
    h.get_by_label("保存状态").click();
    settle(&mut h);
    assert_eq!(support::last_audit_reason(&conn, "选手状态"), "身体不适");
}

#[test]
fn a_name_is_typed_in_chinese_through_an_ime() {
    let dir = Dir::new("ui-ime-name");
    let path = demo_db(&dir);
    let mut h = window(&path, "赛务管理员");
    open_screen(&mut h, Screen::Accounts);
    h.get_by_label("姓名").click();
    h.run();
    compose(&mut h, "wang", "王");
    // A second composition goes on after the first, as a name typed in two goes does.
    compose(&mut h, "xiao hong", "晓红");
    assert!(all_text(&h).contains("王晓红"), "{}", all_text(&h));
}
