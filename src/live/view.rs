//! The live view: one calm screen, readable from a metre or two away.
//!
//! [`render`] is pure: it lays a [`Scene`] out as a [`Frame`] of lines for
//! a terminal size, so tests can compare the text without a terminal.
//! [`Painter`] draws frames on a terminal, rewriting only the lines that
//! changed, inside a synchronized update, so nothing flickers.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::actions::{Action, KeyHint, KEY_HINTS};
use soothe_core::clock::clock;
use soothe_core::listen::Heard;

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

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    /// Bold: the step title, the big numbers.
    Strong,
    /// Dim: hints and secondary facts.
    Soft,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

/// One row of the screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    fn blank() -> Line {
        Line::default()
    }

    fn new(style: Style, text: impl Into<String>) -> Line {
        Line::default().with(style, text)
    }

    fn with(mut self, style: Style, text: impl Into<String>) -> Line {
        let text = text.into();
        if !text.is_empty() {
            self.spans.push(Span { style, text });
        }
        self
    }

    /// The row as plain text, without trailing spaces.
    pub fn text(&self) -> String {
        let text: String = self.spans.iter().map(|s| s.text.as_str()).collect();
        text.trim_end().to_string()
    }

    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.text.width()).sum()
    }
}

/// A whole screen: exactly `height` lines, none wider than `width` - 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: u16,
    pub height: u16,
    pub lines: Vec<Line>,
}

impl Frame {
    /// The screen as text, one line per row, trailing spaces removed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text());
            out.push('\n');
        }
        out
    }
}

/// Columns kept free on the left and the right.
const MARGIN: usize = 2;
/// Prompt lines shown at most.
const PROMPT_LINES: usize = 4;
/// The big numbers are never drawn larger than this.
const MAX_SCALE: usize = 4;

/// Which rows give way when the terminal is short: blocks of the highest
/// number are left out first; [`ALWAYS`] ones never are.
const ALWAYS: u8 = 0;
const PROGRESS: u8 = 1;
const HINTS: u8 = 2;
/// The first line of the words being spoken: kept at the smallest sizes.
const PROMPT_FIRST: u8 = 2;
/// The caption over the big text, and a note on what a key just did.
const CAPTION: u8 = 3;
const NEXT: u8 = 4;
const PROMPT: u8 = 5;
const GAP_OVER_MESSAGE: u8 = 6;
const GAP_AROUND_PROMPT: u8 = 7;
const GAP_UNDER_HEADER: u8 = 8;
const GAP_AT_TOP: u8 = 9;

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
        .map(|text| fit_lines(text, inner, PROMPT_LINES))
        .unwrap_or_default();

    // The big text keeps one size whatever it says (a narrow pause sign
    // is not drawn larger): at least the size of "8 of 8".
    let wide = |s: usize| big_width(&big, s).max(big_width("8 of 8", s)) <= inner;
    // The largest size at which the full layout fits, with at most two
    // lines of the prompt; or else the smallest, with only the fewest rows
    // around it: header, bar, hints and the first line of the words being
    // spoken; or else the count in words, so that the words still show.
    const LEAST: usize = 3;
    let fits = |s: usize| {
        let rows = layout(scene, inner, &caption, &big, &prompt, s).rows();
        rows - prompt.len() + prompt.len().min(2) <= h
    };
    let scale = (1..=MAX_SCALE)
        .rev()
        .find(|&s| wide(s) && fits(s))
        .or_else(|| (wide(1) && LEAST + 5 + prompt.len().min(1) <= h).then_some(1))
        .unwrap_or(0);
    let Layout {
        mut blocks,
        flex_top,
        flex_bottom,
        prompt_first,
    } = layout(scene, inner, &caption, &big, &prompt, scale);

    // Leave out the least important blocks until the rest fits.
    let mut rows: usize = blocks.iter().map(|b| b.lines.len()).sum();
    for priority in (ALWAYS + 1..=GAP_AT_TOP).rev() {
        if rows <= h {
            break;
        }
        for block in blocks
            .iter_mut()
            .filter(|b| b.priority == priority && !b.flex)
        {
            rows -= block.lines.len();
            block.lines.clear();
        }
    }
    // The words' first line alone ends with … to say there is more.
    if blocks[prompt_first + 1].lines.is_empty() && prompt.len() > 1 {
        if let Some(line) = blocks[prompt_first].lines.first_mut() {
            let text = format!("{}…", cut(&line.text(), inner.saturating_sub(1)).trim_end());
            *line = Line::new(Style::Plain, text);
        }
    }
    // Share the spare rows between the two flexible gaps.
    let spare = h.saturating_sub(rows);
    blocks[flex_top].lines = vec![Line::blank(); spare / 2];
    blocks[flex_bottom].lines = vec![Line::blank(); spare - spare / 2];

    frame(blocks.into_iter().flat_map(|b| b.lines), width, height)
}

/// The whole screen from top to bottom, with the big text at `scale`
/// (0: in words), before any block gives way.
struct Layout {
    blocks: Vec<Block>,
    /// The two gaps that take the spare rows: over the big text, and
    /// under the line about the next step.
    flex_top: usize,
    flex_bottom: usize,
    /// The first line of the prompt; the rest follow in the next block.
    prompt_first: usize,
}

impl Layout {
    /// The rows it takes, with the gaps empty.
    fn rows(&self) -> usize {
        self.blocks.iter().map(|b| b.lines.len()).sum()
    }
}

fn layout(
    scene: &Scene,
    inner: usize,
    caption: &str,
    big: &str,
    prompt: &[String],
    scale: usize,
) -> Layout {
    let mut blocks: Vec<Block> = Vec::new();
    let push = |blocks: &mut Vec<Block>, priority: u8, lines: Vec<Line>| {
        blocks.push(Block {
            priority,
            lines,
            flex: false,
        })
    };
    push(&mut blocks, GAP_AT_TOP, vec![Line::blank()]);
    push(&mut blocks, ALWAYS, vec![header(scene, inner)]);
    push(&mut blocks, GAP_UNDER_HEADER, vec![Line::blank()]);
    let flex_top = blocks.len();
    blocks.push(Block::flex());
    if big.is_empty() {
        push(
            &mut blocks,
            ALWAYS,
            vec![center(Line::new(Style::Strong, fit(caption, inner)), inner)],
        );
    } else if scale > 0 {
        push(
            &mut blocks,
            CAPTION,
            vec![center(Line::new(Style::Soft, caption.to_string()), inner)],
        );
        // One left edge for every row of the big text: centred as a whole.
        let pad = " ".repeat(inner.saturating_sub(big_width(big, scale)) / 2);
        push(
            &mut blocks,
            ALWAYS,
            big_lines(big, scale)
                .into_iter()
                .map(|row| Line::new(Style::Plain, pad.clone()).with(Style::Strong, row))
                .collect(),
        );
    } else {
        let text = if scene.paused || scene.held {
            caption.to_string()
        } else {
            format!("{caption} {big}")
        };
        push(
            &mut blocks,
            ALWAYS,
            vec![center(Line::new(Style::Strong, text), inner)],
        );
    }
    push(&mut blocks, GAP_AROUND_PROMPT, vec![Line::blank()]);
    // The first line stays longest; cut short, it ends with … to say so.
    let lines: Vec<Line> = prompt
        .iter()
        .map(|l| Line::new(Style::Plain, l.clone()))
        .collect();
    let (first, rest) = lines.split_at(lines.len().min(1));
    let prompt_first = blocks.len();
    push(&mut blocks, PROMPT_FIRST, first.to_vec());
    push(&mut blocks, PROMPT, rest.to_vec());
    push(&mut blocks, GAP_AROUND_PROMPT, vec![Line::blank()]);
    push(&mut blocks, NEXT, vec![next_line(scene, inner)]);
    let flex_bottom = blocks.len();
    blocks.push(Block::flex());
    push(&mut blocks, PROGRESS, vec![progress(scene, inner)]);
    push(&mut blocks, GAP_OVER_MESSAGE, vec![Line::blank()]);
    push(
        &mut blocks,
        CAPTION,
        vec![match scene.message {
            Some(message) => center(Line::new(Style::Strong, fit(message, inner)), inner),
            None => Line::blank(),
        }],
    );
    push(
        &mut blocks,
        HINTS,
        vec![Line::new(
            Style::Soft,
            hints(scene.controls, scene.paused || scene.held, inner),
        )],
    );
    Layout {
        blocks,
        flex_top,
        flex_bottom,
        prompt_first,
    }
}

struct Block {
    /// [`ALWAYS`] shown; higher numbers go first when rows are short.
    priority: u8,
    lines: Vec<Line>,
    flex: bool,
}

impl Block {
    fn flex() -> Block {
        Block {
            priority: ALWAYS,
            lines: Vec::new(),
            flex: true,
        }
    }
}

/// The caption and the big text: the stroke count or the pause sign;
/// between strokes, only a caption (the step count).
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
        // Only the stroke count is big: from across the room, a big step
        // count would read as a stroke count.
        (
            format!("step {} of {}", scene.step.0, scene.step.1),
            String::new(),
        )
    }
}

fn header(scene: &Scene, inner: usize) -> Line {
    let mut right = String::new();
    if let Some(heard) = scene.listening {
        right.push_str(heard.word());
        right.push_str(" · ");
    }
    if scene.volume_db != 0.0 {
        right.push_str(&format!("volume {} · ", decibels(scene.volume_db)));
    }
    right.push_str(&format!("step {} of {}", scene.step.0, scene.step.1));
    let title = fit(scene.title, inner);
    let room = inner.saturating_sub(title.width());
    if right.width() + 2 <= room {
        let gap = room - right.width();
        Line::new(Style::Strong, title)
            .with(Style::Plain, " ".repeat(gap))
            .with(Style::Soft, right)
    } else {
        Line::new(Style::Strong, title)
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

fn next_line(scene: &Scene, inner: usize) -> Line {
    let when = clock(scene.step_left, scene.rate);
    let text = match scene.next {
        Some(next) => format!("Next: {next}, in {when}"),
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

/// The line of hints, from the key map: the longest of the lines that
/// fits, down to pausing and quitting alone. A line that leaves keys out
/// ends with `? keys`, the key that lists them all.
fn hints(controls: Controls, paused: bool, inner: usize) -> String {
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
fn is_keys_hint(hint: &KeyHint) -> bool {
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
fn render_keys(scene: &Scene, width: u16, height: u16) -> Frame {
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

/// The screen of `lines`, each set in from the edge, cut or filled with
/// blank lines to the height.
fn frame(lines: impl IntoIterator<Item = Line>, width: u16, height: u16) -> Frame {
    let h = usize::from(height);
    let mut lines: Vec<Line> = lines
        .into_iter()
        .map(|line| indent(line, usize::from(width)))
        .collect();
    lines.truncate(h);
    lines.resize(h, Line::blank());
    Frame {
        width,
        height,
        lines,
    }
}

/// Puts the left margin in front of `line`, and cuts it to `width` - 1.
fn indent(line: Line, width: usize) -> Line {
    if line.spans.is_empty() || width <= MARGIN + 1 {
        return Line::blank();
    }
    let mut out = Line::new(Style::Plain, " ".repeat(MARGIN));
    let mut room = width.saturating_sub(MARGIN + 1);
    for span in line.spans {
        if room == 0 {
            break;
        }
        let text = cut(&span.text, room);
        room -= text.width();
        out = out.with(span.style, text);
    }
    out
}

/// `line` centred in `inner` columns.
fn center(line: Line, inner: usize) -> Line {
    let pad = inner.saturating_sub(line.width()) / 2;
    let mut out = Line::new(Style::Plain, " ".repeat(pad));
    out.spans.extend(line.spans);
    out
}

/// The longest start of `text` at most `width` columns wide.
fn cut(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// `text` in at most `width` columns, ending with … when cut: escaped
/// first ([`soothe_core::error::shown`]), so what is measured is what is drawn.
/// All text of the session's own reaches the screen through here.
fn fit(text: &str, width: usize) -> String {
    let text = soothe_core::error::shown(text);
    if text.width() <= width {
        text.to_string()
    } else if width == 0 {
        String::new()
    } else {
        format!("{}…", cut(&text, width - 1).trim_end())
    }
}

/// Wraps `text` at spaces into at most `most` lines of `width` columns;
/// the last line ends with … when the text does not fit.
fn fit_lines(text: &str, width: usize, most: usize) -> Vec<String> {
    if width == 0 || most == 0 {
        return Vec::new();
    }
    let words = text.split_whitespace().map(|word| fit(word, width));
    let mut lines = crate::terminal::wrap::wrap_words(words, width);
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = format!("{}…", cut(last, width - 1).trim_end());
        }
    }
    lines
}

/// The pause sign in the big font.
const PAUSE_SIGN: &str = "\u{2016}";

/// A 3 x 5 block font: digits, the letters of "of", the pause sign. Each
/// string is one row; `#` is a filled pixel.
fn glyph(c: char) -> &'static [&'static str; 5] {
    match c {
        '0' => &["###", "# #", "# #", "# #", "###"],
        '1' => &[" # ", "## ", " # ", " # ", "###"],
        '2' => &["###", "  #", "###", "#  ", "###"],
        '3' => &["###", "  #", " ##", "  #", "###"],
        '4' => &["# #", "# #", "###", "  #", "  #"],
        '5' => &["###", "#  ", "###", "  #", "###"],
        '6' => &["###", "#  ", "###", "# #", "###"],
        '7' => &["###", "  #", " # ", " # ", " # "],
        '8' => &["###", "# #", "###", "# #", "###"],
        '9' => &["###", "# #", "###", "  #", "###"],
        'o' => &["   ", "   ", "###", "# #", "###"],
        'f' => &[" ##", " # ", "###", " # ", " # "],
        '\u{2016}' => &["# #", "# #", "# #", "# #", "# #"],
        _ => &["", "", "", "", ""],
    }
}

/// How many columns `text` takes in the big font at `scale`.
pub fn big_width(text: &str, scale: usize) -> usize {
    let pixels: usize = text.chars().map(|c| glyph(c)[0].chars().count()).sum();
    let gaps = text.chars().count().saturating_sub(1);
    (pixels + gaps) * 2 * scale
}

/// `text` in the big font: 5 x `scale` rows, each [`big_width`] columns
/// wide (spaces included, so that the rows line up). A pixel is 2 x
/// `scale` columns wide and `scale` rows high, so it looks square on a
/// terminal.
pub fn big_lines(text: &str, scale: usize) -> Vec<String> {
    let scale = scale.max(1);
    let mut rows = Vec::with_capacity(5 * scale);
    for row in 0..5 {
        let mut line = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(2 * scale));
            }
            for pixel in glyph(c)[row].chars() {
                let fill = if pixel == '#' { '█' } else { ' ' };
                line.extend(std::iter::repeat_n(fill, 2 * scale));
            }
        }
        rows.extend(std::iter::repeat_n(line, scale));
    }
    rows
}

/// Draws frames on a terminal, rewriting only the rows that changed.
pub struct Painter<W: Write> {
    out: W,
    shown: Option<Frame>,
    /// One frame's bytes, written to `out` at once.
    buffer: Vec<u8>,
}

impl<W: Write> Painter<W> {
    pub fn new(out: W) -> Painter<W> {
        Painter {
            out,
            shown: None,
            buffer: Vec::new(),
        }
    }

    /// Forgets what is on the screen, so the next frame is drawn whole.
    pub fn invalidate(&mut self) {
        self.shown = None;
    }

    /// Draws `frame`. Returns false when nothing had changed, and so
    /// nothing was written.
    pub fn paint(&mut self, frame: &Frame) -> io::Result<bool> {
        let previous = match &self.shown {
            Some(shown) if shown == frame => return Ok(false),
            Some(shown) if shown.width == frame.width && shown.height == frame.height => {
                Some(shown)
            }
            _ => None,
        };
        self.buffer.clear();
        let out = &mut self.buffer;
        queue!(out, BeginSynchronizedUpdate)?;
        if previous.is_none() {
            queue!(out, Clear(ClearType::All))?;
        }
        for (row, line) in frame.lines.iter().enumerate() {
            if previous.is_some_and(|p| p.lines.get(row) == Some(line)) {
                continue;
            }
            queue!(out, MoveTo(0, row as u16))?;
            let text_end = line.text().len();
            let mut written = 0;
            for span in &line.spans {
                if written >= text_end {
                    break;
                }
                let take = span.text.len().min(text_end - written);
                let text = &span.text[..take];
                written += span.text.len();
                match span.style {
                    Style::Plain => queue!(out, Print(text))?,
                    Style::Strong => queue!(
                        out,
                        SetAttribute(Attribute::Bold),
                        Print(text),
                        SetAttribute(Attribute::Reset)
                    )?,
                    Style::Soft => queue!(
                        out,
                        SetAttribute(Attribute::Dim),
                        Print(text),
                        SetAttribute(Attribute::Reset)
                    )?,
                }
            }
            queue!(out, Clear(ClearType::UntilNewLine))?;
        }
        queue!(out, EndSynchronizedUpdate)?;
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        self.shown = Some(frame.clone());
        Ok(true)
    }

    /// Where the frames go.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }
}
