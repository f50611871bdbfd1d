//! A session stopped with q before its end says how to go on from the
//! step it was on: the same script, voice and choices, and `--from STEP`.
//! Keys from a real terminal (tmux), plain lines to a file, the sound
//! through PulseAudio's null sink in real time.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::time::{Duration, Instant};

use crate::support::cli::base_env;
use crate::support::pulse::Pulse;
use crate::support::session::Session;
use crate::support::tmux::{Stdout, Tmux};

/// Waits until soothe's standard output satisfies `ready`.
fn wait_for_stdout(tmux: &Tmux, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let stdout = tmux.stdout();
        if ready(&stdout) {
            return stdout;
        }
        assert!(
            tmux.status().is_none(),
            "soothe exited before {what}:\n{stdout}\nstderr:\n{}",
            tmux.stderr()
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no {what}:\n{stdout}\nstderr:\n{}",
            tmux.stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn quitting_prints_the_command_that_goes_on_from_that_step() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let mut env = base_env(session.dir.path());
    env.extend(pulse.env());
    let mut args = vec!["play".to_string()];
    args.extend(session.args());
    args.extend(["--voice-gain".into(), "-6".into()]);
    let tmux = Tmux::start(session.dir.path(), (80, 24), &env, &args, Stdout::File);

    wait_for_stdout(&tmux, "the first stroke", |s| s.contains("stroke 1 of 2"));
    tmux.keys(&["n"]);
    wait_for_stdout(&tmux, "the jump", |s| s.contains("-- On to Second"));
    tmux.keys(&["q"]);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tmux.stderr()
    );

    let stdout = tmux.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    let go_on = lines.last().copied().unwrap_or("");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("To go on")).count(),
        1,
        "{stdout}"
    );
    // The step it stopped on: the last one it started or jumped to. (A
    // stop right on the start of the next, before its first sound, goes
    // on from that one.)
    let titles: Vec<&str> = session
        .plan
        .steps
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    let last = lines
        .iter()
        .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest))
        .map(|rest| rest.strip_prefix("-- On to ").unwrap_or(rest))
        .rfind(|rest| titles.contains(rest))
        .unwrap_or_else(|| panic!("no step line:\n{stdout}"));
    let index = titles.iter().position(|t| t == &last).unwrap();
    let expected: Vec<String> = session.plan.steps[index..(index + 2).min(titles.len())]
        .iter()
        .map(|step| {
            format!(
                "To go on: soothe play {} --voice {} --voice-gain -6 --from {}",
                session.script.display(),
                session.voice.display(),
                step.id
            )
        })
        .collect();
    assert!(
        expected.iter().any(|e| e == go_on),
        "{go_on:?}, not one of {expected:?}"
    );
    assert!(
        index >= 1,
        "the jump to the second step was made:\n{stdout}"
    );
}
