//! Writing the session to the sound card, a little ahead.
//!
//! The feeder thread ([`crate::output::feed`]) mixes the session half a second
//! ahead into a ring; the [`Writer`] keeps the device [`QUEUE_SECONDS`]
//! ahead of the loudspeaker, no more (more once the machine has held it
//! back for most of that): either thread may be held back that long.
//!
//! What the device holds is as good as heard: a sound server takes no
//! changes to it, and taking it back and starting again leaves a gap that
//! clicks (and, through PulseAudio, a stream that no longer says how much
//! it holds). So the controls act where the device's queue meets the ring,
//! on samples not given to it yet, and are heard when the queue has been:
//! - a pause fades out over the next 12 ms ([`crate::output::fade`]), then gives
//!   the device silence; a resume goes on from the fade's first sample;
//! - a jump fades out what was playing, and the step jumped to follows
//!   the fade at once;
//! - a stop throws away what the device holds ([`Pcm::discard`]): the
//!   sound stops at once.
//!
//! The writer also keeps the session's clock: the position it publishes
//! is that of the sample being heard (what was written, less what the
//! device says it still holds), so the view, the chimes and the words stay
//! together whatever the machine does; and it notices when the sound broke
//! up ([`Breaks`]).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::output::fade;
use crate::output::feed::{Ahead, Breaks, Chunk, DeviceClock, Emptying};
use crate::output::pcm::Pcm;
use soothe_core::mix::Control;

/// What the writer keeps queued on the device to begin with: how long the
/// writer thread may be held back without a sound being lost, and how
/// long a key takes to be heard.
pub const QUEUE_SECONDS: f64 = 0.2;
/// How long the writer waits at most before it looks at the controls
/// again (and writes at least this much at a time).
const LOOK: Duration = Duration::from_millis(10);
/// Silence written first when the device starts again after running dry.
const RESTART_SECONDS: f64 = 0.04;
/// Silence given to the device while there is nothing else to give it,
/// this much at a time.
const FILLER_SECONDS: f64 = 0.01;

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
    /// Blocks to write before the ring's: what a pause kept.
    kept: VecDeque<Chunk>,
    paused: bool,
    /// The serial number of the last jump heard...
    jumped: u64,
    /// ...and of the last one whose cut has been made.
    cut: u64,
    /// How the device has kept time.
    clock: Option<DeviceClock>,
    /// The stream index at which the device was first given sound.
    audible_from: Option<u64>,
    /// How many samples to keep queued, and the most that ever will be...
    target: u64,
    most: u64,
    /// ...and whether the queue was full when the writer last looked.
    topped_up: bool,
    /// The samples of a fade.
    fade: usize,
    /// Whether the device starts again with the next of the session's
    /// samples (after a little silence).
    restarting: bool,
    /// When the writer last looked at the device, and what it held then.
    looked: Option<(Instant, u64)>,
    /// Whether the device ran dry while the writer was held back.
    ran_dry: bool,
    /// Whether the last of the session's samples given to the device were
    /// quiet (the writer's own silence aside).
    quiet: bool,
}

impl Writer {
    pub fn new(ahead: Ahead, control: Arc<Control>, rate: u32, breaks: Arc<Breaks>) -> Writer {
        let rate = rate.max(1);
        Writer {
            ahead,
            control,
            rate,
            breaks,
            sent: VecDeque::with_capacity(256),
            written: 0,
            current: None,
            kept: VecDeque::new(),
            paused: false,
            jumped: 0,
            cut: 0,
            clock: None,
            audible_from: None,
            target: soothe_core::clock::samples(QUEUE_SECONDS, rate),
            most: soothe_core::clock::samples(crate::output::device::BUFFER_SECONDS, rate),
            topped_up: false,
            fade: fade::length(rate),
            restarting: false,
            looked: None,
            ran_dry: false,
            quiet: true,
        }
    }

    /// Plays the session to its end, or until it is stopped (then at once);
    /// returns when the last sample has been heard. An error means the
    /// device stopped working.
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
            match (self.control.is_paused(), self.paused) {
                (true, false) => self.pause(pcm)?,
                (false, true) => self.resume(),
                _ => {}
            }
            let queued = self.publish(pcm)?;
            let wanted = self.wanted(queued, pcm.short());
            if pcm.restarted() || std::mem::take(&mut self.ran_dry) {
                self.restart();
            }
            if self.current.is_none() {
                let next = if self.paused { None } else { self.next_block() };
                match next {
                    Some(chunk) if chunk.len == 0 => return self.drain(pcm),
                    Some(chunk) if self.restarting && !chunk.padding => {
                        self.restarting = false;
                        self.kept.push_front(chunk);
                        self.pad_restart();
                        continue;
                    }
                    Some(chunk) => self.begin(chunk),
                    None if !self.paused && self.ahead.is_abandoned() => return self.drain(pcm),
                    // Paused, or the feeder is behind: silence.
                    None => match self.silence(queued, wanted) {
                        None if !self.paused => {
                            self.may_run_dry();
                            pcm.nap(Duration::from_millis(1));
                            continue;
                        }
                        Some(silence) => self.begin(silence),
                        None => {
                            pcm.nap(LOOK);
                            continue;
                        }
                    },
                }
            }
            // Written up to the queue, at least a look's worth at a time.
            if wanted <= self.look() {
                self.topped_up = true;
                pcm.nap(LOOK);
                continue;
            }
            if std::mem::take(&mut self.topped_up) {
                self.keep_up(queued);
            }
            if !self.write_some(pcm, wanted)? {
                pcm.wait(LOOK)?;
            }
        }
    }

    /// How many samples to give the device now, when it holds `queued`
    /// and is `short` of what it needs to play: up to the queue, and never
    /// leaving it short, with a look's worth to spare. (Trusting the queue
    /// alone, the writer once waited for a sound server's latency to go
    /// down while the server, run dry, waited for a start's worth.)
    fn wanted(&self, queued: u64, short: u64) -> u64 {
        let up_to_the_queue = self.target.saturating_sub(queued);
        match short {
            0 => up_to_the_queue,
            short => up_to_the_queue.max(short + self.look()),
        }
    }

    /// A look's worth of samples ([`LOOK`]).
    fn look(&self) -> u64 {
        soothe_core::clock::samples(LOOK.as_secs_f64(), self.rate)
    }

    /// The next block to write: kept by a pause, else the feeder's.
    fn next_block(&mut self) -> Option<Chunk> {
        self.kept.pop_front().or_else(|| self.ring_block())
    }

    /// The feeder's next block, after the last jump asked for.
    fn ring_block(&mut self) -> Option<Chunk> {
        let cut = self.cut;
        let next = std::iter::from_fn(|| self.ahead.pop()).find(|chunk| chunk.jumped >= cut);
        // There is room in the ring again.
        self.control.wake();
        next
    }

    /// Makes `chunk` the one being written.
    fn begin(&mut self, chunk: Chunk) {
        if self.audible_from.is_none() && !chunk.is_quiet(chunk.len) {
            self.audible_from = Some(self.written);
        }
        if !chunk.padding {
            self.quiet = chunk.is_quiet(self.fade);
        }
        self.current = Some((chunk, 0));
    }

    /// Writes what fits of the current block, `most` samples at most;
    /// `false` when nothing did.
    fn write_some(&mut self, pcm: &mut impl Pcm, most: u64) -> Result<bool, String> {
        let Some((chunk, done)) = self.current.as_mut() else {
            return Ok(false);
        };
        let most = usize::try_from(most).unwrap_or(usize::MAX);
        let n = pcm.write(&chunk.samples[*done..chunk.len.min(done.saturating_add(most))])?;
        *done += n;
        if *done == chunk.len {
            let (chunk, _) = self.current.take().expect("a block is being written");
            let len = chunk.len as u64;
            self.sent.push_back((self.written, chunk));
            self.written += len;
        }
        Ok(n > 0)
    }

    /// Writes `chunks` whole, before anything else.
    fn write_all(&mut self, pcm: &mut impl Pcm, chunks: Vec<Chunk>) -> Result<(), String> {
        for chunk in chunks {
            self.begin(chunk);
            while self.current.is_some() {
                if !self.write_some(pcm, u64::MAX)? {
                    pcm.wait(LOOK)?;
                }
            }
        }
        Ok(())
    }

    /// The stream index after the last sample written.
    fn taken(&self) -> u64 {
        self.written + self.current.as_ref().map_or(0, |(_, done)| *done as u64)
    }

    /// Publishes the position of the sample being heard, forgets what has
    /// been heard, and checks that the device kept time. Returns how many
    /// samples the device holds.
    fn publish(&mut self, pcm: &mut impl Pcm) -> Result<u64, String> {
        let queued = pcm.queued()?;
        let heard = self.taken().saturating_sub(queued);
        while self.sent.len() > 1 && self.sent[1].0 <= heard {
            self.sent.pop_front();
        }
        let position = match self.sent.front() {
            Some((start, chunk)) if heard >= *start => {
                Some((chunk.jumped, chunk.position((heard - start) as usize)))
            }
            _ => self
                .current
                .as_ref()
                .map(|(chunk, _)| (chunk.jumped, chunk.position(0))),
        };
        if let Some((jumped, position)) = position {
            // A jump is heard with its first sample: the clock moves there
            // with it, and nothing it skipped counts as heard.
            if jumped > self.jumped {
                self.jumped = jumped;
                self.control.set_jumped(jumped);
            }
            self.control.set_position(position);
        }
        let rate = self.rate;
        let taken = self.taken();
        let settled = self
            .audible_from
            .is_some_and(|from| heard > from + u64::from(rate) / 2);
        let now = Instant::now();
        // Held back for longer than the device had left to play (the queue,
        // which the writer keeps full: a sound server's word for what it
        // holds may be low), it may have run dry; for longer than its whole
        // buffer, while it played, it has, whatever it says (PulseAudio's
        // plugin says nothing if written to first), and starts again.
        let time = |samples: u64| Duration::from_secs_f64(samples as f64 / f64::from(rate));
        let away = self
            .looked
            .map(|(then, held)| (now.duration_since(then), held));
        let late = away.is_some_and(|(away, _)| away > time(self.target));
        self.ran_dry |= away.is_some_and(|(away, held)| held > 0 && away > time(self.most));
        self.looked = Some((now, queued));
        if late {
            self.clock.get_or_insert_with(|| DeviceClock::new(now));
            self.may_run_dry();
        }
        let clock = self
            .clock
            .get_or_insert_with(|| DeviceClock::new(Instant::now()));
        // What the device has taken, not what it says it holds: it takes
        // as it plays, and its delay is an estimate (PulseAudio's cannot
        // be had at all at first).
        clock.check(Instant::now(), taken, rate, settled, &self.breaks);
        Ok(queued)
    }

    /// What follows the last sample written, as far as it is known: the
    /// rest of the block being written, the blocks kept, and the ring's
    /// blocks that go on from them, at least a fade's worth if there are.
    /// They are taken: the caller puts back what is to be played.
    fn take_what_follows(&mut self) -> Vec<Chunk> {
        let mut follows: Vec<Chunk> = Vec::new();
        if let Some((chunk, done)) = self.current.take() {
            follows.push(chunk.from(done));
        }
        follows.extend(self.kept.drain(..));
        let mut jumped = follows
            .last()
            .or(self.sent.back().map(|(_, chunk)| chunk))
            .map(|chunk| chunk.jumped);
        while Chunk::sound_in(&follows) < self.fade
            && follows.last().is_none_or(|chunk| chunk.len > 0)
        {
            let Some(chunk) = jumped.and_then(|jumped| self.ahead.pop_of(jumped)) else {
                break;
            };
            jumped = Some(chunk.jumped);
            follows.push(chunk);
        }
        self.control.wake();
        follows
    }

    /// Pauses: what would be heard next fades out, and the rest is kept
    /// to go on from where the fade began; silence follows.
    fn pause(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let follows = self.take_what_follows();
        self.write_all(pcm, fade::out(&follows, self.fade))?;
        self.kept.extend(follows);
        self.paused = true;
        Ok(())
    }

    /// Goes on from where the pause's fade began (or from the step of a
    /// jump made while paused), fading in.
    fn resume(&mut self) {
        self.paused = false;
        while Chunk::sound_in(&self.kept) < self.fade
            && self.kept.back().is_none_or(|chunk| chunk.len > 0)
        {
            let Some(chunk) = self.ring_block() else {
                break;
            };
            self.kept.push_back(chunk);
        }
        fade::fade_in(self.kept.make_contiguous(), self.fade);
    }

    /// A jump: what was playing fades out, and what the feeder makes of
    /// the step jumped to follows (while paused, on resume).
    fn jump(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let follows = if self.paused {
            Vec::new()
        } else {
            self.take_what_follows()
        };
        self.kept.clear();
        self.ahead.drop_older_than(self.cut);
        self.write_all(pcm, fade::out(&follows, self.fade))
    }

    /// Silence up to the queue (`wanted` more, see [`Writer::wanted`])
    /// while there is nothing else to give the device: while paused, and while the feeder is behind where what
    /// the device plays is quiet anyway (a sound cut off is the sound
    /// breaking up, counted as such). The quiet is a little longer, where
    /// the device would have run dry and started again.
    fn silence(&mut self, queued: u64, wanted: u64) -> Option<Chunk> {
        let (_, last) = self.sent.back()?;
        let (position, jumped) = if self.paused {
            // Where the session will go on: after a jump made meanwhile,
            // at the step it goes to.
            self.kept
                .front()
                .map(|chunk| (chunk.position(0), chunk.jumped))
                .or_else(|| self.ahead.peek_start().map(|(jumped, at)| (at, jumped)))
                .filter(|(_, jumped)| *jumped >= self.cut)
                .unwrap_or((last.position(last.len), last.jumped))
        } else {
            (last.position(last.len), last.jumped)
        };
        if !self.paused {
            self.topped_up = false;
            // Only to keep a device going that plays in real time: one that
            // holds nothing plays as fast as it is given (alsa-lib's file
            // plugin), or has run dry already.
            if !self.quiet || queued == 0 {
                return None;
            }
        }
        let len = soothe_core::clock::samples(FILLER_SECONDS, self.rate) as usize;
        (wanted > 0).then(|| Chunk::padding(len, position, jumped))
    }

    /// The device has started again after it ran dry: what was being
    /// written goes on after a little silence ([`Writer::pad_restart`]).
    fn restart(&mut self) {
        if let Some((chunk, done)) = self.current.take() {
            self.kept.push_front(chunk.from(done));
        }
        self.restarting = true;
    }

    /// The device may run dry, through soothe's fault: it was given
    /// nothing in time (the writer was held back, or the feeder is behind).
    /// If it was playing sound, the sound breaks up: the step of the
    /// device's clock that follows is counted ([`DeviceClock::ran_dry`]).
    /// (A sound server that takes nothing while soothe's queue is full is
    /// another matter, and so is a quiet stretch made longer.)
    fn may_run_dry(&mut self) {
        if let (false, Some(clock)) = (self.quiet, &mut self.clock) {
            clock.ran_dry();
        }
    }

    /// Before the first of the session's samples after the device ran
    /// dry: a sound server may skip the first milliseconds of a stream it
    /// starts again (as if it had been playing all along), so let them be
    /// silence, and what was cut off go on from where it stopped.
    fn pad_restart(&mut self) {
        let Some(next) = self.kept.front() else {
            return;
        };
        let (position, jumped) = (next.position(0), next.jumped);
        if let Some(clock) = &mut self.clock {
            clock.padded(RESTART_SECONDS, &self.breaks);
        }
        let mut pad = soothe_core::clock::samples(RESTART_SECONDS, self.rate) as usize;
        while pad > 0 {
            let quiet = Chunk::padding(pad, position, jumped);
            pad -= quiet.len;
            self.kept.push_front(quiet);
        }
    }

    /// Back after the queue was full, with `queued` samples left on the
    /// device: when the writer was held back so long that the device had
    /// under a quarter of the queue left, it keeps more queued from now on.
    fn keep_up(&mut self, queued: u64) {
        if queued < self.target / 4 {
            let target = (self.target * 3 / 2).min(self.most);
            if let Some(clock) = &mut self.clock {
                clock.queue_grew((target - self.target) as f64 / f64::from(self.rate));
            }
            self.target = target;
        }
    }

    /// Stopped: the sound stops at once.
    fn stop(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        pcm.discard()
    }

    /// Waits until everything written has been heard.
    fn drain(&mut self, pcm: &mut impl Pcm) -> Result<(), String> {
        let queued = self.publish(pcm)?;
        let mut emptying = Emptying::new(queued, self.rate);
        loop {
            let queued = pcm.queued()?;
            if emptying.done(queued) {
                break;
            }
            self.publish(pcm)?;
            pcm.nap(LOOK);
        }
        self.publish(pcm).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::feed::Chunk;
    use soothe_core::mix::{Levels, BLOCK};

    /// A sound card that plays `per_wait` samples each time the writer
    /// waits (and 64 each time it asks what is queued: time passes
    /// whatever the writer does), holds at most `capacity`, and runs `at`
    /// once what has been heard reaches each mark.
    struct Fake<'a> {
        queue: VecDeque<f32>,
        heard: Vec<f32>,
        capacity: usize,
        per_wait: usize,
        /// The most that was queued after each write.
        levels: Vec<usize>,
        /// Once this much has been heard, this much more plays at once,
        /// as if the writer had been held back meanwhile...
        stall: Option<(usize, usize)>,
        /// ...after this many writes.
        stalled_after: Option<usize>,
        at: Vec<(usize, Box<dyn FnMut() + 'a>)>,
    }

    impl<'a> Fake<'a> {
        fn new() -> Fake<'a> {
            Fake {
                queue: VecDeque::new(),
                heard: Vec::new(),
                capacity: 4_000,
                per_wait: 300,
                levels: Vec::new(),
                stall: None,
                stalled_after: None,
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
            self.levels.push(self.queue.len());
            Ok(n)
        }
        fn wait(&mut self, _: Duration) -> Result<(), String> {
            self.play(self.per_wait);
            Ok(())
        }
        fn queued(&mut self) -> Result<u64, String> {
            self.play(64);
            if let Some((mark, more)) = self.stall {
                if self.heard.len() >= mark {
                    self.stall = None;
                    self.stalled_after = Some(self.levels.len());
                    self.play(more);
                }
            }
            Ok(self.queue.len() as u64)
        }
        fn discard(&mut self) -> Result<(), String> {
            self.queue.clear();
            Ok(())
        }
        fn nap(&mut self, _: Duration) {
            self.play(self.per_wait);
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// A sound server's ALSA plugin, in real time: from a write it plays 48
    /// samples a millisecond, holds `capacity`, and once its ring is empty
    /// goes on counting `own` samples (its own silence) as queued, as
    /// PipeWire's does. Run dry, it refuses the next write (as ALSA does),
    /// starts again with the one after, and counts how long it was silent;
    /// or, `wordless`, starts again with that write without a word.
    struct Server {
        /// When it last started, and what it had played then.
        base: Option<(Instant, u64)>,
        written: u64,
        capacity: u64,
        own: u64,
        /// Each time it ran dry, for how long.
        dry: Vec<Duration>,
        /// Once it has played this much, it is held back this long.
        held_back: Option<(u64, Duration)>,
        /// Once this much was written, the writer is held back this long
        /// (when it next asks what is queued).
        writer_held_back: Option<(u64, Duration)>,
        /// Whether it started again since the writer last asked.
        restarted: bool,
        wordless: bool,
        /// The first samples it was given after it first ran dry.
        after_dry: Vec<f32>,
    }

    impl Server {
        fn new(capacity: u64, own: u64) -> Server {
            Server {
                base: None,
                written: 0,
                capacity,
                own,
                dry: Vec::new(),
                held_back: None,
                writer_held_back: None,
                restarted: false,
                wordless: false,
                after_dry: Vec::new(),
            }
        }

        fn played(&self) -> u64 {
            self.base.map_or(self.written, |(start, played)| {
                let more = (start.elapsed().as_secs_f64() * 48_000.0) as u64;
                let played = match self.held_back {
                    Some((mark, held)) if played + more > mark => {
                        let held = (held.as_secs_f64() * 48_000.0) as u64;
                        mark.max((played + more).saturating_sub(held))
                    }
                    _ => played + more,
                };
                played.min(self.written)
            })
        }
    }

    impl Pcm for Server {
        fn write(&mut self, samples: &[f32]) -> Result<usize, String> {
            if samples.is_empty() {
                return Ok(0);
            }
            let now = Instant::now();
            match self.base {
                None => self.base = Some((now, self.written)),
                Some((start, played)) if self.played() == self.written => {
                    let ran_out =
                        Duration::from_secs_f64((self.written - played) as f64 / 48_000.0);
                    self.dry.push(now.duration_since(start + ran_out));
                    // As ALSA does: the write that finds it run dry fails,
                    // and it is made ready to start again.
                    self.base = None;
                    if !self.wordless {
                        self.restarted = true;
                        return Ok(0);
                    }
                    self.base = Some((now, self.written));
                }
                Some(_) => {}
            }
            let room = self.capacity - (self.written - self.played());
            let n = samples.len().min(room as usize);
            self.written += n as u64;
            if !self.dry.is_empty() && self.after_dry.len() < 4 * BLOCK {
                self.after_dry
                    .extend(&samples[..n.min(4 * BLOCK - self.after_dry.len())]);
            }
            Ok(n)
        }
        fn wait(&mut self, timeout: Duration) -> Result<(), String> {
            std::thread::sleep(timeout.min(Duration::from_millis(5)));
            Ok(())
        }
        fn queued(&mut self) -> Result<u64, String> {
            if let Some((mark, time)) = self.writer_held_back {
                if self.written >= mark {
                    self.writer_held_back = None;
                    std::thread::sleep(time);
                }
            }
            match self.written - self.played() {
                0 => Ok(self.own),
                queued => Ok(queued),
            }
        }
        fn restarted(&mut self) -> bool {
            std::mem::take(&mut self.restarted)
        }
        fn discard(&mut self) -> Result<(), String> {
            self.written = self.played();
            Ok(())
        }
    }

    /// PulseAudio through alsa-lib's plugin, as it was seen on a busy
    /// machine (tests/live_load.rs): the server takes a period (50 ms) from
    /// the stream's own buffer every 50 ms; once it has taken `from`, its
    /// latency says the stream holds `overstated` more than it does (its
    /// clock lags, after the server was held back); and once the stream has
    /// run dry, it waits, without a word to alsa-lib, until the stream
    /// holds a start's worth (`prebuf`), as at first. Stood still for a
    /// second, it fails.
    struct Prebuffering {
        start: Instant,
        /// Periods gone by, taken or not.
        periods: u64,
        written: u64,
        taken: u64,
        playing: bool,
        from: u64,
        overstated: u64,
        /// When it last stopped playing.
        stopped: Instant,
    }

    impl Prebuffering {
        const PERIOD: u64 = 2_400;
        const PREBUF: u64 = 4_800;
        const CAPACITY: u64 = 24_000;

        fn new(from: u64, overstated: u64) -> Prebuffering {
            Prebuffering {
                start: Instant::now(),
                periods: 0,
                written: 0,
                taken: 0,
                playing: false,
                from,
                overstated,
                stopped: Instant::now(),
            }
        }

        /// What the stream's own buffer holds.
        fn holds(&self) -> u64 {
            self.written - self.taken
        }

        fn run(&mut self) -> Result<(), String> {
            let periods = self.start.elapsed().as_millis() as u64 / 50;
            while self.periods < periods {
                self.periods += 1;
                if !self.playing && self.holds() >= Self::PREBUF {
                    self.playing = true;
                }
                if self.playing {
                    let take = self.holds().min(Self::PERIOD);
                    self.taken += take;
                    if take < Self::PERIOD {
                        self.playing = false;
                        self.stopped = Instant::now();
                    }
                }
            }
            if !self.playing && self.stopped.elapsed() > Duration::from_secs(1) {
                return Err(format!(
                    "the stream waits for a start's worth, holding {}",
                    self.holds()
                ));
            }
            Ok(())
        }
    }

    impl Pcm for Prebuffering {
        fn write(&mut self, samples: &[f32]) -> Result<usize, String> {
            self.run()?;
            let n = (samples.len() as u64).min(Self::CAPACITY - self.holds());
            self.written += n;
            Ok(n as usize)
        }
        fn wait(&mut self, timeout: Duration) -> Result<(), String> {
            std::thread::sleep(timeout.min(Duration::from_millis(5)));
            Ok(())
        }
        fn queued(&mut self) -> Result<u64, String> {
            self.run()?;
            let overstated = if self.taken >= self.from {
                self.overstated
            } else {
                0
            };
            Ok(self.holds() + overstated)
        }
        fn short(&mut self) -> u64 {
            Self::PREBUF.saturating_sub(self.holds())
        }
        fn discard(&mut self) -> Result<(), String> {
            self.taken = self.written;
            Ok(())
        }
    }

    /// A feeder that is held back, in real time: `parts` of blocks, each
    /// made available after a wait; then the end.
    fn late_feeder(parts: Vec<(Duration, Vec<Chunk>)>) -> Ahead {
        // A ring too short to make up for the wait.
        let (mut producer, consumer) = rtrb::RingBuffer::new(4);
        std::thread::spawn(move || {
            for (wait, chunks) in parts {
                std::thread::sleep(wait);
                for chunk in chunks.into_iter().chain([]) {
                    let mut chunk = chunk;
                    while let Err(rtrb::PushError::Full(back)) = producer.push(chunk) {
                        chunk = back;
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
            }
            let _ = producer.push(Chunk::SILENCE);
        });
        Ahead::from_ring(consumer)
    }

    /// `count` blocks of silence from `from`.
    fn quiet(from: u64, count: usize) -> Vec<Chunk> {
        let mut chunks = blocks(from, count, 0);
        for chunk in &mut chunks {
            chunk.samples = [0.0; BLOCK];
        }
        chunks
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

    /// How many samples from `at` on are the positions from `from` on,
    /// whole (not faded).
    fn whole_from(heard: &[f32], at: usize, from: u64) -> usize {
        heard[at..]
            .iter()
            .zip(from + 1..)
            .take_while(|(s, p)| **s == *p as f32)
            .count()
    }

    /// Checks that `heard[at..]` is the fade out (`out`) or in of the
    /// positions from `from`: each sample a part of it, going down (or
    /// up) smoothly to silence (or from it). Returns the fade's length.
    fn fade_at(heard: &[f32], at: usize, from: u64, out: bool) -> usize {
        let len = fade::length(48_000);
        let gains: Vec<f32> = (0..len)
            .map(|k| heard[at + k] / (from + k as u64 + 1) as f32)
            .collect();
        for (k, pair) in gains.windows(2).enumerate() {
            let step = if out {
                pair[0] - pair[1]
            } else {
                pair[1] - pair[0]
            };
            assert!(
                (0.0..0.003).contains(&step),
                "the fade at {at} steps by {step} at {k}: {gains:?}"
            );
        }
        let (first, last) = (gains[0], gains[len - 1]);
        let (loud, quiet) = if out { (first, last) } else { (last, first) };
        assert!(loud > 0.999 && quiet < 0.001, "{first} to {last}");
        len
    }

    #[test]
    fn everything_written_is_heard_in_order_and_the_clock_is_what_is_heard() {
        let control = Control::new(Levels::UNITY);
        let seen = std::cell::RefCell::new(Vec::new());
        let mut pcm = Fake::new().when(10_000, || seen.borrow_mut().push(control.position()));
        writer(blocks(0, 40, 0), &control).run(&mut pcm).unwrap();
        assert_eq!(differs(&positions(&pcm.heard), 0..40 * BLOCK as u64), None);
        // The clock is the sample being heard (within what the device
        // played since it was last asked), not what was written ahead.
        let at = seen.borrow()[0];
        assert!((9_300..10_700).contains(&at), "{at}");
        assert!(control.is_finished());
    }

    #[test]
    fn a_jump_plays_what_the_device_holds_fades_out_and_the_step_follows_at_once() {
        let control = Control::new(Levels::UNITY);
        let mut chunks = blocks(0, 40, 0);
        chunks.extend(blocks(100_000, 10, 1));
        let mut pcm = Fake::new().when(5_000, || control.jump_to_step(1));
        writer(chunks, &control).run(&mut pcm).unwrap();
        let heard = &pcm.heard;
        // Everything the device held when the jump was asked is heard...
        let cut = whole_from(heard, 0, 0);
        assert!((5_000..5_000 + 4_700).contains(&cut), "{cut}");
        // ...then what would have followed, fading out...
        let fade = fade_at(heard, cut, cut as u64, true);
        // ...and at once the step, whole, from its first sample.
        let step = cut + fade;
        assert_eq!(whole_from(heard, step, 100_000), 10 * BLOCK);
        assert_eq!(heard.len(), step + 10 * BLOCK);
        assert_eq!(control.pending_jump(), None);
    }

    #[test]
    fn a_pause_fades_out_and_goes_on_from_the_very_sample_where_the_fade_began() {
        // Resumed before the fade has been heard, and a while after.
        for resume in [5_000, 30_000] {
            let control = Control::new(Levels::UNITY);
            let mut pcm = Fake::new()
                .when(3_000, || control.set_paused(true))
                .when(resume, || control.set_paused(false));
            writer(blocks(0, 20, 0), &control).run(&mut pcm).unwrap();
            let quickly = resume == 5_000;
            let heard = &pcm.heard;
            // Everything the device held when the pause was asked...
            let paused = whole_from(heard, 0, 0);
            assert!((3_000..3_000 + 4_700).contains(&paused), "{paused}");
            // ...then a fade out, silence (the device kept going), and
            // the very samples the fade began with, fading in.
            let fade = fade_at(heard, paused, paused as u64, true);
            let silent = heard[paused + fade..]
                .iter()
                .take_while(|s| **s == 0.0)
                .count();
            assert!(quickly || silent > 48_000 / 10, "{silent}");
            let back = paused + fade + silent;
            fade_at(heard, back, paused as u64, false);
            // The rest, whole, to the end: nothing lost or repeated.
            let rest = 20 * BLOCK - paused - fade;
            assert_eq!(whole_from(heard, back + fade, (paused + fade) as u64), rest);
            assert_eq!(heard.len(), back + fade + rest);
            // While paused, the clock stood where the fade began.
            assert_eq!(control.heard(), 20 * BLOCK as u64);
        }
    }

    #[test]
    fn a_jump_while_paused_goes_on_from_the_step_after_the_pause_faded_out() {
        let control = Control::new(Levels::UNITY);
        let mut chunks = blocks(0, 40, 0);
        chunks.extend(blocks(100_000, 10, 1));
        let seen = std::cell::RefCell::new(Vec::new());
        let mut pcm = Fake::new()
            .when(3_000, || control.set_paused(true))
            .when(5_000, || control.jump_to_step(1))
            .when(25_000, || seen.borrow_mut().push(control.position()))
            .when(30_000, || control.set_paused(false));
        writer(chunks, &control).run(&mut pcm).unwrap();
        let heard = &pcm.heard;
        let paused = whole_from(heard, 0, 0);
        let fade = fade_at(heard, paused, paused as u64, true);
        let silent = heard[paused + fade..]
            .iter()
            .take_while(|s| **s == 0.0)
            .count();
        let step = paused + fade + silent;
        fade_at(heard, step, 100_000, false);
        assert_eq!(
            whole_from(heard, step + fade, 100_000 + fade as u64),
            10 * BLOCK - fade
        );
        // Still paused, the clock showed the step it goes on with.
        assert!(step > 30_000, "{step}");
        assert_eq!(seen.borrow()[..], [100_000]);
        assert_eq!(control.pending_jump(), None);
    }

    #[test]
    fn a_stop_is_silent_at_once_and_ends_the_writer() {
        let control = Control::new(Levels::UNITY);
        let mut pcm = Fake::new().when(2_000, || control.stop());
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
    fn the_device_is_kept_a_little_ahead_and_further_once_the_writer_was_held_back() {
        let control = Control::new(Levels::UNITY);
        let mut pcm = Fake::new();
        pcm.capacity = 48_000;
        // Held back once for as long as the queue lasts, 10,000 in.
        pcm.stall = Some((10_000, 7_000));
        writer(blocks(0, 200, 0), &control).run(&mut pcm).unwrap();
        let queue = soothe_core::clock::samples(QUEUE_SECONDS, 48_000) as usize;
        let at_stall = pcm.stalled_after.unwrap();
        let before = pcm.levels[..at_stall].iter().max().unwrap();
        let after = pcm.levels[at_stall..].iter().max().unwrap();
        assert_eq!(*before, queue);
        assert_eq!(*after, queue * 3 / 2);
        assert_eq!(differs(&positions(&pcm.heard), 0..200 * BLOCK as u64), None);
    }

    #[test]
    fn a_feeder_late_in_a_quiet_stretch_makes_it_longer_and_no_break_is_claimed() {
        let control = Control::new(Levels::UNITY);
        let breaks = Arc::new(Breaks::default());
        // A second of sound, a quiet stretch, then the feeder is held
        // back for half a second before the sound goes on.
        let ahead = late_feeder(vec![
            (Duration::ZERO, blocks(0, 94, 0)),
            (Duration::ZERO, quiet(94 * BLOCK as u64, 10)),
            (
                Duration::from_millis(500),
                blocks(104 * BLOCK as u64, 120, 0),
            ),
        ]);
        let mut pcm = Server::new(24_000, 0);
        Writer::new(ahead, control.clone(), 48_000, breaks.clone())
            .run(&mut pcm)
            .unwrap();
        // The device never ran dry: it was given silence...
        assert_eq!(pcm.dry, []);
        assert!(
            pcm.written > 224 * BLOCK as u64 + 48_000 / 4,
            "{}",
            pcm.written
        );
        // ...so nothing broke, and nothing is claimed.
        assert_eq!(breaks.total(), (0, Duration::ZERO));
    }

    #[test]
    fn a_feeder_late_in_the_middle_of_a_sound_is_a_break_and_is_claimed() {
        let control = Control::new(Levels::UNITY);
        let breaks = Arc::new(Breaks::default());
        let ahead = late_feeder(vec![
            (Duration::ZERO, blocks(0, 104, 0)),
            (
                Duration::from_millis(500),
                blocks(104 * BLOCK as u64, 120, 0),
            ),
        ]);
        let mut pcm = Server::new(24_000, 0);
        Writer::new(ahead, control.clone(), 48_000, breaks.clone())
            .run(&mut pcm)
            .unwrap();
        assert_eq!(pcm.dry.len(), 1, "{:?}", pcm.dry);
        assert_one_break_as_heard(&breaks, pcm.dry[0]);
    }

    #[test]
    fn a_writer_held_back_breaks_a_sound_but_only_lengthens_a_quiet_stretch() {
        // Held back for 400 ms once it has written 1.1 s: in the middle
        // of a sound, and in a quiet stretch (from 1 s to 1.4 s).
        for quiet_stretch in [false, true] {
            let control = Control::new(Levels::UNITY);
            let mut chunks = blocks(0, 94, 0);
            if quiet_stretch {
                chunks.extend(quiet(94 * BLOCK as u64, 38));
            } else {
                chunks.extend(blocks(94 * BLOCK as u64, 38, 0));
            }
            chunks.extend(blocks(132 * BLOCK as u64, 100, 0));
            let writer = writer(chunks, &control);
            let breaks = writer.breaks.clone();
            let mut pcm = Server::new(24_000, 0);
            pcm.writer_held_back = Some((52_800, Duration::from_millis(400)));
            writer.run(&mut pcm).unwrap();
            // The device ran dry either way...
            assert_eq!(pcm.dry.len(), 1, "{:?}", pcm.dry);
            let dry = pcm.dry[0].as_secs_f64();
            let (count, length) = breaks.total();
            if quiet_stretch {
                // ...which nobody hears in a quiet stretch...
                assert_eq!((count, length), (0, Duration::ZERO), "{dry} s dry");
            } else {
                // ...and is the sound stopping for a moment in a sound.
                assert_eq!(count, 1);
                let (claimed, heard) = (length.as_secs_f64(), dry + RESTART_SECONDS);
                assert!(
                    (claimed - heard).abs() < 0.03,
                    "{claimed} s claimed, {heard} s heard"
                );
            }
        }
    }

    #[test]
    fn a_sound_server_held_back_with_the_queue_full_is_not_taken_for_a_break() {
        let control = Control::new(Levels::UNITY);
        let writer = writer(blocks(0, 300, 0), &control);
        let breaks = writer.breaks.clone();
        // Two seconds in, it takes nothing for 300 ms (its own loudspeaker
        // is its own affair): soothe's queue stays full meanwhile.
        let mut pcm = Server::new(24_000, 0);
        pcm.held_back = Some((96_000, Duration::from_millis(300)));
        writer.run(&mut pcm).unwrap();
        assert_eq!(pcm.dry, []);
        assert_eq!(breaks.total(), (0, Duration::ZERO));
    }

    #[test]
    fn a_device_that_counts_its_own_silence_after_the_end_is_not_taken_for_a_break() {
        let control = Control::new(Levels::UNITY);
        // A second of sound, through a device that holds a quarter of it.
        let writer = writer(blocks(0, 100, 0), &control);
        let breaks = writer.breaks.clone();
        let mut pcm = Server::new(12_000, 1_500);
        writer.run(&mut pcm).unwrap();
        // Everything was heard before the writer let the device go...
        assert_eq!(pcm.played(), 100 * BLOCK as u64);
        // ...and nothing broke, so nothing is claimed.
        assert_eq!(breaks.total(), (0, Duration::ZERO));
    }

    #[test]
    fn a_sound_server_whose_latency_says_the_stream_holds_more_than_it_does_never_leaves_it_waiting(
    ) {
        let control = Control::new(Levels::UNITY);
        let writer = writer(blocks(0, 200, 0), &control);
        // A second in, the server says the stream holds 8,500 samples (177
        // ms) more than it does, as seen: trusting that, the writer kept
        // less in it than a period, the stream ran dry, and the server
        // waited for a start's worth while the writer waited for it to
        // play (the session stood still, and soothe gave up).
        // Now the stream is never left waiting (the fake fails after a
        // second of it), and all of it is played.
        let mut pcm = Prebuffering::new(48_000, 8_500);
        writer.run(&mut pcm).unwrap();
        assert_eq!(pcm.taken, 200 * BLOCK as u64);
    }

    #[test]
    fn a_device_that_runs_dry_without_a_word_while_the_writer_is_held_back_starts_again_after_a_silence(
    ) {
        let control = Control::new(Levels::UNITY);
        let writer = writer(blocks(0, 200, 0), &control);
        let breaks = writer.breaks.clone();
        // Held back for 0.7 s in the middle of a sound, longer than the
        // device's whole buffer (0.5 s): it runs dry and, as PulseAudio's
        // plugin does when it was written to before it heard of it from
        // the server, says nothing of it.
        let mut pcm = Server::new(24_000, 0);
        pcm.wordless = true;
        pcm.writer_held_back = Some((52_800, Duration::from_millis(700)));
        writer.run(&mut pcm).unwrap();
        assert_eq!(pcm.dry.len(), 1, "{:?}", pcm.dry);
        // The sound goes on after a silence (a sound server may skip the
        // first milliseconds of a stream that starts again)...
        let restart = soothe_core::clock::samples(RESTART_SECONDS, 48_000) as usize;
        assert!(restart < 4 * BLOCK);
        let silent = pcm.after_dry.iter().take_while(|s| **s == 0.0).count();
        assert_eq!(silent, restart, "{:?}", &pcm.after_dry[..8]);
        // ...which is part of the break, as it was heard.
        assert_one_break_as_heard(&breaks, pcm.dry[0]);
    }

    /// One break was claimed, as long as it was heard: the device's
    /// silence (`dry`), and the writer's as it started again.
    fn assert_one_break_as_heard(breaks: &Breaks, dry: Duration) {
        let (count, length) = breaks.total();
        assert_eq!(count, 1);
        let heard = dry.as_secs_f64() + RESTART_SECONDS;
        assert!(
            (length.as_secs_f64() - heard).abs() < 0.03,
            "{length:?} claimed, {heard} s heard"
        );
    }
}
