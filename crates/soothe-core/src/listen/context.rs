//! The last second of frames as the model sees it: each frame's numbers
//! when it sounds, nothing when it does not.
//!
//! Each frame the microphone hears (after soothe's echo is taken out)
//! becomes a few numbers ([`frame_vector`]): the spectrum's shape in 16
//! mel bands up to 3.3 kHz, how clearly pitched it is, its pitch, the
//! share of it at the fundamental, and (filled in per moment) how loud it
//! is beside the loudest frame of the moment. [`Context`] keeps the last
//! [`CONTEXT`] frames; a moment is those frames, in order, with the ones
//! that do not sound (quiet, or under soothe's echo) left at zero.

use std::collections::VecDeque;

use super::frame::{Features, BANDS};

/// Numbers per frame.
pub const PER_FRAME: usize = BANDS + 5;
/// The number that is the frame's level beside the moment's loudest
/// frame, tenths of dB (-4 at the least; 0 for the loudest).
pub const LEVEL: usize = BANDS + 3;
/// The number that says the frame sounds: 1 (0 for a frame that does not).
pub const SOUNDING: usize = BANDS + 4;
/// Frames in a moment: 64 hops of 16 ms, about a second.
pub const CONTEXT: usize = 64;
/// A moment is weighed once this many of its frames sound (a quarter).
pub const ENOUGH: usize = CONTEXT / 4;
/// The most frames a network may look back over: 2 s.
pub const LONGEST: usize = 2 * CONTEXT;

/// Frames of [`PER_FRAME`] numbers, the oldest first.
pub type Window = Vec<[f32; PER_FRAME]>;

/// A sounding frame's numbers, all but its level (see [`LEVEL`]). Not its
/// loudness: how loud a sound is says where it is, not what it is (that
/// it stands out of the room's noise and the echo is for
/// [`super::decide`] to check); only its level beside the rest of the
/// moment (a cry's bursts and breaths) counts.
pub fn frame_vector(f: &Features) -> [f32; PER_FRAME] {
    let mut v = [0.0; PER_FRAME];
    for (v, band) in v.iter_mut().zip(&f.bands) {
        *v = band / 10.0;
    }
    v[BANDS] = f.harmonicity;
    v[BANDS + 1] = if f.f0 > 0.0 {
        (f.f0 / 400.0).log2()
    } else {
        -3.0
    };
    v[BANDS + 2] = f.fundamental;
    v[SOUNDING] = 1.0;
    v
}

/// The last [`LONGEST`] frames: a sounding frame's numbers and level
/// (dBFS), or `None`.
#[derive(Debug, Default)]
pub struct Context {
    frames: VecDeque<Option<([f32; PER_FRAME], f32)>>,
}

impl Context {
    /// Takes a frame: its numbers and level when it sounds, `None` when
    /// it does not.
    pub fn push(&mut self, sounding: Option<([f32; PER_FRAME], f32)>) {
        if self.frames.len() == LONGEST {
            self.frames.pop_front();
        }
        self.frames.push_back(sounding);
    }

    /// Whether the moment ending with the last frame is weighed: at least
    /// [`ENOUGH`] of its last [`CONTEXT`] frames sound.
    pub fn weighed(&self) -> bool {
        let recent = self.frames.iter().rev().take(CONTEXT);
        recent.flatten().count() >= ENOUGH
    }

    /// The last `frames` frames (at most [`LONGEST`]), each sounding one
    /// with its level beside the loudest of them; before the first frame
    /// heard, and where a frame does not sound, zeros.
    pub fn window(&self, frames: usize) -> Window {
        let frames = frames.min(LONGEST);
        let heard = self.frames.len().min(frames);
        let recent = self.frames.range(self.frames.len() - heard..);
        let loudest = recent
            .clone()
            .flatten()
            .map(|(_, db)| *db)
            .fold(f32::NEG_INFINITY, f32::max);
        let mut window = vec![[0.0; PER_FRAME]; frames];
        for (row, frame) in window[frames - heard..].iter_mut().zip(recent) {
            if let Some((numbers, db)) = frame {
                *row = *numbers;
                row[LEVEL] = ((db - loudest) / 10.0).max(-4.0);
            }
        }
        window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(db: f32) -> Option<([f32; PER_FRAME], f32)> {
        Some((frame_vector(&Features::default()), db))
    }

    #[test]
    fn a_moment_that_hardly_sounds_is_not_weighed() {
        let mut context = Context::default();
        for k in 0..CONTEXT {
            context.push(if k % 5 == 0 { frame(-30.0) } else { None });
        }
        // 13 of 64 frames sound: fewer than a quarter.
        assert!(!context.weighed());
        for _ in 0..CONTEXT / 2 {
            context.push(frame(-30.0));
        }
        assert!(context.weighed());
    }

    #[test]
    fn only_the_last_second_decides_whether_a_moment_is_weighed() {
        let mut context = Context::default();
        for _ in 0..CONTEXT {
            context.push(frame(-30.0));
        }
        for _ in 0..CONTEXT - ENOUGH + 1 {
            context.push(None);
        }
        // 2 s kept, 64 frames sounding in them, but 15 in the last second.
        let sounding = |w: Window| w.iter().filter(|f| f[SOUNDING] > 0.0).count();
        assert_eq!(sounding(context.window(LONGEST)), 64);
        assert_eq!(sounding(context.window(CONTEXT)), 15);
        assert!(!context.weighed());
    }

    #[test]
    fn each_window_weighs_levels_beside_its_own_loudest_frame() {
        let mut context = Context::default();
        context.push(frame(-10.0));
        for _ in 0..CONTEXT {
            context.push(frame(-30.0));
        }
        let short = context.window(CONTEXT);
        let long = context.window(LONGEST);
        assert_eq!((short.len(), long.len()), (CONTEXT, LONGEST));
        assert_eq!(short[CONTEXT - 1][LEVEL], 0.0);
        assert_eq!(long[LONGEST - 1][LEVEL], -2.0);
        // The loud frame, and before it nothing heard yet.
        assert_eq!(long[LONGEST - CONTEXT - 1][LEVEL], 0.0);
        assert_eq!(long[LONGEST - CONTEXT - 2], [0.0; PER_FRAME]);
        // Never more than it keeps.
        assert_eq!(context.window(3 * CONTEXT).len(), LONGEST);
    }

    #[test]
    fn each_sounding_frame_carries_its_level_beside_the_loudest_and_the_rest_are_zero() {
        let mut context = Context::default();
        for k in 0..ENOUGH {
            context.push(frame(-20.0 - k as f32));
        }
        context.push(None);
        context.push(frame(-80.0));
        assert!(context.weighed());
        let window = context.window(CONTEXT);
        // Frames not heard yet come first, as silence.
        let first = CONTEXT - ENOUGH - 2;
        assert_eq!(window[first - 1], [0.0; PER_FRAME]);
        assert_eq!(window[first][LEVEL], 0.0);
        assert!((window[first + 3][LEVEL] + 0.3).abs() < 1e-6);
        assert_eq!(window[first][SOUNDING], 1.0);
        assert_eq!(window[CONTEXT - 2], [0.0; PER_FRAME]);
        // 60 dB under the loudest is as far as it goes.
        assert_eq!(window[CONTEXT - 1][LEVEL], -4.0);
    }
}
