//! Bookmarks and read state on disk: atomic writes, a sidecar lock, re-read
//! and merge before every write, corrupt files moved aside, never overwritten.

pub mod bookmarks;
pub mod read_state;
