//! Recording one take from an input: listening until the parent has spoken
//! and fallen silent, has gone on too long, asks to stop, or said nothing.
//!
//! The input is a trait so that the loop runs the same against a real
//! microphone ([`super::capture`]) and against samples in a test.

use std::time::{Duration, Instant};

use super::speech::{Limits, SpeechDetector, Stop};
use crate::sound::audio::Mono;

/// If an input sends nothing for this long, it has stopped working.
pub const INPUT_STALL: Duration = Duration::from_secs(2);
/// How long one read waits for sound before looking at the stop request.
const POLL: Duration = Duration::from_millis(20);

/// Somewhere sound comes from, as mono f32.
pub trait SoundInput {
    /// Its sample rate.
    fn rate(&self) -> u32;
    /// Appends whatever has arrived to `out`, waiting up to `wait` for
    /// something; `Ok(0)` when nothing came.
    fn read(&mut self, out: &mut Vec<f32>, wait: Duration) -> Result<usize, InputError>;
    /// Samples lost so far because they came faster than they were read.
    fn lost(&self) -> u64;
    /// Throws away what has arrived and not been read.
    fn discard(&mut self);
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the microphone stopped working: {0}")]
    Failed(String),
}

/// Why a take could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListenError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("the microphone sent no sound for {} s", INPUT_STALL.as_secs())]
    Stalled,
    #[error(
        "{0} ms of sound were lost while recording (the computer was too busy); nothing was saved"
    )]
    Lost(u64),
}

/// How a take ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeEnd {
    /// Speech, then silence.
    Silence,
    /// The maximum length.
    MaxLength,
    /// The parent asked to stop (Enter) after speaking.
    Asked,
    /// Nothing but silence or steady noise.
    NoSpeech,
}

/// What has been heard so far in a take, after each piece of sound: for a
/// level meter, and to tell a parent when nothing is coming in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TakeProgress {
    /// The loudest sample of the latest piece, in dBFS.
    pub peak_db: f64,
    /// Samples heard in this take so far (at the input's rate).
    pub samples: u64,
    /// Whether speech has been heard in this take.
    pub speech: bool,
}

/// A take as recorded.
#[derive(Debug, Clone)]
pub struct RawTake {
    pub audio: Mono,
    pub ending: TakeEnd,
}

/// Takes one after another from an input. Sound that arrives after a take
/// has ended is kept for the next one, unless [`TakeListener::discard`] is
/// called (on a terminal, the next take starts after a countdown).
///
/// A take is refused if the input lost any sound since the previous take
/// ended (or since the last discard): the loss may lie after the take's
/// end, but a take with a hole in it is never saved.
pub struct TakeListener<I: SoundInput> {
    input: I,
    pending: Vec<f32>,
    lost_seen: u64,
    /// The clock a stall is measured on: [`Instant::now`], or a test's.
    now: Box<dyn Fn() -> Instant>,
}

impl<I: SoundInput> TakeListener<I> {
    pub fn new(input: I) -> TakeListener<I> {
        TakeListener::with_clock(input, Box::new(Instant::now))
    }

    /// A listener whose stalls are timed by `now` instead of the real
    /// clock (for tests whose input is faster or slower than real time).
    pub fn with_clock(input: I, now: Box<dyn Fn() -> Instant>) -> TakeListener<I> {
        TakeListener {
            lost_seen: input.lost(),
            input,
            pending: Vec::new(),
            now,
        }
    }

    pub fn rate(&self) -> u32 {
        self.input.rate()
    }

    /// Forgets everything heard so far.
    pub fn discard(&mut self) {
        self.pending.clear();
        self.input.discard();
        self.lost_seen = self.input.lost();
    }

    /// Records one take; `stop_asked` is polled every 20 ms or so, and
    /// `heard` told of every piece of sound as it comes.
    pub fn take(
        &mut self,
        limits: Limits,
        mut stop_asked: impl FnMut() -> bool,
        mut heard: impl FnMut(TakeProgress),
    ) -> Result<RawTake, ListenError> {
        let rate = self.input.rate();
        let mut detector = SpeechDetector::new(rate, limits);
        let mut samples: Vec<f32> = Vec::new();
        let mut fresh = std::mem::take(&mut self.pending);
        let mut last_sound = (self.now)();
        let ending = loop {
            if !fresh.is_empty() {
                last_sound = (self.now)();
                let ended = detector.push(&fresh);
                let used = ended.map_or(fresh.len(), |(_, used)| used);
                let peak = fresh[..used].iter().fold(0f32, |m, s| m.max(s.abs()));
                heard(TakeProgress {
                    peak_db: 20.0 * f64::from(peak.max(1e-10)).log10(),
                    samples: (samples.len() + used) as u64,
                    speech: detector.heard_speech(),
                });
                if let Some((stop, used)) = ended {
                    samples.extend_from_slice(&fresh[..used]);
                    self.pending = fresh.split_off(used);
                    break match stop {
                        Stop::Silence => TakeEnd::Silence,
                        Stop::MaxLength => TakeEnd::MaxLength,
                        Stop::NoSpeech => TakeEnd::NoSpeech,
                    };
                }
                samples.append(&mut fresh);
            }
            if stop_asked() {
                break if detector.heard_speech() {
                    TakeEnd::Asked
                } else {
                    TakeEnd::NoSpeech
                };
            }
            if (self.now)().duration_since(last_sound) >= INPUT_STALL {
                return Err(ListenError::Stalled);
            }
            self.input.read(&mut fresh, POLL)?;
        };
        let lost_now = self.input.lost();
        let lost = lost_now - self.lost_seen;
        self.lost_seen = lost_now;
        if lost > 0 {
            return Err(ListenError::Lost(lost * 1000 / u64::from(rate.max(1))));
        }
        Ok(RawTake {
            audio: Mono { rate, samples },
            ending,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::take::testsignal::Signal;

    /// Sound that arrives in pieces, as fast as it is read. Once it runs
    /// dry, each read waits: for real, or on `waited` (a test's clock).
    struct Fake {
        rate: u32,
        chunks: std::collections::VecDeque<Vec<f32>>,
        lost: u64,
        served: usize,
        lose_at: Option<usize>,
        waited: Option<std::rc::Rc<std::cell::Cell<Duration>>>,
    }

    impl Fake {
        fn new(samples: &[f32], rate: u32) -> Fake {
            Fake {
                rate,
                chunks: samples.chunks(480).map(<[f32]>::to_vec).collect(),
                lost: 0,
                served: 0,
                lose_at: None,
                waited: None,
            }
        }
    }

    impl SoundInput for Fake {
        fn rate(&self) -> u32 {
            self.rate
        }
        fn read(&mut self, out: &mut Vec<f32>, wait: Duration) -> Result<usize, InputError> {
            match self.chunks.pop_front() {
                Some(chunk) => {
                    self.served += 1;
                    if self.lose_at == Some(self.served) {
                        self.lost += 4_800;
                    }
                    out.extend_from_slice(&chunk);
                    Ok(chunk.len())
                }
                None => {
                    match &self.waited {
                        Some(waited) => waited.set(waited.get() + wait),
                        None => std::thread::sleep(wait),
                    }
                    Ok(0)
                }
            }
        }
        fn lost(&self) -> u64 {
            self.lost
        }
        fn discard(&mut self) {
            self.chunks.clear();
        }
    }

    #[test]
    fn takes_follow_one_another_without_losing_a_sample() {
        let rate = 16_000;
        let mut signal = Signal::new(rate);
        signal.noise(0.4, -60.0);
        let first_end = signal.speech(1.2, -20.0, -60.0);
        signal.noise(1.8, -60.0);
        signal.speech(1.0, -25.0, -60.0);
        signal.noise(2.0, -60.0);
        let mut listener = TakeListener::new(Fake::new(&signal.samples, rate));
        let first = listener.take(Limits::at(rate), || false, |_| {}).unwrap();
        assert_eq!(first.ending, TakeEnd::Silence);
        let second = listener.take(Limits::at(rate), || false, |_| {}).unwrap();
        assert_eq!(second.ending, TakeEnd::Silence);
        let joined: Vec<f32> = first
            .audio
            .samples
            .iter()
            .chain(&second.audio.samples)
            .copied()
            .collect();
        assert_eq!(joined[..], signal.samples[..joined.len()]);
        // Each ends 1.5 s (24,000 samples) after its last word, to the frame.
        let after = first.audio.samples.len() - first_end;
        assert!(
            after.abs_diff(24_000) <= 320,
            "the first take ends {after} samples after its speech"
        );
    }

    #[test]
    fn a_stop_request_keeps_a_take_with_speech_and_refuses_one_without() {
        let rate = 48_000;
        let mut signal = Signal::new(rate);
        signal.noise(0.2, -60.0);
        signal.speech(1.0, -20.0, -60.0);
        signal.noise(0.5, -60.0);
        let mut polls = 0;
        let mut listener = TakeListener::new(Fake::new(&signal.samples, rate));
        let take = listener
            .take(
                Limits::at(rate),
                || {
                    polls += 1;
                    polls > 150
                },
                |_| {},
            )
            .unwrap();
        assert_eq!(take.ending, TakeEnd::Asked);

        let quiet = crate::take::testsignal::noise(rate, 48_000, -50.0, 1);
        let mut listener = TakeListener::new(Fake::new(&quiet, rate));
        let mut polls = 0;
        let take = listener
            .take(
                Limits::at(rate),
                || {
                    polls += 1;
                    polls > 50
                },
                |_| {},
            )
            .unwrap();
        assert_eq!(take.ending, TakeEnd::NoSpeech);
    }

    #[test]
    fn an_input_that_goes_quiet_is_a_stall() {
        let rate = 48_000;
        // The input's waits pass on a clock of the test's own: no real
        // two-second wait, and no deadline a loaded machine can miss.
        let waited = std::rc::Rc::new(std::cell::Cell::new(Duration::ZERO));
        let mut input = Fake::new(&[0.0; 4_800], rate);
        input.waited = Some(waited.clone());
        let start = Instant::now();
        let clock = waited.clone();
        let mut listener = TakeListener::with_clock(input, Box::new(move || start + clock.get()));
        assert_eq!(
            listener
                .take(Limits::at(rate), || false, |_| {})
                .unwrap_err(),
            ListenError::Stalled
        );
        assert!(waited.get() >= INPUT_STALL, "{:?}", waited.get());
        assert!(
            waited.get() < INPUT_STALL + Duration::from_millis(500),
            "{:?}",
            waited.get()
        );
    }

    #[test]
    fn sound_lost_during_a_take_spoils_it_but_earlier_losses_do_not() {
        let rate = 48_000;
        let mut signal = Signal::new(rate);
        signal.speech(1.0, -20.0, -60.0);
        signal.noise(2.0, -60.0);
        let mut fake = Fake::new(&signal.samples, rate);
        fake.lost = 96_000; // before this take: not its concern
        fake.lose_at = Some(20);
        let mut listener = TakeListener::new(fake);
        // 4,800 samples at 48 kHz are 100 ms.
        assert_eq!(
            listener
                .take(Limits::at(rate), || false, |_| {})
                .unwrap_err(),
            ListenError::Lost(100)
        );
    }

    #[test]
    fn what_is_heard_is_told_piece_by_piece_up_to_the_end_of_the_take() {
        let rate = 48_000;
        let mut signal = Signal::new(rate);
        signal.noise(6.0, -60.0);
        signal.speech(1.0, -20.0, -60.0);
        signal.noise(2.0, -60.0);
        let mut listener = TakeListener::new(Fake::new(&signal.samples, rate));
        let mut told: Vec<TakeProgress> = Vec::new();
        let take = listener
            .take(Limits::at(rate), || false, |heard| told.push(heard))
            .unwrap();
        assert_eq!(take.ending, TakeEnd::Silence);
        // Counted in samples, the last count is the take's length.
        assert_eq!(
            told.last().map(|h| h.samples),
            Some(take.audio.samples.len() as u64)
        );
        assert!(told.windows(2).all(|w| w[0].samples < w[1].samples));
        // The room at -60 dB, silent for 6 s: no speech yet, and quiet
        // peaks; then speech, louder.
        let at_5_s = told.iter().find(|h| h.samples >= 5 * 48_000).unwrap();
        assert!(!at_5_s.speech && at_5_s.peak_db < -40.0, "{at_5_s:?}");
        let last = told.last().unwrap();
        assert!(last.speech, "{last:?}");
        assert!(told.iter().any(|h| h.peak_db > -30.0));
    }
}
