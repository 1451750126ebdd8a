//! Feeds fetched into the articles folder. Each item becomes one Markdown
//! article file with the front matter the loader reads, so the list, search,
//! tags and bookmarks work on it as on any article:
//!
//! - [`parse`] turns a feed's bytes into items, or says why they are none,
//!   with [`repair`] for the breakage real feeds commonly have;
//! - [`item`] says how an item is written and named;
//! - [`discover`] finds the feeds a web page links to, and tells a page
//!   from a feed;
//! - [`fulltext`] extracts an item's whole article from its web page;
//! - [`opml`] reads the subscriptions other feed readers export.
//!
//! The subscriptions themselves are [`crate::store::feeds`].

pub mod discover;
pub mod fulltext;
pub mod item;
pub mod opml;
pub mod parse;
mod repair;
