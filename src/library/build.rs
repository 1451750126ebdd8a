//! Building a library from loaded articles: one spelling per tag, the
//! default order, and the rows and search texts encoded in the cache's own
//! formats, in memory, so a library from a load and one from the on-disk
//! cache are read by the same code.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::cache::{
    self, CachedArticle, RowsEncoder, SummaryFile, SummaryHeader, TextFile, encode_texts,
    new_generation,
};
use super::{LoadWarning, Loaded, SortOrder};
use crate::article::Article;

/// The rows and texts of a built library, in memory.
pub(super) struct Built {
    /// The rows, in the default order.
    pub(super) rows: SummaryFile,
    /// The search texts in the rows' order, when asked for.
    pub(super) texts: Option<TextFile>,
}

/// What names the in-memory files in errors (which only a bug could cause).
const IN_MEMORY: &str = "(in memory)";

/// Puts the articles in the default order with unified spellings and term
/// filters, and encodes them. `scanned_ns` is when the scan that found them
/// started (0 when unknown), recorded for the next check of the folder.
/// `varied` are spellings already known to stand for several (of articles
/// whose spellings were unified before).
/// Data too large for the format (over 4 GiB of titles and ids) gives an
/// empty library and a warning that says so, never a panic.
pub(super) fn encode_library(
    root: &Path,
    mut loaded: Vec<Loaded>,
    with_texts: bool,
    scanned_ns: i64,
    varied: Vec<String>,
    warnings: &mut Vec<LoadWarning>,
) -> Built {
    loaded.sort_unstable_by(|a, b| a.article.id.cmp(&b.article.id));
    // Tags and categories are unified apart, as each list shows its own.
    let mut varied: HashSet<String> = varied.into_iter().collect();
    unify_spelling(&mut loaded, &mut varied, |a| &mut a.tags);
    unify_spelling(&mut loaded, &mut varied, |a| &mut a.categories);
    for one in &mut loaded {
        let article = &mut one.article;
        article.term_bits = article
            .tags
            .iter()
            .chain(&article.categories)
            .map(|term| crate::article::term_bit_of(term))
            .fold(0, |bits, bit| bits | bit);
    }
    let mut by_date: Vec<usize> = (0..loaded.len()).collect();
    by_date.sort_by(|&a, &b| SortOrder::Date.compare(&loaded[a].article, &loaded[b].article));
    permute(&mut loaded, by_date);

    let key =
        cache::folder_key(&std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
    let generation = new_generation();
    let texts = if with_texts {
        // The bodies are not kept (the reader reads the open article from
        // its file): free them before the texts are copied.
        for one in &mut loaded {
            one.article.blocks = Vec::new();
            one.article.links = Vec::new();
        }
        let bytes = encode_texts(loaded.iter().map(|l| l.article.folded.as_str()), generation);
        for one in &mut loaded {
            one.article.folded = String::new();
        }
        match bytes.and_then(|b| TextFile::from_bytes(b, Path::new(IN_MEMORY), generation)) {
            Ok(texts) => Some(texts),
            Err(error) => {
                warnings.push(too_large(root, &error));
                None
            }
        }
    } else {
        None
    };
    let header = SummaryHeader {
        generation,
        folder_key: key,
        scanned_ns,
        texts_len: texts.as_ref().map_or(0, |t| t.bytes().len() as u64),
        words_len: 0,
    };
    let varied: HashSet<&str> = varied.iter().map(String::as_str).collect();
    // Each article is let go of once its row is in: at a first index of a
    // million, their strings make way for the rows' as they are encoded.
    let mut encoder = RowsEncoder::new(loaded.len());
    let pushed = loaded
        .into_iter()
        .try_for_each(|one| encoder.push(&cached(root, &one), &varied));
    let rows = pushed
        .and_then(|()| encoder.finish(&header))
        .and_then(|bytes| SummaryFile::from_bytes(bytes, Path::new(IN_MEMORY), key));
    match rows {
        Ok(rows) => Built { rows, texts },
        Err(error) => {
            warnings.push(too_large(root, &error));
            Built {
                rows: SummaryFile::empty(),
                texts: None,
            }
        }
    }
}

/// The warning for a folder whose list does not fit the format.
fn too_large(root: &Path, error: &cache::CacheError) -> LoadWarning {
    LoadWarning {
        path: crate::article::sanitize::sanitize_line(&root.to_string_lossy()),
        message: format!("{}; split the folder", error.kind),
    }
}

/// A loaded article as a row of the cache.
fn cached<'a>(root: &Path, one: &'a Loaded) -> CachedArticle<'a> {
    let article = &one.article;
    let path = if article.path == root.join(&article.id) {
        None
    } else {
        use std::os::unix::ffi::OsStrExt;
        let relative = article.path.strip_prefix(root).unwrap_or(&article.path);
        Some(relative.as_os_str().as_bytes())
    };
    CachedArticle {
        id: &article.id,
        title: &article.title,
        date: article.date,
        clock: article.clock,
        arrived: article.arrived,
        tags: article.tags.iter().map(String::as_str).collect(),
        categories: article.categories.iter().map(String::as_str).collect(),
        author: article.author.as_deref(),
        source: article.source.as_deref(),
        url: article.url.as_deref(),
        path,
        words: one.words,
        term_bits: article.term_bits,
        stat: one.stat,
    }
}

/// Reorders `items` so that position `p` holds what was at `from[p]`
/// (`from` is a permutation), in place: articles are large, and a second
/// list of them would double the memory a big folder needs at load.
fn permute<T>(items: &mut [T], mut from: Vec<usize>) {
    for start in 0..items.len() {
        // Follow the cycle through `start`, swapping each item into its
        // place; a slot that is done points at itself.
        let mut at = start;
        loop {
            let next = from[at];
            from[at] = at;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Rewrites each term to the spelling of its first occurrence, walking the
/// articles in their current order; the spellings that stand for several
/// go into `varied`. Terms are the same when
/// [`fold_term`](crate::article::fold_term) makes them equal, the rule tag
/// filters compare by: by any other rule a filter could miss an article
/// whose spelling was rewritten to one the filter does not take as equal.
fn unify_spelling(
    articles: &mut [Loaded],
    varied: &mut HashSet<String>,
    field: impl Fn(&mut Article) -> &mut Vec<String>,
) {
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for one in articles.iter_mut() {
        let terms = field(&mut one.article);
        let mut rewritten = false;
        for term in terms.iter_mut() {
            let key = crate::article::fold_term(term);
            match first_seen.get(&key) {
                Some(spelling) if spelling != term => {
                    varied.insert(spelling.clone());
                    term.clone_from(spelling);
                    rewritten = true;
                }
                Some(_) => {}
                None => {
                    first_seen.insert(key, term.clone());
                }
            }
        }
        // The parser drops repeated terms by the same rule, but an article
        // made elsewhere may repeat one in two spellings: rewritten to one,
        // they would count twice. Only a rewrite can make a repeat.
        if rewritten {
            let mut kept = 0;
            for at in 0..terms.len() {
                if !terms[..kept].contains(&terms[at]) {
                    terms.swap(kept, at);
                    kept += 1;
                }
            }
            terms.truncate(kept);
        }
    }
}
