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
        FeedCommand::Export => {
            let feeds = store.load()?;
            out.write_all(opml(&feeds).as_bytes()).map_err(write_error)
        }
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

/// The feeds as an OPML 2.0 document: one `outline` of type `rss` each,
/// with its name, address and (as `category`) its tags.
fn opml(feeds: &[Feed]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>broadsheet feeds</title>\n  </head>\n  <body>\n",
    );
    for feed in feeds {
        let name = xml_attribute(&feed.name);
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"",
            xml_attribute(&feed.url)
        ));
        if !feed.tags.is_empty() {
            out.push_str(&format!(
                " category=\"{}\"",
                xml_attribute(&feed.tags.join(","))
            ));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Text as an XML attribute value: markup characters escaped, control
/// characters (which XML 1.0 cannot hold) dropped.
fn xml_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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
