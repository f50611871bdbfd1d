//! `soothe play` with neither stdin nor stdout a terminal and no session
//! bus: it runs hands-free to the end. Played through alsa-lib's `file`
//! plugin (unpaced, so a session takes well under a second).
#![cfg(feature = "device")]

use std::process::{Command, Output, Stdio};

use crate::support::cli::{base_env, SOOTHE};
use crate::support::session::{alsa_to_file, read_wav_mono, Session};

/// Plays the fixture session into a WAV; `None` (after saying why) where
/// alsa-lib cannot.
fn play_to_file(session: &Session, extra: &[&str]) -> Option<(Output, Vec<f32>)> {
    let played = session.dir.path().join("played.wav");
    let conf = alsa_to_file(session.dir.path(), &played);
    let output = Command::new(SOOTHE)
        .arg("play")
        .args(session.args())
        .args(extra)
        .envs(base_env(session.dir.path()))
        .env("ALSA_CONFIG_PATH", &conf)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no audio output device was found") {
        crate::support::skip::skipped(
            &format!("alsa-lib cannot use its file plugin here: {stderr}"),
            &[crate::support::skip::ALSA_FILE],
        );
        return None;
    }
    assert!(output.status.success(), "{stderr}");
    Some((output, read_wav_mono(&played)))
}

/// `played` holds `render` exactly, after the device's own lead-in.
fn assert_plays(played: &[f32], render: &[f32]) {
    let onset = |s: &[f32]| s.iter().position(|x| *x != 0.0).unwrap();
    let offset = onset(played) - onset(render);
    assert!(
        played.len() >= offset + render.len(),
        "the whole session was played"
    );
    let heard = &played[offset..offset + render.len()];
    let first_difference = (0..render.len()).find(|&i| heard[i] != render[i]);
    assert_eq!(first_difference, None, "played samples equal the render");
    assert!(played[offset + render.len()..].iter().all(|x| *x == 0.0));
}

#[test]
fn without_a_session_bus_it_plays_to_the_end_and_says_so_once() {
    let session = Session::new();
    let Some((output, played)) = play_to_file(&session, &[]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let note: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("Media keys"))
        .collect();
    if cfg!(feature = "mpris") {
        assert_eq!(note.len(), 1, "{stderr}");
        assert!(
            note[0].starts_with("Media keys and headset buttons are off: no D-Bus session bus ("),
            "{stderr}"
        );
    } else {
        assert!(note.is_empty(), "{stderr}");
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("] A calm close\n"), "{stdout}");
    assert_eq!(stdout.matches("stroke 1 of").count(), 3, "{stdout}");
    assert_plays(&played, &session.render);
}

#[test]
fn whisper_levels_reach_the_speakers_exactly_as_rendered() {
    let session = Session::new();
    let whisper = ["--voice-gain", "-30", "--chime-gain=-30dB"];
    let rendered = session.render_with(&whisper);
    // -30 dB is the full session at 1/31.6, to the last bit of 16-bit...
    let scale = 10f32.powf(-1.5);
    let lsb = 1.0 / 32768.0;
    for (quiet, full) in rendered.iter().zip(&session.render) {
        assert!(
            (quiet - full * scale).abs() <= 2.0 * lsb,
            "{quiet} vs {full}"
        );
    }
    // ...and still there: the loudest whisper is well above silence.
    let peak = rendered.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!(peak > 100.0 * lsb, "peak {peak}");

    let Some((_, played)) = play_to_file(&session, &whisper) else {
        return;
    };
    assert_plays(&played, &rendered);
}

#[test]
fn levels_out_of_range_are_refused_with_the_range() {
    for (flag, value) in [
        ("--voice-gain", "-61"),
        ("--chime-gain", "13"),
        ("--voice-gain", "loud"),
    ] {
        let output = Command::new(SOOTHE)
            .args(["render", "-o", "/dev/null", flag, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(flag), "{stderr}");
    }
}

#[test]
fn play_from_a_step_plays_the_render_from_that_steps_first_sample() {
    let session = Session::new();
    let start = session.plan.step("second").start as usize;
    let Some((output, played)) = play_to_file(&session, &["--from", "second"]) else {
        return;
    };
    assert_plays(&played, &session.render[start..]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(", from Second\n"), "{stdout}");
    assert!(!stdout.contains("] First steps"), "{stdout}");
    // Played to its end: nothing to go on with.
    assert!(!stdout.contains("To go on"), "{stdout}");
}
