//! The session log as `soothe log` shows it: a table of the latest
//! sessions, oldest first, and the lines among them that are not sessions.
//!
//! Memory stays bounded whatever the log's size: the latest `N` are kept
//! as the log is read, and no more; all of them are shown in two passes
//! over the file, one to size the columns and one to print the rows.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead, Seek, SeekFrom, Write};

use unicode_width::UnicodeWidthStr;

use super::{column, records, Record, BUILTIN};

/// Lines that are not sessions are named one by one up to this many; the
/// rest are counted.
pub const ODD_NAMED: usize = 10;

/// Lines that are not sessions: the first [`ODD_NAMED`], and how many.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Odd {
    pub lines: Vec<u64>,
    pub count: u64,
}

impl Odd {
    fn add(&mut self, line: u64) {
        if self.lines.len() < ODD_NAMED {
            self.lines.push(line);
        }
        self.count += 1;
    }

    fn append(&mut self, other: &Odd) {
        let room = ODD_NAMED - self.lines.len();
        self.lines.extend(other.lines.iter().take(room));
        self.count += other.count;
    }
}

/// What the table showed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Sessions in the table, and those before them left out.
    pub sessions: u64,
    pub earlier: u64,
}

/// Why the table could not be shown: the log could not be read, or the
/// table written.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error("cannot read the session log: {}", soothe_core::error::io_reason(.0))]
    Read(io::Error),
    #[error(transparent)]
    Write(io::Error),
}

/// A table's columns.
const COLUMNS: usize = 7;
type Row<'a> = [Cow<'a, str>; COLUMNS];

/// Writes to `out` the table of the last `count` sessions (`None`: all)
/// of the log `input` holds, nothing when it has none. The lines that are
/// not sessions among those shown (or before them, when none are left out)
/// go to `odd` first.
pub fn show<R: BufRead + Seek>(
    input: R,
    count: Option<usize>,
    out: &mut dyn Write,
    odd: impl FnOnce(&Odd),
) -> Result<Shown, ShowError> {
    match count {
        Some(count) => show_latest(input, count, out, odd),
        None => show_all(input, out, odd),
    }
}

/// The last `count` sessions, kept as the log is read.
fn show_latest<R: BufRead>(
    input: R,
    count: usize,
    out: &mut dyn Write,
    odd: impl FnOnce(&Odd),
) -> Result<Shown, ShowError> {
    // Each session kept, with the odd lines after it; those before any.
    let mut rows: VecDeque<(Vec<String>, Odd)> = VecDeque::new();
    let mut leading = Odd::default();
    let mut earlier = 0u64;
    for record in records(input) {
        match record.map_err(ShowError::Read)? {
            Record::Session { fields, .. } => {
                rows.push_back((fields, Odd::default()));
                if rows.len() > count {
                    rows.pop_front();
                    earlier += 1;
                    leading = Odd::default();
                }
            }
            Record::Odd { line } => match rows.back_mut() {
                Some((_, after)) => after.add(line),
                None if earlier == 0 => leading.add(line),
                // After a session left out: not said again.
                None => {}
            },
        }
    }
    for (_, after) in &rows {
        leading.append(after);
    }
    odd(&leading);
    let shown = Shown {
        sessions: rows.len() as u64,
        earlier,
    };
    if shown.sessions + shown.earlier == 0 {
        return Ok(shown);
    }
    let mut widths = widths(&titles());
    for (fields, _) in &rows {
        widen(&mut widths, &cells(fields));
    }
    write_row(out, &titles(), &widths).map_err(ShowError::Write)?;
    for (fields, _) in &rows {
        write_row(out, &cells(fields), &widths).map_err(ShowError::Write)?;
    }
    Ok(shown)
}

/// Every session: the columns sized on a first pass, the rows written on
/// a second over the same bytes (a line added meanwhile waits for the
/// next time).
fn show_all<R: BufRead + Seek>(
    input: R,
    out: &mut dyn Write,
    odd: impl FnOnce(&Odd),
) -> Result<Shown, ShowError> {
    let mut counted = Counted { input, read: 0 };
    let mut widths = widths(&titles());
    let mut odd_lines = Odd::default();
    let mut sessions = 0u64;
    for record in records(&mut counted) {
        match record.map_err(ShowError::Read)? {
            Record::Session { fields, .. } => {
                widen(&mut widths, &cells(&fields));
                sessions += 1;
            }
            Record::Odd { line } => odd_lines.add(line),
        }
    }
    odd(&odd_lines);
    let shown = Shown {
        sessions,
        earlier: 0,
    };
    if sessions == 0 {
        return Ok(shown);
    }
    write_row(out, &titles(), &widths).map_err(ShowError::Write)?;
    let Counted { mut input, read } = counted;
    input.seek(SeekFrom::Start(0)).map_err(ShowError::Read)?;
    for record in records(io::Read::take(input, read)) {
        if let Record::Session { fields, .. } = record.map_err(ShowError::Read)? {
            write_row(out, &cells(&fields), &widths).map_err(ShowError::Write)?;
        }
    }
    Ok(shown)
}

fn titles() -> Row<'static> {
    [
        "When", "Script", "Variant", "Options", "Voice", "Heard", "How far",
    ]
    .map(Cow::Borrowed)
}

/// A session's cells, made safe to print (see [`escaped`]).
fn cells(fields: &[String]) -> Row<'_> {
    let field = |i: usize| fields[i].as_str();
    let script = if field(column::SCRIPT) == BUILTIN {
        field(column::SCRIPT)
    } else {
        // The file's name is enough to tell a parent's scripts apart.
        std::path::Path::new(field(column::SCRIPT))
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or(field(column::SCRIPT))
    };
    let options = match field(column::OPTIONS) {
        "" => "-",
        options => options,
    };
    let variant = match field(column::BRIEF) {
        "yes" => Cow::Owned(format!("{}, brief", field(column::VARIANT))),
        _ => Cow::Borrowed(field(column::VARIANT)),
    };
    // Started later than the first step, it says so: not a whole session.
    let how_far = match (field(column::FROM), field(column::HOW_FAR)) {
        ("", how_far) => Cow::Borrowed(how_far),
        (from, "finished") => Cow::Owned(format!("from {from} to the end")),
        (from, how_far) => Cow::Owned(format!("from {from}, {how_far}")),
    };
    [
        Cow::Owned(format!(
            "{} {}",
            escaped(field(column::DATE)),
            escaped(field(column::TIME))
        )),
        escaped(script),
        Cow::Owned(escaped(&variant).into_owned()),
        escaped(options),
        escaped(field(column::VOICE)),
        escaped(field(column::HEARD)),
        Cow::Owned(escaped(&how_far).into_owned()),
    ]
}

/// `text` safe to print in a cell: a control character (a line end among
/// them) is shown escaped, not obeyed.
fn escaped(text: &str) -> Cow<'_, str> {
    match soothe_core::error::shown(text) {
        shown if shown.contains('\n') => Cow::Owned(shown.replace('\n', "\\n")),
        shown => shown,
    }
}

fn widths(row: &Row) -> [usize; COLUMNS] {
    std::array::from_fn(|i| row[i].width())
}

fn widen(widths: &mut [usize; COLUMNS], row: &Row) {
    for (width, cell) in widths.iter_mut().zip(row) {
        *width = (*width).max(cell.width());
    }
}

fn write_row(out: &mut dyn Write, row: &Row, widths: &[usize; COLUMNS]) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        line.push_str(cell);
        if i + 1 < row.len() {
            line.push_str(&" ".repeat(widths[i].saturating_sub(cell.width()) + 2));
        }
    }
    writeln!(out, "{line}")
}

/// A reader that counts the bytes taken from it.
struct Counted<R> {
    input: R,
    read: u64,
}

impl<R: BufRead> io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.input.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.read += amount as u64;
        self.input.consume(amount);
    }
}
