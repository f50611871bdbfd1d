//! Playing ahead of the audio device.
//!
//! A feeder thread runs the [`SessionSource`] (decoding prompts as they
//! come, mixing) ahead of the device, and hands its blocks through a
//! lock-free ring to the [`crate::output::writer::Writer`], which keeps the device
//! half a second ahead in turn. So a busy machine can hold either thread
//! back for a good while without a sound being lost.
//!
//! The blocks are the very ones `render` writes, in the same order: what
//! is played is what is rendered. This module also keeps the measures of
//! whether the sound was whole: [`DeviceClock`] and [`Breaks`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use soothe_core::mix::{Control, SessionSource, BLOCK};

/// Blocks the feeder keeps ready, beyond what the device holds: 512 ms at
/// 48 kHz, for a feeder held back (decoding a prompt on a busy machine,
/// say). The controls act on them before they reach the device (see
/// [`crate::output::writer`]), so they make no key slower; a change of level,
/// made where the source mixes, is heard after the ring and the device's
/// queue.
pub const LEAD_BLOCKS: usize = 48;
/// Blocks of a jumped-to step the feeder may add at once on top of the
/// lead, so that they are there as soon as the writer drops the old ones.
const FRESH_BLOCKS: usize = 8;

/// Quieter than this, a sample is silence.
const QUIET: f32 = 1e-4;

/// How long the feeder sleeps at most when the ring is full (every control
/// wakes it at once).
const NAP: Duration = Duration::from_millis(20);

/// One block of the session, as the source made it.
#[derive(Clone)]
pub struct Chunk {
    pub samples: [f32; BLOCK],
    /// Samples in `samples`; 0 marks the end of the session.
    pub len: usize,
    /// The session position after this block...
    pub end: u64,
    /// ...and how many of its samples moved the clock on.
    pub advanced: usize,
    /// The serial number of the last jump made before it.
    pub jumped: u64,
    /// Silence the writer made, not the session's: to keep the device
    /// going, or for it to start again in.
    pub padding: bool,
}

impl Chunk {
    pub const SILENCE: Chunk = Chunk {
        samples: [0.0; BLOCK],
        len: 0,
        end: 0,
        advanced: 0,
        jumped: 0,
        padding: false,
    };

    /// The writer's own silence ([`Chunk::padding`]): `len` samples, a
    /// block at most, at session position `position` after jump `jumped`.
    pub fn padding(len: usize, position: u64, jumped: u64) -> Chunk {
        let mut quiet = Chunk::SILENCE;
        quiet.len = len.clamp(1, BLOCK);
        quiet.end = position;
        quiet.jumped = jumped;
        quiet.padding = true;
        quiet
    }

    /// How many of the session's samples `chunks` hold (the writer's own
    /// silence aside).
    pub fn sound_in<'a>(chunks: impl IntoIterator<Item = &'a Chunk>) -> usize {
        chunks
            .into_iter()
            .filter(|c| !c.padding)
            .map(|c| c.len)
            .sum()
    }

    /// Whether its last `len` samples are silence.
    pub fn is_quiet(&self, len: usize) -> bool {
        self.samples[self.len.saturating_sub(len)..self.len]
            .iter()
            .all(|s| s.abs() <= QUIET)
    }

    /// The session position of sample `at` of this block.
    pub fn position(&self, at: usize) -> u64 {
        self.end - self.advanced as u64 + at.min(self.advanced) as u64
    }

    /// This block from sample `at` on (the samples moved to the front).
    pub fn from(&self, at: usize) -> Chunk {
        let at = at.min(self.len);
        let mut rest = Chunk::SILENCE;
        rest.len = self.len - at;
        rest.samples[..rest.len].copy_from_slice(&self.samples[at..self.len]);
        rest.end = self.end;
        rest.advanced = self.advanced.saturating_sub(at);
        rest.jumped = self.jumped;
        rest.padding = self.padding;
        rest
    }
}

/// Starts the feeder thread on `source`; the returned [`Ahead`] is the
/// far end of its ring, for the [`crate::output::writer::Writer`]. The feeder ends
/// with the session, or when the far end is dropped.
pub fn start(source: SessionSource) -> Ahead {
    let (producer, consumer) = rtrb::RingBuffer::<Chunk>::new(LEAD_BLOCKS + FRESH_BLOCKS);
    let control = source.control().clone();
    let source = source.behind_a_ring();
    std::thread::Builder::new()
        .name("soothe-feeder".into())
        .spawn(move || {
            control.set_feeder();
            feed(source, producer, &control);
        })
        .expect("the feeder thread starts");
    Ahead { consumer }
}

/// The far end of the feeder's ring: the blocks made ahead, in order.
pub struct Ahead {
    consumer: rtrb::Consumer<Chunk>,
}

impl Ahead {
    #[cfg(test)]
    /// The far end of a ring filled by hand.
    pub fn from_ring(consumer: rtrb::Consumer<Chunk>) -> Ahead {
        Ahead { consumer }
    }

    /// The next block, if the feeder has made it.
    pub fn pop(&mut self) -> Option<Chunk> {
        self.consumer.pop().ok()
    }

    /// The next block, if the feeder has made it after jump `serial` (and
    /// not after a later one).
    pub fn pop_of(&mut self, serial: u64) -> Option<Chunk> {
        (self.peek_jumped() == Some(serial))
            .then(|| self.pop())
            .flatten()
    }

    /// The jump serial number of the next block, if there is one.
    pub fn peek_jumped(&self) -> Option<u64> {
        self.consumer.peek().ok().map(|chunk| chunk.jumped)
    }

    /// The jump serial number and the session position of the next block,
    /// if there is one.
    pub fn peek_start(&self) -> Option<(u64, u64)> {
        let chunk = self.consumer.peek().ok()?;
        (chunk.len > 0).then(|| (chunk.jumped, chunk.position(0)))
    }

    /// Drops the blocks made before jump `serial`: they will not be heard.
    pub fn drop_older_than(&mut self, serial: u64) {
        while self.peek_jumped().is_some_and(|jumped| jumped < serial) {
            let _ = self.consumer.pop();
        }
    }

    /// The feeder has ended (and left nothing more).
    pub fn is_abandoned(&self) -> bool {
        self.consumer.is_abandoned() && self.consumer.is_empty()
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

/// How the device has kept time. It takes samples in bursts (a period at
/// a time), always a little ahead of the loudspeaker, so the lag of the
/// samples taken behind the wall clock swings by a period or two, and its
/// low points stay level for as long as the sound is whole. When the
/// device runs dry the loudspeaker falls silent, and every later sample is
/// heard that much later: the low points step up by the length of the
/// silence, whatever the driver says. That step is counted when the device
/// was seen to run dry in the middle of a sound ([`DeviceClock::ran_dry`]).
///
/// The low points step up too when the sound server itself is held back
/// (its stream takes nothing while soothe's queue stays full), and when
/// the device runs dry in a quiet stretch, which only makes it longer:
/// neither is soothe's sound breaking up, and neither is counted. (Through
/// a null sink, whose monitor catches up with the server, a recording of
/// such a session matches the render.)
pub struct DeviceClock {
    start: Instant,
    /// The lowest lag seen while the sound was whole, in seconds.
    floor: Option<f64>,
    /// The lowest lag in the current window, and when the window began.
    window_low: f64,
    window_start: Instant,
    /// Since the device ran dry in the middle of a sound: its break, as
    /// far as it has been measured.
    ran_dry: Option<Break>,
}

/// A break being measured.
#[derive(Debug, Clone, Copy, Default)]
struct Break {
    /// Whether it has been counted...
    counted: bool,
    /// ...and how many windows have not stepped up since (a device that
    /// starts again may take a few to play steadily: all their steps are
    /// the one break).
    calm: u8,
    /// Silence the writer put in it, not counted yet, in seconds.
    padded: f64,
}

/// Long enough to hold several periods of any device.
const WINDOW: Duration = Duration::from_millis(600);
/// A step smaller than this is scheduling noise, not a silence anyone hears.
const BREAK: f64 = 0.02;
/// Windows without a step that end a break.
const CALM: u8 = 3;

impl DeviceClock {
    pub fn new(now: Instant) -> DeviceClock {
        DeviceClock {
            start: now,
            floor: None,
            window_low: f64::INFINITY,
            window_start: now,
            ran_dry: None,
        }
    }

    /// The device has nothing left to play, and what it played last was
    /// sound: the lag steps up now, in this window or the next ones.
    pub fn ran_dry(&mut self) {
        self.ran_dry.get_or_insert_with(Break::default).calm = 0;
    }

    /// The writer put `seconds` of silence in the stream, where the device
    /// starts again: part of the break, if it is one, though the device
    /// took it in time.
    pub fn padded(&mut self, seconds: f64, breaks: &Breaks) {
        match &mut self.ran_dry {
            Some(Break { counted: true, .. }) => breaks.longer(seconds),
            Some(open) => open.padded += seconds,
            None => {}
        }
    }

    /// The writer keeps `seconds` more queued from now on: the device takes
    /// that much more, once, which is not the sound going on faster.
    pub fn queue_grew(&mut self, seconds: f64) {
        if let Some(floor) = &mut self.floor {
            *floor -= seconds;
        }
    }

    /// Looks at the lag after `taken` samples; until the sound has
    /// `settled` (the device had been playing it for a while), the lag may
    /// still grow freely: that only makes the first sound a little later.
    pub fn check(&mut self, now: Instant, taken: u64, rate: u32, settled: bool, breaks: &Breaks) {
        let lag = now.duration_since(self.start).as_secs_f64() - taken as f64 / f64::from(rate);
        self.window_low = self.window_low.min(lag);
        if now.duration_since(self.window_start) < WINDOW {
            return;
        }
        let low = std::mem::replace(&mut self.window_low, f64::INFINITY);
        self.window_start = now;
        let floor = match self.floor {
            Some(floor) if settled => floor,
            _ => {
                self.floor = Some(low);
                return;
            }
        };
        if low > floor + BREAK {
            if let Some(open) = &mut self.ran_dry {
                if open.counted {
                    breaks.longer(low - floor);
                } else {
                    breaks.broke(low - floor + std::mem::take(&mut open.padded));
                }
                (open.counted, open.calm) = (true, 0);
            }
            // Counted or not, the sound goes on from here.
            self.floor = Some(low);
        } else {
            // While a counted break is open, the device may take a burst
            // as it starts again and then less for a while: its low points
            // dip and come back up. The dip is not the sound going on
            // faster, and coming back up is not more silence: the floor
            // stays where the break took it.
            if !matches!(self.ran_dry, Some(Break { counted: true, .. })) {
                self.floor = Some(floor.min(low));
            }
            if let Some(open) = &mut self.ran_dry {
                open.calm += 1;
                if open.calm >= CALM {
                    self.ran_dry = None;
                }
            }
        }
    }
}

/// The longest the end of what was written may take to be heard, beyond
/// what the device said it held: a device that stops playing does not
/// keep soothe forever.
const DRAIN_GRACE: Duration = Duration::from_secs(3);

/// Waiting for a device to play what it holds, when nothing more is
/// written.
///
/// What it holds of soothe's can then only shrink. Once it has had the
/// time to play what it said it held, a count that no longer shrinks is
/// not soothe's: PipeWire's ALSA plugin, its ring empty, goes on counting
/// the silence it plays in its delay, and may not call that an underrun
/// for seconds. Waiting for it would make the end late, and the session
/// clock, stuck at the last sample while time went on, would look like the
/// sound breaking up.
#[derive(Debug, Clone, Copy)]
pub struct Emptying {
    least: u64,
    due: Instant,
    deadline: Instant,
}

impl Emptying {
    pub fn new(queued: u64, rate: u32) -> Emptying {
        let due = Instant::now() + Duration::from_secs_f64(queued as f64 / f64::from(rate));
        Emptying {
            least: queued,
            due,
            deadline: due + DRAIN_GRACE,
        }
    }

    /// Whether the device has played what it held, now that it holds
    /// `queued`.
    pub fn done(&mut self, queued: u64) -> bool {
        let now = Instant::now();
        let done = queued == 0 || now >= self.deadline || (now >= self.due && queued >= self.least);
        self.least = self.least.min(queued);
        done
    }
}

/// How often, and for how long in all, the sound broke up while playing.
#[derive(Debug, Default)]
pub struct Breaks {
    count: AtomicU64,
    micros: AtomicU64,
}

impl Breaks {
    pub fn broke(&self, seconds: f64) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.micros
            .fetch_add((seconds * 1e6).round() as u64, Ordering::Relaxed);
    }

    /// The last time the sound broke up, it did for this much longer.
    pub fn longer(&self, seconds: f64) {
        self.micros
            .fetch_add((seconds * 1e6).round() as u64, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds the clock one window's low point at a time: `lows` are the
    /// lags (seconds) seen at the end of each 0.61 s window, from `start`.
    fn replay(clock: &mut DeviceClock, start: Instant, lows: &[(f64, f64)], breaks: &Breaks) {
        for &(at, lag) in lows {
            let now = start + Duration::from_secs_f64(at);
            let taken = ((at - lag) * 48_000.0).round() as u64;
            clock.check(now, taken, 48_000, true, breaks);
        }
    }

    // Recorded through PulseAudio (tests/live_load.rs, the player stopped
    // for 1.5 s): after it started again the device took a burst, its low
    // points dipped 0.2 s and came back, and the rise was counted as more
    // silence: "1.5 s" reported for 1.35 s heard.
    #[test]
    fn a_stall_reported_too_long_when_the_device_dipped_after_starting_again() {
        let start = Instant::now();
        let breaks = Breaks::default();
        let mut clock = DeviceClock::new(start);
        replay(&mut clock, start, &[(0.600, -0.2011)], &breaks);
        clock.ran_dry();
        replay(&mut clock, start, &[(2.505, -0.1996)], &breaks);
        clock.queue_grew(0.1);
        clock.padded(0.04, &breaks);
        let after = [
            (3.115, 1.0108),
            (3.717, 0.8149),
            (4.327, 0.9248),
            (4.935, 1.0119),
            (5.542, 1.0118),
            (6.150, 1.0117),
        ];
        replay(&mut clock, start, &after, &breaks);
        let (count, length) = breaks.total();
        assert_eq!(count, 1);
        assert!(
            (length.as_secs_f64() - 1.352).abs() < 0.005,
            "counted {length:?}"
        );
        assert_eq!(
            breaks.report().unwrap(),
            "The sound broke up once (1.4 s in all): the computer was too busy to keep up. See \"If the sound breaks up\" in soothe's README."
        );
    }

    #[test]
    fn a_break_that_goes_on_rising_is_counted_whole() {
        let start = Instant::now();
        let breaks = Breaks::default();
        let mut clock = DeviceClock::new(start);
        replay(&mut clock, start, &[(0.61, 0.0), (1.22, 0.0)], &breaks);
        clock.ran_dry();
        let after = [
            (1.83, 0.3),
            (2.44, 0.5),
            (3.05, 0.5),
            (3.66, 0.5),
            (4.27, 0.5),
        ];
        replay(&mut clock, start, &after, &breaks);
        let (count, length) = breaks.total();
        assert_eq!(count, 1);
        assert!(
            (length.as_secs_f64() - 0.5).abs() < 0.001,
            "counted {length:?}"
        );
    }
}
