//! Errors in words a parent can act on: the "invalid input" marker, I/O
//! reasons without Rust's suffix, names made safe to print, numbers
//! readably.

use std::borrow::Cow;

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

/// `text` safe to print on a terminal, on one line: every character a
/// terminal would obey rather than show ([`is_obeyed`]: an escape
/// sequence hidden in a title, a bell, a line break, a right-to-left
/// override) is shown escaped, as `\u{1b}`, `\n` or `\u{202e}`. The one
/// place that decides: user text (titles, words, names of files and
/// voices) goes through it wherever it reaches a terminal, before it is
/// measured for width.
pub fn shown(text: &str) -> Cow<'_, str> {
    escaped(text, |_| false)
}

/// [`shown`] for the program's own messages of several lines (an error
/// and its list of causes), whose line breaks stay: user text inside
/// them has been [`shown`] already, so no line of theirs can be forged.
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    escaped(text, |c| c == '\n')
}

fn escaped(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    let escape = |c: char| is_obeyed(c) && !kept(c);
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would obey `c` rather than show it: the control
/// characters (C0 with line breaks, tab and ESC; DEL; C1 with CSI), the
/// line and paragraph separators, and Unicode's invisible format
/// characters (category Cf): the bidirectional overrides, embeddings,
/// isolates and marks that make text read backwards, zero-width spaces,
/// the byte-order mark, tags. Zero-width joiner and non-joiner are kept:
/// Persian and Indic scripts and emoji need them, and they move nothing.
pub fn is_obeyed(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || (is_format(c) && !matches!(c, '\u{200c}' | '\u{200d}'))
}

/// Unicode's general category Cf (format), as of Unicode 15.1.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// A number from the user, readably: as written for everyday sizes
/// (`-70`, `0.5`), in scientific notation for the rest (`1e308`, not
/// 309 digits).
pub fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e6).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
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

/// Where `path` leads if it is a symbolic link to nothing (its target,
/// as the link says it); `None` for anything else.
pub fn dangling_link(path: &std::path::Path) -> Option<String> {
    let link = std::fs::symlink_metadata(path).ok()?;
    if !link.file_type().is_symlink() || std::fs::metadata(path).is_ok() {
        return None;
    }
    std::fs::read_link(path)
        .ok()
        .map(|target| target.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_when_printed() {
        assert_eq!(shown("mum\u{1b}[2J"), "mum\\u{1b}[2J");
        assert_eq!(shown("a\rb\tc\nd"), "a\\rb\\tc\\nd");
        assert_eq!(shown_lines("a\rb\tc\nd"), "a\\rb\\tc\nd");
        assert_eq!(
            shown("bell\u{7} del\u{7f} csi\u{9b}"),
            "bell\\u{7} del\\u{7f} csi\\u{9b}"
        );
        assert!(matches!(shown("plain words"), Cow::Borrowed("plain words")));
    }

    #[test]
    fn an_osc_8_hyperlink_is_shown_whole_and_inert() {
        assert_eq!(
            shown("\u{1b}]8;;https://example.com\u{7}here\u{1b}]8;;\u{7}"),
            "\\u{1b}]8;;https://example.com\\u{7}here\\u{1b}]8;;\\u{7}"
        );
    }

    #[test]
    fn bidi_overrides_isolates_marks_and_invisible_characters_are_escaped() {
        assert_eq!(shown("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            shown("\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}"),
            "\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200e}\\u{200f}\\u{61c}"
        );
        assert_eq!(
            shown("a\u{200b}b\u{feff}c\u{e0041}d\u{2028}e"),
            "a\\u{200b}b\\u{feff}c\\u{e0041}d\\u{2028}e"
        );
        // Line breaks are escaped in a line of user text, kept in the
        // program's own lines.
        assert_eq!(shown_lines("a\u{202e}b\nc"), "a\\u{202e}b\nc");
    }

    #[test]
    fn joiners_accents_and_other_scripts_are_shown_as_they_are() {
        for text in [
            "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
            "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}",
            "Caf\u{e9} cafe\u{301}",
            "\u{65e5}\u{672c}\u{8a9e}",
            "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
        ] {
            assert_eq!(shown(text), text);
        }
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = shown("x\u{1b}[2J\u{202e}\n").into_owned();
        assert_eq!(shown(&once), once);
    }

    #[test]
    fn a_link_to_nothing_is_dangling_and_a_file_or_a_good_link_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let good = dir.path().join("good");
        std::os::unix::fs::symlink(&file, &good).unwrap();
        let bad = dir.path().join("bad");
        std::os::unix::fs::symlink("gone.ron", &bad).unwrap();
        assert_eq!(dangling_link(&bad), Some("gone.ron".to_string()));
        assert_eq!(dangling_link(&good), None);
        assert_eq!(dangling_link(&file), None);
        assert_eq!(dangling_link(&dir.path().join("nothing")), None);
    }

    #[test]
    fn numbers_are_shown_readably_however_large() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(-1e308), "-1e308");
        assert_eq!(number(-70.0), "-70");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(2.5e-7), "2.5e-7");
        assert_eq!(number(123456.0), "123456");
        assert_eq!(number(1234567.0), "1.234567e6");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(f64::NAN), "NaN");
    }
}
