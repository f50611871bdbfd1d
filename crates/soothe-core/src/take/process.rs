//! Cleaning a take up so that it sits beside the guide voice: rumble gone,
//! silence trimmed to a short natural margin, resampled to the session
//! rate, short fades, and one common loudness (EBU R128, -18 LUFS
//! integrated) with peaks under -1 dBFS (true peak, so also every sample).

use ebur128::{EbuR128, Mode};

use super::filter::{HighPass, RUMBLE_CUTOFF_HZ};
use super::speech;
use crate::sound::audio::{self, Mono};

/// The loudness every take is brought to, as the guide voice is.
pub const TARGET_LUFS: f64 = -18.0;
/// No peak may go above this (true peak, dBTP; so no sample either).
pub const PEAK_CEILING_DB: f64 = -1.0;
/// Room tone kept before the first word...
pub const LEAD_MARGIN_SECONDS: f64 = 0.15;
/// ...and after the last, where soft word ends and breaths fade out.
pub const TAIL_MARGIN_SECONDS: f64 = 0.25;
const FADE_IN_SECONDS: f64 = 0.010;
const FADE_OUT_SECONDS: f64 = 0.030;
/// Gains beyond this mean a very quiet take: it is kept, with advice.
const QUIET_GAIN_DB: f64 = 30.0;
/// A sample this close to full scale...
const CLIP_LEVEL: f32 = 0.999;
/// ...for this many samples in a row is the sign of a clipped take.
const CLIP_RUN: usize = 3;

/// A take, ready to save.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Mono at the session's rate.
    pub audio: Mono,
    /// The microphone was driven to full scale somewhere.
    pub clipped: bool,
    /// The take was so quiet it needed more than 30 dB of gain.
    pub quiet: bool,
    /// The gain applied to reach [`TARGET_LUFS`], in dB.
    pub gain_db: f64,
    /// As saved (before 16-bit rounding).
    pub loudness: Loudness,
}

/// An EBU R128 measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loudness {
    /// Integrated loudness, LUFS.
    pub integrated: f64,
    /// True peak, dBTP.
    pub true_peak: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcessError {
    #[error("no speech heard")]
    NoSpeech,
}

/// Cleans up `raw` and brings it to `rate`.
pub fn process(raw: &Mono, rate: u32) -> Result<Processed, ProcessError> {
    if raw.rate == 0 || rate == 0 || raw.samples.is_empty() {
        return Err(ProcessError::NoSpeech);
    }
    let clipped = clipped(&raw.samples);
    let mut samples = raw.samples.clone();
    remove_dc_and_rumble(&mut samples, raw.rate);
    if !speech::contains_speech(&samples, raw.rate) {
        return Err(ProcessError::NoSpeech);
    }
    let (start, end) = speech_region(&samples, raw.rate).ok_or(ProcessError::NoSpeech)?;
    let margin = |seconds: f64| crate::clock::samples(seconds, raw.rate) as usize;
    let start = start.saturating_sub(margin(LEAD_MARGIN_SECONDS));
    let end = (end + margin(TAIL_MARGIN_SECONDS)).min(samples.len());
    let trimmed = Mono {
        rate: raw.rate,
        samples: samples[start..end].to_vec(),
    };
    let mut audio = audio::resample(&trimmed, rate);
    fade(&mut audio.samples, rate);
    let (gain_db, loudness) = normalise(&mut audio.samples, rate)?;
    Ok(Processed {
        audio,
        clipped,
        quiet: gain_db > QUIET_GAIN_DB,
        gain_db,
        loudness,
    })
}

/// Whether `samples` hold a run of full-scale samples. A recording
/// that goes past full scale (a float file) was not clipped: it only needs
/// turning down, which levelling does.
pub fn clipped(samples: &[f32]) -> bool {
    if samples.iter().any(|s| s.abs() > 1.0 + 1e-3) {
        return false;
    }
    let mut run = 0;
    for &s in samples {
        if s.abs() >= CLIP_LEVEL {
            run += 1;
            if run >= CLIP_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Removes the DC offset, then rumble below the voice.
pub fn remove_dc_and_rumble(samples: &mut [f32], rate: u32) {
    if samples.is_empty() {
        return;
    }
    let mean = samples.iter().map(|&s| f64::from(s)).sum::<f64>() / samples.len() as f64;
    let mut filter = HighPass::new(rate, RUMBLE_CUTOFF_HZ);
    for s in samples.iter_mut() {
        *s = filter.process((f64::from(*s) - mean) as f32);
    }
}

/// The samples from the first to the last sound that stands out from the
/// take's own noise, ignoring clicks shorter than 30 ms.
pub fn speech_region(samples: &[f32], rate: u32) -> Option<(usize, usize)> {
    let frame = (crate::clock::samples(speech::FRAME_SECONDS, rate) as usize).max(1);
    let levels: Vec<f64> = samples
        .chunks(frame)
        .map(|chunk| {
            let power = chunk
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                / chunk.len() as f64;
            10.0 * (power + 1e-20).log10()
        })
        .collect();
    let mut heard: Vec<f64> = levels.iter().copied().filter(|&db| db > -100.0).collect();
    if heard.is_empty() {
        return None;
    }
    heard.sort_by(f64::total_cmp);
    let noise = heard[heard.len() / 10];
    let loudest = heard[heard.len() - 1];
    // Well above the noise, but never demanding more than 20 dB under the
    // loudest frame, nor listening to anything 45 dB under it.
    let threshold = (noise + 12.0).max(loudest - 45.0).min(loudest - 20.0);
    const RUN: usize = 3;
    let loud: Vec<bool> = levels.iter().map(|&db| db > threshold).collect();
    let first = loud.windows(RUN).position(|w| w.iter().all(|&l| l))?;
    let last = loud.windows(RUN).rposition(|w| w.iter().all(|&l| l))? + RUN - 1;
    Some((first * frame, ((last + 1) * frame).min(samples.len())))
}

/// Raised-cosine fades: 10 ms in, 30 ms out.
pub fn fade(samples: &mut [f32], rate: u32) {
    let n = samples.len();
    let length = |seconds: f64| (crate::clock::samples(seconds, rate) as usize).min(n / 2);
    let shape = |i: usize, len: usize| {
        (0.5 - 0.5 * (std::f64::consts::PI * (i as f64 + 0.5) / len as f64).cos()) as f32
    };
    let fade_in = length(FADE_IN_SECONDS);
    for (i, sample) in samples.iter_mut().take(fade_in).enumerate() {
        *sample *= shape(i, fade_in);
    }
    let fade_out = length(FADE_OUT_SECONDS);
    for (i, sample) in samples.iter_mut().rev().take(fade_out).enumerate() {
        *sample *= shape(i, fade_out);
    }
}

/// Measures integrated loudness and true peak. `None` when there is too
/// little (under 400 ms) or nothing above the absolute gate (-70 LUFS).
pub fn measure(samples: &[f32], rate: u32) -> Option<Loudness> {
    let mut meter = EbuR128::new(1, rate, Mode::I | Mode::TRUE_PEAK).ok()?;
    meter.add_frames_f32(samples).ok()?;
    let integrated = meter.loudness_global().ok()?;
    let true_peak = 20.0 * meter.true_peak(0).ok()?.max(1e-10).log10();
    integrated.is_finite().then_some(Loudness {
        integrated,
        true_peak,
    })
}

/// Brings `samples` to [`TARGET_LUFS`] with peaks under
/// [`PEAK_CEILING_DB`]: one gain, and a look-ahead limiter for the few
/// peaks (plosives, a laugh) that would go over. Returns the gain in dB.
fn normalise(samples: &mut [f32], rate: u32) -> Result<(f64, Loudness), ProcessError> {
    let original = measure(samples, rate).ok_or(ProcessError::NoSpeech)?;
    let source = samples.to_vec();
    let mut gain_db = TARGET_LUFS - original.integrated;
    // The limiter works on samples; the true peak between them may be a
    // little higher, so start a little lower and lower further if needed.
    let mut ceiling_db = PEAK_CEILING_DB - 0.1;
    let mut result = None;
    for _ in 0..8 {
        let gain = 10f64.powf(gain_db / 20.0) as f32;
        for (out, &s) in samples.iter_mut().zip(&source) {
            *out = s * gain;
        }
        limit(samples, 10f64.powf(ceiling_db / 20.0) as f32, rate);
        let now = measure(samples, rate).ok_or(ProcessError::NoSpeech)?;
        result = Some((gain_db, now));
        let short = TARGET_LUFS - now.integrated;
        let over = now.true_peak - PEAK_CEILING_DB;
        if short.abs() <= 0.1 && over <= 0.0 {
            break;
        }
        if over > 0.0 {
            ceiling_db -= over + 0.05;
        }
        if short.abs() > 0.1 {
            gain_db += short;
        }
    }
    result.ok_or(ProcessError::NoSpeech)
}

/// A look-ahead peak limiter: no sample leaves above `ceiling`, and the
/// gain moves smoothly (1.5 ms attack, 60 ms release) instead of clipping.
///
/// The gain at each sample is the mean, over the last `look` samples, of a
/// gain curve that never exceeds what any sample in the next `look`
/// samples needs; so every sample gets no more than it needs.
pub fn limit(samples: &mut [f32], ceiling: f32, rate: u32) {
    if samples.iter().all(|s| s.abs() <= ceiling) {
        return;
    }
    let n = samples.len();
    let look = (crate::clock::samples(0.0015, rate) as usize).max(1);
    let release = (-1.0 / (0.060 * f64::from(rate))).exp();
    let need: Vec<f64> = samples
        .iter()
        .map(|s| {
            if s.abs() > ceiling {
                f64::from(ceiling / s.abs())
            } else {
                1.0
            }
        })
        .collect();
    // ahead[i] = min(need[i..=i+look]), with a monotonic queue.
    let mut ahead = vec![1.0f64; n];
    let mut queue = std::collections::VecDeque::<usize>::new();
    for i in (0..n).rev() {
        while queue.back().is_some_and(|&j| need[j] >= need[i]) {
            queue.pop_back();
        }
        queue.push_back(i);
        while queue.front().is_some_and(|&j| j > i + look) {
            queue.pop_front();
        }
        ahead[i] = need[queue[0]];
    }
    // Release towards 1, never above `ahead`; then the moving mean.
    let mut released = ahead[0];
    let mut window = std::collections::VecDeque::with_capacity(look + 1);
    let mut sum = 0.0;
    for _ in 0..look {
        window.push_back(ahead[0]);
        sum += ahead[0];
    }
    for (i, sample) in samples.iter_mut().enumerate() {
        released = ahead[i].min(1.0 - (1.0 - released) * release);
        window.push_back(released);
        sum += released;
        if window.len() > look + 1 {
            sum -= window.pop_front().unwrap_or(0.0);
        }
        let gain = sum / window.len() as f64;
        *sample = (f64::from(*sample) * gain).clamp(-f64::from(ceiling), f64::from(ceiling)) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::take::testsignal::{peak_db, Signal};

    #[test]
    fn the_meter_agrees_with_the_guide_voice_which_was_made_at_minus_18_lufs() {
        let script = crate::session::script::Script::builtin();
        let voice = crate::sound::voice::VoiceSet::open_with_guide(
            &crate::sound::voice::VoiceChoice::Guide,
            &script,
            None,
            &crate::sound::guide::folders::english(),
        )
        .unwrap();
        for id in ["welcome", "feet", "close"] {
            let take = voice.get(id).unwrap();
            let samples = take.decode(48_000).unwrap();
            let m = measure(&samples, 48_000).unwrap();
            assert!((m.integrated - TARGET_LUFS).abs() < 0.5, "{id}: {m:?}");
        }
    }

    #[test]
    fn the_limiter_keeps_every_sample_under_the_ceiling_and_leaves_the_rest() {
        let mut signal = Signal::new(48_000);
        signal.speech(2.0, -20.0, -70.0);
        // Three plosive-like spikes.
        for at in [10_000usize, 40_000, 70_000] {
            for k in 0..40 {
                signal.samples[at + k] +=
                    0.9 * (1.0 - k as f32 / 40.0) * if k % 2 == 0 { 1.0 } else { -1.0 };
            }
        }
        let before = signal.samples.clone();
        let ceiling = 0.5;
        limit(&mut signal.samples, ceiling, 48_000);
        assert!(signal.samples.iter().all(|s| s.abs() <= ceiling));
        // Before the first spike nothing changes; long after one, the gain
        // is back to within 0.1 % of unity.
        assert!(
            signal.samples[..9_900] == before[..9_900],
            "untouched before the first spike"
        );
        let worst = signal.samples[30_000..39_900]
            .iter()
            .zip(&before[30_000..39_900])
            .map(|(a, b)| (a - b).abs() / b.abs().max(1e-3))
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-3, "gain after release differs by {worst}");
    }

    #[test]
    fn clipping_is_a_run_of_full_scale_samples() {
        let mut signal = Signal::new(48_000);
        signal.speech(1.0, -12.0, -70.0);
        assert!(!clipped(&signal.samples));
        signal.gain(30.0);
        for s in signal.samples.iter_mut() {
            *s = s.clamp(-1.0, 1.0);
        }
        assert!(clipped(&signal.samples));
    }

    #[test]
    fn fades_start_and_end_at_silence() {
        let mut samples = vec![0.5f32; 48_000];
        fade(&mut samples, 48_000);
        assert!(samples[0].abs() < 0.001 && samples[47_999].abs() < 0.001);
        assert_eq!(samples[24_000], 0.5);
        assert!(peak_db(&samples) <= 20.0 * 0.5f64.log10() + 1e-6);
    }
}
