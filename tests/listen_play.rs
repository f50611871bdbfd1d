//! `soothe play --listen` end to end, in real time: soothe plays into a
//! PulseAudio null sink (`out`); a loopback carries it into a second one
//! (`room`, the room's echo), whose monitor is soothe's microphone; the
//! test plays a real infant cry into the room (paplay). The session must
//! fade out, say the script's prompt, show the hold, wait, and after space
//! go on from the very sample where it held; and a stretch of echo and
//! adult speech alone must never hold it.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::audio::{breaks, first_voiced, in_a_sound, locate, near};
use crate::support::cli::base_env;
use crate::support::pulse::Pulse;
use crate::support::session::{read_wav_mono, render_to, write_noise_burst, RATE};
use crate::support::tmux::{Stdout, Tmux};

/// The room: a second sink, soothe's sound carried into it, its monitor
/// the default input.
const ROOM: &str =
    "load-module module-null-sink sink_name=room rate=48000 channels=1 format=float32le\n\
                    load-module module-loopback source=out.monitor sink=room latency_msec=40\n\
                    set-default-source room.monitor\n";
/// A baby crying for ten seconds: two clips, one after the other.
const CRIES: [&str; 2] = [
    "tests/fixtures/cries/7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav",
    "tests/fixtures/cries/8f5c01dc-6826-4076-a831-027ad61afdaf-1435873509176-1.7-f-26-hu.wav",
];
/// A real recording that is not crying, from the development set
/// (../shared/data/negatives): a woman giving step-by-step instructions.
const TALK: &str = "speech-warzone-1.wav";
/// The hold's fade and the silence before its prompt (soothe_core::mix).
const FADE: f64 = soothe_core::mix::HOLD_FADE_SECONDS;
const GAP: f64 = soothe_core::mix::HOLD_GAP_SECONDS;

struct Setup {
    dir: tempfile::TempDir,
    script: PathBuf,
    voice: PathBuf,
    render: Vec<f32>,
    /// The prompt the hold says, as recorded.
    crying: Vec<f32>,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/listen-session.ron");
        let voice = dir.path().join("voice");
        std::fs::create_dir(&voice).unwrap();
        for (seed, id) in ["first", "second", "close", "crying"].iter().enumerate() {
            write_noise_burst(&voice.join(format!("{id}.wav")), 1.6, 11 + seed as u64);
        }
        // The prompt as soothe plays it from that take.
        let script_text =
            soothe::app::load_script(Some(&script), &soothe::app::LanguagePick::ENGLISH).unwrap();
        let voices = soothe_core::sound::voice::VoiceSet::open(
            &soothe_core::sound::voice::VoiceChoice::Folder(voice.clone()),
            &script_text,
            None,
        )
        .unwrap();
        let crying = voices.get("crying").unwrap().decode(RATE).unwrap();
        let mut setup = Setup {
            dir,
            script,
            voice,
            render: Vec::new(),
            crying,
        };
        let path = setup.dir.path().join("render.wav");
        render_to(&path, &setup.args(), &[]);
        setup.render = read_wav_mono(&path);
        setup
    }

    fn args(&self) -> Vec<String> {
        vec![
            self.script.display().to_string(),
            "--voice".into(),
            self.voice.display().to_string(),
        ]
    }

    /// `soothe play --listen` in tmux, through the room; `drive` acts while
    /// it plays. Returns the capture of what soothe played, the terminal
    /// and what `drive` returned.
    fn play<T>(&self, attempt: usize, drive: impl Fn(&Tmux, &Pulse) -> T) -> (Vec<f32>, Tmux, T) {
        let dir = self.dir.path().join(format!("attempt-{attempt}"));
        let pulse = Pulse::start_with(&dir, ROOM);
        // The echo reaches the microphone 18 dB down (PulseAudio's volume
        // is cubic: 50% is 0.125), as from a laptop's speaker across a
        // changing mat; the cry comes at its recorded level.
        let inputs = Command::new("pactl")
            .args(["list", "short", "sink-inputs"])
            .envs(pulse.client_env())
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&inputs.stdout).to_string();
        let loopback = listing
            .split_whitespace()
            .next()
            .expect("the loopback's sink input");
        let status = Command::new("pactl")
            .args(["set-sink-input-volume", loopback, "50%"])
            .envs(pulse.client_env())
            .status()
            .unwrap();
        assert!(status.success());
        let recorder = pulse.record();
        let mut env = base_env(&dir);
        env.extend(pulse.env());
        let mut args = vec!["play".to_string(), "--listen".to_string()];
        args.extend(self.args());
        let tmux = Tmux::start(&dir, (100, 30), &env, &args, Stdout::Terminal);
        let driven = drive(&tmux, &pulse);
        let status = tmux.wait_exit(Duration::from_secs(90));
        std::thread::sleep(Duration::from_millis(600));
        let capture = recorder.stop();
        assert_eq!(status, 0, "soothe failed:\n{}", tmux.stderr());
        (capture, tmux, driven)
    }
}

/// Plays `file` into the room sink.
fn paplay(pulse: &Pulse, file: &str) -> std::process::Child {
    Command::new("paplay")
        .args(["-d", "room"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .envs(pulse.client_env())
        .spawn()
        .expect("paplay starts")
}

/// Checks the hold in the capture: the render up to some sample, then the
/// hold (the render from there fading out, silence, the prompt, silence),
/// then the render again from that very sample. Found from the prompt
/// outwards, so that the sound breaking up elsewhere (a busy machine)
/// does not matter. Returns where it held, in render samples.
fn check_hold(c: &[f32], r: &[f32], crying: &[f32]) -> Result<usize, String> {
    let secs = |n: usize| n as f64 / 48e3;
    let fade = (FADE * f64::from(RATE)).round() as usize;
    let gap = (GAP * f64::from(RATE)).round() as usize;
    let pv = first_voiced(crying, 0).ok_or("silent prompt")?;
    let said = locate(c, 0, crying, pv, 1.0).ok_or("the prompt is not in the capture")? - pv;
    let held_at = said
        .checked_sub(fade + gap)
        .ok_or("the prompt came too soon")?;
    // Just before the hold, the capture is the render: where in it?
    const BEFORE: usize = 4_800;
    let before = held_at.checked_sub(BEFORE).ok_or("held too soon")?;
    let anchor = (0..BEFORE)
        .max_by(|&a, &b| c[before + a].abs().total_cmp(&c[before + b].abs()))
        .unwrap();
    // The same sound may come more than once (a chime is a chime): the
    // one meant is the one nearest where the session stood, as far as
    // the capture has run since the session's first sound.
    let rv = first_voiced(r, 0).ok_or("a silent render")?;
    let started = locate(c, 0, r, rv, 1.0).ok_or("the session's start is not in the capture")?;
    let expected = (held_at + rv).saturating_sub(started);
    let held = (anchor..r.len() - BEFORE)
        .filter(|&i| (0..BEFORE).all(|k| near(c[before + k], r[i - anchor + k])))
        .map(|i| i - anchor + BEFORE)
        .min_by_key(|&h| h.abs_diff(expected))
        .ok_or("the capture before the hold is not the render")?;
    // The fade-out: the render from there, under a raised cosine.
    for k in 0..fade {
        let w = 0.5 + 0.5 * (std::f32::consts::PI * k as f32 / fade as f32).cos();
        if (c[held_at + k] - w * r[held + k]).abs() > 1e-3 {
            return Err(format!("the fade-out differs {k} samples in"));
        }
    }
    if let Some(i) = c[held_at + fade..said].iter().position(|s| s.abs() > 2e-4) {
        return Err(format!(
            "sound between the fade and the prompt, {:.3} s in",
            secs(i)
        ));
    }
    // After the prompt, silence until the session goes on from `held`.
    let rv = first_voiced(r, held).ok_or("nothing after the hold")?;
    let back = locate(c, said + crying.len(), r, rv, 1.0)
        .ok_or("the render does not go on from where it held")?
        - (rv - held);
    if let Some(i) = c[said + crying.len()..back]
        .iter()
        .position(|s| s.abs() > 2e-4)
    {
        return Err(format!(
            "sound while held, {:.3} s after the prompt",
            secs(i)
        ));
    }
    // And it goes on from there (for a second, at least).
    if let Some(k) = (0..48_000.min(r.len() - held)).find(|&k| !near(c[back + k], r[held + k])) {
        return Err(format!(
            "after going on, the capture leaves the render {:.3} s in",
            secs(k)
        ));
    }
    Ok(held)
}

#[test]
fn a_cry_in_the_room_holds_the_session_and_space_goes_on_from_the_same_sample() {
    require!(
        "tmux",
        "pulseaudio",
        "pactl",
        "parec",
        "paplay",
        "alsa-pulse"
    );
    let _one_at_a_time = crate::support::realtime();
    let setup = Setup::new();
    for attempt in 1..=2 {
        let (capture, tmux, screen) = setup.play(attempt, |tmux, pulse| {
            tmux.wait_for_clock("00:05", Duration::from_secs(20));
            let crying = std::thread::scope(|scope| {
                let cries = scope.spawn(|| {
                    for cry in CRIES {
                        let _ = paplay(pulse, cry).wait();
                    }
                });
                // The header says what soothe hears from moment to moment:
                // within a cry's breaths it may say fussing while the hold
                // stays. So a screen with both, not the first of the hold,
                // which a busy machine may draw a breath late.
                let screen = tmux.wait_for(
                    "the hold, crying in the header",
                    Duration::from_secs(15),
                    |s| s.contains("your baby is crying") && s.contains("crying · step"),
                );
                let _ = cries.join();
                screen
            });
            let screen = crying;
            // The fade, the gap and the prompt, then a little waiting.
            std::thread::sleep(Duration::from_secs(4));
            tmux.keys(&["Space"]);
            screen
        });
        assert!(screen.contains("space to go on, d to finish"), "{screen}");
        match check_hold(&capture, &setup.render, &setup.crying) {
            Ok(held) => {
                // It held while the cry played, not before.
                assert!(
                    held as f64 / 48e3 > 4.0,
                    "held at {:.3} s",
                    held as f64 / 48e3
                );
                return;
            }
            Err(why) if attempt == 1 => eprintln!("Once more: {why}\n{}", tmux.stderr()),
            Err(why) => panic!("{why}\nstderr:\n{}", tmux.stderr()),
        }
    }
}

#[test]
fn the_echo_a_recorded_woman_talking_and_the_guide_voice_in_the_room_never_hold_the_session() {
    require!(
        "tmux",
        "pulseaudio",
        "pactl",
        "parec",
        "paplay",
        "alsa-pulse"
    );
    // A real recording from the development set: a woman giving
    // instructions, near the microphone (../shared/data/negatives).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(talk) = ["..", "../.."]
        .iter()
        .map(|up| root.join(up).join("shared/data/negatives").join(TALK))
        .find(|path| path.is_file())
    else {
        crate::support::skip::skipped(
            &format!("no ../shared/data/negatives/{TALK}"),
            &[crate::support::skip::SHARED_DATA],
        );
        return;
    };
    let _one_at_a_time = crate::support::realtime();
    let setup = Setup::new();
    // Then the guide voice, as an adult talking near the microphone
    // (since the engine moved into crates/, this test had played a path
    // that was no longer there, and paplay's failure went unseen).
    let talk = talk.display().to_string();
    let speech = [
        talk.as_str(),
        "crates/soothe-core/audio/guide/welcome-room.ogg",
    ];
    let (capture, tmux, ()) = setup.play(1, |tmux, pulse| {
        tmux.wait_for_clock("00:02", Duration::from_secs(20));
        for file in speech {
            let status = paplay(pulse, file).wait().unwrap();
            assert!(status.success(), "paplay {file}: {status}");
        }
    });
    let screen = tmux.screen();
    assert!(!screen.contains("crying"), "{screen}");
    let pv = first_voiced(&setup.crying, 0).unwrap();
    assert!(
        locate(&capture, 0, &setup.crying, pv, 1.0).is_none(),
        "the crying prompt was said"
    );
    // A hold never goes on by itself: that the session ended at all
    // (soothe exits 0 after its last step, see `play`) says it never
    // held. The sound breaking up on a busy machine does not matter here.
    assert!(screen.contains("Finished"), "{screen}");
}

#[test]
fn play_listen_through_pulseaudio_claims_no_break_the_recording_does_not_show() {
    require!("tmux", "pulseaudio", "pactl", "parec", "alsa-pulse");
    let _one_at_a_time = crate::support::realtime();
    let setup = Setup::new();
    // Listening from the start (the microphone, the detector, the echo
    // canceller: the start was when the false claim came), nobody crying,
    // to the end. A recording in which every sound is whole (a quiet
    // stretch may come out longer) must come with no claim that the sound
    // broke up. (A busy machine may break it for real: then once more, and
    // soothe must have said so.)
    for attempt in 1..=2 {
        let (capture, tmux, ()) = setup.play(attempt, |_, _| {});
        let stderr = tmux.stderr();
        let heard = breaks(&capture, &setup.render);
        match heard.as_ref().map(|heard| in_a_sound(heard, &setup.render)) {
            Ok(broken) if broken.is_empty() => {
                assert!(!stderr.contains("broke up"), "{heard:?}\n{stderr}");
                return;
            }
            _ if attempt == 1 => {
                assert!(stderr.contains("The sound broke up"), "{heard:?}\n{stderr}");
                eprintln!("Once more: the sound broke ({heard:?})\n{stderr}");
            }
            _ => panic!("the sound broke twice ({heard:?})\nstderr:\n{stderr}"),
        }
    }
}

/// Regression: a short gap inside a sound, after which the capture's first
/// samples came out changed, made `breaks` give up ("the render from
/// 25.131 s never comes back ... 62 samples from where it would be"), so
/// `play_listen_through_pulseaudio_claims_no_break_the_recording_does_not_show`
/// failed on a busy machine over a 1.3 ms gap that soothe rightly does not
/// call a break. It is a break of 62 samples of silence at 30,000.
#[test]
fn breaks_follows_a_short_gap_inside_a_sound_whose_first_samples_after_it_changed() {
    let mut seed = 1u32;
    let r: Vec<f32> = (0..96_000)
        .map(|_| {
            // Noise between 0.1 and 0.3 in size, either sign: sound throughout.
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let size = 0.1 + 0.2 * (seed >> 8) as f32 / (1 << 24) as f32;
            if seed & 0x80 == 0 {
                size
            } else {
                -size
            }
        })
        .collect();
    let mut c = vec![0.0; 1_000];
    c.extend_from_slice(&r[..30_000]);
    c.extend(std::iter::repeat_n(0.0, 62));
    c.extend(r[30_000..30_100].iter().map(|s| 0.5 * s));
    c.extend_from_slice(&r[30_100..]);
    assert_eq!(breaks(&c, &r), Ok(vec![(30_000, 62)]));
    assert!(in_a_sound(&[(30_000, 62)], &r).is_empty());
}
