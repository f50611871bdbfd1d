//! Helpers shared by the `record_*` integration tests.

use std::path::Path;

use soothe_core::take::testsignal;

/// Integrated loudness (LUFS) and true peak (dBTP), measured here with
/// ebur128 directly rather than through soothe.
pub fn loudness(samples: &[f32], rate: u32) -> (f64, f64) {
    let mut meter =
        ebur128::EbuR128::new(1, rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).unwrap();
    meter.add_frames_f32(samples).unwrap();
    let integrated = meter.loudness_global().unwrap();
    let true_peak = 20.0 * meter.true_peak(0).unwrap().log10();
    (integrated, true_peak)
}

/// A saved take: its spec and samples as f32.
pub struct Take {
    pub spec: hound::WavSpec,
    pub samples: Vec<f32>,
}

pub fn read_take(path: &Path) -> Take {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    let samples = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    Take { spec, samples }
}

/// Writes `samples` as a 16-bit WAV with `channels` identical channels.
pub fn write_wav(path: &Path, rate: u32, channels: u16, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        for _ in 0..channels {
            writer
                .write_sample((s * 32767.0).round().clamp(-32768.0, 32767.0) as i16)
                .unwrap();
        }
    }
    writer.finalize().unwrap();
}

/// Where speech starts and ends in a processed take: the first and last
/// 10 ms frames within 30 dB of the loudest and 12 dB above the noise.
pub fn speech_span(samples: &[f32], rate: u32) -> (usize, usize) {
    let frame = rate as usize / 100;
    let levels: Vec<f64> = samples.chunks(frame).map(testsignal::rms_db).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(f64::total_cmp);
    let noise = sorted[sorted.len() / 10];
    let threshold = (sorted[sorted.len() - 1] - 30.0).max(noise + 12.0);
    let first = levels.iter().position(|&l| l > threshold).unwrap();
    let last = levels.iter().rposition(|&l| l > threshold).unwrap();
    (first * frame, (last + 1) * frame)
}
