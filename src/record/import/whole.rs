//! Whether a track read to its end is the whole recording: what the
//! import and `soothe listen --file` both ask before they trust it.

use std::path::Path;

use symphonia::core::codecs::Decoder;

use super::ogg;

/// How far a track was read, to its end or to the first error.
#[derive(Debug, Clone, Copy)]
pub struct Ending {
    /// The track's own rate (as its packets say), and the frames decoded.
    pub rate: u32,
    pub frames: u64,
    /// The frames the container promises.
    pub promised: Option<u64>,
    /// Packets decoded, and those refused before the first good one.
    pub good: u64,
    pub bad: u64,
}

/// Why a track read to its end is not the whole recording (damaged, cut
/// short, failing its checksum), in words for a message; `None` when it is
/// whole.
pub fn not_whole(path: &Path, decoder: &mut dyn Decoder, read: &Ending) -> Option<String> {
    let seconds = |frames: u64| frames as f64 / f64::from(read.rate.max(1));
    if read.good == 0 && read.bad > 0 {
        return Some("the recording is damaged: none of it could be decoded".into());
    }
    let tail = ogg::tail(path);
    if tail == ogg::Tail::Cut {
        return Some(format!(
            "the recording is cut short: it stops after {:.2} s without the end an Ogg file has",
            seconds(read.frames)
        ));
    }
    match read.promised {
        // An Ogg file whose end is whole was damaged partway.
        Some(promised) if read.frames < promised && matches!(tail, ogg::Tail::Whole { .. }) => {
            return Some(format!(
                "the recording is damaged partway: only {:.2} s of its {:.2} s could be read",
                seconds(read.frames),
                seconds(promised),
            ))
        }
        Some(promised) if read.frames < promised => {
            return Some(format!(
                "the recording is cut short: {:.2} s of the {:.2} s it promises are there",
                seconds(read.frames),
                seconds(promised),
            ))
        }
        _ => {}
    }
    (decoder.finalize().verify_ok == Some(false)).then(|| {
        "the recording is damaged: its sound does not match the checksum it carries".into()
    })
}
