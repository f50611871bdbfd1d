//! The short fades laid over the sound where a key stops or starts it: out
//! where a pause or a jump stops it, in where a resume goes on, so that
//! nothing clicks. They are made on blocks the device has not been given
//! yet (see [`crate::output::writer`]), so they are heard as they were made.
//!
//! A fade belongs to the samples heard, not to the session's clock: the
//! blocks of a fade out say that the session stands where the fade began,
//! and a pause goes on from that very sample (fading in over the same
//! samples again).

use crate::output::feed::Chunk;

/// How many samples a fade takes: [`soothe_core::mix::FADE_SECONDS`], as the
/// mixer's fades (12 ms).
pub fn length(rate: u32) -> usize {
    soothe_core::clock::samples(soothe_core::mix::FADE_SECONDS, rate).max(1) as usize
}

/// The gain of sample `k` of a fade out of `len` samples: a raised cosine,
/// from just under full to just over silent, gentle at both ends.
fn gain_out(k: usize, len: usize) -> f32 {
    let x = (k as f32 + 0.5) / len as f32;
    0.5 + 0.5 * (std::f32::consts::PI * x).cos()
}

/// The first `len` samples of `chunks` fading out (all of them, faster,
/// when they hold fewer), as new blocks. Their samples are heard, but the
/// session does not move on: every one of them is at the position of the
/// first.
pub fn out(chunks: &[Chunk], len: usize) -> Vec<Chunk> {
    let sound = || chunks.iter().filter(|c| !c.padding);
    let Some(start) = sound().find(|c| c.len > 0).map(|c| c.position(0)) else {
        return Vec::new();
    };
    let len = len.min(Chunk::sound_in(chunks));
    let mut faded = Vec::new();
    let mut k = 0;
    for chunk in sound() {
        let n = chunk.len.min(len - k);
        if n == 0 {
            continue;
        }
        let mut fade = Chunk::SILENCE;
        for (i, (out, s)) in fade.samples[..n].iter_mut().zip(&chunk.samples).enumerate() {
            *out = s * gain_out(k + i, len);
        }
        fade.len = n;
        fade.end = start;
        fade.jumped = chunk.jumped;
        faded.push(fade);
        k += n;
        if k == len {
            break;
        }
    }
    faded
}

/// Fades in the first `len` samples of `chunks`, in place: the mirror of
/// [`out`], so that a pause's fade out and its resume's fade in over the
/// same samples add up to them. (Both pass over the writer's own silence,
/// [`Chunk::padding`].)
pub fn fade_in(chunks: &mut [Chunk], len: usize) {
    let len = len.min(Chunk::sound_in(&*chunks));
    let mut k = 0;
    for chunk in chunks.iter_mut().filter(|c| !c.padding) {
        let n = chunk.len.min(len - k);
        for (i, s) in chunk.samples[..n].iter_mut().enumerate() {
            *s *= 1.0 - gain_out(k + i, len);
        }
        k += n;
        if k == len {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::mix::BLOCK;

    /// A 200 Hz sine at full scale from session position `from`, in blocks.
    fn sine(from: u64, blocks: usize) -> Vec<Chunk> {
        (0..blocks)
            .map(|b| {
                let mut chunk = Chunk::SILENCE;
                let start = from + (b * BLOCK) as u64;
                for (i, s) in chunk.samples.iter_mut().enumerate() {
                    let t = (start + i as u64) as f32 / 48_000.0;
                    *s = (std::f32::consts::TAU * 200.0 * t).sin();
                }
                chunk.len = BLOCK;
                chunk.end = start + BLOCK as u64;
                chunk.advanced = BLOCK;
                chunk
            })
            .collect()
    }

    fn samples(chunks: &[Chunk]) -> Vec<f32> {
        chunks
            .iter()
            .flat_map(|c| c.samples[..c.len].to_vec())
            .collect()
    }

    /// The largest step from one sample to the next.
    fn largest_step(samples: &[f32]) -> f32 {
        samples
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    }

    #[test]
    fn a_fade_out_of_a_loud_sine_steps_no_further_than_the_sine_itself() {
        let len = length(48_000);
        assert_eq!(len, 576);
        // From the middle of a block, over two.
        let sound = sine(1_000, 3);
        let from = sound[0].from(300);
        let rest = [from, sound[1].clone(), sound[2].clone()];
        let faded = out(&rest, len);
        assert_eq!(faded.iter().map(|c| c.len).sum::<usize>(), len);
        // Heard after the sound before it: the sine, then the fade.
        let mut heard = sound[0].samples[..300].to_vec();
        heard.extend(samples(&faded));
        heard.push(0.0);
        let own = largest_step(&samples(&sound));
        assert!(
            largest_step(&heard) <= own,
            "{} > {own}",
            largest_step(&heard)
        );
        // A cut instead of the fade: a step of up to full scale.
        assert!(largest_step(&[heard[299], 0.0]) > 10.0 * own);
    }

    #[test]
    fn a_fade_out_leaves_the_clock_where_it_began_and_a_fade_in_over_the_same_samples_completes_it()
    {
        let sound = sine(96_000, 2);
        let len = length(48_000);
        let faded = out(&sound, len);
        assert!(faded
            .iter()
            .all(|c| c.position(0) == 96_000 && c.advanced == 0));
        assert!(faded.iter().all(|c| c.position(c.len) == 96_000));
        let mut again = sound.clone();
        fade_in(&mut again, len);
        // The clock goes on from the fade's first sample as before...
        assert_eq!(again[0].position(0), 96_000);
        assert_eq!(again[1].end, sound[1].end);
        // ...and out and in add up to the sound.
        let (faded, again, sound) = (samples(&faded), samples(&again), samples(&sound));
        for k in 0..len {
            assert!((faded[k] + again[k] - sound[k]).abs() < 1e-5, "{k}");
        }
        assert_eq!(again[len..], sound[len..]);
        let mut heard = vec![0.0];
        heard.extend(&again);
        assert!(largest_step(&heard) <= largest_step(&sound));
    }

    #[test]
    fn a_fade_over_fewer_samples_than_its_length_still_ends_in_silence() {
        let mut short = sine(0, 1);
        short[0].len = 100;
        let faded = out(&short, length(48_000));
        assert_eq!(faded.len(), 1);
        assert_eq!(faded[0].len, 100);
        assert!(
            faded[0].samples[99].abs() < 1e-3,
            "{}",
            faded[0].samples[99]
        );
        assert!(out(&[], 576).is_empty());
        assert!(out(&[Chunk::SILENCE], 576).is_empty());
    }
}
