//! Exit codes, and which errors mean "the input is wrong".

use crate::script::ScriptError;
use crate::select::SelectError;
use crate::voice::VoiceError;

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

/// A problem with what the user asked for, not with the machine.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// The exit code an error deserves: 2 for anything the user can fix in
/// their input, 1 for the rest.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    let invalid = err.chain().any(|cause| {
        cause.is::<InvalidInput>()
            || cause.is::<ScriptError>()
            || cause.is::<SelectError>()
            || matches!(cause.downcast_ref::<VoiceError>(), Some(e) if e.is_invalid_input())
    });
    if invalid {
        Exit::Invalid
    } else {
        Exit::Failure
    }
}

/// An I/O error as a short reason, without Rust's "(os error 2)" suffix.
pub fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
