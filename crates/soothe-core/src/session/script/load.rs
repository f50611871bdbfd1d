//! Reading a script: RON syntax first, then the meaning, both reported as
//! `PATH:LINE:COL: message`.

use std::fmt;
use std::io::Read;
use std::path::Path;

use ron::extensions::Extensions;

use serde::de::DeserializeOwned;

use super::locate::{Locations, Pos};
use super::validate::{self, Problem};
use super::{Origin, Script};
use crate::error::shown;

/// The largest script read: the built-in one is a few dozen kilobytes, so
/// anything past this is not a session script (or would not fit a night).
pub const MAX_SCRIPT_BYTES: u64 = 1 << 20;

/// A file of the user's that cannot be used (a script, the settings),
/// with where and why.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Nothing there, or a path through something that is not a folder:
    /// the user's to fix. The error itself is kept, shown without Rust's
    /// "(os error N)"; `what` is "the script" or "the settings".
    #[error("{path}: cannot read {what}: {}", crate::error::io_reason(.error))]
    Missing {
        path: String,
        what: &'static str,
        error: std::io::Error,
    },
    /// The file itself could not be read (an I/O failure).
    #[error("{path}: cannot read {what}: {}", crate::error::io_reason(.error))]
    Read {
        path: String,
        what: &'static str,
        error: std::io::Error,
    },
    /// The path names something that is not such a file.
    #[error("{path}: {reason}")]
    NotAFile { path: String, reason: String },
    /// A syntax or semantic error at a place in the file.
    #[error("{0}")]
    At(Located),
}

impl FileError {
    /// A read that failed for the machine's reasons, not the input's.
    pub fn is_io(&self) -> bool {
        matches!(self, FileError::Read { .. })
    }
}

/// `PATH:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            shown(&self.path),
            self.line,
            self.col,
            shown(&self.message)
        )
    }
}

/// Reads and checks a script file. Only an ordinary file of at most
/// [`MAX_SCRIPT_BYTES`] is read: a FIFO, a device such as `/dev/zero` or
/// a folder is refused before it is opened.
pub fn load_file(path: &Path) -> Result<Script, FileError> {
    let name = path.display().to_string();
    let bytes = read_small_file(path).map_err(|problem| refused(&name, problem))?;
    parse_bytes(&bytes, &name)
}

/// Why the script `name` was not read.
fn refused(name: &str, problem: ReadProblem) -> FileError {
    let path = name.to_string();
    let what = "the script";
    match problem {
        // A path that leads nowhere is the user's to fix (exit 2); a disk
        // that fails to read is not (exit 1).
        ReadProblem::Missing(error) => FileError::Missing { path, what, error },
        ReadProblem::Io(error) => FileError::Read { path, what, error },
        ReadProblem::NotAFile(kind) => FileError::NotAFile {
            path,
            reason: format!("this is {kind}, not a script file; give the path of a .ron file"),
        },
        ReadProblem::TooBig => FileError::NotAFile {
            path,
            reason: format!(
                "the script is larger than {} MB, far more than any session needs; is this the right file?",
                MAX_SCRIPT_BYTES >> 20
            ),
        },
    }
}

/// Why a small file of the user's (a script, the settings) was not read.
#[derive(Debug)]
pub enum ReadProblem {
    /// Nothing there (or a path through something that is not a folder).
    Missing(std::io::Error),
    /// The disk would not give it up.
    Io(std::io::Error),
    /// A folder, a FIFO, a device...: what it is, in plain words.
    NotAFile(&'static str),
    /// Larger than [`MAX_SCRIPT_BYTES`].
    TooBig,
}

/// Reads an ordinary file of at most [`MAX_SCRIPT_BYTES`]: a FIFO, a
/// device such as `/dev/zero` or a folder is refused before it is opened.
pub fn read_small_file(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let io_error = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
            ReadProblem::Missing(err)
        }
        _ => ReadProblem::Io(err),
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if let Some(kind) = crate::error::not_a_file(&metadata) {
        return Err(ReadProblem::NotAFile(kind));
    }
    if metadata.len() > MAX_SCRIPT_BYTES {
        return Err(ReadProblem::TooBig);
    }
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may grow between the look and the read: never read more.
    file.take(MAX_SCRIPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(ReadProblem::TooBig);
    }
    Ok(bytes)
}

/// Parses a script from raw bytes: a UTF-8 byte-order mark is skipped,
/// bytes that are not UTF-8 are reported at their line and column.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Script, FileError> {
    let mut script: Script =
        parse_ron_bytes(bytes, name, "script", validate::check).map_err(FileError::At)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // It parsed, so it is UTF-8.
    script.origin = Origin::new(name, std::str::from_utf8(bytes).unwrap_or_default());
    Ok(script)
}

/// Parses a RON document of `kind` (such as "script", for messages) from
/// raw bytes, then checks its meaning with `check`: a byte-order mark is
/// skipped, and bytes that are not UTF-8, syntax errors, unknown fields,
/// wrong types and `check`'s problems are all `PATH:LINE:COL: message`.
pub fn parse_ron_bytes<T: DeserializeOwned>(
    bytes: &[u8],
    name: &str,
    kind: &str,
    check: impl FnOnce(&T) -> Result<(), Problem>,
) -> Result<T, Located> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(source) => parse_ron(source, name, check),
        Err(err) => {
            let good = &bytes[..err.valid_up_to()];
            // `good` is valid UTF-8 by definition.
            let before = std::str::from_utf8(good).unwrap_or_default();
            let pos = end_position(&normalise_line_ends(before));
            Err(Located {
                path: name.to_string(),
                line: pos.0,
                col: pos.1,
                message: format!(
                    "this is not UTF-8 text (byte 0x{:02X}); save the {kind} as UTF-8",
                    bytes[err.valid_up_to()]
                ),
            })
        }
    }
}

/// Parses RON `source` as a `T`, then checks its meaning with `check`;
/// `name` is what errors call the file.
pub fn parse_ron<T: DeserializeOwned>(
    source: &str,
    name: &str,
    check: impl FnOnce(&T) -> Result<(), Problem>,
) -> Result<T, Located> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let source = normalise_line_ends(source);
    let source = source.as_ref();
    let at = |pos: Pos, message: String| Located {
        path: name.to_string(),
        line: pos.line,
        col: pos.col,
        message,
    };
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let value: T = options.from_str(source).map_err(|err| {
        let start = err.span.start;
        let pos = Pos {
            line: start.line,
            col: start.col,
        };
        at(past_white_space(source, pos), syntax_message(&err.code))
    })?;
    if let Err(problem) = check(&value) {
        return Err(at(
            Locations::scan(source).find(&problem.path),
            problem.message,
        ));
    }
    Ok(value)
}

/// The first place at or after `pos` that is not white space: ron points
/// a value of the wrong type at the space before it, the parent looks for
/// the value itself.
fn past_white_space(source: &str, pos: Pos) -> Pos {
    let Some(line) = source.split('\n').nth(pos.line.saturating_sub(1)) else {
        return pos;
    };
    let skipped = line
        .chars()
        .skip(pos.col.saturating_sub(1))
        .take_while(|c| *c == ' ' || *c == '\t')
        .count();
    let col = pos.col + skipped;
    if col > line.chars().count() {
        // Nothing but space up to the line's end: keep ron's place.
        return pos;
    }
    Pos {
        line: pos.line,
        col,
    }
}

/// The line and column just after `text`.
fn end_position(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// `\r\n` and a lone `\r` (old Mac files) both end a line, as `\n` does.
fn normalise_line_ends(source: &str) -> std::borrow::Cow<'_, str> {
    if source.contains('\r') {
        std::borrow::Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(source)
    }
}

impl Script {
    /// Parses and checks a script; `name` is what errors call the file.
    pub fn parse(source: &str, name: &str) -> Result<Script, FileError> {
        let mut script: Script = parse_ron(source, name, validate::check).map_err(FileError::At)?;
        script.origin = Origin::new(name, source);
        Ok(script)
    }

    /// `message` at the value `path` of the script's file (such as
    /// `.cautions[2]`), as `PATH:LINE:COL: message`.
    pub fn located(&self, path: &str, message: String) -> Located {
        let pos = Locations::scan(&self.origin.source).find(path);
        Located {
            path: self.origin.name.clone(),
            line: pos.line,
            col: pos.col,
            message,
        }
    }
}

impl Origin {
    fn new(name: &str, source: &str) -> Origin {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        Origin {
            name: name.to_string(),
            source: normalise_line_ends(source).into(),
        }
    }
}

/// ron's message, with its first letter lowered to read like the rest.
fn syntax_message(code: &ron::Error) -> String {
    let text = code.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `main` prints: the error and every source under it.
    fn printed(err: FileError) -> String {
        format!("{:#}", anyhow::Error::from(err))
    }

    #[test]
    fn a_missing_script_keeps_its_io_error_and_is_the_users_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nowhere.ron");
        let err = load_file(&path).unwrap_err();
        match &err {
            FileError::Missing { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("not Missing: {other:?}"),
        }
        assert!(!err.is_io());
        assert_eq!(
            printed(err),
            format!(
                "{}: cannot read the script: No such file or directory",
                path.display()
            )
        );
    }

    #[test]
    fn a_script_the_disk_will_not_give_up_keeps_its_io_error_and_its_words() {
        let denied = std::io::Error::from_raw_os_error(13);
        let err = refused("mine.ron", ReadProblem::Io(denied));
        match &err {
            FileError::Read { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
            }
            other => panic!("not Read: {other:?}"),
        }
        assert!(err.is_io());
        assert_eq!(
            printed(err),
            "mine.ron: cannot read the script: Permission denied"
        );
    }
}
