//! broadsheet: a terminal news reader for folders of article files.
//!
//! The crate is a library with a thin binary (`src/main.rs`) so that tests and
//! benches exercise the real code. Dependencies point one way: [`article`]
//! (decode, sanitize, parse) → [`library`] (load, query, the interface the
//! views and commands use) → [`store`] (bookmarks and read state on disk),
//! [`keys`] (the action table and key map) and [`config`] (the settings) →
//! [`cli`] or [`tui`] (the reader). `main.rs` loads the configuration and
//! hands it to one of the last two.

#![warn(unreachable_pub)]

pub mod article;
pub mod cli;
pub mod config;
pub mod feeds;
pub mod files;
pub mod keys;
pub mod library;
pub mod position;
pub mod store;
pub mod sync;
pub mod tui;
