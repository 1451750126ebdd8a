//! The rest of issue 18: undated feed items keep the order they arrived in
//! (across fetches, updates and restarts, in both date orders), and a
//! page's full text is chosen as fuller by its words in any script (a
//! Japanese page fuller than its feed's summary is kept).

mod common;

use std::fs;

use common::{Reply, Sandbox, TestServer};

/// An RSS feed whose items are `(guid, title, body)`, none with a date.
fn undated_rss(items: &[(&str, &str, &str)]) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Undated</title>\
         <link>https://undated.example/</link><description>d</description>\n",
    );
    for (guid, title, body) in items {
        text.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <description>{body}</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// The `title` of every row of `list ARGS --json`, in order.
fn titles(sandbox: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut full = args.to_vec();
    full.push("--json");
    let json: serde_json::Value = serde_json::from_str(&sandbox.cli(&full)).expect("JSON");
    json.as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| row["title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `list` newest first, then oldest first, each twice: the first run of a
/// pair may scan, the second reads the cache the first wrote.
fn both_orders(sandbox: &Sandbox) -> (Vec<String>, Vec<String>) {
    let newest = titles(sandbox, &["list"]);
    assert_eq!(
        titles(sandbox, &["list"]),
        newest,
        "the same from the cache"
    );
    let oldest = titles(sandbox, &["list", "--sort", "oldest"]);
    assert_eq!(
        titles(sandbox, &["list", "--sort", "oldest"]),
        oldest,
        "the same from the cache"
    );
    (newest, oldest)
}

fn reversed(titles: &[&str]) -> Vec<String> {
    titles.iter().rev().map(|title| title.to_string()).collect()
}

// ----- 18.10: undated items stable by arrival --------------------------------

#[test]
fn undated_items_keep_the_order_they_arrived_in_across_fetches_and_updates() {
    let server = TestServer::start();
    // The feed's own order is not the order of the titles, nor of the
    // files' names (slugs of the titles).
    let first = [
        ("u1", "Zulu", "The first item."),
        ("u2", "Mike", "The second item."),
        ("u3", "Alpha", "The third item."),
    ];
    server.route("/feed.xml", Reply::ok(undated_rss(&first)));
    let sandbox = Sandbox::with_feeds();
    // An undated article of the person's own, which no feed wrote.
    fs::write(
        sandbox.articles().join("aaa-note.md"),
        "# A note of my own\n\nNo date here.\n",
    )
    .expect("write the note");
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("3 new"), "{out}");

    // Oldest first: the feed's order; newest first: the reverse. The
    // person's own undated note stays after the feed's in both.
    let (newest, oldest) = both_orders(&sandbox);
    assert_eq!(oldest, ["Zulu", "Mike", "Alpha", "A note of my own"]);
    assert_eq!(newest, ["Alpha", "Mike", "Zulu", "A note of my own"]);

    // A second fetch: two new items at the top of the feed, as feeds put
    // them, and one old item changed. The new ones come after those
    // already there; the changed one keeps its place.
    let second = [
        ("u5", "Yankee", "A new item."),
        ("u4", "Bravo", "Another new item."),
        ("u1", "Zulu", "The first item."),
        ("u2", "Mike", "The second item, corrected."),
        ("u3", "Alpha", "The third item."),
    ];
    server.route("/feed.xml", Reply::ok(undated_rss(&second)));
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("2 new"), "{out}");
    assert!(out.contains("1 updated"), "{out}");
    let arrival = ["Zulu", "Mike", "Alpha", "Yankee", "Bravo"];
    let (newest, oldest) = both_orders(&sandbox);
    assert_eq!(oldest[..5], arrival);
    assert_eq!(newest[..5], reversed(&arrival));
    assert_eq!(oldest[5], "A note of my own");
    assert_eq!(newest[5], "A note of my own");

    // The arrival is in each file, written once: the update kept it.
    let files: Vec<String> = fs::read_dir(sandbox.articles().join("undated"))
        .expect("the feed's folder")
        .flatten()
        .filter_map(|entry| fs::read_to_string(entry.path()).ok())
        .collect();
    assert_eq!(files.len(), 5);
    for text in &files {
        let arrived = text.lines().filter(|line| line.starts_with("arrived = "));
        assert_eq!(arrived.count(), 1, "{text}");
    }

    // A fresh start with no cache reads the same order from the files.
    let cache = sandbox.path().join("xdg-cache");
    if cache.exists() {
        fs::remove_dir_all(&cache).expect("remove the cache");
    }
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "oldest"])[..5],
        arrival
    );
}

#[test]
fn dated_items_come_before_undated_ones_and_carry_no_arrival() {
    let server = TestServer::start();
    let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Mixed</title>\
                <link>https://mixed.example/</link><description>d</description>\n\
                <item><guid>m1</guid><title>Undated one</title><description>a</description></item>\n\
                <item><guid>m2</guid><title>Dated</title>\
                <pubDate>Mon, 07 Dec 2026 14:00:00 Z</pubDate><description>b</description></item>\n\
                <item><guid>m3</guid><title>Undated two</title><description>c</description></item>\n\
                </channel></rss>\n";
    server.route("/feed.xml", Reply::ok(feed));
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    sandbox.cli(&["fetch"]);
    let (newest, oldest) = both_orders(&sandbox);
    assert_eq!(oldest, ["Dated", "Undated one", "Undated two"]);
    assert_eq!(newest, ["Dated", "Undated two", "Undated one"]);
    let folder = sandbox.articles().join("mixed");
    for entry in fs::read_dir(&folder).expect("the feed's folder").flatten() {
        let text = fs::read_to_string(entry.path()).expect("an article");
        let dated = text.contains("\ndate = ");
        let arrived = text.contains("\narrived = ");
        assert!(dated != arrived, "a date or an arrival, never both: {text}");
    }
}

// ----- 18: full text chosen by words in any script ---------------------------

/// Every article file's text under `folder`.
fn texts(folder: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).expect("the folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(texts(&path));
        } else if let Ok(text) = fs::read_to_string(&path) {
            found.push(text);
        }
    }
    found
}

#[test]
fn a_japanese_page_fuller_than_its_feed_summary_is_kept() {
    let server = TestServer::start();
    // Japanese sentences have no spaces: counted by spaces, each paragraph
    // of the page is one word, fewer than the headline-style summary below.
    let paragraph = |first: &str| {
        format!(
            "<p>{first}近所の人たちは夜通し土のうを運び、パン屋は寒い中やって来た人のためにオーブンをつけたままにしました。\
             水が引いていく中、町は失ったものと残ったものを数えています。学校は月曜日から再開し、図書館は濡れた本を乾かす場所を探しています。\
             市長は、来年までに新しい堤防を築くと約束しました。住民の多くはその言葉を信じています。</p>"
        )
    };
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>記事</title></head>\
         <body><nav>ホーム | 世界 | スポーツ</nav><article><h1>川の話</h1>{}{}{}</article></body></html>",
        paragraph("日曜日、町の川が何年ぶりかで岸を越えました。"),
        paragraph("月曜日、水は少しずつ引き始めました。"),
        paragraph("火曜日、町の人たちは片付けを始めました。")
    );
    server.route(
        "/story",
        Reply::ok(page).content_type("text/html; charset=utf-8"),
    );
    // A summary as Japanese headlines are written: phrases set apart by
    // spaces (eight of them), far shorter than the page.
    let summary =
        "町の川 何年ぶりか岸越える 住民ら 夜通し土のう運ぶ 学校 月曜再開 市長 新堤防を約束";
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>町</title>\
         <item><guid>j1</guid><title>洪水</title><link>{}</link>\
         <description>{summary}</description></item></channel></rss>",
        server.url("/story")
    );
    server.route("/town.xml", Reply::ok(feed));
    let sandbox = Sandbox::with_feeds();
    sandbox.subscribe(&server.url("/town.xml"), &["--full-text"]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("1 new"), "{out}");
    assert!(!out.contains("no fuller text"), "{out}");
    let written = texts(&sandbox.articles());
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(
        written[0].contains("近所の人たちは夜通し土のうを運び")
            && written[0].contains("住民の多くはその言葉を信じています"),
        "the page's text, not the summary: {written:?}"
    );
    assert!(!written[0].contains("新堤防を約束"), "{written:?}");
}

// ----- 18: a big feed's items converted on a few threads, in order ----------

#[test]
fn a_big_feeds_items_come_in_the_feeds_order_with_their_own_text() {
    // Far past the size from which items are converted on several threads.
    let count = 1_000;
    let mut feed = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Big</title>\
         <link>https://big.example/</link><description>d</description>\n",
    );
    for n in 0..count {
        feed.push_str(&format!(
            "<item><guid>b{n}</guid><title>Item {n}</title>\
             <link>https://big.example/{n}</link>\
             <description><![CDATA[<p>The text of item {n}, with <b>bold</b> and \
             <a href=\"/more/{n}\">a link</a>.</p><ul><li>one {n}</li></ul>]]></description></item>\n"
        ));
    }
    feed.push_str("</channel></rss>\n");
    let parsed =
        broadsheet::feeds::parse::parse_at(feed.as_bytes(), Some("https://big.example/feed"))
            .expect("the feed parses");
    assert_eq!(parsed.items.len(), count);
    for (n, item) in parsed.items.iter().enumerate() {
        assert_eq!(item.key, format!("b{n}"));
        assert_eq!(item.title, format!("Item {n}"));
        assert_eq!(
            item.body,
            format!(
                "The text of item {n}, with **bold** and [a link][1].\n* one {n}\n\n\
                 [1]: https://big.example/more/{n}"
            ),
            "item {n}"
        );
    }
}
