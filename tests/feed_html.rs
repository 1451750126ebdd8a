//! HTML that cannot hurt: markup built to overflow a stack, to take
//! minutes or gigabytes in an HTML parser, converted as items, extracted
//! as full-text pages and searched for feed links, each giving its text
//! (no timed asserts: BENCHMARKS.md has the times and memory); a fetch of
//! such pages and items through the binary that finishes with the other
//! feeds fetched; the reader's `T` on such a page; and what `<pre>`,
//! tables and images become.

mod common;
// The pathologies' builders, shared with the bench and the example that
// measure them (only some are used here).
#[allow(dead_code)]
#[path = "../benches/common/html_cases.rs"]
mod html_cases;

use std::fs;
use std::path::{Path, PathBuf};

use broadsheet::feeds::discover::feed_links;
use broadsheet::feeds::fulltext::extract;
use broadsheet::feeds::html::text_of_html;
use common::{Reply, Sandbox, TestServer, assert_exit_code};
use html_cases::{nested, page};

#[test]
fn nesting_too_deep_for_a_stack_gives_its_text() {
    for deep in [
        nested("<span>", "</span>", 40_000, "deep words"),
        nested("<div>", "</div>", 30_000, "deep words"),
        format!("{}deep words", "<div>".repeat(30_000)),
    ] {
        let text = text_of_html(&deep);
        assert_eq!(text, "deep words", "{}", &deep[..20]);
        let page = page(&deep);
        let article = extract(&page, "http://127.0.0.1/story").unwrap_or_default();
        assert!(article.contains("neighbours carried sandbags"), "{article}");
        let links = feed_links(&page, "http://127.0.0.1/story");
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(links[0].url, "http://127.0.0.1/feed.xml");
    }
}

#[test]
fn markup_that_is_slow_or_large_to_parse_gives_its_text() {
    let mut many_attributes = String::from("<p");
    for n in 0..150_000 {
        many_attributes.push_str(&format!(" a{n}"));
    }
    many_attributes.push_str(">after the attributes</p>");
    for (what, html, last) in [
        (
            "180,000 nested divs",
            nested("<div>", "</div>", 180_000, "deep words"),
            "deep words",
        ),
        (
            "300,000 nested b",
            format!("{}bold words", "<b>".repeat(300_000)),
            "bold words",
        ),
        (
            "many unclosed b at one level",
            format!("{}last paragraph", "<p><b class=x>word ".repeat(60_000)),
            "last paragraph",
        ),
        ("many attributes", many_attributes, "after the attributes"),
    ] {
        let text = text_of_html(&html);
        assert!(
            text.contains(last),
            "{what}: {}",
            &text[text.len().saturating_sub(80)..]
        );
        assert!(text.len() < 2 * 1024 * 1024, "{what}: {}", text.len());
    }
}

#[test]
fn past_the_element_cap_the_text_goes_on_as_plain_text_and_says_so() {
    let mut html = String::from("<h2>Start</h2>");
    for n in 0..120_000 {
        html.push_str(&format!("<i>w{n}</i> "));
        if n % 1000 == 999 {
            html.push_str("<p>");
        }
    }
    let text = text_of_html(&html);
    assert!(text.starts_with("## Start"), "{}", &text[..40]);
    assert!(
        text.contains("too many HTML elements to keep its layout"),
        "the text says why it turns plain"
    );
    assert!(text.ends_with("w119999"), "{}", &text[text.len() - 40..]);
    assert!(text.contains("w60000"));
}

/// Every article file under `folder` with its text.
fn texts(folder: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).expect("the folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(texts(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(&path).expect("an article");
            found.push((path, text));
        }
    }
    found
}

/// An RSS feed with one item of `description` (HTML, escaped here) linking
/// to `link`.
fn rss(title: &str, link: &str, description: &str) -> String {
    let escaped = description.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><guid>{title}-1</guid><title>{title} item</title><link>{link}</link>\
         <description>{escaped}</description></item></channel></rss>"
    )
}

#[test]
fn a_fetch_with_pages_and_items_nested_too_deep_finishes_and_fetches_the_rest() {
    let server = TestServer::start();
    let spans = nested("<span>", "</span>", 40_000, "deep words");
    server.route("/spans", Reply::ok(page(&spans)).content_type("text/html"));
    let divs = nested("<div>", "</div>", 30_000, "deep words");
    server.route("/divs", Reply::ok(page(&divs)).content_type("text/html"));
    server.route(
        "/pages.xml",
        Reply::ok(format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pages</title>\
             <item><guid>p1</guid><title>Spans</title><link>{}</link><description>A summary.</description></item>\
             <item><guid>p2</guid><title>Divs</title><link>{}</link><description>A summary.</description></item>\
             </channel></rss>",
            server.url("/spans"),
            server.url("/divs")
        )),
    );
    server.route(
        "/items.xml",
        Reply::ok(rss(
            "Items",
            "https://items.example/1",
            &nested("<div>", "</div>", 30_000, "the deep item text"),
        )),
    );
    server.route(
        "/good.xml",
        Reply::ok(rss("Good", "https://good.example/1", "<p>Fine.</p>")),
    );
    let sandbox = Sandbox::empty();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    for (path, name, full) in [
        ("/pages.xml", "Pages", true),
        ("/items.xml", "Items", false),
        ("/good.xml", "Good", false),
    ] {
        let url = server.url(path);
        let mut args = vec!["feed", "add", &url, "--name", name, "--no-fetch"];
        if full {
            args.push("--full-text");
        }
        sandbox.cli(&args);
    }
    let output = sandbox.run(&["fetch"]);
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
    for line in ["Pages: 2 new", "Items: 1 new", "Good: 1 new"] {
        assert!(out.contains(line), "{line}: {out}");
    }
    let texts = texts(&sandbox.articles());
    assert_eq!(texts.len(), 4, "{texts:?}");
    let has = |title: &str, words: &str| {
        texts
            .iter()
            .any(|(_, text)| text.contains(title) && text.contains(words))
    };
    assert!(has("Spans", "neighbours carried sandbags"), "{texts:?}");
    assert!(has("Divs", "neighbours carried sandbags"), "{texts:?}");
    assert!(has("Items item", "the deep item text"), "{texts:?}");
}

#[test]
fn the_readers_full_text_of_a_page_nested_too_deep_is_kept_and_the_reader_goes_on() {
    let server = TestServer::start();
    let spans = nested("<span>", "</span>", 40_000, "deep words");
    server.route("/spans", Reply::ok(page(&spans)).content_type("text/html"));
    let sandbox = Sandbox::empty();
    fs::write(
        sandbox.articles().join("deep.md"),
        format!(
            "+++\ntitle = \"A deep page\"\nurl = \"{}\"\n+++\n\nA summary.\n",
            server.url("/spans")
        ),
    )
    .expect("an article");
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["A deep page"]);
    session.press(b"T");
    session.wait_for_text(&["full text kept"]);
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
    let text = fs::read_to_string(sandbox.articles().join("deep.md")).expect("the article");
    assert!(text.contains("neighbours carried sandbags"), "{text}");
}

/// The fixture's item, parsed.
fn bench_item() -> broadsheet::feeds::item::Item {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feed_html/pre-table-img.xml");
    let bytes = fs::read(&path).expect("the fixture");
    let parsed = broadsheet::feeds::parse::parse(&bytes).unwrap_or_else(|err| panic!("{err}"));
    parsed.items.into_iter().next().expect("an item")
}

#[test]
fn pre_keeps_its_lines_tables_their_columns_and_images_become_links() {
    let body = bench_item().body;
    assert!(
        body.contains("```\ncores: 12\nthreads: 16\n  cache:   32 MB\n```"),
        "{body}"
    );
    assert!(
        body.contains("````\necho ```not a fence```\n````"),
        "a longer fence: {body}"
    );
    // Columns padded by display width: 東京 takes four columns.
    assert!(
        body.contains("```\nMachine Größe Build\n東京    12    41 s\nold box 4     3 min 5 s\n```"),
        "{body}"
    );
    assert!(body.contains("> ```\n> quoted\n>   lines\n> ```"), "{body}");
    assert!(
        body.contains("[image: A grey case][2]") && body.contains("[image][3]"),
        "{body}"
    );
    assert!(body.contains("[3]: https://cdn.example/fan.png"), "{body}");
}

#[test]
fn with_a_base_links_and_images_resolve_against_it() {
    let base = url::Url::parse("https://bench.example/posts/build-machine").expect("a url");
    let text = broadsheet::feeds::html::text_of_html_at(
        "<p><a href=\"/about\">we</a> <img src=\"img/case.jpg\" alt=case> \
         <a href=\"https://other.example/x\">there</a></p>",
        Some(&base),
    );
    assert!(text.contains("[1]: https://bench.example/about"), "{text}");
    assert!(
        text.contains("[2]: https://bench.example/posts/img/case.jpg"),
        "{text}"
    );
    assert!(text.contains("[3]: https://other.example/x"), "{text}");
}

#[test]
fn the_reader_gets_pre_and_tables_as_code_blocks_and_images_as_links() {
    use broadsheet::article::{Article, BlockKind, Format};
    use broadsheet::store::feeds::Feed;
    let item = bench_item();
    let feed = Feed::new("https://bench.example/rss");
    let text = broadsheet::feeds::item::render(&item, &feed, "Bench Notes");
    let article = Article::from_bytes(
        "a.md".into(),
        PathBuf::from("a.md"),
        text.as_bytes(),
        Format::Markdown,
    )
    .unwrap_or_else(|rejected| panic!("{rejected}"));
    let code: Vec<&str> = article
        .blocks
        .iter()
        .filter(|block| block.kind == BlockKind::Code)
        .map(|block| block.text.as_str())
        .collect();
    assert_eq!(
        code,
        [
            "cores: 12\nthreads: 16\n  cache:   32 MB",
            "echo ```not a fence```",
            "Machine Größe Build\n東京    12    41 s\nold box 4     3 min 5 s",
            "quoted\n  lines",
        ],
        "{text}"
    );
    assert!(
        article
            .links
            .iter()
            .any(|link| link == "https://cdn.example/fan.png"),
        "{:?}",
        article.links
    );
}
