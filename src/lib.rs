//! soothe: a hands-free, voice-guided baby massage player.
//!
//! The pipeline: [`script`] (RON, loaded with positions) ->
//! [`select`] (variant, options, skipped steps) -> [`timeline`] (events at
//! exact sample positions) -> [`source`] (one `rodio::Source`, the one
//! clock) -> `device` (speakers) or [`output`] (an MP3, FLAC or WAV file).

pub mod advice;
pub mod app;
pub mod audio;
pub mod chime;
pub mod cli;
pub mod clock;
#[cfg(feature = "device")]
pub(crate) mod device;
pub mod error;
#[cfg(feature = "device")]
pub(crate) mod feed;
pub(crate) mod first_error;
pub(crate) mod limiter;
pub mod live;
pub(crate) mod output;
pub mod record;
pub mod script;
pub mod select;
pub mod sounds;
pub mod source;
pub(crate) mod status;
pub mod timeline;
pub mod voice;
pub mod vorbis;
/// The WAV writer and [`wav::pcm16`], where they always were.
pub use output::wav;
pub(crate) mod words;
pub(crate) mod wrap;
