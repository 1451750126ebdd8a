//! bookmarks.toml: `[[bookmark]]` tables people can read and edit.
