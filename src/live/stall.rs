//! Telling an audio output that stopped taking sound from a session clock
//! that stands still for a reason: paused, held for crying, stopping, or
//! soothe itself held back (stopped, or on a machine too busy to run it),
//! after which the writer needs a moment to start the device again.

use std::time::{Duration, Instant};

/// The clock standing still this long while playing, and while soothe
/// itself runs, means the audio output has stopped taking samples.
pub const OUTPUT_STALL: Duration = Duration::from_secs(5);
/// Looks this far apart (the live loop looks every tick, 40 ms) mean
/// soothe itself was held back meanwhile: the time is not the output's.
const HELD_BACK: Duration = Duration::from_secs(1);

/// Where the session clock stood, since when, and when it was last looked
/// at.
#[derive(Debug, Clone, Copy)]
pub struct Stall {
    position: u64,
    since: Instant,
    looked: Instant,
}

impl Stall {
    pub fn new(position: u64, now: Instant) -> Stall {
        Stall {
            position,
            since: now,
            looked: now,
        }
    }

    /// Looks at the clock, at `position` at `now`; `excused` when it may
    /// stand still (paused, held, stopping). Whether the output has
    /// stopped taking sound: the clock stood still for [`OUTPUT_STALL`]
    /// of the time soothe ran.
    pub fn stalled(&mut self, position: u64, excused: bool, now: Instant) -> bool {
        let away = now.saturating_duration_since(self.looked);
        self.looked = now;
        if position != self.position || excused {
            (self.position, self.since) = (position, now);
            return false;
        }
        if away > HELD_BACK {
            // Soothe stood still as long as the clock did: from here on.
            self.since += away;
        }
        now.saturating_duration_since(self.since) > OUTPUT_STALL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looks every tick (40 ms) from `from` for `seconds`, the clock at
    /// `position`; whether the output was found to have stopped.
    fn looks(stall: &mut Stall, from: Instant, seconds: f64, position: u64) -> (bool, Instant) {
        let tick = Duration::from_millis(40);
        let mut now = from;
        while now < from + Duration::from_secs_f64(seconds) {
            now += tick;
            if stall.stalled(position, false, now) {
                return (true, now);
            }
        }
        (false, now)
    }

    #[test]
    fn a_clock_standing_for_five_seconds_of_play_is_an_output_that_stopped_taking_sound() {
        let start = Instant::now();
        let mut stall = Stall::new(0, start);
        // The clock moves to 1,000 at the first look, and stands there.
        let moved = start + Duration::from_millis(40);
        let (stalled, when) = looks(&mut stall, start, 8.0, 1_000);
        assert!(stalled);
        let stood = when.duration_since(moved);
        assert!(
            stood > OUTPUT_STALL && stood < OUTPUT_STALL + Duration::from_millis(100),
            "{stood:?}"
        );
    }

    #[test]
    fn a_clock_standing_while_soothe_itself_was_stopped_for_six_seconds_is_not() {
        let start = Instant::now();
        let mut stall = Stall::new(500, start);
        let (stalled, now) = looks(&mut stall, start, 1.0, 500);
        assert!(!stalled);
        // Stopped for six seconds (SIGSTOP, or a machine too busy to run
        // soothe): the next look comes that much later, the clock where
        // it was...
        let back = now + Duration::from_secs(6);
        assert!(!stall.stalled(500, false, back));
        // ...and the writer has seconds to start the device again.
        let (stalled, now) = looks(&mut stall, back, 3.0, 500);
        assert!(!stalled);
        assert!(!stall.stalled(600, false, now + Duration::from_millis(40)));
        // Standing still for good is still found, after five seconds of
        // soothe running (the one second before the stop counts).
        let mut stall = Stall::new(500, start);
        let (_, now) = looks(&mut stall, start, 1.0, 500);
        let back = now + Duration::from_secs(6);
        assert!(!stall.stalled(500, false, back));
        let (stalled, when) = looks(&mut stall, back, 6.0, 500);
        assert!(stalled);
        let ran = when.duration_since(back) + Duration::from_secs(1);
        assert!(ran > OUTPUT_STALL && ran < OUTPUT_STALL + Duration::from_millis(100));
    }

    #[test]
    fn a_clock_standing_while_paused_or_held_is_not_an_output_that_stopped() {
        let start = Instant::now();
        let mut stall = Stall::new(0, start);
        let mut now = start;
        for _ in 0..500 {
            now += Duration::from_millis(40);
            assert!(!stall.stalled(0, true, now));
        }
        // Going on, the clock moves.
        assert!(!stall.stalled(10, false, now + Duration::from_millis(40)));
    }
}
