//! The session log: one CSV line per `soothe play`, however it ended, in
//! `$XDG_STATE_HOME/soothe/log.csv` (by default
//! `~/.local/state/soothe/log.csv`). When, which session, how far it got
//! and how long it was heard; nothing more: no streaks, no scores, no
//! reminders.
//!
//! Lines are only ever added: the file is opened to append, and each line
//! is one write, so that an earlier line is never touched.

use std::fmt;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The log's name in soothe's state folder.
pub const FILE_NAME: &str = "log.csv";

/// The first line of the file: the columns.
pub const HEADER: &str = if cfg!(unix) {
    "date,time,script,variant,options,voice,how far,heard"
} else {
    "date,time (UTC),script,variant,options,voice,how far,heard"
};

/// What the script column says of the built-in session.
pub const BUILTIN: &str = "built-in";

/// How far a session got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    /// Played to its end.
    Finished,
    /// "Baby's done" was pressed on this step, and the close played.
    BabysDone(String),
    /// Stopped on this step (q, Ctrl-C, a signal, a failure).
    Stopped(String),
}

impl fmt::Display for Reached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reached::Finished => write!(f, "finished"),
            Reached::BabysDone(step) => write!(f, "baby's done at {step}"),
            Reached::Stopped(step) => write!(f, "stopped at {step}"),
        }
    }
}

/// One session, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// The script's path, or [`BUILTIN`].
    pub script: String,
    pub variant: String,
    pub options: Vec<String>,
    pub voice: String,
    pub reached: Reached,
    /// How long it was heard, pauses and skipped parts left out, in
    /// whole seconds.
    pub heard_seconds: u64,
}

/// Where the log is; `None` without a home folder.
pub fn path() -> Option<PathBuf> {
    crate::places::state().map(|dir| dir.join(FILE_NAME))
}

impl Entry {
    /// The CSV line, without its line end.
    pub fn line(&self) -> String {
        [
            self.date.as_str(),
            &self.time,
            &self.script,
            &self.variant,
            &self.options.join(" "),
            &self.voice,
            &self.reached.to_string(),
            &crate::clock::clock(self.heard_seconds, 1),
        ]
        .iter()
        .map(|field| csv_field(field))
        .collect::<Vec<_>>()
        .join(",")
    }
}

/// A field as CSV: quoted when it holds a comma, a quote or a line end.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Adds `entry` to the log at `path`, creating the folder and the file
/// (with its header) when needed.
pub fn append_to(path: &Path, entry: &Entry) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    let mut text = String::new();
    let len = file.metadata()?.len();
    if len == 0 {
        text.push_str(HEADER);
        text.push('\n');
    } else {
        // A last line cut short (a full disk, a crash) gets its end, so
        // that this line does not join it.
        let mut last = [0u8];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    text.push_str(&entry.line());
    text.push('\n');
    // One write: the file is opened to append, so it lands at the end.
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// The date and time now, as the log writes them: local time where the
/// system says what it is (Unix), else UTC (and the header says so).
pub fn now() -> (String, String) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day, hour, minute) = local(seconds).unwrap_or_else(|| utc(seconds));
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{hour:02}:{minute:02}"),
    )
}

/// Local time through the C library, which knows the time zone.
#[cfg(unix)]
fn local(seconds: u64) -> Option<(i64, u32, u32, u32, u32)> {
    let time = libc::time_t::try_from(seconds).ok()?;
    // SAFETY: `tm` is plain data that localtime_r fills in; both pointers
    // are valid for the call, and localtime_r is the thread-safe form.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&time, &mut tm).is_null() {
            return None;
        }
        tm
    };
    Some((
        i64::from(tm.tm_year) + 1900,
        u32::try_from(tm.tm_mon + 1).ok()?,
        u32::try_from(tm.tm_mday).ok()?,
        u32::try_from(tm.tm_hour).ok()?,
        u32::try_from(tm.tm_min).ok()?,
    ))
}

#[cfg(not(unix))]
fn local(_seconds: u64) -> Option<(i64, u32, u32, u32, u32)> {
    None
}

/// UTC from seconds since 1970 (the civil calendar, by days).
fn utc(seconds: u64) -> (i64, u32, u32, u32, u32) {
    let days = (seconds / 86_400) as i64;
    let of_day = seconds % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (of_day / 3600) as u32,
        (of_day / 60 % 60) as u32,
    )
}

/// A line of the log read back: its fields, or `None` when it is not one
/// of soothe's lines (the header, a line cut short, a hand edit).
pub fn parse_line(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) if field.is_empty() => quoted = true,
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field);
    (fields.len() == 8 && line != HEADER && !fields[0].starts_with("date")).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(reached: Reached) -> Entry {
        Entry {
            date: "2026-11-26".into(),
            time: "21:04".into(),
            script: "/home/sam/my, session.ron".into(),
            variant: "relaxing".into(),
            options: vec!["colic".into(), "newborn".into()],
            voice: "mum".into(),
            reached,
            heard_seconds: 14 * 60 + 32,
        }
    }

    #[test]
    fn a_line_quotes_what_needs_it_and_reads_back() {
        let line = entry(Reached::BabysDone("tummy".into())).line();
        assert_eq!(
            line,
            "2026-11-26,21:04,\"/home/sam/my, session.ron\",relaxing,colic newborn,mum,baby's done at tummy,14:32"
        );
        let fields = parse_line(&line).unwrap();
        assert_eq!(fields[2], "/home/sam/my, session.ron");
        assert_eq!(fields[6], "baby's done at tummy");
        assert_eq!(parse_line(HEADER), None);
        assert_eq!(parse_line("2026-11-26,21:04,\"cut sho"), None);
    }

    #[test]
    fn appending_keeps_every_earlier_line_and_mends_a_cut_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/soothe/log.csv");
        append_to(&path, &entry(Reached::Finished)).unwrap();
        // A line cut short by a full disk.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"2026-11-27,20:58,built-in").unwrap();
        append_to(&path, &entry(Reached::Stopped("legs".into()))).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[0], HEADER);
        assert!(lines[1].ends_with(",finished,14:32"), "{text}");
        assert_eq!(lines[2], "2026-11-27,20:58,built-in");
        assert!(lines[3].ends_with(",stopped at legs,14:32"), "{text}");
    }

    #[test]
    fn utc_dates_follow_the_calendar() {
        assert_eq!(utc(0), (1970, 1, 1, 0, 0));
        // 2024-02-29 23:59 UTC, a leap day.
        assert_eq!(utc(1_709_251_140), (2024, 2, 29, 23, 59));
        assert_eq!(utc(1_709_251_200), (2024, 3, 1, 0, 0));
    }
}
