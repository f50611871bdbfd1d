//! What a parent hears around a key (issue 23), through a sound server that
//! plays in real time, recorded and lined up against `soothe render`: the
//! quiet before the step that n, b and d go to; where a pause goes on; that
//! pause, resume and a cut fade instead of clicking; and that soothe claims
//! no break that the recording does not show.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::path::Path;
use std::time::Duration;

use crate::support::audio::{follow, Move, Piece, FADE, RESUME_SLACK};
use crate::support::cli::base_env;
use crate::support::pipewire::{self, PipeWire};
use crate::support::pulse::Pulse;
use crate::support::server::{Recording, Server};
use crate::support::session::Session;
use crate::support::tmux::{Stdout, Tmux};

const START: Duration = Duration::from_secs(20);

/// Plays `session` in tmux through a server of `start`'s, `drive` pressing
/// the keys, and lines the capture up with the render as `moves` changed
/// it; then `check` looks at the pieces. Either failing is tried once more,
/// saying why: a busy machine can hold a real-time test back (other builds
/// run here); what soothe itself does wrong goes wrong twice. Returns the
/// pieces and soothe's stderr.
fn play<S: Server>(
    session: &Session,
    start: impl Fn(&Path) -> S,
    moves: &[Move],
    drive: impl Fn(&Tmux),
    check: impl Fn(&[Piece], &str) -> Result<(), String>,
) -> (Vec<Piece>, String) {
    let _one_at_a_time = crate::support::realtime();
    for attempt in 1..=2 {
        let dir = session.dir.path().join(format!("attempt-{attempt}"));
        let server = start(&dir);
        let recorder = server.record();
        let mut env = base_env(&dir);
        env.extend(server.env());
        let mut args = vec!["play".to_string()];
        args.extend(session.args());
        let tmux = Tmux::start(&dir, (100, 30), &env, &args, Stdout::Terminal);
        drive(&tmux);
        let status = tmux.wait_exit(Duration::from_secs(60));
        // Let the last samples through the server.
        std::thread::sleep(Duration::from_millis(600));
        let capture = recorder.stop();
        let stderr = tmux.stderr();
        assert_eq!(status, 0, "soothe failed:\n{stderr}");
        let result = follow(&capture, &session.render, 0.0, moves)
            .and_then(|pieces| check(&pieces, &stderr).map(|()| pieces));
        match result {
            Ok(pieces) => return (pieces, stderr),
            Err(why) if attempt == 1 => eprintln!("Once more: {why}\n{stderr}"),
            Err(why) => panic!("{why}\nscreen:\n{}\nstderr:\n{stderr}", tmux.screen()),
        }
    }
    unreachable!("the second attempt returns or fails")
}

fn sleep(seconds: f64) {
    std::thread::sleep(Duration::from_secs_f64(seconds));
}

/// Seconds, for people.
fn ms(samples: i64) -> f64 {
    samples as f64 / 48.0
}

/// The quiet between each piece's sound (fade and all) and the next.
fn quiets(pieces: &[Piece]) -> Vec<i64> {
    pieces
        .windows(2)
        .map(|pair| pair[1].at as i64 - pair[0].end() as i64)
        .collect()
}

/// Where each resume went on, against where its pause faded out: samples
/// skipped (over 0) or heard again (under 0).
fn slips(pieces: &[Piece]) -> Vec<i64> {
    pieces
        .windows(2)
        .map(|pair| pair[1].from as i64 - (pair[0].from + pair[0].len) as i64)
        .collect()
}

fn pulse() -> impl Fn(&Path) -> Pulse {
    Pulse::start
}

/// No claim that the sound broke up, where the recording is the render.
fn claims_nothing(stderr: &str) -> Result<(), String> {
    match stderr.lines().find(|line| line.contains("broke up")) {
        Some(claim) => Err(format!("claimed, though the recording is whole: {claim}")),
        None => Ok(()),
    }
}

#[test]
fn the_step_after_n_b_or_d_through_pulseaudio_follows_its_fade_without_a_quiet() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let second = session.plan.step("second").start;
    let moves = [
        Move::Jump { to: second },
        Move::Jump { to: second },
        Move::Jump {
            to: session.plan.step("close").start,
        },
        Move::End,
    ];
    let drive = |tmux: &Tmux| {
        // Each key in the middle of a prompt (1.6 s of noise).
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["n"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.6);
        tmux.keys(&["b"]);
        sleep(0.6);
        tmux.keys(&["d"]);
        tmux.wait_for("the close", Duration::from_secs(5), |s| {
            s.contains("A calm close")
        });
    };
    // The old sound fades out over 12 ms and the step follows at once: no
    // more quiet than the machine takes to make the step's first samples
    // (the queue's 0.15 s hides that). It was a third of a second.
    let check = |pieces: &[Piece], _: &str| {
        let quiets = quiets(pieces);
        match quiets.iter().find(|quiet| !(0..=960).contains(*quiet)) {
            Some(quiet) => Err(format!(
                "{:.1} ms of quiet before a step (quiets {quiets:?}, in samples)",
                ms(*quiet)
            )),
            None => Ok(()),
        }
    };
    let (pieces, _) = play(&session, pulse(), &moves, drive, check);
    eprintln!(
        "quiet after n, b and d: {:?} ms; fades heard {:?} samples",
        quiets(&pieces).into_iter().map(ms).collect::<Vec<_>>(),
        pieces[..3].iter().map(|p| p.faded).collect::<Vec<_>>()
    );
    // Each old sound was heard fading: cut in the middle of a prompt.
    assert!(pieces[..3].iter().all(|p| p.faded > FADE / 2), "{pieces:?}");
}

/// Three pauses in the middle of prompts, resumed after a second, and
/// what must be true of each: the sound goes on from where its fade
/// began, within 5 ms.
fn three_pauses(session: &Session) -> ([Move; 5], impl Fn(&Tmux)) {
    let moves = [
        Move::Pause { seconds: 1.0 },
        Move::Pause { seconds: 1.0 },
        Move::Jump {
            to: session.plan.step("second").start,
        },
        Move::Pause { seconds: 1.0 },
        Move::Quit,
    ];
    let drive = |tmux: &Tmux| {
        tmux.wait_for_clock("00:01", START);
        for _ in 0..2 {
            tmux.keys(&["Space"]);
            sleep(1.0);
            tmux.keys(&["Space"]);
            sleep(0.3);
        }
        tmux.keys(&["n"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.5);
        tmux.keys(&["Space"]);
        sleep(1.0);
        tmux.keys(&["Space"]);
        sleep(0.5);
        tmux.keys(&["q"]);
    };
    (moves, drive)
}

/// The slips of the three pauses of [`three_pauses`]: within 5 ms.
fn resumes_within_5_ms(pieces: &[Piece], _: &str) -> Result<(), String> {
    let slips: Vec<i64> = [0, 1, 3]
        .iter()
        .map(|&k| slips(&pieces[k..k + 2])[0])
        .collect();
    match slips
        .iter()
        .find(|slip| slip.unsigned_abs() > RESUME_SLACK as u64)
    {
        Some(slip) => Err(format!("a resume {:.1} ms off ({slips:?})", ms(*slip))),
        None => Ok(()),
    }
}

#[test]
fn a_resume_through_pulseaudio_goes_on_within_5_ms_of_where_the_pause_faded_out() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let (moves, drive) = three_pauses(&session);
    let (pieces, _) = play(&session, pulse(), &moves, drive, resumes_within_5_ms);
    eprintln!(
        "resumes through PulseAudio, ms past where each pause faded out: {:?}",
        [0, 1, 3].map(|k| ms(slips(&pieces[k..k + 2])[0]))
    );
}

#[test]
fn a_resume_through_pipewire_goes_on_within_5_ms_of_where_the_pause_faded_out() {
    require!(
        "tmux",
        "pipewire",
        "wireplumber",
        "pw-record",
        "pw-cli",
        "dbus-daemon",
        "alsa-pipewire"
    );
    let plugin = pipewire::alsa_plugin().expect("required above");
    let session = Session::new();
    let (moves, drive) = three_pauses(&session);
    let start = |dir: &Path| PipeWire::start(dir, &plugin);
    let (pieces, _) = play(&session, start, &moves, drive, resumes_within_5_ms);
    eprintln!(
        "resumes through PipeWire, ms past where each pause faded out: {:?}",
        [0, 1, 3].map(|k| ms(slips(&pieces[k..k + 2])[0]))
    );
}

/// The largest step from one sample to the next in `samples`.
fn largest_step(samples: &[f32]) -> f32 {
    samples
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f32::max)
}

#[test]
fn pause_resume_and_n_through_pulseaudio_fade_with_no_step_bigger_than_the_waveforms_own() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::smooth();
    let r = &session.render;
    let moves = [
        Move::Pause { seconds: 1.0 },
        Move::Jump {
            to: session.plan.step("second").start,
        },
        Move::Quit,
    ];
    let drive = |tmux: &Tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["Space"]);
        sleep(1.0);
        tmux.keys(&["Space"]);
        sleep(0.3);
        tmux.keys(&["n"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.5);
        tmux.keys(&["q"]);
    };
    let recorded = std::sync::Mutex::new(Vec::new());
    // Around each change, from 10 ms before it to 10 ms after its fade:
    // the largest step there, and the waveform's own (the render's, from
    // 50 ms before to 50 ms after the same place). A fade multiplies the
    // samples by a gain that moves by at most 0.003 a sample: that much
    // of the waveform's level it may add.
    let check = |pieces: &[Piece], _: &str| {
        // `also`: where the sound heard after the change comes from in the
        // render, when it is not the same place (the step after n).
        let around = |at: usize, from: usize, also: Option<usize>, what: &str| {
            let heard = largest_step(&capture_of(&recorded, at, FADE));
            let own_at = |from: usize| {
                largest_step(&r[from.saturating_sub(2_400)..(from + 2_400).min(r.len())])
            };
            let own = also.map_or(own_at(from), |next| own_at(from).max(own_at(next)));
            let level = r[from.saturating_sub(480)..(from + FADE + 480).min(r.len())]
                .iter()
                .fold(0.0f32, |m, s| m.max(s.abs()));
            let allowed = own + 0.003 * level;
            if heard > allowed {
                return Err::<String, String>(format!(
                    "{what}: a step of {heard:.4} where the waveform's own is {own:.4}"
                ));
            }
            Ok(format!("{what}: {heard:.4} (own {own:.4})"))
        };
        let paused = around(
            pieces[0].at + pieces[0].len,
            pieces[0].from + pieces[0].len,
            None,
            "pause",
        )?;
        let resumed = around(pieces[1].at, pieces[1].from, None, "resume")?;
        let cut = around(
            pieces[1].at + pieces[1].len,
            pieces[1].from + pieces[1].len,
            pieces.get(2).map(|next| next.from),
            "n",
        )?;
        eprintln!("largest steps: {paused}; {resumed}; {cut}");
        Ok(())
    };
    let (pieces, _) = play_recording(&session, &recorded, &moves, drive, check);
    // Each change was in the middle of the smooth noise, loud enough for
    // a cut to click (a step of up to its level, over 0.05), where the
    // noise's own steps are under 0.02.
    for (k, at) in [
        pieces[0].from + pieces[0].len,
        pieces[1].from,
        pieces[1].from + pieces[1].len,
    ]
    .into_iter()
    .enumerate()
    {
        let level = r[at..at + FADE].iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(level > 0.05, "change {k} where the render is at {level}");
        assert!(largest_step(&r[at - 2_400..at + 2_400]) < 0.02);
    }
}

/// The capture from 10 ms before `at` to 10 ms after `len` more samples.
fn capture_of(recorded: &std::sync::Mutex<Vec<f32>>, at: usize, len: usize) -> Vec<f32> {
    let capture = recorded.lock().unwrap();
    capture[at.saturating_sub(480)..(at + len + 480).min(capture.len())].to_vec()
}

/// [`play`] through PulseAudio, keeping the capture in `recorded` for
/// `check`.
fn play_recording(
    session: &Session,
    recorded: &std::sync::Mutex<Vec<f32>>,
    moves: &[Move],
    drive: impl Fn(&Tmux),
    check: impl Fn(&[Piece], &str) -> Result<(), String>,
) -> (Vec<Piece>, String) {
    let start = |dir: &Path| Keeping {
        pulse: Pulse::start(dir),
        recorded,
    };
    play(session, start, moves, drive, check)
}

/// PulseAudio, keeping each capture it records.
struct Keeping<'a> {
    pulse: Pulse,
    recorded: &'a std::sync::Mutex<Vec<f32>>,
}

struct KeptRecorder<'a> {
    recorder: crate::support::pulse::Recorder,
    recorded: &'a std::sync::Mutex<Vec<f32>>,
}

impl<'a> Server for Keeping<'a> {
    type Recorder = KeptRecorder<'a>;
    fn env(&self) -> Vec<(String, String)> {
        self.pulse.env()
    }
    fn record(&self) -> KeptRecorder<'a> {
        KeptRecorder {
            recorder: self.pulse.record(),
            recorded: self.recorded,
        }
    }
}

impl Recording for KeptRecorder<'_> {
    fn stop(self) -> Vec<f32> {
        let capture = self.recorder.stop();
        *self.recorded.lock().unwrap() = capture.clone();
        capture
    }
}

#[test]
fn keys_pressed_through_pulseaudio_claim_no_break_the_recording_does_not_show() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let second = session.plan.step("second").start;
    // Every key of the session, in the middle of its sounds, to its end.
    let moves = [
        Move::Pause { seconds: 1.0 },
        Move::Jump { to: second },
        Move::Pause { seconds: 0.8 },
        Move::Jump { to: second },
        Move::Jump {
            to: session.plan.step("close").start,
        },
        Move::End,
    ];
    let drive = |tmux: &Tmux| {
        tmux.wait_for_clock("00:01", START);
        tmux.keys(&["Space"]);
        sleep(1.0);
        tmux.keys(&["p"]);
        sleep(0.2);
        tmux.keys(&["Right"]);
        tmux.wait_for("the second step", Duration::from_secs(5), |s| {
            s.contains("Second")
        });
        sleep(0.4);
        tmux.keys(&["Space"]);
        sleep(0.8);
        tmux.keys(&["Space"]);
        sleep(0.3);
        tmux.keys(&["b"]);
        sleep(0.8);
        tmux.keys(&["d"]);
    };
    play(&session, pulse(), &moves, drive, |_, stderr| {
        claims_nothing(stderr)
    });
}
