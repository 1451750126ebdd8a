//! What a feed that moved for good (a permanent redirect) tells the
//! person: where it went and the file to edit, by its path, so they need
//! not guess which feeds file the program reads.

use std::path::Path;

use crate::article::sanitize::sanitize_line;

/// `moved for good to URL: update its url in /path/feeds.toml`,
/// terminal-safe: the address comes from a server and the path can hold
/// anything.
pub fn advice(moved_to: &str, feeds_file: &Path) -> String {
    // A relative path is named as the file actually read: from the
    // working folder, which the person may not be thinking of.
    let feeds_file = std::path::absolute(feeds_file).unwrap_or_else(|_| feeds_file.to_path_buf());
    format!(
        "moved for good to {}: update its url in {}",
        sanitize_line(moved_to),
        sanitize_line(&feeds_file.to_string_lossy())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advice_names_the_feeds_file_and_keeps_escapes_out() {
        let text = advice(
            "https://news.example/new\u{1b}[2J",
            Path::new("/home/a/.local/share/broadsheet/feeds.toml"),
        );
        assert_eq!(
            text,
            "moved for good to https://news.example/new: update its url in \
             /home/a/.local/share/broadsheet/feeds.toml"
        );
    }
}
