//! The interactive reader in a real pseudo-terminal: start `broadsheet`,
//! read the screen it draws, press keys, send signals, and check what a
//! user would see afterwards: the files it saved, its exit status and a
//! terminal given back clean.
//!
//! Every wait has a generous deadline and polls the parsed screen, so a
//! slow machine only makes a test slower, never wrong; a test that fails
//! prints the screen it last saw.

mod common;

use common::*;

#[test]
fn a_bookmark_made_in_the_reader_is_saved_and_shown_after_a_restart() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    assert!(session.raw_mode(), "the reader runs in raw mode");

    session.press(b"j");
    session.wait_for("the second article selected (2/5)", |screen| {
        list_header(screen).trim_end().ends_with("2/5")
    });
    session.press(b"b");
    session.wait_for_text(&["bookmarked: Heartstopper Season 3"]);
    // The status counts "saving 1" until the saver confirms; quitting after
    // that leaves at once instead of asking to quit again.
    session.wait_for("the bookmark saved", |screen| {
        let status = status_line(screen);
        status.contains("★1") && !status.contains("saving")
    });
    session.press(b"q");
    let status = session.wait_exit();
    assert_exit_code(&status, 0);
    session.assert_terminal_restored();
    let bookmarks = sandbox.file("bookmarks.toml");
    assert!(
        bookmarks.contains(&format!("id = \"{SECOND}\"")),
        "{bookmarks}"
    );
    assert!(!bookmarks.contains(NEWEST), "{bookmarks}");

    // Started again, the list marks the bookmarked article and only it.
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.wait_for("the bookmark mark on the second article only", |screen| {
        let marked = |date| list_row(screen, date).map(|row| row.contains('★'));
        marked(SECOND_DATE) == Some(true) && marked(NEWEST_DATE) == Some(false)
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn enter_opens_the_article_and_marks_it_read() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    let unread =
        |screen: &vt100::Screen| list_row(screen, NEWEST_DATE).map(|row| row.starts_with('•'));
    session.wait_for("the newest article unread", |screen| {
        unread(screen) == Some(true)
    });
    session.press(ENTER);
    session.wait_for("the article open, read and saved", |screen| {
        let hints = screen_rows(screen).last().cloned().unwrap_or_default();
        unread(screen) == Some(false)
            && hints.contains("scroll")
            && !status_line(screen).contains("saving")
    });
    // q closes the article (newsboat's rule); from the list it quits.
    session.press(b"q");
    session.wait_for("the list focused", |screen| {
        let hints = screen_rows(screen).last().cloned().unwrap_or_default();
        hints.contains("enter open") && hints.contains("q quit")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
    let state = sandbox.file("state.toml");
    assert!(state.contains(NEWEST), "{state}");
    assert!(!state.contains(SECOND), "{state}");
}

#[test]
fn sigterm_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGTERM);
}

#[test]
fn sighup_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGHUP);
}

#[test]
fn sigint_from_outside_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGINT);
}

/// A signal ends the reader with 128 + the signal, after giving the
/// terminal back.
fn leaves_cleanly_on(signal: libc::c_int) {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.signal(signal);
    let status = session.wait_exit();
    let expected = 128 + u32::try_from(signal).expect("a signal number");
    assert_exit_code(&status, expected);
    session.assert_terminal_restored();
}

#[test]
fn ctrl_c_quits_cleanly() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(CTRL_C);
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn search_shows_as_many_articles_as_the_cli_finds() {
    let sandbox = Sandbox::samples();
    let expected = sandbox.cli(&["list", "bloopers", "--count"]);
    let expected = format!("{}/5", expected.trim());
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(b"/");
    session.wait_for("the search prompt", |screen| {
        status_line(screen).starts_with('/')
    });
    session.press(b"bloopers");
    session.press(ENTER);
    session.wait_for(&format!("the search kept with {expected}"), |screen| {
        let status = status_line(screen);
        status.starts_with(" bloopers") && status.trim_end().ends_with(&expected)
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    for (cols, rows) in [(40, 12), (120, 40)] {
        session.resize(cols, rows);
        // The status line sits second from the bottom of the new size, so
        // it shows only once a frame was drawn for that size.
        session.wait_for(&format!("a frame at {cols}x{rows}"), |screen| {
            let hints = screen_rows(screen).last().cloned().unwrap_or_default();
            screen_rows(screen).len() == usize::from(rows)
                && status_line(screen).trim_end().ends_with("5/5")
                && hints.trim_end().ends_with("q quit")
        });
    }
    session.wait_for_text(&[NEWEST_TITLE]);
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn a_large_folder_shows_a_first_frame_then_every_article() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for("a first frame", |screen| {
        let contents = screen_rows(screen).join("\n");
        contents.contains("loading") || contents.contains("Articles")
    });
    session.wait_for_text(&["3000/3000", "Generated Article Number"]);
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn a_paste_of_many_keys_is_read_to_the_end() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["3000/3000"]);
    // More than crossterm's 1,024-byte read buffer arrives at once: every
    // key must be handled without waiting for another one.
    session.press(&[b'j'; 1_500]);
    session.wait_for("every j handled", |screen| {
        list_header(screen).trim_end().ends_with("1501/3000")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

/// Emoji sequences that terminals draw at other widths than the layout
/// measures (vt100, like a terminal that knows no sequences, draws a skin
/// tone or a ZWJ sequence's members as characters of their own) leave
/// nothing behind when the next article takes the reader's place.
#[test]
fn emoji_sequences_leave_nothing_behind_when_the_next_article_is_shown() {
    let sandbox = Sandbox::empty();
    // Each sequence ends its line, so the cells after it are blank in
    // this frame and the next: only cells that change are redrawn.
    std::fs::write(
        sandbox.articles().join("a_emoji.txt"),
        " date 2025-03-02 Posted in: Tests\n\nSequences Article\n\n\
         Thumbs up 👍🏽\n\nA family 👨‍👩‍👧\n\nA coder 👩🏽‍💻\n\nA keycap 1️⃣\n\n\
         A heart ❤️\n\nA rainbow 🏳️‍🌈\n\nA flag 🇫🇷\n",
    )
    .expect("the emoji article");
    std::fs::write(
        sandbox.articles().join("b_plain.txt"),
        " date 2025-03-01 Posted in: Tests\n\nPlain Article\n\nNothing here.\n",
    )
    .expect("the plain article");
    let mut session = sandbox.start(100, 30);
    session.wait_for("the emoji article drawn with its stand-ins", |screen| {
        let text = screen_rows(screen).join("\n");
        text.contains("Thumbs up 👍") && text.contains("A flag FR") && text.contains("2/2")
    });
    session.press(b"j");
    let sequences = ['👍', '🏽', '👨', '👩', '👧', '💻', '❤', '🏳', '🌈', '🇫', '🇷'];
    session.wait_for(
        "the plain article with no piece of an emoji left",
        |screen| {
            let text = screen_rows(screen).join("\n");
            text.contains("Nothing here.") && !text.contains(&sequences[..])
        },
    );
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

/// `J`, `K` and `]` go from article to article in the reader, marking
/// each read; `n` counts the search matches in the reader's header.
#[test]
fn the_reader_goes_to_the_next_article_and_counts_matches() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(ENTER);
    session.press(b"J");
    let reading_second = |screen: &vt100::Screen| {
        list_header(screen).trim_end().ends_with("2/5")
            && screen.contents().contains("Heartstopper Season 3: Netflix")
            && list_row(screen, SECOND_DATE).is_some_and(|row| !row.starts_with('•'))
    };
    session.wait_for("the second article open and read", reading_second);
    session.press(b"K");
    session.wait_for("the newest article again", |screen| {
        list_header(screen).trim_end().ends_with("1/5")
    });
    session.press(b"]");
    session.wait_for("the next unread: the third article", |screen| {
        list_header(screen).trim_end().ends_with("3/5")
    });
    session.press(b"/oseman\r");
    session.wait_for("the matches counted", |screen| {
        screen.contents().contains(" matches · ")
    });
    session.press(b"n");
    session.wait_for("the first match jumped to", |screen| {
        screen.contents().contains("match 1 of ")
    });
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn an_unsaved_change_asks_before_quitting_and_is_reported() {
    let sandbox = Sandbox::samples();
    // A path below a file can never be written, whoever runs the test.
    sandbox.write_config("bookmarks = \"config.toml/bookmarks.toml\"\n");
    let after_leaving = bookmark_in_a_reader_that_cannot_save(&sandbox);
    assert!(
        after_leaving.contains("config.toml/bookmarks.toml"),
        "{after_leaving:?}"
    );
}

/// Keys already queued when the terminal shrinks are handled before the
/// resize is: every frame drawn meanwhile must still fit the terminal.
#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn shrinking_while_keys_are_handled_does_not_crash() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["3000/3000"]);
    // Under 1,024 bytes: crossterm reads at most that much at a time.
    session.press(&[b'j'; 1_000]);
    session.wait_for("the keys being handled", |screen| {
        !list_header(screen).contains(" 1/3000")
    });
    // The reader draws a frame per key, so most of the keys are still
    // queued ahead of the resize event.
    session.resize(60, 20);
    session.wait_for("every key handled at the new size", |screen| {
        screen_rows(screen).len() == 20
            && list_header(screen).trim_end().ends_with("1001/3000")
            && status_line(screen).trim_end().ends_with("3000/3000")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

/// F12 as xterm sends it: with `BROADSHEET_TEST_PANIC` set, the reader's
/// hidden trigger for a panic.
const F12: &[u8] = b"\x1b[24~";

/// A bug that panics in the run loop: the terminal comes back clean, the
/// panic message is readable on the normal screen, the bookmark made just
/// before is saved, and the exit status is 101 like any Rust panic.
#[test]
fn a_panic_in_the_run_loop_gives_the_terminal_back_and_keeps_the_bookmark() {
    leaves_cleanly_after_a_panic_in("main");
}

/// The same for a panic in a background thread: the reader ends instead of
/// drawing on a terminal the panic hook already gave back.
#[test]
fn a_panic_in_a_worker_thread_ends_the_reader_cleanly() {
    leaves_cleanly_after_a_panic_in("worker");
}

fn leaves_cleanly_after_a_panic_in(place: &str) {
    let sandbox = Sandbox::samples();
    let mut session =
        Session::start_with_env(&sandbox, 100, 30, &[("BROADSHEET_TEST_PANIC", place)]);
    session.wait_for_samples();
    // The newest article is selected first: bookmark it, then panic.
    session.press(b"b");
    session.press(F12);
    let status = session.wait_exit();
    assert_exit_code(&status, 101);
    session.assert_terminal_restored();
    let after_leaving = session.after_leaving();
    for expected in ["panicked", "BROADSHEET_TEST_PANIC", "internal error"] {
        assert!(
            after_leaving.contains(expected),
            "{expected:?} not printed after leaving: {after_leaving:?}"
        );
    }
    let bookmarks = sandbox.file("bookmarks.toml");
    assert!(bookmarks.contains(NEWEST), "bookmark lost: {bookmarks:?}");
}

/// Ctrl-Z in a shell with job control: the reader gives the terminal back
/// and stops; `fg` (SIGCONT) brings it back drawn whole, and it still works.
/// `kill -TSTP` from outside does the same as Ctrl-Z.
#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws_everything() {
    let sandbox = Sandbox::samples();
    let mut shell = Session::start_shell(&sandbox, 100, 30);
    shell.wait_for_text(&["$ "]);
    shell.press(b"\"$BROADSHEET\"\r");
    shell.wait_for_samples();
    let reader = match children_of(shell.pid()).as_slice() {
        [reader] => *reader,
        others => panic!("expected one process under the shell, found {others:?}"),
    };

    for (how, suspend) in [("Ctrl-Z", true), ("SIGTSTP", false)] {
        let mark = shell.written();
        if suspend {
            shell.press(b"\x1a");
        } else {
            let pid = libc::pid_t::try_from(reader).expect("pid fits pid_t");
            // SAFETY: kill only sends a signal to the reader this test started.
            assert_eq!(unsafe { libc::kill(pid, libc::SIGTSTP) }, 0);
        }
        wait_for_state(reader, 'T');
        shell.wait_for(&format!("the shell's job report after {how}"), |screen| {
            !screen.alternate_screen() && screen_rows(screen).join("\n").contains("Stopped")
        });
        // What the reader wrote before stopping gave every mode back; the
        // shell then owns the terminal (and sets its own line modes).
        shell.assert_modes_off_since(mark);
        shell.with_screen(|screen| {
            assert!(!screen.hide_cursor(), "cursor left hidden after {how}");
            assert_eq!(
                screen.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "mouse reporting left on after {how}"
            );
        });

        shell.press(b"fg\r");
        // Entering the alternate screen clears it: only a full redraw shows
        // the list, the reader pane and the status line again.
        shell.wait_for(&format!("a full redraw after {how} and fg"), |screen| {
            let text = screen_rows(screen).join("\n");
            screen.alternate_screen()
                && text.contains(NEWEST_TITLE)
                && text.contains(SECOND_DATE)
                && status_line(screen).contains("5/5")
        });
    }

    // Keys still work after resuming.
    shell.press(b"j");
    shell.wait_for("the second article selected", |screen| {
        list_header(screen).contains(" 2/5")
    });
    shell.press(b"q");
    shell.wait_for("the shell's prompt after quitting", |screen| {
        !screen.alternate_screen() && screen_rows(screen).iter().any(|row| row.trim() == "$")
    });
    shell.press(b"exit\r");
    shell.wait_exit();
    shell.assert_terminal_restored();
}

#[test]
fn a_rebound_back_key_closes_every_popup() {
    let sandbox = Sandbox::samples();
    sandbox.write_config("[keys]\nback = [\"ctrl-g\"]\n[views]\nunread = \"is:unread\"\n");
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    let popups: [(&[u8], &str); 4] = [
        (b"/", "ctrl-g restore"),
        (b"?", "ctrl-g/q close"),
        (b"t", "ctrl-g cancel"),
        (b"v", "ctrl-g/q cancel"),
    ];
    const CTRL_G: &[u8] = b"\x07";
    for (opener, hint) in popups {
        session.press(opener);
        session.wait_for_text(&[hint]);
        // Esc is no longer `back`: the popup stays. (The pause lets the
        // reader take the lone ESC as the Esc key, not as the start of an
        // escape sequence.)
        session.press(b"\x1b");
        std::thread::sleep(std::time::Duration::from_millis(300));
        session.wait_for(&format!("{hint} still shown after esc"), |screen| {
            screen.contents().contains(hint)
        });
        session.press(CTRL_G);
        session.wait_for(&format!("the popup with {hint} closed"), |screen| {
            !screen.contents().contains(hint) && list_header(screen).contains("/5")
        });
    }
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn files_written_and_deleted_while_reading_show_up_with_no_key_pressed() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(b"j");
    session.wait_for("the second article selected (2/5)", |screen| {
        list_header(screen).trim_end().ends_with("2/5")
    });
    // A newer article lands in the folder: it goes first, the selection
    // stays on its article (now the third row), the status says so.
    std::fs::write(
        sandbox.articles().join("010_new.txt"),
        " date 2026-11-01 Posted in: TV | Tagged: news\n\nA Brand New Arrival\n\nJust written.\n",
    )
    .expect("a new article");
    session.wait_for(
        "the new article listed first, the selection kept",
        |screen| {
            list_header(screen).trim_end().ends_with("3/6")
                && list_row(screen, "2026-11-01").is_some_and(|row| row.contains("A Brand New"))
                && status_line(screen).contains("+1 new")
        },
    );
    assert!(session.with_screen(|screen| {
        list_row(screen, SECOND_DATE).is_some_and(|row| row.starts_with('•'))
    }));
    std::fs::remove_file(sandbox.articles().join("010_new.txt")).expect("remove");
    session.wait_for("the deleted article gone, the selection kept", |screen| {
        list_header(screen).trim_end().ends_with("2/5") && list_row(screen, "2026-11-01").is_none()
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}
