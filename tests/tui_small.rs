//! Small behaviours of the reader a person notices at once: where the
//! selection is before they have pressed a key, what `r` and `x` say and do,
//! and what help says about them. Driven without a terminal, as
//! tests/tui_app.rs does.

mod reader;

use reader::*;

use ratatui::crossterm::event::KeyCode;

/// A copy of the bundled samples, which a test may add files to.
fn samples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(samples_dir()).expect("samples") {
        let path = entry.expect("entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.path().join(name)).expect("copy");
        }
    }
    dir
}

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
