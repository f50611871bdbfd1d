//! What soothe played, by session position: the session source writes
//! every block it makes ([`crate::mix::SessionSource::tap`]), and the
//! listener reads the stretch the loudspeaker was playing. The delay
//! between the two is found by the echo canceller.

use std::sync::Mutex;

/// Seconds of played sound kept.
const KEEP_SECONDS: u32 = 8;

#[derive(Debug)]
pub struct Tap {
    rate: u32,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    ring: Vec<f32>,
    /// The positions held: `start..end` (contiguous; a jump starts anew).
    start: u64,
    end: u64,
}

impl Tap {
    pub fn new(rate: u32) -> Tap {
        Tap {
            rate,
            inner: Mutex::new(Inner {
                ring: vec![0.0; (rate.max(1) * KEEP_SECONDS) as usize],
                start: 0,
                end: 0,
            }),
        }
    }

    /// The session's sample rate.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// The samples of session positions `position..position + len`.
    pub fn write(&self, position: u64, samples: &[f32]) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let cap = inner.ring.len() as u64;
        if position != inner.end {
            inner.start = position;
        }
        for (k, &s) in samples.iter().enumerate() {
            let at = ((position + k as u64) % cap) as usize;
            inner.ring[at] = s;
        }
        inner.end = position + samples.len() as u64;
        inner.start = inner.start.max(inner.end.saturating_sub(cap));
    }

    /// Fills `out` with the samples of positions `from..`, silence where
    /// nothing was written.
    pub fn read(&self, from: u64, out: &mut [f32]) {
        out.fill(0.0);
        let Ok(inner) = self.inner.lock() else {
            return;
        };
        let cap = inner.ring.len() as u64;
        for (k, o) in out.iter_mut().enumerate() {
            let p = from + k as u64;
            if p >= inner.start && p < inner.end {
                *o = inner.ring[(p % cap) as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tap;

    #[test]
    fn what_was_written_is_read_back_by_position_and_the_rest_is_silence() {
        let tap = Tap::new(100);
        let samples: Vec<f32> = (0..50).map(|i| i as f32).collect();
        tap.write(10, &samples);
        let mut out = [9.0; 8];
        tap.read(56, &mut out);
        assert_eq!(out, [46.0, 47.0, 48.0, 49.0, 0.0, 0.0, 0.0, 0.0]);
        // A jump back starts anew: the old positions are gone.
        tap.write(0, &[1.0, 2.0]);
        tap.read(0, &mut out);
        assert_eq!(out, [1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }
}
