//! A browser that runs in the terminal (w3m, lynx, ...), through the real
//! binary in a pseudo-terminal with a fake `w3m` that logs whether its
//! input is a terminal and its arguments, and reads a line: the reader
//! hands it the terminal (normal screen, line editing, no mouse), stops
//! reading keys until it exits, and comes back drawn. The setting
//! `[reader] browser_in_terminal` decides for other names, both ways.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{
    CTRL_C, ENTER, Sandbox, Session, assert_exit_code, children_of, screen_rows, toml_string,
    wait_for_state,
};

const URL: &str = "https://text.example/page?a=1&b=';$(id)";

/// A sandbox with one article whose address is [`URL`], and a fake
/// text-mode browser at `bin/NAME` that logs to `browser.log` whether its
/// input is a terminal, whether line editing is on, each argument, and
/// the line it reads from the terminal.
fn sandbox_with(name: &str, reader_table: &str) -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::empty();
    sandbox.write_config(reader_table);
    let article = format!(
        "+++\ntitle = \"Textual\"\nurl = {}\n+++\n\nA body.\n",
        toml_string(URL)
    );
    fs::write(sandbox.articles().join("textual.md"), article).expect("an article");
    let bin = sandbox.path().join("bin");
    fs::create_dir(&bin).expect("a bin folder");
    let browser = bin.join(name);
    let log = sandbox.path().join("browser.log");
    fs::write(
        &browser,
        format!(
            "#!/bin/sh\n\
             log='{log}'\n\
             if test -t 0; then echo 'stdin: terminal' >> \"$log\"; \
             else echo 'stdin: none' >> \"$log\"; fi\n\
             if test -t 0; then stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon >> \"$log\"; fi\n\
             for a in \"$@\"; do printf 'arg: %s\\n' \"$a\" >> \"$log\"; done\n\
             printf 'fake browser: type a line\\n'\n\
             read line\n\
             printf 'read: %s\\n' \"$line\" >> \"$log\"\n",
            log = log.display()
        ),
    )
    .expect("a fake browser");
    fs::set_permissions(&browser, fs::Permissions::from_mode(0o755)).expect("executable");
    (sandbox, browser)
}

fn start(sandbox: &Sandbox, browser: &Path) -> Session {
    let browser = browser.display().to_string();
    let session = Session::start_with_env(sandbox, 100, 30, &[("BROWSER", &browser)]);
    session.wait_for_text(&["Textual", "1/1"]);
    session
}

fn logged(sandbox: &Sandbox, lines: usize) -> Vec<String> {
    sandbox.logged_within("browser.log", lines, Duration::from_secs(20))
}

/// Checks the reader has the terminal again: the alternate screen, raw
/// mode, its list drawn whole, the browser's text gone.
fn wait_until_back(session: &Session) {
    session.wait_for("the reader drawn again", |screen| {
        let text = screen.contents();
        screen.alternate_screen()
            && text.contains("Textual")
            && text.contains("1/1")
            && !text.contains("fake browser")
    });
    assert!(session.raw_mode(), "raw mode is back");
}

#[test]
fn w3m_is_handed_the_terminal_and_the_reader_comes_back_drawn() {
    let (sandbox, browser) = sandbox_with("w3m", "");
    let mut session = start(&sandbox, &browser);
    let mark = session.written();
    session.press(b"o");
    session.wait_for_text(&["fake browser: type a line"]);
    // The reader left the screen to it: every mode off, line editing on.
    session.assert_modes_off_since(mark);
    session.with_screen(|screen| assert!(!screen.alternate_screen()));
    assert!(!session.raw_mode(), "the browser has line editing");
    assert_eq!(
        logged(&sandbox, 3),
        ["stdin: terminal", "icanon", &format!("arg: {URL}")]
    );
    // A `q` typed now is the browser's, not the reader's.
    session.press(b"q");
    session.press(ENTER);
    assert_eq!(logged(&sandbox, 4)[3], "read: q");
    wait_until_back(&session);
    // And the reader reads keys again.
    session.press(b"?");
    session.wait_for_text(&[" Help "]);
    session.press(b"?");
    session.wait_for("help closed", |screen| {
        !screen.contents().contains(" Help ")
    });
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn ctrl_c_in_the_browser_ends_the_browser_not_the_reader() {
    let (sandbox, browser) = sandbox_with("lynx", "");
    let mut session = start(&sandbox, &browser);
    session.press(b"o");
    session.wait_for_text(&["fake browser: type a line"]);
    assert_eq!(logged(&sandbox, 3)[0], "stdin: terminal");
    session.press(CTRL_C);
    wait_until_back(&session);
    session.wait_for_text(&["lynx ended with signal: 2"]);
    let log = sandbox.logged_within("browser.log", 4, Duration::from_millis(300));
    assert_eq!(log.len(), 3, "the browser read no line: {log:?}");
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn the_setting_hands_the_terminal_to_any_browser_or_to_none() {
    let (sandbox, browser) =
        sandbox_with("my-text-browser", "[reader]\nbrowser_in_terminal = true\n");
    let mut session = start(&sandbox, &browser);
    session.press(b"o");
    session.wait_for_text(&["fake browser: type a line"]);
    assert_eq!(logged(&sandbox, 1)[0], "stdin: terminal");
    session.press(b"done");
    session.press(ENTER);
    assert_eq!(logged(&sandbox, 4)[3], "read: done");
    wait_until_back(&session);
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);

    // `false`: even w3m gets no terminal, and the reader keeps it.
    let (sandbox, browser) = sandbox_with("w3m", "[reader]\nbrowser_in_terminal = false\n");
    let mut session = start(&sandbox, &browser);
    session.press(b"o");
    assert_eq!(
        logged(&sandbox, 3),
        ["stdin: none", &format!("arg: {URL}"), "read: "]
    );
    session.with_screen(|screen| assert!(screen.alternate_screen()));
    assert!(session.raw_mode());
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn ctrl_z_in_the_browser_stops_both_and_fg_continues_both() {
    let (sandbox, browser) = sandbox_with("w3m", "");
    let mut shell = Session::start_shell(&sandbox, 100, 30);
    shell.wait_for_text(&["$ "]);
    shell.press(format!("BROWSER='{}' \"$BROADSHEET\"\r", browser.display()).as_bytes());
    shell.wait_for_text(&["Textual", "1/1"]);
    let reader = match children_of(shell.pid()).as_slice() {
        [reader] => *reader,
        others => panic!("expected one process under the shell, found {others:?}"),
    };
    shell.press(b"o");
    shell.wait_for_text(&["fake browser: type a line"]);
    let browser = match children_of(reader).as_slice() {
        [browser] => *browser,
        others => panic!("expected the browser under the reader, found {others:?}"),
    };
    shell.press(b"\x1a");
    wait_for_state(browser, 'T');
    wait_for_state(reader, 'T');
    shell.wait_for("the shell's job report", |screen| {
        screen_rows(screen).join("\n").contains("Stopped")
    });
    shell.press(b"fg\r");
    // The browser waits for its line again, the reader for the browser.
    wait_for_state(browser, 'S');
    shell.press(b"back");
    shell.press(ENTER);
    assert_eq!(logged(&sandbox, 4)[3], "read: back");
    wait_until_back(&shell);
    shell.press(b"q");
    shell.wait_for("the shell's prompt after quitting", |screen| {
        !screen.alternate_screen() && screen_rows(screen).iter().any(|row| row.trim() == "$")
    });
    shell.press(b"exit\r");
    shell.wait_exit();
    shell.assert_terminal_restored();
}
