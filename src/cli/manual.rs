//! The sections `broadsheet man` adds to the page clap_mangen makes from the
//! arguments: KEYS (the reader's keys, from the action table the help and
//! the README use), FILES (where the program looks, from the config's own
//! defaults) and ENVIRONMENT (the variables the code reads). Built from the
//! program's tables, so the page cannot drift from what the program does.

use std::ffi::OsStr;
use std::path::Path;

use crate::config::{self, LibraryConfig};
use crate::keys::{Action, Mode};

/// Stand-ins for the XDG base folders: absolute, so the config's own rules
/// take them as set, and swapped for the variables' names in the page.
const PLACES: &[(&str, &str)] = &[
    ("/XDG_CONFIG_HOME", "$XDG_CONFIG_HOME"),
    ("/XDG_DATA_HOME", "$XDG_DATA_HOME"),
    ("/XDG_CACHE_HOME", "$XDG_CACHE_HOME"),
];

/// The variables the program reads, and what for.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "XDG_CONFIG_HOME",
        "Where the user's config file is looked for (broadsheet/config.toml); unset or relative: ~/.config.",
    ),
    (
        "XDG_DATA_HOME",
        "The base of the data folder (broadsheet/), where the articles folder, bookmarks, read state, tags, feeds and feed state are without a setting, config file or not, whatever the working folder; unset or relative: ~/.local/share.",
    ),
    (
        "XDG_CACHE_HOME",
        "Where the cache of each articles folder is kept (broadsheet/); unset or relative: ~/.cache.",
    ),
    (
        "HOME",
        "The base of the folders above when their variables are not set.",
    ),
    (
        "BROADSHEET_CONFIG",
        "The config file to use, as --config gives it; the flag wins.",
    ),
    (
        "BROWSER",
        "What opens an article's link (o) and, without a [reader] player, plays its enclosure (p): the first of its commands that starts; unset: the platform's opener.",
    ),
    (
        "NO_COLOR",
        "Set and not empty: every colour is the terminal's own (the selection, status bar and matches still show).",
    ),
    (
        "COLUMNS",
        "The terminal's width, when the terminal cannot be asked: what list lays its columns out for.",
    ),
    (
        "BROADSHEET_TEST_PANIC",
        "For the test suite only: makes the reader fail on purpose to check that the terminal is restored. Leave unset.",
    ),
    (
        "BROADSHEET_TEST_FETCH_EVERY_MS",
        "For the test suite only: the interval of [fetching] every_minutes in milliseconds, so a test need not wait minutes; turns nothing on by itself. Leave unset.",
    ),
];

/// The roff of the KEYS, FILES and ENVIRONMENT sections.
pub(super) fn sections() -> String {
    let mut out = String::new();
    out.push_str(&keys_section());
    out.push_str(&files_section());
    out.push_str(&environment_section());
    out
}

/// Puts [`sections`] into a page clap_mangen rendered: before its VERSION
/// section (and AUTHORS after it), else at the end.
pub(super) fn with_sections(page: &str) -> String {
    let extra = sections();
    let at = [".SH VERSION", ".SH AUTHORS"]
        .iter()
        .filter_map(|heading| page.find(&format!("\n{heading}")).map(|i| i + 1))
        .min();
    match at {
        Some(at) => format!("{}{extra}{}", &page[..at], &page[at..]),
        None if page.ends_with('\n') || page.is_empty() => format!("{page}{extra}"),
        None => format!("{page}\n{extra}"),
    }
}

/// One entry per action: its default keys, what it does and, when it is
/// not the list's and reader's, where it works.
fn keys_section() -> String {
    let mut out = String::from(
        ".SH KEYS\nThe reader's default keys; the [keys] table of the config file changes them \
         (broadsheet config init writes them all, each with what it does).\n",
    );
    for &action in Action::ALL {
        let keys: Vec<String> = action
            .default_spellings()
            .iter()
            .map(|key| format!("\\fB{}\\fR", escape(key)))
            .collect();
        let keys = if keys.is_empty() {
            "(no key)".to_string()
        } else {
            keys.join(", ")
        };
        let mut what = action.description().to_string();
        if action.modes() != [Mode::Browse] {
            let modes: Vec<&str> = action.modes().iter().map(|m| m.label()).collect();
            what.push_str(&format!(" (in: {})", modes.join(", ")));
        }
        out.push_str(&format!(
            ".TP\n{keys}\n{}\n",
            line(&format!("{what}. [keys] name: {}", action.name()))
        ));
    }
    out
}

/// The files and folders the program uses without settings of its own.
fn files_section() -> String {
    let placed = |name: &str| OsStr::new(name).to_owned();
    let config_home = config::user_config_home(Some(&placed("/XDG_CONFIG_HOME")), None)
        .map(|home| home.join("broadsheet").join("config.toml"));
    let data = config::default_data_dir(Some(&placed("/XDG_DATA_HOME")), None);
    let defaults = LibraryConfig::in_data_dir(&data);
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(file) = config_home {
        rows.push((
            shown(&file),
            "The user's config file (broadsheet config init writes it; ~/.config when XDG_CONFIG_HOME is unset). A config.toml in the working folder, --config or BROADSHEET_CONFIG come first; broadsheet config path says which is in use.".into(),
        ));
    }
    rows.push((
        format!("{}/", shown(&data)),
        "The data folder (~/.local/share/broadsheet when XDG_DATA_HOME is unset): every file and folder below is here unless the config file sets it, config file or not, whatever the working folder. broadsheet config paths lists what is in use and why. Data where earlier versions kept it (beside the user's config file; a ./articles whose files the marks here name) is moved here at start, never over a file, and the move is said once.".into(),
    ));
    let beside = |file: &std::path::Path, name: &str| file.with_file_name(name);
    for (path, what) in [
        (
            defaults.articles.clone(),
            "The articles folder ([library] articles): feed add and fetch write here, the reader and the commands read here. Made at the first start.",
        ),
        (
            defaults.feeds.clone(),
            "The feeds subscribed to ([library] feeds).",
        ),
        (
            beside(&defaults.feeds, "feeds-state"),
            "What each feed's fetches found, beside the feeds file.",
        ),
        (
            defaults.bookmarks.clone(),
            "Bookmarks and their notes ([library] bookmarks).",
        ),
        (
            beside(&defaults.bookmarks, "tags.toml"),
            "Your own tags, beside the bookmarks file.",
        ),
        (
            beside(&defaults.bookmarks, "folders"),
            "The marks of each other folder read with --articles, beside the bookmarks file.",
        ),
        (defaults.state.clone(), "Read marks ([library] state)."),
    ] {
        rows.push((shown(&path), what.into()));
    }
    if let Some(cache) = defaults.cache.as_deref().and_then(Path::file_name) {
        rows.push((
            shown(&Path::new("/XDG_CACHE_HOME").join(cache)),
            "The cache of each articles folder ([library] cache; ~/.cache when XDG_CACHE_HOME is unset), which makes starts fast. Safe to delete.".into(),
        ));
    }
    let mut out = String::from(
        ".SH FILES\nWithout a setting (paths in a config file are relative to its folder):\n",
    );
    for (path, what) in rows {
        out.push_str(&format!(
            ".TP\n\\fI{}\\fR\n{}\n",
            escape(&path),
            line(&what)
        ));
    }
    out
}

/// The variables the program reads.
fn environment_section() -> String {
    let mut out = String::from(".SH ENVIRONMENT\n");
    for (name, what) in ENVIRONMENT {
        out.push_str(&format!(".TP\n\\fB{name}\\fR\n{}\n", line(what)));
    }
    out
}

/// A path with the stand-ins of [`PLACES`] named as their variables.
fn shown(path: &Path) -> String {
    let text = path.to_string_lossy().into_owned();
    PLACES
        .iter()
        .find_map(|(stand_in, variable)| {
            text.strip_prefix(stand_in)
                .map(|rest| format!("{variable}{rest}"))
        })
        .unwrap_or(text)
}

/// Text made safe for roff: backslashes escaped and hyphens kept as
/// hyphens.
fn escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// A line of running text: escaped, and kept from being read as a request
/// when it starts with a dot or a quote.
fn line(text: &str) -> String {
    let text = escape(text);
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_variable_has_its_entry() {
        let text = sections();
        for &action in Action::ALL {
            assert!(text.contains(&line(action.description())), "{action}");
        }
        for (name, _) in ENVIRONMENT {
            assert!(text.contains(&format!("\\fB{name}\\fR")), "{name}");
        }
        for file in [
            "articles",
            "feeds.toml",
            "bookmarks.toml",
            "tags.toml",
            "state.toml",
        ] {
            let path = escape(&format!("$XDG_DATA_HOME/broadsheet/{file}"));
            assert!(text.contains(&format!("\\fI{path}\\fR")), "{file}: {text}");
        }
        assert!(
            text.contains(&escape("config file or not, whatever the working folder")),
            "{text}"
        );
        assert!(
            text.contains("$XDG_CONFIG_HOME/broadsheet/config.toml"),
            "{text}"
        );
        assert!(text.contains("$XDG_CACHE_HOME/broadsheet"), "{text}");
    }

    #[test]
    fn the_sections_go_before_version_and_authors() {
        let page = ".TH x 1\n.SH NAME\nx\n.SH VERSION\nv1\n";
        let made = with_sections(page);
        let keys = made.find(".SH KEYS").unwrap_or(usize::MAX);
        let version = made.find(".SH VERSION").unwrap_or(0);
        assert!(keys < version, "{made}");
        assert!(with_sections(".TH x 1\n").ends_with(&environment_section()));
    }
}
