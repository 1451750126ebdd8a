//! How the theme's colours become highlights on screen: a colour pair whose
//! colours are both the terminal's defaults is drawn in reverse video, so
//! selection, the status bar and matches show without colours (`NO_COLOR`).

use ratatui::style::{Color, Modifier, Style};

use crate::config::Theme;

/// The highlights the reader draws, from a [`Theme`]'s colour pairs.
pub(crate) trait Highlights {
    /// Style of the selected list row.
    fn selected(&self) -> Style;
    /// Style of the status bar.
    fn status(&self) -> Style;
    /// Style of a search match in the article.
    fn search_match(&self) -> Style;
    /// Style of the search match jumped to last, which must stand out
    /// from the other matches.
    fn current_match(&self) -> Style;
}

impl Highlights for Theme {
    fn selected(&self) -> Style {
        pair_style(self.selected_fg, self.selected_bg)
    }

    fn status(&self) -> Style {
        pair_style(self.status_fg, self.status_bg)
    }

    fn search_match(&self) -> Style {
        pair_style(self.match_fg, self.match_bg)
    }

    fn current_match(&self) -> Style {
        let style = pair_style(self.current_match_fg, self.current_match_bg);
        if style.add_modifier.contains(Modifier::REVERSED) {
            // Reverse video is what the other matches look like without
            // colours: bold and underlined tell this one apart.
            style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            style
        }
    }
}

/// A highlight from a foreground/background pair: reverse video when both
/// are the terminal's defaults, so the highlight shows without colours.
fn pair_style(fg: Color, bg: Color) -> Style {
    if fg == Color::Reset && bg == Color::Reset {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().fg(fg).bg(bg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_without_colours_use_reverse_video() {
        let theme = Theme::no_color();
        for style in [
            theme.selected(),
            theme.status(),
            theme.search_match(),
            theme.current_match(),
        ] {
            assert!(style.add_modifier.contains(Modifier::REVERSED));
        }
        assert_ne!(
            theme.current_match(),
            theme.search_match(),
            "the match jumped to stands out without colours too"
        );
        let coloured = Theme {
            selected_bg: Color::Blue,
            ..Theme::no_color()
        };
        assert_eq!(coloured.selected().bg, Some(Color::Blue));
        assert!(
            !coloured
                .selected()
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }
}
