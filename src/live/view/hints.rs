//! The line of hints and the list of keys, both from the key map.

use unicode_width::UnicodeWidthStr;

use crate::live::actions::{Action, KeyHint, KEY_HINTS};

use super::stack::{stack, Block, ALWAYS};
use super::text::{fit, fit_lines, frame, Frame, Line, Style};
use super::{header, message, progress, Controls, Scene, MARGIN};

/// The line of hints, from the key map: the longest of the lines that
/// fits, down to pausing and quitting alone, each ending with `? keys`,
/// the key that lists them all (and the keys that do the same).
pub(super) fn hints(controls: Controls, paused: bool, inner: usize) -> String {
    let line = |words: fn(&KeyHint) -> Option<&'static str>, gap: &str| {
        KEY_HINTS
            .iter()
            .filter_map(|hint| {
                let words = match hint.actions {
                    [Action::TogglePause] if paused => Some("go on"),
                    [Action::ToggleKeys] => Some(hint.long),
                    _ => words(hint),
                };
                Some(format!("{} {}", hint.keys, words?))
            })
            .collect::<Vec<_>>()
            .join(gap)
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

/// Every key and what it does, for plain lines: "space or p: pause; n, →
/// or Page Down: next; ...".
pub fn all_keys() -> String {
    KEY_HINTS
        .iter()
        .filter(|hint| !is_keys_hint(hint))
        .map(|hint| format!("{}: {}", hint.listed(), hint.long))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which rows of the list of keys give way first on a short terminal
/// (after the gaps): the words' lines after the first, then their first,
/// then the keys a row at a time; the header, the time and how to go back
/// stay.
const BACK: u8 = 1;
const KEYS: u8 = 2;
const WORDS_FIRST: u8 = 3;
const WORDS: u8 = 4;
const MESSAGE: u8 = 5;
const GAP: u8 = 6;

/// The screen while `?` lists every key: the header, the keys one to a
/// line (each with the others that do the same) in place of the big
/// text, the words being spoken under them, the time, and how to go back.
/// The session goes on meanwhile.
pub(super) fn render_keys(scene: &Scene, width: u16, height: u16) -> Frame {
    let inner = usize::from(width).saturating_sub(2 * MARGIN);
    let rows: Vec<(String, &KeyHint)> = KEY_HINTS
        .iter()
        .filter(|hint| !is_keys_hint(hint))
        .map(|hint| (hint.listed(), hint))
        .collect();
    let column = rows.iter().map(|(keys, _)| keys.width()).max().unwrap_or(0);
    let keys: Vec<Line> = rows
        .into_iter()
        .map(|(keys, hint)| {
            // The longest words that fit beside the column of keys.
            let room = inner.saturating_sub(column + 2);
            let words = match hint.actions {
                [Action::TogglePause] if scene.paused => "go on",
                _ => [Some(hint.long), hint.medium, hint.short]
                    .into_iter()
                    .flatten()
                    .find(|words| words.width() <= room)
                    .unwrap_or(hint.long),
            };
            let pad = " ".repeat(column - keys.width());
            Line::new(Style::Strong, format!("{keys}{pad}"))
                .with(Style::Plain, format!("  {words}"))
        })
        .collect();
    let words = scene
        .prompt
        .map(|text| fit_lines(text, inner, usize::MAX))
        .unwrap_or_default()
        .into_iter()
        .map(|line| Line::new(Style::Plain, line))
        .collect();
    let gap = || Block::new(GAP, vec![Line::blank()]);
    let blocks = vec![
        gap(),
        Block::new(ALWAYS, vec![header(scene, inner)]),
        gap(),
        Block::words(KEYS, KEYS, keys),
        gap(),
        Block::words(WORDS, WORDS_FIRST, words),
        Block::flex(),
        Block::new(ALWAYS, vec![progress(scene, inner)]),
        gap(),
        message(scene, inner, MESSAGE, GAP),
        Block::new(
            BACK,
            vec![Line::new(Style::Soft, fit("? back to the session", inner))],
        ),
    ];
    frame(stack(blocks, usize::from(height), inner), width, height)
}
