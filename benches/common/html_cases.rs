//! The HTML pathologies of issue 18, shared by the `html` bench and the
//! `html_pathology` example: markup that overflows a stack, or takes an
//! HTML parser minutes or gigabytes, unless bounded first.

/// The cases' names, in the order of BENCHMARKS.md.
pub const NAMES: &[&str] = &[
    "spans",
    "divs",
    "divs_180k",
    "b_300k",
    "b_flat",
    "attributes",
    "elements",
    "end_tags",
];

/// `count` nested `open`/`close` tags around `inside`.
pub fn nested(open: &str, close: &str, count: usize, inside: &str) -> String {
    format!("{}{inside}{}", open.repeat(count), close.repeat(count))
}

/// The case named `name` (see [`NAMES`]).
pub fn case(name: &str) -> Option<String> {
    Some(match name {
        "spans" => nested("<span>", "</span>", 40_000, "deep words"),
        "divs" => nested("<div>", "</div>", 30_000, "deep words"),
        "divs_180k" => nested("<div>", "</div>", 180_000, "deep words"),
        "b_300k" => format!("{}bold words", "<b>".repeat(300_000)),
        "b_flat" => format!("{}last", "<p><b class=x>word ".repeat(60_000)),
        "attributes" => {
            let mut tag = String::from("<p");
            for n in 0..150_000 {
                tag.push_str(&format!(" a{n}"));
            }
            tag + ">after</p>"
        }
        "elements" => "<i>word</i> ".repeat(200_000),
        "end_tags" => format!("{}text{}", "<span>".repeat(250), "</x>".repeat(450_000)),
        _ => return None,
    })
}

/// A page with a real article, then `deep`, for extraction and discovery.
pub fn page(deep: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Deep</title>\
         <link rel=alternate type=application/rss+xml href=/feed.xml></head><body>\
         <article><h1>The river story</h1>\
         <p>The first paragraph of the whole story tells what happened in the town \
         on Sunday, when the river rose over its banks for the first time in years.</p>\
         <p>The second paragraph says who helped: neighbours carried sandbags through \
         the night, and the bakery kept its ovens on for everyone who came in cold.</p>\
         <p>The third paragraph says what comes next, as the water goes down and the \
         town counts what it lost and what it kept.</p></article>{deep}</body></html>"
    )
}
