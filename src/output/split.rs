//! `render --split DIR`: a file per step, `01 Welcome.mp3` and so on, and
//! a playlist, `session.m3u8`, that plays them in order. A headset's or a
//! car's next and previous buttons then move between steps.

use super::Format;

/// The playlist's file name.
pub const PLAYLIST: &str = "session.m3u8";

/// The file name of step `number` (from 1) of `count`, titled `title`:
/// the number with as many digits as the last one needs (at least two),
/// then the title, without what file systems or phones refuse.
pub fn file_name(number: usize, count: usize, title: &str, format: Format) -> String {
    let width = count.to_string().len().max(2);
    let clean: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let clean = if clean.is_empty() { "Step" } else { clean };
    format!("{number:0width$} {clean}.{}", format.extension())
}

/// An extended M3U playlist (UTF-8) of `(file name, title, seconds)`.
pub fn playlist(title: &str, tracks: &[(String, String, f64)]) -> String {
    let mut text = format!("#EXTM3U\n#PLAYLIST:{title}\n");
    for (file, track, seconds) in tracks {
        text.push_str(&format!(
            "#EXTINF:{},{} - {track}\n{file}\n",
            seconds.round() as u64,
            super::meta::ARTIST
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
}
