//! The one mixer and clock: a session's voice and chimes at the sample
//! positions its timeline gives, steered by a [`Control`] (pause, jumps,
//! holds) at the levels of its [`Levels`]; the device, a file and the
//! browser all pull their samples from a [`SessionSource`]; a session that
//! listens for the baby holds through [`listening::SessionListener`].

mod control;
mod levels;
pub mod listening;
pub mod remote;
mod session;

pub use control::Control;
pub use levels::Levels;
pub use session::{SessionSource, BLOCK, FADE_SECONDS, HOLD_FADE_SECONDS, HOLD_GAP_SECONDS};
