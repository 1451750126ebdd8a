//! The `[theme]` table: the reader's colours, as data. How a colour pair
//! becomes a highlight on screen is the reader's business.
//!
//! The defaults use the terminal's own foreground and background and the
//! basic ANSI colours, which terminal colour schemes tune for their
//! background, so they read well on dark and light terminals alike.
//! Selection and the status bar use reverse video unless the user gives
//! them colours.

use std::fmt;

use ratatui::style::Color;
use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Setting, Value};
use crate::article::sanitize::quoted;

/// Defines [`Theme`], its defaults and its `[theme]` settings from one
/// list: field, default colour, and what it colours (the field's doc and
/// config.toml's comment).
macro_rules! theme {
    ($($field:ident: $default:expr, $doc:literal;)+) => {
        /// Every colour the reader uses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Theme {
            $(#[doc = $doc] pub $field: Color,)+
        }

        impl Default for Theme {
            fn default() -> Theme {
                Theme { $($field: $default,)+ }
            }
        }

        impl Theme {
            /// The names of the `[theme]` settings, in the order of the struct.
            pub const FIELDS: &[&str] = &[$(stringify!($field)),+];

            /// Every colour the terminal's default: what the reader uses when
            /// `NO_COLOR` is set. Selection, status bar and matches stay
            /// visible through reverse video.
            pub(crate) fn no_color() -> Theme {
                Theme { $($field: Color::Reset,)+ }
            }

            /// Every colour with its setting's name, in the order of the struct.
            pub fn colors(&self) -> Vec<(&'static str, Color)> {
                vec![$((stringify!($field), self.$field)),+]
            }
        }

        /// The settings of `[theme]`.
        pub(super) const SETTINGS: &[Setting<Theme>] = &[$(Setting {
            name: stringify!($field),
            doc: $doc,
            set: |reader, name, value, theme| {
                theme.$field = color(reader, name, value)?;
                Ok(())
            },
        }),+];
    };
}

theme! {
    accent: Color::Cyan, "Focused pane border, overlay headings, prompts.";
    selected_fg: Color::Reset, "The selected row of the list.";
    selected_bg: Color::Reset, "The selected row of the list.";
    title: Color::Reset, "Article titles.";
    meta: Color::DarkGray, "Dates, sources, authors, counts.";
    tag: Color::Green, "Tags and categories.";
    subheading: Color::Cyan, "Subheadings inside an article.";
    bookmark: Color::Magenta, "The bookmark and unread marks.";
    unread: Color::Cyan, "The bookmark and unread marks.";
    status_fg: Color::Reset, "The status bar.";
    status_bg: Color::Reset, "The status bar.";
    match_fg: Color::Reset, "Search matches inside an article.";
    match_bg: Color::Reset, "Search matches inside an article.";
    current_match_fg: Color::Reset, "The search match jumped to last (next_match, prev_match).";
    current_match_bg: Color::Reset, "The search match jumped to last (next_match, prev_match).";
    error: Color::Red, "Error messages.";
    border: Color::DarkGray, "Borders of panes without focus.";
    dim: Color::DarkGray, "Hints and less important text.";
}

/// A colour setting: a name, `"#rrggbb"` or a palette number.
fn color(reader: &Section, setting: &str, value: &Value) -> Result<Color, ConfigError> {
    match value.get_ref() {
        DeValue::String(text) => {
            parse_color(text).map_err(|e| reader.error(value, format!("`{setting}`: {e}")))
        }
        DeValue::Integer(_) => reader
            .integer(value)
            .and_then(|n| u8::try_from(n).ok())
            .map(Color::Indexed)
            .ok_or_else(|| {
                reader.error(
                    value,
                    format!("`{setting}`: colour numbers go from 0 to 255"),
                )
            }),
        _ => Err(reader.wrong_type(setting, value, "a colour name, \"#rrggbb\" or 0-255")),
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
    fn every_colour_has_a_setting_and_no_colour_resets_them_all() {
        let names: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
        let listed: Vec<&str> = Theme::default().colors().iter().map(|&(n, _)| n).collect();
        assert_eq!(names, listed);
        assert_eq!(names, Theme::FIELDS);
        assert!(
            Theme::no_color()
                .colors()
                .iter()
                .all(|&(_, c)| c == Color::Reset)
        );
    }

    #[test]
    fn defaults_avoid_hard_black_and_white_text() {
        for (name, color) in Theme::default().colors() {
            assert!(
                !matches!(color, Color::Black | Color::White | Color::Rgb(..)),
                "{name} is {color:?}"
            );
        }
    }
}
