//! `broadsheet feed …`: the subscriptions in the feeds file: add (finding
//! the feed a web page links), remove, list (with how each last fetch went),
//! import from and export to OPML.

use std::io::Write;
use std::path::Path;

use super::args::FeedCommand;
use super::error::{CliError, write_error};
use super::format::plural;
use crate::article::sanitize::sanitize_line;
use crate::config::Config;
use crate::feeds::fetch::{Body, FetchOptions, read_body};
use crate::feeds::http::{Http, HttpError, HttpOptions, Response, Validators};
use crate::feeds::opml;
use crate::feeds::status::statuses;
use crate::store::feeds::{Added, Feed, FeedStore, check_url};

/// Runs one `feed` subcommand against the configured feeds file.
pub(super) fn run(
    command: &FeedCommand,
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let store = FeedStore::new(&config.library.feeds);
    match command {
        FeedCommand::Add {
            url,
            name,
            tag,
            full_text,
            no_fetch,
        } => {
            check_url(url.trim())
                .map_err(|message| CliError::new(format!("`{}`: {message}", sanitize_line(url))))?;
            let mut feed = if *no_fetch {
                Feed::new(url.trim())
            } else {
                looked_up(url.trim(), name.is_none(), out, err)?
            };
            if let Some(name) = name {
                feed.name = name.trim().to_string();
            }
            feed.tags.clone_from(tag);
            feed.full_text = *full_text;
            // A name given is the person's choice: taken, it is an error.
            // A name found (the feed's title, the host) gets ` 2` instead.
            let added = if name.is_some() {
                store.add(feed)?
            } else {
                let mut results = store.add_all(vec![feed])?;
                results
                    .pop()
                    .unwrap_or_else(|| Err("nothing was added".to_string()))
                    .map_err(|reason| {
                        CliError::new(format!("`{}`: {reason}", sanitize_line(url)))
                    })?
            };
            match added {
                Added::Added(feed) => writeln!(
                    out,
                    "subscribed: {}\n{}",
                    shown(&feed),
                    what_brings_the_articles(config)
                ),
                Added::AlreadyThere(feed) => writeln!(out, "already subscribed: {}", shown(&feed)),
            }
            .map_err(write_error)
        }
        FeedCommand::Import { file } => import(&store, file, out, err),
        FeedCommand::Remove { feed, keep_state } => match store.remove(feed)? {
            Some(feed) => {
                writeln!(out, "unsubscribed: {}", shown(&feed)).map_err(write_error)?;
                if *keep_state {
                    return Ok(());
                }
                let options = FetchOptions::new(&config.library.articles, &config.library.feeds);
                match options.state_of(&feed).forget() {
                    Ok(true) => writeln!(
                        out,
                        "forgot what fetching it found (its articles stay); adding it again fetches it afresh"
                    )
                    .map_err(write_error),
                    Ok(false) => Ok(()),
                    Err(error) => {
                        let _ = writeln!(err, "broadsheet: warning: {error}");
                        Ok(())
                    }
                }
            }
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
            let options = FetchOptions::new(&config.library.articles, &config.library.feeds);
            let (rows, warnings) = statuses(&feeds, &options);
            for warning in warnings {
                let _ = writeln!(err, "broadsheet: warning: {}", sanitize_line(&warning));
            }
            if *json {
                return super::format::write_json(out, &rows);
            }
            if rows.is_empty() && config.accounts.is_empty() {
                return say_no_feeds(&store, out);
            }
            for row in &rows {
                writeln!(out, "{}", row.lines(&config.library.feeds)).map_err(write_error)?;
            }
            // The accounts' feeds, as their last sync recorded them.
            super::sync::list_account_feeds(config, out, err)
        }
    }
}

/// Says that the feeds file lists no feed yet, and how to add one.
pub(super) fn say_no_feeds(store: &FeedStore, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(
        out,
        "no feeds yet in {}: subscribe with `broadsheet feed add URL`",
        store.path().display()
    )
    .map_err(write_error)
}

/// The most pages followed from the address given to the feed it links:
/// a page, the page it names as its feed, and one more.
const MAX_HOPS: usize = 3;

/// The feed to subscribe to at `url`: looked up first, so that a web page
/// gives the feed it links, and (when `named_by_feed`) the feed's own title
/// names it. An address the server answers with an error (404, say) is
/// refused; a server that cannot be reached now is subscribed to anyway,
/// with a warning: the next fetch tries again. A page's feed link is
/// followed at most [`MAX_HOPS`] times and never to an address already
/// visited: a page naming itself as its feed ends with an error.
fn looked_up(
    url: &str,
    named_by_feed: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Feed, CliError> {
    let http = Http::new(HttpOptions::default());
    let mut visited: Vec<String> = Vec::new();
    let mut current = url.to_string();
    loop {
        visited.push(current.clone());
        let next = match look_up_once(&http, &current, named_by_feed, out, err)? {
            Found::Feed(feed) => return Ok(feed),
            Found::Page(next) => next,
        };
        let seen = |address: &str| visited.iter().any(|v| v == address);
        if seen(&next) {
            return Err(CliError::new(format!(
                "{}: the page names {} as its feed, a page already visited: the site's \
                 feed links go round in a circle; find the feed's address and add that",
                sanitize_line(url),
                sanitize_line(&next)
            )));
        }
        if visited.len() >= MAX_HOPS {
            return Err(CliError::new(format!(
                "{}: after {MAX_HOPS} pages that each name another page as the feed, no \
                 feed yet; find the feed's address and add that",
                sanitize_line(url)
            )));
        }
        current = next;
    }
}

/// What one address gave: the feed to subscribe to, or a page naming
/// another address as its feed.
enum Found {
    Feed(Feed),
    Page(String),
}

/// Fetches `url` once: a feed (named by its title when `named_by_feed`),
/// or the address of the first feed a page links.
fn look_up_once(
    http: &Http,
    url: &str,
    named_by_feed: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Found, CliError> {
    let response = match http.get(url, &Validators::default()) {
        Ok(Response {
            body: Some(bytes),
            url: final_url,
            content_type,
            ..
        }) => (bytes, final_url, content_type),
        Ok(_) => return Ok(Found::Feed(Feed::new(url))),
        // The server answered, and not with a feed: most likely a wrong
        // address, which the person wants to hear of now.
        Err(HttpError::Status { code, .. }) => {
            return Err(CliError::new(format!(
                "{}: the server answered {code}; not subscribed: check the address \
                 (`--no-fetch` subscribes anyway)",
                sanitize_line(url)
            )));
        }
        Err(error) => {
            let _ = writeln!(
                err,
                "broadsheet: warning: {}; subscribed anyway: `broadsheet fetch` tries again",
                sanitize_line(&error.to_string())
            );
            return Ok(Found::Feed(Feed::new(url)));
        }
    };
    let (bytes, final_url, content_type) = response;
    let body = read_body(&bytes, &final_url, content_type.as_deref()).map_err(|error| {
        CliError::new(format!(
            "{} is not a feed broadsheet can read ({}): check the address",
            sanitize_line(url),
            sanitize_line(&error)
        ))
    })?;
    let parsed = match body {
        Body::Feed(parsed) => parsed,
        Body::Page(found) => {
            let Some(first) = found.first() else {
                return Err(CliError::new(format!(
                    "{} is a web page that links no feed: find the site's feed address and add that",
                    sanitize_line(url)
                )));
            };
            writeln!(
                out,
                "found the feed {} on that page",
                sanitize_line(&first.url)
            )
            .map_err(write_error)?;
            if found.len() > 1 {
                let others: Vec<String> =
                    found[1..].iter().map(|f| sanitize_line(&f.url)).collect();
                writeln!(out, "the page links others too: {}", others.join(", "))
                    .map_err(write_error)?;
            }
            return Ok(Found::Page(first.url.clone()));
        }
    };
    let mut feed = Feed::new(url);
    let title = sanitize_line(parsed.title.trim());
    if named_by_feed && !title.trim().is_empty() {
        feed.name = title.trim().to_string();
    }
    Ok(Found::Feed(feed))
}

/// `feed import FILE`: every feed of an OPML file, in one change.
fn import(
    store: &FeedStore,
    file: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let bytes = std::fs::read(file)
        .map_err(|error| CliError::new(format!("{}: cannot be read ({error})", file.display())))?;
    let imported = opml::import(&bytes).map_err(|error: String| {
        CliError::new(format!("{}: {}", file.display(), sanitize_line(&error)))
    })?;
    for skipped in &imported.skipped {
        let _ = writeln!(
            err,
            "broadsheet: warning: {}: skipped {}: {}",
            file.display(),
            sanitize_line(&skipped.url),
            sanitize_line(&skipped.reason)
        );
    }
    if let Some(stopped) = &imported.stopped {
        let _ = writeln!(
            err,
            "broadsheet: warning: {}: read up to a fault ({}); the feeds before it are imported",
            file.display(),
            sanitize_line(stopped)
        );
    }
    let feeds: Vec<Feed> = imported
        .subscriptions
        .into_iter()
        .map(|subscription| Feed {
            name: subscription.name.unwrap_or_default(),
            tags: subscription.tags,
            ..Feed::new(subscription.url)
        })
        .collect();
    let mut added = 0;
    let mut there = 0;
    for result in store.add_all(feeds)? {
        match result {
            Ok(Added::Added(feed)) => {
                added += 1;
                writeln!(out, "subscribed: {}", shown(&feed)).map_err(write_error)?;
            }
            Ok(Added::AlreadyThere(_)) => there += 1,
            Err(reason) => {
                let _ = writeln!(
                    err,
                    "broadsheet: warning: {}: {}",
                    file.display(),
                    sanitize_line(&reason)
                );
            }
        }
    }
    writeln!(
        out,
        "imported {added} feed{} from {} ({there} already subscribed)",
        plural(added),
        file.display()
    )
    .map_err(write_error)
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

/// Text as an XML attribute value: markup characters escaped; control
/// characters and what else XML 1.0 cannot hold (U+FFFE, U+FFFF: its
/// `Char` production) dropped, so every XML reader accepts the file.
fn xml_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() || !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (`Char`: tab, line ends,
/// U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `Name  url`, terminal-safe (the file is edited by hand).
fn shown(feed: &Feed) -> String {
    format!(
        "{}  {}",
        sanitize_line(&feed.name),
        sanitize_line(&feed.url)
    )
}

/// Said after `feed add`: a feed is subscribed to, its articles come with a
/// fetch, into the articles folder.
fn what_brings_the_articles(config: &Config) -> String {
    let key = config
        .keys
        .keys_for(crate::keys::Action::FetchFeeds)
        .first()
        .map(|key| format!(" (or {key} in the reader)"))
        .unwrap_or_default();
    format!(
        "`broadsheet fetch`{key} brings its articles into {}",
        sanitize_line(&config.library.articles.to_string_lossy())
    )
}
