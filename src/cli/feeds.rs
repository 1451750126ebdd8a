//! `broadsheet feed …`: the subscriptions in the feeds file.

use std::io::Write;

use serde::Serialize;

use super::{CliError, FeedCommand, write_error};
use crate::article::sanitize::sanitize_line;
use crate::config::Config;
use crate::store::feeds::{Added, Feed, FeedStore};

/// Runs one `feed` subcommand against the configured feeds file.
pub(super) fn run(
    command: &FeedCommand,
    config: &Config,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let store = FeedStore::new(&config.library.feeds);
    match command {
        FeedCommand::Add {
            url,
            name,
            tag,
            full_text,
        } => {
            let mut feed = Feed::new(url.trim());
            if let Some(name) = name {
                feed.name = name.trim().to_string();
            }
            feed.tags.clone_from(tag);
            feed.full_text = *full_text;
            match store.add(feed)? {
                Added::Added(feed) => writeln!(out, "subscribed: {}", shown(&feed)),
                Added::AlreadyThere(feed) => writeln!(out, "already subscribed: {}", shown(&feed)),
            }
            .map_err(write_error)
        }
        FeedCommand::Remove { feed } => match store.remove(feed)? {
            Some(feed) => writeln!(out, "unsubscribed: {}", shown(&feed)).map_err(write_error),
            None => Err(CliError::new(format!(
                "no feed named `{}` or at that address; `broadsheet feed list` lists them",
                sanitize_line(feed)
            ))),
        },
        FeedCommand::List { json } => {
            let feeds = store.load()?;
            if *json {
                let rows: Vec<FeedRow> = feeds.iter().map(FeedRow::new).collect();
                return super::format::write_json(out, &rows);
            }
            for feed in &feeds {
                let mut line = shown(feed);
                if !feed.tags.is_empty() {
                    line.push_str(&format!("  [{}]", sanitize_line(&feed.tags.join(", "))));
                }
                if feed.full_text {
                    line.push_str("  full text");
                }
                writeln!(out, "{line}").map_err(write_error)?;
            }
            Ok(())
        }
    }
}

/// `Name  url`, terminal-safe (the file is edited by hand).
fn shown(feed: &Feed) -> String {
    format!(
        "{}  {}",
        sanitize_line(&feed.name),
        sanitize_line(&feed.url)
    )
}

/// One feed of `feed list --json`.
#[derive(Debug, Serialize)]
struct FeedRow {
    name: String,
    url: String,
    tags: Vec<String>,
    full_text: bool,
    folder: Option<String>,
}

impl FeedRow {
    fn new(feed: &Feed) -> FeedRow {
        FeedRow {
            name: sanitize_line(&feed.name),
            url: sanitize_line(&feed.url),
            tags: feed.tags.iter().map(|t| sanitize_line(t)).collect(),
            full_text: feed.full_text,
            folder: feed.folder.as_deref().map(sanitize_line),
        }
    }
}
