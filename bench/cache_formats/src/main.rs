//! Measures candidate storage for broadsheet's on-disk cache (issue 10).
//!
//! ```text
//! cache-formats write CORPUS OUT [--runs N] [--scale K] [--fts]
//!     load CORPUS once with broadsheet's loader, then write every format into
//!     OUT, timing each write (median of N); K copies of the summaries (ids made
//!     unique) stand in for K times as many articles. Without --scale, also the
//!     texts file, the trigram filters and (with --fts) an SQLite FTS5 index.
//! cache-formats open FORMAT OUT [--runs N]
//!     open the cache of FORMAT (custom, custom-nosum, postcard, rkyv, sqlite)
//!     N times; median time to open and to open + reach every row's title,
//!     date and tags; memory figures while the last one is open.
//! cache-formats checksum OUT [--runs N]
//!     xxh3, crc32 and blake3 over the summaries and the texts file.
//! cache-formats search OUT [--runs N] [WORD...]
//!     substring search over the mapped texts: the first 40 hits and the full
//!     count, with no filter, with n-gram bitsets per block, with a word index
//!     by block, on two threads, and (when `write --fts` made one) with SQLite
//!     FTS5; every filter's count is checked against the full scan.
//! ```
//!
//! `bench/cache_formats/run.sh` runs them all, side by side.

mod custom;
mod formats;
mod model;
mod texts;

use std::collections::BTreeSet;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use model::{file_size, memory_line, ms, timed, write_atomic};

const GENERATION: u64 = 0x5eed_0000_0000_0001;
const BLOCK: usize = 256;
const FIRST: usize = 40;
/// The filters measured: articles per block, log2 of the bits per block,
/// whether 4-grams go in beside the trigrams.
const FILTERS: [(usize, u32, bool); 5] = [
    (256, 16, false),
    (256, 18, false),
    (64, 16, false),
    (256, 18, true),
    (16, 16, true),
];
/// The one whose cost with block checksums is measured too.
const CHOSEN: usize = 3;

struct Args {
    positional: Vec<String>,
    runs: usize,
    scale: usize,
    fts: bool,
}

fn args(raw: &[String]) -> Args {
    let mut a = Args {
        positional: Vec::new(),
        runs: 11,
        scale: 1,
        fts: false,
    };
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--scale" => a.scale = it.next().and_then(|v| v.parse().ok()).expect("--scale K"),
            "--fts" => a.fts = true,
            _ => a.positional.push(arg.clone()),
        }
    }
    a
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = raw.split_first() else {
        eprintln!("usage: see the doc comment of bench/cache_formats/src/main.rs");
        std::process::exit(2);
    };
    let a = args(rest);
    match command.as_str() {
        "write" => write(&a),
        "open" => open(&a),
        "checksum" => checksum(&a),
        "search" => search(&a),
        _ => {
            eprintln!("unknown command {command}");
            std::process::exit(2);
        }
    }
}

fn path(out: &str, name: &str) -> PathBuf {
    Path::new(out).join(name)
}

fn write(a: &Args) {
    let [corpus, out] = &a.positional[..] else {
        panic!("write CORPUS OUT")
    };
    fs::create_dir_all(out).expect("create OUT");
    let corpus = model::load_corpus(Path::new(corpus));
    let summaries = model::scaled(&corpus.summaries, a.scale);
    let file_bytes: u64 =
        corpus.summaries.iter().map(|s| s.stat.size).sum::<u64>() * a.scale as u64;
    println!(
        "rows {}, article file bytes {} ({:.1} MB)",
        summaries.len(),
        file_bytes,
        file_bytes as f64 / 1e6
    );
    println!("| format | encode (median) | encode + write + fsync + rename (median) | file size |");
    println!("| --- | --- | --- | --- |");
    let row = |name: &str, encode: f64, write: f64, size: u64| {
        println!(
            "| {name} | {encode:.1} ms | {write:.1} ms | {size} B ({:.2} MB) |",
            size as f64 / 1e6
        );
    };
    let runs = a.runs;

    let (enc, _) = timed(runs, || custom::encode(&summaries, GENERATION));
    let p = path(out, "summaries.bin");
    let (wr, _) = timed(runs, || {
        write_atomic(&p, &custom::encode(&summaries, GENERATION))
    });
    row("custom", ms(enc), ms(wr), file_size(&p));

    let (enc, _) = timed(runs, || formats::postcard_encode(&summaries));
    let p = path(out, "summaries.postcard");
    let (wr, _) = timed(runs, || {
        write_atomic(&p, &formats::postcard_encode(&summaries))
    });
    row("postcard", ms(enc), ms(wr), file_size(&p));

    let (enc, _) = timed(runs, || formats::rkyv_encode(&summaries));
    let p = path(out, "summaries.rkyv");
    let (wr, _) = timed(runs, || write_atomic(&p, &formats::rkyv_encode(&summaries)));
    row("rkyv", ms(enc), ms(wr), file_size(&p));

    let p = path(out, "summaries.sqlite");
    let (wr, _) = timed(runs.min(5), || formats::sqlite_write(&p, &summaries));
    row("sqlite", f64::NAN, ms(wr), file_size(&p));

    if a.scale != 1 {
        return;
    }
    let text_bytes: usize = corpus.texts.iter().map(String::len).sum();
    println!(
        "folded texts: {text_bytes} B ({:.1} MB)",
        text_bytes as f64 / 1e6
    );
    let (enc, _) = timed(3, || texts::encode(&corpus.texts, BLOCK, GENERATION));
    let p = path(out, "texts.bin");
    let (wr, _) = timed(3, || {
        write_atomic(&p, &texts::encode(&corpus.texts, BLOCK, GENERATION))
    });
    row("texts file", ms(enc), ms(wr), file_size(&p));
    if a.fts {
        let p = path(out, "texts.fts.sqlite");
        let start = Instant::now();
        formats::fts_write(&p, &corpus.texts);
        row(
            "FTS5 trigram index (contentless, built once)",
            f64::NAN,
            ms(start.elapsed()),
            file_size(&p),
        );
    }
}

fn open(a: &Args) {
    let [format, out] = &a.positional[..] else {
        panic!("open FORMAT OUT")
    };
    let runs = a.runs;
    let mut opens = Vec::new();
    let mut totals = Vec::new();
    let mut acc = 0u64;
    macro_rules! measure {
        ($open:expr, $touch:expr) => {{
            let mut kept = None;
            for _ in 0..runs {
                drop(kept.take()); // the previous one is dropped before the next opens
                let start = Instant::now();
                let opened = $open;
                let opened_at = start.elapsed();
                acc = acc.wrapping_add(black_box($touch(&opened)));
                totals.push(start.elapsed());
                opens.push(opened_at);
                kept = Some(opened);
            }
            kept
        }};
    }
    let rows;
    match format.as_str() {
        "custom" | "custom-nosum" | "custom-fault" => {
            let verify = format != "custom-nosum";
            let populate = format != "custom-fault";
            let mut phases = [std::time::Duration::ZERO; 3];
            let kept = measure!(
                custom::Summaries::open_timed(
                    &path(out, "summaries.bin"),
                    verify,
                    populate,
                    &mut phases
                )
                .expect("a good file"),
                |s: &custom::Summaries| {
                    (0..s.len())
                        .map(|i| model::touch_row(s.title(i), s.date(i), s.tags(i)))
                        .fold(0u64, u64::wrapping_add)
                }
            );
            let s = kept.expect("opened");
            rows = s.len();
            let _ = (s.id(0), s.term_bits(0), s.arena_len());
            report(format, rows, &opens, &totals, acc);
            println!(
                "  {format} phases, means of {runs}: map {:.2} ms, checksum {:.2} ms, validate {:.2} ms",
                ms(phases[0]) / runs as f64,
                ms(phases[1]) / runs as f64,
                ms(phases[2]) / runs as f64
            );
            drop(s);
        }
        "postcard" => {
            let kept = measure!(
                formats::postcard_open(&path(out, "summaries.postcard")),
                |r: &Vec<model::Summary>| formats::touch_owned(r)
            );
            rows = kept.as_ref().map_or(0, Vec::len);
            report(format, rows, &opens, &totals, acc);
            drop(kept);
        }
        "rkyv" => {
            let kept = measure!(
                formats::RkyvFile::open(&path(out, "summaries.rkyv")),
                |f: &formats::RkyvFile| f.touch()
            );
            rows = kept.as_ref().map_or(0, |f| f.rows().len());
            report(format, rows, &opens, &totals, acc);
            drop(kept);
        }
        "sqlite" => {
            let kept = measure!(
                formats::sqlite_open(&path(out, "summaries.sqlite")),
                |r: &Vec<model::Summary>| formats::touch_owned(r)
            );
            rows = kept.as_ref().map_or(0, Vec::len);
            report(format, rows, &opens, &totals, acc);
            drop(kept);
        }
        _ => panic!("unknown format {format}"),
    }
}

fn report(
    format: &str,
    rows: usize,
    opens: &[std::time::Duration],
    totals: &[std::time::Duration],
    acc: u64,
) {
    // Memory is read while the last opened cache is still alive.
    println!(
        "{format}: {rows} rows; open {:.2} ms, open + every row's title/date/tags {:.2} ms (medians of {}); {} [{}]",
        ms(model::median(opens.to_vec())),
        ms(model::median(totals.to_vec())),
        totals.len(),
        memory_line(),
        acc % 10
    );
}

fn checksum(a: &Args) {
    let [out] = &a.positional[..] else {
        panic!("checksum OUT")
    };
    for name in ["summaries.bin", "texts.bin"] {
        let p = path(out, name);
        let Ok(bytes) = fs::read(&p) else { continue };
        let mb = bytes.len() as f64 / 1e6;
        let (x, _) = timed(a.runs, || xxhash_rust::xxh3::xxh3_64(&bytes));
        let (c, _) = timed(a.runs, || crc32fast::hash(&bytes));
        let (b, _) = timed(a.runs, || *blake3::hash(&bytes).as_bytes());
        println!(
            "{name} ({mb:.1} MB): xxh3-64 {:.2} ms ({:.1} GB/s), crc32fast {:.2} ms ({:.1} GB/s), blake3 (1 thread) {:.2} ms ({:.1} GB/s)",
            ms(x),
            mb / 1e3 / x.as_secs_f64(),
            ms(c),
            mb / 1e3 / c.as_secs_f64(),
            ms(b),
            mb / 1e3 / b.as_secs_f64()
        );
    }
}

fn search(a: &Args) {
    let Some((out, words)) = a.positional.split_first() else {
        panic!("search OUT [WORD...]")
    };
    let default: Vec<String> = [
        "the",
        "oseman",
        "heartstopper",
        "dunpenmar",
        "kit connor",
        "zyx",
        "qqxzj",
    ]
    .map(String::from)
    .to_vec();
    let words = if words.is_empty() { &default } else { words };
    let runs = a.runs;
    let start = Instant::now();
    let t = texts::Texts::open(&path(out, "texts.bin"));
    println!(
        "texts: {} articles, {:.1} MB of text, opened (header + tables checksum + offsets) in {:.2} ms; {}",
        t.count,
        t.text_bytes().len() as f64 / 1e6,
        ms(start.elapsed()),
        memory_line()
    );
    let (verify_all, _) = timed(3, || (0..t.blocks).all(|b| t.verify_block(b)));
    println!(
        "every block checksum of the texts: {:.1} ms",
        ms(verify_all)
    );
    let mut filters = Vec::new();
    for (block, bits, quads) in FILTERS {
        let start = Instant::now();
        let f = texts::Filter::build(&t, block, bits, quads);
        let built = start.elapsed();
        let p = path(
            out,
            &format!("grams-{block}-{bits}-{}.bin", if quads { 34 } else { 3 }),
        );
        write_atomic(&p, &f.to_file_bytes());
        println!(
            "filter {name}: {} B ({:.2} MB, {:.1} % of the texts), {:.1} % of bits set, built in {:.0} ms",
            file_size(&p),
            file_size(&p) as f64 / 1e6,
            100.0 * file_size(&p) as f64 / t.text_bytes().len() as f64,
            100.0 * f.fill(),
            ms(built),
            name = f.name()
        );
        filters.push(f);
    }
    for block in [256, 64] {
        let n = texts::distinct_trigrams(&t, block);
        println!(
            "exact sorted trigram lists, blocks of {block}: {n} trigrams, {:.1} MB at 3 B each",
            n as f64 * 3.0 / 1e6
        );
    }
    let mut word_indexes = Vec::new();
    for block in [256, 16] {
        let start = Instant::now();
        let w = texts::WordIndex::build(&t, block);
        println!(
            "word index, blocks of {block}: {} words, vocabulary {:.2} MB, {} (word, block) postings, {:.1} MB as stored ({:.1} % of the texts), built in {:.0} ms",
            w.words(),
            w.vocab.len() as f64 / 1e6,
            w.postings(),
            w.bytes() as f64 / 1e6,
            100.0 * w.bytes() as f64 / t.text_bytes().len() as f64,
            ms(start.elapsed())
        );
        word_indexes.push(w);
    }
    println!();
    println!(
        "| query | filter | blocks scanned | first {FIRST} hits (median) | full count (median) | count |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for word in words {
        let query = word.to_lowercase();
        let q = query.as_bytes();
        let (first, f) = timed(runs, || texts::search(&t, q, None, FIRST, true, false));
        let (all, found) = timed(runs, || texts::search(&t, q, None, FIRST, false, false));
        let truth: BTreeSet<usize> = black_box(found.first.iter().copied().collect());
        println!(
            "| `{word}` | none (memmem over every text) | {} / {} | {:.2} ms | {:.2} ms | {} |",
            f.blocks_scanned,
            t.blocks,
            ms(first),
            ms(all),
            found.count
        );
        for filter in &filters {
            let (first, f) = timed(runs, || {
                texts::search(&t, q, Some(filter), FIRST, true, false)
            });
            let (all, fa) = timed(runs, || {
                texts::search(&t, q, Some(filter), FIRST, false, false)
            });
            assert_eq!(fa.count, found.count, "a filter dropped a match");
            assert_eq!(fa.first.iter().copied().collect::<BTreeSet<_>>(), truth);
            println!(
                "| `{word}` | {} | {} / {} | {:.2} ms | {:.2} ms | {} |",
                filter.name(),
                fa.blocks_scanned,
                t.count.div_ceil(filter.block),
                ms(first),
                ms(all),
                fa.count
            );
            let _ = f;
        }
        let chosen = &filters[CHOSEN];
        let (all, fv) = timed(runs, || {
            texts::search(&t, q, Some(chosen), FIRST, false, true)
        });
        println!(
            "| `{word}` | {}, every scanned block's checksum checked | {} / {} | | {:.2} ms | {} |",
            chosen.name(),
            fv.blocks_scanned,
            t.blocks,
            ms(all),
            fv.count
        );
        for w in &word_indexes {
            let (first, _) = timed(runs, || texts::search_words(&t, q, w, FIRST, true));
            let (all, fw) = timed(runs, || texts::search_words(&t, q, w, FIRST, false));
            assert_eq!(fw.count, found.count, "the word index dropped a match");
            println!(
                "| `{word}` | word index, blocks of {} | {} / {} | {:.2} ms | {:.2} ms | {} |",
                w.block,
                fw.blocks_scanned,
                w.blocks,
                ms(first),
                ms(all),
                fw.count
            );
        }
        let (all2, n2) = timed(runs, || texts::count_parallel(&t, q, 2));
        assert_eq!(n2, found.count);
        println!(
            "| `{word}` | none, full count on 2 threads | {} / {} | | {:.2} ms | {n2} |",
            t.blocks,
            t.blocks,
            ms(all2)
        );
        let fts = path(out, "texts.fts.sqlite");
        if fts.exists() && query.chars().count() >= 3 {
            let db = rusqlite::Connection::open_with_flags(
                &fts,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open fts");
            let (first, _) = timed(runs, || formats::fts_query(&db, &query, FIRST));
            let (all, rows) = timed(runs, || formats::fts_query(&db, &query, 0));
            println!(
                "| `{word}` | SQLite FTS5 trigram (candidates only) | | {:.2} ms | {:.2} ms | {} |",
                ms(first),
                ms(all),
                rows.len()
            );
        }
    }
    println!("{}", memory_line());
}
