//! Writing the session to the sound card, half a second ahead.
//!
//! A busy machine can keep any one thread from running for a few hundred
//! milliseconds. So the [`Writer`] keeps the device's buffer deep (about
//! 500 ms, as `aplay` does), fed from the ring the feeder thread fills
//! ([`crate::output::feed`]). A deep buffer must not make the controls slow, and
//! it does not: the writer acts on the device itself. A pause holds the
//! device where it is ([`Pcm::hold`]: PulseAudio and PipeWire cork the
//! stream), so nothing is lost or repeated; where a device cannot hold,
//! the samples it had not played yet are taken back and written again on
//! resume. A jump or a stop throws away what is queued ([`Pcm::discard`]):
//! the sound stops at once, and a jump's step follows as soon as the
//! device has started again. (No fade-out can be laid over that cut: the
//! sound server has the queued samples, and a few milliseconds of
//! silence while the device starts again would part a fade from the sound
//! it was to smooth.)
//!
//! The writer also keeps the session's clock: the position it publishes
//! is that of the sample being heard (what was written, less what the
//! device says it still holds), so the view, the chimes and the words stay
//! together whatever the machine does; and it notices when the sound broke
//! up ([`Breaks`]).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::output::feed::{Ahead, Breaks, Chunk, DeviceClock};
use soothe_core::mix::Control;

/// What the writer needs of a sound card: ALSA in [`crate::output::device`], a
/// fake one in the tests. Samples are mono; the device makes them as many
/// channels as it has. Errors are for the parent: the device is gone.
pub trait Pcm {
    /// Writes what fits of `samples` now, without waiting; returns how
    /// many it took (0 while the buffer is full). Recovers from an
    /// underrun by itself.
    fn write(&mut self, samples: &[f32]) -> Result<usize, String>;
    /// Waits until there is room to write, `timeout` at most.
    fn wait(&mut self, timeout: Duration) -> Result<(), String>;
    /// How many of the samples written have not been heard yet.
    fn queued(&mut self) -> Result<u64, String>;
    /// Throws away what is queued: silence at once, and ready for more.
    fn discard(&mut self) -> Result<(), String>;
    /// Holds what is queued where it is (`true`), or goes on with it
    /// (`false`); `Ok(false)` when this device cannot hold.
    fn hold(&mut self, on: bool) -> Result<bool, String>;
}

/// How a pause is being kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pausing {
    /// Not paused.
    No,
    /// The device holds its queue.
    Device,
    /// The queue was taken back into [`Writer::replay`].
    TakenBack,
}

/// How long the writer waits at most before it looks at the controls
/// again: a pause or a jump acts within this (plus the device's own
/// latency).
const LOOK: Duration = Duration::from_millis(20);
/// Silence written first after a jump, for the device to start again in.
const RESTART_SECONDS: f64 = 0.04;
/// The longest the end of a session may take to be heard, beyond the
/// buffer: a device that stops playing does not keep soothe forever.
const DRAIN_GRACE: Duration = Duration::from_secs(3);

/// Writes the ring's blocks to a [`Pcm`], and keeps the session's clock.
pub struct Writer {
    ahead: Ahead,
    control: Arc<Control>,
    rate: u32,
    breaks: Arc<Breaks>,
    /// What was written, oldest first, from the first that may not have
    /// been heard; each with the stream index of its first sample.
    sent: VecDeque<(u64, Chunk)>,
    /// The stream index after the last sample written.
    written: u64,
    /// The block being written, and how much of it is.
    current: Option<(Chunk, usize)>,
    /// Blocks to write before the ring's: what a pause took back.
    replay: VecDeque<Chunk>,
    pausing: Pausing,
    /// The serial number of the last jump heard...
    jumped: u64,
    /// ...and of the last one whose cut has been made.
    cut: u64,
    /// How the device has kept time since it last started.
    clock: Option<DeviceClock>,
    /// The stream index at which the device was first given sound since
    /// it last started.
    audible_from: Option<u64>,
}

impl Writer {
    pub fn new(ahead: Ahead, control: Arc<Control>, rate: u32, breaks: Arc<Breaks>) -> Writer {
        Writer {
            ahead,
            control,
            rate: rate.max(1),
            breaks,
            sent: VecDeque::with_capacity(256),
            written: 0,
            current: None,
            replay: VecDeque::new(),
            pausing: Pausing::No,
            jumped: 0,
            cut: 0,
            clock: None,
            audible_from: None,
        }
    }

    /// Plays the session to its end, or until it is stopped (then it falls
    /// silent at once); returns when the last sample has been heard. An error means
    /// the device stopped working.
    pub fn run(mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let result = self.play(pcm);
        self.control.set_finished();
        result
    }

    fn play(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        loop {
            if self.control.is_stopped() {
                return self.stop(pcm);
            }
            let asked = self.control.jump_asked().map_or(0, |(serial, _)| serial);
            if asked > self.cut {
                self.cut = asked;
                self.jump(pcm)?;
            }
            self.ahead.drop_older_than(asked);
            match (self.control.is_paused(), self.pausing) {
                (true, Pausing::No) => self.pause(pcm)?,
                (false, Pausing::Device) => {
                    pcm.hold(false)?;
                    self.pausing = Pausing::No;
                    self.clock = None;
                }
                (false, Pausing::TakenBack) => {
                    self.pausing = Pausing::No;
                    self.clock = None;
                }
                _ => {}
            }
            if self.pausing != Pausing::No {
                self.publish(pcm)?;
                std::thread::sleep(LOOK);
                continue;
            }
            if self.current.is_none() {
                match self.next_block() {
                    Some(chunk) if chunk.len == 0 => return self.drain(pcm),
                    Some(chunk) => self.begin(chunk),
                    None if self.ahead.is_abandoned() => return self.drain(pcm),
                    // The feeder is behind: the device plays what it has.
                    None => {
                        self.publish(pcm)?;
                        std::thread::sleep(Duration::from_millis(1));
                        continue;
                    }
                }
            }
            if !self.write_some(pcm)? {
                pcm.wait(LOOK)?;
            }
            self.publish(pcm)?;
        }
    }

    /// The next block to write: taken back by a pause, else the feeder's.
    fn next_block(&mut self) -> Option<Chunk> {
        if let Some(chunk) = self.replay.pop_front() {
            return Some(chunk);
        }
        let cut = self.cut;
        let next = std::iter::from_fn(|| self.ahead.pop()).find(|chunk| chunk.jumped >= cut);
        // There is room in the ring again.
        self.control.wake();
        next
    }

    /// Makes `chunk` the one being written.
    fn begin(&mut self, chunk: Chunk) {
        if self.audible_from.is_none() && chunk.samples[..chunk.len].iter().any(|s| s.abs() > 1e-4)
        {
            self.audible_from = Some(self.written);
        }
        self.current = Some((chunk, 0));
    }

    /// Writes what fits of the current block; `false` when nothing did.
    fn write_some(&mut self, pcm: &mut impl Pcm) -> Result<bool, String> {
        let Some((chunk, done)) = self.current.as_mut() else {
            return Ok(false);
        };
        let n = pcm.write(&chunk.samples[*done..chunk.len])?;
        *done += n;
        if *done == chunk.len {
            let (chunk, _) = self.current.take().expect("a block is being written");
            let len = chunk.len as u64;
            self.sent.push_back((self.written, chunk));
            self.written += len;
        }
        Ok(n > 0)
    }

    /// The stream index after the last sample written.
    fn taken(&self) -> u64 {
        self.written + self.current.as_ref().map_or(0, |(_, done)| *done as u64)
    }

    /// The stream index of the sample being heard.
    fn heard(&self, pcm: &mut impl Pcm) -> Result<u64, String> {
        Ok(self.taken().saturating_sub(pcm.queued()?))
    }

    /// Publishes the position of the sample being heard, forgets what has
    /// been heard, and checks that the device kept time.
    fn publish(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let heard = self.heard(pcm)?;
        while self.sent.len() > 1 && self.sent[1].0 <= heard {
            self.sent.pop_front();
        }
        let being_heard = match self.sent.front() {
            Some((start, chunk)) if heard >= *start => {
                Some((chunk.jumped, chunk.position((heard - start) as usize)))
            }
            _ => None,
        };
        let position = match (self.pausing, being_heard) {
            (Pausing::TakenBack, _) if !self.replay.is_empty() => {
                self.replay.front().map(|chunk| chunk.position(0))
            }
            // Paused after a jump: the step it goes on with.
            (Pausing::TakenBack, _) => self
                .ahead
                .peek_start()
                .filter(|(jumped, _)| *jumped >= self.cut)
                .map(|(jumped, position)| {
                    if jumped > self.jumped {
                        self.jumped = jumped;
                        self.control.set_jumped(jumped);
                    }
                    position
                }),
            (_, Some((jumped, position))) => {
                // A jump is heard with its first sample: the clock moves
                // there with it, and nothing it skipped counts as heard.
                if jumped > self.jumped {
                    self.jumped = jumped;
                    self.control.set_jumped(jumped);
                }
                Some(position)
            }
            _ => self.current.as_ref().map(|(chunk, _)| chunk.position(0)),
        };
        if let Some(position) = position {
            self.control.set_position(position);
        }
        if self.pausing == Pausing::No {
            let rate = self.rate;
            let taken = self.taken();
            let settled = self
                .audible_from
                .is_some_and(|from| heard > from + u64::from(rate) / 2);
            self.clock
                .get_or_insert_with(|| DeviceClock::new(Instant::now()))
                // What the device has taken, not what it says it holds:
                // it takes as it plays, and its delay is an estimate
                // (PulseAudio's cannot be had at all at first).
                .check(Instant::now(), taken, rate, settled, &self.breaks);
        }
        Ok(())
    }

    /// The samples written and not yet heard, and the rest of the block
    /// being written: oldest first, as blocks with their positions.
    fn unheard(&mut self, pcm: &mut impl Pcm) -> Result<Vec<Chunk>, String> {
        let heard = self.heard(pcm)?;
        let mut unheard = Vec::new();
        for (start, chunk) in self.sent.drain(..) {
            let end = start + chunk.len as u64;
            if end > heard {
                unheard.push(chunk.from(heard.saturating_sub(start) as usize));
            }
        }
        if let Some((chunk, _)) = self.current.take() {
            // Written in part: from what was not heard of it.
            unheard.push(chunk.from(heard.saturating_sub(self.written) as usize));
        }
        self.written = heard;
        Ok(unheard)
    }

    /// Pauses where the sound is.
    fn pause(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        self.publish(pcm)?;
        if pcm.hold(true)? {
            self.pausing = Pausing::Device;
            return Ok(());
        }
        // This device cannot hold: take back what it has not played, to
        // write it again on resume.
        let unheard = self.unheard(pcm)?;
        pcm.discard()?;
        for chunk in unheard.into_iter().rev() {
            self.replay.push_front(chunk);
        }
        self.pausing = Pausing::TakenBack;
        self.restarted();
        Ok(())
    }

    /// A jump: what was to be heard next is thrown away (the ring's
    /// blocks from before the jump too, by the caller).
    fn jump(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let playing = self.pausing == Pausing::No;
        if self.pausing != Pausing::TakenBack {
            self.unheard(pcm)?;
            pcm.discard()?;
            self.restarted();
        }
        if self.pausing == Pausing::Device {
            // Paused: the device stays quiet until the parent goes on.
            self.pausing = Pausing::TakenBack;
        }
        self.replay.clear();
        if playing {
            // A sound server places what comes after a flush as if it had
            // been there all along, and skips what the restart took: let
            // that be a little silence, not the step's first word.
            let mut pad = soothe_core::clock::samples(RESTART_SECONDS, self.rate) as usize;
            while pad > 0 {
                let mut quiet = Chunk::SILENCE;
                quiet.len = pad.min(quiet.samples.len());
                quiet.end = self.control.position();
                // Still the old jump's: the new one is heard with its
                // first sample, not with this quiet.
                quiet.jumped = self.jumped;
                pad -= quiet.len;
                self.replay.push_back(quiet);
            }
        }
        Ok(())
    }

    /// The device starts again: its clock, and when it is first heard.
    fn restarted(&mut self) {
        self.clock = None;
        self.audible_from = None;
    }

    /// Stopped: the sound stops at once.
    fn stop(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        pcm.discard()
    }

    /// Waits until everything written has been heard.
    ///
    /// Nothing is written meanwhile, so what the device holds of soothe's
    /// can only shrink. Once it has had the time to play what it said it
    /// held, a count that no longer shrinks is not soothe's: PipeWire's
    /// ALSA plugin, its ring empty, goes on counting the silence it plays
    /// in its delay, and may not call that an underrun for seconds. Waiting
    /// for it would make the end late, and the session clock, stuck at the
    /// last sample while time went on, would look like the sound breaking up.
    fn drain(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let mut least = pcm.queued()?;
        let due = Instant::now() + Duration::from_secs_f64(least as f64 / f64::from(self.rate));
        let deadline = due + DRAIN_GRACE;
        loop {
            let queued = pcm.queued()?;
            let now = Instant::now();
            if queued == 0 || now >= deadline || (now >= due && queued >= least) {
                break;
            }
            least = least.min(queued);
            self.publish(pcm)?;
            std::thread::sleep(LOOK);
        }
        self.publish(pcm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::feed::Chunk;
    use soothe_core::mix::{Levels, BLOCK};

    /// A sound card that plays `per_wait` samples each time the writer
    /// waits, holds at most `capacity`, and runs `at` once what has been
    /// heard reaches each mark.
    struct Fake<'a> {
        queue: VecDeque<f32>,
        heard: Vec<f32>,
        capacity: usize,
        per_wait: usize,
        can_hold: bool,
        held: bool,
        at: Vec<(usize, Box<dyn FnMut() + 'a>)>,
    }

    impl<'a> Fake<'a> {
        fn new(can_hold: bool) -> Fake<'a> {
            Fake {
                queue: VecDeque::new(),
                heard: Vec::new(),
                capacity: 4_000,
                per_wait: 300,
                can_hold,
                held: false,
                at: Vec::new(),
            }
        }

        fn when(mut self, heard: usize, action: impl FnMut() + 'a) -> Self {
            self.at.push((heard, Box::new(action)));
            self
        }

        fn play(&mut self, n: usize) {
            for _ in 0..n {
                let Some(sample) = self.queue.pop_front() else {
                    break;
                };
                self.heard.push(sample);
                for (mark, action) in &mut self.at {
                    if self.heard.len() == *mark {
                        action();
                    }
                }
            }
        }
    }

    impl Pcm for Fake<'_> {
        fn write(&mut self, samples: &[f32]) -> Result<usize, String> {
            let n = samples.len().min(self.capacity - self.queue.len());
            self.queue.extend(&samples[..n]);
            Ok(n)
        }
        fn wait(&mut self, _: Duration) -> Result<(), String> {
            if !self.held {
                self.play(self.per_wait);
            }
            Ok(())
        }
        fn queued(&mut self) -> Result<u64, String> {
            // Time passes for a device that is not held, whatever the
            // writer is doing.
            if !self.held {
                self.play(64);
            }
            Ok(self.queue.len() as u64)
        }
        fn discard(&mut self) -> Result<(), String> {
            self.queue.clear();
            Ok(())
        }
        fn hold(&mut self, on: bool) -> Result<bool, String> {
            self.held = on && self.can_hold;
            Ok(self.can_hold)
        }
    }

    /// A sound server's ALSA plugin, in real time: from the first write it
    /// plays 48 samples a millisecond, holds `capacity`, and once its ring
    /// is empty goes on counting `own` samples (its own silence) as queued,
    /// as PipeWire's does.
    struct Server {
        start: Option<Instant>,
        written: u64,
        capacity: u64,
        own: u64,
    }

    impl Server {
        fn played(&self) -> u64 {
            let elapsed = self
                .start
                .map_or(0.0, |start| start.elapsed().as_secs_f64());
            ((elapsed * 48_000.0) as u64).min(self.written)
        }
    }

    impl Pcm for Server {
        fn write(&mut self, samples: &[f32]) -> Result<usize, String> {
            self.start.get_or_insert_with(Instant::now);
            let room = self.capacity - (self.written - self.played());
            let n = samples.len().min(room as usize);
            self.written += n as u64;
            Ok(n)
        }
        fn wait(&mut self, timeout: Duration) -> Result<(), String> {
            std::thread::sleep(timeout.min(Duration::from_millis(5)));
            Ok(())
        }
        fn queued(&mut self) -> Result<u64, String> {
            match self.written - self.played() {
                0 => Ok(self.own),
                queued => Ok(queued),
            }
        }
        fn discard(&mut self) -> Result<(), String> {
            self.written = self.played();
            Ok(())
        }
        fn hold(&mut self, _: bool) -> Result<bool, String> {
            Ok(false)
        }
    }

    /// Samples that say where they are in the session: 1 + position (a
    /// step from 100,000 on, after the jump serial number `jumped`).
    fn blocks(from: u64, count: usize, jumped: u64) -> Vec<Chunk> {
        (0..count)
            .map(|k| {
                let mut chunk = Chunk::SILENCE;
                let start = from + (k * BLOCK) as u64;
                for (i, s) in chunk.samples.iter_mut().enumerate() {
                    *s = (start + i as u64 + 1) as f32;
                }
                chunk.len = BLOCK;
                chunk.end = start + BLOCK as u64;
                chunk.advanced = BLOCK;
                chunk.jumped = jumped;
                chunk
            })
            .collect()
    }

    fn writer(chunks: Vec<Chunk>, control: &Arc<Control>) -> Writer {
        let (mut producer, consumer) = rtrb::RingBuffer::new(chunks.len() + 1);
        for chunk in chunks {
            let _ = producer.push(chunk);
        }
        let _ = producer.push(Chunk::SILENCE);
        Writer::new(
            Ahead::from_ring(consumer),
            control.clone(),
            48_000,
            Arc::new(Breaks::default()),
        )
    }

    /// Where `heard` first differs from `expected`, if it does.
    fn differs(heard: &[u64], expected: std::ops::Range<u64>) -> Option<String> {
        let expected: Vec<u64> = expected.collect();
        if heard == expected {
            return None;
        }
        let at = heard.iter().zip(&expected).position(|(a, b)| a != b);
        Some(format!(
            "{} heard, {} expected; first difference at {at:?}: {:?}",
            heard.len(),
            expected.len(),
            at.map(|at| &heard[at..(at + 5).min(heard.len())])
        ))
    }

    /// The positions heard, without the silence.
    fn positions(heard: &[f32]) -> Vec<u64> {
        heard
            .iter()
            .filter(|s| **s != 0.0)
            .map(|s| *s as u64 - 1)
            .collect()
    }

    #[test]
    fn everything_written_is_heard_in_order_and_the_clock_is_what_is_heard() {
        let control = Control::new(Levels::UNITY);
        let seen = std::cell::RefCell::new(Vec::new());
        let mut pcm = Fake::new(true).when(10_000, || seen.borrow_mut().push(control.position()));
        writer(blocks(0, 40, 0), &control).run(&mut pcm).unwrap();
        assert_eq!(differs(&positions(&pcm.heard), 0..40 * BLOCK as u64), None);
        // The clock is the sample being heard (within what the device
        // played since it was last asked), not what was written ahead.
        let at = seen.borrow()[0];
        assert!((9_300..10_700).contains(&at), "{at}");
        assert!(control.is_finished());
    }

    #[test]
    fn a_jump_throws_away_what_was_queued_and_the_step_follows_after_a_little_silence() {
        let control = Control::new(Levels::UNITY);
        let mut chunks = blocks(0, 40, 0);
        chunks.extend(blocks(100_000, 10, 1));
        let mut pcm = Fake::new(true).when(5_000, || control.jump_to_step(1));
        writer(chunks, &control).run(&mut pcm).unwrap();
        let heard = positions(&pcm.heard);
        let cut = heard.iter().position(|p| *p >= 100_000).unwrap();
        // Nothing after the sample heard when the jump was asked...
        assert!((5_000..5_700).contains(&cut), "{cut}");
        assert_eq!(differs(&heard[..cut], 0..cut as u64), None);
        // ...then the step, whole, from its first sample.
        assert_eq!(
            differs(&heard[cut..], 100_000..100_000 + 10 * BLOCK as u64),
            None
        );
        // The silence the device starts again in.
        let first_new = pcm.heard.iter().position(|s| *s == 100_001.0).unwrap();
        assert_eq!(
            first_new - cut,
            soothe_core::clock::samples(RESTART_SECONDS, 48_000) as usize
        );
        assert_eq!(control.pending_jump(), None);
    }

    #[test]
    fn a_pause_loses_and_repeats_nothing_whether_or_not_the_device_can_hold() {
        for can_hold in [true, false] {
            let control = Control::new(Levels::UNITY);
            let mut pcm = Fake::new(can_hold).when(3_000, || control.set_paused(true));
            // Resumed a while later, as a parent would.
            let resume = {
                let control = control.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(100));
                    control.set_paused(false);
                })
            };
            writer(blocks(0, 20, 0), &control).run(&mut pcm).unwrap();
            resume.join().unwrap();
            assert_eq!(
                differs(&positions(&pcm.heard), 0..20 * BLOCK as u64),
                None,
                "can hold: {can_hold}"
            );
        }
    }

    #[test]
    fn a_stop_is_silent_at_once_and_ends_the_writer() {
        let control = Control::new(Levels::UNITY);
        let mut pcm = Fake::new(true).when(2_000, || control.stop());
        writer(blocks(0, 40, 0), &control).run(&mut pcm).unwrap();
        assert!(
            (2_000..2_700).contains(&pcm.heard.len()),
            "{}",
            pcm.heard.len()
        );
        assert!(pcm.queue.is_empty());
        assert!(control.is_finished());
    }

    #[test]
    fn a_device_that_counts_its_own_silence_after_the_end_is_not_taken_for_a_break() {
        let control = Control::new(Levels::UNITY);
        // A second of sound, through a device that holds a quarter of it.
        let writer = writer(blocks(0, 100, 0), &control);
        let breaks = writer.breaks.clone();
        let mut pcm = Server {
            start: None,
            written: 0,
            capacity: 12_000,
            own: 1_500,
        };
        writer.run(&mut pcm).unwrap();
        // Everything was heard before the writer let the device go...
        assert_eq!(pcm.played(), 100 * BLOCK as u64);
        // ...and nothing broke, so nothing is claimed.
        assert_eq!(breaks.total(), (0, Duration::ZERO));
    }
}
