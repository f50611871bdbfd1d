//! Exit codes, and which errors mean "the input is wrong" (0 ok, 1 a
//! runtime failure, 2 invalid input).

use crate::output::album::AlbumError;
use soothe_core::error::InvalidInput;
use soothe_core::session::script::FileError;
use soothe_core::session::select::SelectError;
use soothe_core::sound::voice::VoiceError;

/// What the process tells its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// A runtime failure: the audio device, a file that could not be written.
    Failure = 1,
    /// Invalid input: usage, a missing or invalid script, an unknown name.
    Invalid = 2,
}

/// The exit code an error deserves: 2 for anything the user can fix in
/// their input, 1 for the rest.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    let invalid = err.chain().any(|cause| {
        cause.is::<InvalidInput>()
            || matches!(cause.downcast_ref::<FileError>(), Some(e) if !e.is_io())
            || cause.is::<SelectError>()
            || matches!(cause.downcast_ref::<AlbumError>(), Some(e) if e.is_invalid_input())
            || matches!(cause.downcast_ref::<VoiceError>(), Some(e) if e.is_invalid_input())
            || invalid_device(cause)
    });
    if invalid {
        Exit::Invalid
    } else {
        Exit::Failure
    }
}

/// `--input NAME` naming no microphone.
#[cfg(feature = "device")]
fn invalid_device(cause: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        cause.downcast_ref::<crate::record::capture::CaptureError>(),
        Some(e) if e.is_invalid_input()
    )
}

#[cfg(not(feature = "device"))]
fn invalid_device(_: &(dyn std::error::Error + 'static)) -> bool {
    false
}
