//! What an Ogg file's last page says. symphonia stops quietly at the last
//! whole page of a file cut short, and at a damaged page partway through
//! (saying then nothing of the stream's length), so both are read here.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The end of an Ogg file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tail {
    /// Not an Ogg file (or not one that could be read again).
    NotOgg,
    /// Its last page is cut, or does not end the stream.
    Cut,
    /// Its last page is whole and ends the stream, `granule` frames from
    /// the start (an Opus stream counts its encoder's pre-skip in them).
    Whole { granule: u64 },
}

/// Reads the last page of the file at `path`.
pub(super) fn tail(path: &Path) -> Tail {
    let Ok(mut file) = File::open(path) else {
        return Tail::NotOgg;
    };
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || &magic != b"OggS" {
        return Tail::NotOgg;
    }
    // A page is at most 27 + 255 + 255 * 255 bytes.
    const MOST_PAGE: u64 = 27 + 255 + 255 * 255;
    let Ok(len) = file.seek(SeekFrom::End(0)) else {
        return Tail::NotOgg;
    };
    let mut bytes = Vec::new();
    let start = len.saturating_sub(MOST_PAGE);
    if file.seek(SeekFrom::Start(start)).is_err() || file.read_to_end(&mut bytes).is_err() {
        return Tail::NotOgg;
    }
    // The last capture pattern that begins a page running exactly to the end.
    let mut at = bytes.len().saturating_sub(4);
    loop {
        if bytes[at..].starts_with(b"OggS") {
            if let Some(page) = page(&bytes[at..]) {
                if at + page.size == bytes.len() {
                    return match page.last {
                        true => Tail::Whole {
                            granule: page.granule,
                        },
                        false => Tail::Cut,
                    };
                }
            }
        }
        if at == 0 {
            return Tail::Cut;
        }
        at -= 1;
    }
}

/// An Ogg page's header, as far as [`tail`] needs it.
struct Page {
    size: usize,
    /// It ends its stream.
    last: bool,
    granule: u64,
}

/// The Ogg page at the start of `bytes`.
fn page(bytes: &[u8]) -> Option<Page> {
    let segments = usize::from(*bytes.get(26)?);
    let table = bytes.get(27..27 + segments)?;
    let body: usize = table.iter().map(|&b| usize::from(b)).sum();
    Some(Page {
        size: 27 + segments + body,
        last: bytes[5] & 0x04 != 0,
        granule: u64::from_le_bytes(bytes[6..14].try_into().ok()?),
    })
}
