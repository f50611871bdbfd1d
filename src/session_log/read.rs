//! The session log read back as a stream of records, each at most
//! [`MAX_RECORD`] bytes however large the file: a field quoted across a
//! line end (as the writer quotes a name with one) is one session; a line
//! that is not a session is said to be so, with where it starts.

use std::io::{self, BufRead};

use super::{as_written, column, HEADERS, OLD_HEADERS};

/// The most of one record that is kept (a session's line is a few hundred
/// bytes; a path is at most a few thousand): the rest of a longer one is
/// read past, and it is not a session.
pub const MAX_RECORD: usize = 64 * 1024;

/// One record of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A session, its fields as the user wrote them, on line `line`: the
    /// current columns, where [`column`] says (a line of the old columns
    /// has empty fields for those it lacks).
    Session { line: u64, fields: Vec<String> },
    /// Something that is not one of soothe's lines (a line cut short, a
    /// hand edit), starting on line `line`.
    Odd { line: u64 },
}

/// The records of a log, read as they come: see [`records`].
pub struct Records<R> {
    input: R,
    /// Lines read so far.
    line: u64,
    /// A line read ahead: its number, its bytes, and whether they are all
    /// of it.
    ahead: Option<(u64, Vec<u8>, bool)>,
    /// Whether the last header line read was of the current columns.
    current: bool,
}

/// The records of the log `input` holds, oldest first. Its header, other
/// header lines and blank lines are passed over, and so is a first line
/// that is not a session (another program's header).
pub fn records<R: BufRead>(input: R) -> Records<R> {
    Records {
        input,
        line: 0,
        ahead: None,
        current: false,
    }
}

/// Whether the last header line of the log `input` holds is of the
/// current columns (and so are the lines after it).
pub(super) fn in_current_columns<R: BufRead>(input: R) -> io::Result<bool> {
    let mut records = records(input);
    for record in records.by_ref() {
        record?;
    }
    Ok(records.current)
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<io::Result<Record>> {
        loop {
            match self.record() {
                Ok(Some(Some(record))) => return Some(Ok(record)),
                Ok(Some(None)) => {}
                Ok(None) => return None,
                Err(err) => return Some(Err(err)),
            }
        }
    }
}

impl<R: BufRead> Records<R> {
    /// The next record; `Some(None)` for one passed over, `None` at the end.
    fn record(&mut self) -> io::Result<Option<Option<Record>>> {
        let Some((line, text, whole)) = self.next_line()? else {
            return Ok(None);
        };
        if whole && text.trim_ascii().is_empty() {
            return Ok(Some(None));
        }
        if let Some(current) = header(&text).filter(|_| whole) {
            self.current = current;
            return Ok(Some(None));
        }
        let mut fields = Fields::default();
        fields.feed(&text);
        let mut odd = !whole;
        while fields.quoted() && !odd {
            match self.next_line()? {
                // Cut short inside a quoted field, at the end of the log.
                None => odd = true,
                // Cut short inside a quoted field (a full disk), and the
                // next session begun on the line after.
                Some(next) if looks_like_a_session(&next.1) => {
                    self.ahead = Some(next);
                    odd = true;
                }
                Some((_, next, whole)) => {
                    fields.line_break();
                    fields.feed(&next);
                    odd = !whole;
                }
            }
        }
        let record = match fields.finish().filter(|_| !odd) {
            Some(fields) => Record::Session { line, fields },
            None if line == 1 => return Ok(Some(None)),
            None => Record::Odd { line },
        };
        Ok(Some(Some(record)))
    }

    /// The next line, without its end: its number, at most [`MAX_RECORD`]
    /// bytes of it, and whether that is all of it.
    fn next_line(&mut self) -> io::Result<Option<(u64, Vec<u8>, bool)>> {
        if let Some(ahead) = self.ahead.take() {
            return Ok(Some(ahead));
        }
        let mut text = Vec::new();
        let (mut any, mut whole) = (false, true);
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let end = chunk.iter().position(|&b| b == b'\n');
            let take = end.unwrap_or(chunk.len());
            let room = MAX_RECORD.saturating_sub(text.len());
            whole &= take <= room;
            text.extend_from_slice(&chunk[..take.min(room)]);
            self.input.consume(take + usize::from(end.is_some()));
            if end.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some((self.line, text, whole)))
    }
}

/// Whether `line` is a header soothe writes (a file saved with Windows
/// line ends aside): `Some(true)` of the current columns, `Some(false)` of
/// the old ones.
fn header(line: &[u8]) -> Option<bool> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let is = |headers: [&str; 2]| headers.iter().any(|header| line == header.as_bytes());
    if is(HEADERS) {
        Some(true)
    } else {
        is(OLD_HEADERS).then_some(false)
    }
}

/// Whether `line` begins as a session does: `YYYY-MM-DD,`.
fn looks_like_a_session(line: &[u8]) -> bool {
    line.len() > 10
        && b"9999-99-99,".iter().zip(line).all(|(&shape, &b)| {
            if shape == b'9' {
                b.is_ascii_digit()
            } else {
                b == shape
            }
        })
}

/// Where the parser is in a field.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At its start.
    #[default]
    Start,
    /// In a field without quotes.
    Plain,
    /// Inside quotes.
    Quoted,
    /// Just after a quote inside quotes: the end of them, or the first of
    /// a doubled quote.
    Closed,
}

/// The fields of one record, parsed a line at a time.
#[derive(Debug, Default)]
struct Fields {
    done: Vec<Vec<u8>>,
    field: Vec<u8>,
    state: State,
    /// Bytes kept, and whether the record went past what is kept (in
    /// bytes or fields): then it is not a session.
    size: usize,
    overflow: bool,
}

impl Fields {
    fn feed(&mut self, mut line: &[u8]) {
        while let Some((&b, rest)) = line.split_first() {
            // A run without a comma or a quote is taken at once.
            if matches!(self.state, State::Plain | State::Quoted) {
                let stop = if self.state == State::Plain {
                    b','
                } else {
                    b'"'
                };
                let run = line.iter().position(|&c| c == stop).unwrap_or(line.len());
                if run > 0 {
                    self.push_all(&line[..run]);
                    line = &line[run..];
                    continue;
                }
            }
            line = rest;
            match (self.state, b) {
                (State::Start, b'"') => self.state = State::Quoted,
                (State::Quoted, b'"') => self.state = State::Closed,
                (State::Closed, b'"') => {
                    self.push(b'"');
                    self.state = State::Quoted;
                }
                (State::Quoted, b) => self.push(b),
                (_, b',') => self.end_field(),
                (_, b) => {
                    self.push(b);
                    self.state = State::Plain;
                }
            }
        }
    }

    /// A line end inside quotes: part of the field.
    fn line_break(&mut self) {
        self.push(b'\n');
    }

    fn quoted(&self) -> bool {
        self.state == State::Quoted
    }

    /// The fields as the user wrote them, in the current columns, or
    /// `None` unless there are soothe's eleven (or the old columns' eight),
    /// whole.
    fn finish(mut self) -> Option<Vec<String>> {
        // A line saved with Windows line ends.
        if self.state == State::Plain && self.field.last() == Some(&b'\r') {
            self.field.pop();
        }
        self.end_field();
        let count = self.done.len();
        if self.overflow || self.quoted() || ![column::COUNT, column::OLD_COUNT].contains(&count) {
            return None;
        }
        let text = |field: Vec<u8>| {
            String::from_utf8(field)
                .unwrap_or_else(|bad| String::from_utf8_lossy(bad.as_bytes()).into_owned())
        };
        let mut fields: Vec<String> = self.done.into_iter().map(|f| as_written(text(f))).collect();
        if count == column::OLD_COUNT {
            fields = column::OLD
                .iter()
                .map(|old| old.map_or_else(String::new, |i| std::mem::take(&mut fields[i])))
                .collect();
        }
        Some(fields)
    }

    fn push(&mut self, b: u8) {
        self.push_all(&[b]);
    }

    fn push_all(&mut self, bytes: &[u8]) {
        let room = MAX_RECORD - self.size;
        if bytes.len() > room {
            self.overflow = true;
        }
        let kept = &bytes[..bytes.len().min(room)];
        self.size += kept.len();
        self.field.extend_from_slice(kept);
    }

    fn end_field(&mut self) {
        if self.done.len() == column::COUNT {
            self.overflow = true;
            self.field.clear();
        } else {
            self.done.push(std::mem::take(&mut self.field));
        }
        self.state = State::Start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        records(text.as_bytes()).map(Result::unwrap).collect()
    }

    fn session(line: u64, fields: [&str; column::COUNT]) -> Record {
        Record::Session {
            line,
            fields: fields.map(String::from).to_vec(),
        }
    }

    #[test]
    fn a_quoted_field_with_a_line_end_is_one_session() {
        let log = format!(
            "{}\n2026-11-26,21:04,\"/home/sam/two\nlines.ron\",relaxing,,mum,finished,14:32\n2026-11-27,20:58,built-in,relaxing,,mum,finished,14:30\n",
            OLD_HEADERS[0]
        );
        assert_eq!(
            read(&log),
            [
                session(
                    2,
                    [
                        "2026-11-26",
                        "21:04",
                        "/home/sam/two\nlines.ron",
                        "relaxing",
                        "",
                        "",
                        "",
                        "mum",
                        "",
                        "finished",
                        "14:32"
                    ]
                ),
                session(
                    4,
                    [
                        "2026-11-27",
                        "20:58",
                        "built-in",
                        "relaxing",
                        "",
                        "",
                        "",
                        "mum",
                        "",
                        "finished",
                        "14:30"
                    ]
                ),
            ]
        );
    }

    #[test]
    fn a_line_cut_inside_quotes_is_odd_and_the_next_session_is_read() {
        let log = format!(
            "{}\n2026-11-26,21:04,\"/home/sam/my, sess\n2026-11-27,20:58,built-in,relaxing,,mum,finished,14:30\r\n2026-11-28,20:58,\"cut",
            OLD_HEADERS[0]
        );
        assert_eq!(
            read(&log),
            [
                Record::Odd { line: 2 },
                session(
                    3,
                    [
                        "2026-11-27",
                        "20:58",
                        "built-in",
                        "relaxing",
                        "",
                        "",
                        "",
                        "mum",
                        "",
                        "finished",
                        "14:30"
                    ]
                ),
                Record::Odd { line: 4 },
            ]
        );
    }

    #[test]
    fn a_first_line_that_is_not_a_session_is_passed_over_as_a_header() {
        assert_eq!(
            read("when,what\n2026-11-27,20:58\n"),
            [Record::Odd { line: 2 }]
        );
    }

    #[test]
    fn a_line_past_the_most_kept_or_with_a_ninth_field_is_odd() {
        let long = format!(
            "{}\n2026-11-26,21:04,{},relaxing,,mum,finished,14:32\n2026-11-26,21:04,built-in,relaxing,,mum,finished,14:32,9\n",
            HEADERS[1],
            "x".repeat(MAX_RECORD)
        );
        assert_eq!(
            read(&long),
            [Record::Odd { line: 2 }, Record::Odd { line: 3 }]
        );
    }

    #[test]
    fn a_log_of_the_old_columns_added_to_after_the_current_header_reads_as_the_current_columns() {
        let old = format!(
            "{}\n2026-11-26,21:04,built-in,relaxing,colic,mum,finished,14:32\n",
            OLD_HEADERS[0]
        );
        let log = format!(
            "{old}{}\n2026-12-01,20:58,built-in,relaxing,,yes,close,guide,en,finished,00:14\n",
            HEADERS[0]
        );
        assert_eq!(
            read(&log),
            [
                session(
                    2,
                    [
                        "2026-11-26",
                        "21:04",
                        "built-in",
                        "relaxing",
                        "colic",
                        "",
                        "",
                        "mum",
                        "",
                        "finished",
                        "14:32"
                    ]
                ),
                session(
                    4,
                    [
                        "2026-12-01",
                        "20:58",
                        "built-in",
                        "relaxing",
                        "",
                        "yes",
                        "close",
                        "guide",
                        "en",
                        "finished",
                        "00:14"
                    ]
                ),
            ]
        );
        assert!(!in_current_columns(old.as_bytes()).unwrap());
        assert!(in_current_columns(log.as_bytes()).unwrap());
    }
}
