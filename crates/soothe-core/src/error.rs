//! Errors in words a parent can act on: the "invalid input" marker, I/O
//! reasons without Rust's suffix, names made safe to print.

/// A problem with what the user asked for, not with the machine.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

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
