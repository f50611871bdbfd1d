//! Where a session goes: the sound card ([`device`], written a little ahead
//! by [`writer`], fed by [`feed`], with the [`fade`]s of its keys), or a file for a phone: MP3, FLAC or WAV, with tags and a
//! chapter per step, or one file per step (`--split`).
//!
//! Every format is fed the very samples that the session source makes for
//! the sound card (see [`pump`]), turned into 16-bit PCM exactly as the
//! device path does ([`wav::pcm16`]); nothing here mixes.

pub mod album;
#[cfg(feature = "device")]
pub mod device;
#[cfg(feature = "device")]
pub mod fade;
#[cfg(feature = "device")]
pub mod feed;
pub mod flac;
pub mod format;
pub mod meta;
pub mod mp3;
pub mod pump;
pub mod split;
pub mod tags;
pub mod target;
pub mod wav;
#[cfg(feature = "device")]
pub mod writer;

pub use format::Format;
pub use meta::Meta;

/// What an encoder does with a session's samples.
pub trait Encoder: Send {
    /// Encodes the next 16-bit samples, writing what is ready to `out`.
    fn samples(&mut self, pcm: &[i16], out: &mut dyn std::io::Write) -> std::io::Result<()>;

    /// Writes what is left. Returns the bytes to write over the start of
    /// the file once it is complete, when the output can be rewritten (a
    /// regular file): `(offset, bytes)`, such as a header whose sizes were
    /// unknown when it was written.
    fn finish(self: Box<Self>, out: &mut dyn std::io::Write) -> std::io::Result<Vec<Patch>>;
}

/// Bytes to write at an offset of a finished file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub offset: u64,
    pub bytes: Vec<u8>,
}

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

/// Why an encoder could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Encoder(String),
}
