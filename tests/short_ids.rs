//! Short ids through the real binary: `list` shows each article's short
//! id (on a terminal, after the title, which comes first and has the room;
//! in `--json` as `short_id`), every command that takes an ID takes it, a
//! start several short ids share is an error listing them, and a short id
//! stays the same when other articles arrive.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs;

use broadsheet::library::short_id;
use common::{SAMPLES, Sandbox, Session, assert_exit_code};

/// Each listed article's (id, short id, title), in list order.
fn listed(sandbox: &Sandbox) -> Vec<(String, String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "--json"])).expect("list --json is JSON");
    json.as_array()
        .expect("an array")
        .iter()
        .map(|row| {
            let field = |name: &str| row[name].as_str().expect(name).to_string();
            (field("id"), field("short_id"), field("title"))
        })
        .collect()
}

/// Two article names whose hashes share their first four hex digits, so
/// their short ids need more.
fn two_sharing_a_start() -> (String, String) {
    let mut seen: HashMap<u64, String> = HashMap::new();
    for n in 0.. {
        let name = format!("n{n}.txt");
        let start = short_id::hash(&name) >> 48;
        if let Some(other) = seen.insert(start, name.clone()) {
            return (other, name);
        }
    }
    unreachable!("the loop ends at the first shared start")
}

fn write_article(sandbox: &Sandbox, name: &str, title: &str) {
    fs::write(
        sandbox.articles().join(name),
        format!(" date 2024-03-05\n\n{title}\n\nA paragraph of the article.\n"),
    )
    .expect("an article");
}

#[test]
fn every_article_has_a_unique_short_id_of_four_hex_digits_or_more() {
    let sandbox = Sandbox::samples();
    let rows = listed(&sandbox);
    assert_eq!(rows.len(), SAMPLES.len());
    let mut seen = HashSet::new();
    for (id, short, _) in &rows {
        assert!(short.len() >= 4, "{short}");
        assert!(short.bytes().all(|b| b.is_ascii_hexdigit()), "{short}");
        assert!(format!("{:016x}", short_id::hash(id)).starts_with(short.as_str()));
        assert!(seen.insert(short.clone()), "{short} twice");
    }
}

#[test]
fn every_command_that_takes_an_id_takes_a_short_id() {
    let sandbox = Sandbox::samples();
    let rows = listed(&sandbox);
    let (id, short, title) = &rows[0];
    assert!(sandbox.cli(&["show", short]).starts_with(title.as_str()));
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["show", short, "--json"])).expect("JSON");
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["short_id"], short.as_str());
    // Upper case is the same hex.
    let upper = short.to_ascii_uppercase();
    assert!(sandbox.cli(&["show", &upper]).starts_with(title.as_str()));
    assert_eq!(
        sandbox.cli(&["bookmark", "add", short]),
        format!("bookmarked: {id}\n")
    );
    assert_eq!(
        sandbox.cli(&["tag", "add", short, "later"]),
        format!("tagged: {id} (later)\n")
    );
    let (second_id, second_short, _) = &rows[1];
    assert_eq!(
        sandbox.cli(&["read", short, second_short]),
        "marked 2 articles read\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "is:read", "--json"])).expect("JSON");
    let read: Vec<&str> = json
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|row| row["id"].as_str())
        .collect();
    assert_eq!(read, [id.as_str(), second_id.as_str()]);
    assert_eq!(
        sandbox.cli(&["bookmark", "remove", short]),
        format!("removed bookmark: {id}\n")
    );
    // The path id and a start of it work as before.
    assert!(sandbox.cli(&["show", id]).starts_with(title.as_str()));
    assert!(sandbox.cli(&["show", "001"]).starts_with(title.as_str()));
}

#[test]
fn a_start_several_short_ids_share_is_an_error_listing_them() {
    let sandbox = Sandbox::empty();
    let (first, second) = two_sharing_a_start();
    write_article(&sandbox, &first, "The First Title");
    write_article(&sandbox, &second, "The Second Title");
    write_article(&sandbox, "other.txt", "Another Title");
    let rows = listed(&sandbox);
    let short_of = |name: &str| {
        rows.iter()
            .find(|(id, _, _)| id == name)
            .map(|(_, short, _)| short.clone())
            .expect("listed")
    };
    let (a, b) = (short_of(&first), short_of(&second));
    assert!(
        a.len() > 4 && b.len() > 4,
        "{a} {b}: four digits are shared"
    );
    assert_eq!(a[..4], b[..4]);
    let err = sandbox.fails(&["show", &a[..4]]);
    for expected in [
        a.as_str(),
        b.as_str(),
        &first,
        &second,
        "The First Title",
        "The Second Title",
        "give more of it",
    ] {
        assert!(err.contains(expected), "`{expected}` in: {err}");
    }
    assert!(!err.contains("other.txt"), "{err}");
    // Each whole short id names its own article.
    assert!(sandbox.cli(&["show", &a]).starts_with("The First Title"));
    assert!(sandbox.cli(&["show", &b]).starts_with("The Second Title"));
}

#[test]
fn a_short_id_stays_when_other_articles_arrive() {
    let sandbox = Sandbox::samples();
    let before = listed(&sandbox);
    // New articles whose hashes share no four-digit start with the old ones.
    let taken: HashSet<u64> = before
        .iter()
        .map(|(id, _, _)| short_id::hash(id) >> 48)
        .collect();
    let new: Vec<String> = (0..)
        .map(|n| format!("later/new{n}.txt"))
        .filter(|name| !taken.contains(&(short_id::hash(name) >> 48)))
        .take(20)
        .collect();
    fs::create_dir(sandbox.articles().join("later")).expect("a folder");
    for (n, name) in new.iter().enumerate() {
        write_article(&sandbox, name, &format!("New Article {n}"));
    }
    let after = listed(&sandbox);
    assert_eq!(after.len(), before.len() + new.len());
    for (id, short, _) in &before {
        let now = after
            .iter()
            .find(|(other, _, _)| other == id)
            .expect("kept");
        assert_eq!(&now.1, short, "{id}");
    }
}

#[test]
fn list_on_a_narrow_terminal_puts_the_title_first_and_never_cuts_a_short_id() {
    let sandbox = Sandbox::samples();
    let (first, second) = two_sharing_a_start();
    write_article(&sandbox, &first, "The First Title");
    write_article(&sandbox, &second, "The Second Title");
    let rows = listed(&sandbox);
    let mut session = Session::start_with_args(&sandbox, 50, 20, &["list"], false);
    assert_exit_code(&session.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&session.raw()).into_owned();
    let lines: Vec<&str> = raw.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), rows.len(), "{raw}");
    for (line, (_, short, title)) in lines.iter().zip(&rows) {
        assert!(line.chars().count() <= 50, "`{line}` is wider than 50");
        // The title first, after the marks; the short id last, whole.
        let first_word = title.split(' ').next().unwrap_or_default();
        let after_marks: String = line.chars().skip(3).collect();
        assert!(after_marks.starts_with(first_word), "{line}");
        assert!(line.ends_with(&format!("  {short}")), "{short}: {line}");
        // What is shown names that article alone.
        let shown = line.rsplit(' ').next().unwrap_or_default();
        assert!(
            sandbox.cli(&["show", shown]).starts_with(title.as_str()),
            "{shown} names {title}"
        );
    }
    assert!(lines[0].contains("Heartstopper Season 4"), "{raw}");
    assert!(lines[0].contains('…'), "a long title is cut: {raw}");
    // The path ids are for scripts: a pipe still gets them, whole.
    let piped = sandbox.cli(&["list"]);
    assert!(piped.lines().all(|line| !line.ends_with(&rows[0].1)));
    assert!(piped.contains("  001_900db8947a90b09e.txt\n"), "{piped}");
}
