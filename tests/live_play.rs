//! `soothe play` driven with single key presses in a real terminal (tmux),
//! playing through the real ALSA stack into a PulseAudio null sink that
//! runs in real time, recorded from its monitor. Each capture must be the
//! render cut and joined exactly as the keys asked: nothing lost, nothing
//! repeated, every change on a block boundary of the session's one clock.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::time::Duration;

use crate::support::audio::{follow, Move, Piece, RESUME_SLACK};
use crate::support::cli::base_env;
use crate::support::pulse::Pulse;
use crate::support::session::Session;
use crate::support::tmux::{Stdout, Tmux};

const START: Duration = Duration::from_secs(20);

/// Plays the fixture session in tmux through PulseAudio, with `extra`
/// arguments; `drive` presses the keys. Checks that the capture is the
/// render (at `gain_db`) as changed by `moves`; returns the pieces and the
/// terminal. A mismatch is tried once more, saying why: on a busy machine
/// the sound server may drop out, which a real-time test cannot rule out;
/// what soothe itself does wrong goes wrong twice.
fn play_and_check(
    session: &Session,
    extra: &[&str],
    gain_db: f64,
    moves: &[Move],
    drive: impl Fn(&Tmux),
) -> (Vec<Piece>, Tmux) {
    let _one_at_a_time = crate::support::realtime();
    for attempt in 1..=2 {
        let dir = session.dir.path().join(format!("attempt-{attempt}"));
        let pulse = Pulse::start(&dir);
        let recorder = pulse.record();
        let mut env = base_env(&dir);
        env.extend(pulse.env());
        let mut args = vec!["play".to_string()];
        args.extend(session.args());
        args.extend(extra.iter().map(|a| a.to_string()));
        let tmux = Tmux::start(&dir, (100, 30), &env, &args, Stdout::Terminal);
        drive(&tmux);
        let status = tmux.wait_exit(Duration::from_secs(60));
        // Let the last samples through the server.
        std::thread::sleep(Duration::from_millis(600));
        let capture = recorder.stop();
        if let Some(dump) = std::env::var_os("DUMP_CAPTURE") {
            let bytes: Vec<u8> = capture.iter().flat_map(|s| s.to_le_bytes()).collect();
            std::fs::write(
                std::path::Path::new(&dump).join(format!("cap{attempt}.f32")),
                bytes,
            )
            .unwrap();
            let bytes: Vec<u8> = session
                .render
                .iter()
                .flat_map(|s| s.to_le_bytes())
                .collect();
            std::fs::write(std::path::Path::new(&dump).join("render.f32"), bytes).unwrap();
        }
        let stderr = tmux.stderr();
        assert_eq!(status, 0, "soothe failed:\n{stderr}");
        match follow(&capture, &session.render, gain_db, moves) {
            Ok(pieces) => return (pieces, tmux),
            Err(why) if attempt == 1 => {
                eprintln!("Once more: the capture differs ({why})\n{stderr}");
            }
            Err(why) => panic!(
                "the capture is not the render as the keys changed it: {why}\nscreen:\n{}\nstderr:\n{stderr}",
                tmux.screen()
            ),
        }
    }
    unreachable!("the second attempt returns or fails")
}

fn sleep(seconds: f64) {
    std::thread::sleep(Duration::from_secs_f64(seconds));
}

#[test]
fn pause_inserts_silence_and_resume_goes_on_from_the_exact_sample() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let moves = [Move::Pause { seconds: 1.5 }, Move::Quit];
    let (pieces, _) = play_and_check(&session, &[], 0.0, &moves, |tmux| {
        // One second in: the first prompt (0.5 s to 2.1 s) is speaking.
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["Space"]);
        tmux.wait_for("the pause sign", Duration::from_secs(5), |s| {
            s.contains("paused")
        });
        sleep(1.5);
        tmux.keys(&["p"]);
        sleep(0.4);
        tmux.keys(&["q"]);
    });
    // Paused inside the first prompt, and resumed where it stopped.
    let prompt = session.plan.events[0];
    let paused_at = (pieces[0].from + pieces[0].len) as u64;
    assert!((prompt.0..prompt.1).contains(&paused_at), "{pieces:?}");
    // Where it stopped, give or take what the server's cork rounds to.
    assert!(
        pieces[1].from.abs_diff(paused_at as usize) <= RESUME_SLACK,
        "{pieces:?}"
    );
}

#[test]
fn next_goes_straight_to_the_next_step_with_a_short_fade() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let moves = [
        Move::Jump {
            to: session.plan.step("second").start,
        },
        Move::Jump {
            to: session.plan.step("third").start,
        },
        Move::Quit,
    ];
    play_and_check(&session, &[], 0.0, &moves, |tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["n"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.6);
        tmux.keys(&["Right"]);
        tmux.wait_for("the third step", Duration::from_secs(5), |s| {
            s.contains("Third")
        });
        sleep(0.6);
        tmux.keys(&["Escape"]);
    });
}

#[test]
fn back_restarts_the_step_and_twice_quickly_goes_to_the_previous_one() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let first = session.plan.step("first").start;
    let second = session.plan.step("second").start;
    let moves = [
        Move::Jump { to: second },
        // b: the step again.
        Move::Jump { to: second },
        // b b: the step again, then the previous one.
        Move::Jump { to: second },
        Move::Jump { to: first },
        Move::Quit,
    ];
    play_and_check(&session, &[], 0.0, &moves, |tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["n"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.6);
        tmux.keys(&["b"]);
        // Longer than a double press.
        sleep(2.0);
        tmux.keys(&["Left"]);
        sleep(0.3);
        tmux.keys(&["b"]);
        tmux.wait_for("the first step", Duration::from_secs(5), |s| {
            s.contains("First steps")
        });
        sleep(1.0);
        tmux.keys(&["q"]);
    });
}

#[test]
fn babys_done_goes_to_the_calm_close_which_plays_to_the_end() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let moves = [
        Move::Jump {
            to: session.plan.step("close").start,
        },
        Move::End,
    ];
    let (_, tmux) = play_and_check(&session, &[], 0.0, &moves, |tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["d"]);
        let screen = tmux.wait_for("the close", Duration::from_secs(5), |s| {
            s.contains("A calm close")
        });
        assert!(screen.contains("Baby's done"), "{screen}");
    });
    // The view is gone and says how the session ended: not "Finished",
    // as a whole session does, but what happened.
    let screen = tmux.screen();
    assert!(
        screen
            .contains("Baby's done, in \"First steps\": the close played, and the session is over"),
        "{screen}"
    );
    assert!(!screen.contains("Finished"), "{screen}");
}

#[test]
fn volume_keys_change_voice_and_chimes_together_on_a_block_boundary() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    // From a whisper, -30 dB for both, up 3 dB.
    let moves = [Move::Gain { db: -27.0 }, Move::Quit];
    let extra = ["--voice-gain=-30", "--chime-gain=-30"];
    play_and_check(&session, &extra, -30.0, &moves, |tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["+"]);
        tmux.wait_for("the volume note", Duration::from_secs(5), |s| {
            s.contains("+3 dB")
        });
        // A level is set where the session is mixed, ahead of the
        // device's half second of buffer: heard about 0.6 s later.
        sleep(1.5);
        tmux.keys(&["q"]);
    });
}

#[test]
fn a_pressed_pause_is_silent_within_250_ms() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    // Timing on a busy machine: a slow run is tried once more.
    for attempt in 1..=2 {
        let delays = pause_delays(
            &session,
            &session.dir.path().join(format!("attempt-{attempt}")),
        );
        let median = delays[delays.len() / 2];
        eprintln!("pause delays: {delays:?}");
        // The device buffer (two 50 ms periods) and the sound server's own,
        // well within what a parent can tell.
        if median < Duration::from_millis(250) {
            return;
        }
        assert!(attempt == 1, "pause took {median:?} (of {delays:?})");
    }
}

/// From a press of space (as tmux sends it) to silence reaching the
/// recorder (which itself lags by a few ms): an upper bound, sorted, for
/// five presses while the voice speaks.
fn pause_delays(session: &Session, dir: &std::path::Path) -> Vec<Duration> {
    let pulse = Pulse::start(dir);
    let listener = pulse.listen();
    let mut env = base_env(dir);
    env.extend(pulse.env());
    let mut args = vec!["play".to_string()];
    args.extend(session.args());
    let tmux = Tmux::start(dir, (80, 24), &env, &args, Stdout::Terminal);
    let mut delays = Vec::new();
    for _ in 0..5 {
        assert!(
            listener.wait_for_sound(START),
            "no sound:\n{}",
            tmux.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
        listener.skip_heard();
        let pressed = std::time::Instant::now();
        tmux.keys(&["Space"]);
        let silent = listener
            .wait_until(Duration::from_secs(2), |loudest| loudest < 1e-4)
            .unwrap_or_else(|| panic!("no silence after pause:\n{}", tmux.stderr()));
        delays.push(silent.saturating_duration_since(pressed));
        std::thread::sleep(Duration::from_millis(200));
        tmux.keys(&["Space"]);
    }
    tmux.keys(&["q"]);
    delays.sort();
    delays
}
