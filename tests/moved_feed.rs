//! A feed that moved for good names the feeds file to edit, by its path,
//! in `fetch` and in `feed list`.

mod common;

use common::{Reply, Sandbox, TestServer};

fn rss(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://news.example/</link><description>d</description>\n\
         <item><guid>m1</guid><title>Hello</title><description>Hi.</description></item>\
         </channel></rss>\n"
    )
}

#[test]
fn a_feed_that_moved_for_good_names_the_feeds_file_to_edit() {
    let server = TestServer::start();
    server.route("/old.xml", Reply::ok("").redirect(301, "/new.xml"));
    server.route("/new.xml", Reply::ok(rss("Moved News")));
    let sandbox = Sandbox::empty();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    sandbox.cli(&[
        "feed",
        "add",
        &server.url("/old.xml"),
        "--name",
        "Moved News",
        "--no-fetch",
    ]);
    let feeds_file = sandbox.path().join("feeds.toml");
    assert!(feeds_file.is_file(), "the feed was added to {feeds_file:?}");
    let advice = format!(
        "moved for good to {}: update its url in ",
        server.url("/new.xml")
    );
    let named = |out: &str| -> Option<std::path::PathBuf> {
        let line = out.lines().find(|line| line.contains(&advice))?;
        let rest = line.split(&advice).nth(1)?;
        let path = rest.trim_end_matches(')');
        std::path::Path::new(path).canonicalize().ok()
    };
    let expected = feeds_file.canonicalize().expect("the feeds file");

    let out = sandbox.cli(&["fetch"]);
    assert_eq!(named(&out), Some(expected.clone()), "{out}");
    let out = sandbox.cli(&["feed", "list"]);
    assert_eq!(named(&out), Some(expected), "{out}");
}
