//! Query evaluation: `Query::matches` over every article of a loaded
//! corpus of 100,000 articles (or `$BENCH_ARTICLES`), one benchmark per kind
//! of term (`query/100000/tag`, ...).
//!
//! ```text
//! cargo bench --bench query                # everything here
//! cargo bench --bench query -- phrase      # one benchmark (a filter)
//! ```

use std::hint::black_box;
use std::time::Duration;

use broadsheet::library::query::{self, Query};
use broadsheet::library::{self, Library, LoadOptions, Marks};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

/// The queries, named as in the report. Words come from the sample
/// articles (which the corpus draws most of its words from), so they match
/// a realistic share of articles; the absent word makes every body be read
/// to the end, the worst case of a text search.
const QUERIES: &[(&str, &str)] = &[
    ("tag", "tag:netflix"),
    ("one_word", "heartstopper"),
    ("three_words", "netflix season trailer"),
    ("phrase", "\"kit connor\""),
    ("date_range", "date:2019-03..2021-06"),
    ("negation", "-tag:netflix -heartstopper"),
    ("absent_word", "qqxzj"),
];

fn parsed(text: &str) -> Query {
    match query::parse(text) {
        Ok(query) => query,
        Err(error) => panic!("bench query {text:?} does not parse: {error}"),
    }
}

/// The corpus, loaded the first time a selected benchmark needs it.
fn corpus(slot: &mut Option<Library>, n: u64) -> &Library {
    slot.get_or_insert_with(|| {
        let dir = match gen_corpus::ensure_corpus(n) {
            Ok(dir) => dir,
            Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
        };
        match library::load(&dir, &LoadOptions::default()) {
            Ok(library) => library,
            Err(error) => panic!("cannot load {}: {error}", dir.display()),
        }
    })
}

/// How many articles match: the whole of what a query benchmark measures.
fn count(library: &Library, query: &Query, marks: &Marks) -> usize {
    let all: Vec<usize> = (0..library.len()).collect();
    library.matching(black_box(query), marks, &all).len()
}

fn evaluation(c: &mut Criterion) {
    let mut slot = None;
    let n = gen_corpus::bench_articles();
    let marks = Marks::default();
    let mut group = c.benchmark_group(format!("query/{n}"));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for &(name, text) in QUERIES {
        let query = parsed(text);
        let mut reported = false;
        group.bench_function(name, |b| {
            let library = corpus(&mut slot, n);
            if !reported {
                let matching = count(library, &query, &marks);
                eprintln!("query {name:<12} {text:<28} matches {matching} of {n}");
                reported = true;
            }
            b.iter(|| count(library, &query, &marks))
        });
    }
    group.finish();
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
