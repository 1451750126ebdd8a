//! One HTML pathology through one path, once, for `/usr/bin/time -v`:
//! the numbers of BENCHMARKS.md's "HTML pathologies, each bounded".
//!
//! ```text
//! cargo build --release --example html_pathology
//! /usr/bin/time -v target/release/examples/html_pathology spans item
//! ```
//!
//! The case is one of `spans` (40,000 nested `<span>`s), `divs`
//! (30,000 nested `<div>`s), `divs_180k` (180,000 nested `<div>`s, 2 MB),
//! `b_300k` (300,000 nested `<b>`s), `b_flat` (60,000 unclosed `<b>`s each
//! in its own paragraph), `attributes` (one tag of 150,000 attributes),
//! `elements` (200,000 small elements, 2.4 MB, of which an item keeps 2 MB),
//! `end_tags` (250 nested `<span>`s, then 450,000 end tags that close nothing). The path is `item` (an
//! item's HTML made text), `page` (full-text extraction, the case inside a
//! real article) or `discover` (a page searched for feed links), or
//! `item_unbounded`, `page_unbounded` for the parsers without the bounding
//! pass, as before it.
//!
//! `html_pathology fixtures` instead times the converter against a
//! converter over dom_query's tree on the HTML of every item and page in
//! `tests/fixtures/` (the tree's parse and one walk of it: the least such a
//! converter would cost).

use std::time::Instant;

#[path = "../benches/common/html_cases.rs"]
mod html_cases;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("fixtures") {
        fixtures();
        return;
    }
    let (Some(case), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: html_pathology CASE item|page|discover|item_unbounded|page_unbounded");
        std::process::exit(2);
    };
    let Some(html) = html_cases::case(case) else {
        eprintln!(
            "html_pathology: no case {case:?}; the cases: {:?}",
            html_cases::NAMES
        );
        std::process::exit(2);
    };
    let page = html_cases::page(&html);
    let start = Instant::now();
    let out = match path.as_str() {
        "item" => broadsheet::feeds::html::text_of_html(&html).len(),
        "page" => broadsheet::feeds::fulltext::extract(&page, "http://127.0.0.1/a")
            .map_or(0, |text| text.len()),
        "discover" => broadsheet::feeds::discover::feed_links(&page, "http://127.0.0.1/a").len(),
        "item_unbounded" => {
            html2text::from_read(html.as_bytes(), 100_000).map_or(0, |text| text.len())
        }
        "page_unbounded" => {
            let document = dom_query::Document::from(page.as_str());
            document.select("p").length()
        }
        _ => {
            eprintln!("html_pathology: no path {path:?}");
            std::process::exit(2);
        }
    };
    println!(
        "{case} {path}: {} bytes in, {out} out, {:.3} s",
        html.len(),
        start.elapsed().as_secs_f64()
    );
}

/// The HTML of every item of the feed fixtures and every page fixture.
fn fixture_html() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut html = Vec::new();
    for folder in ["feeds", "pages"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            if folder == "pages" {
                html.push(String::from_utf8_lossy(&bytes).into_owned());
                continue;
            }
            let Ok(feed) = feed_rs::parser::parse(bytes.as_slice()) else {
                continue;
            };
            for entry in feed.entries {
                if let Some(body) = entry.content.and_then(|content| content.body) {
                    html.push(body);
                }
                if let Some(summary) = entry.summary {
                    html.push(summary.content);
                }
            }
        }
    }
    html
}

/// The median of `runs` timings of `work` over every fixture, in µs.
fn median_micros(html: &[String], runs: usize, work: impl Fn(&str) -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut out = 0;
    for _ in 0..runs {
        let start = Instant::now();
        out = html.iter().map(|one| work(one)).sum();
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    (times[runs / 2], out)
}

fn fixtures() {
    let html = fixture_html();
    let bytes: usize = html.iter().map(String::len).sum();
    println!("{} fixtures, {bytes} bytes of HTML", html.len());
    let runs = 51;
    let (bounded, out) = median_micros(&html, runs, |one| {
        broadsheet::feeds::html::bound::bound(one, usize::MAX)
            .html
            .len()
    });
    println!("bounding pass alone:            {bounded:8.0} µs  ({out} bytes out)");
    let (html2text, out) = median_micros(&html, runs, |one| {
        broadsheet::feeds::html::text_of_html(one).len()
    });
    println!("text_of_html (bound + html2text): {html2text:6.0} µs  ({out} bytes out)");
    let (tree, out) = median_micros(&html, runs, |one| {
        let document = dom_query::Document::from(one);
        document.select("body").text().len()
    });
    println!("dom_query parse + one walk:     {tree:8.0} µs  ({out} bytes out)");
}
