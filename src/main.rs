use std::process::ExitCode;

use soothe::error::{exit_for, Exit};
use soothe::script::ScriptError;

fn main() -> ExitCode {
    let command = soothe::cli::parse();
    let exit = match soothe::app::run(command) {
        Ok(()) => Exit::Ok,
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
