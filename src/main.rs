use std::process::ExitCode;

use soothe::app::{exit_for, Exit};
use soothe_core::session::script::FileError;

fn main() -> ExitCode {
    let command = soothe::cli::parse();
    let exit = match command.and_then(|command| command.map_or(Ok(()), soothe::app::run)) {
        Ok(()) => Exit::Ok,
        // Output piped into `head` and cut short is not a failure.
        Err(err) if is_broken_pipe(&err) => Exit::Ok,
        Err(err) => {
            // A script error already starts with `PATH:LINE:COL:`.
            // Names in messages come from files and arguments: nothing in
            // them reaches the terminal unescaped (their line breaks were
            // escaped where they were put in; the message's own stay).
            let text = format!("{err:#}");
            let text = soothe_core::error::shown_lines(&text);
            if is_located(&err) {
                eprintln!("{text}");
            } else {
                eprintln!("soothe: {text}");
            }
            exit_for(&err)
        }
    };
    ExitCode::from(exit as u8)
}

/// An error that starts with `PATH:LINE:COL:` (a script's or the
/// settings file's), printed as it is.
fn is_located(err: &anyhow::Error) -> bool {
    matches!(err.downcast_ref::<FileError>(), Some(FileError::At(_)))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(cause.downcast_ref::<std::io::Error>(), Some(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
