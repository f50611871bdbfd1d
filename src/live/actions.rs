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
    /// The keys as shown ("space", "n", "+ -").
    pub keys: &'static str,
    /// What pressing them does (checked against [`action_for_key`]).
    pub actions: &'static [Action],
    /// On the widest line.
    pub long: &'static str,
    /// On the middle line.
    pub medium: Option<&'static str>,
    /// On the short line.
    pub short: Option<&'static str>,
}

/// Every key the parent can press, in the order the view lists them
/// (arrows, Page Up/Down and Esc are the page-turner's and keyboard's
/// other names for n, b and q). A key added to [`action_for_key`] must
/// be added here: a test checks that no action is left out.
pub const KEY_HINTS: [KeyHint; 7] = [
    KeyHint {
        keys: "space",
        actions: &[Action::TogglePause],
        long: "pause",
        medium: Some("pause"),
        short: Some("pause"),
    },
    KeyHint {
        keys: "n",
        actions: &[Action::Next],
        long: "next",
        medium: Some("next"),
        short: Some("next"),
    },
    KeyHint {
        keys: "b",
        actions: &[Action::Back],
        long: "back (twice: previous)",
        medium: Some("back"),
        short: Some("back"),
    },
    KeyHint {
        keys: "+ -",
        actions: &[Action::VolumeUp, Action::VolumeDown],
        long: "volume",
        medium: Some("volume"),
        short: None,
    },
    KeyHint {
        keys: "d",
        actions: &[Action::BabysDone],
        long: "baby's done",
        medium: Some("baby's done"),
        short: Some("done"),
    },
    KeyHint {
        keys: "q",
        actions: &[Action::Quit],
        long: "quit",
        medium: Some("quit"),
        short: Some("quit"),
    },
    // Named only on the lines that leave keys out, and in the list it
    // shows (see the live view).
    KeyHint {
        keys: "?",
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
    fn each_hint_names_keys_that_do_what_it_says() {
        for hint in KEY_HINTS {
            let keys: Vec<Key> = hint
                .keys
                .split(' ')
                .map(|k| match k {
                    "space" => Key::Char(' '),
                    k => Key::Char(k.chars().next().unwrap()),
                })
                .collect();
            assert_eq!(keys.len(), hint.actions.len(), "{hint:?}");
            for (key, action) in keys.into_iter().zip(hint.actions) {
                assert_eq!(action_for_key(key), Some(*action), "{hint:?}");
            }
        }
    }
}
