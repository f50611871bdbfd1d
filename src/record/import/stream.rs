//! What an import does to each packet as it is decoded, so that no more
//! than the take itself is ever held: mono samples resampled to the
//! session's rate a chunk at a time, and clipping told at the recording's
//! own rate.

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use soothe_core::sound::audio::{resampled_len, Mono};

/// Input frames per resampler chunk, as [`soothe_core::sound::audio::resample`] uses.
const CHUNK: usize = 256;

/// Mono samples brought to another rate as they come, with rubato's FFT
/// resampler fed as [`soothe_core::sound::audio::resample`] feeds it a whole recording:
/// the same samples come out, but only a chunk of the input is held.
pub struct Resampling {
    from: u32,
    to: u32,
    /// `None` when the rates are the same.
    fft: Option<Fft<f32>>,
    /// Input not yet a whole chunk.
    pending: Vec<f32>,
    /// One chunk's output.
    chunk: Vec<f32>,
    /// Output so far, the resampler's delay left out.
    out: Vec<f32>,
    /// Output frames still to drop: the resampler's delay.
    delay: usize,
    /// Input frames taken.
    taken: u64,
}

impl Resampling {
    /// From `from` Hz to `to` Hz (both positive).
    pub fn new(from: u32, to: u32) -> Resampling {
        let fft = (from != to).then(|| {
            Fft::<f32>::new_custom(
                from as usize,
                to as usize,
                CHUNK,
                1,
                1,
                rubato::WindowFunction::BlackmanHarris2,
                FixedSync::Input,
            )
            .expect("sample rates are positive")
        });
        let delay = fft.as_ref().map_or(0, |fft| fft.output_delay());
        let chunk = vec![0.0; fft.as_ref().map_or(0, |fft| fft.output_frames_max())];
        Resampling {
            from,
            to,
            fft,
            pending: Vec::with_capacity(2 * CHUNK),
            chunk,
            out: Vec::new(),
            delay,
            taken: 0,
        }
    }

    /// The rate samples are taken at.
    pub fn from(&self) -> u32 {
        self.from
    }

    /// Takes `samples`, resampling every whole chunk there is.
    pub fn push(&mut self, samples: &[f32]) {
        self.taken += samples.len() as u64;
        if self.fft.is_none() {
            self.out.extend_from_slice(samples);
            return;
        }
        self.pending.extend_from_slice(samples);
        let mut at = 0;
        while self.pending.len() - at >= CHUNK {
            self.chunk_from(at, CHUNK);
            at += CHUNK;
        }
        self.pending.drain(..at);
    }

    /// The samples at the new rate: exactly [`resampled_len`] of them, as
    /// [`soothe_core::sound::audio::resample`] gives.
    pub fn finish(mut self) -> Mono {
        let want = resampled_len(self.taken, self.from, self.to) as usize;
        if self.fft.is_some() {
            let left = self.pending.len();
            if left > 0 {
                self.chunk_from(0, left);
            }
            // Silence pushes the delayed end out.
            while self.out.len() < want {
                self.chunk_from(0, 0);
            }
        }
        self.out.truncate(want);
        self.out.resize(want, 0.0);
        Mono {
            rate: self.to,
            samples: self.out,
        }
    }

    /// Resamples `len` frames of the pending input from `at` (fewer than a
    /// chunk: the rest is taken as silence) and keeps the output.
    fn chunk_from(&mut self, at: usize, len: usize) {
        let Some(fft) = self.fft.as_mut() else {
            return;
        };
        let input = &self.pending[at..at + len];
        let input = SequentialSlice::new(input, 1, len).expect("one channel");
        let room = self.chunk.len();
        let mut output =
            SequentialSlice::new_mut(&mut self.chunk[..], 1, room).expect("one channel");
        let indexing = Indexing::new().partial_len(len);
        let (_, produced) = fft
            .process_into_buffer(&input, &mut output, Some(&indexing))
            .expect("buffers are sized by the resampler");
        let dropped = self.delay.min(produced);
        self.delay -= dropped;
        self.out.extend_from_slice(&self.chunk[dropped..produced]);
    }
}

/// Whether a take clipped, told sample by sample as it is decoded, by the
/// rule of [`soothe_core::take::process::clipped`]: a run of full-scale
/// samples, in a recording that never goes past full scale (a float file
/// that does was not clipped: it only needs turning down). Measured before
/// resampling, which rounds a clipped run off.
#[derive(Debug, Default)]
pub struct Clipping {
    run: usize,
    clipped: bool,
    over: bool,
}

/// A sample this close to full scale...
const CLIP_LEVEL: f32 = 0.999;
/// ...for this many samples in a row is the sign of a clipped take.
const CLIP_RUN: usize = 3;

impl Clipping {
    pub fn add(&mut self, samples: &[f32]) {
        for &s in samples {
            let level = s.abs();
            self.over |= level > 1.0 + 1e-3;
            if level >= CLIP_LEVEL {
                self.run += 1;
                self.clipped |= self.run >= CLIP_RUN;
            } else {
                self.run = 0;
            }
        }
    }

    pub fn clipped(&self) -> bool {
        self.clipped && !self.over
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::sound::audio::resample;

    fn noise(len: usize, seed: u32) -> Vec<f32> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x as f32 / u32::MAX as f32) - 0.5
            })
            .collect()
    }

    #[test]
    fn resampling_packet_by_packet_gives_the_samples_of_resampling_it_whole() {
        // Packets of uneven sizes, totals on and off a chunk's edge.
        for (from, to, len) in [
            (44_100, 48_000, 10_000),
            (384_000, 48_000, 256 * 40),
            (48_000, 22_050, 3),
            (8_000, 48_000, 1_001),
            (48_000, 48_000, 777),
        ] {
            let samples = noise(len, from ^ len as u32);
            let whole = resample(
                &Mono {
                    rate: from,
                    samples: samples.clone(),
                },
                to,
            );
            let mut stream = Resampling::new(from, to);
            let mut rest = &samples[..];
            let mut size = 1;
            while !rest.is_empty() {
                let (packet, after) = rest.split_at(size.min(rest.len()));
                stream.push(packet);
                rest = after;
                size = size * 3 % 1_153 + 1;
            }
            let streamed = stream.finish();
            assert_eq!(streamed.rate, to);
            assert_eq!(streamed.samples.len(), whole.samples.len(), "{from}->{to}");
            let worst = streamed
                .samples
                .iter()
                .zip(&whole.samples)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(worst < 1e-6, "{from}->{to}: differs by {worst}");
        }
    }

    #[test]
    fn clipping_told_packet_by_packet_agrees_with_the_whole_take() {
        let mut takes = vec![
            vec![0.5, 1.0, -1.0, 1.0, 0.2],
            vec![0.5, 1.0, 1.0, 0.2, 1.0],
            vec![1.0, 1.0, 1.0, 1.5],
            vec![0.1; 9],
        ];
        let mut loud = noise(5_000, 9);
        loud[2_047..2_050].fill(-1.0);
        takes.push(loud);
        for take in &takes {
            // Split anywhere, even inside a run.
            for cut in 0..take.len().min(6) {
                let mut clipping = Clipping::default();
                clipping.add(&take[..cut]);
                clipping.add(&take[cut..]);
                assert_eq!(
                    clipping.clipped(),
                    soothe_core::take::process::clipped(take),
                    "{take:?} cut at {cut}"
                );
            }
        }
    }
}
