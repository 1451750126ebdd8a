//! Reader scenarios that several test files run whole, each ending with
//! the checks every one of them needs.

use super::{NEWEST_DATE, Sandbox, assert_exit_code, list_header, list_row};

/// Bookmarks the newest sample in a reader whose bookmarks file cannot be
/// written: the failure is shown, the mark stays in memory, the reader keeps
/// answering keys, quitting asks twice and exits 1 with the terminal given
/// back. Returns what was printed after leaving, which says "not saved".
pub fn bookmark_in_a_reader_that_cannot_save(sandbox: &Sandbox) -> String {
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.watch("not saved, retrying");
    session.press(b"b");
    session.wait_until_seen("not saved, retrying");
    // The mark stays in memory: the selected row shows it.
    session.wait_for("the bookmark mark", |screen| {
        list_row(screen, NEWEST_DATE).is_some_and(|row| row.contains('★'))
    });
    // Still running and answering keys.
    session.press(b"j");
    session.wait_for("the second article selected", |screen| {
        list_header(screen).contains("2/5")
    });
    // Failed saves are retried and say so again, which may replace the
    // question: watch for it rather than expect it to stay.
    session.watch("quit again");
    session.press(b"q");
    session.wait_until_seen("quit again");
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 1);
    session.assert_terminal_restored();
    let after = session.after_leaving();
    assert!(after.contains("broadsheet: error: not saved"), "{after:?}");
    after
}
