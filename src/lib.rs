//! soothe: a hands-free, voice-guided baby massage player.
//!
//! The pipeline, as the tree shows it: [`session`] (the model: [`script`]
//! -> [`select`] -> [`timeline`], events at exact sample positions) and
//! [`sound`] (voices and chimes) -> [`source`] (one `rodio::Source`, the
//! one clock) -> `output` (the speakers through `output::device`, or an
//! MP3, FLAC or WAV file). [`record`] sits beside it, [`live`] shows and
//! steers a session, and [`app`] is the commands.

pub mod app;
pub mod cli;
pub mod clock;
pub mod error;
pub(crate) mod first_error;
pub mod listen;
pub mod live;
pub mod notes;
pub(crate) mod output;
pub mod places;
pub mod record;
pub mod session;
pub mod session_log;
pub mod settings;
pub mod sound;
pub mod source;
pub(crate) mod status;
pub(crate) mod stdout;
pub(crate) mod words;
pub(crate) mod wrap;

// The pipeline's stages, where they always were.
/// The WAV writer and [`wav::pcm16`], where they always were.
pub use output::wav;
#[cfg(feature = "device")]
pub(crate) use output::{device, feed, writer};
pub use session::{advice, script, select, timeline};
pub(crate) use sound::limiter;
pub use sound::{audio, chime, sounds, voice, vorbis};
