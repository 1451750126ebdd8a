//! The `[keys]` table: the user's bindings over the action table's
//! defaults (see [`crate::keys`]).

use std::collections::HashMap;

use toml::de::DeValue;

use super::doc::suggest;
use super::error::ConfigError;
use super::reader::{Section, Value};
use crate::article::sanitize::quoted;
use crate::keys::{Action, Key, Keymap};

/// Reads `[keys]`: the defaults with the user's bindings, checked for
/// unknown actions, bad key spellings, conflicts and a `quit` left
/// without a key.
pub(super) fn read(reader: &Section, value: &Value) -> Result<Keymap, ConfigError> {
    let mut overrides: Vec<(Action, Vec<Key>)> = Vec::new();
    let mut places: HashMap<(Action, Key), &Value> = HashMap::new();
    let mut quit_entry = None;
    for (key, value) in reader.settings(value, None)? {
        let name: &str = key.get_ref();
        if name == "quit" {
            quit_entry = Some(key.span().start);
        }
        let action = Action::from_name(name).ok_or_else(|| {
            let hint = suggest(name, Action::ALL.iter().map(|a| a.name()))
                .map_or(String::new(), |s| format!("did you mean `{s}`? "));
            reader.doc.error(
                key.span().start,
                format!(
                    "unknown action `{}` in [keys]; {hint}the actions are: {}",
                    quoted(name),
                    Action::ALL
                        .iter()
                        .map(|a| a.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let spellings: Vec<&Value> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => return Err(reader.wrong_type(name, value, "a key in quotes or a list of keys")),
        };
        let mut keys = Vec::new();
        for spelling in spellings {
            let text = reader.string(name, spelling, "a key in quotes")?;
            let parsed: Key = text
                .parse()
                .map_err(|e| reader.error(spelling, format!("in `{name}`: {e}")))?;
            places.entry((action, parsed)).or_insert(spelling);
            keys.push(parsed);
        }
        overrides.push((action, keys));
    }
    let keymap = Keymap::default()
        .with_overrides(&overrides)
        .map_err(|conflict| {
            let offset = places
                .get(&(conflict.second, conflict.key))
                .map_or(value.span().start, |v| v.span().start);
            reader.doc.error(offset, conflict.to_string())
        })?;
    if keymap.keys_for(Action::Quit).is_empty() {
        // Point at the entry that emptied `quit`: its own, or the one
        // that took its last default key.
        let default_quit = Keymap::default();
        let taker = places
            .iter()
            .filter(|((_, key), _)| default_quit.keys_for(Action::Quit).contains(key))
            .map(|(_, spelling)| spelling.span().start)
            .max();
        let offset = quit_entry.or(taker).unwrap_or(value.span().start);
        return Err(reader.doc.error(
            offset,
            "no key is left for `quit`; bind one, such as quit = [\"q\"]",
        ));
    }
    Ok(keymap)
}
