//! Small command-line and query fixes, through the real binary on copies of
//! the sample articles: the query keywords in capitals, a bad query's
//! message shown once, tags split by one rule, `read` usage, the `cache`
//! setting and duplicate feed addresses.

mod common;

use common::Sandbox;

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
