//! Playing ahead of the audio device.
//!
//! A feeder thread runs the [`SessionSource`] (decoding prompts as they
//! come, mixing) a quarter of a second ahead of the device, and hands its
//! blocks to the audio callback through a lock-free ring. So a busy
//! machine can hold the feeder back for that long without a sound being
//! lost, and the callback side, [`Heard`], only copies samples: no
//! decoding, no locks, no allocation, no I/O. (Only when the ring runs
//! empty does it wait, a millisecond at a time and for a second at most:
//! the device still holds a period, and a block late beats a gap.)
//!
//! The controls act where the sound is heard, not a quarter of a second
//! ahead: [`Heard`] pauses between two blocks and goes on from the next;
//! for a jump or a stop it fades out the blocks it already has (the very
//! samples that would have been heard next) and drops the rest, while the
//! feeder makes the jumped-to step at once. [`Heard`] also keeps the
//! session's clock: it publishes the position of the block the device is
//! taking, so the view, the chimes and the words stay together whatever
//! the machine does, and it notices when the sound broke up ([`Breaks`]).
//!
//! The blocks are the very ones `render` writes, in the same order: what
//! is played is what is rendered.

use std::num::NonZero;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::source::{Control, SessionSource, BLOCK, FADE_SECONDS};

/// Blocks the feeder keeps ready: 256 ms at 48 kHz.
pub const LEAD_BLOCKS: usize = 24;
/// Blocks of a jumped-to step the feeder may add at once on top of the
/// lead, so that they are there as soon as the callback drops the old ones.
const FRESH_BLOCKS: usize = 8;

/// How long the feeder sleeps at most when the ring is full (every control
/// wakes it at once).
const NAP: Duration = Duration::from_millis(20);

/// One block of the session, as the source made it.
struct Chunk {
    samples: [f32; BLOCK],
    /// Samples in `samples`; 0 marks the end of the session.
    len: usize,
    /// The session position after this block...
    end: u64,
    /// ...and how many of its samples moved the clock on.
    advanced: usize,
    /// The serial number of the last jump made before it.
    jumped: u64,
}

impl Chunk {
    const SILENCE: Chunk = Chunk {
        samples: [0.0; BLOCK],
        len: 0,
        end: 0,
        advanced: 0,
        jumped: 0,
    };

    /// The session position of sample `at` of this block.
    fn position(&self, at: usize) -> u64 {
        self.end - self.advanced as u64 + at.min(self.advanced) as u64
    }
}

/// Starts the feeder thread on `source`; the returned [`Heard`] is the
/// `rodio::Source` to give the device. The feeder ends with the session,
/// or when the device lets go of the [`Heard`].
pub fn start(source: SessionSource, rate: u32, breaks: Arc<Breaks>) -> Heard {
    let (producer, consumer) = rtrb::RingBuffer::<Chunk>::new(LEAD_BLOCKS + FRESH_BLOCKS);
    let control = source.control().clone();
    let source = source.behind_a_ring();
    let feeding = control.clone();
    std::thread::Builder::new()
        .name("soothe-feeder".into())
        .spawn(move || {
            feeding.set_feeder();
            feed(source, producer, &feeding);
        })
        .expect("the feeder thread starts");
    let fade_len = (crate::clock::samples(FADE_SECONDS, rate) as usize).max(1);
    Heard {
        consumer,
        chunk: Box::new(Chunk::SILENCE),
        at: 0,
        jumped: 0,
        cut: 0,
        started: false,
        stopping: false,
        starving: false,
        fade: vec![0.0; fade_len],
        fade_at: fade_len,
        control,
        rate: NonZero::new(rate.max(1)).expect("at least 1"),
        breaks,
        clock: None,
        taken: 0,
        audible_from: None,
    }
}

/// The feeder: keeps the ring [`LEAD_BLOCKS`] ahead, and after a jump adds
/// the new step's first blocks at once.
fn feed(mut source: SessionSource, mut ring: rtrb::Producer<Chunk>, control: &Control) {
    let mut fresh = 0;
    loop {
        if control.is_stopped() || ring.is_abandoned() {
            return;
        }
        if source.jump_waiting() {
            fresh = FRESH_BLOCKS;
        }
        let queued = ring.buffer().capacity() - ring.slots();
        if ring.is_full() || (queued >= LEAD_BLOCKS && fresh == 0) {
            std::thread::park_timeout(NAP);
            continue;
        }
        let mut chunk = Chunk::SILENCE;
        chunk.len = source.fill(&mut chunk.samples);
        chunk.end = source.position();
        chunk.advanced = source.advanced();
        chunk.jumped = source.jumped();
        fresh = fresh.saturating_sub(1);
        let last = chunk.len == 0;
        if ring.push(chunk).is_err() || last {
            return;
        }
    }
}

/// The samples as the device takes them. Runs on the audio thread.
pub struct Heard {
    consumer: rtrb::Consumer<Chunk>,
    chunk: Box<Chunk>,
    /// The next sample of `chunk` to play.
    at: usize,
    /// The serial number of the last jump being heard...
    jumped: u64,
    /// ...and of the last one whose cut has been made.
    cut: u64,
    /// The first block has been taken.
    started: bool,
    /// Stopped: playing out the fade, then the end.
    stopping: bool,
    /// The feeder was behind at the last block: a run of starved blocks is
    /// one break.
    starving: bool,
    /// What was cut short by a jump or a stop, faded out, and how much of
    /// it has been played.
    fade: Vec<f32>,
    fade_at: usize,
    control: Arc<Control>,
    rate: NonZero<u32>,
    breaks: Arc<Breaks>,
    /// When the device first took a sample, and how it kept time since.
    clock: Option<DeviceClock>,
    /// Samples the device has taken...
    taken: u64,
    /// ...and had taken when it was given the first sound.
    audible_from: Option<u64>,
}

/// Silence given to the device, in samples, while there is nothing to play
/// (paused, or the feeder far behind).
const QUIET: usize = 64;
/// How long the device waits for a late block, in steps of [`WAIT`],
/// before it is given silence.
const STARVED: Duration = Duration::from_secs(1);
const WAIT: Duration = Duration::from_millis(1);

impl Heard {
    /// Moves on to the next block. `None` at the end of the session.
    fn next_chunk(&mut self) -> Option<()> {
        let now = Instant::now();
        let rate = self.rate.get();
        // Before the first sound is heard, a slow start is no break.
        let settled = self
            .audible_from
            .is_some_and(|from| self.taken > from + u64::from(rate) / 2);
        self.clock
            .get_or_insert_with(|| DeviceClock::new(now))
            .check(now, self.taken, rate, settled, &self.breaks);
        if self.control.is_stopped() && !self.stopping {
            self.stopping = true;
            if !self.control.is_paused() {
                self.cut_short();
            }
        }
        if self.stopping {
            if self.fade_at < self.fade.len() {
                self.quiet(false);
                return Some(());
            }
            self.control.set_finished();
            return None;
        }
        let asked = self.control.jump_asked().map_or(0, |(serial, _)| serial);
        if asked > self.cut {
            // A jump: what would have come next fades out, unless paused.
            self.cut = asked;
            if !self.control.is_paused() {
                self.cut_short();
            }
        }
        self.drop_older_than(asked);
        if self.control.is_paused() {
            if let Ok(next) = self.consumer.peek() {
                self.control.set_position(next.position(0));
            }
            self.quiet(false);
            return Some(());
        }
        match self.pop() {
            Some(chunk) if chunk.len == 0 => {
                self.control.set_finished();
                None
            }
            Some(chunk) => {
                self.starving = false;
                self.started = true;
                if self.audible_from.is_none() && chunk.samples.iter().any(|s| s.abs() > 1e-4) {
                    self.audible_from = Some(self.taken);
                }
                *self.chunk = chunk;
                self.at = 0;
                if self.chunk.jumped > self.jumped {
                    self.jumped = self.chunk.jumped;
                    self.control.set_jumped(self.jumped);
                }
                self.control.set_position(self.chunk.position(0));
                Some(())
            }
            None if self.consumer.is_abandoned() => {
                self.control.set_finished();
                None
            }
            // The feeder is far behind: the sound breaks up here, and goes
            // on from where it was (before the first sound, it only starts
            // later).
            None => {
                self.quiet(self.started);
                Some(())
            }
        }
    }

    /// The next block, waiting for the feeder if it has none ready: the
    /// device still holds a period or so, and a block late beats a gap.
    /// Only after [`STARVED`] does the device get silence.
    fn pop(&mut self) -> Option<Chunk> {
        let mut waited = Duration::ZERO;
        loop {
            match self.consumer.pop() {
                Ok(chunk) if chunk.jumped < self.cut => continue,
                Ok(chunk) => return Some(chunk),
                Err(_) if self.consumer.is_abandoned() || waited >= STARVED => return None,
                Err(_) => {
                    std::thread::sleep(WAIT);
                    waited += WAIT;
                }
            }
        }
    }

    /// Plays [`QUIET`] samples of silence (under what is left of a fade);
    /// `starved` counts them as a break.
    fn quiet(&mut self, starved: bool) {
        if starved {
            let new_break = !std::mem::replace(&mut self.starving, true);
            self.breaks
                .starved(new_break, QUIET as u64, self.rate.get());
        }
        self.chunk.samples[..QUIET].fill(0.0);
        self.chunk.len = QUIET;
        self.chunk.advanced = 0;
        self.at = 0;
    }

    /// Drops the blocks made before jump `serial`: they will not be heard.
    fn drop_older_than(&mut self, serial: u64) {
        while self.consumer.peek().is_ok_and(|next| next.jumped < serial) {
            let _ = self.consumer.pop();
        }
    }

    /// Fades out the samples that were to come next, over the fade's
    /// length, and drops them.
    fn cut_short(&mut self) {
        let len = self.fade.len();
        let mut n = 0;
        while n < len {
            let Ok(next) = self.consumer.peek() else {
                break;
            };
            if next.jumped != self.jumped || next.len == 0 {
                break;
            }
            let take = (len - n).min(next.len);
            self.fade[n..n + take].copy_from_slice(&next.samples[..take]);
            n += take;
            if take == next.len {
                let _ = self.consumer.pop();
            } else {
                break;
            }
        }
        for (k, sample) in self.fade[..n].iter_mut().enumerate() {
            *sample *= (len - k) as f32 / len as f32;
        }
        self.fade[n..].fill(0.0);
        self.fade_at = if n == 0 { len } else { 0 };
    }
}

impl Iterator for Heard {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        if self.at == self.chunk.len {
            self.next_chunk()?;
        }
        let mut sample = self.chunk.samples[self.at];
        if self.fade_at < self.fade.len() {
            sample += self.fade[self.fade_at];
            self.fade_at += 1;
        }
        self.at += 1;
        self.taken += 1;
        Some(sample)
    }
}

impl rodio::Source for Heard {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> NonZero<u16> {
        NonZero::<u16>::MIN
    }

    fn sample_rate(&self) -> NonZero<u32> {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// How the device has kept time. It takes samples in bursts (a period at
/// a time), always a little ahead of the loudspeaker, so the lag of the
/// samples taken behind the wall clock swings by a period or two, and its
/// low points stay level for as long as the sound is whole. When the
/// device runs dry the loudspeaker falls silent, and every later sample is
/// heard that much later: the low points step up by the length of the
/// silence. That step is what is counted, whatever the driver says.
struct DeviceClock {
    start: Instant,
    /// The lowest lag seen while the sound was whole, in seconds.
    floor: Option<f64>,
    /// The lowest lag in the current window, and when the window began.
    window_low: f64,
    window_start: Instant,
}

/// Long enough to hold several periods of any device.
const WINDOW: Duration = Duration::from_millis(600);
/// A step smaller than this is scheduling noise, not a silence anyone hears.
const BREAK: f64 = 0.02;

impl DeviceClock {
    fn new(now: Instant) -> DeviceClock {
        DeviceClock {
            start: now,
            floor: None,
            window_low: f64::INFINITY,
            window_start: now,
        }
    }

    /// Looks at the lag after `taken` samples; until the sound has
    /// `settled` (the device had been playing it for a while), the lag may
    /// still grow freely: that only makes the first sound a little later.
    fn check(&mut self, now: Instant, taken: u64, rate: u32, settled: bool, breaks: &Breaks) {
        let lag = now.duration_since(self.start).as_secs_f64() - taken as f64 / f64::from(rate);
        self.window_low = self.window_low.min(lag);
        if now.duration_since(self.window_start) < WINDOW {
            return;
        }
        let low = std::mem::replace(&mut self.window_low, f64::INFINITY);
        self.window_start = now;
        match self.floor {
            _ if !settled => self.floor = Some(low),
            Some(floor) if low > floor + BREAK => {
                breaks.broke(low - floor);
                self.floor = Some(low);
            }
            Some(floor) if low >= floor => {}
            _ => self.floor = Some(low),
        }
    }
}

/// How often, and for how long in all, the sound broke up while playing.
#[derive(Debug, Default)]
pub struct Breaks {
    count: AtomicU64,
    micros: AtomicU64,
}

impl Breaks {
    fn broke(&self, seconds: f64) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.micros
            .fetch_add((seconds * 1e6).round() as u64, Ordering::Relaxed);
    }

    fn starved(&self, new_break: bool, samples: u64, rate: u32) {
        if new_break {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        self.micros
            .fetch_add(samples * 1_000_000 / u64::from(rate), Ordering::Relaxed);
    }

    /// How many times the sound broke up, and for how long in all.
    pub fn total(&self) -> (u64, Duration) {
        (
            self.count.load(Ordering::Relaxed),
            Duration::from_micros(self.micros.load(Ordering::Relaxed)),
        )
    }

    /// One line for the parent, when the sound did break up.
    pub fn report(&self) -> Option<String> {
        let (count, length) = self.total();
        (count > 0).then(|| {
            format!(
                "The sound broke up {} ({} in all): the computer was too busy to keep up. See \"If the sound breaks up\" in soothe's README.",
                match count {
                    1 => "once".to_string(),
                    2 => "twice".to_string(),
                    n => format!("{n} times"),
                },
                seconds(length)
            )
        })
    }
}

/// A short length for people: "40 ms", "1.2 s".
fn seconds(length: Duration) -> String {
    let ms = length.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{} ms", ms.round().max(1.0))
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}
