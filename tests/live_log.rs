//! Every ending of `soothe play` adds one line to the session log
//! (`$XDG_STATE_HOME/soothe/log.csv`): played to the end, baby's done, q,
//! Ctrl-C and SIGTERM. The end through alsa-lib's `file` plugin
//! (unpaced); the others in real time through PulseAudio, with keys from
//! a real terminal (tmux).
#![cfg(feature = "device")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::cli::{base_env, SOOTHE};
use crate::support::session::{alsa_to_file, Session, RATE};

/// The log's first line.
const HEADER: &str = "date,time,script,variant,options,brief,from,voice,language,how far,heard";

/// Where soothe keeps the log, given the tests' environment (`base_env`).
fn log_path(dir: &Path) -> PathBuf {
    dir.join(".local/state/soothe/log.csv")
}

/// The log's lines after the header, each as its fields; checks the
/// header and that each line's date and time look as they should.
fn log_lines(dir: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(log_path(dir)).expect("the log was written");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER), "{text}");
    assert!(text.ends_with('\n'), "{text:?}");
    lines
        .map(|line| {
            let fields: Vec<String> = line.split(',').map(String::from).collect();
            assert_eq!(fields.len(), 11, "{line}");
            let digits = |text: &str, shape: &str| {
                text.len() == shape.len()
                    && text.chars().zip(shape.chars()).all(|(c, s)| {
                        if s == '9' {
                            c.is_ascii_digit()
                        } else {
                            c == s
                        }
                    })
            };
            assert!(digits(&fields[0], "9999-99-99"), "a date: {line}");
            assert!(digits(&fields[1], "99:99"), "a time: {line}");
            fields
        })
        .collect()
}

/// Seconds in a log's `mm:ss`.
fn seconds(clock: &str) -> u64 {
    clock
        .split(':')
        .fold(0, |total, part| total * 60 + part.parse::<u64>().unwrap())
}

/// The fields of the fixture session's line, but for date, time, how far
/// and how long: script, variant, options, brief, from, voice, language.
fn session_fields(session: &Session) -> [String; 7] {
    [
        std::fs::canonicalize(&session.script)
            .unwrap()
            .display()
            .to_string(),
        "relaxing".into(),
        String::new(),
        "no".into(),
        String::new(),
        session.voice.display().to_string(),
        "en".into(),
    ]
}

#[test]
fn a_session_played_to_its_end_is_logged_as_finished_with_all_it_played() {
    let session = Session::new();
    let dir = session.dir.path();
    let played = dir.join("played.wav");
    let output = Command::new(SOOTHE)
        .args(["play", "--verbose"])
        .args(session.args())
        .envs(base_env(dir))
        .env("ALSA_CONFIG_PATH", alsa_to_file(dir, &played))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no audio output device was found") {
        crate::support::skip::skipped(
            &format!("alsa-lib cannot use its file plugin here: {stderr}"),
            &[crate::support::skip::ALSA_FILE],
        );
        return;
    }
    assert!(output.status.success(), "{stderr}");

    let lines = log_lines(dir);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0][2..9], session_fields(&session));
    assert_eq!(lines[0][9], "finished");
    // All of it, but for the device's last block, which the clock does
    // not see pass.
    let total = session.plan.total / u64::from(RATE);
    let heard = seconds(&lines[0][10]);
    assert!(
        heard == total || heard + 1 == total,
        "heard {heard} s of {total} s"
    );

    // --verbose said what was used: the device, its buffer, each take.
    let voice = session.voice.display();
    let expected = format!(
        "Audio output: ALSA \"default\": 32-bit float, 48000 Hz, 2 channels, a buffer of 500 ms in periods of 50 ms\n\
         Voice files ({voice}):\n  \
         first: {voice}/first.wav\n  \
         second: {voice}/second.wav\n  \
         third: {voice}/third.wav\n  \
         close: {voice}/close.wav\n"
    );
    assert!(stderr.starts_with(&expected), "{stderr}");

    // A second session adds a line and keeps the first.
    let before = std::fs::read_to_string(log_path(dir)).unwrap();
    let output = Command::new(SOOTHE)
        .args(["play", "--from", "third", "--quiet"])
        .args(session.args())
        .envs(base_env(dir))
        .env("ALSA_CONFIG_PATH", alsa_to_file(dir, &played))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success());
    // --quiet: not a note (media keys), only the session's own lines.
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let after = std::fs::read_to_string(log_path(dir)).unwrap();
    assert!(after.starts_with(&before), "{after}");
    assert_eq!(log_lines(dir).len(), 2);
    // Started at the third step: said, so that it does not read as a
    // whole session.
    assert_eq!(log_lines(dir)[1][6], "third");
    assert_eq!(log_lines(dir)[1][9], "finished");
}

#[cfg(unix)]
#[test]
fn a_passwd_file_as_the_log_is_left_alone_and_play_says_so() {
    let session = Session::new();
    let dir = session.dir.path();
    let log = log_path(dir);
    let foreign = "root:x:0:0:root:/root:/bin/bash\nsam:x:1000:1000::/home/sam:/bin/sh\n";
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let passwd = dir.join("passwd");
    std::fs::write(&passwd, foreign).unwrap();
    // Through a link too: the file it points to is left alone.
    for linked in [false, true] {
        if linked {
            std::fs::remove_file(&log).unwrap();
            std::os::unix::fs::symlink(&passwd, &log).unwrap();
        } else {
            std::fs::write(&log, foreign).unwrap();
        }
        let played = dir.join("played.wav");
        let output = Command::new(SOOTHE)
            .args(["play", "--from", "third"])
            .args(session.args())
            .envs(base_env(dir))
            .env("ALSA_CONFIG_PATH", alsa_to_file(dir, &played))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("no audio output device was found") {
            crate::support::skip::skipped(
                &format!("alsa-lib cannot use its file plugin here: {stderr}"),
                &[crate::support::skip::ALSA_FILE],
            );
            return;
        }
        assert!(output.status.success(), "{stderr}");
        let said = format!(
            "The session is not in the log: {}: it is not a session log of soothe's (its first line is not soothe's header), so it was left alone\n",
            log.display()
        );
        assert!(stderr.ends_with(&said), "{stderr}");
        assert_eq!(std::fs::read_to_string(&passwd).unwrap(), foreign);
        assert_eq!(std::fs::read_to_string(&log).unwrap(), foreign);
    }
}

/// Plays the fixture session in tmux through PulseAudio; `drive` presses
/// the keys once the first stroke is under way. Returns the log's lines.
#[cfg(target_os = "linux")]
fn play_with_keys(
    session: &Session,
    drive: impl Fn(&crate::support::tmux::Tmux),
) -> Vec<Vec<String>> {
    use crate::support::pulse::Pulse;
    use crate::support::tmux::{Stdout, Tmux};
    let _one_at_a_time = crate::support::realtime();
    let dir = session.dir.path();
    let pulse = Pulse::start(dir);
    let mut env = base_env(dir);
    env.extend(pulse.env());
    let mut args = vec!["play".to_string()];
    args.extend(session.args());
    let tmux = Tmux::start(dir, (80, 24), &env, &args, Stdout::File);
    let started = Instant::now();
    while !tmux.stdout().contains("stroke 1 of 2") {
        assert!(
            tmux.status().is_none() && started.elapsed() < Duration::from_secs(20),
            "no first stroke:\n{}\nstderr:\n{}",
            tmux.stdout(),
            tmux.stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drive(&tmux);
    assert_eq!(
        tmux.wait_exit(Duration::from_secs(20)),
        0,
        "{}",
        tmux.stderr()
    );
    log_lines(dir)
}

#[cfg(target_os = "linux")]
#[test]
fn quitting_with_q_is_logged_as_stopped_at_that_step() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let lines = play_with_keys(&session, |tmux| tmux.keys(&["q"]));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0][2..9], session_fields(&session));
    assert_eq!(lines[0][9], "stopped at first");
    // The first prompt and a stroke or so: the first step lasts 5 s.
    let heard = seconds(&lines[0][10]);
    assert!((1..=5).contains(&heard), "heard {heard} s");
}

#[cfg(target_os = "linux")]
#[test]
fn babys_done_is_logged_with_the_step_it_was_asked_on() {
    require!("tmux", "pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let lines = play_with_keys(&session, |tmux| tmux.keys(&["d"]));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0][2..9], session_fields(&session));
    assert_eq!(lines[0][9], "baby's done at first");
    // What was heard of the first step, and the close; not what "baby's
    // done" skipped.
    let close = session.plan.step("close");
    let close_seconds = (close.end - close.start) / u64::from(RATE);
    let heard = seconds(&lines[0][10]);
    assert!(
        heard >= close_seconds && heard < close_seconds + 6,
        "heard {heard} s"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_and_sigterm_are_logged_as_stopped() {
    require!("pulseaudio", "pactl", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    for (signal, name) in [(libc::SIGINT, "Ctrl-C"), (libc::SIGTERM, "SIGTERM")] {
        let dir = session.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let pulse = crate::support::pulse::Pulse::start(&dir);
        let out_path = dir.join("stdout.txt");
        let mut child = Command::new(SOOTHE)
            .arg("play")
            .args(session.args())
            .envs(base_env(&dir))
            .envs(pulse.env())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out_path).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !std::fs::read_to_string(&out_path)
            .unwrap()
            .contains("stroke 1 of 2")
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{name}: the session never got to its first stroke"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        crate::support::process::signal(child.id(), signal);
        assert!(child.wait().unwrap().success(), "{name}");
        let lines = log_lines(&dir);
        assert_eq!(lines.len(), 1, "{name}: {lines:?}");
        assert_eq!(lines[0][2..9], session_fields(&session), "{name}");
        assert_eq!(lines[0][9], "stopped at first", "{name}");
    }
}

#[test]
fn a_session_played_in_french_is_logged_in_french() {
    let session = Session::new();
    let dir = session.dir.path();
    // The fixture's takes, as a voice's French ones (the script says no
    // language: --language fr gives it its).
    let french = session.voice.join("fr");
    std::fs::create_dir(&french).unwrap();
    for entry in std::fs::read_dir(&session.voice).unwrap() {
        let take = entry.unwrap().path();
        if take.is_file() {
            std::fs::copy(&take, french.join(take.file_name().unwrap())).unwrap();
        }
    }
    let played = dir.join("played.wav");
    let output = Command::new(SOOTHE)
        .args(["play", "--quiet", "--from", "close", "--language", "fr"])
        .args(session.args())
        .envs(base_env(dir))
        .env("ALSA_CONFIG_PATH", alsa_to_file(dir, &played))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no audio output device was found") {
        crate::support::skip::skipped(
            &format!("alsa-lib cannot use its file plugin here: {stderr}"),
            &[crate::support::skip::ALSA_FILE],
        );
        return;
    }
    assert!(output.status.success(), "{stderr}");
    let lines = log_lines(dir);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0][8], "fr", "{lines:?}");
}
