//! Headless subcommands: `list`, `show`, `tags`, `categories`, `bookmark`,
//! `bookmarks`, `read`, `unread`, `check`, `feed …`, `fetch`, and those
//! about broadsheet itself (`config …`, `completions`, `man`: setup.rs).
//! None of them opens the reader.
//!
//! Data goes to stdout, warnings and errors to stderr. Exit codes: 0 success,
//! 1 an error (bad config, unknown id, bad query, a file that cannot be
//! written), 2 bad usage (from clap).

mod args;
mod columns;
mod error;
mod feeds;
mod fetch;
mod format;
mod manual;
mod setup;
mod sync;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

pub use args::{
    Args, BookmarkCommand, Command, ConfigCommand, FeedCommand, ListArgs, MarkArgs, SyncArgs,
    TagCommand, route_list_terms,
};

use crate::article::Detail;
use crate::article::sanitize::{sanitize, sanitize_line};
use crate::config::Config;
use crate::library::open::Opening;
use crate::library::query::{self, Query};
use crate::library::{self, Library, Marks, ShortIds, SummaryRow};
use crate::store::tags::split_list;
use crate::store::{Bookmark, MarkStores, SavedMarks, StoreError};

use error::{CliError, write_error};

/// Runs a subcommand with the loaded configuration and returns the process
/// exit code.
pub fn run(command: &Command, config: &Config) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    let width = terminal_width();
    let result = execute(command, config, width, &mut out, &mut err).and_then(|()| flush(&mut out));
    exit_code(result, &mut err)
}

/// Runs a command that needs no configuration (`config init`,
/// `completions`, `man`) and returns the exit code; `None` for the others,
/// which [`run`] takes once the configuration is loaded. A broken
/// configuration can so be replaced with `config init`.
pub fn run_standalone(command: &Command) -> Option<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = setup::standalone(command, &mut out)?.and_then(|()| flush(&mut out));
    Some(exit_code(result, &mut io::stderr()))
}

/// The exit code of a command's result, its error printed on `err`.
fn exit_code(result: Result<(), CliError>, err: &mut dyn Write) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`broadsheet list | head`) is not an error.
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            let _ = writeln!(err, "broadsheet: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn flush(out: &mut impl Write) -> Result<(), CliError> {
    out.flush().map_err(write_error)
}

/// Runs `command`, writing data to `out` and warnings to `err`;
/// `terminal_width` is the width of the terminal `out` goes to, `None`
/// when it goes to a pipe or a file.
pub(crate) fn execute(
    command: &Command,
    config: &Config,
    terminal_width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    if let Command::Check = command {
        return check(config, out, err);
    }
    // About broadsheet itself: no articles needed.
    if let Some(result) = setup::standalone(command, out) {
        return result;
    }
    if let Command::Config(config_command) = command {
        return setup::config(config_command, config, out, err);
    }
    // Feeds need the feeds file, not the folder.
    if let Command::Feed(feed) = command {
        return feeds::run(feed, config, out, err);
    }
    if let Command::Fetch { feeds, quiet } = command {
        return fetch::run(feeds, *quiet, config, out, err);
    }
    if let Command::Sync(args) = command {
        return sync::run(args, config, out, err);
    }
    // Follows the folder; opens no library of its own.
    if let Command::Watch = command {
        return watch::run(config, err);
    }
    let mut session = Session::open(config, detail_for(command), err)?;
    session.terminal_width = terminal_width;
    session.run(command, out, err)
}

/// What a command works on: the config, the loaded folder and the marks.
struct Session<'a> {
    config: &'a Config,
    library: Library,
    stores: MarkStores,
    saved_bookmarks: Vec<Bookmark>,
    marks: Marks,
    /// The width of the terminal the output goes to; `None` for a pipe.
    terminal_width: Option<usize>,
    /// Every article's short id, made on first use (one sort of the
    /// library's hashes).
    short_ids: std::cell::OnceCell<ShortIds>,
}

impl<'a> Session<'a> {
    fn run(
        &self,
        command: &Command,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        match command {
            Command::List(list) => self.list(list, out),
            Command::Show { id, json } => self.show(id, *json, out),
            Command::Tags { json } => format::write_terms(out, &self.library.tag_counts(), *json),
            Command::Categories { json } => {
                format::write_terms(out, &self.library.category_counts(), *json)
            }
            Command::Bookmark(BookmarkCommand::Add { id, note }) => {
                self.bookmark_add(id, note.as_deref(), out, err)
            }
            Command::Bookmark(BookmarkCommand::Remove { id }) => self.bookmark_remove(id, out, err),
            Command::Tag(TagCommand::Add { id, tags }) => self.set_tags(id, tags, true, out, err),
            Command::Tag(TagCommand::Remove { id, tags }) => {
                self.set_tags(id, tags, false, out, err)
            }
            Command::Bookmarks { json } => self.list_bookmarks(*json, out, err),
            Command::Read(which) => self.set_read(which, true, out, err),
            Command::Unread(which) => self.set_read(which, false, out, err),
            Command::Check => check(self.config, out, err),
            Command::Feed(feed) => feeds::run(feed, self.config, out, err),
            Command::Fetch { feeds, quiet } => fetch::run(feeds, *quiet, self.config, out, err),
            Command::Sync(args) => sync::run(args, self.config, out, err),
            Command::Config(config_command) => setup::config(config_command, self.config, out, err),
            Command::Completions { shell } => setup::completions(*shell, out),
            Command::Man { dir } => setup::man(dir.as_deref(), out),
            Command::Watch => watch::run(self.config, err),
        }
    }

    fn open(
        config: &'a Config,
        detail: Detail,
        err: &mut dyn Write,
    ) -> Result<Session<'a>, CliError> {
        let library = open_library(config, detail, err)?;
        report_skipped(&library, err);
        let stores = MarkStores::new(&config.library.bookmarks, &config.library.state);
        let saved = load_marks(&stores, err)?;
        let marks = saved.marks();
        Ok(Session {
            config,
            library,
            stores,
            saved_bookmarks: saved.bookmarks,
            marks,
            terminal_width: None,
            short_ids: std::cell::OnceCell::new(),
        })
    }

    /// The short ids of the whole library.
    fn short_ids(&self) -> &ShortIds {
        self.short_ids.get_or_init(|| short_ids_of(&self.library))
    }

    /// The short id of the article at `position`.
    fn short_id(&self, position: usize) -> String {
        self.short_ids().at(position).unwrap_or_default()
    }

    /// The article an `ID` argument names: a path id, a short id or a
    /// unique start of either.
    fn resolve_article(&self, id: &str) -> Result<SummaryRow<'_>, CliError> {
        let position = self.resolve_position(id)?;
        self.library.get(position).ok_or_else(|| no_article(id))
    }

    /// The position of the article an `ID` argument names
    /// ([`resolve_position`]). The short ids are made only for an `ID`
    /// that is no whole path id and has the form of a short id.
    fn resolve_position(&self, id: &str) -> Result<usize, CliError> {
        if let Some(position) = self.library.position(id) {
            return Ok(position);
        }
        let none = ShortIds::default();
        let short_ids = if library::short_id::looks_short(id) {
            self.short_ids()
        } else {
            &none
        };
        resolve_position(&self.library, short_ids, id)
    }

    fn list(&self, list: &ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
        let query = build_query(&list.query, &list.tag)?;
        let sort = list.sort.unwrap_or(self.config.display.sort);
        let limit = list.limit.unwrap_or(usize::MAX);
        let order = self.library.order(sort);
        let found = self.library.matching(&query, &self.marks, &order);
        let matching = found
            .iter()
            .filter_map(|&position| Some((position, self.library.get(position)?)))
            .take(limit);
        if list.count {
            writeln!(out, "{}", matching.count()).map_err(write_error)
        } else if list.json {
            let rows: Vec<_> = matching
                .filter_map(|(position, row)| {
                    let path = self.library.path(position)?;
                    let words = self.library.words(position);
                    let short = self.short_id(position);
                    Some(format::ListRow::of_row(
                        row,
                        short,
                        &path,
                        words,
                        &self.marks,
                    ))
                })
                .collect();
            format::write_json(out, &rows)
        } else {
            let style = format::LineStyle::from_config(self.config);
            // Only a terminal shows the short ids: a pipe gets its lines
            // without the library's hashes being sorted.
            let on_terminal = self.terminal_width.is_some();
            let rows = matching.map(|(position, article)| {
                let short = if on_terminal {
                    self.short_id(position)
                } else {
                    String::new()
                };
                style.list_cells(article, short, &self.marks)
            });
            match self.terminal_width {
                // Aligned columns need every row first; a pipe gets each
                // line as soon as it is made.
                Some(width) => {
                    let rows: Vec<_> = rows.collect();
                    write_lines(out, columns::fit(&rows, width))
                }
                None => write_lines(out, rows.map(|row| row.plain_line())),
            }
        }
    }

    fn show(&self, id: &str, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
        let position = self.resolve_position(id)?;
        // The command loaded summaries: the body is read now, for this one.
        let article = match self
            .library
            .read_whole(position, self.config.library.max_article_size)
        {
            Some(Ok(article)) => article,
            Some(Err(warning)) => return Err(CliError::new(warning.to_string())),
            None => return Err(no_article(id)),
        };
        let article = &article;
        if json {
            let short = self.short_id(position);
            format::write_json(out, &format::ShowJson::new(article, short, &self.marks))
        } else {
            let style = format::LineStyle::from_config(self.config);
            out.write_all(style.show_text(article, &self.marks).as_bytes())
                .map_err(write_error)
        }
    }

    fn bookmark_add(
        &self,
        id: &str,
        note: Option<&str>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        let article = self.resolve_article(id)?;
        let bookmark = Bookmark {
            note: note.map(str::to_string),
            ..Bookmark::new(
                article.id().to_string(),
                article.title().to_string(),
                article.date(),
                chrono::Utc::now(),
            )
        };
        let change = self.stores.bookmarks.add(bookmark)?;
        report_problem(change.problem.as_ref(), err);
        let verb = if change.changed {
            "bookmarked"
        } else {
            "already bookmarked"
        };
        writeln!(out, "{verb}: {}", article.id()).map_err(write_error)
    }

    /// `tag add` / `tag remove`: the person's own tags of one article.
    fn set_tags(
        &self,
        id: &str,
        tags: &[String],
        add: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        let article = self.resolve_article(id)?;
        let ids = vec![article.id().to_string()];
        // `a,b` is two tags, as the reader's `+` takes it.
        let tags: Vec<String> = tags.iter().flat_map(|t| split_list(t)).collect();
        if tags.is_empty() {
            return Err(CliError::new(
                "no tag given: write one or more tags, e.g. `tag add ID news,tv`",
            ));
        }
        let mut changed = false;
        for tag in &tags {
            let change = self.stores.tags.set(&ids, tag, add)?;
            report_problem(change.problem.as_ref(), err);
            changed |= change.changed;
        }
        let what = match (add, changed) {
            (true, true) => "tagged",
            (false, true) => "untagged",
            (true, false) => "already tagged",
            (false, false) => "had none of those tags",
        };
        let tags: Vec<String> = tags.iter().map(|t| sanitize_line(t)).collect();
        writeln!(out, "{what}: {} ({})", article.id(), tags.join(", ")).map_err(write_error)
    }

    fn bookmark_remove(
        &self,
        id: &str,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        let bookmarked: Vec<&str> = self.saved_bookmarks.iter().map(|b| b.id.as_str()).collect();
        // A short id names an article of the library; a bookmark of one
        // that is gone is named by its id (or a start of it).
        let by_short = self
            .short_ids()
            .matching(id)
            .and_then(|found| match found.as_slice() {
                [one] => self.library.get(*one).map(|row| row.id().to_string()),
                _ => None,
            })
            .filter(|found| bookmarked.contains(&found.as_str()));
        let target = match by_short.map_or_else(
            || resolve_id(bookmarked.iter().copied(), id).map(str::to_string),
            Ok,
        ) {
            Ok(found) => found,
            Err(_) if self.resolve_article(id).is_ok() => {
                return Err(CliError::new(format!(
                    "`{}` is not bookmarked; `broadsheet bookmarks` lists the bookmarks",
                    sanitize_line(id)
                )));
            }
            Err(error) => return Err(error),
        };
        let change = self.stores.bookmarks.remove(&target)?;
        report_problem(change.problem.as_ref(), err);
        let verb = if change.changed {
            "removed bookmark"
        } else {
            "was not bookmarked"
        };
        writeln!(out, "{verb}: {target}").map_err(write_error)
    }

    /// `bookmarks`: each bookmark on stdout; in text, a last line on
    /// stderr says where the file is (a person wondering where the
    /// bookmarks went finds it there; scripts reading stdout are not
    /// bothered).
    fn list_bookmarks(
        &self,
        json: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        let rows: Vec<format::BookmarkRow> = self
            .saved_bookmarks
            .iter()
            .map(|b| format::BookmarkRow::new(b, self.library.find(&b.id).is_none()))
            .collect();
        if json {
            return format::write_json(out, &rows);
        }
        let style = format::LineStyle::from_config(self.config);
        for row in &rows {
            out.write_all(style.bookmark_text(row).as_bytes())
                .map_err(write_error)?;
        }
        // Said after the bookmarks, so it is the last line a person sees.
        out.flush().map_err(write_error)?;
        let file = sanitize_line(&self.stores.bookmarks.path().display().to_string());
        let _ = if rows.is_empty() {
            writeln!(err, "no bookmarks yet (kept in {file})")
        } else {
            writeln!(err, "bookmarks kept in {file}")
        };
        Ok(())
    }

    /// `read` / `unread`: every article named or matched, in one change
    /// of the state file, then how many changed.
    fn set_read(
        &self,
        which: &MarkArgs,
        read: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), CliError> {
        let ids = self.marked_ids(which)?;
        let state = if read { "read" } else { "unread" };
        if ids.is_empty() {
            // A query that matched nothing: the state file is left alone.
            return writeln!(out, "{}", marked_summary(0, 0, state)).map_err(write_error);
        }
        // Counted against the marks loaded: the store merges with what is on
        // disk, so a change made meanwhile by another process is not counted.
        let changing = ids
            .iter()
            .filter(|id| self.marks.read.contains(id.as_str()) != read)
            .count();
        let change = self.stores.read.set_read(&ids, read)?;
        report_problem(change.problem.as_ref(), err);
        let line = match ids.as_slice() {
            [one] if change.changed => format!("marked {state}: {one}"),
            [one] => format!("already {state}: {one}"),
            _ => marked_summary(changing, ids.len(), state),
        };
        writeln!(out, "{line}").map_err(write_error)
    }

    /// The ids `read` / `unread` act on: each id given resolved (all must
    /// resolve, or nothing changes), or every article the query matches, in
    /// list order, each once.
    fn marked_ids(&self, which: &MarkArgs) -> Result<Vec<String>, CliError> {
        let mut ids: Vec<String> = match &which.query {
            Some(text) => {
                let query = build_query(std::slice::from_ref(text), &[])?;
                let order = self.library.order(self.config.display.sort);
                self.library
                    .matching(&query, &self.marks, &order)
                    .iter()
                    .filter_map(|&position| Some(self.library.get(position)?.id().to_string()))
                    .collect()
            }
            None => which
                .ids
                .iter()
                .map(|id| Ok(self.resolve_article(id)?.id().to_string()))
                .collect::<Result<_, CliError>>()?,
        };
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        Ok(ids)
    }
}

/// `marked 3 articles read (2 of the 5 already were)`.
fn marked_summary(changed: usize, total: usize, state: &str) -> String {
    let articles = |n: usize| if n == 1 { "article" } else { "articles" };
    let already = total - changed;
    if already == 0 {
        format!("marked {changed} {} {state}", articles(changed))
    } else {
        format!(
            "marked {changed} {} {state} ({already} of the {total} already {})",
            articles(changed),
            if already == 1 { "was" } else { "were" }
        )
    }
}

/// Writes each line followed by a newline.
fn write_lines(
    out: &mut dyn Write,
    lines: impl IntoIterator<Item = String>,
) -> Result<(), CliError> {
    for line in lines {
        writeln!(out, "{line}").map_err(write_error)?;
    }
    Ok(())
}

/// The terminal's width when stdout is a terminal (`list` then fits its
/// lines to it); `None` for a pipe or a file, which get whole lines. The
/// width is the terminal's own, else `$COLUMNS`, else 80.
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    let asked = ratatui::crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns));
    let from_env = || std::env::var("COLUMNS").ok()?.trim().parse().ok();
    Some(
        asked
            .filter(|&columns| columns > 0)
            .or_else(from_env)
            .unwrap_or(80),
    )
}

/// `broadsheet check`: config errors are fatal (exit 1), file warnings are
/// printed and leave the exit code at 0.
fn check(config: &Config, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    // The source names its file (sanitized: a path can hold anything).
    let where_from = sanitize_line(&config.source.to_string());
    // Said first: it may be why the settings are not the expected ones.
    if let Some(foreign) = setup::passed_over(config) {
        let _ = writeln!(err, "broadsheet: note: {foreign}");
    }
    let library = load_library(config, Detail::Full)?;
    for warning in library.warnings() {
        let _ = writeln!(err, "broadsheet: warning: {warning}");
    }
    let stores = MarkStores::new(&config.library.bookmarks, &config.library.state);
    let saved = load_marks(&stores, err)?;
    // The feeds file is checked as `fetch` reads it: a field that is not
    // one (`nmae`) fails here, with its line and column, not at the fetch.
    let feeds = crate::store::feeds::FeedStore::new(&config.library.feeds);
    let subscribed = feeds.load()?;
    // An address fetch would refuse is that feed's problem: a warning.
    for feed in &subscribed {
        if let Err(reason) = crate::store::feeds::check_url(&feed.url) {
            let _ = writeln!(
                err,
                "broadsheet: warning: {}: feed `{}`: `{}`: {}; fetch refuses it",
                sanitize_line(&feeds.path().display().to_string()),
                sanitize_line(&feed.name),
                sanitize_line(&feed.url),
                sanitize_line(&reason)
            );
        }
    }
    let missing = saved
        .bookmarks
        .iter()
        .filter(|b| library.find(&b.id).is_none())
        .count();
    let lines = [
        format!("config: {where_from}: ok"),
        format!(
            "articles: {} loaded from {}",
            library.len(),
            sanitize_line(&library.root().display().to_string())
        ),
        format!("warnings: {}", library.warnings().len()),
        format!(
            "bookmarks: {} ({} of articles not in the folder) in {}",
            saved.bookmarks.len(),
            missing,
            sanitize_line(&stores.bookmarks.path().display().to_string())
        ),
        format!(
            "read: {} in {}",
            saved.read.len(),
            sanitize_line(&stores.read.path().display().to_string())
        ),
        format!(
            "feeds: {} in {}",
            subscribed.len(),
            sanitize_line(&feeds.path().display().to_string())
        ),
    ];
    write_lines(out, lines)
}

/// The working folder's `config.toml`, when the lookup passed it over on
/// its way to the configuration in use.
fn load_library(config: &Config, detail: Detail) -> Result<Library, CliError> {
    let options = config.library.load_options(detail);
    Ok(library::load(&config.library.articles, &options)?)
}

/// The folder's library as [`library::open`] opens it: from the cache
/// (brought up to date with the folder), or indexed into a new cache, or
/// without a cache (`--no-cache`) read into memory with `detail`. What
/// the opening has to say goes to `err` as warnings: the command works
/// without the cache.
fn open_library(config: &Config, detail: Detail, err: &mut dyn Write) -> Result<Library, CliError> {
    let cache = config.library.cache_folder();
    let opening = Opening {
        cache: cache.as_deref(),
        load: config.library.load_options(detail),
        fresh: false,
        list_first: false,
    };
    let opened =
        library::open::open_library(&config.library.articles, &opening, &|_| {}, &mut |_| true)?;
    // Nothing above says stop.
    let Some(opened) = opened else {
        return Err(CliError::new("the folder was not read"));
    };
    for notice in &opened.notices {
        let _ = writeln!(err, "broadsheet: warning: {notice}");
    }
    Ok(opened.library)
}

/// How much of each article a command needs: bodies only to search text,
/// count words (JSON) or validate everything; a one-line summary otherwise,
/// which makes listing a huge folder fast and small.
fn detail_for(command: &Command) -> Detail {
    match command {
        Command::List(list) if list.json => Detail::Full,
        Command::List(list) => query_detail(&list.query, &list.tag),
        Command::Read(which) | Command::Unread(which) => match &which.query {
            Some(text) => query_detail(std::slice::from_ref(text), &[]),
            None => Detail::Summary,
        },
        Command::Check => Detail::Full,
        _ => Detail::Summary,
    }
}

/// What a query needs: bodies when it searches text.
fn query_detail(words: &[String], tags: &[String]) -> Detail {
    match build_query(words, tags) {
        Ok(query) if !query.needs_text() => Detail::Summary,
        // Bad queries are reported by the command itself.
        Ok(_) | Err(_) => Detail::Full,
    }
}

/// One stderr line when files were skipped; `check` lists them.
fn report_skipped(library: &Library, err: &mut dyn Write) {
    let count = library.warnings().len();
    if count > 0 {
        let files = if count == 1 { "file" } else { "files" };
        let _ = writeln!(
            err,
            "broadsheet: warning: {count} {files} skipped or only partly read; `broadsheet check` lists them"
        );
    }
}

/// Loads the bookmarks and read marks, warning of files moved aside; a
/// file that cannot be read at all ends the command.
fn load_marks(stores: &MarkStores, err: &mut dyn Write) -> Result<SavedMarks, CliError> {
    let (saved, failed) = stores.load();
    for problem in &saved.moved_aside {
        report_problem(Some(problem), err);
    }
    match failed.into_iter().next() {
        Some(error) => Err(error.into()),
        None => Ok(saved),
    }
}

/// A store file that was moved aside: the store's message says where it
/// went and what to do.
fn report_problem(problem: Option<&StoreError>, err: &mut dyn Write) {
    if let Some(problem) = problem {
        let _ = writeln!(err, "broadsheet: warning: {problem}");
    }
}

/// Joins the query words and `--tag` options into one query.
fn build_query(words: &[String], tags: &[String]) -> Result<Query, CliError> {
    let mut text = words.join(" ");
    for tag in tags {
        let quoted = tag.replace('\\', "\\\\").replace('"', "\\\"");
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("tag:\"{quoted}\""));
    }
    // The caret is placed by its leading spaces, so they must survive:
    // `sanitize` keeps spaces and line breaks, where `sanitize_line` would
    // trim and collapse them and put the caret under column 1. (The caret
    // text has its invisible characters replaced already; this is the last
    // guard before the terminal.)
    query::parse(&text).map_err(|error| {
        CliError::new(format!(
            "bad query at column {}:\n{}",
            error.column + 1,
            sanitize(&error.caret(&text))
        ))
    })
}

/// Every article's short id.
fn short_ids_of(library: &Library) -> ShortIds {
    ShortIds::new(
        (0..library.slots()).filter_map(|position| Some((position, library.get(position)?.id()))),
    )
}

/// The position of the article with this id; else of the one whose short
/// id starts with it; else of the only one whose id starts with it. A
/// whole id is looked up in the library's index, a short one in the
/// sorted hashes; only a start of a path id needs every id. A start that
/// several short ids share is an error that lists them.
fn resolve_position(library: &Library, short_ids: &ShortIds, id: &str) -> Result<usize, CliError> {
    if let Some(position) = library.position(id) {
        return Ok(position);
    }
    let by_short = short_ids.matching(id).unwrap_or_default();
    if let [one] = by_short.as_slice() {
        return Ok(*one);
    }
    let by_path = resolve_id(library.iter().map(|a| a.id()), id);
    match (by_path, by_short.as_slice()) {
        (Ok(found), _) => library.position(found).ok_or_else(|| no_article(id)),
        (Err(error), []) => Err(error),
        (Err(_), several) => Err(ambiguous_short(library, short_ids, id, several)),
    }
}

/// The error for a start several short ids share: each candidate's short
/// id, path id and title, so the person can pick one.
fn ambiguous_short(
    library: &Library,
    short_ids: &ShortIds,
    wanted: &str,
    positions: &[usize],
) -> CliError {
    const SHOWN: usize = 8;
    let mut lines: Vec<String> = positions
        .iter()
        .filter_map(|&position| library.get(position))
        .take(SHOWN)
        .map(|row| {
            format!(
                "  {}  {}  {}",
                short_ids.of(row.id()),
                sanitize_line(row.id()),
                sanitize_line(row.title())
            )
        })
        .collect();
    if positions.len() > SHOWN {
        lines.push(format!("  … and {} more", positions.len() - SHOWN));
    }
    CliError::new(format!(
        "`{}` starts the short ids of {} articles; give more of it:\n{}",
        sanitize_line(wanted),
        positions.len(),
        lines.join("\n")
    ))
}

/// The error for an id that names no article.
fn no_article(id: &str) -> CliError {
    CliError::new(format!("no article with id `{}`", sanitize_line(id)))
}

/// Picks `wanted` among `ids`: an exact match, else the only id that starts
/// with it. Errors suggest the nearest id or list the ambiguous ones.
fn resolve_id<'i>(
    ids: impl Iterator<Item = &'i str> + Clone,
    wanted: &str,
) -> Result<&'i str, CliError> {
    if let Some(exact) = ids.clone().find(|id| *id == wanted) {
        return Ok(exact);
    }
    let shown = sanitize_line(wanted);
    let starting: Vec<&str> = if wanted.is_empty() {
        Vec::new()
    } else {
        ids.clone()
            .filter(|id| id.starts_with(wanted))
            .take(6)
            .collect()
    };
    match starting.as_slice() {
        [one] => Ok(one),
        [] => {
            let nearest = ids
                .map(|id| (strsim::levenshtein(id, wanted), id))
                .min()
                .filter(|(distance, id)| *distance <= id.len().max(wanted.len()) / 3)
                .map(|(_, id)| format!(" (did you mean `{id}`?)"))
                .unwrap_or_default();
            Err(CliError::new(format!(
                "no article with id `{shown}`{nearest}; `broadsheet list --json` shows the ids"
            )))
        }
        many => Err(CliError::new(format!(
            "`{shown}` matches several ids ({}{}); give more of it",
            many.iter()
                .take(5)
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if many.len() > 5 { ", …" } else { "" }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 3] = ["000_a.txt", "001_b.txt", "sub/002_c.txt"];

    #[test]
    fn an_exact_id_wins() {
        assert_eq!(
            resolve_id(IDS.iter().copied(), "001_b.txt"),
            Ok("001_b.txt")
        );
    }

    #[test]
    fn a_unique_start_resolves() {
        assert_eq!(resolve_id(IDS.iter().copied(), "sub/"), Ok("sub/002_c.txt"));
    }

    #[test]
    fn an_ambiguous_start_lists_the_candidates() {
        let Err(CliError(message)) = resolve_id(IDS.iter().copied(), "00") else {
            panic!("`00` should be ambiguous");
        };
        assert!(
            message.contains("`000_a.txt`") && message.contains("`001_b.txt`"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_id_suggests_the_nearest() {
        let Err(CliError(message)) = resolve_id(IDS.iter().copied(), "001-b.txt") else {
            panic!("should not resolve");
        };
        assert!(message.contains("did you mean `001_b.txt`"), "{message}");
    }

    #[test]
    fn tags_join_the_query_quoted() {
        let query = build_query(&["Oseman".into()], &["Alice Oseman".into()]);
        assert_eq!(
            query.map(|q| q.to_string()),
            query::parse("Oseman tag:\"Alice Oseman\"")
                .map(|q| q.to_string())
                .map_err(CliError::from)
        );
    }
}
