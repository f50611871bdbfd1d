//! Wrapping text at spaces, by the columns it takes on a terminal.

use unicode_width::UnicodeWidthStr;

/// `words` joined by spaces into lines of at most `width` columns where
/// they fit (a word wider than `width` has a line of its own).
pub fn wrap_words<W: AsRef<str>>(words: impl IntoIterator<Item = W>, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words {
        let word = word.as_ref();
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` wrapped at its spaces into lines of at most `width` columns,
/// each word escaped ([`soothe_core::error::shown`]) before it is measured.
#[cfg(any(test, feature = "device"))]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_words(
        text.split_whitespace().map(soothe_core::error::shown),
        width,
    )
}

/// `text` wrapped to `width` columns, each line indented by `indent`.
#[cfg(feature = "device")]
pub fn indented(text: &str, width: usize, indent: &str) -> String {
    wrap(text, width)
        .iter()
        .map(|line| format!("{indent}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn lines_break_at_spaces_within_the_width() {
        assert_eq!(
            wrap("Stroke  gently down\ntowards the feet.", 12),
            ["Stroke", "gently down", "towards the", "feet."]
        );
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn escape_sequences_in_words_are_escaped_before_they_are_measured() {
        assert_eq!(
            wrap("go \u{1b}[2Jon\u{202e} now", 12),
            ["go", "\\u{1b}[2Jon\\u{202e}", "now"]
        );
    }

    #[test]
    fn wide_characters_count_as_the_columns_they_take() {
        // Each of these takes two columns.
        assert_eq!(wrap("日本 語", 4), ["日本", "語"]);
    }
}
