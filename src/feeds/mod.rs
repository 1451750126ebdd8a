//! Feeds fetched into the articles folder. Each item becomes one Markdown
//! article file with the front matter the loader reads, so the list, search,
//! tags and bookmarks work on it as on any article: [`parse`] turns a
//! feed's bytes into items, [`item`] says how an item is written and named.
//! [`http`] is the client that GETs a feed: only http and https, redirects
//! checked hop by hop, timeouts, a size cap and at most two requests per host.
//! The subscriptions themselves are [`crate::store::feeds`].

pub mod http;
pub mod item;
pub mod parse;
