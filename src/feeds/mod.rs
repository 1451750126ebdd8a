//! Feeds fetched into the articles folder. Each item becomes one Markdown
//! article file with the front matter the loader reads, so the list, search,
//! tags and bookmarks work on it as on any article:
//!
//! - [`fetch`] fetches feeds into the folder, several at once, and
//!   [`write`] decides what of a fetch is written (never twice, never
//!   lost), into the folder [`folders`] gives each feed; [`status`] says
//!   how each feed's last fetch went;
//! - [`http`] is the client that GETs a feed: only http and https, redirects
//!   checked hop by hop, timeouts, a size cap and at most two requests per
//!   host;
//! - [`parse`] turns a feed's bytes into items, or says why they are none,
//!   with `repair` for the breakage real feeds commonly have, [`encoding`]
//!   deciding what the bytes are written in (feeds, pages and OPML alike),
//!   `legacy` rewriting RSS 0.90 and Atom 0.3 as feed-rs reads them and
//!   `jsonfeed` reading a JSON Feed's items one by one when one is bad;
//! - [`html`] makes an item's or page's HTML readable text;
//! - [`isolate`] keeps a panic in one feed's fetch that feed's failure;
//! - [`item`] says how an item is written and named; [`links`] makes its
//!   relative addresses whole, [`enclosure`] finds its podcasts and videos;
//! - [`discover`] finds the feeds a web page links to, and tells a page
//!   from a feed;
//! - [`fulltext`] extracts an item's whole article from its web page;
//! - [`opml`] reads the subscriptions other feed readers export.
//!
//! The subscriptions themselves are [`crate::store::feeds`], their fetch
//! state [`crate::store::feed_state`].

pub mod dates;
pub mod discover;
pub mod enclosure;
pub mod encoding;
pub mod fetch;
pub mod folders;
pub mod fulltext;
pub mod html;
pub mod http;
pub mod isolate;
pub mod item;
mod jsonfeed;
mod legacy;
pub mod links;
pub mod moved;
pub mod opml;
pub mod parse;
mod repair;
mod spread;
pub mod status;
pub mod write;
