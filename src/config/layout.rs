//! The `[layout]` table: how the list and the article share the screen.

use std::fmt;

use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Setting, Value};
use crate::article::sanitize::quoted;

/// The `[layout]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayoutConfig {
    /// Width of the list pane beside the article.
    pub list_width: ListWidth,
    /// Whether the list sits beside or above the article.
    pub orientation: Orientation,
}

/// Width of the list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListWidth {
    /// A number of terminal columns (10 to 500).
    Columns(u16),
    /// A share of the screen width, in percent (10 to 90).
    Percent(u16),
}

impl Default for ListWidth {
    fn default() -> ListWidth {
        ListWidth::Percent(40)
    }
}

impl ListWidth {
    /// The list pane's width on a screen `total` columns wide, never more
    /// than `total`.
    pub fn columns_of(self, total: u16) -> u16 {
        match self {
            ListWidth::Columns(columns) => columns.min(total),
            ListWidth::Percent(percent) => {
                let share = u32::from(total) * u32::from(percent.min(100)) / 100;
                u16::try_from(share).unwrap_or(total)
            }
        }
    }
}

impl fmt::Display for ListWidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListWidth::Columns(columns) => write!(f, "{columns}"),
            ListWidth::Percent(percent) => write!(f, "{percent}%"),
        }
    }
}

/// How the list and the article share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    /// Side by side on wide screens, stacked on narrow ones.
    #[default]
    Auto,
    /// Always side by side.
    Horizontal,
    /// Always stacked, list on top.
    Vertical,
}

impl Orientation {
    /// Every orientation.
    pub const ALL: [Orientation; 3] = [
        Orientation::Auto,
        Orientation::Horizontal,
        Orientation::Vertical,
    ];

    /// The name as written in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Orientation::Auto => "auto",
            Orientation::Horizontal => "horizontal",
            Orientation::Vertical => "vertical",
        }
    }
}

/// The settings of `[layout]`.
pub(super) const SETTINGS: &[Setting<LayoutConfig>] = &[
    Setting {
        name: "list_width",
        doc: "Width of the list beside the article",
        set: |reader, _, value, layout| {
            layout.list_width = list_width(reader, value)?;
            Ok(())
        },
    },
    Setting {
        name: "orientation",
        doc: "How the list and the article share the screen",
        set: |reader, name, value, layout| {
            let expected = "\"auto\", \"horizontal\" or \"vertical\"";
            let spelling = reader.string(name, value, expected)?;
            layout.orientation = Orientation::ALL
                .into_iter()
                .find(|o| o.name() == spelling)
                .ok_or_else(|| {
                    reader.error(
                        value,
                        format!("unknown orientation `{}`; use {expected}", quoted(spelling)),
                    )
                })?;
            Ok(())
        },
    },
];

fn list_width(reader: &Section, value: &Value) -> Result<ListWidth, ConfigError> {
    let expected = "a share such as \"40%\" (10% to 90%) or a number of columns (10 to 500)";
    let invalid = || reader.error(value, format!("`list_width` must be {expected}"));
    let width = match value.get_ref() {
        DeValue::Integer(_) => {
            let columns = reader.integer(value).ok_or_else(invalid)?;
            ListWidth::Columns(u16::try_from(columns).map_err(|_| invalid())?)
        }
        DeValue::String(text) => parse_list_width(text.trim()).ok_or_else(invalid)?,
        _ => return Err(reader.wrong_type("list_width", value, expected)),
    };
    let fits = match width {
        ListWidth::Columns(columns) => (10..=500).contains(&columns),
        ListWidth::Percent(percent) => (10..=90).contains(&percent),
    };
    if !fits {
        return Err(invalid());
    }
    Ok(width)
}

/// `"40%"` as a share, `"120"` as columns.
fn parse_list_width(text: &str) -> Option<ListWidth> {
    match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse().ok().map(ListWidth::Percent),
        None => text.parse().ok().map(ListWidth::Columns),
    }
}
