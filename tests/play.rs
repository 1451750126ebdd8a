//! Enclosures in the reader, through the real binary in a pseudo-terminal:
//! shown under the article's details (`▶ audio/mpeg, 12.3 MB: …`), played
//! with `p` by the `[reader] player` (a fake one that records the
//! arguments it gets: the address arrives as one argument whatever it
//! holds), chosen in the links popup when there are several, and only
//! http and https addresses played.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{Sandbox, Session, assert_exit_code, toml_string};

/// An address built to break out of any quoting a shell would use.
const HOSTILE: &str = "https://cdn.example/ep';touch${IFS}pwned;'$(touch${IFS}pwned2).mp3";

/// A sandbox with one article of `enclosures` (front matter text) whose
/// body links a mail address, and a fake player that appends each argument
/// it gets, one a line, to `player.log`.
fn with_enclosures(enclosures: &str) -> Sandbox {
    let sandbox = Sandbox::empty();
    let article = format!(
        "+++\ntitle = \"Episode\"\nenclosures = {enclosures}\n+++\n\n\
         The show notes, and [write to us](mailto:show@example.com).\n"
    );
    fs::write(sandbox.articles().join("episode.md"), article).expect("an article");
    let player = sandbox.path().join("fake-player");
    fs::write(
        &player,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
            sandbox.path().join("player.log").display()
        ),
    )
    .expect("a fake player");
    fs::set_permissions(&player, fs::Permissions::from_mode(0o755)).expect("executable");
    sandbox.write_config(&format!(
        "[reader]\nplayer = [{}, \"--no-video\", \"--\"]\n",
        toml_string(&player.display().to_string())
    ));
    sandbox
}

fn start(sandbox: &Sandbox) -> Session {
    // No $BROWSER: whatever is played, the configured player plays it.
    let session = Session::start_with_env(sandbox, 120, 40, &[("BROWSER", "")]);
    session.wait_for_text(&["Episode", "1/1"]);
    session
}

#[test]
fn p_plays_the_enclosure_with_the_player_as_one_argument() {
    let sandbox = with_enclosures(&format!(
        "[{{ url = {}, type = \"audio/mpeg\", length = 12345678 }}]",
        toml_string(HOSTILE)
    ));
    let mut session = start(&sandbox);
    // The address is long: it goes on the next line.
    session.wait_for_text(&["▶ audio/mpeg, 12.3 MB:", "https://cdn.example/ep'"]);
    session.press(b"p");
    assert_eq!(
        sandbox.logged_within("player.log", 3, Duration::from_secs(10)),
        ["--no-video", "--", HOSTILE]
    );
    for made in ["pwned", "pwned2"] {
        assert!(!sandbox.path().join(made).exists(), "a shell ran: {made}");
    }
    session.wait_for_text(&["playing https://cdn.example/ep'"]);
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn several_enclosures_are_chosen_in_the_links_popup_and_only_web_ones_played() {
    let sandbox = with_enclosures(
        "[{ url = \"https://cdn.example/one.mp3\", type = \"audio/mpeg\" }, \
         { url = \"https://cdn.example/two.mp4\", type = \"video/mp4\", length = 2000 }]",
    );
    let mut session = start(&sandbox);
    session.wait_for_text(&["▶ video/mp4, 2.0 kB: https://cdn.example/two.mp4"]);
    // Two: the popup opens on the first; the next one is chosen and played.
    session.press(b"p");
    session.wait_for_text(&["Links", "▶ 1", "▶ 2", "p play"]);
    session.press(b"j");
    session.press(b"p");
    assert_eq!(
        sandbox.logged_within("player.log", 3, Duration::from_secs(10)),
        ["--no-video", "--", "https://cdn.example/two.mp4"]
    );
    // A mail link is opened, never played.
    session.press(b"O");
    session.wait_for_text(&["Links", "mailto:show@example.com"]);
    session.press(b"p");
    session.wait_for_text(&["only http and https addresses are played, not `mailto:`"]);
    let after = sandbox.logged_within("player.log", 4, Duration::from_secs(1));
    assert_eq!(after.len(), 3, "nothing else was played: {after:?}");
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn an_article_without_enclosures_says_so_and_a_bad_value_is_shown_not_fatal() {
    let sandbox = with_enclosures("\"https://cdn.example/not-a-table.mp3\"");
    let mut session = start(&sandbox);
    session.wait_for_text(&["⚠ `enclosures` is not read"]);
    session.press(b"p");
    session.wait_for_text(&["this article has no enclosure to play"]);
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
    assert!(
        sandbox
            .logged_within("player.log", 1, Duration::from_millis(300))
            .is_empty()
    );
}
