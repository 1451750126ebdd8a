//! Feeds fetched into the articles folder. Each item becomes one Markdown
//! article file with the front matter the loader reads, so the list, search,
//! tags and bookmarks work on it as on any article: [`parse`] turns a
//! feed's bytes into items, [`item`] says how an item is written and named.
//! The subscriptions themselves are [`crate::store::feeds`].

pub mod item;
pub mod parse;
