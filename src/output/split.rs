//! `render --split DIR`: a file per step, `01 Welcome.mp3` and so on, and
//! a playlist, `session.m3u8`, that plays them in order. A headset's or a
//! car's next and previous buttons then move between steps.

use super::Format;

/// The playlist's file name.
pub const PLAYLIST: &str = "session.m3u8";

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// The file name of step `number` (from 1) of `count`, titled `title`:
/// the number with as many digits as the last one needs (at least two),
/// then the title, without what file systems or phones refuse, cut (on a
/// character) so that the name fits in [`NAME_MAX`] bytes.
pub fn file_name(number: usize, count: usize, title: &str, format: Format) -> String {
    let width = count.to_string().len().max(2);
    let clean: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if breaks_line(c) => ' ',
            c => c,
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let clean = if clean.is_empty() { "Step" } else { clean };
    let number = format!("{number:0width$}");
    let extension = format.extension();
    // The number, a space, the title, a dot and the extension.
    let room = NAME_MAX.saturating_sub(number.len() + extension.len() + 2);
    let mut cut = clean.len().min(room);
    while !clean.is_char_boundary(cut) {
        cut -= 1;
    }
    let clean = clean[..cut].trim_end();
    format!("{number} {clean}.{extension}")
}

/// A character that could start a new line somewhere: a control character
/// (a line break, a carriage return) or a Unicode line or paragraph
/// separator.
fn breaks_line(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// `text` on one line: what could break it becomes a space.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if breaks_line(c) { ' ' } else { c })
        .collect()
}

/// An extended M3U playlist (UTF-8) of `(file name, title, seconds)`. A
/// line is an entry: titles are kept on theirs.
pub fn playlist(title: &str, tracks: &[(String, String, f64)]) -> String {
    let mut text = format!("#EXTM3U\n#PLAYLIST:{}\n", one_line(title));
    for (file, track, seconds) in tracks {
        text.push_str(&format!(
            "#EXTINF:{},{} - {}\n{}\n",
            seconds.round() as u64,
            soothe_core::encode::meta::ARTIST,
            one_line(track),
            one_line(file)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_files_sort_in_order_and_keep_their_titles() {
        let mp3 = Format::Mp3 { kbps: 64 };
        assert_eq!(file_name(1, 8, "Welcome", mp3), "01 Welcome.mp3");
        assert_eq!(file_name(12, 120, "Legs", Format::Flac), "012 Legs.flac");
        assert_eq!(
            file_name(3, 8, "Fingers, hands/arms: both", Format::Wav),
            "03 Fingers, hands-arms- both.wav"
        );
        assert_eq!(file_name(4, 8, "..", mp3), "04 Step.mp3");
    }

    #[test]
    fn the_playlist_lists_every_file_with_its_length() {
        let text = playlist(
            "Baby massage (relaxing)",
            &[
                ("01 Welcome.mp3".into(), "Welcome".into(), 41.6),
                ("02 Feet.mp3".into(), "Feet".into(), 90.2),
            ],
        );
        assert_eq!(
            text,
            "#EXTM3U\n#PLAYLIST:Baby massage (relaxing)\n#EXTINF:42,soothe - Welcome\n01 Welcome.mp3\n#EXTINF:90,soothe - Feet\n02 Feet.mp3\n"
        );
    }

    #[test]
    fn a_300_character_title_failed_with_file_name_too_long() {
        let long = "Stroke gently ".repeat(22); // 308 characters
        let name = file_name(3, 8, &long, Format::Flac);
        assert_eq!(name.len(), 255);
        assert!(name.starts_with("03 Stroke gently Stroke"));
        assert!(name.ends_with(" Stroke ge.flac"), "{name}");
        // Cut just after a space: no space before the dot.
        let spaced = format!("{} {}", "b".repeat(246), "c".repeat(60));
        let name = file_name(3, 8, &spaced, Format::Flac);
        assert_eq!(name, format!("03 {}.flac", "b".repeat(246)));
        // Two bytes a character: the cut falls between two of them.
        let umlauts = format!("a{}", "ö".repeat(300));
        let name = file_name(1, 8, &umlauts, Format::Mp3 { kbps: 64 });
        assert_eq!(name, format!("01 a{}.mp3", "ö".repeat(123)));
        assert_eq!(name.len(), 254);
        let name = file_name(1, 8, &"b".repeat(300), Format::Wav);
        assert_eq!(name, format!("01 {}.wav", "b".repeat(248)));
        assert_eq!(name.len(), 255);
    }

    #[test]
    fn a_title_with_a_line_break_added_entries_to_the_playlist() {
        let text = playlist(
            "Baby massage\n/etc/shadow (v)",
            &[(
                "01 Feet http-evil.example-x.mp3".into(),
                "Feet\r\nhttp://evil.example/x.mp3\u{2028}#EXTINF:1,x".into(),
                41.6,
            )],
        );
        assert_eq!(
            text,
            "#EXTM3U\n#PLAYLIST:Baby massage /etc/shadow (v)\n#EXTINF:42,soothe - Feet  http://evil.example/x.mp3 #EXTINF:1,x\n01 Feet http-evil.example-x.mp3\n"
        );
        assert_eq!(
            file_name(
                1,
                8,
                "Feet\nhttp://evil.example/x.mp3",
                Format::Mp3 { kbps: 64 }
            ),
            "01 Feet http---evil.example-x.mp3.mp3"
        );
    }
}
