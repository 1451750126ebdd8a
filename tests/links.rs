//! Opening and copying links from the reader, through the real binary in a
//! pseudo-terminal with a fake `$BROWSER` that records the arguments it is
//! given: the address arrives as one argument whatever it holds (no shell
//! ever sees it), numbered links are chosen by their number, and anything
//! but http, https and mailto is refused with a message. `A` marks every
//! article shown as read.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use common::{Sandbox, Session, assert_exit_code, toml_string};

/// An address built to break out of any quoting a shell would use.
const HOSTILE: &str = "https://x.example/a';touch${IFS}pwned;'$(touch${IFS}pwned2)`id`\"&|";

/// A sandbox with one linked article and a fake browser that appends each
/// argument it gets, one a line, to `browser.log`.
fn linked() -> Sandbox {
    let sandbox = Sandbox::empty();
    let article = format!(
        "+++\ntitle = \"Linked\"\nurl = {}\n+++\n\n\
         A body with [a second page](https://second.example/page) and \
         [a script](javascript:alert(1)) in it.\n",
        toml_string(HOSTILE)
    );
    fs::write(sandbox.articles().join("linked.md"), article).expect("an article");
    let browser = sandbox.path().join("fake-browser");
    fs::write(
        &browser,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
            sandbox.path().join("browser.log").display()
        ),
    )
    .expect("a fake browser");
    fs::set_permissions(&browser, fs::Permissions::from_mode(0o755)).expect("executable");
    sandbox
}

fn logged(sandbox: &Sandbox, lines: usize) -> Vec<String> {
    sandbox.logged_within("browser.log", lines, Duration::from_secs(10))
}

fn start(sandbox: &Sandbox) -> Session {
    let browser = format!(
        "{} --new-tab",
        sandbox.path().join("fake-browser").display()
    );
    let session = Session::start_with_env(sandbox, 120, 40, &[("BROWSER", &browser)]);
    session.wait_for_text(&["Linked", "1/1"]);
    session
}

#[test]
fn o_opens_the_articles_address_as_one_argument() {
    let sandbox = linked();
    let mut session = start(&sandbox);
    session.press(b"o");
    assert_eq!(logged(&sandbox, 2), ["--new-tab", HOSTILE]);
    for made in ["pwned", "pwned2"] {
        assert!(!sandbox.path().join(made).exists(), "a shell ran: {made}");
        assert!(!Path::new(made).exists(), "a shell ran: {made}");
    }
    session.wait_for_text(&["opening https://x.example/a'"]);
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn numbered_links_are_opened_by_number_and_other_schemes_refused() {
    let sandbox = linked();
    let mut session = start(&sandbox);
    session.press(b"O");
    session.wait_for_text(&["Links", "article", "https://second.example/page"]);
    session.press(b"1");
    assert_eq!(
        logged(&sandbox, 2),
        ["--new-tab", "https://second.example/page"]
    );
    session.press(b"O");
    session.wait_for_text(&["Links"]);
    session.press(b"2");
    session.wait_for_text(&["only http, https and mailto links are opened, not `javascript:`"]);
    let after = sandbox.logged_within("browser.log", 4, Duration::from_secs(1));
    assert_eq!(after.len(), 2, "nothing else was opened: {after:?}");
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn y_copies_the_address_through_the_terminal() {
    let sandbox = linked();
    let mut session = start(&sandbox);
    session.press(b"y");
    session.wait_for_text(&["copied https://x.example/a'"]);
    let raw = String::from_utf8_lossy(&session.raw()).into_owned();
    assert!(raw.contains("\x1b]52;c;"), "an OSC 52 sequence was written");
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn a_marks_every_article_shown_read() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(120, 40);
    session.wait_for_samples();
    session.press(b"A");
    session.wait_for_text(&["marked 5 read"]);
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
    let state = sandbox.file("state.toml");
    assert_eq!(state.matches(".txt\"").count(), 5, "{state}");
}

#[test]
fn numbered_links_are_clickable_and_other_schemes_are_not() {
    let sandbox = linked();
    let mut session = start(&sandbox);
    session.press(b"G");
    session.wait_for_text(&["[1] https://second.example/page"]);
    session.wait_for_raw(
        b"\x1b]8;;https://second.example/page\x1b\\",
        "an OSC 8 link around the first numbered link",
    );
    let raw = String::from_utf8_lossy(&session.raw()).into_owned();
    assert!(
        !raw.contains("\x1b]8;;javascript"),
        "no link for a script address"
    );
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}
