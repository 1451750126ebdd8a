//! Every subcommand through the real binary, on temporary copies of the
//! sample articles.

mod common;

use std::fs;
use std::path::Path;

use broadsheet::cli::Args;
use clap::CommandFactory;
use common::{SAMPLES, Sandbox};

/// The ids `list ARGS --json` prints, in order.
fn ids(sandbox: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut full = args.to_vec();
    full.push("--json");
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&full)).expect("list --json is JSON");
    json.as_array()
        .expect("an array")
        .iter()
        .map(|row| row["id"].as_str().expect("id").to_string())
        .collect()
}

fn sample(index: usize) -> String {
    SAMPLES[index].to_string()
}

#[test]
fn list_shows_newest_first_undated_last() {
    let sandbox = Sandbox::samples();
    assert_eq!(
        ids(&sandbox, &["list"]),
        [sample(1), sample(0), sample(2), sample(4), sample(3)]
    );
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "5");
}

#[test]
fn list_text_line_has_date_marks_title_tags_and_id() {
    let sandbox = Sandbox::samples();
    let out = sandbox.cli(&["list"]);
    let first = out.lines().next().expect("a line");
    assert_eq!(
        first,
        "2025-02-17  •  Heartstopper Season 4: Alice Oseman Feeling \"Optimistic,\" \"Hopeful\"  \
         [Alice Oseman, Heartstopper]  001_900db8947a90b09e.txt"
    );
    let last = out.lines().last().expect("a line");
    assert!(
        last.starts_with("----------  •  Heartstopper Season 1 Bloopers"),
        "{last}"
    );
}

#[test]
fn the_sample_queries_give_the_documented_articles() {
    let sandbox = Sandbox::samples();
    assert_eq!(ids(&sandbox, &["list", "tag:bloopers"]), [sample(0)]);
    assert_eq!(
        ids(&sandbox, &["list", "Oseman", "-tag:bloopers"]),
        [sample(1), sample(3)]
    );
    assert_eq!(
        ids(&sandbox, &["list", "Oseman -tag:bloopers"]),
        [sample(1), sample(3)]
    );
    assert_eq!(
        ids(&sandbox, &["list", "\"blooper reel\""]),
        [sample(4), sample(3)]
    );
    assert_eq!(
        ids(&sandbox, &["list", "date:2024-01..2024-12"]),
        [sample(0), sample(2)]
    );
    assert_eq!(
        ids(&sandbox, &["list", "--tag", "HEARTSTOPPER"]),
        [sample(1), sample(0)]
    );
}

#[test]
fn options_may_follow_a_negated_query_term() {
    let sandbox = Sandbox::samples();
    assert_eq!(
        sandbox.cli(&["list", "-tag:bloopers", "--count"]).trim(),
        "4"
    );
}

#[test]
fn sort_and_limit() {
    let sandbox = Sandbox::samples();
    assert_eq!(
        ids(&sandbox, &["list", "--sort", "oldest"]),
        [sample(4), sample(2), sample(0), sample(1), sample(3)]
    );
    assert_eq!(
        ids(&sandbox, &["list", "--sort", "title", "--limit", "1"]).len(),
        1
    );
    let out = sandbox.run(&["list", "--sort", "sideways"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad option value is a usage error"
    );
}

#[test]
fn a_bad_query_points_at_the_problem() {
    let sandbox = Sandbox::samples();
    let err = sandbox.fails(&["list", "tag:x (oseman"]);
    assert!(err.contains("bad query"), "{err}");
    assert!(err.contains('^'), "a caret points at the place: {err}");
}

#[test]
fn list_json_has_every_documented_field() {
    let sandbox = Sandbox::samples();
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "tag:bloopers", "--json"])).expect("JSON");
    let row = &json[0];
    assert_eq!(row["id"], sample(0));
    assert_eq!(
        row["title"],
        "Heartstopper Season 3: Netflix Shares First Wave of Blooper Greatness"
    );
    assert_eq!(row["date"], "2024-12-24");
    assert_eq!(row["categories"], serde_json::json!(["Netflix", "TV"]));
    assert_eq!(row["tags"], serde_json::json!(["bloopers", "Heartstopper"]));
    assert!(row["words"].as_u64().expect("words") > 300);
    assert_eq!(row["bookmarked"], false);
    assert_eq!(row["read"], false);
    assert!(row["path"].as_str().expect("path").ends_with(&sample(0)));
    let undated: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "--json", "--sort", "oldest"])).expect("JSON");
    assert_eq!(undated[4]["date"], serde_json::Value::Null);
}

#[test]
fn show_prints_title_details_and_body() {
    let sandbox = Sandbox::samples();
    let out = sandbox.cli(&["show", &sample(1)]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("Heartstopper Season 4: Alice Oseman Feeling \"Optimistic,\" \"Hopeful\"")
    );
    assert_eq!(
        lines.next(),
        Some("2025-02-17 · Netflix, TV · #Alice Oseman #Heartstopper · unread")
    );
    assert!(out.contains("\nHeartstopper Season 4: Some Previous Updates\n"));
    assert!(out.contains("Showrunner Alice Oseman updated where things stand"));
}

#[test]
fn show_accepts_a_unique_start_of_an_id_and_rejects_unknown_ones() {
    let sandbox = Sandbox::samples();
    assert!(
        sandbox
            .cli(&["show", "003"])
            .starts_with("Heartstopper Season 1 Bloopers")
    );
    let err = sandbox.fails(&["show", "nope.txt"]);
    assert!(err.contains("no article with id `nope.txt`"), "{err}");
    let err = sandbox.fails(&["show", "00"]);
    assert!(err.contains("matches several ids"), "{err}");
}

#[test]
fn show_json_carries_the_body_blocks() {
    let sandbox = Sandbox::samples();
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["show", &sample(2), "--json"])).expect("JSON");
    let title = json["title"].as_str().expect("title");
    assert!(title.starts_with(
        "The third season for one of the most beloved Netflix original shows just got"
    ));
    assert!(title.ends_with('…'));
    assert_eq!(json["date"], "2024-09-03");
    assert_eq!(json["tags"], serde_json::json!([]));
    let body = json["body"].as_array().expect("body");
    assert!(body.iter().any(|b| b["kind"] == "subheading"
        && b["text"] == "Joe Locke Will Enter the Marvel Cinematic Universe in Just a Few Weeks"));
}

#[test]
fn tags_and_categories_count_articles() {
    let sandbox = Sandbox::samples();
    let tags = sandbox.cli(&["tags"]);
    assert_eq!(tags.lines().next(), Some("2  Heartstopper"));
    assert!(tags.lines().any(|l| l == "1  Alice Oseman"));
    assert!(tags.lines().any(|l| l == "1  bloopers"));
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["categories", "--json"])).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!([{"name": "Netflix", "count": 2}, {"name": "TV", "count": 2}])
    );
}

#[test]
fn bookmarks_are_saved_listed_queried_and_removed() {
    let sandbox = Sandbox::samples();
    let out = sandbox.cli(&["bookmark", "add", &sample(0), "--note", "for later"]);
    assert_eq!(out.trim(), format!("bookmarked: {}", sample(0)));
    sandbox.cli(&["bookmark", "add", "003"]);
    let file = fs::read_to_string(sandbox.path().join("bookmarks.toml")).expect("bookmarks.toml");
    assert!(file.contains("[[bookmark]]"), "{file}");
    assert!(file.contains(&format!("id = \"{}\"", sample(0))), "{file}");
    assert!(file.contains("note = \"for later\""), "{file}");
    assert!(file.contains("date = 2024-12-24"), "{file}");
    assert_eq!(
        ids(&sandbox, &["list", "is:bookmarked"]),
        [sample(0), sample(3)]
    );
    let listed = sandbox.cli(&["bookmarks"]);
    assert!(listed.contains("    note: for later"), "{listed}");
    let line = sandbox.cli(&["list", "tag:bloopers"]);
    assert!(line.starts_with("2024-12-24 ★•  "), "{line}");

    sandbox.cli(&["bookmark", "remove", &sample(0)]);
    assert_eq!(ids(&sandbox, &["list", "is:bookmarked"]), [sample(3)]);
    let err = sandbox.fails(&["bookmark", "remove", &sample(1)]);
    assert!(err.contains("is not bookmarked"), "{err}");
    let err = sandbox.fails(&["bookmark", "add", "missing.txt"]);
    assert!(err.contains("no article with id"), "{err}");
}

#[test]
fn bookmarks_of_missing_articles_are_kept_and_listed_as_missing() {
    let sandbox = Sandbox::samples();
    sandbox.cli(&["bookmark", "add", &sample(4)]);
    fs::remove_file(sandbox.articles().join(sample(4))).expect("remove article");
    let listed = sandbox.cli(&["bookmarks"]);
    assert!(
        listed.contains(&format!("{}  [missing]", sample(4))),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["bookmarks", "--json"])).expect("JSON");
    assert_eq!(json[0]["missing"], true);
    // Adding another bookmark must not drop the missing one.
    sandbox.cli(&["bookmark", "add", &sample(0)]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sandbox.cli(&["bookmarks", "--json"]))
            .expect("JSON")
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // And it can still be removed by its id.
    sandbox.cli(&["bookmark", "remove", &sample(4)]);
}

#[test]
fn read_and_unread_change_the_marks() {
    let sandbox = Sandbox::samples();
    sandbox.cli(&["read", &sample(2)]);
    assert_eq!(ids(&sandbox, &["list", "is:read"]), [sample(2)]);
    assert_eq!(sandbox.cli(&["list", "is:unread", "--count"]).trim(), "4");
    assert!(
        fs::read_to_string(sandbox.path().join("state.toml"))
            .expect("state.toml")
            .contains(&sample(2))
    );
    sandbox.cli(&["unread", &sample(2)]);
    assert_eq!(sandbox.cli(&["list", "is:read", "--count"]).trim(), "0");
    sandbox.fails(&["read", "nope"]);
}

#[test]
fn a_corrupt_bookmarks_file_is_moved_aside_and_reported() {
    let sandbox = Sandbox::samples();
    let path = sandbox.path().join("bookmarks.toml");
    fs::write(&path, "[[bookmark]\nid = ").expect("write corrupt file");
    let output = sandbox.run(&["bookmark", "add", &sample(0)]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("was moved to"), "{stderr}");
    let aside: Vec<_> = fs::read_dir(sandbox.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("bookmarks.toml.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read_to_string(aside[0].path()).expect("aside"),
        "[[bookmark]\nid = "
    );
    assert_eq!(ids(&sandbox, &["list", "is:bookmarked"]), [sample(0)]);
}

#[test]
fn config_and_articles_options_work_before_and_after_the_command() {
    let sandbox = Sandbox::samples();
    let other = sandbox.path().join("other");
    fs::create_dir(&other).expect("dir");
    fs::copy(sandbox.articles().join(sample(0)), other.join("only.txt")).expect("copy");
    assert_eq!(
        sandbox
            .cli(&["--articles", "other", "list", "--count"])
            .trim(),
        "1"
    );
    assert_eq!(
        sandbox
            .cli(&["list", "--count", "--articles", "other"])
            .trim(),
        "1"
    );

    let elsewhere = sandbox.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("dir");
    fs::write(
        elsewhere.join("c.toml"),
        "[library]\narticles = \"../other\"\n",
    )
    .expect("config");
    assert_eq!(
        sandbox
            .cli(&["--config", "elsewhere/c.toml", "list", "--count"])
            .trim(),
        "1"
    );
    assert_eq!(
        sandbox.cli(&["tags", "--config", "elsewhere/c.toml"]),
        "1  bloopers\n1  Heartstopper\n"
    );
    let out = sandbox
        .command(&["list", "--count"])
        .env("BROADSHEET_CONFIG", elsewhere.join("c.toml"))
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
}

#[test]
fn a_missing_config_file_or_articles_folder_is_an_error() {
    let sandbox = Sandbox::samples();
    let err = sandbox.fails(&["--config", "nope.toml", "list"]);
    assert!(err.contains("nope.toml"), "{err}");
    let err = sandbox.fails(&["--articles", "no-such-dir", "list"]);
    assert!(err.contains("no-such-dir"), "{err}");
}

#[test]
fn check_reports_warnings_but_passes() {
    let sandbox = Sandbox::samples();
    fs::write(sandbox.articles().join("binary.txt"), b"abc\0def").expect("binary");
    let output = sandbox.run(&["check"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("articles: 5 loaded"), "{stdout}");
    assert!(stdout.contains("warnings: 1"), "{stdout}");
    assert!(stderr.contains("binary.txt"), "{stderr}");
    // Other commands summarise the warnings in one line.
    let output = sandbox.run(&["list", "--count"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 file skipped"));
}

/// Every fixture in tests/invalid_configs starts with `# error: <text>`;
/// `check` must fail with that text, and every valid fixture must pass.
#[test]
fn check_runs_the_config_fixtures() {
    let sandbox = Sandbox::samples();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in fs::read_dir(root.join("invalid_configs")).expect("invalid_configs") {
        let path = entry.expect("entry").path();
        let bytes = fs::read(&path).expect("fixture");
        let text = String::from_utf8_lossy(&bytes);
        let Some(expected) = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# error: "))
        else {
            continue;
        };
        let target = sandbox.path().join("fixture.toml");
        fs::write(&target, &bytes).expect("copy fixture");
        let err = sandbox.fails(&["--config", "fixture.toml", "check"]);
        assert!(
            err.contains("fixture.toml:") && err.contains(expected.trim()),
            "{}: expected `{}` in: {err}",
            path.display(),
            expected.trim()
        );
    }
    for entry in fs::read_dir(root.join("valid_configs")).expect("valid_configs") {
        let path = entry.expect("entry").path();
        let target = sandbox.path().join("fixture.toml");
        fs::copy(&path, &target).expect("copy fixture");
        let output = sandbox
            .command(&[
                "--config",
                "fixture.toml",
                "--articles",
                "articles",
                "check",
            ])
            .output()
            .expect("run");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn hostile_files_are_listed_without_control_characters() {
    let sandbox = Sandbox::samples();
    let articles = sandbox.articles();
    fs::write(
        articles.join("esc.txt"),
        " date 2024-05-05 Posted in: \x1b[31mRed\x1b[0m | Tagged: \x1b]0;pwned\x07x\n\n\
         Title \x1b[2J\x1b]52;c;aGk=\x07here\u{202e}\n\nBody\r with\x08 \u{9b}31m junk \x1bP1$r\x1b\\.\n",
    )
    .expect("write");
    fs::write(
        articles.join("name\x1b[2Jwith escape.txt"),
        "Plain title\n\nBody.\n",
    )
    .expect("write");
    fs::write(articles.join("utf16.txt"), {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "UTF sixteen title\n\nBody text.\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        bytes
    })
    .expect("write");
    fs::write(
        articles.join("bad-utf8.txt"),
        b"Caf\xe9 \xff\xfe title\n\nBody.\n",
    )
    .expect("write");
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["tags"],
        vec!["categories"],
        vec!["check"],
        vec!["show", "esc.txt"],
    ] {
        let output = sandbox.run(&args);
        assert!(output.status.success(), "{args:?}");
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)
                })
                .collect();
            assert!(bad.is_empty(), "{args:?} printed {bad:?} in {text}");
        }
    }
    let listed = sandbox.cli(&["list"]);
    assert!(listed.contains("UTF sixteen title"), "{listed}");
    assert!(listed.contains("Caf"), "{listed}");
    assert!(listed.contains("Plain title"), "{listed}");
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "9");
}

#[test]
fn many_processes_bookmarking_at_once_keep_every_bookmark() {
    let sandbox = Sandbox::samples();
    let articles = sandbox.articles();
    let count = 24;
    for i in 0..count {
        fs::write(
            articles.join(format!("many-{i:02}.txt")),
            format!("Article {i}\n\nBody.\n"),
        )
        .expect("write");
    }
    let children: Vec<_> = (0..count)
        .map(|i| {
            let mut cmd = sandbox.command(&["bookmark", "add", &format!("many-{i:02}.txt")]);
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(
        sandbox.cli(&["list", "is:bookmarked", "--count"]).trim(),
        count.to_string()
    );
}

/// Every command and subcommand of the definition the parser uses, as the
/// words that name it (`["feed", "add"]`), with its definition: a command
/// added to `cli::args` is in this list without anyone writing it here.
fn every_command() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(
        command: &clap::Command,
        words: &[String],
        out: &mut Vec<(Vec<String>, clap::Command)>,
    ) {
        for sub in command.get_subcommands() {
            let mut words = words.to_vec();
            words.push(sub.get_name().to_string());
            out.push((words.clone(), sub.clone()));
            walk(sub, &words, out);
        }
    }
    let mut out = Vec::new();
    walk(&Args::command(), &[], &mut out);
    // A test that a walk found nothing would pass whatever the help says.
    assert!(
        out.iter().any(|(words, _)| words == &["feed", "add"]),
        "the walk misses nested commands: {:?}",
        out.iter()
            .map(|(words, _)| words.join(" "))
            .collect::<Vec<_>>()
    );
    out
}

/// A command's one-line description (its `about`), which must be there.
fn about_of(words: &[String], command: &clap::Command) -> String {
    let about = command
        .get_about()
        .map(|about| about.to_string())
        .unwrap_or_default();
    let about = about.trim().to_string();
    assert!(
        !about.is_empty() && !about.starts_with("Usage"),
        "`broadsheet {}` has no description: a doc comment on its variant in src/cli/args.rs \
         is its help, its manual page and its line in the completions",
        words.join(" ")
    );
    about
}

/// Text with every run of white space made one space: help and manual
/// pages wrap lines where they like.
fn words_of(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_is_there_for_every_command() {
    let sandbox = Sandbox::samples();
    let root = Args::command();
    let top = words_of(&sandbox.cli(&["--help"]));
    for (words, command) in every_command() {
        let about = about_of(&words, &command);
        // Its own --help says what it does, and so does its parent's list
        // of commands (for a top-level one, the main --help).
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.push("--help");
        let help = words_of(&sandbox.cli(&args));
        assert!(
            help.contains(&words_of(&about)),
            "`broadsheet {}` does not say what it does:\n{help}",
            words.join(" ")
        );
        let (name, parent) = words.split_last().expect("a command has a name");
        let parent_help = if parent.is_empty() {
            top.clone()
        } else {
            let mut args: Vec<&str> = parent.iter().map(String::as_str).collect();
            args.push("--help");
            words_of(&sandbox.cli(&args))
        };
        assert!(
            parent_help.contains(&words_of(&format!("{name} {about}"))),
            "`broadsheet {} --help` does not list `{name}`:\n{parent_help}",
            parent.join(" ")
        );
        // Every option and argument says what it is for.
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") || arg.is_global_set() {
                continue;
            }
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(
                !help.trim().is_empty(),
                "`broadsheet {}`'s `{id}` has no help text",
                words.join(" ")
            );
        }
    }
    for arg in root.get_arguments() {
        let id = arg.get_id().as_str();
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        assert!(
            matches!(id, "help" | "version") || !help.trim().is_empty(),
            "broadsheet's `{id}` has no help text"
        );
    }
    assert!(sandbox.cli(&["list", "--help"]).contains("is:bookmarked"));
}

/// The lines of the README's "Command line" block that name a command:
/// each indented by two spaces, several on one line parted by ` / `, as
/// their words (`["tag", "add", "ID", "TAG..."]`).
fn readme_command_lines() -> Vec<Vec<String>> {
    let readme = include_str!("../README.md");
    let section = readme
        .split_once("\n## Command line\n")
        .map(|(_, rest)| rest)
        .expect("README.md has a \"Command line\" section");
    let block = section
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(block, _)| block)
        .expect("README.md's \"Command line\" section opens with a ```text block");
    block
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .flat_map(|line| line.split(" / "))
        .map(|part| part.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_readme_names_every_command_and_no_other() {
    let lines = readme_command_lines();
    let commands = every_command();
    for (words, _) in &commands {
        assert!(
            lines.iter().any(|line| line.starts_with(words)),
            "README.md's \"Command line\" block has no line for `{}`",
            words.join(" ")
        );
    }
    // And names no command that is gone: a line's first word is a command
    // (or says there is none).
    for line in &lines {
        let first = line.first().map(String::as_str).unwrap_or_default();
        assert!(
            first == "(no" || commands.iter().any(|(words, _)| words[0] == first),
            "README.md's \"Command line\" block names `{first}`, which is no command"
        );
        if let Some((_, sub)) = commands
            .iter()
            .find(|(words, _)| words.len() == 1 && words[0] == first)
            .filter(|(_, command)| command.has_subcommands())
        {
            let second = line.get(1).map(String::as_str).unwrap_or_default();
            assert!(
                sub.find_subcommand(second).is_some(),
                "README.md's \"Command line\" block names `{first} {second}`, which is no command"
            );
        }
    }
}

#[test]
fn a_file_reached_through_several_paths_is_counted_once() {
    let sandbox = Sandbox::samples();
    let articles = sandbox.articles();
    fs::create_dir(articles.join("sub")).expect("sub folder");
    fs::rename(
        articles.join(SAMPLES[0]),
        articles.join("sub").join(SAMPLES[0]),
    )
    .expect("move");
    // A linked folder that leads back into the tree, a link to a file in
    // it, and a hard link.
    std::os::unix::fs::symlink("sub", articles.join("again")).expect("folder link");
    std::os::unix::fs::symlink(SAMPLES[1], articles.join("link.txt")).expect("file link");
    fs::hard_link(articles.join(SAMPLES[2]), articles.join("zz_hard.txt")).expect("hard link");
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "5");
    let mut ids = ids(&sandbox, &["list"]);
    ids.sort_unstable();
    let mut expected: Vec<String> = SAMPLES[1..].iter().map(|s| s.to_string()).collect();
    expected.push(format!("sub/{}", SAMPLES[0]));
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

/// The cache folder the sandbox's commands use, and its files.
fn cache_files(sandbox: &Sandbox) -> Vec<std::path::PathBuf> {
    let base = sandbox.path().join("xdg-cache/broadsheet");
    let Ok(folders) = std::fs::read_dir(&base) else {
        return Vec::new();
    };
    let mut files: Vec<_> = folders
        .flatten()
        .flat_map(|folder| {
            std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    files
}

#[test]
fn commands_write_the_cache_once_and_answer_the_same_from_it() {
    let sandbox = Sandbox::samples();
    let listed = sandbox.cli(&["list", "--json"]);
    let names: Vec<String> = cache_files(&sandbox)
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(names, ["summaries.bin", "texts.bin", "words.bin"]);
    // From the cache: the same answers, text search included.
    assert_eq!(sandbox.cli(&["list", "--json"]), listed);
    assert_eq!(
        sandbox.cli(&["list", "\"blooper reel\"", "--count"]).trim(),
        "2"
    );
    assert_eq!(
        sandbox
            .cli(&["--no-cache", "list", "\"blooper reel\"", "--count"])
            .trim(),
        "2"
    );
}

#[test]
fn a_damaged_cache_is_said_and_rebuilt_with_the_same_answers() {
    let sandbox = Sandbox::samples();
    let tags = sandbox.cli(&["tags"]);
    for file in cache_files(&sandbox) {
        let mut bytes = std::fs::read(&file).expect("a cache file");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x21;
        std::fs::write(&file, bytes).expect("a damaged cache file");
    }
    let output = sandbox.run(&["tags"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), tags);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rebuilding the cache: "), "{stderr}");
    // Rebuilt: no word the next time.
    let output = sandbox.run(&["tags"]);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn no_cache_neither_reads_nor_writes_one() {
    let sandbox = Sandbox::samples();
    assert_eq!(sandbox.cli(&["--no-cache", "list", "--count"]).trim(), "5");
    assert!(cache_files(&sandbox).is_empty());
    sandbox.write_config("cache = false\n");
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "5");
    assert!(cache_files(&sandbox).is_empty());
}

#[test]
fn feeds_are_added_listed_and_removed_keeping_the_files_comments() {
    let sandbox = Sandbox::samples();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    let feeds = sandbox.path().join("feeds.toml");
    std::fs::write(
        &feeds,
        "# mine\n\n[[feed]]\n# kept\nurl = \"https://a.example/rss\"\nname = \"A\"\n",
    )
    .expect("a feeds file");
    let out = sandbox.cli(&[
        "feed",
        "add",
        "https://b.example/atom",
        "--tag",
        "world",
        "--full-text",
        "--no-fetch",
    ]);
    let articles = sandbox
        .articles()
        .canonicalize()
        .expect("the articles folder");
    assert_eq!(
        out,
        format!(
            "subscribed: b.example  https://b.example/atom\n`broadsheet fetch` (or F in the \
             reader) brings its articles into {}\n",
            articles.display()
        )
    );
    let out = sandbox.cli(&["feed", "add", "HTTPS://B.example/atom/", "--no-fetch"]);
    assert_eq!(
        out,
        "already subscribed: b.example  https://b.example/atom\n"
    );
    assert_eq!(
        sandbox.cli(&["feed", "list"]),
        "A  https://a.example/rss  · never fetched · 0 items\n\
         b.example  https://b.example/atom  [world]  full text  · never fetched · 0 items\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["feed", "list", "--json"])).expect("JSON");
    assert_eq!(json[1]["tags"], serde_json::json!(["world"]));
    assert_eq!(json[1]["full_text"], serde_json::json!(true));
    assert_eq!(
        sandbox.cli(&["feed", "remove", "a"]),
        "unsubscribed: A  https://a.example/rss\n"
    );
    let text = std::fs::read_to_string(&feeds).expect("the feeds file");
    assert!(text.starts_with("# mine\n"), "{text}");
    assert!(
        !text.contains("# kept") && !text.contains("a.example"),
        "{text}"
    );
}

#[test]
fn feed_commands_refuse_what_cannot_be_fetched_or_found() {
    let sandbox = Sandbox::samples();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    let err = sandbox.fails(&["feed", "add", "file:///etc/passwd"]);
    assert!(err.contains("not an http or https address"), "{err}");
    let err = sandbox.fails(&["feed", "add", "javascript:alert(1)"]);
    assert!(err.contains("not an http or https address"), "{err}");
    let err = sandbox.fails(&["feed", "remove", "nothing"]);
    assert!(err.contains("no feed named `nothing`"), "{err}");
    assert!(
        !sandbox.path().join("feeds.toml").exists(),
        "nothing written"
    );
    std::fs::write(sandbox.path().join("feeds.toml"), "[[feed]\nurl = 1\n").expect("a broken file");
    let err = sandbox.fails(&["feed", "list"]);
    assert!(
        err.contains("feeds.toml") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn feeds_export_as_opml_with_their_names_escaped() {
    let sandbox = Sandbox::samples();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    sandbox.cli(&[
        "feed",
        "add",
        "https://a.example/rss?x=1&y=2",
        "--name",
        "A & \"B\" <c>",
        "--tag",
        "news",
        "--no-fetch",
    ]);
    sandbox.cli(&["feed", "add", "https://b.example/atom", "--no-fetch"]);
    assert_eq!(
        sandbox.cli(&["feed", "export"]),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>broadsheet feeds</title>\n  </head>\n  <body>\n    \
         <outline type=\"rss\" text=\"A &amp; &quot;B&quot; &lt;c&gt;\" title=\"A &amp; &quot;B&quot; &lt;c&gt;\" xmlUrl=\"https://a.example/rss?x=1&amp;y=2\" category=\"news\"/>\n    \
         <outline type=\"rss\" text=\"b.example\" title=\"b.example\" xmlUrl=\"https://b.example/atom\"/>\n  </body>\n</opml>\n"
    );
}

/// The column (from 0) of the caret in a bad query's message, and the
/// query line above it.
fn caret_under(stderr: &str) -> (String, Option<usize>) {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.trim_start().starts_with("^ "));
    let query = at
        .and_then(|at| at.checked_sub(1))
        .and_then(|above| lines.get(above))
        .map_or(String::new(), |line| line.to_string());
    (query, at.and_then(|at| lines[at].find('^')))
}

#[test]
fn a_bad_query_s_caret_is_under_the_bad_part() {
    let sandbox = Sandbox::samples();
    for (query, column) in [
        // `or` with nothing after it: the caret under `or`, column 8.
        ("oseman or", 7),
        // `tag:` with no tag: under the end, where the tag should be.
        ("tag:", 4),
        // Month 13: under the month.
        ("date:2024-13", 5),
        // Spaces in the query are kept, so the caret still lines up.
        ("a   tag:", 8),
    ] {
        let err = sandbox.fails(&["list", query]);
        assert_eq!(
            caret_under(&err),
            (query.to_string(), Some(column)),
            "`{query}`:\n{err}"
        );
    }
}

#[test]
fn an_unknown_option_is_bad_usage_wherever_it_is() {
    let sandbox = Sandbox::samples();
    for args in [
        vec!["--bogus"],
        vec!["list", "--bogus"],
        vec!["list", "oseman", "--bogus"],
        vec!["list", "--count=3"],
    ] {
        let output = sandbox.run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("unexpected"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    // Query terms that start with one `-` still sit among the options.
    assert_eq!(
        sandbox
            .cli(&["list", "-tag:bloopers", "--count", "-tag:heartstopper"])
            .trim(),
        "3"
    );
}

#[test]
fn show_says_undated_as_the_reader_does() {
    let sandbox = Sandbox::samples();
    let out = sandbox.cli(&["show", "003"]);
    assert_eq!(out.lines().nth(1), Some("undated · unread"), "{out}");
    // The list keeps a date-wide placeholder, so its lines keep their shape.
    assert!(
        sandbox
            .cli(&["list"])
            .contains("\n----------  •  Heartstopper Season 1")
    );
}

#[test]
fn list_into_a_pipe_prints_whole_lines_whatever_the_width() {
    let sandbox = Sandbox::samples();
    let output = sandbox
        .command(&["list", "tag:bloopers"])
        .env("COLUMNS", "40")
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "2024-12-24  •  Heartstopper Season 3: Netflix Shares First Wave of Blooper Greatness  \
         [bloopers, Heartstopper]  000_b4046600ca63d592.txt\n"
    );
}

#[test]
fn list_on_a_terminal_aligns_its_columns_to_the_width() {
    let sandbox = Sandbox::samples();
    let mut session = common::Session::start_with_args(&sandbox, 72, 20, &["list"], false);
    common::assert_exit_code(&session.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&session.raw()).into_owned();
    let lines: Vec<&str> = raw.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{raw}");
    let width = |line: &str| line.chars().count();
    for line in &lines {
        assert!(width(line) <= 72, "`{line}` is wider than the terminal");
    }
    // The short ids are whole and start in one column; long titles are
    // cut. (tests/short_ids.rs checks the rest.)
    let id_starts: Vec<usize> = lines
        .iter()
        .map(|line| width(line) - width(line.rsplit("  ").next().unwrap_or("")))
        .collect();
    assert!(id_starts.windows(2).all(|w| w[0] == w[1]), "{raw}");
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "--json"])).expect("JSON");
    let short = json[0]["short_id"].as_str().expect("a short id");
    assert!(lines[0].ends_with(&format!("  {short}")), "{raw}");
    assert!(lines[0].contains("Heartstopper Season 4: "), "{raw}");
    assert!(lines[0].contains('…'), "{raw}");
}

#[test]
fn read_and_unread_take_several_ids_or_a_query() {
    let sandbox = Sandbox::samples();
    assert_eq!(
        sandbox.cli(&["read", "000", "002"]),
        "marked 2 articles read\n"
    );
    assert_eq!(ids(&sandbox, &["list", "is:read"]), [sample(0), sample(2)]);
    assert_eq!(
        sandbox.cli(&["read", "000", "004", "004"]),
        "marked 1 article read (1 of the 2 already was)\n"
    );
    // A query whose first word starts with `-` is the option's value.
    assert_eq!(
        sandbox.cli(&["unread", "--query", "-tag:bloopers"]),
        "marked 2 articles unread (2 of the 4 already were)\n"
    );
    assert_eq!(ids(&sandbox, &["list", "is:read"]), [sample(0)]);
    assert_eq!(
        sandbox.cli(&["read", "--query", "heartstopper"]),
        "marked 4 articles read (1 of the 5 already was)\n"
    );
    assert_eq!(
        sandbox.cli(&["read", "--query", "tag:nothing-has-this"]),
        "marked 0 articles read\n"
    );
    // One unknown id: nothing changes.
    let before = sandbox.file("state.toml");
    let err = sandbox.fails(&["unread", "000", "nope"]);
    assert!(err.contains("no article with id `nope`"), "{err}");
    assert_eq!(sandbox.file("state.toml"), before);
    let err = sandbox.fails(&["read", "--query", "tag:"]);
    assert!(err.contains("bad query"), "{err}");
    // Neither, or both, is bad usage.
    assert_eq!(sandbox.run(&["read"]).status.code(), Some(2));
    assert_eq!(
        sandbox.run(&["read", "000", "--query", "x"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_project_s_own_config_toml_is_passed_over() {
    let sandbox = Sandbox::samples();
    fs::write(
        sandbox.path().join("config.toml"),
        "[server]\nport = 8080\n",
    )
    .expect("a project's config");
    // Without a config of broadsheet's anywhere: the built-in defaults,
    // whose articles folder is the data folder's (empty), not ./articles.
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "0");
    let user = sandbox.path().join("xdg-config/broadsheet");
    fs::create_dir_all(&user).expect("a config folder");
    let mine = user.join("config.toml");
    fs::write(
        &mine,
        "[library]\narticles = \"../../articles\"\n[display]\nsort = \"title\"\n",
    )
    .expect("a user config");
    let output = sandbox.run(&["list", "--json"]);
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "passed over silently");
    assert_eq!(
        ids(&sandbox, &["list"])[0],
        sample(3),
        "the user's config is the one in use (sorted by title)"
    );
    let output = sandbox.run(&["check"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("config.toml was passed over: its table [server] is not one of broadsheet's"),
        "{stderr}"
    );
    let output = sandbox.run(&["config", "path"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        mine.canonicalize()
            .expect("the user config")
            .display()
            .to_string()
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("[server]"));
    // Asked for by name, it is an error.
    let err = sandbox.fails(&["--config", "config.toml", "list"]);
    assert!(err.contains("unknown table `[server]`"), "{err}");
    let output = sandbox
        .command(&["list"])
        .env("BROADSHEET_CONFIG", "config.toml")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn config_init_writes_the_documented_starter_and_never_overwrites() {
    let sandbox = Sandbox::samples();
    // Works even where the configuration in use is broken.
    fs::write(
        sandbox.path().join("config.toml"),
        "[library]\narticles = 1\n",
    )
    .expect("config");
    let target = sandbox.path().join("xdg-config/broadsheet/config.toml");
    let out = sandbox.cli(&["config", "init"]);
    assert!(
        out.starts_with(&format!("wrote {}\n", target.display())),
        "{out}"
    );
    let written = fs::read_to_string(&target).expect("the starter config");
    let bundled = include_str!("../config.toml");
    for comment in bundled.lines().filter(|line| line.starts_with('#')) {
        assert!(written.contains(comment), "`{comment}` is missing");
    }
    let data = sandbox.path().join("xdg-data/broadsheet");
    assert!(written.contains(&format!(
        "bookmarks = \"{}\"",
        data.join("bookmarks.toml").display()
    )));
    assert!(
        data.join("articles").is_dir(),
        "its articles folder is made"
    );

    let err = sandbox.fails(&["config", "init"]);
    assert!(
        err.contains(&format!("{} exists already", target.display())) && err.contains("--force"),
        "{err}"
    );
    fs::write(&target, "# mine\n").expect("an edited config");
    let out = sandbox.cli(&["config", "init", "--force"]);
    assert!(out.contains("the old file is kept as "), "{out}");
    let backups: Vec<_> = fs::read_dir(target.parent().expect("folder"))
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("config.toml.backup-")
        })
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        fs::read_to_string(backups[0].path()).expect("the backup"),
        "# mine\n"
    );

    // The written file is the one used once nothing else is in the way.
    fs::remove_file(sandbox.path().join("config.toml")).expect("remove");
    assert_eq!(
        sandbox.cli(&["config", "path"]).trim(),
        target.display().to_string()
    );
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "0");
}

#[test]
fn config_path_names_the_file_or_says_there_is_none() {
    let sandbox = Sandbox::samples();
    let here = sandbox.path().canonicalize().expect("the sandbox");
    assert_eq!(
        sandbox.cli(&["config", "path"]),
        format!("{}\n", here.join("config.toml").display())
    );
    fs::remove_file(sandbox.path().join("config.toml")).expect("remove");
    let output = sandbox.run(&["config", "path"]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the built-in defaults are in use")
            && stderr.contains("`broadsheet config init` writes one to /"),
        "{stderr}"
    );
}

#[test]
fn errors_name_files_and_folders_by_absolute_path() {
    let sandbox = Sandbox::samples();
    let here = sandbox.path().canonicalize().expect("the sandbox");
    let err = sandbox.fails(&["--config", "nope.toml", "list"]);
    assert!(
        err.contains(&format!("{}:", here.join("nope.toml").display())),
        "{err}"
    );
    let err = sandbox.fails(&["--articles", "no-such-dir", "list"]);
    assert!(
        err.contains(&here.join("no-such-dir").display().to_string()),
        "{err}"
    );
    fs::write(
        sandbox.path().join("config.toml"),
        "[library]\narticles = \"gone\"\n",
    )
    .expect("a config");
    let err = sandbox.fails(&["list"]);
    assert!(
        err.contains(&here.join("gone").display().to_string()),
        "{err}"
    );
}

#[test]
fn bookmarks_says_where_the_file_is() {
    let sandbox = Sandbox::samples();
    let file = sandbox
        .path()
        .canonicalize()
        .expect("the sandbox")
        .join("bookmarks.toml");
    let output = sandbox.run(&["bookmarks"]);
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("no bookmarks yet (kept in {})\n", file.display())
    );
    sandbox.cli(&["bookmark", "add", "000"]);
    let output = sandbox.run(&["bookmarks"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains(&sample(0)));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("bookmarks kept in {}\n", file.display())
    );
    // Scripts reading JSON get no note.
    assert!(sandbox.run(&["bookmarks", "--json"]).stderr.is_empty());
}

/// A manual page's text as a reader sees it: roff's escaped hyphens
/// plain, its requests and line breaks gone.
fn page_text(page: &str) -> String {
    let text: Vec<&str> = page
        .lines()
        .filter(|line| !line.starts_with('.') && !line.starts_with('\''))
        .collect();
    words_of(
        &text
            .join("\n")
            .replace("\\-", "-")
            .replace("\\*(Aq", "'")
            .replace("\\(aq", "'"),
    )
}

#[test]
fn completions_and_the_manual_name_every_command() {
    let sandbox = Sandbox::samples();
    let commands = every_command();
    for shell in ["bash", "zsh", "fish"] {
        let script = sandbox.cli(&["completions", shell]);
        for (words, _) in &commands {
            let name = words.last().expect("a command has a name");
            assert!(
                script.contains(name.as_str()),
                "{shell}: no `{}`",
                words.join(" ")
            );
        }
    }
    let script = sandbox.path().join("broadsheet.bash");
    fs::write(&script, sandbox.cli(&["completions", "bash"])).expect("write");
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("run bash -n");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let page = sandbox.cli(&["man"]);
    assert!(page.contains("\n.TH broadsheet 1 "), "{page}");
    for (words, _) in commands.iter().filter(|(words, _)| words.len() == 1) {
        assert!(
            page.contains(&format!("broadsheet\\-{}(1)", words[0])),
            "the manual lacks `{}`",
            words[0]
        );
    }
    // --dir writes the pages the first one refers to: one for every
    // command, nested ones too (broadsheet-feed-add.1), each saying what
    // its command does.
    let listed = sandbox.cli(&["man", "--dir", "man1"]);
    for (words, command) in &commands {
        let name = format!("broadsheet-{}", words.join("-"));
        let path = sandbox.path().join(format!("man1/{name}.1"));
        let page = fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("no page for `{}` ({err}): {listed}", words.join(" ")));
        let about = words_of(&about_of(words, command));
        assert!(
            page_text(&page).contains(&about),
            "{name}.1 does not say what `{}` does ({about}):\n{page}",
            words.join(" ")
        );
    }
    assert_eq!(listed.lines().count(), commands.len() + 1, "{listed}");
    assert_eq!(sandbox.run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_manual_has_the_readers_keys_the_files_and_the_environment() {
    let sandbox = Sandbox::samples();
    let page = sandbox.cli(&["man"]);
    sandbox.cli(&["man", "--dir", "man1"]);
    let written = fs::read_to_string(sandbox.path().join("man1/broadsheet.1")).expect("page");
    for page in [&page, &written] {
        // Every action of the table the help shows, and a key of it.
        for &action in broadsheet::keys::Action::ALL {
            let what = action.description().replace('-', "\\-");
            assert!(page.contains(&what), "the manual lacks `{action}`");
        }
        assert!(
            page.contains(".TP\n\\fBx\\fR\nPick or unpick the article and move down"),
            "{page}"
        );
        let files = page.find(".SH FILES").expect("a FILES section");
        assert!(page[files..].contains("$XDG_DATA_HOME/broadsheet/bookmarks.toml"));
        assert!(page[files..].contains("$XDG_CONFIG_HOME/broadsheet/config.toml"));
        let environment = page
            .find(".SH ENVIRONMENT")
            .expect("an ENVIRONMENT section");
        for name in ["XDG_CACHE_HOME", "BROWSER", "NO_COLOR", "BROADSHEET_CONFIG"] {
            assert!(
                page[environment..].contains(&format!("\\fB{name}\\fR")),
                "{name}"
            );
        }
        let keys = page.find(".SH KEYS").expect("a KEYS section");
        assert!(keys < files && files < environment);
        assert!(
            page.find(".SH VERSION")
                .is_none_or(|version| environment < version)
        );
    }
}

#[test]
fn without_a_terminal_the_reader_says_to_use_a_command() {
    let sandbox = Sandbox::samples();
    let output = sandbox
        .command(&[])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "broadsheet: error: the reader needs a terminal; for scripts use a command: \
         `broadsheet list`, `broadsheet --help`\n"
    );
}

#[test]
fn help_says_the_commands_never_open_the_reader() {
    let sandbox = Sandbox::samples();
    // Compared word by word: clap wraps the text to the width.
    let out = sandbox.cli(&["--help"]);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("With no command, broadsheet opens the reader")
            && out.contains("The commands below never open the reader"),
        "{out}"
    );
}
