//! Tests that cannot run here. A test that lacks a program, a plugin or a
//! permission skips through [`skipped`] (or `require!`), and never passes
//! unseen:
//!
//! - with `CI` set (CI runs `.ci/run` with `CI=true`), it fails instead,
//!   naming what it lacks and what gives it, so that a step missing from
//!   `.ci/run` cannot pass unnoticed;
//! - otherwise it passes, saying why (shown with `--nocapture`), and is
//!   recorded in `target/tmp/skipped.tsv`; the test binary then ends its
//!   output with one line: every test that this `cargo test` has skipped
//!   so far, by area, and the one `apt-get install` that they need.
//!
//! Rust's test harness has no end hook, so that line is printed by an
//! `atexit` handler of the test process. Cargo runs the test binaries one
//! after another, as children of one `cargo` process: the record is kept
//! for that process (its pid and start time), so the last line of a run
//! counts the skips of every binary.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a skipped test lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// A Debian or Ubuntu package.
    Package(Cow<'static, str>),
    /// Something no package gives, in words.
    Other(Cow<'static, str>),
}

/// PipeWire's ALSA plugin, for the busy-machine test through PipeWire.
pub const PIPEWIRE_ALSA: Need = Need::Other(Cow::Borrowed(
    "PipeWire's ALSA plugin (pipewire-alsa conflicts with pulseaudio: .ci/run unpacks it under target/ci/, or set SOOTHE_TEST_PIPEWIRE_ALSA)",
));

/// alsa-lib's `file` and `null` plugins, which the unpaced device tests
/// play through: built into libasound2, so only a broken alsa-lib lacks
/// them (its message says what went wrong).
#[cfg(feature = "device")]
pub const ALSA_FILE: Need = Need::Other(Cow::Borrowed(
    "an alsa-lib (libasound2) whose built-in file and null plugins work",
));

/// The project's shared data: real recordings beside the checkout.
pub const SHARED_DATA: Need = Need::Other(Cow::Borrowed(
    "the project's shared data, ../shared/data beside the checkout (CI lays a copy there)",
));

/// Another PID namespace, for the render that cleans up after renders of
/// other namespaces.
pub const UNSHARE: Need = Need::Other(Cow::Borrowed(
    "a machine that lets the tests run `unshare --pid` (root, or unprivileged user namespaces)",
));

/// A Debian package.
pub const fn package(name: &'static str) -> Need {
    Need::Package(Cow::Borrowed(name))
}

/// The Debian package that gives `tool` (a program, or one of the plugins
/// `support::missing` looks for).
pub fn need_of(tool: &str) -> Need {
    match tool {
        // Packages named after their program.
        "tmux" => package("tmux"),
        "pulseaudio" => package("pulseaudio"),
        "stress-ng" => package("stress-ng"),
        "pipewire" => package("pipewire"),
        "wireplumber" => package("wireplumber"),
        "pactl" | "parec" | "paplay" => package("pulseaudio-utils"),
        "alsa-pulse" => package("libasound2-plugins"),
        "dbus-daemon" | "dbus-send" => package("dbus"),
        // In pipewire-bin (Debian 12, Ubuntu 22.04 on), which pipewire brings.
        "pw-record" | "pw-cli" => package("pipewire"),
        "ffprobe" => package("ffmpeg"),
        "script" => package("bsdutils"),
        "man" => package("man-db"),
        "zsh" => package("zsh"),
        "fish" => package("fish"),
        "alsa-pipewire" => PIPEWIRE_ALSA,
        other => panic!("no package is known for {other}: add it to tests/support/skip.rs"),
    }
}

/// Skips the running test (the caller returns), or fails it when `CI` is
/// set: `reason` says what is wrong here, `needs` what would let it run.
pub fn skipped(reason: &str, needs: &[Need]) {
    let test = current_test();
    if let Err(failure) = verdict(std::env::var_os("CI").as_deref(), &test, reason, needs) {
        panic!("{failure}");
    }
    eprintln!("SKIPPED {test}: {reason}; to run it: {}", to_run(needs));
    let recorded = record(&test, needs);
    if recorded.is_err() || cfg!(not(unix)) {
        // Not silent, even so: straight to the terminal, past the capture.
        let why = match recorded {
            Err(error) => format!(" (not recorded in {}: {error})", record_file().display()),
            Ok(()) => String::new(),
        };
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {reason}; to run it: {}{why}",
            to_run(needs)
        );
    }
}

/// Whether the `CI` variable says this is CI: set, and not empty, `0` or
/// `false` (in any case).
pub fn is_ci(ci: Option<&OsStr>) -> bool {
    ci.is_some_and(|value| {
        let value = value.to_string_lossy();
        !(value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false"))
    })
}

/// What skipping `test` comes to: `Err` (the message it fails with) under
/// CI, `Ok` (it may skip) elsewhere.
pub fn verdict(ci: Option<&OsStr>, test: &str, reason: &str, needs: &[Need]) -> Result<(), String> {
    if !is_ci(ci) {
        return Ok(());
    }
    Err(format!(
        "{test} cannot run here: {reason}; to run it: {}. With CI set, a skipped test fails: give CI what it needs (.ci/run).",
        to_run(needs)
    ))
}

/// What gives `needs`: one `apt-get install` line, then anything else.
pub fn to_run(needs: &[Need]) -> String {
    let mut packages: Vec<&str> = needs
        .iter()
        .filter_map(|need| match need {
            Need::Package(package) => Some(package.as_ref()),
            Need::Other(_) => None,
        })
        .collect();
    packages.sort_unstable();
    packages.dedup();
    let mut parts = Vec::new();
    if !packages.is_empty() {
        parts.push(format!("apt-get install {}", packages.join(" ")));
    }
    for need in needs {
        if let Need::Other(what) = need {
            if !parts.iter().any(|part| part == what) {
                parts.push(what.to_string());
            }
        }
    }
    parts.join(", and ")
}

/// The line that ends a run with skips in it: how many tests were skipped,
/// in which areas (the test's first module), and what they need. `skips`
/// holds a test once per need.
pub fn summary(skips: &[(String, Need)]) -> Option<String> {
    let mut tests: Vec<&str> = skips.iter().map(|(test, _)| test.as_str()).collect();
    tests.sort_unstable();
    tests.dedup();
    if tests.is_empty() {
        return None;
    }
    let mut areas: Vec<(&str, usize)> = Vec::new();
    for test in &tests {
        let area = test.split("::").next().unwrap_or(test);
        match areas.iter_mut().find(|(name, _)| *name == area) {
            Some((_, count)) => *count += 1,
            None => areas.push((area, 1)),
        }
    }
    let areas: Vec<String> = areas
        .iter()
        .map(|(area, count)| format!("{area} {count}"))
        .collect();
    let needs: Vec<Need> = skips.iter().map(|(_, need)| need.clone()).collect();
    let (count, which) = match tests.len() {
        1 => ("1 test".to_string(), "needs"),
        n => (format!("{n} tests"), "need"),
    };
    Some(format!(
        "SKIPPED so far in this cargo test run: {count} ({}), which {which}: {}; or run .ci/run, as CI does",
        areas.join(", "),
        to_run(&needs)
    ))
}

/// The running test's name (libtest names each test's thread after it).
fn current_test() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "a test".to_string(),
    }
}

/// `target/tmp/skipped.tsv`, or `SOOTHE_TEST_SKIPPED` (for the tests of
/// this module).
fn record_file() -> PathBuf {
    std::env::var_os("SOOTHE_TEST_SKIPPED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped.tsv"))
}

/// This run: the `cargo` process that runs the test binaries, by its pid
/// and (on Linux) its start time, as a pid is reused.
fn run() -> String {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let started = std::fs::read_to_string(format!("/proc/{parent}/stat"))
            .ok()
            .and_then(|stat| {
                let (_, fields) = stat.rsplit_once(')')?;
                // Field 22, the 20th after the command's name.
                fields.split_whitespace().nth(19).map(str::to_string)
            })
            .unwrap_or_default();
        format!("run {parent} {started}")
    }
    #[cfg(not(unix))]
    {
        "run".to_string()
    }
}

/// Adds `test`'s needs to this run's record (started afresh for a new run),
/// and prints the summary when the process ends.
fn record(test: &str, needs: &[Need]) -> std::io::Result<()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one_at_a_time = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let path = record_file();
    let run = run();
    let ours =
        std::fs::read_to_string(&path).is_ok_and(|text| text.lines().next() == Some(run.as_str()));
    let mut text = String::new();
    if !ours {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        text = format!("{run}\n");
    }
    for need in needs {
        let (kind, what) = match need {
            Need::Package(package) => ("package", package),
            Need::Other(what) => ("other", what),
        };
        text.push_str(&format!("{test}\t{kind}\t{what}\n"));
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(ours)
        .write(true)
        .truncate(!ours)
        .open(&path)?;
    file.write_all(text.as_bytes())?;
    summary_at_exit();
    Ok(())
}

/// This run's skips, from the record.
fn recorded() -> Vec<(String, Need)> {
    let Ok(text) = std::fs::read_to_string(record_file()) else {
        return Vec::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(run().as_str()) {
        return Vec::new();
    }
    lines
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (test, kind, what) = (fields.next()?, fields.next()?, fields.next()?);
            let what = Cow::Owned(what.to_string());
            let need = match kind {
                "package" => Need::Package(what),
                _ => Need::Other(what),
            };
            Some((test.to_string(), need))
        })
        .collect()
}

#[cfg(unix)]
fn summary_at_exit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    extern "C" fn print_summary() {
        // Nothing may unwind out of an atexit handler.
        let _ = std::panic::catch_unwind(|| {
            if let Some(line) = summary(&recorded()) {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        });
    }
    ONCE.call_once(|| {
        // SAFETY: registers a handler that takes no arguments and does not
        // unwind; it runs once, as the test process exits.
        unsafe { libc::atexit(print_summary) };
    });
}

#[cfg(not(unix))]
fn summary_at_exit() {}
