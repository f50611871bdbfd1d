//! soothe, the command line: the engine (`soothe_core`: script ->
//! selection -> timeline -> sounds -> the one mixer) played through the
//! sound card ([`output`]'s device, writer and feed) or written to a file
//! (MP3 through LAME, or the engine's FLAC and WAV), with the live view
//! and keys ([`live`], on the [`terminal`]), the microphone ([`record`],
//! [`listening`]), and the parent's settings, voices and session log.
//! [`cli`] turns the command line into an [`app::Command`], and [`app`]
//! runs it.

pub mod app;
pub mod cli;
#[cfg(feature = "device")]
pub mod listening;
pub mod live;
pub mod notes;
pub mod output;
pub mod places;
pub mod record;
pub mod session_log;
pub mod settings;
pub(crate) mod stdout;
pub mod suggest;
pub mod terminal;
