//! Small command-line and query fixes, through the real binary on copies of
//! the sample articles: the query keywords in capitals, a bad query's
//! message shown once, tags split by one rule, `read` usage, the `cache`
//! setting and duplicate feed addresses.

mod common;
mod reader;

use common::Sandbox;
use ratatui::crossterm::event::KeyCode;
use reader::{press, samples_reader};

/// The number `list --count ARGS` prints.
fn count(sandbox: &Sandbox, query: &str) -> usize {
    let out = sandbox.cli(&["list", "--count", query]);
    out.trim()
        .parse()
        .unwrap_or_else(|_| panic!("list --count {query:?} printed {out:?}"))
}

#[test]
fn not_and_or_in_capitals_are_operators() {
    let sandbox = Sandbox::samples();
    let all = count(&sandbox, "");
    let oseman = count(&sandbox, "oseman");
    assert!(0 < oseman && oseman < all, "{oseman} of {all}");
    // `NOT oseman` is every article without the word, as `-oseman` is.
    assert_eq!(count(&sandbox, "NOT oseman"), all - oseman);
    assert_eq!(count(&sandbox, "not oseman"), count(&sandbox, "-oseman"));
    // `AND` and `OR` join terms instead of being searched for.
    assert_eq!(
        count(&sandbox, "oseman AND bloopers"),
        count(&sandbox, "oseman bloopers")
    );
    assert_eq!(
        count(&sandbox, "oseman OR bloopers"),
        count(&sandbox, "oseman or bloopers")
    );
    // NOT binds tighter than AND and OR.
    assert_eq!(
        count(&sandbox, "NOT oseman OR bloopers"),
        count(&sandbox, "(-oseman) or bloopers")
    );
    // Quoted, the keyword is a word again.
    assert_eq!(
        count(&sandbox, "\"not\""),
        count(&sandbox, "\"not\" \"not\"")
    );
}

#[test]
fn a_bad_query_s_message_is_printed_once() {
    let sandbox = Sandbox::samples();
    let err = sandbox.fails(&["list", "foo:bar"]);
    assert_eq!(
        err.matches("unknown field").count(),
        1,
        "the message appears once, under the caret:\n{err}"
    );
    assert!(err.contains("column 1"), "{err}");
    assert!(err.contains("^ unknown field"), "{err}");
    let err = sandbox.fails(&["list", "a not"]);
    assert_eq!(err.matches("needs a term").count(), 1, "{err}");
}

#[test]
fn b_on_picked_articles_counts_only_the_new_bookmarks() {
    let mut app = samples_reader(120, 40);
    // The first article is bookmarked, then it and the next are picked.
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.picked_ids().len(), 2);
    press(&mut app, KeyCode::Char('b'));
    assert_eq!(app.marks().bookmarked.len(), 2);
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("bookmarked 1 (1 already)")
    );
}

#[test]
fn tag_add_splits_on_commas_as_the_reader_does() {
    let sandbox = Sandbox::samples();
    let id = common::NEWEST;
    sandbox.cli(&["tag", "add", id, "tram, Night Bus,,", "ferry"]);
    for tag in ["tram", "night bus", "ferry"] {
        let found = sandbox.cli(&["list", "--json", &format!("tag:\"{tag}\"")]);
        assert!(found.contains(id), "tag {tag:?}: {found}");
    }
    assert!(
        !sandbox
            .cli(&["list", "tag:\"tram, night bus\""])
            .contains(id)
    );
    sandbox.cli(&["tag", "remove", id, "tram,ferry"]);
    assert!(!sandbox.cli(&["list", "tag:tram"]).contains(id));
    assert!(sandbox.cli(&["list", "tag:\"night bus\""]).contains(id));
    let err = sandbox.fails(&["tag", "add", id, " , "]);
    assert!(err.contains("no tag given"), "{err}");
}

#[test]
fn read_without_arguments_shows_both_usages() {
    let sandbox = Sandbox::samples();
    for command in ["read", "unread"] {
        let out = sandbox.run(&[command]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("broadsheet {command} --query")),
            "{err}"
        );
    }
}

#[test]
fn a_cache_setting_that_reads_as_a_switch_is_refused_where_it_is_written() {
    let sandbox = Sandbox::samples();
    for word in ["yes", "No", "off", "TRUE"] {
        sandbox.write_config(&format!("cache = \"{word}\"\n"));
        for args in [&["check"][..], &["list", "--count"][..]] {
            let out = sandbox.run(args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{word}: {args:?} succeeded: {err}");
            assert!(err.contains("config.toml:3:9"), "{word}: {err}");
            assert!(err.contains("true or false without quotes"), "{err}");
            assert!(
                !sandbox.path().join(word).exists(),
                "no folder named {word}"
            );
        }
    }
    // A folder with such a name can still be had, written as a path.
    sandbox.write_config("cache = \"./yes\"\n");
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "5");
}

#[test]
fn two_feeds_of_one_address_are_refused_by_check_and_at_load() {
    let sandbox = Sandbox::samples();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    std::fs::write(
        sandbox.path().join("feeds.toml"),
        "[[feed]]\nurl = \"http://127.0.0.1:9/a.xml\"\nname = \"One\"\n\n\
         [[feed]]\nname = \"Two\"\nurl = \"http://127.0.0.1:9/a.xml\"\n",
    )
    .expect("write feeds.toml");
    for args in [&["check"][..], &["feed", "list"][..]] {
        let err = sandbox.fails(args);
        assert!(err.contains("feeds.toml"), "{args:?}: {err}");
        assert!(err.contains("line 7, column 7"), "{args:?}: {err}");
        assert!(err.contains("`Two` has the address of feed `One`"), "{err}");
    }
    // Taking the second away mends it.
    sandbox.cli(&["feed", "remove", "Two"]);
    sandbox.cli(&["check"]);
}
