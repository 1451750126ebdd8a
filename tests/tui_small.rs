//! Small behaviours of the reader a person notices at once: where the
//! selection is before they have pressed a key, what `r` and `x` say and do,
//! and what help says about them. Driven without a terminal, as
//! tests/tui_app.rs does.

mod reader;

use reader::*;

use ratatui::crossterm::event::KeyCode;

/// Writes an article dated after every sample: it goes first in the list.
fn write_newest(dir: &std::path::Path, name: &str) {
    std::fs::write(
        dir.join(name),
        " date 2026-11-20 Posted in: TV | Tagged: news\n\nA Newer Article\n\nJust arrived.\n",
    )
    .expect("new article");
}

#[test]
fn files_arriving_before_the_first_key_leave_the_selection_on_the_first_row() {
    let dir = samples_copy();
    let config = config_for(dir.path());
    let mut app = reader(config.clone(), 120, 40);
    assert_eq!(app.selected(), 0);

    // Files arrive in the first second, before any key is pressed.
    write_newest(dir.path(), "010_new.txt");
    for event in refresh_events(&config) {
        send(&mut app, event);
    }
    assert_eq!(app.selected(), 0, "the selection stays on the first row");
    assert_eq!(
        selected_id(&app),
        "010_new.txt",
        "which is the newest article"
    );
    assert_eq!(app.list_offset(), 0);
}

#[test]
fn after_a_key_the_selection_follows_its_article_as_files_arrive() {
    let dir = samples_copy();
    let config = config_for(dir.path());
    let mut app = reader(config.clone(), 120, 40);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('k'));
    let chosen = selected_id(&app);

    write_newest(dir.path(), "010_new.txt");
    for event in refresh_events(&config) {
        send(&mut app, event);
    }
    assert_eq!(
        selected_id(&app),
        chosen,
        "the chosen article stays selected"
    );
    assert_eq!(app.selected(), 1, "one row down, under the new article");
}

#[test]
fn r_says_what_it_read_when_the_reload_is_done() {
    let dir = samples_copy();
    let config = config_for(dir.path());
    let mut app = reader(config.clone(), 120, 40);
    let effects = press(&mut app, KeyCode::Char('r'));
    assert!(effects.contains(&broadsheet::tui::app::Effect::Reload));

    write_newest(dir.path(), "010_new.txt");
    let mut loader = broadsheet::tui::loading::Loader::new(config.clone());
    let mut events = Vec::new();
    loader.reload(&|_| {}, &mut |event| {
        events.push(event);
        true
    });
    for event in events {
        send(&mut app, event);
    }
    let text = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert_eq!(text, "read the folder again: 6 articles (+1 new)");

    // A reload that changes nothing still says it was done.
    press(&mut app, KeyCode::Char('r'));
    for event in load_events(&config) {
        send(&mut app, event);
    }
    let text = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert_eq!(text, "read the folder again: 6 articles");

    // A load the person did not ask for says only what changed.
    std::fs::remove_file(dir.path().join("010_new.txt")).expect("remove");
    for event in refresh_events(&config) {
        send(&mut app, event);
    }
    assert_eq!(app.message().map(|m| m.text.as_str()), Some("1 gone"));
}

#[test]
fn x_picks_and_moves_down_and_help_says_so() {
    let mut app = samples_reader(120, 40);
    let first = selected_id(&app);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.selected(), 1, "x moves down after picking");
    assert!(app.picked_ids().contains(&first));

    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "pick or unpick the article");
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("and move down"), "{screen}");
}
