//! Where a session goes: the sound card ([`device`], written a little ahead
//! by [`writer`], fed by [`feed`], with the [`fade`]s of its keys), or a
//! file for a phone: MP3, FLAC or WAV, with tags and a chapter per step, or
//! one file per step (`--split`).
//!
//! Every format is fed the very samples that the session source makes for
//! the sound card (see [`pump`]), turned into 16-bit PCM exactly as the
//! device path does (`soothe_core::encode::wav::pcm16`); nothing here mixes.

pub mod album;
#[cfg(feature = "device")]
pub mod device;
#[cfg(feature = "device")]
pub mod fade;
#[cfg(feature = "device")]
pub mod feed;
pub mod format;
pub mod mp3;
pub mod pump;
pub mod split;
pub mod tags;
pub mod target;
#[cfg(feature = "device")]
pub mod writer;

pub use format::Format;

use soothe_core::encode::meta::Meta;
use soothe_core::encode::{flac, wav, EncodeError, Encoder};

/// The encoder for `format`, with its header (tags, chapters) written to
/// `out` at once. `rewritable`: the output is a regular file, whose start
/// can be rewritten once the rest is written.
pub fn encoder(
    format: Format,
    meta: &Meta,
    rewritable: bool,
    out: &mut dyn std::io::Write,
) -> Result<Box<dyn Encoder>, EncodeError> {
    Ok(match format {
        Format::Wav => Box::new(wav::WavEncoder::start(meta, out)?),
        Format::Flac => Box::new(flac::FlacEncoder::start(meta, rewritable, out)?),
        Format::Mp3 { kbps } => Box::new(mp3::Mp3Encoder::start(meta, kbps, rewritable, out)?),
    })
}
