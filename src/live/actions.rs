//! Which key does what. Keys, media keys (MPRIS) and signals all become
//! an [`Action`], and the engine's [`Remote::apply`] is the one place
//! where an action turns into calls on the session's `Control` (the web
//! app's buttons use it too).

use crate::terminal::input::Key;
pub use soothe_core::mix::remote::{
    Action, Effect, Jump, Remote, DOUBLE_PRESS, MAX_GAIN_DB, VOLUME_OFFSET_DB, VOLUME_STEP_DB,
};

/// The action of a key press, if it has one. Letters work with caps lock
/// on. Page-turners send Page Down and Page Up (or the arrows).
pub fn action_for_key(key: Key) -> Option<Action> {
    Some(match key {
        Key::Char(' ') => Action::TogglePause,
        Key::Char(c) => match c.to_ascii_lowercase() {
            'p' => Action::TogglePause,
            'n' => Action::Next,
            'b' => Action::Back,
            '+' | '=' => Action::VolumeUp,
            '-' | '_' => Action::VolumeDown,
            'd' => Action::BabysDone,
            'q' => Action::Quit,
            '?' => Action::ToggleKeys,
            _ => return None,
        },
        // In raw mode Ctrl-C is a key, not a signal.
        Key::Ctrl('c') => Action::Quit,
        Key::Right | Key::PageDown => Action::Next,
        Key::Left | Key::PageUp => Action::Back,
        Key::Esc => Action::Quit,
        _ => return None,
    })
}

/// A key the live view's line of hints names: what to press, what it
/// does, and the words for it as the line gets shorter (`None`: left out
/// of the shorter lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHint {
    /// The keys as the line of hints shows them ("space", "n", "+ -").
    pub keys: &'static str,
    /// The other keys that do the same, as the list of keys (`?`) names
    /// them after `keys` (checked against [`action_for_key`] too).
    pub also: &'static [(&'static str, Key)],
    /// What pressing them does (checked against [`action_for_key`]).
    pub actions: &'static [Action],
    /// On the widest line.
    pub long: &'static str,
    /// On the middle line.
    pub medium: Option<&'static str>,
    /// On the short line.
    pub short: Option<&'static str>,
}

impl KeyHint {
    /// Every key that does it, as the list of keys shows them: "space or
    /// p", "q, Esc or Ctrl-C".
    pub fn listed(&self) -> String {
        let mut names: Vec<&str> = vec![self.keys];
        names.extend(self.also.iter().map(|(name, _)| *name));
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => self.keys.to_string(),
        }
    }
}

/// Every key the parent can press, in the order the view lists them
/// (p, the arrows, Page Up/Down, Esc and Ctrl-C are the other keys for
/// space, n, b and q, as keyboards and page-turners have them). A key
/// added to [`action_for_key`] must be added here: a test checks that no
/// key is left out.
pub const KEY_HINTS: [KeyHint; 7] = [
    KeyHint {
        keys: "space",
        also: &[("p", Key::Char('p'))],
        actions: &[Action::TogglePause],
        long: "pause",
        medium: Some("pause"),
        short: Some("pause"),
    },
    KeyHint {
        keys: "n",
        also: &[("→", Key::Right), ("Page Down", Key::PageDown)],
        actions: &[Action::Next],
        long: "next",
        medium: Some("next"),
        short: Some("next"),
    },
    KeyHint {
        keys: "b",
        also: &[("←", Key::Left), ("Page Up", Key::PageUp)],
        actions: &[Action::Back],
        long: "back (twice: previous)",
        medium: Some("back"),
        short: Some("back"),
    },
    KeyHint {
        keys: "+ -",
        also: &[],
        actions: &[Action::VolumeUp, Action::VolumeDown],
        long: "volume",
        medium: Some("volume"),
        short: None,
    },
    KeyHint {
        keys: "d",
        also: &[],
        actions: &[Action::BabysDone],
        long: "baby's done",
        medium: Some("baby's done"),
        short: Some("done"),
    },
    KeyHint {
        keys: "q",
        also: &[("Esc", Key::Esc), ("Ctrl-C", Key::Ctrl('c'))],
        actions: &[Action::Quit],
        long: "quit",
        medium: Some("quit"),
        short: Some("quit"),
    },
    // Named only on the lines that leave keys out, and in the list it
    // shows (see the live view).
    KeyHint {
        keys: "?",
        also: &[],
        actions: &[Action::ToggleKeys],
        long: "keys",
        medium: Some("keys"),
        short: Some("keys"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key soothe knows, as far as the hints go.
    fn all_keys() -> Vec<Key> {
        let mut keys: Vec<Key> = (' '..='~').map(Key::Char).collect();
        keys.extend(('a'..='z').map(Key::Ctrl));
        keys.extend([
            Key::Left,
            Key::Right,
            Key::Up,
            Key::Down,
            Key::PageUp,
            Key::PageDown,
            Key::Esc,
            Key::Enter,
            Key::Other,
        ]);
        keys
    }

    #[test]
    fn every_action_a_key_has_is_in_the_hints() {
        let hinted: Vec<Action> = KEY_HINTS.iter().flat_map(|h| h.actions).copied().collect();
        for key in all_keys() {
            if let Some(action) = action_for_key(key) {
                assert!(
                    hinted.contains(&action),
                    "{key:?} does {action:?}: not in KEY_HINTS"
                );
            }
        }
    }

    #[test]
    fn p_the_arrows_esc_page_up_and_page_down_are_listed_as_the_aliases_they_are() {
        let listed = |hint: &KeyHint| -> Vec<Key> {
            let mut keys: Vec<Key> = hint.keys.split(' ').map(key_named).collect();
            keys.extend(hint.also.iter().map(|(_, key)| *key));
            keys
        };
        for key in all_keys() {
            let Some(action) = action_for_key(key) else {
                continue;
            };
            // Caps lock, and + and - without and with shift on a US
            // keyboard, are the same keys to a parent.
            if matches!(key, Key::Char(c) if c.is_ascii_uppercase() || c == '=' || c == '_') {
                continue;
            }
            assert!(
                KEY_HINTS
                    .iter()
                    .any(|hint| hint.actions.contains(&action) && listed(hint).contains(&key)),
                "{key:?} does {action:?}: not listed"
            );
        }
        let lists: Vec<String> = KEY_HINTS.iter().map(KeyHint::listed).collect();
        assert_eq!(
            lists,
            [
                "space or p",
                "n, → or Page Down",
                "b, ← or Page Up",
                "+ -",
                "d",
                "q, Esc or Ctrl-C",
                "?"
            ]
        );
    }

    /// The key a hint's `keys` names.
    fn key_named(name: &str) -> Key {
        match name {
            "space" => Key::Char(' '),
            k => Key::Char(k.chars().next().unwrap()),
        }
    }

    #[test]
    fn each_hint_names_keys_that_do_what_it_says() {
        for hint in KEY_HINTS {
            let keys: Vec<Key> = hint.keys.split(' ').map(key_named).collect();
            assert_eq!(keys.len(), hint.actions.len(), "{hint:?}");
            for (key, action) in keys.into_iter().zip(hint.actions) {
                assert_eq!(action_for_key(key), Some(*action), "{hint:?}");
            }
            for (name, key) in hint.also {
                assert_eq!(hint.actions.len(), 1, "{hint:?}");
                assert_eq!(action_for_key(*key), Some(hint.actions[0]), "{name}");
            }
        }
    }
}
