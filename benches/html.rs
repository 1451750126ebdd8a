//! HTML pathologies, each bounded: every case of `html_cases` as an
//! item's HTML made text (`html/item/CASE`) and as a full-text page
//! (`html/page/CASE`). BENCHMARKS.md has the figures, with peak memory
//! from the `html_pathology` example.
//!
//! ```text
//! cargo bench --bench html               # everything here
//! cargo bench --bench html -- item/spans # one case (a filter)
//! cargo bench --bench html -- bench-item  # one item of bench/feeds.py
//! ```

use std::hint::black_box;
use std::time::Duration;

use broadsheet::feeds::fulltext::extract;
use broadsheet::feeds::html::{text_of_html, text_of_html_at};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

#[path = "common/html_cases.rs"]
mod html_cases;

fn pathologies(c: &mut Criterion) {
    let mut group = c.benchmark_group("html");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for &name in html_cases::NAMES {
        let Some(html) = html_cases::case(name) else {
            continue;
        };
        let page = html_cases::page(&html);
        group.bench_function(format!("item/{name}"), |b| {
            b.iter(|| black_box(text_of_html(black_box(&html))))
        });
        group.bench_function(format!("page/{name}"), |b| {
            b.iter(|| black_box(extract(black_box(&page), "http://127.0.0.1/a")))
        });
    }
    group.finish();
}

/// The HTML of one item of `bench/feeds.py` (five paragraphs, a link in
/// each), as the fetch converts it 5,000 times in its first fetch: what
/// that conversion costs an item, beside the fetch's time per item.
fn bench_item(c: &mut Criterion) {
    let paragraph = "<p>The council met on Tuesday to talk about the river, the bridge and \
                     the new school; <a href=\"https://news.example/more\">more here</a>. \
                     Neighbours spoke for an hour about the traffic and the trees.</p>";
    let html = paragraph.repeat(5);
    let base = url::Url::parse("https://news.example/1/2").ok();
    c.bench_function("html/bench-item", |b| {
        b.iter(|| black_box(text_of_html_at(black_box(&html), base.as_ref())))
    });
}

criterion_group!(benches, pathologies, bench_item);
criterion_main!(benches);
