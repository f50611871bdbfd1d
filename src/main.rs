use std::process::ExitCode;

use soothe::app::{exit_for, Exit};
use soothe::script::ScriptError;

fn main() -> ExitCode {
    let command = soothe::cli::parse();
    let exit = match soothe::app::run(command) {
        Ok(()) => Exit::Ok,
        // Output piped into `head` and cut short is not a failure.
        Err(err) if is_broken_pipe(&err) => Exit::Ok,
        Err(err) => {
            // A script error already starts with `PATH:LINE:COL:`.
            // Names in messages come from files and arguments: escape any
            // control characters rather than let them reach the terminal.
            let text = format!("{err:#}");
            let text = soothe::error::shown(&text);
            if matches!(err.downcast_ref::<ScriptError>(), Some(ScriptError::At(_))) {
                eprintln!("{text}");
            } else {
                eprintln!("soothe: {text}");
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
