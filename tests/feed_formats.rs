//! Feeds as they are out there: every encoding XML and HTTP can declare (or
//! leave undeclared), the old formats long-lived blogs still serve (Atom
//! 0.3, RSS 0.90), RSS 1.0 with Dublin Core and `content:encoded`, Atom 1.0
//! with XHTML and base64 content, JSON Feed items of the wrong shape, and
//! OPML files in Latin-1 or with references before multi-byte text. The
//! encoded feeds are made here with encoding_rs; the formats are fixtures
//! in `tests/fixtures/feed_formats/`. The last tests run `fetch` through
//! the binary against the test server on 127.0.0.1.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use broadsheet::feeds::opml::import;
use broadsheet::feeds::parse::{Parsed, parse, parse_served};
use common::{Reply, Sandbox, TestServer};
use encoding_rs::Encoding;

/// The bytes of `tests/fixtures/feed_formats/<name>`.
fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feed_formats")
        .join(name);
    fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `bytes` parsed, or the test fails with the error.
fn parsed(bytes: &[u8], what: &str) -> Parsed {
    parse(bytes).unwrap_or_else(|err| panic!("{what}: {err}"))
}

/// An RSS 2.0 feed titled `title` with one item titled `item`, whose XML
/// declaration says `encoding` (none when empty).
fn rss(encoding: &str, title: &str, item: &str) -> String {
    let declaration = if encoding.is_empty() {
        "<?xml version=\"1.0\"?>".to_string()
    } else {
        format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>")
    };
    format!(
        "{declaration}\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://enc.example/</link><description>d</description>\
         <item><guid>urn:enc:1</guid><title>{item}</title><link>https://enc.example/1</link>\
         <pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
         <description>{item}: the text.</description></item></channel></rss>\n"
    )
}

/// `text` as UTF-16, big-endian or not, with a byte-order mark or not.
fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for unit in units {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// `text` as UCS-4 (UTF-32), with a byte-order mark.
fn ucs4(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for c in std::iter::once('\u{FEFF}').chain(text.chars()) {
        let code = c as u32;
        out.extend_from_slice(&if big_endian {
            code.to_be_bytes()
        } else {
            code.to_le_bytes()
        });
    }
    out
}

/// `text` in a legacy encoding.
fn encoded(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot write {text}", encoding.name());
    bytes.into_owned()
}

/// Asserts the feed's title and its one item's title and text.
fn assert_reads(parsed: &Parsed, title: &str, item: &str, what: &str) {
    assert_eq!(parsed.title, title, "{what}");
    assert_eq!(parsed.items.len(), 1, "{what}: {parsed:?}");
    assert_eq!(parsed.items[0].title, item, "{what}");
    assert!(
        parsed.items[0].body.contains(&format!("{item}: the text.")),
        "{what}: {}",
        parsed.items[0].body
    );
}

#[test]
fn utf16_and_ucs4_feeds_are_read_however_they_say_so() {
    let (title, item) = ("Grüße aus Köln", "Ein Brief – 世界");
    for big_endian in [true, false] {
        let order = if big_endian { "BE" } else { "LE" };
        let with_bom = utf16(&rss("utf-16", title, item), big_endian, true);
        assert_reads(
            &parsed(&with_bom, "mark"),
            title,
            item,
            &format!("UTF-16 {order}, a mark"),
        );
        let from_first_bytes = utf16(&rss("", title, item), big_endian, false);
        let what = format!("UTF-16 {order}, no mark, no declaration");
        assert_reads(&parsed(&from_first_bytes, &what), title, item, &what);
        for alias in ["ucs-2", "csunicode", "iso-10646-ucs-2", "UTF-16"] {
            let declared = utf16(&rss(alias, title, item), big_endian, false);
            let what = format!("UTF-16 {order} declared {alias}");
            assert_reads(&parsed(&declared, &what), title, item, &what);
        }
        let four = ucs4(&rss("ucs-4", title, item), big_endian);
        let what = format!("UCS-4 {order}");
        assert_reads(&parsed(&four, &what), title, item, &what);
    }
    // Little-endian UTF-16 with a comment before the root.
    let commented = rss("", title, item).replace("<rss", "<!-- written by hand -->\n<rss");
    let bytes = utf16(&commented, false, true);
    assert_reads(
        &parsed(&bytes, "a comment first"),
        title,
        item,
        "a comment first",
    );
}

#[test]
fn undeclared_legacy_bytes_are_detected() {
    let cases: [(&str, &str, &'static Encoding); 5] = [
        (
            "東京のニュース",
            "今日は一日中晴れでした。明日も晴れるでしょう。",
            encoding_rs::SHIFT_JIS,
        ),
        (
            "大阪のニュース",
            "今日は一日中雨でした。明日は曇りになるでしょう。",
            encoding_rs::EUC_JP,
        ),
        (
            "서울 뉴스",
            "오늘은 하루 종일 맑았습니다. 내일도 맑을 것입니다.",
            encoding_rs::EUC_KR,
        ),
        (
            "北京新闻",
            "今天天气晴朗，明天也会是晴天。",
            encoding_rs::GBK,
        ),
        (
            "Новости Москвы",
            "Сегодня весь день было солнечно, завтра тоже.",
            encoding_rs::KOI8_R,
        ),
    ];
    for (title, item, encoding) in cases {
        let bytes = encoded(&rss("", title, item), encoding);
        let what = format!("undeclared {}", encoding.name());
        assert_reads(&parsed(&bytes, &what), title, item, &what);
        // Declared, it reads too (the declaration is the feed's own).
        let bytes = encoded(&rss(encoding.name(), title, item), encoding);
        let what = format!("declared {}", encoding.name());
        assert_reads(&parsed(&bytes, &what), title, item, &what);
    }
}

#[test]
fn the_servers_charset_counts_before_the_declaration() {
    let (title, item) = ("Café de Paris", "Crème brûlée");
    // Latin-1 bytes under a declaration that lies, as a server may fix.
    let bytes = encoded(&rss("utf-8", title, item), encoding_rs::WINDOWS_1252);
    let served = parse_served(
        &bytes,
        None,
        Some("application/rss+xml; charset=ISO-8859-1"),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert_reads(&served, title, item, "charset=ISO-8859-1");
    // A charset that the bytes contradict (UTF-16 for ASCII bytes) is passed
    // over rather than read into nonsense.
    let bytes = rss("utf-8", title, item);
    let served = parse_served(bytes.as_bytes(), None, Some("text/xml; charset=utf-16"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_reads(&served, title, item, "a contradicted charset");
}

#[test]
fn atom_0_3_gives_its_entries_with_dates_links_and_text() {
    let feed = parsed(&fixture("atom-0.3.xml"), "Atom 0.3");
    assert_eq!(feed.title, "Quill and Ink");
    let found: Vec<(&str, Option<&str>, Option<String>)> = feed
        .items
        .iter()
        .map(|item| {
            (
                item.title.as_str(),
                item.link.as_deref(),
                item.date.map(|date| date.to_string()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "Escaped, as Atom 0.3 wrote HTML",
                Some("http://quill.example/2004/05/escaped"),
                Some("2004-05-01 08:00:00 -04:00".to_string())
            ),
            (
                "Base64, as some tools wrote it",
                Some("http://quill.example/2004/04/base64"),
                Some("2004-04-20 10:00:00 +00:00".to_string())
            ),
            (
                "Only modified, with a summary",
                Some("http://quill.example/2004/03/summary"),
                Some("2004-03-10 09:30:00 +00:00".to_string())
            ),
        ]
    );
    let bodies: Vec<&str> = feed.items.iter().map(|item| item.body.as_str()).collect();
    assert_eq!(
        bodies,
        [
            "An **escaped** paragraph about fountain pens.",
            "A **base64** body from 2004.",
            "Ink blots, and how to love them.",
        ]
    );
    assert_eq!(feed.items[0].key, "tag:quill.example,2004:1");
}

#[test]
fn rss_0_90_gives_its_items() {
    let feed = parsed(&fixture("rss-0.90.rdf"), "RSS 0.90");
    assert_eq!(feed.title, "Lantern Works");
    let found: Vec<(&str, Option<&str>, &str)> = feed
        .items
        .iter()
        .map(|item| {
            (
                item.title.as_str(),
                item.link.as_deref(),
                item.body.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "The new brass lantern",
                Some("http://lantern.example/news/brass"),
                "Twelve hours on one wick."
            ),
            (
                "Workshop open on Saturdays",
                Some("http://lantern.example/news/saturdays"),
                ""
            ),
        ]
    );
}

#[test]
fn rss_1_0_with_dublin_core_and_content_encoded_keeps_everything() {
    let feed = parsed(&fixture("rss-1.0-dc-content.rdf"), "RSS 1.0");
    assert_eq!(feed.title, "Tide Pool Notes");
    let item = &feed.items[0];
    assert_eq!(item.title, "Anemones at dawn");
    assert_eq!(
        item.link.as_deref(),
        Some("http://tidepool.example/anemones")
    );
    assert_eq!(
        item.date.map(|d| d.to_string()).as_deref(),
        Some("2005-06-21 05:12:00 +01:00")
    );
    assert_eq!(item.author.as_deref(), Some("Ines Tidewell"));
    assert_eq!(
        item.body, "The *whole* story of the green anemones.\n\nSecond paragraph.",
        "content:encoded wins over the description"
    );
}

#[test]
fn atom_1_0_xhtml_and_base64_content_keep_their_text() {
    let feed = parsed(&fixture("atom-1.0-xhtml-base64.xml"), "Atom 1.0");
    assert_eq!(feed.title, "Field Notes");
    let lichen = &feed.items[0];
    assert_eq!(lichen.title, "Lichen everywhere");
    assert_eq!(lichen.link.as_deref(), Some("http://field.example/lichen"));
    assert_eq!(
        lichen.date.map(|d| d.to_string()).as_deref(),
        Some("2006-01-01 09:00:00 +00:00")
    );
    assert_eq!(
        lichen.body,
        "Grey-green **lichen** on every stone.\n\nPhotographs follow."
    );
    let moss = &feed.items[1];
    assert_eq!(moss.title, "Moss, encoded");
    assert_eq!(
        moss.date.map(|d| d.to_string()).as_deref(),
        Some("2006-01-03 09:00:00 +00:00")
    );
    assert_eq!(
        moss.body, "Moss grows on the north side.",
        "decoded, not base64"
    );
}

#[test]
fn a_json_feed_item_of_the_wrong_shape_is_named_not_the_feed() {
    let feed = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "Numbers",
        "items": [
          {"id": 101, "url": "https://json.example/101", "title": "A numeric id", "content_text": "One."},
          {"id": "b", "url": "https://json.example/b", "title": "Tags as a string", "tags": "oops", "content_text": "Two."},
          {"id": "c", "url": "https://json.example/c", "title": "Fine", "content_text": "Three."}
        ]}"#;
    let parsed = parsed(feed, "JSON Feed");
    let keys: Vec<&str> = parsed.items.iter().map(|item| item.key.as_str()).collect();
    assert_eq!(
        keys,
        ["101", "c"],
        "a numeric id is its text, as JSON Feed 1.1 says"
    );
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert!(
        parsed.warnings[0].contains("item 2") && parsed.warnings[0].contains("Tags as a string"),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn opml_in_latin1_keeps_its_accents_and_references_before_multibyte_text_resolve() {
    let opml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<opml version=\"1.0\"><body>\
        <outline text=\"Actualités\"><outline text=\"Le Café\" xmlUrl=\"https://cafe.example/feed\"/></outline>\
        </body></opml>";
    for (what, bytes) in [
        ("declared", encoded(opml, encoding_rs::WINDOWS_1252)),
        (
            "undeclared",
            encoded(
                &opml.replace(" encoding=\"ISO-8859-1\"", ""),
                encoding_rs::WINDOWS_1252,
            ),
        ),
    ] {
        let imported = import(&bytes).unwrap_or_else(|err| panic!("{what}: {err}"));
        let subscription = &imported.subscriptions[0];
        assert_eq!(subscription.name.as_deref(), Some("Le Café"), "{what}");
        assert_eq!(subscription.tags, ["Actualités"], "{what}");
    }
    let opml = "<opml><body><outline text=\"ニュース\" \
        xmlUrl=\"https://news.example/search?a=1&amp;日本語のニュースですよ=2\"/></body></opml>";
    let imported = import(opml.as_bytes()).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        imported.subscriptions[0].url,
        "https://news.example/search?a=1&%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9%E3%81%A7%E3%81%99%E3%82%88=2"
    );
    // UTF-16 OPML, as some Windows readers export it.
    let utf16_opml = utf16(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><opml><body><outline text=\"Zürich\" xmlUrl=\"https://z.example/\"/></body></opml>",
        false,
        true,
    );
    let imported = import(&utf16_opml).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(imported.subscriptions[0].name.as_deref(), Some("Zürich"));
}

/// The text of every article file under `folder`.
fn texts(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(folder) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(texts(&path));
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    found
}

#[test]
fn big_endian_utf16_feeds_are_fetched_beside_the_others() {
    let server = TestServer::start();
    let (title, item) = ("Grüße", "Ein Brief – 世界");
    server.route("/good.xml", Reply::ok(rss("", "Good", "Fine news")));
    server.route(
        "/bom.xml",
        Reply::ok(utf16(&rss("utf-16", title, item), true, true)),
    );
    server.route(
        "/bare.xml",
        Reply::ok(utf16(&rss("", title, item), true, false)),
    );
    server.route(
        "/ucs2.xml",
        Reply::ok(utf16(&rss("ucs-2", title, item), true, false)),
    );
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Json",
        "items": [{"id": 7, "title": "Seven", "content_text": "Kept."},
                  {"id": "x", "title": "Broken", "tags": 3, "content_text": "Left out."}]}"#;
    server.route(
        "/feed.json",
        Reply::ok(json).content_type("application/feed+json"),
    );
    let sandbox = Sandbox::with_feeds();
    for (path, name) in [
        ("/good.xml", "Good"),
        ("/bom.xml", "Mark"),
        ("/bare.xml", "Bare"),
        ("/ucs2.xml", "Ucs2"),
        ("/feed.json", "Json"),
    ] {
        sandbox.cli(&[
            "feed",
            "add",
            &server.url(path),
            "--name",
            name,
            "--no-fetch",
        ]);
    }
    let output = sandbox.run(&["fetch"]);
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
    for name in ["Good", "Mark", "Bare", "Ucs2", "Json"] {
        assert!(
            out.contains(&format!("{name}: 1 new")),
            "{name}: {out}\n{err}"
        );
    }
    assert!(
        err.contains("warning:") && err.contains("item 2") && err.contains("Broken"),
        "the bad JSON Feed item is named: {err}"
    );
    let written = texts(&sandbox.articles());
    assert_eq!(written.len(), 5, "{written:?}");
    let utf16_items = written
        .iter()
        .filter(|text| {
            text.contains(&format!("title = \"{item}\"")) && text.contains("source = \"Grüße\"")
        })
        .count();
    assert_eq!(utf16_items, 3, "{written:?}");
}

#[test]
fn a_full_text_page_in_shift_jis_keeps_its_text() {
    let server = TestServer::start();
    // Paragraphs long enough for Readability (it counts characters), in
    // sentences without spaces, as Japanese is written.
    let paragraph = |first: &str| {
        format!(
            "<p>{first}近所の人たちは夜通し土のうを運び、パン屋は寒い中やって来た人のためにオーブンをつけたままにしました。\
             水が引いていく中、町は失ったものと残ったものを数えています。学校は月曜日から再開し、図書館は濡れた本を乾かす場所を探しています。\
             市長は、来年までに新しい堤防を築くと約束しました。住民の多くはその言葉を信じています。</p>"
        )
    };
    let page = format!(
        "<!doctype html><html><head>\
         <meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\
         <title>記事</title></head><body><nav>ホーム | 世界 | スポーツ</nav><article><h1>川の話</h1>\
         {}{}{}</article></body></html>",
        paragraph("日曜日、町の川が何年ぶりかで岸を越えました。"),
        paragraph("月曜日、水は少しずつ引き始めました。"),
        paragraph("火曜日、町の人たちは片付けを始めました。")
    );
    // Served as bare text/html: only the page says how it is written.
    server.route(
        "/story",
        Reply::ok(encoded(&page, encoding_rs::SHIFT_JIS)).content_type("text/html"),
    );
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town</title>\
         <item><guid>s1</guid><title>Flood</title><link>{}</link><description>A summary.</description></item>\
         </channel></rss>",
        server.url("/story")
    );
    server.route("/town.xml", Reply::ok(feed));
    let sandbox = Sandbox::with_feeds();
    sandbox.subscribe(&server.url("/town.xml"), &["--full-text"]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("1 new"), "{out}");
    let written = texts(&sandbox.articles());
    assert!(
        written
            .iter()
            .any(|text| text.contains("近所の人たちは夜通し土のうを運び")),
        "{written:?}"
    );
}

/// The seeds the property below edits: each format and encoding above.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "atom-0.3.xml",
        "rss-0.90.rdf",
        "rss-1.0-dc-content.rdf",
        "atom-1.0-xhtml-base64.xml",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect();
    let feed = rss("ucs-2", "Grüße", "世界");
    seeds.push(utf16(&feed, true, false));
    seeds.push(ucs4(&feed, false));
    seeds.push(encoded(
        &rss("", "東京", "今日は晴れでした。"),
        encoding_rs::SHIFT_JIS,
    ));
    seeds.push(
        br#"{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": 1, "title": "a"}, {"id": "b", "tags": 2}]}"#
            .to_vec(),
    );
    seeds.push(
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline text=\"Caf\xe9\" xmlUrl=\"https://a.example/?a=1&amp;b\"/></body></opml>"
            .to_vec(),
    );
    seeds
}

/// The server's `Content-Type`, picked by the property.
const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("text/xml; charset=utf-16"),
    Some("application/rss+xml; charset=ISO-8859-1"),
    Some("text/html; charset=shift_jis"),
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Feeds of every format and encoding, cut short and with bytes
    /// changed, never panic the parse, the page decoding or the OPML
    /// import, and an error stays one line.
    #[test]
    fn edited_feeds_never_panic(
        seed in 0usize..9,
        edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 0..8),
        cut in 0usize..4096,
        served in 0usize..4,
    ) {
        let mut bytes = seeds().swap_remove(seed);
        for (at, byte) in edits {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
        }
        if cut < bytes.len() && cut % 3 == 0 {
            bytes.truncate(cut);
        }
        let content_type = CONTENT_TYPES[served];
        if let Err(err) = parse_served(&bytes, None, content_type) {
            proptest::prop_assert!(!err.contains('\n'), "{}", err);
        }
        let _ = broadsheet::feeds::encoding::html_text(&bytes, content_type);
        if let Err(err) = import(&bytes) {
            proptest::prop_assert!(!err.contains('\n'), "{}", err);
        }
    }
}
