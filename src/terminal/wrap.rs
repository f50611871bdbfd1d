//! Wrapping text at spaces (and, in Japanese and Chinese, between
//! characters), by the columns it takes on a terminal.

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

/// A piece of text a line may break before, and whether a space comes
/// before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub spaced: bool,
}

/// `words` as the pieces a line may break between: each word, and within
/// a word of a language written without spaces (Japanese, Chinese) each
/// character, punctuation kept on the line it belongs to (a line never
/// starts with 、 or 。 nor ends with 「).
pub fn pieces<W: AsRef<str>>(words: impl IntoIterator<Item = W>) -> Vec<Piece> {
    let mut out = Vec::new();
    for word in words {
        let mut spaced = true;
        let mut piece = String::new();
        let mut before: Option<char> = None;
        for c in word.as_ref().chars() {
            if before.is_some_and(|b| breaks_between(b, c)) {
                out.push(Piece {
                    text: std::mem::take(&mut piece),
                    spaced,
                });
                spaced = false;
            }
            piece.push(c);
            before = Some(c);
        }
        if !piece.is_empty() {
            out.push(Piece {
                text: piece,
                spaced,
            });
        }
    }
    out
}

/// Whether a line may break between `a` and `b` inside a word.
fn breaks_between(a: char, b: char) -> bool {
    use soothe_core::session::language::unspaced;
    const NO_LINE_START: &str =
        "、。，．・：；！？）」』】〕〉》ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ…,.:;!?)]}";
    const NO_LINE_END: &str = "（「『【〔〈《([{";
    // Their letters, and the punctuation and full-width forms they use.
    let cjk =
        |c: char| unspaced(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}');
    (cjk(a) || cjk(b)) && !NO_LINE_START.contains(b) && !NO_LINE_END.contains(a)
}

/// `pieces` into lines of at most `width` columns where they fit (a piece
/// wider than `width` has a line of its own).
pub fn wrap_pieces(pieces: &[Piece], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for piece in pieces {
        let gap = usize::from(!line.is_empty() && piece.spaced);
        if !line.is_empty() && line.width() + gap + piece.text.width() > width {
            lines.push(std::mem::take(&mut line));
        } else if gap == 1 {
            line.push(' ');
        }
        line.push_str(&piece.text);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` wrapped at its spaces (and between the characters of a language
/// written without them) into lines of at most `width` columns, each word
/// escaped ([`soothe_core::error::shown`]) before it is measured.
#[cfg(any(test, feature = "device"))]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_pieces(
        &pieces(text.split_whitespace().map(soothe_core::error::shown)),
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

    #[test]
    fn japanese_and_chinese_break_between_characters_keeping_punctuation_on_its_line() {
        assert_eq!(
            wrap("かかとのすぐ上を、やさしく押します。", 10),
            ["かかとのす", "ぐ上を、や", "さしく押し", "ます。"]
        );
        assert_eq!(
            wrap("按 n 键或踏板跳过。", 8),
            ["按 n 键", "或踏板跳", "过。"]
        );
        // A line never starts with 。 nor ends with 「.
        assert_eq!(
            wrap("ありがとう。「はい」", 10),
            ["ありがと", "う。「は", "い」"]
        );
    }
}
