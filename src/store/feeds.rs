//! `feeds.toml`: the feeds a person subscribes to, one `[[feed]]` table each.
//! The file is the person's as much as broadsheet's: changes are made to its
//! text with `toml_edit`, so comments, order and layout stay as they were,
//! and written like every store file (locked, atomic). A file that does not
//! parse is never changed nor moved aside: the error names its line and
//! column, for the person to mend.
//!
//! ```toml
//! [[feed]]
//! url = "https://example.com/feed.xml"
//! name = "Example"          # default: the host of the url
//! tags = ["news", "world"]  # given to every article of the feed
//! full_text = true          # fetch each item's page for its full text
//! folder = "example"        # under the articles folder; default: from the name
//! ```

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::{Problem, StoreError};
use crate::article::sanitize::sanitize_line;
use crate::files::{FileLock, Links, read_regular, sweep_stale_temps, write_atomic};

/// What a new feeds file starts with.
const HEADER: &str = "# Feeds broadsheet fetches: one [[feed]] table each (url; name, tags,\n\
# full_text and folder are optional). Edit freely: broadsheet keeps your\n\
# comments and order when it adds or removes a feed.\n";

/// The most a feeds file may hold: far more than any real one (10,000
/// feeds take about 1 MiB).
const MAX_FEEDS_BYTES: u64 = 64 * 1024 * 1024;

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feed {
    /// Where the feed is fetched from (http or https).
    pub url: String,
    /// What the feed is called: its articles' category and, unless
    /// `folder` says otherwise, their folder.
    #[serde(default)]
    pub name: String,
    /// Tags every article of the feed gets.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether each item's page is fetched for its full text.
    #[serde(default)]
    pub full_text: bool,
    /// The feed's folder under the articles folder, when not its name.
    #[serde(default)]
    pub folder: Option<String>,
}

impl Feed {
    /// A feed of `url`, named after its host.
    pub fn new(url: impl Into<String>) -> Feed {
        let url = url.into();
        Feed {
            name: host_of(&url).to_string(),
            url,
            tags: Vec::new(),
            full_text: false,
            folder: None,
        }
    }
}

/// The host of an http(s) URL ("" when it has none).
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.starts_with('[') {
        // An IPv6 address: its colons are not a port's.
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.split(':').next().unwrap_or(host)
}

/// Why a URL cannot be subscribed to or fetched, if it cannot: the one
/// address check of `feed add`, OPML import and every fetch. Only http
/// and https leave the program, written out in full (`http://`: the url
/// crate would read `http:host/x` leniently as some other address), as one
/// line without spaces, with a host; a host that is a number must be
/// written as four dotted decimals (`http:8080//x` and `http://8080/x`
/// would reach 0.0.31.144), and none of 0.0.0.0/8, which no server has.
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(
            "it is not an http or https address written in full (`https://host/…`); \
             only those are fetched"
                .to_string(),
        );
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it holds spaces or control characters; write it as one address".to_string());
    }
    let written = host_of(url);
    if written.is_empty() {
        return Err("it names no host".to_string());
    }
    let parsed = url::Url::parse(url).map_err(|err| format!("it cannot be read ({err})"))?;
    if let Some(url::Host::Ipv4(address)) = parsed.host() {
        let dotted = written.parse::<std::net::Ipv4Addr>().ok();
        if dotted != Some(address) {
            return Err(format!(
                "its host `{}` is read as the number {address}: write an address as four \
                 dotted numbers, or look for a missing `//` or a slip in the host",
                sanitize_line(written)
            ));
        }
        if address.octets()[0] == 0 {
            return Err(format!(
                "its host {address} is no server's address: look for a missing `//` or a \
                 slip in the host"
            ));
        }
    }
    Ok(())
}

/// [`check_url`]'s reason, naming the address.
fn url_problem(url: &str) -> Result<(), String> {
    check_url(url).map_err(|reason| format!("`{}`: {reason}", sanitize_line(url)))
}

/// The feeds file at a path.
#[derive(Debug, Clone)]
pub struct FeedStore {
    path: PathBuf,
}

/// What adding a feed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// The feed was added, as given.
    Added(Feed),
    /// A feed of that URL is there already (unchanged).
    AlreadyThere(Feed),
}

impl FeedStore {
    /// The feeds file at `path` (created on the first change).
    pub fn new(path: impl Into<PathBuf>) -> FeedStore {
        FeedStore { path: path.into() }
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every feed, in file order; none when the file does not exist yet.
    /// A file that does not parse is an error with its line and column.
    pub fn load(&self) -> Result<Vec<Feed>, StoreError> {
        let Some(text) = self.read()? else {
            return Ok(Vec::new());
        };
        let feeds = parse(&text).map_err(|problem| self.error(&problem, &text))?;
        // Checked here, not in `parse`: `feed remove` edits the file and must
        // still be able to take the second entry away.
        if let Some(problem) = repeated_url(&text, &feeds) {
            return Err(self.error(&problem, &text));
        }
        Ok(feeds)
    }

    /// Adds `feed` at the end of the file, keeping everything else as it
    /// is. A feed of the same URL is left as it is; a feed of the same name
    /// and another URL is an error (names are the articles' categories).
    pub fn add(&self, feed: Feed) -> Result<Added, StoreError> {
        url_problem(&feed.url).map_err(|message| StoreError::new(&self.path, message))?;
        let name = feed.name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(StoreError::new(
                &self.path,
                "a feed needs a name without control characters; give one with --name",
            ));
        }
        self.edit(|document, feeds| {
            if let Some(there) = feeds.iter().find(|f| same_url(&f.url, &feed.url)) {
                return Ok(Some(Added::AlreadyThere(there.clone())));
            }
            if let Some(there) = feeds.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
                return Err(format!(
                    "a feed named `{}` is there already ({}); choose another name with --name",
                    sanitize_line(&there.name),
                    sanitize_line(&there.url)
                ));
            }
            feed_tables(document)?.push(table_of(&feed));
            Ok(Some(Added::Added(feed.clone())))
        })
        .map(|added| added.unwrap_or(Added::AlreadyThere(feed)))
    }

    /// Adds several feeds in one change (an OPML import): each as
    /// [`add`](Self::add) would, except that a name already taken gets ` 2`,
    /// ` 3`… rather than failing. Each feed's result is in order; a feed
    /// that cannot be added (a bad address) says why and the others go on.
    pub fn add_all(&self, new: Vec<Feed>) -> Result<Vec<Result<Added, String>>, StoreError> {
        self.edit(|document, feeds| {
            // Looked up by set, not by scanning every feed for every new
            // one: an import of 10,000 feeds stays linear.
            let mut urls: HashMap<String, Feed> = HashMap::with_capacity(feeds.len() + new.len());
            let mut names = Names::default();
            for feed in feeds {
                urls.entry(normal_url(&feed.url))
                    .or_insert_with(|| feed.clone());
                names.take(&feed.name);
            }
            let tables = feed_tables(document)?;
            let mut results = Vec::with_capacity(new.len());
            for mut feed in new {
                if let Err(message) = url_problem(&feed.url) {
                    results.push(Err(message));
                    continue;
                }
                let url = normal_url(&feed.url);
                if let Some(there) = urls.get(&url) {
                    results.push(Ok(Added::AlreadyThere(there.clone())));
                    continue;
                }
                feed.name = names.free(&feed);
                tables.push(table_of(&feed));
                urls.insert(url, feed.clone());
                results.push(Ok(Added::Added(feed)));
            }
            Ok(results)
        })
    }

    /// Removes the feed of this name or URL, keeping everything else as it
    /// is; the feed removed, or `None` when there was none.
    pub fn remove(&self, name_or_url: &str) -> Result<Option<Feed>, StoreError> {
        self.edit(|document, feeds| {
            let Some(at) = feeds.iter().position(|f| {
                f.name.eq_ignore_ascii_case(name_or_url) || same_url(&f.url, name_or_url)
            }) else {
                return Ok(None);
            };
            if let Some(kept) = remove_keeping_apart_comments(feed_tables(document)?, at) {
                // No table left to carry them: the end of the file does.
                let trailing = document.trailing().as_str().unwrap_or("").to_string();
                document.set_trailing(format!("{kept}{trailing}"));
            }
            Ok(feeds.get(at).cloned())
        })
    }

    /// Reads the file, `None` when it does not exist: a regular file only,
    /// up to a cap, like every store file (a FIFO or `/dev/zero` named as
    /// the feeds file is refused at once, never waited on nor read forever).
    fn read(&self) -> Result<Option<String>, StoreError> {
        match read_regular(&self.path, MAX_FEEDS_BYTES, Links::Follow) {
            Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|err| {
                StoreError::new(
                    &self.path,
                    format!(
                        "is not UTF-8 text (at byte {}); save it as UTF-8",
                        err.utf8_error().valid_up_to()
                    ),
                )
            }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(StoreError::new(
                &self.path,
                format!("cannot be read ({err}); point `feeds` at a regular file you can read"),
            )),
        }
    }

    /// Applies one edit to the file's text under its lock, and writes the
    /// result when the edit changed it. `edit` gets the document and the
    /// feeds it holds; an `Err` is a message about the change asked for.
    fn edit<T>(
        &self,
        edit: impl FnOnce(&mut DocumentMut, &[Feed]) -> Result<T, String>,
    ) -> Result<T, StoreError> {
        // Refused before its lock file is made beside it: a feeds file set
        // to a device or a FIFO must not leave `/dev/zero.lock` behind.
        if let Ok(meta) = std::fs::metadata(&self.path)
            && !meta.is_file()
        {
            return Err(StoreError::new(
                &self.path,
                "is not a regular file (a FIFO, device, socket or folder): point `feeds` at a regular file",
            ));
        }
        let _lock = FileLock::acquire(&self.path, Links::Follow)?;
        sweep_stale_temps(&self.path, Links::Follow);
        let existing = self.read()?;
        let text = existing.clone().unwrap_or_default();
        let feeds = parse(&text).map_err(|problem| self.error(&problem, &text))?;
        let mut document: DocumentMut = text.parse().map_err(|err: toml_edit::TomlError| {
            let problem = Problem::at(err.span().map(|span| span.start), err.message());
            self.error(&problem, &text)
        })?;
        let result = edit(&mut document, &feeds).map_err(|m| StoreError::new(&self.path, m))?;
        let mut edited = document.to_string();
        if existing.is_none() {
            // A new file starts by saying what it is.
            edited = format!("{HEADER}\n{edited}");
        }
        if edited != text && !(existing.is_none() && document.is_empty()) {
            write_atomic(&self.path, edited.as_bytes())?;
        }
        Ok(result)
    }

    /// A problem with the file's text as an error naming the file, the line
    /// and the column, and what to do.
    fn error(&self, problem: &Problem, text: &str) -> StoreError {
        StoreError::new(
            &self.path,
            format!(
                "{}; mend the file (broadsheet leaves it as it is)",
                problem.describe(text)
            ),
        )
    }
}

/// feeds.toml as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    #[serde(default)]
    feed: Vec<Feed>,
}

/// The feeds of a file's text, names filled in from hosts where missing.
fn parse(text: &str) -> Result<Vec<Feed>, Problem> {
    let file: FileIn = toml::from_str(text)?;
    Ok(file
        .feed
        .into_iter()
        .map(|mut feed| {
            if feed.name.trim().is_empty() {
                feed.name = host_of(&feed.url).to_string();
            }
            feed
        })
        .collect())
}

/// feeds.toml's addresses with where each is written, to point at a
/// repeated one.
#[derive(Deserialize)]
struct UrlsIn {
    #[serde(default)]
    feed: Vec<UrlIn>,
}

/// One `[[feed]]` table's address and its place in the text.
#[derive(Deserialize)]
struct UrlIn {
    url: toml::Spanned<String>,
}

/// The second `[[feed]]` of an address already subscribed above it (the
/// same URL as [`same_url`] compares them): it would be fetched twice into
/// the same articles. `None` when every address is there once.
fn repeated_url(text: &str, feeds: &[Feed]) -> Option<Problem> {
    let mut seen: HashMap<String, &Feed> = HashMap::with_capacity(feeds.len());
    let second =
        feeds
            .iter()
            .enumerate()
            .find_map(|(at, feed)| match seen.get(&normal_url(&feed.url)) {
                Some(first) => Some((at, *first, feed)),
                None => {
                    seen.insert(normal_url(&feed.url), feed);
                    None
                }
            })?;
    let (at, first, feed) = second;
    let offset = toml::from_str::<UrlsIn>(text)
        .ok()
        .and_then(|urls| urls.feed.get(at).map(|url| url.url.span().start));
    Some(Problem::at(
        offset,
        format!(
            "feed `{}` has the address of feed `{}` above it ({}); remove one of the two \
             [[feed]] entries",
            sanitize_line(&feed.name),
            sanitize_line(&first.name),
            sanitize_line(&feed.url)
        ),
    ))
}

/// The `[[feed]]` tables of a document, made when there are none.
fn feed_tables(document: &mut DocumentMut) -> Result<&mut ArrayOfTables, String> {
    let item = document
        .entry("feed")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut()
        .ok_or_else(|| "`feed` must be [[feed]] tables".to_string())
}

/// Removes table `at`, keeping the comments above it that a blank line
/// sets apart from it (a heading of the file, or of a group of feeds):
/// they go above the table that follows; with none after it they are
/// returned, for the end of the file. Comments right
/// above the table go with it.
fn remove_keeping_apart_comments(tables: &mut ArrayOfTables, at: usize) -> Option<String> {
    let prefix = tables
        .get(at)
        .and_then(|table| table.decor().prefix())
        .and_then(|raw| raw.as_str())
        .unwrap_or("")
        .to_string();
    tables.remove(at);
    let split = prefix.rfind("\n\n")?;
    let kept = &prefix[..split + 2];
    if let Some(next) = tables.get_mut(at) {
        let old = next
            .decor()
            .prefix()
            .and_then(|raw| raw.as_str())
            .unwrap_or("")
            .to_string();
        next.decor_mut().set_prefix(format!("{kept}{old}"));
    } else {
        return Some(kept.to_string());
    }
    None
}

/// A feed as a `[[feed]]` table, with only the keys that say something.
fn table_of(feed: &Feed) -> Table {
    let mut table = Table::new();
    table.insert("url", value(feed.url.as_str()));
    table.insert("name", value(feed.name.trim()));
    if !feed.tags.is_empty() {
        let tags: Array = feed.tags.iter().map(String::as_str).collect();
        table.insert("tags", value(tags));
    }
    if feed.full_text {
        table.insert("full_text", value(true));
    }
    if let Some(folder) = &feed.folder {
        table.insert("folder", value(folder.as_str()));
    }
    table
}

/// The names taken so far, in lowercase, and for each base name the next
/// number to try: finding a free name for the thousandth feed of one name
/// costs a step or two, not a thousand looks at a thousand feeds.
#[derive(Default)]
struct Names {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Names {
    /// Marks `name` as taken.
    fn take(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// `feed`'s name without control characters (the host when nothing is
    /// left), with ` 2`, ` 3`… when it is taken already; taken from now on.
    fn free(&mut self, feed: &Feed) -> String {
        let cleaned: String = feed.name.chars().filter(|c| !c.is_control()).collect();
        let base = match cleaned.trim() {
            "" => host_of(&feed.url).to_string(),
            name => name.to_string(),
        };
        let key = base.to_lowercase();
        let mut name = base.clone();
        if self.taken.contains(&key) {
            let mut n = self.next.get(&key).copied().unwrap_or(2);
            loop {
                name = format!("{base} {n}");
                n += 1;
                if !self.taken.contains(&name.to_lowercase()) {
                    break;
                }
            }
            self.next.insert(key, n);
        }
        self.take(&name);
        name
    }
}

/// The feed of `feeds` with this name (in any case) or address.
pub fn find<'a>(feeds: &'a [Feed], name_or_url: &str) -> Option<&'a Feed> {
    feeds
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name_or_url.trim()) || same_url(&f.url, name_or_url))
}

/// Whether two URLs name the same feed: the same text, ignoring the case of
/// the scheme and host and a trailing slash.
fn same_url(a: &str, b: &str) -> bool {
    normal_url(a) == normal_url(b)
}

/// A URL as [`same_url`] compares it.
fn normal_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn store() -> (tempfile::TempDir, FeedStore) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = FeedStore::new(dir.path().join("feeds.toml"));
        (dir, store)
    }

    #[test]
    fn two_entries_of_one_address_are_refused_at_the_second() {
        let (_dir, store) = store();
        let text = "[[feed]]\nurl = \"https://a.example/feed\"\nname = \"A\"\n\n\
                    [[feed]]\nurl = \"https://b.example/feed\"\n\n\
                    [[feed]]\nname = \"Again\"\nurl = \"HTTPS://A.example/feed/\"\n";
        std::fs::write(store.path(), text).expect("write feeds");
        let message = store.load().expect_err("a repeated address").to_string();
        assert!(message.contains("line 10, column 7"), "{message}");
        assert!(message.contains("`Again`"), "{message}");
        assert!(message.contains("`A`"), "{message}");
        // The second entry can still be taken away, and then all is well.
        store.remove("Again").expect("remove the second");
        assert_eq!(store.load().expect("loads").len(), 2);
    }

    #[test]
    fn a_feed_is_added_once_and_removed_by_name_or_url() {
        let (_dir, store) = store();
        assert_eq!(store.load().ok(), Some(Vec::new()));
        let feed = Feed {
            tags: vec!["news".into()],
            full_text: true,
            ..Feed::new("https://Example.com/feed.xml")
        };
        assert_eq!(feed.name, "Example.com");
        assert_eq!(
            store.add(feed.clone()).ok(),
            Some(Added::Added(feed.clone()))
        );
        let again = store.add(Feed::new("https://example.com/feed.xml/"));
        assert_eq!(again.ok(), Some(Added::AlreadyThere(feed.clone())));
        assert_eq!(store.load().ok(), Some(vec![feed.clone()]));
        assert_eq!(store.remove("example.com").ok(), Some(Some(feed.clone())));
        assert_eq!(store.remove("example.com").ok(), Some(None));
        assert_eq!(store.load().ok(), Some(Vec::new()));
    }

    #[test]
    fn a_new_file_starts_with_what_it_is() {
        let (_dir, store) = store();
        assert!(store.add(Feed::new("https://a.example/rss")).is_ok());
        assert!(store.add(Feed::new("https://b.example/rss")).is_ok());
        assert!(store.remove("a.example").is_ok());
        let text = fs::read_to_string(store.path()).unwrap_or_default();
        assert!(text.starts_with(HEADER), "{text}");
        assert!(
            text.ends_with("[[feed]]\nurl = \"https://b.example/rss\"\nname = \"b.example\"\n"),
            "{text}"
        );
    }

    #[test]
    fn comments_and_order_survive_an_add_and_a_remove() {
        let (_dir, store) = store();
        let text = "# my feeds\n\n[[feed]]\n# the daily one\nurl = \"https://a.example/rss\"\nname = \"A\"\n\n[[feed]]\nurl = \"https://b.example/atom\" # B's atom\n";
        fs::write(store.path(), text).unwrap_or_else(|e| panic!("{e}"));
        assert!(store.add(Feed::new("https://c.example/feed")).is_ok());
        let after = fs::read_to_string(store.path()).unwrap_or_default();
        assert!(after.starts_with(text), "{after}");
        assert!(
            after.ends_with("[[feed]]\nurl = \"https://c.example/feed\"\nname = \"c.example\"\n"),
            "{after}"
        );
        assert!(store.remove("A").is_ok_and(|removed| removed.is_some()));
        let after = fs::read_to_string(store.path()).unwrap_or_default();
        assert!(
            after.contains("# my feeds") && after.contains("# B's atom"),
            "{after}"
        );
        assert!(!after.contains("a.example"), "{after}");
        let names: Vec<String> = store
            .load()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["b.example", "c.example"]);
    }

    #[test]
    fn the_heading_of_a_file_stays_when_its_only_feed_goes() {
        let (_dir, store) = store();
        let text = "# my feeds\n\n[[feed]]\nurl = \"https://a.example/rss\"\n";
        fs::write(store.path(), text).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            store
                .remove("a.example")
                .is_ok_and(|removed| removed.is_some())
        );
        let after = fs::read_to_string(store.path()).unwrap_or_default();
        assert!(after.contains("# my feeds"), "{after:?}");
        assert_eq!(store.load().ok(), Some(Vec::new()));
    }

    #[test]
    fn bad_urls_names_and_files_are_refused_with_a_reason() {
        let (_dir, store) = store();
        for url in [
            "file:///etc/passwd",
            "ftp://x.example/f",
            "https://",
            "https://a b",
        ] {
            assert!(store.add(Feed::new(url)).is_err(), "{url}");
        }
        assert!(store.add(Feed::new("https://a.example/1")).is_ok());
        let clash = Feed {
            name: "A.EXAMPLE".into(),
            ..Feed::new("https://a.example/2")
        };
        let err = store
            .add(clash)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("named `a.example` is there already"), "{err}");
        fs::write(store.path(), "[[feed]]\nurl = 3\n").unwrap_or_else(|e| panic!("{e}"));
        let err = store
            .load()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("line 2, column 7"), "{err}");
        let before = fs::read_to_string(store.path()).unwrap_or_default();
        assert!(store.add(Feed::new("https://b.example/")).is_err());
        assert_eq!(
            fs::read_to_string(store.path()).unwrap_or_default(),
            before,
            "left as it was"
        );
    }

    #[test]
    fn one_address_check_refuses_slips_that_another_reading_would_take() {
        for good in [
            "http://127.0.0.1:8080/x",
            "HTTPS://Example.com/feed",
            "http://[::1]:8080/feed",
            "http://10.0.0.1/feed",
        ] {
            assert_eq!(check_url(good), Ok(()), "{good}");
        }
        for slip in [
            "http:127.0.0.1:8080/x",
            "http:/127.0.0.1/x",
            "http:8080//127.0.0.1/x",
            "http://2130706433/x",
            "http://0x7f.0.0.1/x",
            "http://127.1/x",
            "http://0.0.31.144/x",
            "http://0/x",
        ] {
            assert!(check_url(slip).is_err(), "{slip}");
        }
    }

    #[test]
    fn an_import_of_one_name_many_times_numbers_the_names_in_order() {
        let (_dir, store) = store();
        assert!(
            store
                .add(Feed {
                    name: "Same 3".into(),
                    ..Feed::new("http://127.0.0.1/taken")
                })
                .is_ok()
        );
        let feeds: Vec<Feed> = (0..6)
            .map(|n| Feed {
                name: if n == 5 { "SAME".into() } else { "Same".into() },
                ..Feed::new(format!("http://127.0.0.1/{n}"))
            })
            .collect();
        let names: Vec<String> = store
            .add_all(feeds)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|added| match added {
                Ok(Added::Added(feed)) => Some(feed.name),
                _ => None,
            })
            .collect();
        assert_eq!(
            names,
            ["Same", "Same 2", "Same 4", "Same 5", "Same 6", "SAME 7"]
        );
    }
}
