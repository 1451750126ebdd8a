//! One home for a person's data, through the binary: without a setting,
//! everything is in `$XDG_DATA_HOME/broadsheet/` whatever the config and
//! the working folder; `config paths` says what is in use and why; the
//! file `config init` writes changes none of it; and data where earlier
//! versions kept it is moved there once, said, never over anything.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::Sandbox;

/// A home with no config file and no articles folder: the sandbox's HOME
/// and XDG folders, and a working folder `work` in it.
fn bare() -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::empty();
    fs::remove_file(sandbox.path().join("config.toml")).expect("no config");
    fs::remove_dir(sandbox.articles()).expect("no articles folder");
    let work = sandbox.path().join("work");
    fs::create_dir_all(&work).expect("a working folder");
    (sandbox, work)
}

/// The data folder of the sandbox's environment.
fn data(sandbox: &Sandbox) -> PathBuf {
    sandbox.path().join("xdg-data/broadsheet")
}

/// The user's config folder of the sandbox's environment.
fn user_config(sandbox: &Sandbox) -> PathBuf {
    sandbox.path().join("xdg-config/broadsheet")
}

fn run_in(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> Output {
    sandbox
        .command(args)
        .current_dir(dir)
        .output()
        .expect("run broadsheet")
}

/// `config paths` in `dir`: name to (path, why).
fn paths(sandbox: &Sandbox, dir: &Path) -> Vec<(String, String, String)> {
    let output = run_in(sandbox, dir, &["config", "paths"]);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "name, path and why: {line:?}");
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            )
        })
        .collect()
}

fn path_of(rows: &[(String, String, String)], name: &str) -> String {
    rows.iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, path, _)| path.clone())
        .unwrap_or_else(|| panic!("no {name} in {rows:?}"))
}

fn a_bookmark(id: &str) -> String {
    format!("version = 1\n\n[[bookmark]]\nid = \"{id}\"\nadded = 2026-11-21T10:00:00Z\n")
}

#[test]
fn without_a_setting_everything_is_in_the_data_folder_config_or_not() {
    let (sandbox, work) = bare();
    let elsewhere = sandbox.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("a folder");
    let data = data(&sandbox);
    let expected = [
        ("articles", data.join("articles")),
        ("bookmarks", data.join("bookmarks.toml")),
        ("tags", data.join("tags.toml")),
        ("state", data.join("state.toml")),
        ("feeds", data.join("feeds.toml")),
        ("feeds-state", data.join("feeds-state")),
    ];
    let check = |dir: &Path, what: &str| {
        let rows = paths(&sandbox, dir);
        for (name, path) in &expected {
            assert_eq!(
                path_of(&rows, name),
                path.display().to_string(),
                "{name} {what} in {}",
                dir.display()
            );
        }
        rows
    };
    for dir in [&work, &elsewhere] {
        let rows = check(dir, "with no config");
        assert_eq!(path_of(&rows, "config"), "-");
        assert!(!dir.join("articles").exists());
    }
    // A one-line user config changes nothing of where the data is.
    fs::create_dir_all(user_config(&sandbox)).expect("a config folder");
    fs::write(
        user_config(&sandbox).join("config.toml"),
        "[display]\nmax_width = 100\n",
    )
    .expect("a user config");
    let rows = check(&elsewhere, "with a user config");
    assert_eq!(
        path_of(&rows, "config"),
        user_config(&sandbox)
            .join("config.toml")
            .display()
            .to_string()
    );
    assert!(!user_config(&sandbox).join("articles").exists());
    // The data folder's articles folder is made, so the first start shows
    // an empty folder, not an error.
    assert!(data.join("articles").is_dir());
}

#[test]
fn a_relative_setting_is_relative_to_its_config_file_and_paths_say_why() {
    let (sandbox, work) = bare();
    fs::create_dir_all(user_config(&sandbox)).expect("a config folder");
    let config = user_config(&sandbox).join("config.toml");
    fs::write(&config, "[library]\narticles = \"news\"\n").expect("a user config");
    let rows = paths(&sandbox, &work);
    assert_eq!(
        path_of(&rows, "articles"),
        user_config(&sandbox).join("news").display().to_string()
    );
    let why = |name: &str| {
        rows.iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, why)| why.clone())
            .unwrap_or_default()
    };
    assert!(
        why("articles").contains("set by `articles` in [library] of")
            && why("articles").contains(&config.display().to_string()),
        "{rows:?}"
    );
    assert!(why("bookmarks").contains("the default"), "{rows:?}");
    assert!(why("data").contains("$XDG_DATA_HOME"), "{rows:?}");
    // The same, for scripts, as JSON.
    let output = run_in(&sandbox, &work, &["config", "paths", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let articles = json
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["name"] == "articles"))
        .expect("an articles row");
    assert_eq!(
        articles["path"].as_str(),
        Some(user_config(&sandbox).join("news").to_str().expect("UTF-8"))
    );
}

#[test]
fn the_file_config_init_writes_keeps_every_place_where_it_was() {
    let (sandbox, work) = bare();
    let before = paths(&sandbox, &work);
    let output = run_in(&sandbox, &work, &["config", "init"]);
    assert!(output.status.success(), "{output:?}");
    let text = fs::read_to_string(user_config(&sandbox).join("config.toml")).expect("written");
    assert!(
        text.contains("A location left out here (with no config file: every one) is in one"),
        "{text}"
    );
    let after = paths(&sandbox, &work);
    for name in [
        "data",
        "articles",
        "bookmarks",
        "tags",
        "state",
        "feeds",
        "feeds-state",
    ] {
        assert_eq!(path_of(&after, name), path_of(&before, name), "{name}");
    }
    // Leaving [library] out of that file gives the same again.
    let trimmed: String = text
        .split("\n[library]\n")
        .next()
        .map(|head| format!("{head}[display]\nmax_width = 80\n"))
        .expect("a head");
    fs::write(user_config(&sandbox).join("config.toml"), trimmed).expect("a shorter config");
    let without = paths(&sandbox, &work);
    assert_eq!(
        path_of(&without, "bookmarks"),
        path_of(&before, "bookmarks")
    );
    assert_eq!(path_of(&without, "articles"), path_of(&before, "articles"));
}

#[test]
fn the_old_files_beside_the_user_config_move_to_the_data_folder_once() {
    let (sandbox, work) = bare();
    let old = user_config(&sandbox);
    fs::create_dir_all(old.join("articles/feed")).expect("the old articles folder");
    fs::create_dir_all(old.join("feeds-state")).expect("the old feed state");
    fs::write(old.join("config.toml"), "[display]\nmax_width = 100\n").expect("a config");
    fs::write(
        old.join("articles/feed/one.txt"),
        "Old Article Kept\n\nIts text.\n",
    )
    .expect("an article");
    fs::write(old.join("bookmarks.toml"), a_bookmark("feed/one.txt")).expect("bookmarks");
    fs::write(
        old.join("tags.toml"),
        "version = 1\n\n[tags]\n\"feed/one.txt\" = [\"later\"]\n",
    )
    .expect("tags");
    fs::write(old.join("feeds.toml"), "").expect("feeds");
    fs::write(old.join("feeds-state/feed-12345678.toml"), "version = 1\n").expect("state");
    let output = run_in(&sandbox, &work, &["bookmarks", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let data = data(&sandbox);
    for name in [
        "articles",
        "bookmarks.toml",
        "tags.toml",
        "feeds.toml",
        "feeds-state",
    ] {
        let said = format!(
            "moved {} to {}",
            old.join(name).display(),
            data.join(name).display()
        );
        assert!(stderr.contains(&said), "{said} in {stderr}");
        assert!(!old.join(name).exists(), "{name} is left behind");
        assert!(data.join(name).exists(), "{name} did not arrive");
    }
    let bookmarks: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("bookmarks --json");
    assert_eq!(bookmarks[0]["id"], "feed/one.txt", "{bookmarks}");
    assert_eq!(
        bookmarks[0]["missing"], false,
        "the bookmark's article is found where it moved: {bookmarks}"
    );
    let output = run_in(&sandbox, &work, &["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("list --json");
    assert_eq!(
        listed[0]["own_tags"][0], "later",
        "the tags came too: {listed}"
    );
    // Said once: the next run has nothing to say.
    let output = run_in(&sandbox, &work, &["list", "--count"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1");
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn nothing_in_the_data_folder_is_replaced_by_an_old_file() {
    let (sandbox, work) = bare();
    let old = user_config(&sandbox);
    let data = data(&sandbox);
    fs::create_dir_all(&old).expect("a config folder");
    fs::create_dir_all(&data).expect("a data folder");
    fs::write(old.join("config.toml"), "[display]\nmax_width = 100\n").expect("a config");
    fs::write(old.join("bookmarks.toml"), a_bookmark("old.txt")).expect("old bookmarks");
    fs::write(data.join("bookmarks.toml"), a_bookmark("new.txt")).expect("new bookmarks");
    for _ in 0..2 {
        let output = run_in(&sandbox, &work, &["list", "--count"]);
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "left {} where it is",
                old.join("bookmarks.toml").display()
            )) && stderr.contains("exists already"),
            "{stderr}"
        );
    }
    let read = |path: PathBuf| fs::read_to_string(path).expect("still there");
    assert_eq!(read(old.join("bookmarks.toml")), a_bookmark("old.txt"));
    assert_eq!(read(data.join("bookmarks.toml")), a_bookmark("new.txt"));
}

#[test]
fn a_working_folder_s_articles_move_only_when_the_marks_name_them() {
    let (sandbox, work) = bare();
    let data = data(&sandbox);
    fs::create_dir_all(&data).expect("a data folder");
    // Someone's own `articles` folder, which no mark names, stays.
    let other = sandbox.path().join("blog");
    fs::create_dir_all(other.join("articles")).expect("a folder of one's own");
    fs::write(other.join("articles/post.md"), "# A post\n").expect("a post");
    let output = run_in(&sandbox, &other, &["list", "--count"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
    assert!(output.stderr.is_empty(), "{output:?}");
    assert!(other.join("articles/post.md").is_file());
    // The folder an earlier version read without a config: its read marks
    // in the data folder name its file, so it moves.
    fs::create_dir_all(work.join("articles")).expect("the old folder");
    fs::write(work.join("articles/01.txt"), "Read Before\n\nText.\n").expect("an article");
    fs::write(
        data.join("state.toml"),
        "version = 1\nread = [\"01.txt\"]\n",
    )
    .expect("read marks");
    let output = run_in(&sandbox, &work, &["list", "--json"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!(
            "moved {} to {}",
            work.join("articles").display(),
            data.join("articles").display()
        )),
        "{output:?}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Read Before"));
    assert!(!work.join("articles").exists());
    assert!(data.join("articles/01.txt").is_file());
}

#[test]
fn articles_fetched_into_a_working_folder_by_an_earlier_version_move_and_are_not_fetched_again() {
    use common::{Reply, TestServer};
    let (sandbox, work) = bare();
    let data = data(&sandbox);
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town</title>\
             <item><guid>t1</guid><title>Tram Line Opens</title>\
             <pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
             <description>Trams.</description></item></channel></rss>",
        ),
    );
    // What an earlier version did without a config: the feeds and their
    // state in the data folder, the articles in ./articles.
    let earlier = sandbox.path().join("earlier.toml");
    fs::write(
        &earlier,
        format!(
            "[library]\narticles = {}\nfeeds = {}\n",
            common::toml_string(&work.join("articles").display().to_string()),
            common::toml_string(&data.join("feeds.toml").display().to_string())
        ),
    )
    .expect("the earlier layout");
    let earlier = earlier.display().to_string();
    for args in [
        &[
            "--config",
            &earlier,
            "feed",
            "add",
            &server.url("/feed.xml"),
        ][..],
        &["--config", &earlier, "fetch"][..],
    ] {
        let output = run_in(&sandbox, &work, args);
        assert!(output.status.success(), "{args:?}: {output:?}");
    }
    assert!(work.join("articles").is_dir());
    // Now, with no config: the folder moves, said, and its article is
    // listed; a fetch writes nothing again.
    let output = run_in(&sandbox, &work, &["list", "--json"]);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!(
            "moved {} to {}",
            work.join("articles").display(),
            data.join("articles").display()
        )),
        "{output:?}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Tram Line Opens"));
    let elsewhere = sandbox.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("another folder");
    let output = run_in(&sandbox, &elsewhere, &["fetch"]);
    assert!(output.status.success(), "{output:?}");
    let output = run_in(&sandbox, &work, &["list", "--count"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1");
    assert!(!work.join("articles").exists());
}
