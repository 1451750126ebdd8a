//! Marks belong to an articles folder: `--articles` with another folder
//! starts from its own bookmarks, read marks and tags (kept beside the
//! configured ones, under `folders/`), and the configured folder, however
//! it is spelt, keeps the files it always had.

mod common;

use std::fs;

use common::{SECOND, Sandbox};

#[test]
fn another_folder_keeps_its_own_marks() {
    let sandbox = Sandbox::samples();
    let other = sandbox.path().join("other");
    fs::create_dir(&other).expect("another folder");
    for entry in fs::read_dir(sandbox.articles())
        .expect("the samples")
        .flatten()
    {
        fs::copy(entry.path(), other.join(entry.file_name())).expect("a copy");
    }
    sandbox.cli(&["bookmark", "add", SECOND]);
    sandbox.cli(&["read", SECOND]);

    // The same ids in another folder: none of the marks.
    let other_arg = other.to_string_lossy().into_owned();
    let listed = sandbox.cli(&["--articles", &other_arg, "bookmarks"]);
    assert!(!listed.contains(SECOND), "{listed}");
    assert_eq!(
        sandbox
            .cli(&["--articles", &other_arg, "list", "is:read", "--count"])
            .trim(),
        "0"
    );
    sandbox.cli(&[
        "--articles",
        &other_arg,
        "bookmark",
        "add",
        SECOND,
        "--note",
        "theirs",
    ]);
    let folders = sandbox.path().join("folders");
    let kept: Vec<_> = fs::read_dir(&folders)
        .expect("a folder of per-folder marks")
        .flatten()
        .map(|e| e.path().join("bookmarks.toml"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        fs::read_to_string(&kept[0])
            .expect("its bookmarks")
            .contains("theirs")
    );

    // The configured folder, spelt another way, still has its own.
    let same = format!("{}/./", sandbox.articles().display());
    let listed = sandbox.cli(&["--articles", &same, "bookmarks"]);
    assert!(listed.contains(SECOND), "{listed}");
    assert!(!listed.contains("theirs"), "{listed}");
    assert_eq!(sandbox.cli(&["list", "is:read", "--count"]).trim(), "1");
    assert!(!sandbox.file("bookmarks.toml").contains("theirs"));
}

#[test]
fn own_tags_are_given_found_shown_and_taken_away_from_the_command_line() {
    let sandbox = Sandbox::samples();
    assert_eq!(
        sandbox.cli(&["tag", "add", SECOND, "to share", "later"]),
        format!("tagged: {SECOND} (to share, later)\n")
    );
    assert_eq!(
        sandbox.cli(&["list", "tag:\"to share\"", "--count"]).trim(),
        "1"
    );
    let listed = sandbox.cli(&["list", "tag:later"]);
    assert!(
        listed.contains("+later") && listed.contains("+to share"),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["show", SECOND, "--json"])).expect("JSON");
    assert_eq!(json["own_tags"], serde_json::json!(["later", "to share"]));
    let shown = sandbox.cli(&["show", SECOND]);
    assert!(shown.contains("your tags: later, to share"), "{shown}");
    assert!(sandbox.file("tags.toml").contains("\"to share\""));
    sandbox.cli(&["tag", "remove", SECOND, "LATER"]);
    assert_eq!(sandbox.cli(&["list", "tag:later", "--count"]).trim(), "0");
    let err = sandbox.fails(&["tag", "add", "no-such-article", "x"]);
    assert!(err.contains("no-such-article"), "{err}");
}

#[test]
fn tags_notes_and_undo_from_the_reader_reach_the_files() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(120, 40);
    session.wait_for_samples();
    session.press(b"+");
    session.wait_for_text(&["tags (a, b, -c):", "enter apply · esc cancel"]);
    session.press(b"later, to share\r");
    session.wait_for_text(&["tags +later +to share"]);
    session.press(b"e");
    session.wait_for_text(&["note:"]);
    session.press(b"with tea\r");
    session.wait_for_text(&["note: with tea"]);
    // A stray b, taken back.
    session.press(b"b");
    session.wait_for_text(&["note kept, Z brings it back"]);
    session.press(b"Z");
    session.wait_for_text(&["undone: removed bookmark"]);
    session.quit();
    common::assert_exit_code(&session.wait_exit(), 0);
    let tags = sandbox.file("tags.toml");
    assert!(
        tags.contains("\"later\"") && tags.contains("\"to share\""),
        "{tags}"
    );
    let bookmarks = sandbox.file("bookmarks.toml");
    assert!(bookmarks.contains("note = \"with tea\""), "{bookmarks}");
}
