//! The live view: one calm screen, readable from a metre or two away.
//!
//! [`render`] is pure: it lays a [`Scene`] out as a [`Frame`] of lines for
//! a terminal size, so tests can compare the text without a terminal.
//! [`Painter`] draws frames on a terminal, rewriting only the lines that
//! changed, inside a synchronized update, so nothing flickers.

mod font;
mod hints;
mod painter;
mod stack;
mod text;

pub use font::{big_lines, big_width};
pub use hints::all_keys;
pub use painter::Painter;
pub use text::{Frame, Line, Span, Style};

use font::PAUSE_SIGN;
use hints::{hints, render_keys};
use soothe_core::clock::clock;
use soothe_core::listen::Heard;
use stack::{Block, ALWAYS};
use text::{center, even_lines, fit, fit_lines, frame};
use unicode_width::UnicodeWidthStr;

/// Everything the screen shows at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene<'a> {
    /// The current step's title.
    pub title: &'a str,
    /// The current step, 1-based, and how many there are.
    pub step: (usize, usize),
    /// `(n, of)` while a stroke set is under way.
    pub stroke: Option<(u32, u32)>,
    pub paused: bool,
    /// Where the session is, and its length, in samples at `rate`.
    pub elapsed: u64,
    pub total: u64,
    /// Samples until the next step begins (or the session ends).
    pub step_left: u64,
    pub rate: u32,
    /// The words of the prompt being spoken, or last spoken in this step.
    pub prompt: Option<&'a str>,
    /// The next step's title; `None` during the last step.
    pub next: Option<&'a str>,
    /// How far + and - have moved the volume, in dB.
    pub volume_db: f64,
    /// A short note, such as what a key just did.
    pub message: Option<&'a str>,
    /// What the parent can press.
    pub controls: Controls,
    /// Every key listed in place of the big text (`?` shows and hides it).
    pub keys_shown: bool,
    /// Held after crying was heard (`play --listen`): waiting for the parent.
    pub held: bool,
    /// What the listener hears (`None`: not asked to listen).
    pub listening: Option<Heard>,
}

/// The controls a session has, for the line of hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Controls {
    /// Keys on this terminal.
    pub keys: bool,
    /// Media keys and headset buttons (MPRIS).
    pub media: bool,
}

/// Columns kept free on the left and the right.
pub(super) const MARGIN: usize = 2;
/// The big numbers are never drawn larger than this.
const MAX_SCALE: usize = 4;
/// Columns of the step's title that the header keeps before it leaves out
/// the volume and what the listener hears.
const TITLE_ROOM: usize = 12;

/// Which rows give way when the terminal is short: blocks of the highest
/// number are left out first; [`ALWAYS`] ones (the header with the step,
/// the stroke count, the time left) never are.
const HINTS: u8 = 1;
/// The first line of the words being spoken, and then the rest, a line at
/// a time from the end.
const PROMPT_FIRST: u8 = 2;
const PROMPT: u8 = 3;
const NEXT: u8 = 4;
/// A note on what a key just did: shown whole or not at all.
const MESSAGE: u8 = 5;
/// The caption over the big text.
const CAPTION: u8 = 6;
const GAP_OVER_MESSAGE: u8 = 7;
const GAP_AROUND_PROMPT: u8 = 8;
const GAP_UNDER_HEADER: u8 = 9;
const GAP_AT_TOP: u8 = 10;

/// Lays `scene` out for a terminal of `width` x `height`.
pub fn render(scene: &Scene, width: u16, height: u16) -> Frame {
    let w = usize::from(width);
    let h = usize::from(height);
    let inner = w.saturating_sub(2 * MARGIN);
    if scene.keys_shown {
        return render_keys(scene, width, height);
    }

    let (caption, big) = headline(scene);
    let prompt = scene
        .prompt
        .map(|text| fit_lines(text, inner, usize::MAX))
        .unwrap_or_default();

    // The big text keeps one size whatever it says (a narrow pause sign
    // is not drawn larger): at least the size of "8 of 8".
    let wide = |s: usize| big_width(&big, s).max(big_width("8 of 8", s)) <= inner;
    // The largest size at which everything but the gaps fits (a note
    // aside: it comes and goes, and the size should not); or else the
    // smallest, with what must stay around it: the header, all the words
    // being spoken, the time and the hints; or else the count in words.
    let quiet = Scene {
        message: None,
        ..scene.clone()
    };
    let kept = |s: usize, priority: u8| {
        stack::rows_kept_at(&layout(&quiet, inner, &caption, &big, &prompt, s), priority)
    };
    let scale = (1..=MAX_SCALE)
        .rev()
        .find(|&s| wide(s) && kept(s, CAPTION) <= h)
        .or_else(|| (wide(1) && kept(1, PROMPT) <= h).then_some(1))
        .unwrap_or(0);
    let blocks = layout(scene, inner, &caption, &big, &prompt, scale);
    frame(stack::stack(blocks, h, inner), width, height)
}

/// The whole screen from top to bottom, with the big text at `scale`
/// (0: in words), before any block gives way: two flexible gaps take the
/// spare rows, over the big text and under the line about the next step.
fn layout(
    scene: &Scene,
    inner: usize,
    caption: &str,
    big: &str,
    prompt: &[String],
    scale: usize,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let push = |blocks: &mut Vec<Block>, priority: u8, lines: Vec<Line>| {
        blocks.push(Block::new(priority, lines))
    };
    push(&mut blocks, GAP_AT_TOP, vec![Line::blank()]);
    push(&mut blocks, ALWAYS, vec![header(scene, inner)]);
    push(&mut blocks, GAP_UNDER_HEADER, vec![Line::blank()]);
    blocks.push(Block::flex());
    blocks.extend(big_text(scene, inner, caption, big, scale));
    push(&mut blocks, GAP_AROUND_PROMPT, vec![Line::blank()]);
    // The first line stays longest.
    let lines = prompt
        .iter()
        .map(|l| Line::new(Style::Plain, l.clone()))
        .collect();
    blocks.push(Block::words(PROMPT, PROMPT_FIRST, lines));
    push(&mut blocks, GAP_AROUND_PROMPT, vec![Line::blank()]);
    push(&mut blocks, NEXT, vec![next_line(scene, inner)]);
    blocks.push(Block::flex());
    push(&mut blocks, ALWAYS, vec![progress(scene, inner)]);
    push(&mut blocks, GAP_OVER_MESSAGE, vec![Line::blank()]);
    blocks.push(message(scene, inner, MESSAGE, GAP_OVER_MESSAGE));
    push(
        &mut blocks,
        HINTS,
        vec![Line::new(
            Style::Soft,
            hints(scene.controls, scene.paused || scene.held, inner),
        )],
    );
    blocks
}

/// The caption and the big text at `scale`: nothing when there is no big
/// text, and both on one line in words (`scale` 0), where a pause or hold
/// shows only the caption.
fn big_text(scene: &Scene, inner: usize, caption: &str, big: &str, scale: usize) -> Vec<Block> {
    if big.is_empty() {
        return Vec::new();
    }
    if scale == 0 {
        let text = if scene.paused || scene.held {
            caption.to_string()
        } else {
            format!("{caption} {big}")
        };
        return vec![Block::new(
            ALWAYS,
            vec![center(Line::new(Style::Strong, text), inner)],
        )];
    }
    // One left edge for every row of the big text: centred as a whole.
    let pad = " ".repeat(inner.saturating_sub(big_width(big, scale)) / 2);
    let rows = big_lines(big, scale)
        .into_iter()
        .map(|row| Line::new(Style::Plain, pad.clone()).with(Style::Strong, row))
        .collect();
    vec![
        Block::new(
            CAPTION,
            vec![center(Line::new(Style::Soft, caption.to_string()), inner)],
        ),
        Block::new(ALWAYS, rows),
    ]
}

/// The caption and the big text: the stroke count or the pause sign;
/// between strokes, neither.
fn headline(scene: &Scene) -> (String, String) {
    if scene.held {
        let caption = match (scene.controls.keys, scene.controls.media) {
            (true, _) => "your baby is crying · space to go on, d to finish",
            (false, true) => "your baby is crying · press play to go on",
            (false, false) => "your baby is crying",
        };
        (caption.to_string(), PAUSE_SIGN.to_string())
    } else if scene.paused {
        let caption = match (scene.controls.keys, scene.controls.media) {
            (true, _) => "paused · press space to go on",
            (false, true) => "paused · press play to go on",
            (false, false) => "paused",
        };
        (caption.to_string(), PAUSE_SIGN.to_string())
    } else if let Some((n, of)) = scene.stroke {
        ("stroke".to_string(), format!("{n} of {of}"))
    } else {
        // Between strokes, nothing: the step count is in the header, and
        // only the stroke count is big (from across the room, a big step
        // count would read as a stroke count).
        (String::new(), String::new())
    }
}

fn header(scene: &Scene, inner: usize) -> Line {
    let step = format!("step {} of {}", scene.step.0, scene.step.1);
    let heard = scene
        .listening
        .map(|heard| format!("{} · ", heard.word()))
        .unwrap_or_default();
    let volume = if scene.volume_db != 0.0 {
        format!("volume {} · ", decibels(scene.volume_db))
    } else {
        String::new()
    };
    let title = fit(scene.title, inner);
    let keep = title.width().min(TITLE_ROOM);
    let right = [format!("{heard}{volume}{step}"), format!("{heard}{step}")]
        .into_iter()
        .find(|right| right.width() + 2 + keep <= inner)
        .unwrap_or(step);
    if right.width() + 2 >= inner {
        return Line::new(Style::Soft, fit(&right, inner));
    }
    let title = fit(scene.title, inner - right.width() - 2);
    let gap = inner - title.width() - right.width();
    Line::new(Style::Strong, title)
        .with(Style::Plain, " ".repeat(gap))
        .with(Style::Soft, right)
}

/// A note on what a key just did, wrapped and centred, at `priority`: it
/// is shown whole or not at all, never cut. Without one, a blank row that
/// gives way at `gap`, so that a note does not move what is under it.
fn message(scene: &Scene, inner: usize, priority: u8, gap: u8) -> Block {
    match scene.message {
        Some(message) => {
            let lines = even_lines(message, inner)
                .into_iter()
                .map(|line| center(Line::new(Style::Strong, line), inner))
                .collect();
            Block::new(priority, lines)
        }
        None => Block::new(gap, vec![Line::blank()]),
    }
}

/// `-3 dB`, `+6 dB`, with a real minus sign.
pub fn decibels(db: f64) -> String {
    let rounded = db.round() as i64;
    match rounded {
        0 => "0 dB".to_string(),
        n if n < 0 => format!("\u{2212}{} dB", -n),
        n => format!("+{n} dB"),
    }
}

/// What comes next and when: the title gives way to the time.
fn next_line(scene: &Scene, inner: usize) -> Line {
    let when = clock(scene.step_left, scene.rate);
    let text = match scene.next {
        Some(next) => {
            let tail = format!(", in {when}");
            match inner.checked_sub("Next: ".len() + tail.width()) {
                Some(room) if room >= 4 => format!("Next: {}{tail}", fit(next, room)),
                _ => format!("Next in {when}"),
            }
        }
        None => format!("Then the end, in {when}"),
    };
    Line::new(Style::Soft, fit(&text, inner))
}

/// `03:12 ━━━━━━────── 11:03 left`
fn progress(scene: &Scene, inner: usize) -> Line {
    let elapsed = scene.elapsed.min(scene.total);
    let left = format!("{} left", clock(scene.total - elapsed, scene.rate));
    let done = clock(elapsed, scene.rate);
    let bar = inner.saturating_sub(done.width() + left.width() + 2);
    if bar < 4 {
        return Line::new(Style::Plain, fit(&format!("{done} · {left}"), inner));
    }
    let filled = if scene.total == 0 {
        bar
    } else {
        ((elapsed as u128 * bar as u128 + scene.total as u128 / 2) / scene.total as u128) as usize
    };
    Line::new(Style::Plain, format!("{done} "))
        .with(Style::Strong, "━".repeat(filled))
        .with(Style::Soft, "─".repeat(bar - filled))
        .with(Style::Plain, format!(" {left}"))
}
