//! The config file as a user meets it: the fixture folders, the documented
//! `config.toml` of the repository, and the lookup order.

use std::path::{Path, PathBuf};

use broadsheet::config::Theme;
use broadsheet::config::{
    self, Config, ConfigSource, DEFAULT_MAX_ARTICLE_SIZE, LibraryConfig, ListWidth, Orientation,
};
use broadsheet::keys::{Action, Key};
use broadsheet::library::{ListColumn, SortOrder};
use ratatui::style::Color;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.toml` files of a fixture folder, sorted so failures read in order.
fn fixtures(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests").join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {folder}");
    files
}

#[test]
fn every_valid_fixture_loads() {
    for path in fixtures("valid_configs") {
        if let Err(error) = config::load(ConfigSource::Flag(path.clone())) {
            panic!("{} should load: {error}", path.display());
        }
    }
}

#[test]
fn every_invalid_fixture_fails_with_the_error_its_first_line_names() {
    let mut failures = Vec::new();
    for path in fixtures("invalid_configs") {
        let bytes = std::fs::read(&path).unwrap();
        let first_line = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap());
        let expected = first_line
            .strip_prefix("# error: ")
            .unwrap_or_else(|| panic!("{} lacks a `# error:` first line", path.display()));
        match config::load(ConfigSource::Flag(path.clone())) {
            Ok(_) => failures.push(format!("{}: loaded, should fail", path.display())),
            Err(error) => {
                let shown = error.to_string();
                let named = shown.starts_with(&format!("{}:", path.display()));
                if !named || !shown.contains(expected) {
                    failures.push(format!(" expected: {expected}\n      got: {shown}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn empty_bom_and_crlf_files_read_like_plain_ones() {
    let load = |name: &str| {
        config::load(ConfigSource::Flag(
            repo().join("tests/valid_configs").join(name),
        ))
        .unwrap()
    };
    let empty = load("empty.toml");
    assert_eq!(empty.display, Config::default().display);
    assert_eq!(empty.keys, Config::default().keys);

    assert_eq!(load("bom.toml").display.sort, SortOrder::Title);

    let crlf = load("crlf.toml");
    assert_eq!(crlf.library.max_article_size, 2 * 1024 * 1024);
    assert_eq!(
        crlf.keys.keys_for(Action::Quit),
        &[Key::char('q'), Key::ctrl('q')]
    );
    assert_eq!(crlf.views.len(), 1);
    assert_eq!(crlf.views[0].query.trim_end(), "is:unread");
}

#[test]
fn the_full_fixture_sets_every_table() {
    let dir = repo().join("tests/valid_configs");
    let config = config::load(ConfigSource::Flag(dir.join("full.toml"))).unwrap();
    assert_eq!(config.library.articles, dir.join("news"));
    assert_eq!(config.library.bookmarks, dir.join("data/bookmarks.toml"));
    assert_eq!(
        config.library.state,
        Path::new("/tmp/broadsheet-state.toml")
    );
    assert_eq!(config.library.feeds, dir.join("data/feeds.toml"));
    assert_eq!(config.library.max_article_size, 1_048_576);
    assert_eq!(config.library.cache, Some(dir.join("cache")));
    assert_eq!(config.display.date_format, "%e %b %Y");
    assert_eq!(config.display.sort, SortOrder::Oldest);
    assert!(!config.display.mark_read_on_open);
    assert!(!config.display.hyperlinks);
    assert_eq!(config.display.max_width, 0);
    assert_eq!(
        config.display.list_columns,
        [ListColumn::Title, ListColumn::Categories, ListColumn::Date]
    );
    assert_eq!(config.layout.list_width, ListWidth::Columns(48));
    assert_eq!(config.layout.orientation, Orientation::Vertical);
    assert_eq!(config.theme.selected_bg, Color::Rgb(0xff, 0xd7, 0x5f));
    assert_eq!(config.theme.meta, Color::Indexed(244));
    assert_eq!(config.theme.dim, Color::DarkGray);
    assert_eq!(config.keys.keys_for(Action::Search), &[Key::char('f')]);
    assert!(config.keys.keys_for(Action::Reload).is_empty());
    let names: Vec<&str> = config.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["unread", "this year", "reading-list", "fiction"]);
    assert_eq!(config.source, ConfigSource::Flag(dir.join("full.toml")));
}

#[test]
fn the_repository_config_is_the_built_in_defaults_but_for_the_sample_folder() {
    let path = repo().join("config.toml");
    let config = config::load(ConfigSource::WorkingDir(path.clone())).unwrap();
    // The four locations are set, beside the file, so that `cargo run` in
    // the repository opens its samples and keeps their marks there.
    let expected = Config {
        library: LibraryConfig {
            articles: repo().join("articles"),
            bookmarks: repo().join("bookmarks.toml"),
            state: repo().join("state.toml"),
            feeds: repo().join("feeds.toml"),
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
            cache: Config::default().library.cache,
        },
        source: ConfigSource::WorkingDir(path),
        library_set: vec![
            "articles",
            "bookmarks",
            "state",
            "feeds",
            "max_article_size",
            "cache",
        ],
        ..Config::default()
    };
    assert_eq!(config, expected);
}

#[test]
fn the_repository_config_shows_every_setting() {
    let text = std::fs::read_to_string(repo().join("config.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let section = |name: &str| table[name].as_table().unwrap().clone();
    let has_all = |name: &str, settings: &[&str]| {
        let present = section(name);
        for setting in settings {
            assert!(present.contains_key(*setting), "[{name}] lacks {setting}");
        }
        assert_eq!(present.len(), settings.len(), "[{name}] has extra settings");
    };
    has_all(
        "library",
        &[
            "articles",
            "bookmarks",
            "state",
            "feeds",
            "max_article_size",
            "cache",
        ],
    );
    has_all(
        "display",
        &[
            "date_format",
            "sort",
            "mark_read_on_open",
            "hyperlinks",
            "bookmark_mark",
            "unread_mark",
            "max_width",
            "list_columns",
        ],
    );
    has_all("layout", &["list_width", "orientation"]);
    has_all("theme", Theme::FIELDS);
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
    has_all("keys", &actions);
    assert!(section("views").is_empty());
    // Each setting has a comment above it saying what it does.
    for line in text
        .lines()
        .filter(|l| l.contains(" = ") && !l.starts_with('#'))
    {
        let index = text.lines().position(|l| l == line).unwrap();
        let above = text.lines().nth(index - 1).unwrap();
        let grouped = above.contains(" = ") && !above.starts_with('#');
        assert!(
            above.starts_with('#') || grouped,
            "no comment above `{line}`"
        );
    }
}

#[test]
fn the_repository_config_describes_each_action_as_the_help_does() {
    let text = std::fs::read_to_string(repo().join("config.toml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for action in Action::ALL {
        let binding = format!("{} = ", action.name());
        let index = lines
            .iter()
            .position(|line| line.starts_with(&binding))
            .unwrap_or_else(|| panic!("config.toml does not bind {action}"));
        assert_eq!(
            lines[index - 1],
            format!("# {}.", action.description()),
            "comment above {action}"
        );
    }
}

#[test]
fn without_a_file_the_library_is_in_the_data_folder() {
    let config = config::load(ConfigSource::Defaults).unwrap();
    assert!(config.library.articles.ends_with("broadsheet/articles"));
    assert!(
        config
            .library
            .bookmarks
            .ends_with("broadsheet/bookmarks.toml")
    );
    assert!(config.library.state.ends_with("broadsheet/state.toml"));
    assert_eq!(config.source, ConfigSource::Defaults);
}

#[test]
fn locate_follows_the_lookup_order() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("project");
    let user = dir.path().join("config-home");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(user.join("broadsheet")).unwrap();
    let here = cwd.join("config.toml");
    let mine = user.join("broadsheet/config.toml");
    let flag = Some(Path::new("flag.toml"));
    let env = Some(Path::new("/etc/env.toml"));
    let empty_env = Some(Path::new(""));
    let user_dir = Some(user.as_path());

    type Case<'a> = (
        &'a str,
        Option<&'a Path>,
        Option<&'a Path>,
        Option<&'a Path>,
        ConfigSource,
    );
    let table = |on_disk: &str| -> Vec<Case> {
        let flagged = ConfigSource::Flag(cwd.join("flag.toml"));
        let from_env = ConfigSource::Env(PathBuf::from("/etc/env.toml"));
        let fallback = match on_disk {
            "both" | "cwd" => ConfigSource::WorkingDir(here.clone()),
            "user" => ConfigSource::User(mine.clone()),
            _ => ConfigSource::Defaults,
        };
        let without_user = match on_disk {
            "both" | "cwd" => ConfigSource::WorkingDir(here.clone()),
            _ => ConfigSource::Defaults,
        };
        vec![
            ("flag beats all", flag, env, user_dir, flagged),
            ("env beats files", None, env, user_dir, from_env),
            (
                "empty env is unset",
                None,
                empty_env,
                user_dir,
                fallback.clone(),
            ),
            ("files", None, None, user_dir, fallback),
            ("no user dir", None, None, None, without_user),
        ]
    };

    let run = |on_disk: &str| {
        for (what, flag, env, user, expected) in table(on_disk) {
            assert_eq!(
                config::locate(flag, env, &cwd, user),
                expected,
                "{what} ({on_disk} on disk)"
            );
        }
    };
    run("none");
    std::fs::write(&mine, "").unwrap();
    run("user");
    std::fs::write(&here, "[library]\n").unwrap();
    run("both");
    std::fs::remove_file(&mine).unwrap();
    run("cwd");

    // A folder named config.toml is not a config file.
    std::fs::remove_file(&here).unwrap();
    std::fs::create_dir(&here).unwrap();
    run("none");
}

#[test]
fn a_missing_flag_or_env_file_is_an_error_not_a_fallback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    let source = config::locate(Some(Path::new("missing.toml")), None, dir.path(), None);
    let error = config::load(source).unwrap_err();
    assert!(
        error.to_string().contains("config file not found"),
        "{error}"
    );
    let source = config::locate(None, Some(Path::new("gone.toml")), dir.path(), None);
    let error = config::load(source).unwrap_err();
    assert!(error.to_string().contains("$BROADSHEET_CONFIG"), "{error}");
}

#[test]
fn a_foreign_config_in_the_working_folder_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("project");
    let user = dir.path().join("config-home");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(user.join("broadsheet")).unwrap();
    let here = cwd.join("config.toml");
    let mine = user.join("broadsheet/config.toml");
    std::fs::write(&here, "[server]\nport = 8080\n").unwrap();
    assert_eq!(
        config::locate(None, None, &cwd, Some(&user)),
        ConfigSource::Defaults,
        "a project's config.toml is not broadsheet's"
    );
    std::fs::write(&mine, "[display]\nsort = \"title\"\n").unwrap();
    assert_eq!(
        config::locate(None, None, &cwd, Some(&user)),
        ConfigSource::User(mine.clone()),
        "the lookup falls through to the user's config"
    );
    let passed = config::passed_over(&ConfigSource::User(mine.clone()), &cwd)
        .expect("the file is said to be passed over");
    assert_eq!(passed.path, here);
    assert!(passed.to_string().contains("[server]"), "{passed}");

    // A broadsheet configuration is taken, even with a mistake in it, so
    // that the mistake is reported.
    std::fs::write(&here, "[display]\nsort = \"sideways\"\n").unwrap();
    assert_eq!(
        config::locate(None, None, &cwd, Some(&user)),
        ConfigSource::WorkingDir(here.clone())
    );
    assert!(config::passed_over(&ConfigSource::WorkingDir(here.clone()), &cwd).is_none());

    // Named explicitly, a foreign file is an error, not a fallback.
    std::fs::write(&here, "[server]\nport = 8080\n").unwrap();
    for source in [
        config::locate(Some(Path::new("config.toml")), None, &cwd, Some(&user)),
        config::locate(None, Some(&here), &cwd, Some(&user)),
    ] {
        let error = config::load(source).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}:1:", here.display()))
                && error.contains("unknown table `[server]`"),
            "{error}"
        );
    }
}

#[test]
fn without_a_file_every_library_path_is_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let config = config::discover_in(None, dir.path(), &|_| None).unwrap();
    assert_eq!(config.source, ConfigSource::Defaults);
    // `./articles` of the working folder, named in full in messages.
    assert_eq!(config.library.articles, dir.path().join("articles"));
    for path in [
        &config.library.bookmarks,
        &config.library.state,
        &config.library.feeds,
    ] {
        assert!(path.is_absolute(), "{}", path.display());
    }
}
