//! The `[views]` table: saved views, named queries offered by the views key.

use super::error::ConfigError;
use super::reader::{Section, Value, string_source_offset};
use crate::article::sanitize::{is_invisible, quoted};
use crate::library::query;

/// A saved view: a named query from the `[views]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The name shown in the views menu.
    pub name: String,
    /// The query, already checked to parse.
    pub query: String,
}

/// Reads `[views]`: names and queries in file order, each query checked
/// to parse, with errors placed inside the query's string.
pub(super) fn read(reader: &Section, value: &Value) -> Result<Vec<View>, ConfigError> {
    let mut views = Vec::new();
    for (key, value) in reader.settings(value, None)? {
        let name: &str = key.get_ref();
        if name.trim().is_empty() || name.chars().count() > 60 || name.chars().any(is_invisible) {
            return Err(reader.doc.error(
                key.span().start,
                "a view name must be 1 to 60 visible characters, without control characters",
            ));
        }
        let text = reader.string(name, value, "a query in quotes")?;
        if let Some(position) = text.chars().position(is_invisible) {
            let offset = value.span().start + string_source_offset(reader.raw(value), position);
            return Err(reader.doc.error(
                offset,
                format!(
                    "view `{}` has a control character in its query; remove it",
                    quoted(name)
                ),
            ));
        }
        query::parse(text).map_err(|e| {
            let offset = value.span().start + string_source_offset(reader.raw(value), e.column);
            reader.doc.error(
                offset,
                format!("view `{}`: bad query: {}", quoted(name), e.message),
            )
        })?;
        views.push(View {
            name: name.to_string(),
            query: text.to_string(),
        });
    }
    Ok(views)
}
