//! Running the `soothe` binary: the command, a run that must succeed, the
//! plan as JSON, and the environment of a home of its own.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// The path of the `soothe` binary under test, for `std::process::Command`,
/// tmux and shell scripts.
pub const SOOTHE: &str = env!("CARGO_BIN_EXE_soothe");

/// The `soothe` binary under test, as an `assert_cmd` command: with no
/// settings file (whatever the machine's user keeps), unless a test gives
/// it a config folder of its own, and no locale (soothe speaks English,
/// whatever language the machine's user reads), unless a test gives it one.
pub fn soothe() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(SOOTHE);
    command.env("XDG_CONFIG_HOME", NO_CONFIG);
    for name in LOCALE {
        command.env_remove(name);
    }
    command
}

/// The variables soothe's language follows (and nothing else of soothe's
/// does), in the order POSIX reads them.
pub const LOCALE: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// A config folder that is not there: no settings file.
pub const NO_CONFIG: &str = "/nonexistent/soothe-tests/config";

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
/// (its settings, voices and session log there, whatever XDG folders the
/// machine's user has) and no session bus (unless a test gives it one).
pub fn base_env(dir: &Path) -> Vec<(String, String)> {
    let under = |name: &str| dir.join(name).display().to_string();
    vec![
        ("HOME".into(), dir.display().to_string()),
        ("XDG_CONFIG_HOME".into(), under(".config")),
        ("XDG_DATA_HOME".into(), under(".local/share")),
        ("XDG_STATE_HOME".into(), under(".local/state")),
        ("XDG_RUNTIME_DIR".into(), dir.display().to_string()),
        // English, whatever the machine's user reads; still UTF-8.
        ("LC_ALL".into(), String::new()),
        ("LC_MESSAGES".into(), String::new()),
        ("LANG".into(), "C.UTF-8".into()),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            format!("unix:path={}", dir.join("no-bus-here").display()),
        ),
    ]
}
