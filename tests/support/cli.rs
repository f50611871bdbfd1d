//! Running the `soothe` binary: the command, a run that must succeed, the
//! plan as JSON, and the environment of a home of its own.

#[cfg(feature = "device")]
use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// The path of the `soothe` binary under test, for `std::process::Command`,
/// tmux and shell scripts.
pub const SOOTHE: &str = env!("CARGO_BIN_EXE_soothe");

/// The `soothe` binary under test, as an `assert_cmd` command.
pub fn soothe() -> assert_cmd::Command {
    assert_cmd::Command::new(SOOTHE)
}

/// Runs soothe with `args` and checks that it succeeded.
pub fn ok(args: &[&str]) -> Output {
    let output = soothe().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "soothe {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// What `soothe plan --json ARGS` says.
pub fn plan(args: &[&str]) -> Value {
    let mut all = vec!["plan", "--json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&ok(&all).stdout).unwrap()
}

/// The environment every soothe of these tests gets: a home of its own
/// and no session bus (unless a test gives it one).
#[cfg(feature = "device")]
pub fn base_env(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("HOME".into(), dir.display().to_string()),
        ("XDG_RUNTIME_DIR".into(), dir.display().to_string()),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            format!("unix:path={}", dir.join("no-bus-here").display()),
        ),
    ]
}
