//! HTML pathologies, each bounded: every case of `html_cases` as an
//! item's HTML made text (`html/item/CASE`) and as a full-text page
//! (`html/page/CASE`). BENCHMARKS.md has the figures, with peak memory
//! from the `html_pathology` example.
//!
//! ```text
//! cargo bench --bench html               # everything here
//! cargo bench --bench html -- item/spans # one case (a filter)
//! ```

use std::hint::black_box;
use std::time::Duration;

use broadsheet::feeds::fulltext::extract;
use broadsheet::feeds::html::text_of_html;
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

criterion_group!(benches, pathologies);
criterion_main!(benches);
