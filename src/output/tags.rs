//! Whether a file is one of soothe's album tracks, from the tags soothe
//! writes (see `mp3.rs`, `flac.rs` and `wav.rs`): artist soothe, and a
//! track number. Only the start of the file is read (soothe puts its tags
//! there, in far fewer than [`HEAD`] bytes), and every size found in it is
//! checked against what was read: a file that claims a tag of gigabytes
//! costs no more than any other.

use std::fs::OpenOptions;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use soothe_core::encode::meta::ARTIST;

/// How much of a file is read.
const HEAD: u64 = 64 * 1024;

/// The tags that tell a track: the artist, and whether it has a number.
#[derive(Debug, Default, PartialEq, Eq)]
struct Said {
    artist: Option<String>,
    track: bool,
}

/// Whether the file at `path` (a file, not a link) is a track soothe wrote.
pub fn is_soothe_track(path: &Path) -> bool {
    // Not a link, nor a FIFO that would block.
    let Ok(file) = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    if file.take(HEAD).read_to_end(&mut head).is_err() {
        return false;
    }
    let said = read_tags(&head);
    said.artist.as_deref() == Some(ARTIST) && said.track
}

/// The tags at the start of an MP3 (ID3v2.3 or 2.4), a FLAC or a WAV.
fn read_tags(head: &[u8]) -> Said {
    let mut said = Said::default();
    if head.starts_with(b"ID3") {
        id3(head, &mut said);
    } else if head.starts_with(b"fLaC") {
        flac(head, &mut said);
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WAVE") {
        riff(head, &mut said);
    }
    said
}

/// `len` bytes at `at`, if they were read.
fn bytes(head: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    head.get(at..at.checked_add(len)?)
}

fn u32_at(head: &[u8], at: usize, big_endian: bool) -> Option<usize> {
    let b: [u8; 4] = bytes(head, at, 4)?.try_into().ok()?;
    let value = if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    };
    usize::try_from(value).ok()
}

/// A "syncsafe" ID3 size: 7 bits a byte.
fn syncsafe(b: &[u8]) -> usize {
    b.iter()
        .fold(0, |n, &byte| (n << 7) | usize::from(byte & 0x7f))
}

fn id3(head: &[u8], said: &mut Said) -> Option<()> {
    let version = *head.get(3)?;
    let flags = *head.get(5)?;
    // Unsynchronised or with an extended header: not as soothe writes it.
    if !(3..=4).contains(&version) || flags & 0xc0 != 0 {
        return None;
    }
    let end = syncsafe(bytes(head, 6, 4)?)
        .saturating_add(10)
        .min(head.len());
    let mut at = 10;
    while at + 10 <= end && head[at] != 0 {
        let size = if version == 4 {
            syncsafe(&head[at + 4..at + 8])
        } else {
            u32_at(head, at + 4, true)?
        };
        let data = bytes(head, at + 10, size)?;
        match &head[at..at + 4] {
            b"TPE1" => said.artist = Some(id3_text(data)),
            b"TRCK" => said.track = !id3_text(data).is_empty(),
            _ => {}
        }
        at += 10 + size;
    }
    Some(())
}

/// An ID3 text frame's text: Latin-1, UTF-16 (with a byte order mark, or
/// big-endian) or UTF-8.
fn id3_text(data: &[u8]) -> String {
    let Some((&encoding, text)) = data.split_first() else {
        return String::new();
    };
    let utf16 = |text: &[u8], big: bool| {
        let units: Vec<u16> = text
            .chunks_exact(2)
            .map(|b| {
                if big {
                    u16::from_be_bytes([b[0], b[1]])
                } else {
                    u16::from_le_bytes([b[0], b[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    let text = match encoding {
        0 => text.iter().map(|&b| char::from(b)).collect(),
        1 => match text {
            [0xfe, 0xff, rest @ ..] => utf16(rest, true),
            [0xff, 0xfe, rest @ ..] => utf16(rest, false),
            _ => utf16(text, true),
        },
        2 => utf16(text, true),
        _ => String::from_utf8_lossy(text).into_owned(),
    };
    text.trim_end_matches('\0').to_string()
}

fn flac(head: &[u8], said: &mut Said) -> Option<()> {
    let mut at = 4;
    loop {
        let header = bytes(head, at, 4)?;
        let len =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let body = bytes(head, at + 4, len)?;
        if header[0] & 0x7f == 4 {
            vorbis_comment(body, said);
        }
        if header[0] & 0x80 != 0 {
            return Some(());
        }
        at += 4 + len;
    }
}

/// `KEY=value` comments after the vendor string, all little-endian.
fn vorbis_comment(body: &[u8], said: &mut Said) -> Option<()> {
    let mut at = 4 + u32_at(body, 0, false)?;
    let count = u32_at(body, at, false)?;
    at += 4;
    for _ in 0..count {
        let len = u32_at(body, at, false)?;
        let comment = String::from_utf8_lossy(bytes(body, at + 4, len)?);
        if let Some((key, value)) = comment.split_once('=') {
            if key.eq_ignore_ascii_case("ARTIST") {
                said.artist = Some(value.to_string());
            } else if key.eq_ignore_ascii_case("TRACKNUMBER") {
                said.track = !value.is_empty();
            }
        }
        at += 4 + len;
    }
    Some(())
}

/// The `LIST` `INFO` chunk before the samples.
fn riff(head: &[u8], said: &mut Said) -> Option<()> {
    let mut at = 12;
    loop {
        let id = bytes(head, at, 4)?;
        let len = u32_at(head, at + 4, false)?;
        if id == b"data" {
            return Some(());
        }
        let body = bytes(head, at + 8, len)?;
        if id == b"LIST" && body.starts_with(b"INFO") {
            let mut inner = 4;
            while let (Some(key), Some(len)) =
                (bytes(body, inner, 4), u32_at(body, inner + 4, false))
            {
                let text = String::from_utf8_lossy(bytes(body, inner + 8, len)?);
                let text = text.trim_end_matches('\0');
                match key {
                    b"IART" => said.artist = Some(text.to_string()),
                    b"ITRK" => said.track = !text.is_empty(),
                    _ => {}
                }
                inner += 8 + len + len % 2;
            }
        }
        at += 8 + len + len % 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{encoder, Format, Meta};

    /// A file of `format` as soothe writes it, with `track`.
    fn written(format: Format, track: Option<(usize, usize)>) -> Vec<u8> {
        let meta = Meta {
            title: "Tummy".into(),
            album: "Baby massage".into(),
            track,
            sample_rate: 48_000,
            total_samples: 4800,
            chapters: Vec::new(),
        };
        let mut bytes = Vec::new();
        let mut encoder = encoder(format, &meta, true, &mut bytes).unwrap();
        encoder.samples(&[100; 4800], &mut bytes).unwrap();
        for patch in encoder.finish(&mut bytes).unwrap() {
            let at = patch.offset as usize;
            bytes[at..at + patch.bytes.len()].copy_from_slice(&patch.bytes);
        }
        bytes
    }

    #[test]
    fn soothe_knows_its_tracks_in_every_format_it_writes() {
        for format in [Format::Mp3 { kbps: 64 }, Format::Flac, Format::Wav] {
            let track = read_tags(&written(format, Some((7, 9))));
            assert_eq!(
                track,
                Said {
                    artist: Some(ARTIST.into()),
                    track: true
                },
                "{format:?}"
            );
            // A session rendered whole has no track number.
            let whole = read_tags(&written(format, None));
            assert_eq!(whole.artist.as_deref(), Some(ARTIST), "{format:?}");
            assert!(!whole.track, "{format:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("07 Tummy.flac");
        std::fs::write(&path, written(Format::Flac, Some((7, 9)))).unwrap();
        assert!(is_soothe_track(&path));
        std::os::unix::fs::symlink(&path, dir.path().join("08 Link.flac")).unwrap();
        assert!(!is_soothe_track(&dir.path().join("08 Link.flac")));
    }

    #[test]
    fn a_track_of_another_artist_or_no_tags_is_not_soothes() {
        let mut other = written(Format::Wav, Some((1, 2)));
        let at = other.windows(6).position(|w| w == b"soothe").unwrap();
        other[at..at + 6].copy_from_slice(b"mum's ");
        assert_eq!(read_tags(&other).artist.as_deref(), Some("mum's "));
        assert_eq!(read_tags(b"a song of our own"), Said::default());
        assert_eq!(read_tags(b""), Said::default());
    }

    #[test]
    fn a_file_claiming_tags_of_gigabytes_is_read_no_further_than_its_start() {
        // An ID3 tag of 256 MB, a frame of 4 GB.
        let mut id3 = b"ID3\x03\x00\x00\x7f\x7f\x7f\x7fTPE1\xff\xff\xff\xff\x00\x00".to_vec();
        id3.extend([0; 100]);
        assert_eq!(read_tags(&id3), Said::default());
        // A FLAC comment block counting 4 billion comments.
        let mut flac = b"fLaC\x84\x00\x00\x10".to_vec();
        flac.extend(0u32.to_le_bytes());
        flac.extend(u32::MAX.to_le_bytes());
        flac.extend(u32::MAX.to_le_bytes());
        flac.extend([0; 4]);
        assert_eq!(read_tags(&flac), Said::default());
        // A RIFF chunk of 4 GB.
        let riff = b"RIFF\xff\xff\xff\xffWAVELIST\xff\xff\xff\xffINFO".to_vec();
        assert_eq!(read_tags(&riff), Said::default());
    }
}
