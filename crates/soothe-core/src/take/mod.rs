//! A parent's take of a prompt, whatever it was recorded on: hearing when
//! they have spoken and fallen silent ([`recording`], with [`speech`]),
//! the level meter ([`meter`]), and the clean-up that matches it to the
//! guide voice ([`process`]: trim, rumble [`filter`], EBU R128 loudness).
//! (The words a take was spoken for, kept inside its WAV, are
//! `crate::sound::words`, which reads takes back.)

pub mod filter;
pub mod meter;
pub mod process;
pub mod recording;
pub mod speech;
#[cfg(any(test, feature = "test-support"))]
pub mod testsignal;
