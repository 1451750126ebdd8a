//! The sync engine against a small model of a server (tests/common/
//! sync_model.rs): items with ids and read and starred flags, pages after a
//! cursor, refusals and faults the test arranges, and a count of requests.
//! The engine sees only the `Service` trait, as it sees every protocol.

use std::collections::BTreeSet;
use std::path::PathBuf;

use broadsheet::article::{Article, Format};
use broadsheet::store::{Bookmark, BookmarkStore, ReadStore};
use broadsheet::sync::engine::{self, Failure, Setup, Summary};
use broadsheet::sync::service::Flag;
use broadsheet::sync::state::account_feeds;

#[path = "common/sync_model.rs"]
mod sync_model;
#[path = "common/sync_setup.rs"]
mod sync_setup;

use sync_model::{Model, URL};

/// A folder with articles, marks and the sync's files.
struct Place {
    _dir: tempfile::TempDir,
    root: PathBuf,
    setup: Setup,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().to_path_buf();
        let setup = sync_setup::setup_in(&root, 4);
        Place {
            _dir: dir,
            root,
            setup,
        }
    }

    fn sync(&self, model: &mut Model) -> Result<Summary, Failure> {
        engine::sync(model, &self.setup, &mut |_| {})
    }

    fn synced(&self, model: &mut Model) -> Summary {
        match self.sync(model) {
            Ok(summary) => summary,
            Err(failure) => panic!("the sync failed: {}", failure.message),
        }
    }

    /// Every article file, by id (path under the articles folder).
    fn files(&self) -> Vec<String> {
        let mut files = Vec::new();
        let articles = self.root.join("articles");
        for folder in std::fs::read_dir(&articles).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = file.file_name().to_string_lossy().to_string();
                if name.ends_with(".md") {
                    files.push(format!("{}/{name}", folder.file_name().to_string_lossy()));
                }
            }
        }
        files.sort();
        files
    }

    /// The file of the item with this remote id.
    fn file_of(&self, id: &str) -> String {
        let wanted = format!("remote_id = \"{id}\"\n");
        self.files()
            .into_iter()
            .find(|file| self.text(file).contains(&wanted))
            .unwrap_or_else(|| panic!("no file for item {id}"))
    }

    /// Every article file by the remote id in its front matter.
    fn files_by_id(&self) -> std::collections::HashMap<String, String> {
        let mut found = std::collections::HashMap::new();
        for file in self.files() {
            let text = self.text(&file);
            if let Some(rest) = text.split("remote_id = \"").nth(1)
                && let Some(id) = rest.split('"').next()
            {
                found.insert(id.to_string(), file);
            }
        }
        found
    }

    fn text(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join("articles").join(file)).unwrap_or_default()
    }

    fn read_marks(&self) -> BTreeSet<String> {
        ReadStore::new(self.root.join("state.toml"))
            .load()
            .map(|loaded| loaded.value)
            .unwrap_or_default()
    }

    fn bookmarks(&self) -> BTreeSet<String> {
        BookmarkStore::new(self.root.join("bookmarks.toml"))
            .load()
            .map(|loaded| loaded.value.into_iter().map(|b| b.id).collect())
            .unwrap_or_default()
    }

    fn mark_read(&self, files: &[String], read: bool) {
        ReadStore::new(self.root.join("state.toml"))
            .set_read(files, read)
            .expect("the read marks are written");
    }

    fn bookmark(&self, file: &str) {
        BookmarkStore::new(self.root.join("bookmarks.toml"))
            .add(Bookmark::new(file, "t", None, chrono::Utc::now()))
            .expect("the bookmark is written");
    }

    fn waiting(&self) -> usize {
        engine::waiting(&self.setup)
            .map(|(journal, _)| journal.entries.len())
            .unwrap_or(usize::MAX)
    }
}

#[test]
fn a_first_sync_writes_every_item_as_an_article_with_its_feed_and_marks() {
    let place = Place::new();
    let mut model = Model::with_items(9);
    model.item("3").read = true;
    model.item("4").starred = true;
    let summary = place.synced(&mut model);
    assert_eq!(summary.new, 9);
    assert_eq!(summary.feeds, 2);
    assert_eq!(place.files().len(), 9);

    // Item 2 is World News's: its categories are the article's tags, the
    // feed its category and source, and the front matter keeps where it
    // came from.
    let file = place.file_of("2");
    assert!(file.starts_with("world-news/"), "{file}");
    let text = place.text(&file);
    assert!(text.contains("account = \"home\"\n"), "{text}");
    let article = match Article::from_bytes(
        file.clone(),
        PathBuf::from(&file),
        text.as_bytes(),
        Format::Markdown,
    ) {
        Ok(article) => article,
        Err(rejected) => panic!("{rejected}"),
    };
    assert_eq!(article.title, "Item number 2");
    assert_eq!(article.tags, ["News", "Daily"]);
    assert_eq!(article.source.as_deref(), Some("World News"));
    assert_eq!(article.url.as_deref(), Some("https://site.example/2"));
    assert!(
        article.folded.contains("body of item"),
        "{}",
        article.folded
    );

    // Read on the server, read here; starred there, bookmarked here.
    assert_eq!(place.read_marks(), BTreeSet::from([place.file_of("3")]));
    assert_eq!(place.bookmarks(), BTreeSet::from([place.file_of("4")]));
    assert_eq!(
        summary.line(),
        "9 new, 1 marked read here, 0 sent, 1 bookmarks changed here"
    );

    // The feeds are recorded for `feed list` and the feeds view.
    let account = broadsheet::config::Account {
        name: "home".into(),
        kind: broadsheet::config::AccountKind::Fever,
        url: URL.into(),
        user: "me".into(),
        password: broadsheet::config::PasswordSource::Env("X".into()),
    };
    let (feeds, warnings) = account_feeds(&place.root.join("feeds.toml"), &[account]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let titles: Vec<(&str, &str, Vec<String>)> = feeds
        .iter()
        .map(|(account, feed)| {
            (
                account.as_str(),
                feed.title.as_str(),
                feed.categories.clone(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("home", "Tech Daily", vec!["Tech".to_string()]),
            (
                "home",
                "World News",
                vec!["News".to_string(), "Daily".to_string()]
            ),
        ]
    );
}

#[test]
fn local_marks_reach_the_server_in_one_batch_per_kind() {
    let place = Place::new();
    let mut model = Model::with_items(60);
    place.synced(&mut model);
    let files: Vec<String> = (1..=50).map(|n| place.file_of(&n.to_string())).collect();
    place.mark_read(&files, true);
    place.bookmark(&place.file_of("7"));
    place.bookmark(&place.file_of("8"));
    assert_eq!(place.waiting(), 52, "counted without the network");

    let summary = place.synced(&mut model);
    assert_eq!(summary.line(), "0 new, 0 marked read here, 52 sent");
    assert_eq!(model.sends.len(), 2, "{:?}", model.sends);
    assert!(
        model
            .sends
            .iter()
            .any(|c| c.flag == Flag::Read && c.on && c.ids.len() == 50)
    );
    assert!(model.items.iter().take(50).all(|item| item.read));
    assert!(!model.items[50].read);
    assert!(model.item("7").starred && model.item("8").starred);
    assert_eq!(place.waiting(), 0);

    // And nothing is sent again.
    let again = place.synced(&mut model);
    assert_eq!((again.sent, model.sends.len()), (0, 2));
}

#[test]
fn the_server_state_reaches_the_marks_but_never_undoes_a_local_change() {
    let place = Place::new();
    let mut model = Model::with_items(6);
    model.item("1").read = true;
    place.synced(&mut model);
    let one = place.file_of("1");
    let two = place.file_of("2");
    let three = place.file_of("3");

    // Here: 1 made unread again, and the server refuses that change.
    place.mark_read(std::slice::from_ref(&one), false);
    model
        .refuse
        .insert("1".into(), "item is archived\u{1b}[31m".into());
    // There: 1 still read (an answer older than the change here), 2 read
    // and 3 starred on another device.
    model.item("2").read = true;
    model.item("3").starred = true;

    let summary = place.synced(&mut model);
    assert_eq!(summary.sent, 0);
    assert_eq!(summary.refused.len(), 1);
    assert_eq!(
        summary.refused[0].0, one,
        "the refused change names the article"
    );
    assert!(!summary.refused[0].1.contains('\u{1b}'));
    let read = place.read_marks();
    assert!(!read.contains(&one), "the local change was undone");
    assert!(read.contains(&two), "the server's read mark did not arrive");
    assert!(place.bookmarks().contains(&three));
    let bookmarks = BookmarkStore::new(place.root.join("bookmarks.toml"))
        .load()
        .map(|loaded| loaded.value)
        .unwrap_or_default();
    let titles: Vec<&str> = bookmarks.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, ["Item number 3"], "a bookmark names its article");
    assert_eq!(place.waiting(), 1, "the refused change is kept");

    // Once the server takes it, it is sent and the journal empties.
    model.refuse.clear();
    let summary = place.synced(&mut model);
    assert_eq!(summary.sent, 1);
    assert!(!model.item("1").read);
    assert!(!place.read_marks().contains(&one));
    assert_eq!(place.waiting(), 0);
}

#[test]
fn a_sync_with_nothing_new_costs_a_few_small_requests() {
    let place = Place::new();
    let mut model = Model::with_items(40);
    place.synced(&mut model);
    model.requests.clear();
    let summary = place.synced(&mut model);
    assert_eq!(summary.new, 0);
    assert!(
        model.total_requests() <= 5,
        "{} requests: {:?}",
        model.total_requests(),
        model.requests
    );
    assert_eq!(model.requests.get("items"), Some(&1));
    assert_eq!(model.cursors.last().map(String::as_str), Some("40"));
}

#[test]
fn items_the_server_gives_again_are_written_once() {
    let place = Place::new();
    let mut model = Model::with_items(10);
    model.repeat = true;
    let summary = place.synced(&mut model);
    assert_eq!(summary.new, 10);
    assert_eq!(place.files().len(), 10);
    let summary = place.synced(&mut model);
    assert_eq!(summary.new, 0);
    assert_eq!(place.files().len(), 10);
}

#[test]
fn a_stopped_first_sync_resumes_where_it_stopped() {
    let place = Place::new();
    let mut model = Model::with_items(14);
    model.items_fail_after = Some(2);
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(
        failure.message.contains("cannot reach"),
        "{}",
        failure.message
    );
    assert_eq!(failure.summary.new, 8);
    assert_eq!(place.files().len(), 8, "two pages of four written");

    model.items_fail_after = None;
    model.cursors.clear();
    let summary = place.synced(&mut model);
    assert_eq!(summary.new, 6);
    assert_eq!(place.files().len(), 14);
    assert_eq!(model.cursors.first().map(String::as_str), Some("8"));
}

#[test]
fn with_the_server_down_the_local_changes_wait_on_disk() {
    let place = Place::new();
    let mut model = Model::with_items(3);
    place.synced(&mut model);
    place.mark_read(&[place.file_of("2")], true);
    model.down = true;
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(
        failure.message.contains("1 local change waits"),
        "{}",
        failure.message
    );
    // In the journal file, before anything was sent.
    let journal = std::fs::read_to_string(&place.setup.paths.journal).unwrap_or_default();
    assert!(journal.contains("\"id\":\"2\""), "{journal}");
    model.down = false;
    let summary = place.synced(&mut model);
    assert_eq!(summary.sent, 1);
    assert!(model.item("2").read);
}

#[test]
fn a_short_retry_after_is_waited_out_a_long_one_named_and_a_wrong_password_asked_once() {
    let place = Place::new();
    let mut model = Model::with_items(2);
    model.busy = Some((1, 1));
    place.synced(&mut model);
    assert_eq!(
        model.requests.get("feeds"),
        Some(&2),
        "retried once after 1 s"
    );

    model.busy = Some((5, 3600));
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(
        failure.message.contains("wait 3600 s"),
        "{}",
        failure.message
    );

    model.busy = None;
    model.wrong_password = true;
    model.requests.clear();
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(failure.login);
    assert!(
        failure
            .message
            .contains("refused the user name or password")
    );
    assert_eq!(model.total_requests(), 1, "no retry storm");
}

#[test]
fn escape_sequences_in_any_field_are_cleaned() {
    let place = Place::new();
    let mut model = Model::with_items(1);
    model.feeds[0].title = "Tech\u{1b}]0;pwned\u{7} Daily".into();
    model.feeds[0].categories = vec!["T\u{1b}[2Jech".into()];
    let item = model.item("1");
    item.title = "Title\u{1b}[31m red\n+++\ntitle = \"forged\"".into();
    item.author = Some("A\u{9b}31mnn".into());
    item.html = "<p>x\u{1b}]8;;https://evil.example\u{7}y</p>".into();
    item.url = Some("javascript:alert(1)".into());
    place.synced(&mut model);
    let file = place.file_of("1");
    let text = place.text(&file);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'));
    assert!(!text.contains("javascript:"), "{text}");
    assert_eq!(text.matches("\n+++\n").count(), 1, "{text}");
}

#[test]
fn a_marks_file_that_cannot_be_read_stops_the_sync_before_anything_is_sent() {
    let place = Place::new();
    let mut model = Model::with_items(3);
    model.item("1").read = true;
    model.item("2").read = true;
    place.synced(&mut model);
    std::fs::write(place.root.join("state.toml"), "read = [\"unterminated\n")
        .expect("the test writes the file");
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(
        failure.message.contains("state.toml"),
        "{}",
        failure.message
    );
    assert!(model.sends.is_empty(), "marks read as empty were sent");
    assert!(model.item("1").read && model.item("2").read);
}

#[test]
fn two_syncs_of_one_account_never_run_at_once() {
    let place = Place::new();
    let _held = place.setup.paths.try_lock().ok().flatten();
    let mut model = Model::with_items(1);
    let failure = place.sync(&mut model).map(|_| ()).unwrap_err();
    assert!(
        failure.message.contains("another sync"),
        "{}",
        failure.message
    );
    assert_eq!(model.total_requests(), 0);
}

/// The figures of BENCHMARKS.md ("Sync"): a first sync of 10,000 items, a
/// sync with nothing new, and 1,000 read marks sent, with the engine's
/// default page size against the model (no network). Prints; asserts only
/// what it counts. `cargo test --release --test sync_engine -- --ignored
/// --nocapture figures`.
#[test]
#[ignore = "figures: run in release with --ignored --nocapture"]
fn figures_for_benchmarks() {
    use std::time::Instant;
    let mut place = Place::new();
    place.setup.page_size = engine::PAGE_SIZE;
    let mut model = Model::with_items(10_000);
    for n in (1..=10_000).step_by(3) {
        model.item(&n.to_string()).read = true;
    }
    let started = Instant::now();
    let summary = place.synced(&mut model);
    println!(
        "first sync: {} items in {:.2?}, {} requests",
        summary.new,
        started.elapsed(),
        model.total_requests()
    );
    model.requests.clear();
    let started = Instant::now();
    place.synced(&mut model);
    println!(
        "nothing new: {:.2?}, {} requests {:?}",
        started.elapsed(),
        model.total_requests(),
        model.requests
    );
    let unread: Vec<String> = model
        .items
        .iter()
        .filter(|item| !item.read)
        .take(1_000)
        .map(|item| item.id.clone())
        .collect();
    let by_id = place.files_by_id();
    let files: Vec<String> = unread
        .iter()
        .filter_map(|id| by_id.get(id).cloned())
        .collect();
    place.mark_read(&files, true);
    model.requests.clear();
    let started = Instant::now();
    let summary = place.synced(&mut model);
    println!(
        "1,000 read marks: {} sent in {:.2?}, {} send calls, {} requests",
        summary.sent,
        started.elapsed(),
        model.requests.get("send").copied().unwrap_or(0),
        model.total_requests()
    );
    assert_eq!(summary.sent, 1_000);
}

#[test]
fn lost_marks_files_are_put_back_never_sent_as_unread() {
    let place = Place::new();
    let mut model = Model::with_items(4);
    model.item("1").read = true;
    model.item("2").read = true;
    model.item("3").starred = true;
    place.synced(&mut model);
    std::fs::remove_file(place.root.join("state.toml")).expect("the read marks exist");
    std::fs::remove_file(place.root.join("bookmarks.toml")).expect("the bookmarks exist");
    let summary = place.synced(&mut model);
    assert!(model.sends.is_empty(), "{:?}", model.sends);
    assert!(model.item("1").read && model.item("2").read && model.item("3").starred);
    assert_eq!(
        place.read_marks(),
        BTreeSet::from([place.file_of("1"), place.file_of("2")])
    );
    assert_eq!(place.bookmarks(), BTreeSet::from([place.file_of("3")]));
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("state.toml is gone")),
        "{:?}",
        summary.warnings
    );
}

#[test]
fn the_journal_is_on_disk_before_anything_is_sent() {
    let place = Place::new();
    let mut model = Model::with_items(3);
    place.synced(&mut model);
    place.mark_read(&[place.file_of("1"), place.file_of("3")], true);
    model.watch_at_send = Some(place.setup.paths.journal.clone());
    place.synced(&mut model);
    assert_eq!(model.seen_at_send.len(), 1);
    let journal = &model.seen_at_send[0];
    assert!(
        journal.contains("\"id\":\"1\"") && journal.contains("\"id\":\"3\""),
        "{journal}"
    );
    // Emptied once the server took them.
    let after = std::fs::read_to_string(&place.setup.paths.journal).unwrap_or_default();
    assert!(!after.contains("\"id\""), "{after}");
}
