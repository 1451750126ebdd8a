//! broadsheet: a terminal news reader for folders of article files.
//!
//! The crate is a library with a thin binary (`src/main.rs`) so that tests and
//! benches exercise the real code. Data flows one way:
//! files → [`article`] (decode, sanitize, parse) → [`library`] (load, query) →
//! [`cli`] or the reader; [`store`] keeps bookmarks and read state on disk and
//! [`config`] holds the settings.

#![warn(unreachable_pub)]

pub mod article;
pub mod cli;
pub mod config;
pub mod keys;
pub mod library;
pub mod position;
pub mod store;
pub mod tui;
