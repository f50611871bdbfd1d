//! The session source: one `rodio::Source` that plays a timeline. It is
//! the one clock of a session: voice, chimes, pause and jumps all happen
//! here, at exact sample positions, and `render` pulls from the very same
//! source that the speakers do.

use std::num::NonZero;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::Thread;
use std::time::Duration;

use crate::first_error::FirstError;
use crate::sounds::Sounds;
use crate::timeline::{EventKind, Timeline};

/// Samples produced per block. Controls take effect between blocks, so
/// at 48 kHz a pause or a jump lands within about 11 ms.
pub const BLOCK: usize = 512;
/// A prompt or chime cut short fades out over this long instead of clicking.
pub const FADE_SECONDS: f64 = 0.012;
/// A hold ([`Control::hold`]) fades the session out over this long...
pub const HOLD_FADE_SECONDS: f64 = 0.6;
/// ...and says its interjection after this much silence.
pub const HOLD_GAP_SECONDS: f64 = 0.4;

/// The levels of a session's two layers, in dB (0 dB leaves a sound as it
/// is): `--voice-gain` and `--chime-gain`, moved by + and - while playing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    pub voice_db: f64,
    pub chime_db: f64,
}

impl Levels {
    pub const UNITY: Levels = Levels {
        voice_db: 0.0,
        chime_db: 0.0,
    };

    /// The quietest and loudest levels offered, in dB.
    pub const RANGE_DB: std::ops::RangeInclusive<f64> = -60.0..=12.0;

    pub fn from_db(voice_db: f64, chime_db: f64) -> Levels {
        Levels { voice_db, chime_db }
    }

    /// The voice's level as a linear gain.
    pub fn voice_gain(&self) -> f32 {
        gain(self.voice_db)
    }

    /// The chimes' level as a linear gain.
    pub fn chime_gain(&self) -> f32 {
        gain(self.chime_db)
    }
}

fn gain(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

/// Shared between the source and whoever controls it (keys, media keys).
#[derive(Debug)]
pub struct Control {
    paused: AtomicBool,
    stopped: AtomicBool,
    finished: AtomicBool,
    /// The last jump asked for: its serial number (counted from 1) in the
    /// high 32 bits, the step's index in the low ones; 0 before any.
    jump: AtomicU64,
    /// The serial number of the last jump that is being heard.
    jumped: AtomicU64,
    position: AtomicU64,
    /// How many samples have been heard: the clock's steps forward, not
    /// its jumps (see [`Control::heard`]).
    heard: AtomicU64,
    /// The serial number of the jump being heard at the last step of the
    /// clock.
    heard_jump: AtomicU64,
    /// The levels in dB, as the bits of two f64s.
    voice_db: AtomicU64,
    chime_db: AtomicU64,
    error: FirstError,
    /// Holds asked for (`play --listen` heard crying) and released (the
    /// parent pressed space or d): held while more were asked for.
    holds: AtomicU64,
    releases: AtomicU64,
    /// The thread that plays ahead of the device, woken by every change.
    feeder: OnceLock<Thread>,
}

impl Control {
    pub fn new(levels: Levels) -> Arc<Control> {
        Arc::new(Control {
            paused: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            jump: AtomicU64::new(0),
            jumped: AtomicU64::new(0),
            position: AtomicU64::new(0),
            heard: AtomicU64::new(0),
            heard_jump: AtomicU64::new(0),
            voice_db: AtomicU64::new(levels.voice_db.to_bits()),
            chime_db: AtomicU64::new(levels.chime_db.to_bits()),
            error: FirstError::new(),
            holds: AtomicU64::new(0),
            releases: AtomicU64::new(0),
            feeder: OnceLock::new(),
        })
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
        self.wake();
    }

    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Holds the session where it is: what plays fades out over
    /// [`HOLD_FADE_SECONDS`], the clock stops, and the source's
    /// interjection is said (see [`SessionSource::with_interjection`]).
    /// It never goes on by itself: [`Control::release`] goes on from the
    /// very sample where the fade began. Nothing happens when already held.
    pub fn hold(&self) {
        let released = self.releases.load(Ordering::SeqCst);
        let _ =
            self.holds
                .compare_exchange(released, released + 1, Ordering::SeqCst, Ordering::SeqCst);
        self.wake();
    }

    /// Goes on after a [`Control::hold`] (the interjection, if still
    /// being said, stops).
    pub fn release(&self) {
        self.releases
            .store(self.holds.load(Ordering::SeqCst), Ordering::SeqCst);
        self.wake();
    }

    /// Whether the session is held (asked for, and not yet released).
    pub fn is_held(&self) -> bool {
        self.holds.load(Ordering::SeqCst) > self.releases.load(Ordering::SeqCst)
    }

    fn holds_and_releases(&self) -> (u64, u64) {
        (
            self.holds.load(Ordering::SeqCst),
            self.releases.load(Ordering::SeqCst),
        )
    }

    /// Ends the session: what is playing fades out over [`FADE_SECONDS`]
    /// (at once while paused, when nothing is heard anyway). On the sound
    /// card, it stops at once (see `output::writer`).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake();
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Whether the source has played its last sample (or was stopped).
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }

    /// Continues from the start of step `index`. While paused, the jump is
    /// made at once and the session stays paused.
    pub fn jump_to_step(&self, index: usize) {
        let step = u64::from(u32::try_from(index).unwrap_or(u32::MAX));
        let _ = self
            .jump
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some((((last >> 32) + 1) << 32) | step)
            });
        self.wake();
    }

    /// The last jump asked for, as (serial number, step index).
    pub(crate) fn jump_asked(&self) -> Option<(u64, usize)> {
        match self.jump.load(Ordering::SeqCst) {
            0 => None,
            jump => Some((jump >> 32, (jump & u64::from(u32::MAX)) as usize)),
        }
    }

    /// The jump with this serial number is being heard.
    pub(crate) fn set_jumped(&self, serial: u64) {
        self.jumped.store(serial, Ordering::SeqCst);
    }

    /// The step of a jump asked for that is not heard yet.
    pub fn pending_jump(&self) -> Option<usize> {
        self.jump_asked()
            .filter(|(serial, _)| *serial > self.jumped.load(Ordering::SeqCst))
            .map(|(_, step)| step)
    }

    /// The next sample the session will play: the one being heard, when it
    /// plays on the sound card (see `output::writer`).
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::SeqCst)
    }

    /// Moves the clock on. Only one side sets it (the source, or the far
    /// end of the ring it fills), after [`Control::set_jumped`] for a jump.
    pub(crate) fn set_position(&self, position: u64) {
        let before = self.position.swap(position, Ordering::SeqCst);
        let jumped = self.jumped.load(Ordering::SeqCst);
        let counted = self.heard_jump.swap(jumped, Ordering::SeqCst);
        if jumped == counted && position > before {
            self.heard.fetch_add(position - before, Ordering::SeqCst);
        }
    }

    /// How many samples of the session have been heard so far: what the
    /// clock moved on while playing, without pauses, and without what a
    /// jump skipped or played again.
    pub fn heard(&self) -> u64 {
        self.heard.load(Ordering::SeqCst)
    }

    pub(crate) fn set_finished(&self) {
        self.finished.store(true, Ordering::SeqCst);
    }

    pub fn set_gains(&self, levels: Levels) {
        self.voice_db
            .store(levels.voice_db.to_bits(), Ordering::SeqCst);
        self.chime_db
            .store(levels.chime_db.to_bits(), Ordering::SeqCst);
        self.wake();
    }

    pub fn gains(&self) -> Levels {
        Levels {
            voice_db: f64::from_bits(self.voice_db.load(Ordering::SeqCst)),
            chime_db: f64::from_bits(self.chime_db.load(Ordering::SeqCst)),
        }
    }

    /// The first thing that went wrong while playing, if anything did.
    pub fn error(&self) -> Option<String> {
        self.error.get().map(str::to_string)
    }

    fn report(&self, message: String) {
        self.error.report(|| message);
    }

    #[cfg(feature = "device")]
    /// The calling thread is the feeder (see [`crate::feed`]): every change
    /// wakes it, so that it makes the new samples at once.
    pub(crate) fn set_feeder(&self) {
        let _ = self.feeder.set(std::thread::current());
    }

    /// Wakes the thread that plays ahead (it has room again, or must act).
    pub(crate) fn wake(&self) {
        if let Some(feeder) = self.feeder.get() {
            feeder.unpark();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Voice,
    Chime,
}

/// A sound that is playing.
#[derive(Clone)]
struct Active {
    samples: Arc<[f32]>,
    layer: Layer,
    /// The next sample of `samples` to play.
    offset: usize,
    /// Where it ends (may be before the end of `samples`).
    len: usize,
    /// From here to `len` the sound fades out (`len` when it does not).
    fade_from: usize,
}

impl Active {
    fn cut_short(&mut self, len: usize, fade: usize) {
        if len < self.len {
            self.len = len;
            self.fade_from = len.saturating_sub(fade).max(self.offset.min(len));
        }
    }
}

pub struct SessionSource {
    timeline: Arc<Timeline>,
    sounds: Arc<Sounds>,
    control: Arc<Control>,
    /// The next sample of the timeline.
    position: u64,
    /// The first event not yet started.
    next_event: usize,
    active: Vec<Active>,
    fade_len: usize,
    block: Vec<f32>,
    block_len: usize,
    block_at: usize,
    /// Stopped: fading out what was playing.
    stopping: bool,
    /// How many samples the last [`SessionSource::fill`] moved the clock on.
    advanced: usize,
    /// Whether this source keeps the session's clock in its [`Control`]:
    /// not when it plays through a ring, whose far end does (and pauses,
    /// stops, and fades out what a jump cuts short: see [`crate::feed`]).
    keeps_clock: bool,
    /// The serial number of the last jump made.
    jumped: u64,
    /// Keeps every sample within full scale.
    limiter: crate::limiter::Limiter,
    /// The prompt a hold says, if any.
    interjection: Option<String>,
    /// While held: what is heard instead of the session (its fade-out,
    /// a gap, the interjection), then silence.
    held: Option<Held>,
    /// The holds and releases of the [`Control`] already acted on.
    holds_seen: (u64, u64),
    /// Where the samples played are told, by session position.
    tap: Option<Arc<crate::listen::Tap>>,
}

/// What a hold plays, and how far it has got.
struct Held {
    samples: Vec<f32>,
    at: usize,
}

impl SessionSource {
    pub fn new(
        timeline: Arc<Timeline>,
        sounds: Arc<Sounds>,
        control: Arc<Control>,
    ) -> SessionSource {
        let fade_len = crate::clock::samples(FADE_SECONDS, timeline.sample_rate) as usize;
        let timeline_rate = timeline.sample_rate;
        SessionSource {
            timeline,
            sounds,
            control,
            position: 0,
            next_event: 0,
            active: Vec::new(),
            fade_len: fade_len.max(1),
            block: vec![0.0; BLOCK],
            block_len: 0,
            block_at: 0,
            stopping: false,
            advanced: 0,
            keeps_clock: true,
            jumped: 0,
            limiter: crate::limiter::Limiter::new(timeline_rate),
            interjection: None,
            held: None,
            holds_seen: (0, 0),
            tap: None,
        }
    }

    /// The prompt to say when the session is held ([`Control::hold`]).
    pub fn with_interjection(mut self, prompt: &str) -> SessionSource {
        self.interjection = Some(prompt.to_string());
        self
    }

    /// Tells `tap` every sample that moves the session on, with its
    /// position: what the listener hears soothe play (see
    /// [`crate::listen`]).
    pub fn with_tap(mut self, tap: Arc<crate::listen::Tap>) -> SessionSource {
        self.tap = Some(tap);
        self
    }

    #[cfg(feature = "device")]
    /// For a source that fills a ring ahead of the device: the far end of
    /// the ring keeps the clock (see [`crate::feed`]).
    pub(crate) fn behind_a_ring(mut self) -> SessionSource {
        self.keeps_clock = false;
        self
    }

    /// The next sample of the timeline this source will make.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// How many samples the last [`SessionSource::fill`] moved the clock
    /// on: 0 while paused or fading out after a stop.
    pub fn advanced(&self) -> usize {
        self.advanced
    }

    #[cfg(feature = "device")]
    /// The serial number of the last jump made (0: none yet).
    pub(crate) fn jumped(&self) -> u64 {
        self.jumped
    }

    #[cfg(feature = "device")]
    /// Whether a jump has been asked for that this source has not made.
    pub(crate) fn jump_waiting(&self) -> bool {
        self.control
            .jump_asked()
            .is_some_and(|(serial, _)| serial > self.jumped)
    }

    pub fn control(&self) -> &Arc<Control> {
        &self.control
    }

    /// Fills `out` with the next samples, never past full scale (see
    /// [`crate::limiter`]). Returns how many it wrote: fewer than
    /// `out.len()` only at the end of the session, 0 after it.
    pub fn fill(&mut self, out: &mut [f32]) -> usize {
        let n = self.mix_next(out);
        self.limiter.process(&mut out[..n]);
        if let Some(tap) = &self.tap {
            if self.advanced > 0 {
                let from = self.position - self.advanced as u64;
                tap.write(from, &out[..self.advanced]);
            }
        }
        n
    }

    /// [`SessionSource::fill`] before the limiter.
    fn mix_next(&mut self, out: &mut [f32]) -> usize {
        self.advanced = 0;
        // Behind a ring, the far end pauses, stops and fades.
        let ring = !self.keeps_clock;
        let paused = !ring && self.control.is_paused();
        if !ring && self.control.is_stopped() {
            // Paused or held, nothing of the session is heard to fade.
            if paused || self.held.take().is_some() {
                self.active.clear();
            }
            return self.fade_out(out);
        }
        if let Some((serial, step)) = self.control.jump_asked() {
            if serial > self.jumped {
                self.jumped = serial;
                // A jump while held (d: "baby's done") ends the hold.
                let cut = self.held.take().is_some();
                self.jump(step, paused || ring || cut);
                if !ring {
                    self.control.set_jumped(serial);
                }
            }
        }
        self.follow_holds();
        if paused {
            self.publish_position();
            out.fill(0.0);
            return out.len();
        }
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        if let Some(held) = &mut self.held {
            // Held: the clock stands still while the hold plays.
            let from = held.at.min(held.samples.len());
            let n = (held.samples.len() - from).min(out.len());
            out[..n].copy_from_slice(&held.samples[from..from + n]);
            out[n..].fill(0.0);
            held.at += n;
            self.publish_position();
            return out.len();
        }
        let written = self.mix_forward(out, gains);
        self.advanced = written;
        self.publish_position();
        if written == 0 {
            self.finish();
        }
        written
    }

    /// Mixes the session on from where it is into `out`; returns how many
    /// samples it made (fewer at the end of the session).
    fn mix_forward(&mut self, out: &mut [f32], gains: (f32, f32)) -> usize {
        let total = self.timeline.total_samples;
        let mut written = 0;
        while written < out.len() && self.position < total {
            self.start_events();
            let mut span = (out.len() - written) as u64;
            span = span.min(total - self.position);
            if let Some(next) = self.timeline.events.get(self.next_event) {
                span = span.min(next.start_sample - self.position);
            }
            for a in &self.active {
                span = span.min((a.len - a.offset) as u64);
            }
            let span = span as usize;
            mix_active(&mut self.active, &mut out[written..written + span], gains);
            written += span;
            self.position += span as u64;
        }
        written
    }

    /// Starts or ends a hold as the [`Control`] asks.
    fn follow_holds(&mut self) {
        let (holds, releases) = self.control.holds_and_releases();
        if releases > self.holds_seen.1 {
            self.holds_seen.1 = releases;
            self.held = None;
        }
        if holds > self.holds_seen.0 {
            self.holds_seen.0 = holds;
            if holds > releases && self.held.is_none() && !self.stopping {
                self.start_hold();
            }
        }
    }

    /// What a hold plays: the next [`HOLD_FADE_SECONDS`] of the session
    /// fading out, [`HOLD_GAP_SECONDS`] of silence, then the interjection.
    /// The session itself stays where the fade began.
    fn start_hold(&mut self) {
        let rate = self.timeline.sample_rate;
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        let (position, next_event, active) = (self.position, self.next_event, self.active.clone());
        let mut fade = vec![0.0; crate::clock::samples(HOLD_FADE_SECONDS, rate) as usize];
        let n = self.mix_forward(&mut fade, gains);
        fade.truncate(n);
        let len = fade.len().max(1) as f32;
        for (k, sample) in fade.iter_mut().enumerate() {
            // A raised-cosine fade: gentle at both ends.
            let x = k as f32 / len;
            *sample *= 0.5 + 0.5 * (std::f32::consts::PI * x).cos();
        }
        (self.position, self.next_event, self.active) = (position, next_event, active);
        let mut samples = fade;
        samples.resize(
            samples.len() + crate::clock::samples(HOLD_GAP_SECONDS, rate) as usize,
            0.0,
        );
        if let Some(id) = &self.interjection {
            match self.sounds.prompt(id) {
                Ok(prompt) => samples.extend(prompt.iter().map(|s| s * gains.0)),
                Err(err) => self.control.report(err.to_string()),
            }
        }
        self.held = Some(Held { samples, at: 0 });
    }

    fn publish_position(&self) {
        if self.keeps_clock {
            self.control.set_position(self.position);
        }
    }

    fn finish(&mut self) {
        self.active.clear();
        if self.keeps_clock {
            self.control.set_finished();
        }
    }

    /// After a stop: what was playing fades out, then the session ends.
    fn fade_out(&mut self, out: &mut [f32]) -> usize {
        if !self.stopping {
            self.stopping = true;
            let fade = self.fade_len;
            for a in &mut self.active {
                a.cut_short(a.offset + fade, fade);
            }
        }
        let n = self
            .active
            .iter()
            .map(|a| a.len - a.offset)
            .max()
            .unwrap_or(0)
            .min(out.len());
        if n == 0 {
            self.finish();
            return 0;
        }
        let levels = self.control.gains();
        let gains = (levels.voice_gain(), levels.chime_gain());
        mix_active(&mut self.active, &mut out[..n], gains);
        n
    }

    /// Starts every event whose time has come.
    fn start_events(&mut self) {
        while let Some(event) = self.timeline.events.get(self.next_event) {
            if event.start_sample > self.position {
                break;
            }
            self.next_event += 1;
            let len = event.len() as usize;
            let (samples, layer) = match &event.kind {
                EventKind::Pause => continue,
                EventKind::Chime { stroke, of } => {
                    (self.sounds.chimes.get(stroke == of).clone(), Layer::Chime)
                }
                EventKind::Prompt { prompt, .. } => match self.sounds.prompt(prompt) {
                    Ok(samples) => (samples, Layer::Voice),
                    Err(err) => {
                        self.control.report(err.to_string());
                        continue;
                    }
                },
            };
            let mut active = Active {
                len: samples.len(),
                fade_from: samples.len(),
                samples,
                layer,
                offset: 0,
            };
            // A chime longer than its stroke is faded out as the next begins.
            active.cut_short(len, self.fade_len);
            if active.len > 0 {
                self.active.push(active);
            }
        }
    }

    /// Continues from the start of step `index`; what was playing fades
    /// out (or, with `cut`, is dropped: while paused it is silent anyway).
    fn jump(&mut self, index: usize, cut: bool) {
        let Some(step) = self.timeline.steps.get(index) else {
            return;
        };
        if cut {
            self.active.clear();
        }
        let fade = self.fade_len;
        for a in &mut self.active {
            a.cut_short(a.offset + fade, fade);
        }
        self.position = step.start_sample;
        self.next_event = self
            .timeline
            .events
            .partition_point(|e| e.start_sample < step.start_sample);
    }
}

/// Writes into `out` the sum of the sounds in `active`, each at the gain of
/// its layer (`(voice, chime)`) and for as long as it lasts, and forgets the
/// ones that have ended.
fn mix_active(active: &mut Vec<Active>, out: &mut [f32], (voice, chime): (f32, f32)) {
    out.fill(0.0);
    for a in active.iter_mut() {
        let gain = match a.layer {
            Layer::Voice => voice,
            Layer::Chime => chime,
        };
        let n = (a.len - a.offset).min(out.len());
        mix(&mut out[..n], a, gain);
    }
    active.retain(|a| a.offset < a.len);
}

/// Adds `a` into `out` at `gain`, advancing it by `out.len()` samples.
fn mix(out: &mut [f32], a: &mut Active, gain: f32) {
    let n = out.len();
    let src = &a.samples[a.offset..a.offset + n];
    if a.offset + n <= a.fade_from {
        for (o, s) in out.iter_mut().zip(src) {
            *o += s * gain;
        }
    } else {
        let fade_len = (a.len - a.fade_from).max(1) as f32;
        for (k, (o, s)) in out.iter_mut().zip(src).enumerate() {
            let i = a.offset + k;
            let ramp = if i < a.fade_from {
                1.0
            } else {
                (a.len - i) as f32 / fade_len
            };
            *o += s * gain * ramp;
        }
    }
    a.offset += n;
}

impl Iterator for SessionSource {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        if self.block_at == self.block_len {
            let mut block = std::mem::take(&mut self.block);
            self.block_len = self.fill(&mut block);
            self.block = block;
            self.block_at = 0;
            if self.block_len == 0 {
                return None;
            }
        }
        let sample = self.block[self.block_at];
        self.block_at += 1;
        Some(sample)
    }
}

impl rodio::Source for SessionSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> NonZero<u16> {
        NonZero::new(1).expect("one channel")
    }

    fn sample_rate(&self) -> NonZero<u32> {
        NonZero::new(self.timeline.sample_rate).expect("validated sample rate")
    }

    fn total_duration(&self) -> Option<Duration> {
        Some(Duration::from_secs_f64(
            self.timeline.seconds(self.timeline.total_samples),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Levels;

    #[test]
    fn levels_in_db_become_the_gains_the_mix_uses() {
        assert_eq!(Levels::UNITY.voice_gain(), 1.0);
        assert_eq!(Levels::UNITY.chime_gain(), 1.0);
        let levels = Levels::from_db(-6.0, 12.0);
        assert!((levels.voice_gain() - 0.501_187).abs() < 1e-6);
        assert!((levels.chime_gain() - 3.981_072).abs() < 1e-5);
    }

    #[test]
    fn what_is_heard_counts_the_clock_going_on_not_its_jumps() {
        let control = super::Control::new(Levels::UNITY);
        control.set_position(4_800);
        control.set_position(9_600);
        assert_eq!(control.heard(), 9_600);
        // Paused: the clock stands still.
        control.set_position(9_600);
        assert_eq!(control.heard(), 9_600);
        // A jump ahead (next step) is not heard, nor is one back...
        control.set_jumped(1);
        control.set_position(96_000);
        control.set_position(100_800);
        control.set_jumped(2);
        control.set_position(48_000);
        assert_eq!(control.heard(), 9_600 + 4_800);
        // ...but what plays after it is.
        control.set_position(52_800);
        assert_eq!(control.heard(), 9_600 + 4_800 + 4_800);
    }
}
