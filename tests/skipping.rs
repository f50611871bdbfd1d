//! A test that cannot run here (tests/support/skip.rs): with `CI` set it
//! fails, naming what it lacks and the package that gives it; elsewhere it
//! skips, and the test process ends with one line naming what was skipped
//! and the `apt-get install` that would run it.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::process::{Command, Output};

use crate::support::skip::{need_of, package, summary, verdict, Need, PIPEWIRE_ALSA};

/// Run by the tests below in a process of their own, with no tmux on PATH.
#[test]
#[ignore = "run by skipping::* in a process of its own, with no tmux on PATH"]
fn needs_tmux() {
    require!("tmux");
}

/// `needs_tmux` in a process of its own, with an empty PATH, `CI` as given
/// and its record in `dir`.
fn needs_tmux_without_tmux(dir: &std::path::Path, ci: Option<&str>) -> Output {
    let empty = dir.join("bin");
    std::fs::create_dir_all(&empty).unwrap();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--ignored", "--exact", "skipping::needs_tmux"])
        .env("PATH", &empty)
        .env("SOOTHE_TEST_SKIPPED", dir.join("skipped.tsv"))
        .env_remove("CI");
    if let Some(ci) = ci {
        command.env("CI", ci);
    }
    command.output().unwrap()
}

#[test]
fn without_tmux_under_ci_true_the_test_fails_naming_tmux_and_its_package() {
    let dir = tempfile::tempdir().unwrap();
    let output = needs_tmux_without_tmux(dir.path(), Some("true"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(101), "{stdout}");
    assert!(
        stdout.contains("\nskipping::needs_tmux cannot run here: tmux not installed here; to run it: apt-get install tmux. With CI set, a skipped test fails: give CI what it needs (.ci/run).\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test result: FAILED. 0 passed; 1 failed"),
        "{stdout}"
    );
    // A failure, not a skip: nothing recorded, no summary.
    assert!(!dir.path().join("skipped.tsv").exists());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn without_tmux_and_without_ci_the_run_ends_with_what_was_skipped_and_the_apt_get_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = needs_tmux_without_tmux(dir.path(), None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "SKIPPED so far in this cargo test run: 1 test (skipping 1), which needs: apt-get install tmux; or run .ci/run, as CI does\n"
    );
}

#[test]
fn ci_unset_empty_0_or_false_in_any_case_lets_a_test_skip_and_any_other_value_fails_it() {
    let skip = |ci: Option<&str>| {
        verdict(
            ci.map(OsStr::new),
            "live_play::a",
            "tmux not installed here",
            &[need_of("tmux")],
        )
    };
    for ci in [None, Some(""), Some("0"), Some("false"), Some("FALSE")] {
        assert_eq!(skip(ci), Ok(()), "CI={ci:?}");
    }
    let failure = "live_play::a cannot run here: tmux not installed here; to run it: apt-get install tmux. With CI set, a skipped test fails: give CI what it needs (.ci/run).";
    for ci in [Some("true"), Some("1"), Some("yes")] {
        assert_eq!(skip(ci), Err(failure.to_string()), "CI={ci:?}");
    }
}

#[test]
fn pactl_parec_and_alsa_pulse_under_ci_name_one_apt_get_line_of_their_two_packages() {
    let needs: Vec<Need> = ["pactl", "parec", "alsa-pulse"]
        .into_iter()
        .map(need_of)
        .collect();
    assert_eq!(
        verdict(Some(OsStr::new("true")), "live_load::b", "pactl, parec, alsa-pulse not installed here", &needs),
        Err("live_load::b cannot run here: pactl, parec, alsa-pulse not installed here; to run it: apt-get install libasound2-plugins pulseaudio-utils. With CI set, a skipped test fails: give CI what it needs (.ci/run).".to_string())
    );
}

#[test]
fn skips_of_three_tests_in_two_areas_count_each_test_once_and_each_package_once() {
    let skip = |test: &str, need: Need| (test.to_string(), need);
    let skips = [
        skip("live_play::a", package("tmux")),
        skip("live_play::a", package("pulseaudio-utils")),
        skip("live_play::b", package("tmux")),
        skip("render_formats::c", package("ffmpeg")),
    ];
    assert_eq!(
        summary(&skips).unwrap(),
        "SKIPPED so far in this cargo test run: 3 tests (live_play 2, render_formats 1), which need: apt-get install ffmpeg pulseaudio-utils tmux; or run .ci/run, as CI does"
    );
    assert_eq!(summary(&[]), None);
}

#[test]
fn a_skip_for_pipewires_alsa_plugin_says_after_the_apt_get_line_how_ci_gets_it() {
    let skips = [
        ("live_load::d".to_string(), need_of("stress-ng")),
        ("live_load::d".to_string(), need_of("alsa-pipewire")),
    ];
    assert_eq!(need_of("alsa-pipewire"), PIPEWIRE_ALSA);
    assert_eq!(
        summary(&skips).unwrap(),
        "SKIPPED so far in this cargo test run: 1 test (live_load 1), which needs: apt-get install stress-ng, and PipeWire's ALSA plugin (pipewire-alsa conflicts with pulseaudio: .ci/run unpacks it under target/ci/, or set SOOTHE_TEST_PIPEWIRE_ALSA); or run .ci/run, as CI does"
    );
    // Read back from the record as owned text, it is the same need.
    let Need::Other(text) = PIPEWIRE_ALSA else {
        unreachable!()
    };
    assert_eq!(Need::Other(Cow::Owned(text.to_string())), PIPEWIRE_ALSA);
}
