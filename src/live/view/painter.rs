//! Drawing frames on a terminal, rewriting only the lines that changed,
//! inside a synchronized update, so nothing flickers.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate};

use super::text::{Frame, Style};

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
