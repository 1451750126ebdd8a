//! Tests of reading config files: every table, every kind of mistake, the
//! lookup order, and the bundled config.toml against the settings tables.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use super::file::SECTIONS;
use super::reader::string_source_offset;
use super::*;
use crate::keys::{Action, Key, Keymap};
use crate::library::SortOrder;

fn parse_str(text: &str) -> Result<Config, ConfigError> {
    parse(text, None, Path::new("/base"))
}

fn error_of(text: &str) -> String {
    parse_str(text).unwrap_err().to_string()
}

#[test]
fn an_empty_file_gives_defaults_with_files_in_the_data_folder() {
    let config = parse_str("").unwrap();
    assert_eq!(config.library, LibraryConfig::default());
    assert!(config.library_set.is_empty());
    assert_eq!(config.display, DisplayConfig::default());
    assert_eq!(config.keys, Keymap::default());
    assert_eq!(config.source, ConfigSource::Defaults);
}

#[test]
fn errors_show_path_line_and_column_when_known() {
    let error = parse(
        "\n\n[library]\nartciles = 'x'\n",
        Some(Path::new("c.toml")),
        Path::new("/"),
    )
    .unwrap_err();
    assert_eq!((error.line, error.column), (Some(4), Some(1)));
    assert!(error.to_string().starts_with(
        "c.toml:4:1: unknown setting `artciles` in [library]; did you mean `articles`?"
    ));
    let no_path = ConfigError {
        path: None,
        line: Some(2),
        column: Some(3),
        message: "m".into(),
    };
    assert_eq!(no_path.to_string(), "2:3: m");
    let only_path = ConfigError::file(Some(Path::new("x")), "m");
    assert_eq!(only_path.to_string(), "x: m");
    assert_eq!(ConfigError::file(None, "m").to_string(), "m");
    // User text a message forgot to quote is still escaped.
    let raw = ConfigError::file(None, "`\u{1b}]0;x\u{7}\t` is bad");
    assert_eq!(raw.to_string(), "`\\u{1b}]0;x\\u{7}\\t` is bad");
}

#[test]
fn columns_count_characters_and_ignore_a_bom() {
    assert_eq!(line_column("ab\ncdé f", 9), (2, 6));
    assert_eq!(line_column("abc", 99), (1, 4));
    let error = error_of("\u{feff}x = 1");
    assert!(error.starts_with("1:1: "), "{error}");
    let error = error_of("[display]\nbookmark_mark = \"é\" # é\nunread_mark = 5\n");
    assert!(error.starts_with("3:15: "), "{error}");
}

#[test]
fn paths_are_relative_to_the_config_folder_and_expand_home() {
    let config = parse_str("[library]\narticles = \"news\"\nstate = \"/abs/s.toml\"\n").unwrap();
    assert_eq!(config.library.articles, Path::new("/base/news"));
    assert_eq!(config.library.state, Path::new("/abs/s.toml"));
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let config = parse_str("[library]\nbookmarks = \"~/b.toml\"\narticles = \"~\"").unwrap();
        assert_eq!(config.library.bookmarks, Path::new(&home).join("b.toml"));
        assert_eq!(config.library.articles, Path::new(&home));
    }
    let config = parse_str("[library]\narticles = \"~x/y\"\n").unwrap();
    assert_eq!(config.library.articles, Path::new("/base/~x/y"));
    assert!(error_of("[library]\narticles = \" \"").contains("2:12: `articles` is empty"));
}

#[test]
fn sizes_accept_bytes_and_units() {
    let cases: &[(&str, u64)] = &[
        ("2048", 2048),
        ("16 MiB", 16 << 20),
        ("16MiB", 16 << 20),
        ("500 kb", 500_000),
        ("2 KiB", 2048),
        ("1 GB", 1_000_000_000),
        ("1 GiB", 1 << 30),
        ("4096 B", 4096),
    ];
    for (text, bytes) in cases {
        assert_eq!(parse_size(text), Ok(*bytes), "{text}");
    }
    for bad in [
        "",
        "MiB",
        "1.5 MiB",
        "-1",
        "16 MiBs",
        "99999999999999999999",
        "18446744073709551615 GiB",
    ] {
        assert!(parse_size(bad).is_err(), "{bad}");
    }
    let config = parse_str("[library]\nmax_article_size = 4096").unwrap();
    assert_eq!(config.library.max_article_size, 4096);
    assert!(error_of("[library]\nmax_article_size = 10").contains("between 1 KiB and 1 GiB"));
    assert!(error_of("[library]\nmax_article_size = -5").contains("2:20: "));
    assert!(error_of("[library]\nmax_article_size = \"2 TiB\"").contains("unknown unit"));
}

#[test]
fn display_settings_are_checked() {
    let config = parse_str(
        "[display]\ndate_format = \"%e %b %Y\"\nsort = \"title\"\nmark_read_on_open = false\nbookmark_mark = \"B\"\nunread_mark = \"🔵\"\n",
    )
    .unwrap();
    assert_eq!(config.display.date_format, "%e %b %Y");
    assert_eq!(config.display.sort, SortOrder::Title);
    assert!(!config.display.mark_read_on_open);
    assert_eq!(config.display.unread_mark, "🔵");
    assert_eq!(
        config.display.max_width, 80,
        "text is 80 columns at most by default"
    );
    assert_eq!(
        parse_str("[display]\nmax_width = 0")
            .unwrap()
            .display
            .max_width,
        0
    );
    assert_eq!(
        parse_str("[display]\nmax_width = 66")
            .unwrap()
            .display
            .max_width,
        66
    );
    let cases: &[(&str, &str)] = &[
        ("date_format = \"%Q\"", "2:15: invalid date_format"),
        ("date_format = \"%H:%M\"", "time or time zone"),
        ("date_format = \"%Y%\"", "invalid date_format"),
        ("date_format = \"%Y%n%m\"", "line break"),
        ("date_format = \"%s\"", "time or time zone"),
        ("date_format = \"\\u001b[31m%Y\"", "control character"),
        ("sort = \"latest\"", "2:8: unknown sort `latest`"),
        (
            "sort = 1",
            "must be \"date\", \"oldest\" or \"title\", not an integer",
        ),
        (
            "mark_read_on_open = \"yes\"",
            "must be true or false, not a string",
        ),
        ("bookmark_mark = \"\"", "one or two columns"),
        ("bookmark_mark = \"***\"", "one or two columns"),
        ("unread_mark = \"\\u001b\"", "control"),
        ("unread_mark = \"a\\u202e\"", "invisible"),
        ("unread_mark = \"\\u0301\"", "one or two columns"),
        (
            "max_width = 10",
            "2:13: `max_width` must be 0 (no limit) or a number",
        ),
        ("max_width = 70000", "from 20 to 1000"),
        ("max_width = -1", "from 20 to 1000"),
        (
            "max_width = \"80\"",
            "must be 0 (no limit) or a number of columns from 20 to 1000, not a string",
        ),
    ];
    for (line, expected) in cases {
        let error = error_of(&format!("[display]\n{line}\n"));
        assert!(error.contains(expected), "{line}: {error}");
    }
}

#[test]
fn layout_settings_are_checked() {
    let config = parse_str("[layout]\nlist_width = 60\norientation = \"vertical\"").unwrap();
    assert_eq!(config.layout.list_width, ListWidth::Columns(60));
    assert_eq!(config.layout.orientation, Orientation::Vertical);
    let config = parse_str("[layout]\nlist_width = \"35%\"").unwrap();
    assert_eq!(config.layout.list_width, ListWidth::Percent(35));
    for bad in [
        "5", "501", "\"95%\"", "\"9%\"", "\"wide\"", "40.5", "-40", "\"%\"",
    ] {
        let error = error_of(&format!("[layout]\nlist_width = {bad}"));
        assert!(error.contains("2:14: `list_width`"), "{bad}: {error}");
        assert!(error.contains("10% to 90%"), "{bad}: {error}");
    }
    assert!(error_of("[layout]\norientation = \"diagonal\"").contains("unknown orientation"));
}

#[test]
fn list_width_gives_columns_of_a_screen() {
    assert_eq!(ListWidth::Percent(40).columns_of(100), 40);
    assert_eq!(ListWidth::Percent(90).columns_of(u16::MAX), 58981);
    assert_eq!(ListWidth::Columns(80).columns_of(60), 60);
}

#[test]
fn theme_colours_are_read() {
    let config =
        parse_str("[theme]\naccent = \"#102030\"\nerror = 196\ntitle = \"LightBlue\"").unwrap();
    assert_eq!(config.theme.accent, ratatui::style::Color::Rgb(16, 32, 48));
    assert_eq!(config.theme.error, ratatui::style::Color::Indexed(196));
    assert_eq!(config.theme.title, ratatui::style::Color::LightBlue);
    assert!(
        error_of("[theme]\naccent = \"purple\"")
            .contains("2:10: `accent`: `purple` is not a colour")
    );
    assert!(
        error_of("[theme]\naccent = 300")
            .contains("2:10: `accent`: colour numbers go from 0 to 255")
    );
    assert!(error_of("[theme]\naccent = true").contains("not a boolean"));
    assert!(error_of("[theme]\naccnet = \"red\"").contains("did you mean `accent`?"));
}

#[test]
fn keys_override_defaults() {
    let config =
        parse_str("[keys]\ndown = [\"ctrl-n\", \"down\"]\nsearch = \"g\"\nreload = []\n").unwrap();
    assert_eq!(
        config.keys.keys_for(Action::Down),
        &[Key::ctrl('n'), "down".parse().unwrap()]
    );
    assert_eq!(config.keys.keys_for(Action::Search), &[Key::char('g')]);
    assert_eq!(
        config.keys.keys_for(Action::Top),
        &["home".parse::<Key>().unwrap()]
    );
    assert!(config.keys.keys_for(Action::Reload).is_empty());
}

#[test]
fn key_mistakes_are_placed_and_explained() {
    let cases: &[(&str, &str)] = &[
        (
            "pagedown = \"x\"",
            "2:1: unknown action `pagedown` in [keys]; did you mean `page_down`?",
        ),
        ("down = \"ctrl-\"", "2:8: in `down`: `ctrl-` is not a key"),
        (
            "down = [\"j\", \"jj\"]",
            "2:14: in `down`: `jj` is not a key",
        ),
        (
            "down = [\"j\", 1]",
            "2:14: `down` in [keys] must be a key in quotes, not an integer",
        ),
        ("down = 1", "must be a key in quotes or a list of keys"),
        (
            "top = \"x\"\nbottom = [\"y\", \"X\", \"x\"]",
            "3:21: key `x` is bound to both `top` and `bottom`",
        ),
        ("quit = []", "2:1: no key is left for `quit`"),
    ];
    for (body, expected) in cases {
        let error = error_of(&format!("[keys]\n{body}\n"));
        assert!(error.contains(expected), "{body}: {error}");
    }
    assert!(
        error_of("[keys]\nhelp = [\"q\", \"ctrl-c\"]").contains("2:9: no key is left for `quit`")
    );
}

#[test]
fn unknown_tables_and_stray_settings_are_explained() {
    assert!(
        error_of("[libary]\n").contains("1:2: unknown table `[libary]`; did you mean `[library]`?")
    );
    assert!(error_of("[colours]\n").contains("the tables are [library]"));
    assert!(
        error_of("articles = \"x\"\n").contains("1:1: `articles` belongs in the [library] table")
    );
    assert!(error_of("zzz = 1\n").contains("unknown setting `zzz` outside any table"));
    assert!(error_of("library = 1\n").contains("1:11: `library` must be a table"));
    assert!(error_of("[[library]]\n").contains("must be a table"));
}

#[test]
fn views_keep_file_order_and_check_queries() {
    let text = r#"
[views]
zeta = "tag:fiction"
alpha = 'is:unread date:2024..'
"with space" = ""
"#;
    let config = parse_str(text).unwrap();
    let names: Vec<&str> = config.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha", "with space"]);
    assert_eq!(config.views[1].query, "is:unread date:2024..");
}

#[test]
fn a_bad_view_query_is_placed_inside_its_string() {
    let cases: &[(&str, &str)] = &[
        (r#"x = "a foo:bar""#, "2:8: view `x`: bad query"),
        (r#"x = "\"a\" foo:bar""#, "2:12: view `x`: bad query"),
        ("x = '''\nfoo:bar'''", "3:1: view `x`: bad query"),
        (r#"x = "(a""#, "view `x`: bad query"),
        (
            "x = 1",
            "`x` in [views] must be a query in quotes, not an integer",
        ),
        (r#"x = "a\u001bb""#, "2:7: view `x` has a control character"),
        (r#""" = "a""#, "2:1: a view name must be"),
    ];
    for (body, expected) in cases {
        let error = error_of(&format!("[views]\n{body}\n"));
        assert!(error.contains(expected), "{body}: {error}");
    }
}

#[test]
fn hostile_text_is_refused_without_panicking() {
    assert!(error_of("a = 1\nb = \"\0\"").contains("2:6: the file contains a NUL byte"));
    let deep = format!("a = {}", "[".repeat(100_000));
    assert!(error_of(&deep).contains("1:37: arrays or tables nested more than 32 deep"));
    let deep_tables = format!("a = {}", "{ b = ".repeat(100_000));
    assert!(error_of(&deep_tables).contains("nested more than"));
    let long_name = format!("[library]\n{} = 1", "x".repeat(3_000_000));
    assert!(error_of(&long_name).contains("unknown setting `xxxx"));
    assert!(error_of("[display").contains("invalid TOML"));
}

#[test]
fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
    let brackets = "[".repeat(100);
    let text = format!(
        "# {brackets}\n[display]\ndate_format = \"{brackets}\"\nbookmark_mark = '['\nunread_mark = \"\\\"\"\n"
    );
    assert!(
        error_of(&text).contains("date_format is longer"),
        "{}",
        error_of(&text)
    );
    let text = format!("[keys]\n\"{brackets}\" = '''\n{brackets}'''\n");
    assert!(!error_of(&text).contains("nested"));
}

#[test]
fn string_offsets_follow_escapes() {
    assert_eq!(string_source_offset("\"abc\"", 0), 1);
    assert_eq!(string_source_offset("\"abc\"", 2), 3);
    assert_eq!(string_source_offset("\"abc\"", 3), 4);
    assert_eq!(string_source_offset("\"abc\"", 99), 4);
    assert_eq!(string_source_offset("\"a\\tb\"", 2), 4);
    assert_eq!(string_source_offset("\"\\u00e9x\"", 1), 7);
    assert_eq!(string_source_offset("'a\\tb'", 2), 3);
    assert_eq!(string_source_offset("\"\"\"\nab\"\"\"", 1), 5);
    assert_eq!(string_source_offset("\"\"\"a\\\n   b\"\"\"", 1), 9);
    assert_eq!(string_source_offset("\"é!\"", 1), 3);
}

#[test]
fn xdg_folders_fall_back_to_home() {
    let os = |s: &'static str| Some(OsStr::new(s));
    assert_eq!(
        user_config_home(os("/x"), os("/h")),
        Some(PathBuf::from("/x"))
    );
    assert_eq!(
        user_config_home(os("rel"), os("/h")),
        Some(PathBuf::from("/h/.config"))
    );
    assert_eq!(user_config_home(None, None), None);
    assert_eq!(
        default_data_dir(os("/d"), os("/h")),
        Path::new("/d/broadsheet")
    );
    assert_eq!(
        default_data_dir(None, os("/h")),
        Path::new("/h/.local/share/broadsheet")
    );
    assert_eq!(default_data_dir(None, None), Path::new("."));
}

#[test]
fn load_reports_missing_huge_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let error = load(ConfigSource::Flag(missing.clone())).unwrap_err();
    assert_eq!(error.path.as_deref(), Some(missing.as_path()));
    assert!(
        error
            .to_string()
            .contains("config file not found; check the path given to --config")
    );
    let error = load(ConfigSource::Env(missing)).unwrap_err();
    assert!(error.message.contains("$BROADSHEET_CONFIG"));

    let error = load(ConfigSource::Flag(dir.path().to_path_buf())).unwrap_err();
    assert!(error.message.contains("folder"));

    let huge = dir.path().join("huge.toml");
    std::fs::write(&huge, vec![b'#'; 2 * 1024 * 1024]).unwrap();
    assert!(
        load(ConfigSource::Flag(huge))
            .unwrap_err()
            .message
            .contains("larger than 1 MiB")
    );

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"# ok\n# caf\xe9\n").unwrap();
    let error = load(ConfigSource::Flag(latin1)).unwrap_err();
    assert_eq!((error.line, error.column), (Some(2), Some(6)));
    assert!(error.message.contains("not UTF-8"));
}

#[test]
fn load_resolves_paths_beside_the_file_and_records_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "[library]\narticles = \"news\"\n").unwrap();
    let config = load(ConfigSource::User(file.clone())).unwrap();
    assert_eq!(config.library.articles, dir.path().join("news"));
    // What the file leaves out is in the data folder, not beside it.
    assert_eq!(config.library.state, LibraryConfig::default().state);
    assert_eq!(config.library_set, ["articles"]);
    assert_eq!(config.source, ConfigSource::User(file));
    assert_eq!(load(ConfigSource::Defaults).unwrap(), Config::default());
}

#[test]
fn sources_say_where_settings_came_from() {
    let p = PathBuf::from("/c.toml");
    assert_eq!(
        ConfigSource::Flag(p.clone()).to_string(),
        "--config /c.toml"
    );
    assert_eq!(
        ConfigSource::Env(p.clone()).to_string(),
        "$BROADSHEET_CONFIG=/c.toml"
    );
    assert_eq!(
        ConfigSource::WorkingDir(p.clone()).to_string(),
        "/c.toml (working directory)"
    );
    assert_eq!(
        ConfigSource::User(p.clone()).to_string(),
        "/c.toml (user config)"
    );
    assert_eq!(ConfigSource::Defaults.to_string(), "built-in defaults");
    assert_eq!(ConfigSource::User(p.clone()).path(), Some(p.as_path()));
    assert_eq!(ConfigSource::Defaults.path(), None);
}

/// The comment lines just above `name = ` (or `# name = `, a setting
/// documented but left out) in a `[table]` of a config text, joined into
/// one line, or `None` when the setting is not there.
fn comment_above(text: &str, table: &str, name: &str) -> Option<String> {
    let header = format!("[{table}]");
    let body = text.split(&header).nth(1)?;
    let body = body.split("\n[").next().unwrap_or(body);
    let lines: Vec<&str> = body.lines().collect();
    let at = lines.iter().position(|line| {
        let setting = format!("{name} = ");
        line.starts_with(&setting) || line.starts_with(&format!("# {setting}"))
    })?;
    let mut comment = Vec::new();
    for line in lines[..at].iter().rev() {
        match line.strip_prefix('#') {
            Some(text) => comment.push(text.trim()),
            // Settings that share a comment sit right below it.
            None if comment.is_empty() && !line.trim().is_empty() => continue,
            None => break,
        }
    }
    comment.reverse();
    Some(comment.join(" "))
}

#[test]
fn the_bundled_config_documents_every_setting_of_every_table() {
    let text = include_str!("../../config.toml");
    for table in SECTIONS {
        for (name, doc) in (table.settings)() {
            let comment = comment_above(text, table.name, name)
                .unwrap_or_else(|| panic!("config.toml has no `{name}` in [{}]", table.name));
            assert!(
                comment.contains(doc),
                "config.toml's comment on `{name}` does not say \"{doc}\": {comment}"
            );
        }
    }
}

#[test]
fn the_bundled_config_lists_every_action_with_its_default_keys() {
    let text = include_str!("../../config.toml");
    let doc = crate::keys::config_doc();
    assert!(
        text.contains(&doc),
        "config.toml's [keys] must end with exactly:\n{doc}"
    );
}

#[test]
fn no_color_is_resolved_where_the_configuration_is_made() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[theme]\naccent = \"red\"\n",
    )
    .unwrap();
    let with = |no_color: Option<&str>| {
        let var = |name: &str| match name {
            "NO_COLOR" => no_color.map(OsString::from),
            "HOME" => Some(dir.path().as_os_str().to_owned()),
            _ => None,
        };
        discover_in(None, dir.path(), &var).unwrap()
    };
    assert_eq!(with(None).theme.accent, ratatui::style::Color::Red);
    // An empty NO_COLOR is the same as none, as no-color.org asks.
    assert_eq!(with(Some("")).theme.accent, ratatui::style::Color::Red);
    assert_eq!(with(Some("1")).theme, Theme::no_color());
    assert_eq!(
        with(Some("1")).source,
        ConfigSource::WorkingDir(dir.path().join("config.toml"))
    );
}

#[test]
fn every_location_left_out_is_in_the_data_folder_whatever_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let data = dir.path().join("data");
    let project = dir.path().join("project");
    let elsewhere = dir.path().join("elsewhere");
    for folder in [&home, &project, &elsewhere] {
        std::fs::create_dir_all(folder).unwrap();
    }
    let var = |name: &str| -> Option<OsString> {
        match name {
            "HOME" => Some(home.clone().into_os_string()),
            "XDG_DATA_HOME" => Some(data.clone().into_os_string()),
            _ => None,
        }
    };
    let expected = LibraryConfig::in_data_dir(&data.join("broadsheet"));
    // No config file, from two working folders.
    for cwd in [&project, &elsewhere] {
        let config = discover_in(None, cwd, &var).unwrap();
        assert_eq!(config.source, ConfigSource::Defaults);
        assert_eq!(config.library, expected, "from {}", cwd.display());
    }
    // A user config without [library] changes nothing of that.
    let user = home.join(".config/broadsheet");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(user.join("config.toml"), "[display]\nmax_width = 100\n").unwrap();
    let config = discover_in(None, &elsewhere, &var).unwrap();
    assert_eq!(config.source, ConfigSource::User(user.join("config.toml")));
    assert_eq!(config.library, expected);
    // A relative setting is relative to the config file's folder, and only
    // that setting moves.
    std::fs::write(
        user.join("config.toml"),
        "[library]\narticles = \"news\"\n[display]\nmax_width = 100\n",
    )
    .unwrap();
    let config = discover_in(None, &elsewhere, &var).unwrap();
    assert_eq!(config.library.articles, user.join("news"));
    assert_eq!(config.library.bookmarks, expected.bookmarks);
    assert_eq!(config.library.feeds, expected.feeds);
}
