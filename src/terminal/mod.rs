//! The terminal, for everything that runs on one: single key presses
//! ([`input`]), raw mode and the alternate screen undone on every way out
//! ([`screen`]), signals caught to end gently ([`signals`]), and text
//! wrapped by the columns it takes ([`wrap`]). `soothe play`'s live view
//! and `soothe record` both use it; it uses neither.

pub mod input;
pub mod screen;
pub mod signals;
pub mod wrap;
