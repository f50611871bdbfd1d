//! Recording a parent's own voice, one prompt at a time.
//!
//! A take comes from the microphone ([`capture`], behind the `device`
//! feature) through `soothe_core::take::recording`, which hears when the
//! parent has spoken and fallen silent; or from a file made elsewhere
//! ([`import`]). Either way `soothe_core::take::process` cleans it up to
//! match the guide voice, and [`takes`] saves it so that nothing is ever
//! lost.

#[cfg(feature = "device")]
pub(crate) mod answers;
#[cfg(feature = "device")]
pub mod capture;
#[cfg(feature = "device")]
pub mod devices;
pub mod import;
#[cfg(feature = "device")]
pub(crate) mod playback;
pub mod takes;
