//! Command-line arguments (clap derive) and the one rewrite clap cannot do:
//! letting query terms that start with `-` sit among `list`'s options.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args as ClapArgs, CommandFactory, Parser, Subcommand};

use crate::library::SortOrder;

/// broadsheet: a fast, safe terminal reader for a folder of news articles.
///
/// With no command it opens the reader on the configured folder. The
/// commands below do the same work without a terminal, for scripts.
#[derive(Debug, Parser)]
#[command(
    name = "broadsheet",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    max_term_width = 100
)]
pub struct Args {
    /// Configuration file [default: $BROADSHEET_CONFIG, ./config.toml when
    /// it is broadsheet's, $XDG_CONFIG_HOME/broadsheet/config.toml,
    /// built-in defaults]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Articles folder, overriding `library.articles` of the configuration
    #[arg(long, value_name = "DIR", global = true)]
    pub articles: Option<PathBuf>,

    /// Neither read nor write the cache for this run (`library.cache =
    /// false` does it for good)
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// What to do; none opens the reader
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What broadsheet is, in one line (`-h`, the manual page's NAME).
const ABOUT: &str = "A fast, safe terminal news reader for folders of article files";

/// What `--help` says first: that the reader is what runs without a
/// command, and that the commands never open it, so scripts can use them
/// without a terminal.
const LONG_ABOUT: &str = "\
A fast, safe terminal news reader for folders of article files.

With no command, broadsheet opens the reader on the configured folder (it needs a terminal). \
The commands below never open the reader: each works without a terminal, for scripts, with \
data on stdout and problems on stderr.";

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List articles, newest first, optionally filtered by a query
    #[command(after_help = QUERY_HELP)]
    List(ListArgs),
    /// Print one article: title, details and body
    Show {
        /// The article's short id (as `list` shows it), its id (its path in the articles folder), or a unique start of either
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List every tag with the number of articles that carry it
    Tags {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List every category with the number of articles in it
    Categories {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Add or remove a bookmark
    #[command(subcommand)]
    Bookmark(BookmarkCommand),
    /// Give an article tags of your own, or take them away (kept in tags.toml
    /// beside the bookmarks; `tag:` finds them)
    #[command(subcommand)]
    Tag(TagCommand),
    /// List bookmarks, including those whose article is gone
    Bookmarks {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Mark articles as read: by id, or every article a query matches
    // clap's usage would show only `<ID>...`: name the other way too.
    #[command(override_usage = "broadsheet read <ID>...\n       broadsheet read --query <QUERY>")]
    Read(MarkArgs),
    /// Mark articles as unread: by id, or every article a query matches
    #[command(
        override_usage = "broadsheet unread <ID>...\n       broadsheet unread --query <QUERY>"
    )]
    Unread(MarkArgs),
    /// Validate the configuration and every article; print what is wrong
    Check,
    /// Subscribe to feeds, unsubscribe, list them (library.feeds)
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Write the starter configuration, or say which file is in use
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell)
    ///
    /// For bash: `broadsheet completions bash >
    /// ~/.local/share/bash-completion/completions/broadsheet`; the README
    /// says where the others go.
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `broadsheet man > broadsheet.1`
    Man {
        /// Write a page for broadsheet and one for each command
        /// (broadsheet-list.1, …) into this folder instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Follow the articles folder so that other commands need not check every file
    ///
    /// Runs in the foreground until Ctrl-C (or SIGTERM). While it runs, every
    /// other command (and a reader started meanwhile) checks only the files
    /// this watch saw change, not the whole folder: at a million articles,
    /// answers in a fraction of a second instead of seconds. An open reader
    /// does the same for the commands; only one of them keeps the record.
    Watch,
    /// Fetch feeds into the articles folder: every feed, or those named
    ///
    /// Each new item becomes an article file in the feed's folder; items
    /// already there are not written again, changed ones are updated, and
    /// articles you deleted are not brought back. Exits 1 when any feed
    /// failed, saying why for each; with --quiet only those are printed.
    Fetch {
        /// Feeds to fetch, by name or address [default: every feed]
        #[arg(value_name = "FEED")]
        feeds: Vec<String>,
        /// Print only the feeds that failed, for cron (the exit status
        /// still says whether any did)
        #[arg(short, long)]
        quiet: bool,
    },
    /// Sync with the accounts of the config ([[account]]): their feeds and
    /// new items into the folder, read marks and bookmarks both ways
    ///
    /// Local changes (read, unread, bookmarks) are kept in a journal until
    /// the server has them, and win over older server state. Exits 1 when
    /// any account failed, saying why and how many local changes wait.
    Sync(SyncArgs),
}

/// `broadsheet sync`
#[derive(Debug, ClapArgs)]
pub struct SyncArgs {
    /// Sync only this account [default: every account]
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// No progress and no summary; errors only
    #[arg(long)]
    pub quiet: bool,
    /// Show the local changes waiting to be sent, without the network
    #[arg(long)]
    pub status: bool,
}

/// `broadsheet feed …`
#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed (http or https)
    Add {
        /// The feed's address
        url: String,
        /// What to call it: its articles' category [default: the address's host]
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// A tag for every article of the feed (repeat for several)
        #[arg(long, value_name = "TAG")]
        tag: Vec<String>,
        /// Fetch each item's page for its full text
        #[arg(long)]
        full_text: bool,
        /// Subscribe without fetching the address first (which finds the
        /// feed a web page links and names the feed by its title)
        #[arg(long)]
        no_fetch: bool,
        /// With accounts configured: subscribe this account on its server
        /// (the default when there is one account)
        #[arg(long, value_name = "NAME", conflicts_with = "local")]
        account: Option<String>,
        /// With accounts configured: subscribe here, fetched by broadsheet
        /// itself, instead of on the account's server
        #[arg(long)]
        local: bool,
    },
    /// Unsubscribe from a feed (its articles stay in the folder) and forget
    /// what fetching it found, so adding it again fetches it afresh
    Remove {
        /// The feed's name or address
        feed: String,
        /// Keep what fetching it found (the items seen, deleted ones
        /// included), so adding it again brings back nothing already seen
        #[arg(long)]
        keep_state: bool,
    },
    /// List the feeds subscribed to, with how their last fetch went
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print the feeds subscribed to as OPML 2.0, for other feed readers
    Export,
    /// Subscribe to every feed of an OPML file another feed reader exported
    Import {
        /// The OPML file
        file: PathBuf,
    },
}

/// `broadsheet config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the documented starter configuration to your config folder
    ///
    /// The file, $XDG_CONFIG_HOME/broadsheet/config.toml (or
    /// ~/.config/broadsheet/config.toml), holds every setting with its
    /// default and what it does; its path is printed.
    /// Its [library] locations are comments: articles, bookmarks, read
    /// marks and feeds stay in the data folder, where they are without a
    /// config file. An existing file is never overwritten
    /// unless `--force` is given, and then it is kept as a backup.
    Init {
        /// Replace an existing file, keeping it as
        /// config.toml.backup-<time> beside the new one
        #[arg(long)]
        force: bool,
    },
    /// Print the path of the configuration file in use (nothing, with a
    /// note on stderr, when the built-in defaults are in use)
    Path,
    /// List every file and folder in use (config, data folder, articles,
    /// bookmarks, tags, read state, feeds, feed state, cache) and why
    ///
    /// One line each: name, path and why, separated by tabs (a path of
    /// `-` when there is none); `--json` gives an array of objects with
    /// the same fields.
    Paths {
        /// Print JSON instead of lines
        #[arg(long)]
        json: bool,
    },
}

/// Which articles `read` and `unread` change: ids, or a query.
#[derive(Debug, ClapArgs)]
pub struct MarkArgs {
    /// The articles' short ids or ids, or unique starts of them
    #[arg(
        value_name = "ID",
        required_unless_present = "query",
        conflicts_with = "query"
    )]
    pub ids: Vec<String>,

    /// Every article this query matches, as `list QUERY` shows them (e.g.
    /// --query 'tag:news date:..2024')
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
}

/// `broadsheet list` options.
#[derive(Debug, ClapArgs)]
pub struct ListArgs {
    /// Query: words, "phrases", tag:X, cat:X, date:2024-01..2024-06,
    /// is:bookmarked|read|unread, -term, or, ( )
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// Only articles with this tag (repeat for several: all must match)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,

    /// Order of the list [default: display.sort of the configuration]
    #[arg(long, value_enum)]
    pub sort: Option<SortOrder>,

    /// Print at most N articles
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Print only the number of matching articles
    #[arg(long, conflicts_with = "json")]
    pub count: bool,

    /// Print a JSON array instead of text
    #[arg(long)]
    pub json: bool,
}

/// `broadsheet bookmark …`
#[derive(Debug, Subcommand)]
pub enum BookmarkCommand {
    /// Bookmark an article
    Add {
        /// The article's short id or id, or a unique start of either
        id: String,
        /// A note to keep with the bookmark
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Remove a bookmark (also one whose article is gone)
    Remove {
        /// The bookmarked article's short id or id, or a unique start of either
        id: String,
    },
}

/// `broadsheet tag …`
#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Give an article tags of your own
    Add {
        /// The article's short id or id, or a unique start of either
        id: String,
        /// The tags; commas split them too (`news,tv`), as in the reader
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Take tags of your own from an article
    Remove {
        /// The article's short id or id, or a unique start of either
        id: String,
        /// The tags; commas split them too (`news,tv`), as in the reader
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
}

const QUERY_HELP: &str = "\
Query language (terms side by side must all match; not/- binds tighter than and,
and tighter than or; the keywords work in any case, quote them to search for them):
  heartstopper oseman   both words, anywhere in title or body, any case
  \"blooper reel\"        a phrase
  tag:bloopers cat:TV   a tag or category (any case); tag:\"Alice Oseman\"
  date:2024  date:2024-03  date:2024-01..2024-06  date:..2023  date:2024-06..
  is:bookmarked  is:read  is:unread
  -tag:bloopers         negation of any term; also: not tag:bloopers, NOT tram
  a or b   (a or b) c   a and b   grouping
Query terms may start with `-` and sit among the options.";

impl Args {
    /// Parses the process arguments, exiting with usage (code 2) on errors
    /// and printing help or version (code 0), as clap does.
    ///
    /// A usage error can quote what was typed, which may hold escape
    /// sequences: it is printed plain and sanitized line by line.
    pub fn from_env() -> Args {
        match Args::try_parse_from(route_list_terms(std::env::args_os().collect())) {
            Ok(args) => args,
            Err(error) if !error.use_stderr() => error.exit(),
            Err(error) => {
                let text = error.render().to_string();
                for line in text.lines() {
                    eprintln!("{}", crate::article::sanitize::sanitize_line(line));
                }
                std::process::exit(error.exit_code());
            }
        }
    }
}

/// Rewrites `broadsheet … list <mixed>` so that everything after `list`
/// that is not one of its options becomes a query term, placed after `--`;
/// an unknown `--long-option` stays among the options, so that clap reports
/// it as bad usage.
///
/// Without this, clap reads `-tag:x` as a bundle of short flags and rejects
/// it, or (with hyphen values allowed) swallows the options that follow a
/// query. The option table comes from clap's own definition, so it cannot
/// drift from the real flags.
pub fn route_list_terms(argv: Vec<OsString>) -> Vec<OsString> {
    let command = Args::command();
    let Some(list) = command.find_subcommand("list") else {
        return argv;
    };
    let options = OptionTable::of(&command, list);
    let Some(list_at) = find_subcommand_position(&argv, &options, "list") else {
        return argv;
    };
    let (head, rest) = argv.split_at(list_at + 1);
    let mut flags: Vec<OsString> = Vec::new();
    let mut terms: Vec<OsString> = Vec::new();
    let mut tokens = rest.iter();
    while let Some(token) = tokens.next() {
        let text = token.to_string_lossy();
        if text == "--" {
            terms.extend(tokens.by_ref().cloned());
            break;
        }
        match options.classify(&text) {
            Some(true) => {
                flags.push(token.clone());
                if let Some(value) = tokens.next() {
                    flags.push(value.clone());
                }
            }
            Some(false) => flags.push(token.clone()),
            // An unknown `--long-option` is a typo for an option, never a
            // query (no term starts with `--`): left among the options, clap
            // rejects it as bad usage (exit 2), as it does everywhere else.
            None if is_long_option(&text) => flags.push(token.clone()),
            None => terms.push(token.clone()),
        }
    }
    let mut out: Vec<OsString> = head.to_vec();
    out.extend(flags);
    if !terms.is_empty() {
        out.push(OsString::from("--"));
        out.extend(terms);
    }
    out
}

/// Whether a token is spelt as a long option: `--name` or `--name=value`
/// (a lone `--` ends the options and is handled before).
fn is_long_option(token: &str) -> bool {
    token.len() > 2 && token.starts_with("--")
}

/// The options `list` accepts, by spelling, with whether each takes a value.
struct OptionTable {
    entries: Vec<(String, bool)>,
}

impl OptionTable {
    fn of(root: &clap::Command, list: &clap::Command) -> OptionTable {
        let mut entries = vec![("--help".to_string(), false), ("-h".to_string(), false)];
        for arg in root.get_arguments().chain(list.get_arguments()) {
            if arg.is_positional() {
                continue;
            }
            let takes_value = arg.get_action().takes_values();
            if let Some(long) = arg.get_long() {
                entries.push((format!("--{long}"), takes_value));
            }
            if let Some(short) = arg.get_short() {
                entries.push((format!("-{short}"), takes_value));
            }
        }
        OptionTable { entries }
    }

    /// `Some(takes_separate_value)` for an option token, `None` for a
    /// query term. `--opt=value` is an option that needs no next token.
    fn classify(&self, token: &str) -> Option<bool> {
        if let Some((name, _)) = token.split_once('=') {
            return self
                .entries
                .iter()
                .any(|(known, takes)| *takes && known == name && name.starts_with("--"))
                .then_some(false);
        }
        self.entries
            .iter()
            .find(|(known, _)| known == token)
            .map(|(_, takes)| *takes)
    }
}

/// Where the subcommand `name` is in argv, skipping global options and
/// their values; `None` when another subcommand (or none) comes first.
fn find_subcommand_position(argv: &[OsString], options: &OptionTable, name: &str) -> Option<usize> {
    let mut index = 1;
    while index < argv.len() {
        let text = argv[index].to_string_lossy();
        match options.classify(&text) {
            Some(true) => index += 2,
            Some(false) => index += 1,
            None if text.starts_with('-') => index += 1,
            None => return (text == name).then_some(index),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(args: &[&str]) -> Vec<String> {
        let argv = args.iter().map(OsString::from).collect();
        route_list_terms(argv)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn negated_terms_and_trailing_options_are_separated() {
        assert_eq!(
            route(&["bs", "list", "Oseman", "-tag:bloopers", "--count"]),
            ["bs", "list", "--count", "--", "Oseman", "-tag:bloopers"]
        );
    }

    #[test]
    fn options_with_values_keep_their_value() {
        assert_eq!(
            route(&[
                "bs",
                "--config",
                "c.toml",
                "list",
                "--tag",
                "x",
                "-y",
                "--sort=title"
            ]),
            [
                "bs",
                "--config",
                "c.toml",
                "list",
                "--tag",
                "x",
                "--sort=title",
                "--",
                "-y"
            ]
        );
    }

    #[test]
    fn other_subcommands_are_left_alone() {
        assert_eq!(route(&["bs", "show", "list"]), ["bs", "show", "list"]);
        assert_eq!(route(&["bs", "tags"]), ["bs", "tags"]);
    }

    #[test]
    fn unknown_long_options_stay_options_for_clap_to_reject() {
        assert_eq!(
            route(&["bs", "list", "oseman", "--bogus", "-tag:x", "--count=2"]),
            [
                "bs",
                "list",
                "--bogus",
                "--count=2",
                "--",
                "oseman",
                "-tag:x"
            ]
        );
        for argv in [
            &["bs", "list", "--bogus"][..],
            &["bs", "list", "oseman", "--bogus=1"],
            &["bs", "list", "--count=yes"],
        ] {
            let parsed =
                Args::try_parse_from(route_list_terms(argv.iter().map(OsString::from).collect()));
            assert_eq!(
                parsed.map_err(|e| e.exit_code()).err(),
                Some(2),
                "{argv:?} is bad usage"
            );
        }
    }

    #[test]
    fn an_explicit_double_dash_passes_everything_after_it() {
        assert_eq!(
            route(&["bs", "list", "--", "--count"]),
            ["bs", "list", "--", "--count"]
        );
    }

    #[test]
    fn routed_arguments_parse() {
        let argv = route_list_terms(
            ["bs", "list", "a", "-b", "--limit", "3", "--json"]
                .iter()
                .map(OsString::from)
                .collect(),
        );
        let args = Args::try_parse_from(argv).map_err(|e| e.to_string());
        let Ok(Args {
            command: Some(Command::List(list)),
            ..
        }) = args
        else {
            panic!("did not parse: {args:?}");
        };
        assert_eq!(list.query, ["a", "-b"]);
        assert_eq!(list.limit, Some(3));
        assert!(list.json);
    }
}
