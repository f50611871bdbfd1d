//! Exit codes, and which errors mean "the input is wrong".

use crate::script::ScriptError;
use crate::select::SelectError;
use crate::voice::VoiceError;

/// What the process tells its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// A runtime failure: the audio device, a file that could not be written.
    Failure = 1,
    /// Invalid input: usage, a missing or invalid script, an unknown name.
    Invalid = 2,
}

/// A problem with what the user asked for, not with the machine.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// The exit code an error deserves: 2 for anything the user can fix in
/// their input, 1 for the rest.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    let invalid = err.chain().any(|cause| {
        cause.is::<InvalidInput>()
            || matches!(cause.downcast_ref::<ScriptError>(), Some(e) if !e.is_io())
            || cause.is::<SelectError>()
            || matches!(cause.downcast_ref::<VoiceError>(), Some(e) if e.is_invalid_input())
    });
    if invalid {
        Exit::Invalid
    } else {
        Exit::Failure
    }
}

/// An I/O error as a short reason, without Rust's "(os error 2)" suffix.
pub fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// `text` safe to print on a terminal: control characters (an escape
/// sequence hidden in a name, a carriage return) are shown escaped, as
/// `\u{1b}`, rather than obeyed. Line breaks stay.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What a path that is not an ordinary file is, in plain words (`None`
/// for an ordinary file). Symbolic links are followed by `metadata`.
pub fn not_a_file(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not an ordinary file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_when_printed() {
        assert_eq!(shown("mum\u{1b}[2J"), "mum\\u{1b}[2J");
        assert_eq!(shown("a\rb\tc\nd"), "a\\rb\\tc\nd");
        assert_eq!(shown("plain words"), "plain words");
    }
}
