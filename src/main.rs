use std::process::ExitCode;

use soothe::error::{exit_for, Exit};
use soothe::script::ScriptError;

fn main() -> ExitCode {
    let command = soothe::cli::parse();
    let exit = match soothe::app::run(command) {
        Ok(()) => Exit::Ok,
        // Output piped into `head` and cut short is not a failure.
        Err(err) if is_broken_pipe(&err) => Exit::Ok,
        Err(err) => {
            // A script error already starts with `PATH:LINE:COL:`.
            if matches!(err.downcast_ref::<ScriptError>(), Some(ScriptError::At(_))) {
                eprintln!("{err:#}");
            } else {
                eprintln!("soothe: {err:#}");
            }
            exit_for(&err)
        }
    };
    ExitCode::from(exit as u8)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(cause.downcast_ref::<std::io::Error>(), Some(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
