//! Marks made by another process show in a running reader without `r`:
//! the reader follows the store files as it follows the folder. Through
//! the real binary in a pseudo-terminal: the reader open, `broadsheet
//! bookmark add` and `broadsheet read` run beside it, and the marks appear;
//! a bookmark made in the reader meanwhile is kept, in the reader and in
//! the file.

mod common;

use common::*;

#[test]
fn a_bookmark_added_by_another_process_shows_in_the_open_reader() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.wait_for("no bookmark yet", |screen| {
        list_row(screen, NEWEST_DATE).is_some_and(|row| !row.contains('★'))
    });

    sandbox.cli(&["bookmark", "add", NEWEST]);
    session.wait_for("the bookmark mark on the newest article", |screen| {
        list_row(screen, NEWEST_DATE).is_some_and(|row| row.contains('★'))
            && status_line(screen).contains("★1")
    });

    // A read mark too: the unread dot goes.
    sandbox.cli(&["read", SECOND]);
    session.wait_for("the second article read", |screen| {
        list_row(screen, SECOND_DATE).is_some_and(|row| !row.starts_with('•'))
    });

    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn a_bookmark_made_in_the_reader_and_one_from_outside_are_both_kept() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    // Ours, in the reader, on the second article.
    session.press(b"j");
    session.wait_for("the second article selected", |screen| {
        list_header(screen).trim_end().ends_with("2/5")
    });
    session.press(b"b");
    session.wait_for("our bookmark shown", |screen| {
        list_row(screen, SECOND_DATE).is_some_and(|row| row.contains('★'))
    });
    // Theirs, from another process, on the newest.
    sandbox.cli(&["bookmark", "add", NEWEST]);
    session.wait_for("both bookmarks shown", |screen| {
        let marked = |date| list_row(screen, date).is_some_and(|row| row.contains('★'));
        marked(SECOND_DATE) && marked(NEWEST_DATE) && status_line(screen).contains("★2")
    });
    session.wait_for("every change saved", |screen| {
        !status_line(screen).contains("saving")
    });
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
    let bookmarks = sandbox.file("bookmarks.toml");
    assert!(bookmarks.contains(NEWEST), "{bookmarks}");
    assert!(bookmarks.contains(SECOND), "{bookmarks}");
}
