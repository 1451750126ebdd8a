//! Short ids: every article's handle for the command line, as git gives
//! commits. An article's path id (`feed/2026-12-07-a-long-title.md`) is
//! hashed; its short id is the shortest start of the hash, in hex, that no
//! other article's hash shares, and never shorter than [`MIN_LEN`]. The
//! hash depends only on the path id, so a short id stays the same from run
//! to run and only grows when a new article comes to share its start.
//!
//! [`ShortIds`] sorts the hashes of the whole library once; each short id
//! is then its hash's longest common start with its two neighbours, plus
//! one digit (every article's found in one pass over the sorted hashes),
//! and each lookup a binary search.

/// The fewest hex digits a short id has, as git's abbreviations.
pub const MIN_LEN: usize = 4;

/// The most hex digits a short id has: the whole hash.
pub const MAX_LEN: usize = 16;

/// The hash a short id is a start of: xxh3 over the path id's bytes, which
/// is the same on every machine and in every version.
pub fn hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// The hash as 16 lowercase hex digits.
fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// How many leading hex digits two hashes share.
fn common_digits(a: u64, b: u64) -> usize {
    ((a ^ b).leading_zeros() / 4) as usize
}

/// The length of the short id of `hash` between its neighbours in the
/// sorted hashes: one digit more than it shares with either, at least
/// [`MIN_LEN`], at most the whole hash (when a neighbour is equal).
fn short_len(hash: u64, before: Option<u64>, after: Option<u64>) -> usize {
    let shared = before
        .into_iter()
        .chain(after)
        .map(|other| common_digits(other, hash))
        .max()
        .unwrap_or(0);
    (shared + 1).clamp(MIN_LEN, MAX_LEN)
}

/// Whether `text` has the form of a short id: [`MIN_LEN`] to [`MAX_LEN`]
/// hex digits (either case).
pub fn looks_short(text: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The short ids of one library: the hashes of every article's id, sorted
/// once, each beside the article's position.
#[derive(Debug, Clone, Default)]
pub struct ShortIds {
    /// (hash, position), sorted by hash.
    sorted: Vec<(u64, usize)>,
    /// By position: the hash and the short id's length (0: no article).
    by_position: Vec<(u64, u8)>,
}

impl ShortIds {
    /// The short ids of the articles given as (position, path id).
    pub fn new<'a>(ids: impl IntoIterator<Item = (usize, &'a str)>) -> ShortIds {
        let mut sorted: Vec<(u64, usize)> = ids
            .into_iter()
            .map(|(position, id)| (hash(id), position))
            .collect();
        sorted.sort_unstable();
        let slots = sorted.iter().map(|&(_, p)| p + 1).max().unwrap_or(0);
        let mut by_position = vec![(0, 0); slots];
        for (at, &(hash, position)) in sorted.iter().enumerate() {
            let before = at.checked_sub(1).map(|b| sorted[b].0);
            let after = sorted.get(at + 1).map(|&(h, _)| h);
            by_position[position] = (hash, short_len(hash, before, after) as u8);
        }
        ShortIds {
            sorted,
            by_position,
        }
    }

    /// The short id of the article at `position`, if it has one: as
    /// [`ShortIds::of`] gives it, without hashing or searching again.
    pub fn at(&self, position: usize) -> Option<String> {
        match self.by_position.get(position) {
            Some(&(hash, len)) if len > 0 => Some(hex(hash)[..usize::from(len)].to_string()),
            _ => None,
        }
    }

    /// How many articles there are.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The short id of the article whose path id is `id`: the shortest
    /// start of its hash no other article's hash shares (the whole hash
    /// when two hashes are equal), at least [`MIN_LEN`] digits. An id not
    /// in the library gets the length it would have if it were.
    pub fn of(&self, id: &str) -> String {
        let wanted = hash(id);
        let first = self.sorted.partition_point(|&(h, _)| h < wanted);
        let after = self.sorted.partition_point(|&(h, _)| h <= wanted);
        // Another article with the very same hash: no start tells them
        // apart, so the whole hash is shown (and a lookup lists both).
        let len = if after - first > 1 {
            MAX_LEN
        } else {
            let before = first.checked_sub(1).map(|at| self.sorted[at].0);
            let next = self.sorted.get(after).map(|&(h, _)| h);
            short_len(wanted, before, next)
        };
        hex(wanted)[..len].to_string()
    }

    /// The positions of the articles whose short id starts with `prefix`
    /// (hex, either case), in hash order; `None` when `prefix` does not
    /// have the form of a short id ([`looks_short`]).
    pub fn matching(&self, prefix: &str) -> Option<Vec<usize>> {
        if !looks_short(prefix) {
            return None;
        }
        let digits = prefix.to_ascii_lowercase();
        let shift = 4 * (MAX_LEN - digits.len()) as u32;
        let start = u64::from_str_radix(&digits, 16).ok()?.checked_shl(shift)?;
        // Every hash from `start` up to the last one with this start.
        let end = start | u64::MAX.checked_shr(64 - shift).unwrap_or(0);
        let from = self.sorted.partition_point(|&(h, _)| h < start);
        let to = self.sorted.partition_point(|&(h, _)| h <= end);
        Some(self.sorted[from..to].iter().map(|&(_, p)| p).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&'static str]) -> ShortIds {
        ShortIds::new(names.iter().enumerate().map(|(p, id)| (p, *id)))
    }

    #[test]
    fn a_short_id_is_the_hash_start_at_least_four_digits() {
        let short = ids(&["a.txt", "b.txt"]);
        let a = short.of("a.txt");
        assert_eq!(a.len(), MIN_LEN, "{a}");
        assert!(hex(hash("a.txt")).starts_with(&a));
        assert_eq!(short.matching(&a), Some(vec![0]));
        assert_eq!(short.matching(&a.to_ascii_uppercase()), Some(vec![0]));
        assert_eq!(short.matching(&short.of("b.txt")), Some(vec![1]));
    }

    #[test]
    fn the_same_path_gets_the_same_short_id_in_another_library() {
        let small = ids(&["feed/one.md", "feed/two.md"]);
        let other = ids(&["feed/two.md", "x.md", "y.md", "feed/one.md"]);
        assert_eq!(small.of("feed/one.md"), other.of("feed/one.md"));
    }

    #[test]
    fn every_short_id_of_a_large_library_is_unique_and_as_short_as_it_can_be() {
        let names: Vec<String> = (0..20_000).map(|n| format!("feed/{n:06}.md")).collect();
        let short = ShortIds::new(names.iter().enumerate().map(|(p, id)| (p, id.as_str())));
        let mut seen = std::collections::HashSet::new();
        for (position, name) in names.iter().enumerate() {
            let id = short.of(name);
            assert_eq!(short.at(position).as_deref(), Some(id.as_str()));
            assert!(id.len() >= MIN_LEN);
            assert_eq!(short.matching(&id), Some(vec![position]), "{id} of {name}");
            assert!(seen.insert(id.clone()), "{id} twice");
            // One digit fewer would be shared, unless at the floor.
            if id.len() > MIN_LEN {
                let shorter = short.matching(&id[..id.len() - 1]).unwrap_or_default();
                assert!(shorter.len() > 1, "{id} could be shorter");
            }
        }
        // 20,000 hashes: five or six digits tell them apart, never 16.
        assert!(names.iter().all(|n| short.of(n).len() <= 8));
    }

    #[test]
    fn a_shared_start_lists_every_article_and_other_text_is_no_short_id() {
        let names: Vec<String> = (0..5_000).map(|n| format!("{n}.md")).collect();
        let short = ShortIds::new(names.iter().enumerate().map(|(p, id)| (p, id.as_str())));
        // Among 5,000 hashes, some four-digit start is shared.
        let shared = names
            .iter()
            .map(|n| short.of(n))
            .find(|id| id.len() > MIN_LEN)
            .map(|id| id[..MIN_LEN].to_string());
        let Some(shared) = shared else {
            panic!("5,000 hashes share no four-digit start");
        };
        assert!(short.matching(&shared).is_some_and(|found| found.len() > 1));
        for not_short in ["abc", "xyz1", "0123456789abcdef0", "feed/1.md", ""] {
            assert_eq!(short.matching(not_short), None, "{not_short}");
        }
        assert_eq!(short.matching("0123456789abcdef").map(|f| f.len()), Some(0));
    }
}
