//! Times the word index of a cache's `texts.bin` at full size: the
//! gathering a first index does once the files are read, and the encoding
//! of `words.bin` after it, from the texts in memory (the file mapped).
//!
//! ```text
//! cargo run --release --example gather_words -- TEXTS_BIN THREADS [ROUNDS]
//! ```
//!
//! `TEXTS_BIN` is the `texts.bin` of a cache folder
//! (`$XDG_CACHE_HOME/broadsheet/<key>/`, see the README's "The cache"),
//! written by a first index of a folder from `examples/gen_corpus`. The
//! criterion bench (`cargo bench --bench load -- words`) gathers 100,000
//! texts; this measures a million, where the whole's table and lists no
//! longer fit the cores' caches. Prints one line a round; `words.bin` is
//! written to a temporary file and removed.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use broadsheet::library::cache::{TextFile, WordIndexBuilder};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(threads)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gather_words TEXTS_BIN THREADS [ROUNDS]");
        return ExitCode::from(2);
    };
    let (Ok(threads), Ok(rounds)) = (
        threads.parse::<usize>(),
        args.get(2).map_or(Ok(1), |r| r.parse::<usize>()),
    ) else {
        eprintln!("THREADS and ROUNDS are whole numbers");
        return ExitCode::from(2);
    };
    match run(Path::new(path), threads, rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gather_words: {path}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Gathers and encodes the word index of the texts at `path`, `rounds`
/// times on `threads` threads.
fn run(path: &Path, threads: usize, rounds: usize) -> Result<(), Box<dyn std::error::Error>> {
    // The generation the file was written with sits at bytes 24..32.
    let mut head = [0u8; 32];
    std::fs::File::open(path)?.read_exact(&mut head)?;
    let mut generation = [0u8; 8];
    generation.copy_from_slice(&head[24..32]);
    let file = TextFile::open(path, u64::from_le_bytes(generation))?;
    let text = |record: usize| Cow::Borrowed(file.record_text(record).unwrap_or(""));
    for _ in 0..rounds {
        let started = Instant::now();
        let built = WordIndexBuilder::from_texts(file.texts(), &text, threads);
        let gathered = started.elapsed();
        let started = Instant::now();
        let out = tempfile::tempfile()?;
        let len = built.encode_into(out, 7)?;
        println!(
            "{} texts, {threads} threads: gathered in {gathered:.2?}, words.bin ({len} bytes) in {:.2?}",
            file.texts(),
            started.elapsed()
        );
    }
    Ok(())
}
