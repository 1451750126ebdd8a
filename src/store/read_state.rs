//! state.toml: which articles have been read.
