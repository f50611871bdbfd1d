//! The text model of the screen (a [`Frame`] of [`Line`]s of styled
//! [`Span`]s) and fitting text into it: escaped, measured by the columns
//! it takes, cut with … or wrapped.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::MARGIN;

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
    pub(super) fn blank() -> Line {
        Line::default()
    }

    pub(super) fn new(style: Style, text: impl Into<String>) -> Line {
        Line::default().with(style, text)
    }

    pub(super) fn with(mut self, style: Style, text: impl Into<String>) -> Line {
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

    pub(super) fn width(&self) -> usize {
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

/// The screen of `lines`, each set in from the edge, cut or filled with
/// blank lines to the height.
pub(super) fn frame(lines: impl IntoIterator<Item = Line>, width: u16, height: u16) -> Frame {
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
pub(super) fn indent(line: Line, width: usize) -> Line {
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
pub(super) fn center(line: Line, inner: usize) -> Line {
    let pad = inner.saturating_sub(line.width()) / 2;
    let mut out = Line::new(Style::Plain, " ".repeat(pad));
    out.spans.extend(line.spans);
    out
}

/// The longest start of `text` at most `width` columns wide.
pub(super) fn cut(text: &str, width: usize) -> String {
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
pub(super) fn fit(text: &str, width: usize) -> String {
    let text = soothe_core::error::shown(text);
    if text.width() <= width {
        text.to_string()
    } else if width == 0 {
        String::new()
    } else {
        format!("{}…", cut(&text, width - 1).trim_end())
    }
}

/// Wraps `text` at spaces (and between the characters of Japanese and
/// Chinese) into at most `most` lines of `width` columns;
/// the last line ends with … when the text does not fit.
pub(super) fn fit_lines(text: &str, width: usize, most: usize) -> Vec<String> {
    if width == 0 || most == 0 {
        return Vec::new();
    }
    use crate::terminal::wrap::{pieces, wrap_pieces, Piece};
    let escaped = text.split_whitespace().map(soothe_core::error::shown);
    let pieces: Vec<Piece> = pieces(escaped)
        .into_iter()
        .map(|piece| Piece {
            text: fit(&piece.text, width),
            ..piece
        })
        .collect();
    let mut lines = wrap_pieces(&pieces, width);
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = format!("{}…", cut(last, width - 1).trim_end());
        }
    }
    lines
}

/// `text` wrapped at spaces into as few lines of at most `width` columns
/// as [`fit_lines`] makes, as even as they can be: for centred text.
pub(super) fn even_lines(text: &str, width: usize) -> Vec<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| fit(word, width))
        .collect();
    let wrap = |width| crate::terminal::wrap::wrap_words(&words, width);
    let most = wrap(width).len();
    let widest = words.iter().map(|word| word.width()).max().unwrap_or(0);
    (widest..=width)
        .map(wrap)
        .find(|lines| lines.len() <= most)
        .unwrap_or_default()
}
