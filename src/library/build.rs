//! Building a library from loaded articles: one spelling per tag, the
//! default order, and the rows and search texts encoded in the cache's own
//! formats, in memory, so a library from a load and one from the on-disk
//! cache are read by the same code.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::cache::{
    self, CachedArticle, RowsEncoder, SummaryFile, SummaryHeader, TextFile, encode_texts,
    new_generation,
};
use super::{Listed, LoadWarning, Loaded, SortOrder};

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
    loaded.sort_unstable_by(|a, b| a.id().cmp(b.id()));
    // Tags and categories are unified apart, as each list shows its own.
    let mut varied: HashSet<String> = varied.into_iter().collect();
    unify_spelling(&mut loaded, &mut varied, Terms::Tags);
    unify_spelling(&mut loaded, &mut varied, Terms::Categories);
    for one in &mut loaded {
        let bits = one
            .tags()
            .chain(one.categories())
            .map(crate::article::term_bit_of)
            .fold(0, |bits, bit| bits | bit);
        one.set_term_bits(bits);
    }
    // Each article's instant worked out once, not at each of the sort's
    // twenty million comparisons at a million; ties go to the whole rule.
    let instants: Vec<Option<i64>> = loaded.iter().map(Listed::instant).collect();
    let mut by_date: Vec<usize> = (0..loaded.len()).collect();
    by_date.sort_by(|&a, &b| match (instants[a], instants[b]) {
        (Some(x), Some(y)) if x != y => y.cmp(&x),
        _ => SortOrder::Date.compare(&loaded[a], &loaded[b]),
    });
    permute(&mut loaded, by_date);

    let key =
        cache::folder_key(&std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
    let generation = new_generation();
    let texts = if with_texts {
        let bytes = encode_texts(loaded.iter().map(Loaded::folded), generation);
        for one in &mut loaded {
            one.drop_folded();
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
    use std::os::unix::ffi::OsStrExt;
    let path = one.path_apart().map(|path| {
        let relative = path.strip_prefix(root).unwrap_or(path);
        relative.as_os_str().as_bytes()
    });
    CachedArticle {
        id: one.id(),
        title: one.title(),
        date: one.date(),
        clock: one.clock(),
        arrived: one.arrived(),
        tags: one.tags().collect(),
        categories: one.categories().collect(),
        author: one.author(),
        source: one.source(),
        url: one.url(),
        path,
        words: one.words,
        term_bits: one.term_bits(),
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

/// The tags or the categories of an article.
#[derive(Clone, Copy)]
enum Terms {
    Tags,
    Categories,
}

/// Rewrites each term to the spelling of its first occurrence, walking the
/// articles in their current order; the spellings that stand for several
/// go into `varied`. Terms are the same when
/// [`fold_term`](crate::article::fold_term) makes them equal, the rule tag
/// filters compare by: by any other rule a filter could miss an article
/// whose spelling was rewritten to one the filter does not take as equal.
fn unify_spelling(articles: &mut [Loaded], varied: &mut HashSet<String>, which: Terms) {
    let tags = matches!(which, Terms::Tags);
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for one in articles.iter_mut() {
        // Nearly every term is spelled as first seen: found without
        // copying anything, and the article left as it is.
        let mut any = false;
        for term in one.terms(tags) {
            let key = folded(term);
            match first_seen.get(key.as_ref()) {
                Some(spelling) if spelling != term => {
                    varied.insert(spelling.clone());
                    any = true;
                }
                Some(_) => {}
                None => {
                    first_seen.insert(key.into_owned(), term.to_string());
                }
            }
        }
        if !any {
            continue;
        }
        // The parser drops repeated terms by the same rule, but an article
        // made elsewhere may repeat one in two spellings: rewritten to one,
        // they would count twice. Only a rewrite can make a repeat.
        let mut kept: Vec<String> = Vec::new();
        for term in one.terms(tags) {
            let spelling = first_seen
                .get(folded(term).as_ref())
                .map_or(term, String::as_str);
            if !kept.iter().any(|known| known == spelling) {
                kept.push(spelling.to_string());
            }
        }
        // The other kind stays as it is.
        let others: Vec<String> = one.terms(!tags).map(str::to_string).collect();
        let kept: Vec<&str> = kept.iter().map(String::as_str).collect();
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        match which {
            Terms::Tags => one.set_terms(&kept, &others),
            Terms::Categories => one.set_terms(&others, &kept),
        }
    }
}

/// A term as [`fold_term`](crate::article::fold_term) makes it, without a
/// copy when it is already so (lower-case ASCII, as most are).
fn folded(term: &str) -> Cow<'_, str> {
    if term
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(term)
    } else {
        Cow::Owned(crate::article::fold_term(term))
    }
}
