//! The big numbers: a 3 x 5 block font, scaled.

/// The pause sign in the big font.
pub(super) const PAUSE_SIGN: &str = "\u{2016}";

/// A 3 x 5 block font: digits, the letters of "of", the pause sign. Each
/// string is one row; `#` is a filled pixel.
pub(super) fn glyph(c: char) -> &'static [&'static str; 5] {
    match c {
        '0' => &["###", "# #", "# #", "# #", "###"],
        '1' => &[" # ", "## ", " # ", " # ", "###"],
        '2' => &["###", "  #", "###", "#  ", "###"],
        '3' => &["###", "  #", " ##", "  #", "###"],
        '4' => &["# #", "# #", "###", "  #", "  #"],
        '5' => &["###", "#  ", "###", "  #", "###"],
        '6' => &["###", "#  ", "###", "# #", "###"],
        '7' => &["###", "  #", " # ", " # ", " # "],
        '8' => &["###", "# #", "###", "# #", "###"],
        '9' => &["###", "# #", "###", "  #", "###"],
        'o' => &["   ", "   ", "###", "# #", "###"],
        'f' => &[" ##", " # ", "###", " # ", " # "],
        '\u{2016}' => &["# #", "# #", "# #", "# #", "# #"],
        _ => &["", "", "", "", ""],
    }
}

/// How many columns `text` takes in the big font at `scale`.
pub fn big_width(text: &str, scale: usize) -> usize {
    let pixels: usize = text.chars().map(|c| glyph(c)[0].chars().count()).sum();
    let gaps = text.chars().count().saturating_sub(1);
    (pixels + gaps) * 2 * scale
}

/// `text` in the big font: 5 x `scale` rows, each [`big_width`] columns
/// wide (spaces included, so that the rows line up). A pixel is 2 x
/// `scale` columns wide and `scale` rows high, so it looks square on a
/// terminal.
pub fn big_lines(text: &str, scale: usize) -> Vec<String> {
    let scale = scale.max(1);
    let mut rows = Vec::with_capacity(5 * scale);
    for row in 0..5 {
        let mut line = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(2 * scale));
            }
            for pixel in glyph(c)[row].chars() {
                let fill = if pixel == '#' { '█' } else { ' ' };
                line.extend(std::iter::repeat_n(fill, 2 * scale));
            }
        }
        rows.extend(std::iter::repeat_n(line, scale));
    }
    rows
}
