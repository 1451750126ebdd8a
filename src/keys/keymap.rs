//! [`Keymap`]: the keys of every action (the table's defaults merged with
//! the user's `[keys]`), and for each [`Mode`] which action a key asks for.

use std::collections::HashMap;
use std::fmt;

use super::action::{Action, Mode};
use super::key::{Key, KeyCode};

/// The same key bound by the user to two actions that work in one mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConflict {
    /// The key.
    pub key: Key,
    /// The action it was bound to first.
    pub first: Action,
    /// The action that bound it again.
    pub second: Action,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key `{}` is bound to both `{}` and `{}`; keep it in one of them",
            self.key, self.first, self.second
        )
    }
}

impl std::error::Error for KeyConflict {}

/// Keys for every action, and per mode the action of every bound key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Keys of each action, in [`Action::ALL`] order.
    keys: Vec<Vec<Key>>,
    /// Per mode (in [`Mode::ALL`] order), the action of each key.
    by_mode: Vec<HashMap<Key, Action>>,
}

impl Default for Keymap {
    /// The bindings of the action table (`j`/`k`, `g`/`G`, `/`, `q`…).
    fn default() -> Keymap {
        Keymap::from_lists(Action::ALL.iter().map(|&a| default_keys(a)).collect())
    }
}

/// An action's default keys, parsed from the table's spellings (a test
/// checks that every one parses).
fn default_keys(action: Action) -> Vec<Key> {
    action
        .default_spellings()
        .iter()
        .filter_map(|spelling| spelling.parse().ok())
        .collect()
}

/// Keys a prompt or filter keeps for editing, whatever the key map says:
/// Backspace, Ctrl-U (clear) and Ctrl-W (delete a word), readline style.
pub fn is_editing_key(key: Key) -> bool {
    key.is_text()
        || key == Key::plain(KeyCode::Backspace)
        || key == Key::ctrl('u')
        || key == Key::ctrl('w')
}

/// Whether two actions can both be reached in some mode with the same
/// standing (both shared, or both the popup's own), so one key cannot
/// serve both.
fn compete(a: Action, b: Action) -> bool {
    a.is_own() == b.is_own() && a.modes().iter().any(|&mode| b.works_in(mode))
}

/// Where an action sits in [`Action::ALL`] (and so in `Keymap::keys`).
fn slot(action: Action) -> usize {
    action as usize
}

impl Keymap {
    /// Builds the map from per-action key lists in [`Action::ALL`] order.
    ///
    /// In each mode the popup's own actions come first; in a mode that
    /// takes text, the editing keys are left to the text, except where an
    /// own action claims one (the tag picker's Space).
    fn from_lists(keys: Vec<Vec<Key>>) -> Keymap {
        let by_mode = Mode::ALL
            .iter()
            .map(|&mode| {
                let mut map = HashMap::new();
                for (&action, list) in Action::ALL.iter().zip(&keys) {
                    if !action.works_in(mode) || action.is_own() {
                        continue;
                    }
                    for &key in list {
                        if !(mode.takes_text() && is_editing_key(key)) {
                            map.entry(key).or_insert(action);
                        }
                    }
                }
                for (&action, list) in Action::ALL.iter().zip(&keys) {
                    if action.works_in(mode) && action.is_own() {
                        for &key in list {
                            map.insert(key, action);
                        }
                    }
                }
                map
            })
            .collect();
        Keymap { keys, by_mode }
    }

    /// These bindings with the user's: each listed action gets exactly the
    /// listed keys (an empty list unbinds it), and a key the user binds is
    /// taken away from every unlisted action it would compete with. The
    /// same key listed for two actions that work in one mode is a
    /// [`KeyConflict`].
    pub(crate) fn with_overrides(
        &self,
        overrides: &[(Action, Vec<Key>)],
    ) -> Result<Keymap, KeyConflict> {
        let mut user_keys: HashMap<Key, Vec<Action>> = HashMap::new();
        for (action, keys) in overrides {
            for &key in keys {
                let holders = user_keys.entry(key).or_default();
                if let Some(&first) = holders
                    .iter()
                    .find(|&&h| h != *action && compete(h, *action))
                {
                    return Err(KeyConflict {
                        key,
                        first,
                        second: *action,
                    });
                }
                if !holders.contains(action) {
                    holders.push(*action);
                }
            }
        }
        let mut lists = self.keys.clone();
        for (&action, list) in Action::ALL.iter().zip(&mut lists) {
            list.retain(|key| {
                user_keys
                    .get(key)
                    .is_none_or(|holders| !holders.iter().any(|&h| compete(h, action)))
            });
        }
        for (action, keys) in overrides {
            let list = &mut lists[slot(*action)];
            list.clear();
            for &key in keys {
                if !list.contains(&key) {
                    list.push(key);
                }
            }
        }
        Ok(Keymap::from_lists(lists))
    }

    /// The action a key asks for in a mode, if any. In a mode that takes
    /// text, `None` for an editing key means "edit the text".
    pub(crate) fn resolve(&self, mode: Mode, key: Key) -> Option<Action> {
        self.by_mode.get(mode.slot())?.get(&key).copied()
    }

    /// The keys bound to an action, most prominent first (for help); empty
    /// when the user unbound it.
    pub fn keys_for(&self, action: Action) -> &[Key] {
        self.keys.get(slot(action)).map_or(&[], Vec::as_slice)
    }

    /// The first key that reaches `action` in `mode`, for hints; `None` when
    /// none does (unbound, or every key taken by text or another action).
    pub fn hint_key(&self, mode: Mode, action: Action) -> Option<Key> {
        self.keys_for(action)
            .iter()
            .copied()
            .find(|&key| self.resolve(mode, key) == Some(action))
    }

    /// Every action with its keys, in [`Action::ALL`] order.
    pub(crate) fn bindings(&self) -> impl Iterator<Item = (Action, &[Key])> {
        Action::ALL
            .iter()
            .zip(&self.keys)
            .map(|(&action, keys)| (action, keys.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
    }

    #[test]
    fn every_default_spelling_parses() {
        for &action in Action::ALL {
            for spelling in action.default_spellings() {
                assert!(spelling.parse::<Key>().is_ok(), "{action}: {spelling}");
            }
            assert_eq!(
                Keymap::default().keys_for(action).len(),
                action.default_spellings().len(),
                "{action}"
            );
        }
    }

    #[test]
    fn no_default_key_reaches_two_actions_in_one_mode() {
        let keymap = Keymap::default();
        for &mode in Mode::ALL {
            for &action in Action::ALL.iter().filter(|a| a.works_in(mode)) {
                for &other in Action::ALL
                    .iter()
                    .filter(|&&o| o != action && compete(o, action))
                {
                    if !other.works_in(mode) {
                        continue;
                    }
                    for k in keymap.keys_for(action) {
                        assert!(
                            !keymap.keys_for(other).contains(k),
                            "{k} for {action} and {other} in {mode:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn popups_take_their_own_keys_and_leave_typing_to_the_text() {
        let keymap = Keymap::default();
        assert_eq!(keymap.resolve(Mode::Tags, key("space")), Some(Action::Pick));
        assert_eq!(
            keymap.resolve(Mode::Tags, key("tab")),
            Some(Action::MatchMode)
        );
        assert_eq!(
            keymap.resolve(Mode::Browse, key("space")),
            Some(Action::PageDown)
        );
        assert_eq!(
            keymap.resolve(Mode::Browse, key("tab")),
            Some(Action::SwitchFocus)
        );
        assert_eq!(keymap.resolve(Mode::Tags, key("j")), None);
        assert_eq!(keymap.resolve(Mode::Tags, key("down")), Some(Action::Down));
        assert_eq!(keymap.resolve(Mode::Tags, key("ctrl-u")), None);
        assert_eq!(
            keymap.resolve(Mode::Help, key("space")),
            Some(Action::PageDown),
            "help is scrolled; its filter is typed after /"
        );
        assert_eq!(keymap.resolve(Mode::Help, key("j")), Some(Action::Down));
        assert_eq!(keymap.resolve(Mode::Help, key("/")), Some(Action::Search));
        assert_eq!(keymap.resolve(Mode::Search, key("q")), None);
        assert_eq!(keymap.resolve(Mode::Search, key("Q")), None);
        assert_eq!(
            keymap.resolve(Mode::Search, key("ctrl-c")),
            Some(Action::HardQuit)
        );
        assert_eq!(keymap.resolve(Mode::Tags, key("q")), None);
        assert_eq!(keymap.resolve(Mode::Search, key("esc")), Some(Action::Back));
        assert_eq!(
            keymap.resolve(Mode::Search, key("enter")),
            Some(Action::Open)
        );
        assert_eq!(keymap.resolve(Mode::Search, key("down")), None);
        assert_eq!(keymap.resolve(Mode::Views, key("j")), Some(Action::Down));
        assert_eq!(keymap.resolve(Mode::Views, key("q")), Some(Action::Quit));
        assert_eq!(
            keymap.resolve(Mode::Views, key("Q")),
            Some(Action::HardQuit)
        );
        assert_eq!(keymap.resolve(Mode::Views, key("/")), None);
    }

    #[test]
    fn a_rebound_back_closes_every_popup() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::Back, vec![key("ctrl-g")])])
            .unwrap();
        for &mode in Mode::ALL {
            assert_eq!(
                keymap.resolve(mode, key("ctrl-g")),
                Some(Action::Back),
                "{mode:?}"
            );
            assert_eq!(keymap.resolve(mode, key("esc")), None, "{mode:?}");
        }
    }

    #[test]
    fn hints_name_a_key_that_works_in_the_mode() {
        let keymap = Keymap::default();
        assert_eq!(keymap.hint_key(Mode::Tags, Action::Down), Some(key("down")));
        assert_eq!(keymap.hint_key(Mode::Browse, Action::Down), Some(key("j")));
        assert_eq!(
            keymap.hint_key(Mode::Tags, Action::Pick),
            Some(key("space"))
        );
        assert_eq!(keymap.hint_key(Mode::Search, Action::Quit), None);
        assert_eq!(
            keymap.hint_key(Mode::Search, Action::HardQuit),
            Some(key("ctrl-c"))
        );
    }

    #[test]
    fn a_popup_key_does_not_take_a_browse_key_away() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::MatchMode, vec![key("ctrl-d")])])
            .unwrap();
        assert_eq!(
            keymap.resolve(Mode::Browse, key("ctrl-d")),
            Some(Action::PageDown)
        );
        assert_eq!(
            keymap.resolve(Mode::Tags, key("ctrl-d")),
            Some(Action::MatchMode)
        );
    }

    #[test]
    fn keys_of_actions_in_different_modes_do_not_conflict() {
        let keymap = Keymap::default()
            .with_overrides(&[
                (Action::Pick, vec![key("x")]),
                (Action::Reload, vec![key("x")]),
            ])
            .unwrap();
        assert_eq!(keymap.resolve(Mode::Browse, key("x")), Some(Action::Reload));
        assert_eq!(keymap.resolve(Mode::Tags, key("x")), Some(Action::Pick));
    }

    #[test]
    fn keys_for_lists_defaults_in_spec_order() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.keys_for(Action::PageDown),
            &[key("pagedown"), key("ctrl-d"), key("space")]
        );
        let order: Vec<Action> = keymap.bindings().map(|(a, _)| a).collect();
        assert_eq!(order, Action::ALL);
    }

    #[test]
    fn a_user_entry_replaces_the_default_keys_of_its_action() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::Down, vec![key("ctrl-n")])])
            .unwrap();
        assert_eq!(keymap.keys_for(Action::Down), &[key("ctrl-n")]);
        assert_eq!(keymap.resolve(Mode::Browse, key("j")), None);
        assert_eq!(
            keymap.resolve(Mode::Browse, key("ctrl-n")),
            Some(Action::Down)
        );
        assert_eq!(
            keymap.keys_for(Action::Up),
            &[key("k"), key("up"), key("ctrl-p")]
        );
    }

    #[test]
    fn a_key_the_user_binds_leaves_its_default_action() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::Search, vec![key("/"), key("g")])])
            .unwrap();
        assert_eq!(keymap.resolve(Mode::Browse, key("g")), Some(Action::Search));
        assert_eq!(keymap.keys_for(Action::Top), &[key("home")]);
    }

    #[test]
    fn an_empty_list_unbinds_and_repeats_are_kept_once() {
        let keymap = Keymap::default()
            .with_overrides(&[
                (Action::Reload, vec![]),
                (Action::Help, vec![key("?"), key("f1"), key("F1")]),
            ])
            .unwrap();
        assert!(keymap.keys_for(Action::Reload).is_empty());
        assert_eq!(keymap.resolve(Mode::Browse, key("r")), None);
        assert_eq!(keymap.keys_for(Action::Help), &[key("?"), key("f1")]);
    }

    #[test]
    fn the_same_key_for_two_user_actions_is_a_conflict_naming_both() {
        let conflict = Keymap::default()
            .with_overrides(&[
                (Action::Top, vec![key("g")]),
                (Action::Bottom, vec![key("end"), key("shift-g"), key("g")]),
            ])
            .unwrap_err();
        assert_eq!(conflict.key, key("g"));
        assert_eq!(
            (conflict.first, conflict.second),
            (Action::Top, Action::Bottom)
        );
        let message = conflict.to_string();
        assert!(
            message.contains("`top`") && message.contains("`bottom`"),
            "{message}"
        );
    }

    #[test]
    fn shifted_spellings_of_one_key_conflict() {
        let conflict = Keymap::default()
            .with_overrides(&[
                (Action::Top, vec![key("G")]),
                (Action::Bottom, vec![key("shift-g")]),
            ])
            .unwrap_err();
        assert_eq!(conflict.key, key("G"));
    }
}
