//! Stacking a screen's blocks of rows into its height: the least
//! important give way first, and the spare rows go to the flexible gaps.

use super::text::{cut, Line, Style};

/// Blocks of [`ALWAYS`] never give way.
pub(super) const ALWAYS: u8 = 0;

/// A run of rows that shows, or gives way, as one.
pub(super) struct Block {
    /// [`ALWAYS`] shown; higher numbers give way first when rows are short.
    priority: u8,
    lines: Vec<Line>,
    kind: Kind,
}

enum Kind {
    Fixed,
    /// Takes a share of the spare rows, and nothing else.
    Flex,
    /// Words: at its priority the block gives way a row at a time from
    /// its end, down to its first row, which goes at `last`. A block cut
    /// short ends with … to say there is more.
    Words {
        last: u8,
        cut: bool,
    },
}

impl Block {
    pub(super) fn new(priority: u8, lines: Vec<Line>) -> Block {
        Block {
            priority,
            lines,
            kind: Kind::Fixed,
        }
    }

    /// A gap that takes a share of the spare rows.
    pub(super) fn flex() -> Block {
        Block {
            priority: ALWAYS,
            lines: Vec::new(),
            kind: Kind::Flex,
        }
    }

    /// Lines of words, cut a row at a time at `priority`, the first row
    /// left out only at `last` (a smaller number: later).
    pub(super) fn words(priority: u8, last: u8, lines: Vec<Line>) -> Block {
        Block {
            priority,
            lines,
            kind: Kind::Words { last, cut: false },
        }
    }

    pub(super) fn rows(&self) -> usize {
        self.lines.len()
    }
}

/// The rows `blocks` take when nothing gives way and the gaps are empty.
pub(super) fn rows(blocks: &[Block]) -> usize {
    blocks.iter().map(Block::rows).sum()
}

/// The rows `blocks` take when every block that gives way after
/// `priority` (a higher number) has, and the gaps are empty.
pub(super) fn rows_kept_at(blocks: &[Block], priority: u8) -> usize {
    blocks
        .iter()
        .map(|block| match block.kind {
            _ if block.priority <= priority => block.rows(),
            Kind::Words { last, .. } if last <= priority => block.rows().min(1),
            _ => 0,
        })
        .sum()
}

/// `blocks` stacked into `height` rows of `inner` columns: from the
/// highest priority down, blocks give way until the rest fits (all the
/// blocks of a priority together, words a row at a time), and the spare rows
/// are shared among the flexible gaps, the later ones taking what does not
/// divide evenly.
pub(super) fn stack(mut blocks: Vec<Block>, height: usize, inner: usize) -> Vec<Line> {
    let mut rows = rows(&blocks);
    let lowest = blocks.iter().map(|b| b.priority).max().unwrap_or(ALWAYS);
    for priority in (ALWAYS + 1..=lowest).rev() {
        if rows <= height {
            break;
        }
        for block in blocks.iter_mut().filter(|b| b.priority == priority) {
            match &mut block.kind {
                Kind::Fixed => {
                    rows -= block.lines.len();
                    block.lines.clear();
                }
                Kind::Words { cut, .. } => {
                    while rows > height && block.lines.len() > 1 {
                        block.lines.pop();
                        rows -= 1;
                        *cut = true;
                    }
                }
                Kind::Flex => {}
            }
        }
        for block in blocks.iter_mut() {
            if let Kind::Words { last, .. } = block.kind {
                if last == priority && rows > height {
                    rows -= block.lines.len();
                    block.lines.clear();
                }
            }
        }
    }
    let spare = height.saturating_sub(rows);
    let gaps = blocks
        .iter()
        .filter(|b| matches!(b.kind, Kind::Flex))
        .count();
    let mut flex = 0;
    for block in &mut blocks {
        match block.kind {
            Kind::Flex => {
                // The first `flex` gaps have taken `spare * flex / gaps`.
                let share = spare * (flex + 1) / gaps - spare * flex / gaps;
                block.lines = vec![Line::blank(); share];
                flex += 1;
            }
            Kind::Words { cut: true, .. } => {
                if let Some(line) = block.lines.last_mut() {
                    let text = format!(
                        "{}…",
                        self::cut(&line.text(), inner.saturating_sub(1)).trim_end()
                    );
                    *line = Line::new(Style::Plain, text);
                }
            }
            _ => {}
        }
    }
    blocks.into_iter().flat_map(|b| b.lines).collect()
}
