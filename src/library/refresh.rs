//! Bringing a library up to date with its folder without reading what did
//! not change: [`refresh`] walks the folder with one metadata call per
//! entry, reads again only the files that are new or whose [`StatKey`]
//! changed, and gives the library with those changes
//! ([`Library::with_changes`]), the base untouched.
//!
//! A key taken within a timestamp tick of a write can equal the key after a
//! second write in the same tick, and a file may still be being written
//! when it is read: so a file whose modification or change time lies within
//! [`SETTLE_NS`] of the scan that read it is read again by the next check,
//! and [`Refreshed::recheck_after`] says when that check should come. The
//! window is a [`CheckOptions`] field, so that tests of what a check trusts
//! need not wait two seconds ([`refresh_with`], [`refresh_paths_with`]).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::load::{self, Counters};
use super::scan::{FoundFile, StatKey, scan};
use super::{Library, LoadError, LoadOptions, LoadWarning, Loaded, SortOrder};
use crate::article::fold_term;

/// How long after a file's last change its key is not trusted: the
/// coarsest timestamps in common use (FAT's two seconds). Ext4, XFS and
/// Btrfs stamp in nanoseconds but advance with the kernel's clock tick.
pub const SETTLE_NS: i64 = 2_000_000_000;

/// What a check of the folder trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// How long after a file's last change its key is not trusted:
    /// [`SETTLE_NS`] by default. Shorter only in tests, which would
    /// otherwise wait that long; it must stay longer than the file
    /// system's timestamp tick, or a change in the same tick can go unseen.
    pub settle: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            settle: Duration::from_nanos(SETTLE_NS.unsigned_abs()),
        }
    }
}

impl CheckOptions {
    /// The window in nanoseconds, as file times are compared (saturating:
    /// a window beyond 292 years trusts nothing, as it should).
    fn settle_ns(&self) -> i64 {
        i64::try_from(self.settle.as_nanos()).unwrap_or(i64::MAX)
    }
}

/// What a check of the folder found.
#[derive(Debug)]
pub struct Refreshed {
    /// The library with the changes; `None` when nothing changed.
    pub library: Option<Library>,
    /// Files read again (new, changed, or too recent to trust).
    pub read: usize,
    /// When to check again because a file changed too recently to trust
    /// (it may still be being written); `None` when no file did.
    pub recheck_after: Option<Duration>,
    /// What to check again then: these paths, or (`None`) the whole folder.
    pub recheck_paths: Option<Vec<std::path::PathBuf>>,
    /// Whether the whole folder was read again (names that read alike, or
    /// a tag spelled several ways, made the changes reach every article).
    pub read_whole: bool,
    /// Where the folder may differ from the library checked: the files read
    /// again (new, changed, too recent to trust, or unreadable now) and the
    /// articles that went away, by path; `None` when the whole folder was
    /// read again. A watcher vouching for the cache records these
    /// ([`vouch`](super::vouch)).
    pub touched: Option<Vec<std::path::PathBuf>>,
}

impl Refreshed {
    /// Whether a cache written from the new library saves the next start
    /// real work: it holds many changes, or the whole folder was read again
    /// (unsaved, the next check would find the same and read it all again).
    pub fn worth_saving(&self) -> bool {
        self.library
            .as_ref()
            .is_some_and(|library| self.read_whole || library.worth_saving())
    }
}

/// Checks the folder of `library` against it; see the module's comment.
/// The folder's warnings (files that cannot be read) are found again, and
/// a change in them alone is a change. Fails only when the folder cannot
/// be read at all.
pub fn refresh(library: &Library, options: &LoadOptions) -> Result<Refreshed, LoadError> {
    refresh_with(library, options, &CheckOptions::default())
}

/// [`refresh`] with the check's own options (its settling window).
pub fn refresh_with(
    library: &Library,
    options: &LoadOptions,
    check: &CheckOptions,
) -> Result<Refreshed, LoadError> {
    let settle_ns = check.settle_ns();
    let root = library.root().to_path_buf();
    let scanned_ns = load::now_ns();
    let scanned = scan(&root)?;
    let mut seen: HashSet<usize> = HashSet::with_capacity(scanned.files.len());
    let mut to_read: Vec<FoundFile> = Vec::new();
    let mut recent = false;
    // Articles whose id is not the scan's (names that read alike are
    // numbered over the folder), found by their file instead; built on the
    // first miss.
    let mut by_file: Option<HashMap<(u64, u64), usize>> = None;
    for file in scanned.files {
        recent |= !is_settled(file.key, scanned_ns, settle_ns);
        let unchanged = |position: usize| {
            is_settled(file.key, library.scanned_ns(position), settle_ns)
                && library.get(position).map(|row| row.stat_key()) == Some(file.key)
                && library.path(position).as_deref() == Some(file.path.as_path())
        };
        let kept = library
            .position(&file.id)
            .filter(|&position| unchanged(position))
            .or_else(|| {
                let index = by_file.get_or_insert_with(|| positions_by_file(library));
                index
                    .get(&(file.key.dev, file.key.ino))
                    .copied()
                    .filter(|&position| unchanged(position))
            });
        match kept {
            Some(position) => {
                seen.insert(position);
            }
            None => {
                to_read.push(FoundFile {
                    id: file.id,
                    path: file.path,
                    format: file.format,
                    key: Some(file.key),
                });
            }
        }
    }
    let read = to_read.len();
    let mut touched: Vec<std::path::PathBuf> = to_read.iter().map(|f| f.path.clone()).collect();
    let quiet = |_| {};
    let counters = Counters::new(&quiet);
    let (changed, mut warnings) = load::read_files(&root, options, &counters, &mut |on_file| {
        for file in to_read.drain(..) {
            on_file(file);
        }
        Ok(super::Scan::default())
    })?;
    warnings.extend(scanned.warnings);
    // The numbering of names that read alike stands for the articles kept.
    warnings.extend(
        library
            .warnings()
            .iter()
            .filter(|warning| {
                load::numbered_id(warning)
                    .and_then(|id| library.position(id))
                    .is_some_and(|position| seen.contains(&position))
            })
            .cloned(),
    );
    // Every article not kept went away or was read again.
    let gone: HashSet<usize> = library
        .order(SortOrder::Date)
        .into_iter()
        .filter(|position| !seen.contains(position))
        .collect();
    touched.extend(gone.iter().filter_map(|&position| library.path(position)));
    let recheck_after = recent.then_some(check.settle);
    if changed.is_empty() && gone.is_empty() && same_warnings(library.warnings(), &warnings) {
        return Ok(Refreshed {
            library: None,
            read,
            recheck_after,
            recheck_paths: None,
            read_whole: false,
            touched: Some(touched),
        });
    }
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    if spelling_would_change(library, &changed, &gone)
        || needs_renumbering(library, &changed, &gone)
    {
        // Tags spelled in several ways, or names that read alike: which
        // spelling or number each article gets depends on every file, as
        // the files hold them: read the folder in whole (rare).
        let whole = load::load_with_progress(&root, options, &|_| {})?;
        return Ok(Refreshed {
            read: whole.len(),
            library: Some(whole),
            recheck_after,
            recheck_paths: None,
            read_whole: true,
            touched: None,
        });
    }
    let gone: Vec<usize> = gone.into_iter().collect();
    // Every base article kept was found settled at this scan, and the rest
    // were read again: the whole library stands as read now.
    let next = library
        .with_changes(changed, &gone, warnings, scanned_ns)
        .checked_at(scanned_ns);
    Ok(Refreshed {
        library: Some(next),
        read,
        recheck_after,
        recheck_paths: None,
        read_whole: false,
        touched: Some(touched),
    })
}

/// [`refresh`] for changes the watcher reported at `paths` (relative to the
/// articles folder, or absolute under it): only those paths are looked at (one metadata call each) and read again when they
/// changed, so a new file costs the same in a folder of a million. Falls
/// back to the whole [`refresh`] whenever the paths could mean more than
/// those files: a folder, a symbolic link, a path outside the folder, a
/// second name of a file already listed, or a name that reads like
/// another's.
pub fn refresh_paths(
    library: &Library,
    options: &LoadOptions,
    paths: &[std::path::PathBuf],
) -> Result<Refreshed, LoadError> {
    refresh_paths_with(library, options, paths, &CheckOptions::default())
}

/// [`refresh_paths`] with the check's own options (its settling window),
/// which the whole check it may fall back to keeps.
pub fn refresh_paths_with(
    library: &Library,
    options: &LoadOptions,
    paths: &[std::path::PathBuf],
    check: &CheckOptions,
) -> Result<Refreshed, LoadError> {
    let settle_ns = check.settle_ns();
    let root = library.root().to_path_buf();
    let scanned_ns = load::now_ns();
    let mut to_read: Vec<FoundFile> = Vec::new();
    let mut gone: HashSet<usize> = HashSet::new();
    let mut touched_ids: HashSet<String> = HashSet::new();
    let mut recent = false;
    for path in paths {
        let path = &root.join(path);
        let Ok(relative) = path.strip_prefix(&root) else {
            return refresh_with(library, options, check);
        };
        // Hidden names are never articles, and nothing below them is.
        if relative
            .components()
            .any(|c| super::scan::is_hidden(c.as_os_str()))
        {
            continue;
        }
        let id = super::scan::display_path(&root, path);
        let known = library.position(&id);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => {
                let Some(format) = crate::article::Format::for_path(path) else {
                    continue;
                };
                let key = StatKey::of(&meta);
                recent |= !is_settled(key, scanned_ns, settle_ns);
                let unchanged = known.is_some_and(|position| {
                    is_settled(key, library.scanned_ns(position), settle_ns)
                        && library.get(position).map(|row| row.stat_key()) == Some(key)
                        && library.path(position).as_deref() == Some(path.as_path())
                });
                if unchanged {
                    continue;
                }
                if !touched_ids.insert(id.clone()) {
                    // Two names that read alike: numbered over the folder.
                    return refresh_with(library, options, check);
                }
                if let Some(position) = known {
                    gone.insert(position);
                }
                to_read.push(FoundFile {
                    id,
                    path: path.clone(),
                    format,
                    key: Some(key),
                });
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                // Gone: the article of that name goes, if it was a file;
                // a folder that went takes what was in it.
                if is_known_folder(library, &id) {
                    return refresh_with(library, options, check);
                }
                if let Some(position) = known {
                    touched_ids.insert(id);
                    gone.insert(position);
                }
            }
            // A folder, a link, anything else: the whole check.
            _ => return refresh_with(library, options, check),
        }
    }
    // A file of several names (hard links) is one article under the name
    // a walk prefers: the whole check decides.
    if to_read.iter().any(|file| has_other_names(&file.path)) {
        return refresh_with(library, options, check);
    }
    let read = to_read.len();
    let mut touched: Vec<std::path::PathBuf> = to_read.iter().map(|f| f.path.clone()).collect();
    touched.extend(gone.iter().filter_map(|&position| library.path(position)));
    touched.sort();
    touched.dedup();
    let quiet = |_| {};
    let counters = Counters::new(&quiet);
    let (changed, new_warnings) = load::read_files(&root, options, &counters, &mut |on_file| {
        for file in to_read.drain(..) {
            on_file(file);
        }
        Ok(super::Scan::default())
    })?;
    // The warnings of the paths looked at are replaced by theirs.
    let mut warnings: Vec<LoadWarning> = library
        .warnings()
        .iter()
        .filter(|warning| !touched_ids.contains(&warning.path))
        .cloned()
        .collect();
    warnings.extend(new_warnings);
    let recheck_after = recent.then_some(check.settle);
    let recheck_paths = Some(paths.to_vec());
    if changed.is_empty() && gone.is_empty() && same_warnings(library.warnings(), &warnings) {
        return Ok(Refreshed {
            library: None,
            read,
            recheck_after,
            recheck_paths,
            read_whole: false,
            touched: Some(touched),
        });
    }
    if spelling_would_change(library, &changed, &gone)
        || needs_renumbering(library, &changed, &gone)
    {
        return refresh_with(library, options, check);
    }
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    let gone: Vec<usize> = gone.into_iter().collect();
    Ok(Refreshed {
        library: Some(library.with_changes(changed, &gone, warnings, scanned_ns)),
        read,
        recheck_after,
        recheck_paths,
        read_whole: false,
        touched: Some(touched),
    })
}

/// Whether the file at `path` has other names (hard links).
fn has_other_names(path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.nlink() > 1)
}

/// Whether some article's id starts with `id/`: `id` named a folder.
fn is_known_folder(library: &Library, id: &str) -> bool {
    library.has_id_starting_with(&format!("{id}/"))
}

/// Every article's position by its file's device and inode.
fn positions_by_file(library: &Library) -> HashMap<(u64, u64), usize> {
    library
        .order(SortOrder::Date)
        .into_iter()
        .filter_map(|position| {
            let key = library.get(position)?.stat_key();
            Some(((key.dev, key.ino), position))
        })
        .collect()
}

/// Whether a key's times are at least `settle_ns` older than `scanned_ns`
/// (0, unknown, trusts nothing).
fn is_settled(key: StatKey, scanned_ns: i64, settle_ns: i64) -> bool {
    let limit = i128::from(scanned_ns) - i128::from(settle_ns);
    scanned_ns > 0 && key.mtime_ns < limit && key.ctime_ns < limit
}

/// The same warnings, whatever their order.
fn same_warnings(old: &[LoadWarning], new: &[LoadWarning]) -> bool {
    let key = |w: &LoadWarning| (w.path.clone(), w.message.clone());
    let old: HashSet<_> = old.iter().map(key).collect();
    let new: HashSet<_> = new.iter().map(key).collect();
    old == new
}

/// Whether the changes could make a fresh load spell some tag or category
/// otherwise than the library does: an article that goes away spelled a
/// term others spell otherwise, or a changed one spells a term otherwise
/// than the library (conservatively: than any article ever in its files).
fn spelling_would_change(library: &Library, changed: &[Loaded], gone: &HashSet<usize>) -> bool {
    let varied_gone = gone.iter().any(|&position| {
        library.get(position).is_some_and(|row| {
            row.varied_terms(true)
                .chain(row.varied_terms(false))
                .next()
                .is_some()
        })
    });
    if varied_gone {
        return true;
    }
    let mut spellings: HashMap<String, Vec<(&str, bool)>> = HashMap::new();
    for (spelling, varied) in library.term_spellings() {
        spellings
            .entry(fold_term(spelling))
            .or_default()
            .push((spelling, varied));
    }
    changed
        .iter()
        .flat_map(|one| one.tags().chain(one.categories()))
        .any(|term| {
            spellings.get(&fold_term(term)).is_some_and(|known| {
                known
                    .iter()
                    .any(|&(spelling, varied)| varied || spelling != term)
            })
        })
}

/// Whether the changes could number ids differently than the library
/// did: a new id that another article has, or a change to an article whose
/// id reads like one numbered for a clash (`a.txt` beside `a.txt~2`).
fn needs_renumbering(library: &Library, changed: &[Loaded], gone: &HashSet<usize>) -> bool {
    let mut new_ids = HashSet::new();
    let clash = changed.iter().any(|one| {
        let id = one.id();
        !new_ids.insert(id)
            || library
                .position(id)
                .is_some_and(|position| !gone.contains(&position))
    });
    if clash {
        return true;
    }
    let numbered = library.numbered_ids();
    if numbered.is_empty() {
        return false;
    }
    let touches = |id: &str| numbered.contains(unnumbered(id));
    changed.iter().any(|one| touches(one.id()))
        || gone
            .iter()
            .any(|&position| library.get(position).is_some_and(|row| touches(row.id())))
}

/// An id without the `~N` a load adds to tell alike names apart.
fn unnumbered(id: &str) -> &str {
    match id.rsplit_once('~') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}
