//! The line of hints and the list of keys, both from the key map.

use unicode_width::UnicodeWidthStr;

use crate::live::actions::{Action, KeyHint, KEY_HINTS};

use super::text::{fit, frame, Frame, Line, Style};
use super::{header, progress, Controls, Scene, MARGIN};

/// The line of hints, from the key map: the longest of the lines that
/// fits, down to pausing and quitting alone. A line that leaves keys out
/// ends with `? keys`, the key that lists them all.
pub(super) fn hints(controls: Controls, paused: bool, inner: usize) -> String {
    let line = |words: fn(&KeyHint) -> Option<&'static str>, gap: &str| {
        let mut left_out = false;
        let mut parts: Vec<String> = KEY_HINTS
            .iter()
            .filter(|hint| !is_keys_hint(hint))
            .filter_map(|hint| {
                let words = match hint.actions {
                    [Action::TogglePause] if paused => Some("go on"),
                    _ => words(hint),
                };
                left_out |= words.is_none();
                Some(format!("{} {}", hint.keys, words?))
            })
            .collect();
        if left_out {
            parts.extend(
                KEY_HINTS
                    .iter()
                    .filter(|hint| is_keys_hint(hint))
                    .map(|hint| format!("{} {}", hint.keys, hint.long)),
            );
        }
        parts.join(gap)
    };
    let choices: Vec<String> = match (controls.keys, controls.media) {
        (true, _) => vec![
            line(|h| Some(h.long), "   "),
            line(|h| h.medium, "  "),
            line(|h| h.short, "  "),
            line(
                |h| matches!(h.actions, [Action::TogglePause] | [Action::Quit]).then_some(h.long),
                "  ",
            ),
        ],
        (false, true) => vec![
            "media keys: play/pause, next, previous, stop".to_string(),
            "media keys work".to_string(),
        ],
        (false, false) => vec!["hands-free".to_string()],
    };
    let chosen = choices
        .iter()
        .find(|c| c.width() <= inner)
        .unwrap_or(&choices[choices.len() - 1]);
    fit(chosen, inner)
}

/// The hint of `?`, which lists the others.
pub(super) fn is_keys_hint(hint: &KeyHint) -> bool {
    hint.actions == [Action::ToggleKeys]
}

/// Every key and what it does, joined by `gap` (for plain lines).
pub fn all_keys(gap: &str) -> String {
    KEY_HINTS
        .iter()
        .filter(|hint| !is_keys_hint(hint))
        .map(|hint| format!("{} {}", hint.keys, hint.long))
        .collect::<Vec<_>>()
        .join(gap)
}

/// The screen while `?` lists every key: the header, the keys one to a
/// line in place of the big text, the time, and how to go back. The
/// session goes on meanwhile.
pub(super) fn render_keys(scene: &Scene, width: u16, height: u16) -> Frame {
    let w = usize::from(width);
    let h = usize::from(height);
    let inner = w.saturating_sub(2 * MARGIN);
    let column = KEY_HINTS.iter().map(|k| k.keys.width()).max().unwrap_or(0);
    let keys: Vec<Line> = KEY_HINTS
        .iter()
        .map(|hint| {
            let words = match hint.actions {
                [Action::TogglePause] if scene.paused => "go on",
                [Action::ToggleKeys] => "hide this list",
                _ => hint.long,
            };
            let pad = " ".repeat(column - hint.keys.width());
            Line::new(Style::Strong, format!("{}{pad}", hint.keys))
                .with(Style::Plain, format!("  {words}"))
        })
        .collect();
    let header = header(scene, inner);
    let bottom = [
        progress(scene, inner),
        Line::new(Style::Soft, fit("? back to the session", inner)),
    ];
    // Rows for the keys, and blank rows around them when there is room.
    let room = h.saturating_sub(1 + bottom.len());
    let shown = keys.len().min(room);
    let spare = room - shown;
    let mut lines = vec![header];
    if spare > 0 {
        lines.push(Line::blank());
    }
    lines.extend(keys.into_iter().take(shown));
    lines.extend(std::iter::repeat_n(Line::blank(), spare.saturating_sub(1)));
    lines.extend(bottom);
    frame(lines, width, height)
}
