//! `broadsheet sync` and accounts through the binary: accounts in the
//! config (mistakes at file:line:column), the password from a command or a
//! variable and never shown or written, `sync --status` without the
//! network, `feed list` with an account's feeds, and a sync that cannot
//! reach its server saying how many local changes wait.
//!
//! The account's state is made here by running the engine (the library)
//! against the model server of tests/common/sync_model.rs, into the same
//! files the binary reads: the protocols are tested against their own
//! servers in tests/sync_fever.rs, sync_greader.rs and sync_miniflux.rs.

mod common;

#[path = "common/sync_model.rs"]
mod sync_model;

use std::path::Path;

use broadsheet::config::LibraryConfig;
use broadsheet::sync::engine::{self, Setup};
use common::Sandbox;
use sync_model::Model;

/// The password the tests give; it must appear nowhere broadsheet writes.
const PASSWORD: &str = "correct-horse-7f3a";

/// A sandbox whose config has account `home` of `kind`, at a closed port
/// of 127.0.0.1, its password given by `password` (a TOML line).
fn with_account(kind: &str, password: &str) -> Sandbox {
    let sandbox = Sandbox::with_feeds();
    let config = format!(
        "[library]\narticles = \"articles\"\nfeeds = \"feeds.toml\"\n\
         bookmarks = \"bookmarks.toml\"\nstate = \"state.toml\"\n\n\
         [[account]]\nname = \"home\"\nkind = \"{kind}\"\nurl = \"http://127.0.0.1:9/\"\n\
         user = \"me\"\n{password}\n"
    );
    std::fs::write(sandbox.path().join("config.toml"), config).expect("config");
    sandbox
}

/// The library files of the sandbox, as its config names them.
fn library(sandbox: &Sandbox) -> LibraryConfig {
    let config = broadsheet::config::load(broadsheet::config::ConfigSource::Flag(
        sandbox.path().join("config.toml"),
    ));
    match config {
        Ok(config) => config.library,
        Err(error) => panic!("{error}"),
    }
}

/// Syncs account `home` of the sandbox from `model` with the engine.
fn sync_from(sandbox: &Sandbox, model: &mut Model) {
    let setup = Setup::new("home", &library(sandbox));
    if let Err(failure) = engine::sync(model, &setup, &mut |_| {}) {
        panic!("{}", failure.message);
    }
}

/// The id of the article of remote item `id`.
fn file_of(articles: &Path, id: &str) -> String {
    let wanted = format!("remote_id = \"{id}\"\n");
    for folder in std::fs::read_dir(articles).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(file.path()).unwrap_or_default();
            if text.contains(&wanted) {
                return format!(
                    "{}/{}",
                    folder.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                );
            }
        }
    }
    panic!("no article of item {id}")
}

/// Every file under `dir`, as bytes.
fn every_file(dir: &Path, found: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            every_file(&path, found);
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path.display().to_string(), bytes));
        }
    }
}

#[test]
fn an_account_mistake_is_named_at_its_line_and_column() {
    let sandbox = with_account("fevr", "password_env = \"NEWS\"");
    let error = sandbox.fails(&["sync"]);
    assert!(
        error.contains(
            "config.toml:9:8: unknown kind `fevr`; the kinds are fever, greader, miniflux"
        ),
        "{error}"
    );
}

#[test]
fn sync_names_the_accounts_it_knows() {
    let sandbox = Sandbox::with_feeds();
    let error = sandbox.fails(&["sync"]);
    assert!(error.contains("no account is configured"), "{error}");
    let sandbox = with_account("fever", "password_env = \"NEWS\"");
    let error = sandbox.fails(&["sync", "--account", "work"]);
    assert!(
        error.contains("no account named `work`; the accounts are `home`"),
        "{error}"
    );
}

#[test]
fn a_failing_password_command_is_named_with_its_own_error() {
    let sandbox = with_account(
        "miniflux",
        "password_command = [\"sh\", \"-c\", \"echo 'pass: news is not in the password store' >&2; exit 1\"]",
    );
    let error = sandbox.fails(&["sync"]);
    assert!(error.contains("account `home`"), "{error}");
    assert!(
        error.contains("pass: news is not in the password store"),
        "{error}"
    );
    let sandbox = with_account("miniflux", "password_env = \"NEWS_PASSWORD_UNSET\"");
    let error = sandbox.fails(&["sync"]);
    assert!(
        error.contains("NEWS_PASSWORD_UNSET") && error.contains("not set"),
        "{error}"
    );
}

#[test]
fn local_changes_wait_in_the_open_and_the_password_is_never_shown_or_written() {
    // The password comes from a command that builds it, so it is not in
    // the config's text either.
    let (head, tail) = PASSWORD.split_at(8);
    let sandbox = with_account(
        "fever",
        &format!("password_command = [\"sh\", \"-c\", \"printf '%s%s\\\\n' {head} {tail}\"]"),
    );
    let mut model = Model::with_items(5);
    model.item("2").starred = true;
    sync_from(&sandbox, &mut model);
    let articles = sandbox.articles();
    let one = file_of(&articles, "1");
    let three = file_of(&articles, "3");
    sandbox.cli(&["read", &one]);
    sandbox.cli(&["read", &three]);
    sandbox.cli(&["bookmark", "remove", &file_of(&articles, "2")]);

    let status = sandbox.cli(&["sync", "--status"]);
    assert!(
        status.starts_with(
            "home: 3 local changes wait (2 read, 0 unread, 0 bookmarked, 1 unbookmarked)\n"
        ),
        "{status}"
    );
    assert!(status.contains(&format!("  read {one}\n")), "{status}");

    // The server cannot be reached: the sync says so and how many wait.
    let output = sandbox.run(&["sync"]);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("account `home`"), "{stderr}");
    assert!(stderr.contains("3 local changes wait"), "{stderr}");
    // Still waiting, in the open.
    assert!(
        sandbox
            .cli(&["sync", "--status"])
            .starts_with("home: 3 local changes wait")
    );

    // Every output and every file broadsheet wrote: no password.
    let feeds = sandbox.cli(&["feed", "list"]);
    let mut seen = vec![
        ("stdout".to_string(), output.stdout.clone()),
        ("stderr".to_string(), output.stderr.clone()),
        ("status".to_string(), status.into_bytes()),
        ("feed list".to_string(), feeds.into_bytes()),
    ];
    every_file(sandbox.path(), &mut seen);
    assert!(seen.len() > 10, "the sandbox holds the sync's files");
    for (name, bytes) in &seen {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(PASSWORD), "the password is in {name}");
    }
}

#[test]
fn feed_list_shows_the_account_feeds_with_their_categories() {
    let sandbox = with_account("greader", "password_env = \"NEWS\"");
    let before = sandbox.cli(&["feed", "list"]);
    assert!(
        before.contains("account `home`: no feeds recorded yet; `broadsheet sync` brings them"),
        "{before}"
    );
    let mut model = Model::with_items(2);
    sync_from(&sandbox, &mut model);
    let after = sandbox.cli(&["feed", "list"]);
    assert!(
        after.contains("Tech Daily  [account home]  https://tech.example/feed  #Tech\n"),
        "{after}"
    );
    assert!(
        after.contains("World News  [account home]  https://world.example/rss  #News #Daily\n"),
        "{after}"
    );
    // And the articles are there for every command, tagged.
    let listed = sandbox.cli(&["list", "tag:Daily"]);
    assert!(listed.contains("Item number 2"), "{listed}");
}
