//! soothe's engine: everything a session is and sounds like, with no
//! device, terminal or signal in it, so that the command line and the web
//! app play exactly the same samples.
//!
//! The pipeline, as the tree shows it: [`session`] (the model: `script`
//! -> `select` -> `timeline`, events at exact sample positions, and the
//! `advice` a script is held to) and [`sound`] (voices, chimes, decoding)
//! -> [`mix`] (one mixer, the one clock for voice, chimes, pause and
//! jumps) -> [`encode`] (WAV and FLAC) or whatever plays the samples.
//! [`take`] cleans up a parent's recording to match the guide voice, and
//! [`listen`] hears a baby crying over soothe's own sound.

pub mod clock;
pub mod encode;
pub mod error;
pub mod first_error;
pub mod listen;
pub mod mix;
pub mod session;
pub mod sound;
pub mod status;
pub mod take;
