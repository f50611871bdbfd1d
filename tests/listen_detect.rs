//! The crying detector (soothe_core::listen) offline, on real cries and on
//! made sounds, over the echo of the session's own render: what
//! `play --listen` must and must not take for crying. The figures over the
//! whole corpus are the bench's (benches/listen.rs, BENCHMARKS.md).

use std::path::Path;
use std::sync::Arc;

use soothe::app::{Prepared, SessionArgs};
use soothe_core::listen::{Hearing, Listener};
use soothe_core::mix::{Control, Levels, SessionSource};
use soothe_core::session::select::Selection;
use soothe_core::sound::voice::VoiceChoice;

const RATE: u32 = 48_000;

/// The first `seconds` of the built-in session, as played.
fn session(seconds: f64) -> Vec<f32> {
    let args = SessionArgs {
        script: None,
        language: soothe::app::LanguagePick::ENGLISH,
        selection: Selection::default(),
        voice: VoiceChoice::Guide,
        from: None,
        without: Vec::new(),
    };
    let prepared = Prepared::new(&args).unwrap();
    let mut source = SessionSource::new(
        prepared.timeline.clone(),
        Arc::new(prepared.sounds),
        Control::new(Levels::UNITY),
    );
    let mut out = vec![0.0; (seconds * f64::from(RATE)) as usize];
    let n = source.fill(&mut out);
    out.truncate(n);
    out
}

/// What the microphone hears of `played`: 80 ms late, 15 dB down.
fn echo(played: &[f32]) -> Vec<f32> {
    let delay = (0.08 * f64::from(RATE)) as usize;
    (0..played.len())
        .map(|i| {
            if i >= delay {
                0.18 * played[i - delay]
            } else {
                0.0
            }
        })
        .collect()
}

/// A mono 16-bit WAV at 48 kHz (linear interpolation: the detector only
/// hears below 3.6 kHz).
fn cry(name: &str) -> Vec<f32> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cries")
        .join(name);
    let mut reader = hound::WavReader::open(path).unwrap();
    let rate = reader.spec().sample_rate;
    let x: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    let step = f64::from(rate) / f64::from(RATE);
    (0..((x.len() - 1) as f64 / step) as usize)
        .map(|i| {
            let t = i as f64 * step;
            let (k, f) = (t as usize, (t - t.floor()) as f32);
            x[k] + (x[k + 1] - x[k]) * f
        })
        .collect()
}

/// Runs the listener in 20 ms pieces; the times (s) it said "crying".
fn crying_at(mic: &[f32], reference: &[f32]) -> Vec<f64> {
    let mut listener = Listener::new(RATE, RATE);
    let piece = 960;
    mic.chunks(piece)
        .zip(reference.chunks(piece))
        .enumerate()
        .filter(|(_, (m, r))| listener.push(m, r) == Hearing::Crying)
        .map(|(k, _)| (k + 1) as f64 * piece as f64 / f64::from(RATE))
        .collect()
}

const CRIES: [&str; 3] = [
    "06c4cfa2-7fa6-4fda-91a1-ea186a4acc64-1430029246453-1.7-f-26-ti.wav",
    "7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav",
    "8f5c01dc-6826-4076-a831-027ad61afdaf-1435873509176-1.7-f-26-hu.wav",
];

#[test]
fn a_real_cry_over_the_sessions_echo_is_crying_within_three_seconds() {
    let played = session(20.0);
    let room = echo(&played);
    let start = 12.0;
    for name in CRIES {
        let cry = cry(name);
        let mut mic = room.clone();
        let at = (start * f64::from(RATE)) as usize;
        for (m, c) in mic[at..].iter_mut().zip(&cry) {
            *m += c;
        }
        let heard = crying_at(&mic, &played);
        let first = heard.first().copied();
        assert!(
            first.is_some_and(|t| t >= start && t <= start + 3.0),
            "{name}: crying first at {first:?} s, the cry began at {start} s"
        );
    }
}

#[test]
fn the_sessions_own_voice_and_chimes_are_never_crying() {
    let played = session(60.0);
    assert_eq!(crying_at(&echo(&played), &played), Vec::<f64>::new());
}

/// A sung melody: a voice at 350 to 450 Hz with vibrato, notes of 0.5 to
/// 1.5 s with breaths, as a parent sings to a baby.
fn singing(seconds: f64) -> Vec<f32> {
    let notes = [
        392.0, 440.0, 392.0, 349.2, 440.0, 392.0, 0.0, 349.2, 392.0, 440.0, 0.0,
    ];
    let lengths = [0.6, 0.6, 1.2, 0.6, 1.5, 0.9, 0.4, 0.6, 0.6, 1.2, 0.5];
    let mut out = Vec::new();
    let mut phase = 0.0f64;
    while (out.len() as f64) < seconds * f64::from(RATE) {
        for (&f0, &len) in notes.iter().zip(&lengths) {
            let n = (len * f64::from(RATE)) as usize;
            for i in 0..n {
                let t = i as f64 / f64::from(RATE);
                let f = f0 * (1.0 + 0.02 * (2.0 * std::f64::consts::PI * 5.5 * t).sin());
                phase += 2.0 * std::f64::consts::PI * f / f64::from(RATE);
                let envelope = (t / 0.05).min((len - t) / 0.08).clamp(0.0, 1.0);
                let voice: f64 = (1..=8)
                    .map(|k| (k as f64 * phase).sin() / (k * k) as f64)
                    .sum();
                out.push((0.1 * envelope * voice * f64::from(f0 > 0.0)) as f32);
            }
        }
    }
    out
}

#[test]
fn singing_near_the_microphone_over_the_echo_is_never_crying() {
    let played = session(40.0);
    let mut mic = echo(&played);
    for (m, s) in mic.iter_mut().zip(singing(40.0)) {
        *m += s;
    }
    assert_eq!(crying_at(&mic, &played), Vec::<f64>::new());
}

#[test]
fn a_cry_heard_with_nothing_playing_is_crying_too() {
    let cry = cry(CRIES[1]);
    let mut listener = Listener::new(RATE, RATE);
    let heard = cry
        .chunks(960)
        .map(|piece| listener.push_alone(piece))
        .any(|h| h == Hearing::Crying);
    assert!(heard);
}
