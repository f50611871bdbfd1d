//! Notes: what soothe tells the parent on standard error that is not an
//! error (the voice in use, a level that will be limited, media keys that
//! are off...), silenced by `--quiet`; and with `--verbose`, what it uses:
//! the audio device, its buffer, each prompt's recording.
//!
//! Set once from the command line; anything may then say a note or a
//! detail, the device layer included, without passing a value around.

use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

/// How much soothe says on standard error besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: errors only.
    Quiet = 0,
    /// Notes too.
    Normal = 1,
    /// `--verbose`: notes, and what is used (device, buffer, voice files).
    Verbose = 2,
}

static LEVEL: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets how much is said from now on (the command line does, once).
pub fn set(verbosity: Verbosity) {
    LEVEL.store(verbosity as u8, Ordering::Relaxed);
}

/// How much is said.
pub fn verbosity() -> Verbosity {
    match LEVEL.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

/// Whether details are wanted (`--verbose`): to skip the work of making
/// them otherwise.
pub fn is_verbose() -> bool {
    verbosity() >= Verbosity::Verbose
}

/// A note on standard error, unless `--quiet`. Names in it reach the
/// terminal escaped ([`soothe_core::error::shown_lines`]).
pub fn note(text: impl Display) {
    if verbosity() >= Verbosity::Normal {
        eprintln!("{}", soothe_core::error::shown_lines(&text.to_string()));
    }
}

/// A detail on standard error, with `--verbose` only.
pub fn detail(text: impl Display) {
    if is_verbose() {
        eprintln!("{}", soothe_core::error::shown_lines(&text.to_string()));
    }
}
