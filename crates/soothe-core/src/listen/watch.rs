//! The verdict on what the microphone hears, one way for both commands:
//! `play --listen` (soothe's `src/listening.rs`), which holds the session on it, and
//! `soothe listen`, which says whether `play --listen` would. Each piece
//! of the microphone is paired with what soothe played over the same
//! stretch of time (silence when nothing plays: `soothe listen`, or a
//! session paused), heard by one [`Listener`], and a cry is reported once
//! when it begins: crying must stop before another one is.

use std::time::Duration;

use super::{Hearing, Listener, Sensitivity};

/// How long one read of the microphone waits for sound.
pub const POLL: Duration = Duration::from_millis(20);

/// Samples of a microphone at `rate` Hz in one [`POLL`] (at least one): the
/// piece a recording, or a read that brought more, is heard in.
pub fn poll_samples(rate: u32) -> usize {
    ((u128::from(rate) * POLL.as_millis() / 1000) as usize).max(1)
}

/// Hears a microphone, knowing what soothe plays.
pub struct Watch {
    listener: Listener,
    mic_rate: u32,
    reference_rate: u32,
    /// Samples of the reference owed, less than one, between pieces.
    owed: f64,
    reference: Vec<f32>,
    /// Crying began and has not been taken ([`Watch::take_cry`]).
    cry: bool,
    /// The listener's count of cries begun, as far as it was looked at.
    onsets_seen: u64,
}

impl Watch {
    /// A watch over a microphone at `mic_rate` Hz, whose reference (what
    /// soothe plays) comes at `reference_rate` Hz, taking sounds for
    /// crying as readily as `sensitivity` says.
    pub fn new(mic_rate: u32, reference_rate: u32, sensitivity: Sensitivity) -> Watch {
        Watch {
            listener: Listener::with_tuning(mic_rate, reference_rate, sensitivity.tuning()),
            mic_rate,
            reference_rate,
            owed: 0.0,
            reference: Vec::new(),
            cry: false,
            onsets_seen: 0,
        }
    }

    /// Hears `mic`, the latest piece of the microphone; `played` fills
    /// what soothe played over the same stretch, as many samples at the
    /// reference's rate as the slice it is given (left as silence if
    /// nothing played). Returns what is heard now.
    pub fn hear(&mut self, mic: &[f32], played: impl FnOnce(&mut [f32])) -> Hearing {
        self.owed +=
            mic.len() as f64 * f64::from(self.reference_rate) / f64::from(self.mic_rate.max(1));
        let n = self.owed.floor() as usize;
        self.owed -= n as f64;
        self.reference.clear();
        self.reference.resize(n, 0.0);
        played(&mut self.reference);
        let hearing = self.listener.push(mic, &self.reference);
        // Counted frame by frame, not from the hearing at the piece's end:
        // a late read may hold a whole cry that is over by its end.
        let onsets = self.listener.crying_onsets();
        if onsets > self.onsets_seen {
            self.onsets_seen = onsets;
            self.cry = true;
        } else if hearing != Hearing::Crying {
            self.cry = false;
        }
        hearing
    }

    /// Whether crying has begun since it was last taken: once per cry,
    /// for whoever acts on it (a session holds; `soothe listen` says so).
    /// A cry left untaken until crying stops is gone.
    pub fn take_cry(&mut self) -> bool {
        std::mem::take(&mut self.cry)
    }

    /// The listener, for its level and how long it has heard.
    pub fn listener(&self) -> &Listener {
        &self.listener
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::take::testsignal::Signal;

    /// A cry from soothe's fixtures at 48 kHz, after 2 s of a quiet room.
    fn room_then_cry() -> Vec<f32> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../tests/fixtures/cries/7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav",
        );
        let mut reader = hound::WavReader::open(path).unwrap();
        let rate = reader.spec().sample_rate as usize;
        let cry: Vec<f32> = reader
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) / 32768.0)
            .collect();
        let mut signal = Signal::seeded(48_000, 3);
        signal.noise(2.0, -65.0);
        let mut x = signal.samples;
        // Each 8 kHz sample held for the 48 kHz ones it spans.
        x.extend((0..cry.len() * 48_000 / rate).map(|i| cry[i * rate / 48_000]));
        x
    }

    const RATE: u32 = 48_000;

    /// The times (s) `x` at 48 kHz, heard in 20 ms pieces with nothing
    /// playing, was crying.
    fn crying_at(x: &[f32]) -> Vec<f64> {
        crying_at_level(x, Sensitivity::Normal)
    }

    fn crying_at_level(x: &[f32], sensitivity: Sensitivity) -> Vec<f64> {
        let mut watch = Watch::new(RATE, RATE, sensitivity);
        x.chunks(960)
            .enumerate()
            .filter(|(_, piece)| watch.hear(piece, |_| {}) == Hearing::Crying)
            .map(|(k, _)| (k + 1) as f64 * 0.02)
            .collect()
    }

    /// `seconds` of a sine at `hz`, `db` dBFS RMS.
    fn tone(hz: f64, db: f64, seconds: f64) -> Vec<f32> {
        let amplitude = 10f64.powf(db / 20.0) * 2f64.sqrt();
        (0..(seconds * f64::from(RATE)) as usize)
            .map(|i| {
                let t = i as f64 / f64::from(RATE);
                (amplitude * (2.0 * std::f64::consts::PI * hz * t).sin()) as f32
            })
            .collect()
    }

    /// A constant `db` dBFS.
    fn offset(db: f64, seconds: f64) -> Vec<f32> {
        vec![10f64.powf(db / 20.0) as f32; (seconds * f64::from(RATE)) as usize]
    }

    #[test]
    fn a_higher_sensitivity_hears_the_same_cry_sooner_and_longer() {
        let x = room_then_cry();
        let [low, normal, high] = Sensitivity::ALL.map(|s| crying_at_level(&x, s));
        // The cry begins 2 s in: every level hears it, a busy room's
        // latest (about 2.4 s after it begins, 1.6 s at normal).
        let first = |at: &[f64]| at.first().copied().expect("crying heard");
        assert!(first(&low) > first(&normal), "{low:?} {normal:?}");
        assert!(first(&normal) >= first(&high), "{normal:?} {high:?}");
        assert!(first(&low) < 4.5, "{low:?}");
        assert!(low.len() < normal.len() && normal.len() <= high.len());
    }

    #[test]
    fn a_silent_microphone_with_a_dc_offset_is_not_crying() {
        // -41 dBFS was "I can hear crying" at 1.7 s: a perfect period to
        // the pitch, and 19 dB over the first floor.
        for db in [-60.0, -41.0, -20.0, -6.0] {
            assert_eq!(crying_at(&offset(db, 10.0)), Vec::<f64>::new(), "{db} dBFS");
        }
        let mut quiet = Signal::seeded(RATE, 5);
        quiet.noise(10.0, -70.0);
        let dc = 10f32.powf(-41.0 / 20.0);
        let x: Vec<f32> = quiet.samples.iter().map(|s| s + dc).collect();
        assert_eq!(crying_at(&x), Vec::<f64>::new());
    }

    #[test]
    fn a_step_of_dc_offset_is_not_crying() {
        // Quiet, then an offset from 3 s on (a plug, a gain change): it was
        // crying 1.8 s after the step.
        for db in [-41.0, -20.0] {
            let mut x = vec![0.0; 3 * RATE as usize];
            x.extend(offset(db, 7.0));
            assert_eq!(crying_at(&x), Vec::<f64>::new(), "a step to {db} dBFS");
            // And back down again.
            x.extend(vec![0.0; 3 * RATE as usize]);
            assert_eq!(
                crying_at(&x),
                Vec::<f64>::new(),
                "a step to {db} dBFS and back"
            );
        }
    }

    #[test]
    fn a_steady_quiet_tone_is_not_crying() {
        // 1.5 and 3 kHz tones were crying 1.3 to 1.8 s after listening
        // began: pitched where a cry squeals, and over the first floor.
        for hz in [1_000.0, 1_500.0, 3_000.0] {
            for db in [-50.0, -40.0, -30.0] {
                assert_eq!(
                    crying_at(&tone(hz, db, 10.0)),
                    Vec::<f64>::new(),
                    "{hz} Hz at {db} dBFS"
                );
            }
        }
    }

    #[test]
    fn a_steady_whistle_switched_on_after_the_room_is_known_is_not_crying() {
        // A 1.5 or 3 kHz whistle at -40 dBFS after 3 s of quiet was
        // "crying" 1.6 to 1.8 s after it began: to a model that had never
        // heard one, a pure tone was a cry's squeal.
        for hz in [700.0, 1_500.0, 3_000.0] {
            for db in [-40.0, -25.0] {
                let mut quiet = Signal::seeded(RATE, 6);
                quiet.noise(3.0, -70.0);
                let mut x = quiet.samples;
                x.extend(tone(hz, db, 7.0));
                assert_eq!(crying_at(&x), Vec::<f64>::new(), "{hz} Hz at {db} dBFS");
            }
        }
    }

    #[test]
    fn a_real_cry_clipped_at_the_microphone_is_still_crying() {
        // Twelve times too loud for the microphone: flat at full scale
        // through every burst.
        let x: Vec<f32> = room_then_cry()
            .iter()
            .map(|s| (s * 12.0).clamp(-1.0, 1.0))
            .collect();
        let first = crying_at(&x).first().copied();
        assert!(
            first.is_some_and(|t| (2.0..=5.0).contains(&t)),
            "crying first at {first:?} s"
        );
    }

    #[test]
    fn a_microphone_clipping_at_full_scale_is_not_crying() {
        // Stuck at the rail: it was crying 1.2 s after listening began.
        assert_eq!(crying_at(&offset(0.0, 10.0)), Vec::<f64>::new());
        let negative: Vec<f32> = offset(0.0, 10.0).iter().map(|s| -s).collect();
        assert_eq!(crying_at(&negative), Vec::<f64>::new());
        // Thrown to the rail after 3 s.
        let mut x = vec![0.0; 3 * RATE as usize];
        x.extend(offset(0.0, 7.0));
        assert_eq!(crying_at(&x), Vec::<f64>::new());
        // A mains hum 12 dB too loud for it, clipped flat.
        let clipped: Vec<f32> = tone(50.0, 9.0, 10.0)
            .iter()
            .map(|s| s.clamp(-1.0, 1.0))
            .collect();
        assert_eq!(crying_at(&clipped), Vec::<f64>::new());
    }

    #[test]
    fn a_real_cry_is_crying_with_or_without_a_dc_offset() {
        let x = room_then_cry();
        let dc = 10f32.powf(-41.0 / 20.0);
        for (what, offset) in [
            ("no offset", 0.0),
            ("a -41 dBFS offset", dc),
            ("-0.1", -0.1),
        ] {
            let heard: Vec<f32> = x.iter().map(|s| s + offset).collect();
            let first = crying_at(&heard).first().copied();
            // The cry begins at 2 s.
            assert!(
                first.is_some_and(|t| (2.0..=5.0).contains(&t)),
                "{what}: crying first at {first:?} s"
            );
        }
    }

    #[test]
    fn a_cry_is_taken_once_and_again_only_after_crying_stopped() {
        let x = room_then_cry();
        let mut watch = Watch::new(48_000, 48_000, Sensitivity::Normal);
        let mut taken = 0;
        for piece in x.chunks(960).chain(x.chunks(960)) {
            watch.hear(piece, |_| {});
            taken += usize::from(watch.take_cry());
        }
        // Once per cry: the recording played twice, with the room's
        // quiet between.
        assert_eq!(taken, 2);
    }

    #[test]
    fn a_cry_not_taken_while_it_lasts_is_not_taken_after() {
        let x = room_then_cry();
        let mut watch = Watch::new(48_000, 48_000, Sensitivity::Normal);
        let mut crying = false;
        for piece in x.chunks(960) {
            crying |= watch.hear(piece, |_| {}) == Hearing::Crying;
        }
        assert!(crying);
        let mut quiet = Signal::seeded(48_000, 4);
        quiet.noise(8.0, -65.0);
        for piece in quiet.samples.chunks(960) {
            watch.hear(piece, |_| {});
        }
        assert!(!watch.take_cry());
    }

    #[test]
    fn regression_a_cry_over_by_the_end_of_one_late_read_is_still_taken() {
        // On a busy machine `soothe listen` said "No crying was heard" of a
        // cry its reads never ended in: only the hearing at the end of each
        // read was looked at. Here the whole cry, over by its end, is one.
        let mut x = room_then_cry();
        let mut quiet = Signal::seeded(RATE, 7);
        quiet.noise(4.0, -65.0);
        x.extend(quiet.samples);
        for sensitivity in Sensitivity::ALL {
            let mut watch = Watch::new(RATE, RATE, sensitivity);
            let hearing = watch.hear(&x, |_| {});
            assert_ne!(hearing, Hearing::Crying, "{sensitivity:?}: over by the end");
            assert!(watch.take_cry(), "{sensitivity:?}: the cry in the read");
            assert!(!watch.take_cry(), "{sensitivity:?}: taken once");
            // Nor is it taken again by the next read.
            watch.hear(&[0.0; 960], |_| {});
            assert!(!watch.take_cry(), "{sensitivity:?}: not taken again");
        }
    }

    #[test]
    fn a_poll_is_20_ms_of_samples_at_any_rate() {
        assert_eq!(poll_samples(48_000), 960);
        assert_eq!(poll_samples(44_100), 882);
        assert_eq!(poll_samples(8_000), 160);
        assert_eq!(poll_samples(0), 1);
    }

    #[test]
    fn the_reference_covers_the_same_stretch_at_its_own_rate() {
        let mut watch = Watch::new(44_100, 48_000, Sensitivity::Normal);
        let mut asked = 0;
        for _ in 0..100 {
            watch.hear(&[0.0; 441], |reference| asked += reference.len());
        }
        // 1 s of microphone at 44.1 kHz: 1 s of reference at 48 kHz.
        assert_eq!(asked, 48_000);
    }
}
