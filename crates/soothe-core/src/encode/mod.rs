//! A session's samples as a file: 16-bit WAV ([`wav`]) and FLAC
//! ([`flac`]), with the tags and a chapter per step ([`meta`]). Each
//! format is an [`Encoder`], fed the very samples the mixer makes, as
//! 16-bit PCM ([`wav::pcm16`]). (MP3, through LAME's C code, is the
//! command line's own.)

pub mod flac;
pub mod meta;
pub mod wav;

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

/// Why an encoder could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Encoder(String),
}
