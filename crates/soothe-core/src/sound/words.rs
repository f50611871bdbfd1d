//! The words a take was spoken for, kept inside the take itself (and
//! [`same_words`]: whether a recording still speaks a text): a RIFF
//! `LIST`/`INFO` chunk after the sound, whose `ICMT` (comment) entry reads
//! `soothe-words: <the prompt's text>`. WAV readers skip chunks they do
//! not know, so the take stays an ordinary WAV file; and when a prompt's
//! words change in the script, soothe can tell which takes are stale.
//!
//! A take without the entry (recorded before soothe kept it, or edited
//! elsewhere) is taken to speak the script's words.

use std::io::{Read, Seek, SeekFrom, Write};

const PREFIX: &str = "soothe-words: ";
/// The largest `LIST` chunk read back (a script is at most 1 MB).
const MOST_LIST_BYTES: u32 = 1 << 20;

/// Appends the words to a finished WAV file and fixes its RIFF size.
pub fn append<F: Read + Write + Seek>(file: &mut F, words: &str) -> std::io::Result<()> {
    let mut end = file.seek(SeekFrom::End(0))?;
    if end % 2 == 1 {
        file.write_all(&[0])?;
        end += 1;
    }
    let mut text = format!("{PREFIX}{words}").into_bytes();
    text.push(0);
    let text_len = text.len() as u32;
    if text.len() % 2 == 1 {
        text.push(0);
    }
    let mut chunk = Vec::with_capacity(text.len() + 20);
    chunk.extend_from_slice(b"LIST");
    chunk.extend_from_slice(&(4 + 8 + text.len() as u32).to_le_bytes());
    chunk.extend_from_slice(b"INFO");
    chunk.extend_from_slice(b"ICMT");
    chunk.extend_from_slice(&text_len.to_le_bytes());
    chunk.extend_from_slice(&text);
    file.write_all(&chunk)?;
    let riff_size = end + chunk.len() as u64 - 8;
    let riff_size = u32::try_from(riff_size).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the take is too large")
    })?;
    file.seek(SeekFrom::Start(4))?;
    file.write_all(&riff_size.to_le_bytes())?;
    file.seek(SeekFrom::End(0))?;
    Ok(())
}

/// The words a take says it was spoken for, if it says.
pub fn recorded<R: Read + Seek>(reader: &mut R) -> Option<String> {
    reader.seek(SeekFrom::Start(0)).ok()?;
    let mut head = [0u8; 12];
    reader.read_exact(&mut head).ok()?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return None;
    }
    loop {
        let mut header = [0u8; 8];
        reader.read_exact(&mut header).ok()?;
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if &header[0..4] == b"LIST" && (4..=MOST_LIST_BYTES).contains(&size) {
            let mut body = Vec::new();
            reader
                .by_ref()
                .take(u64::from(size))
                .read_to_end(&mut body)
                .ok()?;
            if let Some(words) = info_words(&body) {
                return Some(words);
            }
            if size % 2 == 1 {
                reader.seek(SeekFrom::Current(1)).ok()?;
            }
        } else {
            let skip = i64::from(size) + i64::from(size % 2);
            reader.seek(SeekFrom::Current(skip)).ok()?;
        }
    }
}

/// The words in a `LIST` chunk's body, if it is an `INFO` list with ours.
fn info_words(body: &[u8]) -> Option<String> {
    let mut rest = body.strip_prefix(b"INFO")?;
    while rest.len() >= 8 {
        let size = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let value = rest.get(8..8 + size)?;
        if &rest[0..4] == b"ICMT" {
            let text = String::from_utf8_lossy(value);
            if let Some(words) = text.trim_end_matches('\0').strip_prefix(PREFIX) {
                return Some(words.to_string());
            }
        }
        rest = rest.get(8 + size + size % 2..)?;
    }
    None
}

/// Words compared without regard to spacing or punctuation: a comma
/// added or a full stop moved leaves a recording speaking the same words
/// (an apostrophe or a hyphen inside a word counts).
pub fn same_words(a: &str, b: &str) -> bool {
    fn spoken(text: &str) -> String {
        text.chars()
            .map(|c| if is_pause(c) { ' ' } else { c })
            .collect()
    }
    spoken(a)
        .split_whitespace()
        .eq(spoken(b).split_whitespace())
}

/// Punctuation, which is heard at most as a pause.
fn is_pause(c: char) -> bool {
    (c.is_ascii_punctuation() && c != '\'' && c != '-')
        || "¿¡«»…—–“”‘’„，。、！？：；「」『』（）·".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_added_keeps_a_recording_and_a_word_changed_does_not() {
        let said = "Las caricias te acercan a tu bebé, y pueden ayudar.";
        assert!(same_words(
            said,
            "Las caricias te acercan a tu bebé y pueden ayudar."
        ));
        assert!(same_words("你好，宝宝。", "你好 宝宝"));
        assert!(!same_words(
            said,
            "Las caricias te acercan a tu bebé y pueden calmar."
        ));
        assert!(!same_words("Don't press.", "Dont press."));
    }
    use std::io::Cursor;

    fn wav(samples: &[i16]) -> Cursor<Vec<u8>> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for &s in samples {
            writer.write_sample(s).unwrap();
        }
        writer.finalize().unwrap();
        bytes
    }

    #[test]
    fn words_written_after_the_sound_read_back_and_the_wav_still_plays() {
        let mut file = wav(&[1, -2, 3]);
        append(&mut file, "Warm the oil in your hands.").unwrap();
        assert_eq!(
            recorded(&mut file).as_deref(),
            Some("Warm the oil in your hands.")
        );
        let bytes = file.into_inner();
        let riff = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        assert_eq!(riff as usize, bytes.len() - 8);
        let mut reader = hound::WavReader::new(Cursor::new(bytes)).unwrap();
        let samples: Vec<i16> = reader.samples().map(Result::unwrap).collect();
        assert_eq!(samples, [1, -2, 3]);
    }

    #[test]
    fn a_take_without_words_or_with_a_broken_list_says_nothing() {
        assert_eq!(recorded(&mut wav(&[1, 2])), None);
        let mut bytes = wav(&[1, 2]).into_inner();
        bytes.extend_from_slice(b"LIST\xff\xff\x00\x00INFOICMT");
        assert_eq!(recorded(&mut Cursor::new(bytes)), None);
    }
}
