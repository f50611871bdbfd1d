//! soothe: a hands-free, voice-guided baby massage player.
//!
//! The pipeline: [`script`] (RON, loaded with positions) ->
//! [`select`] (variant, options, skipped steps) -> [`timeline`] (events at
//! exact sample positions) -> [`source`] (one `rodio::Source`, the one
//! clock) -> `device` (speakers) or [`wav`] (a file).

pub mod advice;
pub mod app;
pub mod audio;
pub mod chime;
pub mod cli;
#[cfg(feature = "device")]
pub mod device;
pub mod error;
pub mod live;
pub mod record;
pub mod script;
pub mod select;
pub mod sounds;
pub mod source;
pub mod status;
pub mod timeline;
pub mod voice;
pub mod vorbis;
pub mod wav;
