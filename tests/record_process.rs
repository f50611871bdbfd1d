//! The clean-up every take goes through, on generated speech-like signals
//! at several levels and sample rates: trimming, loudness matching, the
//! peak limit and resampling.

use crate::support::record::{loudness, speech_span};
use soothe_core::sound::audio::Mono;
use soothe_core::take::process::{self, ProcessError, LEAD_MARGIN_SECONDS, TAIL_MARGIN_SECONDS};
use soothe_core::take::testsignal::{peak_db, Signal};

const SESSION_RATE: u32 = 48_000;

/// Silence (room noise), speech, silence; with DC and a 20 Hz rumble.
/// Returns the signal and where its speech starts and ends, in seconds.
fn take(rate: u32, speech_db: f64, seed: u64) -> (Mono, f64, f64) {
    let mut signal = Signal::seeded(rate, seed);
    let noise_db = speech_db - 40.0;
    let start = signal.noise(1.3, noise_db);
    let end = signal.speech(3.0, speech_db, noise_db);
    signal.noise(2.2, noise_db);
    // A DC offset and a rumble 6 and 12 dB under the speech.
    let speech_amp = 10f64.powf(speech_db / 20.0);
    signal.add_dc_and_rumble((speech_amp / 2.0) as f32, 20.0, speech_amp / 4.0);
    let seconds = |i: usize| i as f64 / f64::from(rate);
    (
        Mono {
            rate,
            samples: signal.samples,
        },
        seconds(start),
        seconds(end),
    )
}

/// As a WAV would hold it.
fn quantised(samples: &[f32]) -> Vec<f32> {
    samples
        .iter()
        .map(|&s| f32::from(soothe_core::encode::wav::pcm16(s)) / 32768.0)
        .collect()
}

#[test]
fn takes_at_every_level_and_rate_come_out_trimmed_at_minus_18_lufs_under_minus_1_dbfs() {
    let mut loudnesses = Vec::new();
    for (i, rate) in [16_000u32, 22_050, 44_100, 48_000].into_iter().enumerate() {
        for (j, speech_db) in [-45.0, -30.0, -18.0, -12.0].into_iter().enumerate() {
            let case = format!("{rate} Hz, speech at {speech_db} dBFS");
            let (raw, start, end) = take(rate, speech_db, (i * 4 + j) as u64 + 1);
            let done =
                process::process(&raw, SESSION_RATE).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(done.audio.rate, SESSION_RATE, "{case}");
            assert!(!done.clipped, "{case}");
            let saved = quantised(&done.audio.samples);

            // Loudness, measured independently, and the peak limit.
            let (integrated, true_peak) = loudness(&saved, SESSION_RATE);
            assert!(
                (integrated + 18.0).abs() <= 0.5,
                "{case}: {integrated:.2} LUFS"
            );
            assert!(
                peak_db(&saved) <= -1.0,
                "{case}: sample peak {:.2} dBFS",
                peak_db(&saved)
            );
            assert!(true_peak <= -0.95, "{case}: true peak {true_peak:.2} dBTP");
            loudnesses.push(integrated);

            // Trimmed to the speech plus a short margin at each end.
            let length = saved.len() as f64 / f64::from(SESSION_RATE);
            let expected = (end - start) + LEAD_MARGIN_SECONDS + TAIL_MARGIN_SECONDS;
            let (first, last) = speech_span(&saved, SESSION_RATE);
            let lead = first as f64 / f64::from(SESSION_RATE);
            let tail = (saved.len() - last) as f64 / f64::from(SESSION_RATE);
            assert!(
                (length - expected).abs() < 0.05,
                "{case}: {length:.3} s, expected {expected:.3} s"
            );
            assert!(
                (lead - LEAD_MARGIN_SECONDS).abs() < 0.04,
                "{case}: speech starts at {lead:.3} s"
            );
            assert!(
                (tail - TAIL_MARGIN_SECONDS).abs() < 0.04,
                "{case}: {tail:.3} s after the speech"
            );

            // Faded in and out; no DC left.
            assert!(
                saved[0].abs() < 1e-3 && saved[saved.len() - 1].abs() < 1e-3,
                "{case}"
            );
            let mean = saved.iter().map(|&s| f64::from(s)).sum::<f64>() / saved.len() as f64;
            assert!(mean.abs() < 1e-3, "{case}: DC {mean}");
        }
    }
    let spread = loudnesses.iter().copied().fold(f64::MIN, f64::max)
        - loudnesses.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        spread <= 1.0,
        "all takes match within 1 LU, not {spread:.2}"
    );
}

#[test]
fn rumble_below_the_voice_is_removed() {
    let (raw, _, _) = take(48_000, -20.0, 9);
    let done = process::process(&raw, SESSION_RATE).unwrap();
    // The rumble was 20 Hz, 12 dB under the speech (-32 dBFS), before a
    // gain of about +4 dB; measure what is left of it with a Goertzel filter.
    let samples = &done.audio.samples;
    let w = 2.0 * std::f64::consts::PI * 20.0 / f64::from(SESSION_RATE);
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in samples {
        let s0 = f64::from(x) + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2;
    let amplitude = 2.0 * power.sqrt() / samples.len() as f64;
    let db = 20.0 * amplitude.log10();
    assert!(db < -60.0, "20 Hz rumble left at {db:.1} dBFS");
}

#[test]
fn resampling_keeps_the_pitch() {
    // Syllables of a pure 1 kHz tone at 22,050 Hz; in the 48 kHz take the
    // tone must still cross zero 2,000 times a second.
    let rate = 22_050;
    let mut samples = Vec::new();
    let mut signal = Signal::seeded(rate, 3);
    signal.noise(0.5, -70.0);
    samples.extend(signal.samples);
    for _ in 0..4 {
        let n = rate as usize * 3 / 10;
        samples.extend((0..n).map(|i| {
            let t = i as f64 / n as f64;
            let env = (std::f64::consts::PI * t).sin().powi(2);
            (0.3 * env * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / f64::from(rate)).sin())
                as f32
        }));
        samples.extend(std::iter::repeat_n(0.0f32, rate as usize / 10));
    }
    samples.extend(std::iter::repeat_n(0.0f32, rate as usize));
    let done = process::process(&Mono { rate, samples }, SESSION_RATE).unwrap();
    let out = &done.audio.samples;
    // The middle 200 ms of the first syllable.
    let (first, _) = speech_span(out, SESSION_RATE);
    let middle = &out[first + 2_400..first + 2_400 + 9_600];
    let crossings = middle
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    assert!(
        (crossings as i64 - 400).abs() <= 2,
        "{crossings} zero crossings in 200 ms"
    );
}

#[test]
fn plosive_peaks_are_limited_without_changing_the_loudness() {
    let rate = 48_000;
    let mut signal = Signal::seeded(rate, 5);
    signal.noise(0.5, -60.0);
    signal.speech(3.0, -26.0, -60.0);
    signal.noise(2.0, -60.0);
    // "p" and "b" bursts: short, far above the rest.
    for at in [30_000usize, 70_000, 110_000, 150_000] {
        for k in 0..240 {
            let decay = (-(k as f32) / 40.0).exp();
            signal.samples[at + k] += 0.7 * decay * if (k / 6) % 2 == 0 { 1.0 } else { -1.0 };
        }
    }
    let raw = Mono {
        rate,
        samples: signal.samples,
    };
    let done = process::process(&raw, SESSION_RATE).unwrap();
    let saved = quantised(&done.audio.samples);
    let (integrated, true_peak) = loudness(&saved, SESSION_RATE);
    assert!((integrated + 18.0).abs() <= 0.5, "{integrated:.2} LUFS");
    assert!(
        peak_db(&saved) <= -1.0 && true_peak <= -0.95,
        "peaks {:.2} dBFS, {true_peak:.2} dBTP",
        peak_db(&saved)
    );
}

#[test]
fn silence_and_steady_noise_are_no_speech() {
    let rate = 44_100;
    let silence = Mono {
        rate,
        samples: vec![0.0; rate as usize * 4],
    };
    assert_eq!(
        process::process(&silence, SESSION_RATE).unwrap_err(),
        ProcessError::NoSpeech
    );
    for db in [-60.0, -30.0, -10.0] {
        let mut noise = Signal::seeded(rate, 11);
        noise.noise(4.0, db);
        let noise = Mono {
            rate,
            samples: noise.samples,
        };
        assert_eq!(
            process::process(&noise, SESSION_RATE).unwrap_err(),
            ProcessError::NoSpeech,
            "noise at {db} dBFS"
        );
    }
    let empty = Mono {
        rate,
        samples: Vec::new(),
    };
    assert_eq!(
        process::process(&empty, SESSION_RATE).unwrap_err(),
        ProcessError::NoSpeech
    );
}

#[test]
fn clipped_and_very_quiet_takes_are_flagged_but_kept() {
    let (mut raw, _, _) = take(48_000, -12.0, 21);
    for s in raw.samples.iter_mut() {
        *s = (*s * 6.0).clamp(-1.0, 1.0);
    }
    let done = process::process(&raw, SESSION_RATE).unwrap();
    assert!(done.clipped && !done.quiet);
    assert!(peak_db(&quantised(&done.audio.samples)) <= -1.0);

    let (raw, _, _) = take(48_000, -58.0, 22);
    let done = process::process(&raw, SESSION_RATE).unwrap();
    assert!(done.quiet && !done.clipped, "gain {:.1} dB", done.gain_db);
    let (integrated, _) = loudness(&quantised(&done.audio.samples), SESSION_RATE);
    assert!((integrated + 18.0).abs() <= 0.5, "{integrated:.2} LUFS");
}

#[test]
fn a_session_at_another_rate_gets_takes_at_that_rate() {
    let (raw, start, end) = take(44_100, -20.0, 31);
    let done = process::process(&raw, 22_050).unwrap();
    assert_eq!(done.audio.rate, 22_050);
    let length = done.audio.samples.len() as f64 / 22_050.0;
    let expected = (end - start) + LEAD_MARGIN_SECONDS + TAIL_MARGIN_SECONDS;
    assert!(
        (length - expected).abs() < 0.05,
        "{length:.3} s, expected {expected:.3} s"
    );
    let (integrated, _) = loudness(&quantised(&done.audio.samples), 22_050);
    assert!((integrated + 18.0).abs() <= 0.5, "{integrated:.2} LUFS");
}
