//! Colours of the reader, from the `[theme]` table of the config file.
//!
//! The defaults use the terminal's own foreground and background and the
//! basic ANSI colours, which terminal colour schemes tune for their
//! background, so they read well on dark and light terminals alike.
//! Selection and the status bar use reverse video unless the user gives
//! them colours.

use std::fmt;

use ratatui::style::{Color, Modifier, Style};

use crate::article::sanitize::quoted;

/// Every colour the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Focused pane border, headings of overlays, prompts.
    pub accent: Color,
    /// Text of the selected list row (`reset` with `selected_bg` `reset`: reverse video).
    pub selected_fg: Color,
    /// Background of the selected list row.
    pub selected_bg: Color,
    /// Article titles.
    pub title: Color,
    /// Dates, sources, authors, counts.
    pub meta: Color,
    /// Tags and categories.
    pub tag: Color,
    /// Subheadings inside an article.
    pub subheading: Color,
    /// The bookmark mark.
    pub bookmark: Color,
    /// The unread mark.
    pub unread: Color,
    /// Text of the status bar (`reset` with `status_bg` `reset`: reverse video).
    pub status_fg: Color,
    /// Background of the status bar.
    pub status_bg: Color,
    /// Text of a search match (`reset` with `match_bg` `reset`: reverse video).
    pub match_fg: Color,
    /// Background of a search match.
    pub match_bg: Color,
    /// Error messages.
    pub error: Color,
    /// Borders of unfocused panes.
    pub border: Color,
    /// Hints and other text of less importance.
    pub dim: Color,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            accent: Color::Cyan,
            selected_fg: Color::Reset,
            selected_bg: Color::Reset,
            title: Color::Reset,
            meta: Color::DarkGray,
            tag: Color::Green,
            subheading: Color::Cyan,
            bookmark: Color::Magenta,
            unread: Color::Cyan,
            status_fg: Color::Reset,
            status_bg: Color::Reset,
            match_fg: Color::Reset,
            match_bg: Color::Reset,
            error: Color::Red,
            border: Color::DarkGray,
            dim: Color::DarkGray,
        }
    }
}

impl Theme {
    /// The names of the `[theme]` settings, in the order of the struct.
    pub const FIELDS: &[&str] = &[
        "accent",
        "selected_fg",
        "selected_bg",
        "title",
        "meta",
        "tag",
        "subheading",
        "bookmark",
        "unread",
        "status_fg",
        "status_bg",
        "match_fg",
        "match_bg",
        "error",
        "border",
        "dim",
    ];

    /// Every colour the terminal's default: what the reader uses when
    /// `NO_COLOR` is set. Selection, status bar and matches stay visible
    /// through reverse video.
    pub fn no_color() -> Theme {
        let reset = Color::Reset;
        Theme {
            accent: reset,
            selected_fg: reset,
            selected_bg: reset,
            title: reset,
            meta: reset,
            tag: reset,
            subheading: reset,
            bookmark: reset,
            unread: reset,
            status_fg: reset,
            status_bg: reset,
            match_fg: reset,
            match_bg: reset,
            error: reset,
            border: reset,
            dim: reset,
        }
    }

    /// The colour setting with this `[theme]` name, for the config reader.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Color> {
        Some(match name {
            "accent" => &mut self.accent,
            "selected_fg" => &mut self.selected_fg,
            "selected_bg" => &mut self.selected_bg,
            "title" => &mut self.title,
            "meta" => &mut self.meta,
            "tag" => &mut self.tag,
            "subheading" => &mut self.subheading,
            "bookmark" => &mut self.bookmark,
            "unread" => &mut self.unread,
            "status_fg" => &mut self.status_fg,
            "status_bg" => &mut self.status_bg,
            "match_fg" => &mut self.match_fg,
            "match_bg" => &mut self.match_bg,
            "error" => &mut self.error,
            "border" => &mut self.border,
            "dim" => &mut self.dim,
            _ => return None,
        })
    }

    /// Style of the selected list row.
    pub fn selected(&self) -> Style {
        pair_style(self.selected_fg, self.selected_bg)
    }

    /// Style of the status bar.
    pub fn status(&self) -> Style {
        pair_style(self.status_fg, self.status_bg)
    }

    /// Style of a search match in the article.
    pub fn search_match(&self) -> Style {
        pair_style(self.match_fg, self.match_bg)
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

/// The colour names accepted in the config file (case-insensitive; `_`,
/// `-` and spaces are ignored and `grey` is `gray`).
const COLOR_NAMES: &[(&str, Color)] = &[
    ("reset", Color::Reset),
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

/// A colour spelling in the config file that names no colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorParseError {
    /// The spelling, shortened if long and with anything unprintable
    /// escaped, so the message is safe to print.
    pub input: String,
    /// The colour name it is closest to, if any is close.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for ColorParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a colour", self.input)?;
        if let Some(name) = self.suggestion {
            write!(f, " (did you mean `{name}`?)")?;
        }
        write!(f, "; {COLOR_FORMS}")
    }
}

impl std::error::Error for ColorParseError {}

/// How colours are written, for error messages.
pub const COLOR_FORMS: &str = "use a name (reset, black, red, green, yellow, blue, magenta, cyan, \
     gray, darkgray, lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, \
     white), \"#rrggbb\", or a number 0-255 for the terminal's 256-colour palette";

/// Parses a colour name or `#rrggbb` (also `#rgb`).
pub fn parse_color(input: &str) -> Result<Color, ColorParseError> {
    let spelling = input.trim();
    if let Some(hex) = spelling.strip_prefix('#') {
        return parse_hex(hex).ok_or_else(|| color_error(input, None));
    }
    if let Ok(index) = spelling.parse::<u8>() {
        return Ok(Color::Indexed(index));
    }
    let folded: String = spelling
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace("grey", "gray");
    if let Some(&(_, color)) = COLOR_NAMES.iter().find(|(name, _)| *name == folded) {
        return Ok(color);
    }
    // Edit distance is quadratic: a long spelling is no typo of a name.
    let suggestion = COLOR_NAMES
        .iter()
        .filter(|_| folded.len() <= 32)
        .map(|&(name, _)| (strsim::damerau_levenshtein(name, &folded), name))
        .filter(|&(distance, name)| distance <= 2.max(name.len() / 4))
        .min()
        .map(|(_, name)| name);
    Err(color_error(input, suggestion))
}

fn color_error(input: &str, suggestion: Option<&'static str>) -> ColorParseError {
    ColorParseError {
        input: quoted(input),
        suggestion,
    }
}

/// `rrggbb` or `rgb` in hexadecimal.
fn parse_hex(hex: &str) -> Option<Color> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| hex.get(i..=i).and_then(|d| u8::from_str_radix(d, 16).ok());
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|d| u8::from_str_radix(d, 16).ok())
    };
    match hex.len() {
        6 => Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?)),
        3 => Some(Color::Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
        _ => None,
    }
}

/// The spelling of a colour as the config file accepts it.
pub fn color_name(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        named => COLOR_NAMES
            .iter()
            .find(|&&(_, c)| c == named)
            .map_or_else(|| "reset".to_string(), |&(name, _)| name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_spellings_parse() {
        let cases: &[(&str, Color)] = &[
            ("red", Color::Red),
            ("Red", Color::Red),
            ("dark_gray", Color::DarkGray),
            ("dark-grey", Color::DarkGray),
            ("Light Blue", Color::LightBlue),
            ("default", Color::Reset),
            ("reset", Color::Reset),
            ("#ff8000", Color::Rgb(255, 128, 0)),
            ("#FF8000", Color::Rgb(255, 128, 0)),
            ("#f80", Color::Rgb(255, 136, 0)),
            ("0", Color::Indexed(0)),
            ("255", Color::Indexed(255)),
        ];
        for (spelling, color) in cases {
            assert_eq!(parse_color(spelling), Ok(*color), "{spelling}");
        }
    }

    #[test]
    fn bad_colours_are_errors_with_a_suggestion_when_close() {
        assert_eq!(
            parse_color("magneta").unwrap_err().suggestion,
            Some("magenta")
        );
        assert_eq!(
            parse_color("lightgren").unwrap_err().suggestion,
            Some("lightgreen")
        );
        for bad in [
            "",
            "#",
            "#12345",
            "#1234567",
            "#gg0000",
            "#+1+2+3",
            "256",
            "-1",
            "chartreuse",
        ] {
            let error = parse_color(bad).unwrap_err();
            assert!(error.to_string().contains("#rrggbb"), "{bad}: {error}");
        }
        assert_eq!(parse_color("chartreuse").unwrap_err().suggestion, None);
    }

    #[test]
    fn every_name_round_trips() {
        for &(_, color) in COLOR_NAMES {
            assert_eq!(parse_color(&color_name(color)), Ok(color));
        }
        assert_eq!(color_name(Color::Rgb(1, 2, 255)), "#0102ff");
        assert_eq!(color_name(Color::Indexed(42)), "42");
    }

    #[test]
    fn every_field_is_settable_by_name() {
        let mut theme = Theme::no_color();
        for name in Theme::FIELDS {
            *theme.field_mut(name).unwrap() = Color::Red;
        }
        assert!(theme.field_mut("colour").is_none());
        let all_red = Theme::FIELDS.iter().all(|name| {
            let mut copy = theme;
            *copy.field_mut(name).unwrap() == Color::Red
        });
        assert!(all_red);
        assert_ne!(theme, Theme::no_color());
    }

    #[test]
    fn defaults_avoid_hard_black_and_white_text() {
        let theme = Theme::default();
        for name in Theme::FIELDS {
            let mut copy = theme;
            let color = *copy.field_mut(name).unwrap();
            assert!(
                !matches!(color, Color::Black | Color::White | Color::Rgb(..)),
                "{name} is {color:?}"
            );
        }
    }

    #[test]
    fn highlights_without_colours_use_reverse_video() {
        let theme = Theme::no_color();
        for style in [theme.selected(), theme.status(), theme.search_match()] {
            assert!(style.add_modifier.contains(Modifier::REVERSED));
        }
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
