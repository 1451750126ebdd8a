//! The reader with its cache, without a terminal: the loader's events as
//! the loader thread sends them, handed to `App` as the run loop does.

mod reader;

use std::fs;
use std::path::{Path, PathBuf};

use reader::*;

use broadsheet::config::Config;
use broadsheet::tui::app::{App, Event};
use broadsheet::tui::loading::Loader;

/// A copy of the samples in a folder of its own, and a cache folder.
struct Setup {
    _folder: tempfile::TempDir,
    _cache: tempfile::TempDir,
    root: PathBuf,
    config: Config,
}

impl Setup {
    fn new() -> Setup {
        let folder = tempfile::tempdir().expect("a folder");
        let cache = tempfile::tempdir().expect("a cache folder");
        let root = folder.path().join("articles");
        fs::create_dir(&root).expect("the articles folder");
        for entry in fs::read_dir(samples_dir()).expect("the samples") {
            let path = entry.expect("a sample").path();
            if let Some(name) = path.file_name() {
                fs::copy(&path, root.join(name)).expect("a copy");
            }
        }
        let mut config = config_for(&root);
        config.library.cache = Some(cache.path().to_path_buf());
        Setup {
            _folder: folder,
            _cache: cache,
            root,
            config,
        }
    }

    /// The folder's own cache folder.
    fn cache_folder(&self) -> PathBuf {
        self.config
            .library
            .cache_folder()
            .expect("a cache folder for an existing folder")
    }
}

/// A reader fed `events`, at 120x40.
fn reader_with(config: &Config, events: Vec<Event>) -> App {
    let mut app = App::new(config.clone());
    resize(&mut app, 120, 40);
    for event in events {
        send(&mut app, event);
    }
    app
}

fn notices(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Notice(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn write_article(root: &Path, name: &str, title: &str) {
    let text = format!(" date 2030-01-01 | Tagged: fresh\n\n{title}\n\nA body.\n");
    fs::write(root.join(name), text).expect("an article");
}

#[test]
fn the_first_start_writes_the_cache_and_the_next_starts_from_it_with_the_texts() {
    let setup = Setup::new();
    let first = start_events(&mut Loader::new(setup.config.clone()));
    assert!(notices(&first).is_empty(), "{:?}", notices(&first));
    assert!(
        setup.cache_folder().join("summaries.bin").is_file(),
        "the cache was written"
    );
    // The next start: the list and the texts come from the cache at once,
    // in the first event.
    let mut events = start_events(&mut Loader::new(setup.config.clone())).into_iter();
    let Some(Event::SummariesLoaded(summaries)) = events.next() else {
        panic!("the list comes first");
    };
    assert!(
        summaries.library.has_texts(),
        "the texts came with the list"
    );
    let mut app = reader_with(&setup.config, vec![Event::SummariesLoaded(summaries)]);
    assert!(!app.reading_texts());
    assert_eq!(app.visible().len(), 5);
    // A text search works on the cached texts.
    press(&mut app, ratatui::crossterm::event::KeyCode::Char('/'));
    type_text(&mut app, "\"blooper reel\"");
    assert_eq!(app.visible().len(), 2);
}

#[test]
fn a_file_added_while_the_reader_runs_arrives_unread_with_the_selection_kept() {
    let setup = Setup::new();
    start_events(&mut Loader::new(setup.config.clone()));
    let mut loader = Loader::new(setup.config.clone());
    let mut app = reader_with(&setup.config, start_events(&mut loader));
    press(&mut app, ratatui::crossterm::event::KeyCode::Char('j'));
    let selected = selected_id(&app);
    write_article(&setup.root, "zz_new.txt", "Something New");
    for event in check_events(&mut loader) {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), 6);
    assert_eq!(selected_id(&app), selected, "the selection stays");
    assert_eq!(app.message().map(|m| m.text.as_str()), Some("+1 new"));
    assert!(!app.marks().read.contains("zz_new.txt"));
    // Deleted: it goes, and nothing else moves.
    fs::remove_file(setup.root.join("zz_new.txt")).expect("a delete");
    for event in check_events(&mut loader) {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), 5);
    assert_eq!(selected_id(&app), selected);
    assert_eq!(app.message().map(|m| m.text.as_str()), Some("1 gone"));
}

/// A link to `/` made while the reader runs: the next check skips it with
/// a warning naming it, instead of taking in the whole machine.
#[test]
fn a_link_to_the_root_made_while_the_reader_runs_is_skipped_with_a_warning() {
    let setup = Setup::new();
    let mut loader = Loader::new(setup.config.clone());
    let mut app = reader_with(&setup.config, start_events(&mut loader));
    assert_eq!(app.visible().len(), 5);
    std::os::unix::fs::symlink("/", setup.root.join("everything")).expect("a link to /");
    for event in check_events(&mut loader) {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), 5, "only the folder's own articles");
    let warnings: Vec<String> = app
        .library()
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("everything: symbolic link to /,") && w.contains("skipped")),
        "{warnings:?}"
    );
}

#[test]
fn a_damaged_cache_is_said_and_rebuilt() {
    let setup = Setup::new();
    start_events(&mut Loader::new(setup.config.clone()));
    let summaries = setup.cache_folder().join("summaries.bin");
    let mut bytes = fs::read(&summaries).expect("the cache");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    fs::write(&summaries, bytes).expect("a damaged cache");
    let events = start_events(&mut Loader::new(setup.config.clone()));
    let said = notices(&events);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("summaries.bin") && said[0].starts_with("rebuilding the cache: "),
        "{said:?}"
    );
    let app = reader_with(&setup.config, events);
    assert_eq!(app.visible().len(), 5, "the folder is read instead");
    // Rebuilt: the next start opens it without a word.
    let again = start_events(&mut Loader::new(setup.config.clone()));
    assert!(notices(&again).is_empty(), "{:?}", notices(&again));
}

#[test]
fn a_cache_that_cannot_be_written_is_said_once_and_the_reader_works_without() {
    let mut setup = Setup::new();
    // A file where the cache folder would go: no user can write there.
    let blocked = setup.root.with_file_name("not-a-folder");
    fs::write(&blocked, "a file").expect("a file");
    setup.config.library.cache = Some(blocked.join("cache"));
    let mut loader = Loader::new(setup.config.clone());
    let events = start_events(&mut loader);
    let said = notices(&events);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("running without a cache"), "{said:?}");
    let mut app = reader_with(&setup.config, events);
    assert_eq!(app.visible().len(), 5);
    write_article(&setup.root, "zz_new.txt", "Something New");
    let later = check_events(&mut loader);
    assert!(
        notices(&later).is_empty(),
        "said once: {:?}",
        notices(&later)
    );
    for event in later {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), 6);
}

#[test]
fn a_damaged_word_index_is_said_and_rebuilt_and_searches_stay_right() {
    let setup = Setup::new();
    start_events(&mut Loader::new(setup.config.clone()));
    let words = setup.cache_folder().join("words.bin");
    let mut bytes = fs::read(&words).expect("the word index");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    fs::write(&words, bytes).expect("a damaged word index");
    let events = start_events(&mut Loader::new(setup.config.clone()));
    let said = notices(&events);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("words.bin") && said[0].starts_with("rebuilding the cache: "),
        "{said:?}"
    );
    let mut app = reader_with(&setup.config, events);
    press(&mut app, ratatui::crossterm::event::KeyCode::Char('/'));
    type_text(&mut app, "\"blooper reel\"");
    assert_eq!(app.visible().len(), 2);
    // Rebuilt: the next start opens it without a word.
    let again = start_events(&mut Loader::new(setup.config.clone()));
    assert!(notices(&again).is_empty(), "{:?}", notices(&again));
}

#[test]
fn a_search_typed_during_the_start_up_check_leaves_the_lookup_by_id_to_the_loader() {
    use ratatui::crossterm::event::KeyCode;
    use std::sync::mpsc;

    let setup = Setup::new();
    start_events(&mut Loader::new(setup.config.clone()));
    // The next start, held right after the list: the word index, the
    // lookup by id and the check of the folder, which follow it on the
    // loader's thread, have not begun while the person types.
    let (listed_tx, listed_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let config = setup.config.clone();
    let loader = std::thread::spawn(move || {
        let mut later = Vec::new();
        Loader::new(config).load(&|_| {}, &mut |event| {
            if matches!(event, Event::SummariesLoaded(_)) {
                let sent = listed_tx.send(event).is_ok();
                let _ = go_rx.recv();
                return sent;
            }
            later.push(event);
            true
        });
        later
    });
    let listed = listed_rx.recv().expect("the list");
    let mut app = reader_with(&setup.config, vec![listed]);
    let wanted = "003_97ddbb98e762d2b5.txt";
    for _ in 0..app.visible().len() {
        if selected_id(&app) == wanted {
            break;
        }
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(selected_id(&app), wanted);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "blooper");
    // The search is shown with the selection kept on its article...
    let query = broadsheet::library::query::parse("blooper").expect("a query");
    let order = app.library().order(app.sort());
    let found = app.library().matching(&query, app.marks(), &order);
    assert_eq!(found.len(), 3);
    assert_eq!(app.visible(), found);
    assert_eq!(selected_id(&app), wanted);
    // ...and the keystrokes did not build the lookup by id themselves (at
    // a million articles, half a second of the UI thread): the loader
    // builds it after the list.
    assert_eq!(app.library().position_if_ready(wanted), None);
    go_tx.send(()).expect("the loader waits");
    let later = loader.join().expect("the loader ends");
    for event in later {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), 3);
    assert_eq!(selected_id(&app), wanted);
}
