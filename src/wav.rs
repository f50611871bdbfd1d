//! Writing a session to a 16-bit PCM WAV file with hound.

use std::io::{Seek, Write};
use std::path::Path;

/// A float sample as 16-bit PCM, converted exactly as ALSA's `plug`
/// converter turns cpal's float output into 16-bit (to 32-bit first,
/// truncated, then the top 16 bits), so that a render equals what the sound card was given,
/// sample for sample (checked by the device-path test).
#[inline]
pub fn pcm16(sample: f32) -> i16 {
    // `as` truncates toward zero and saturates, as alsa-lib's lfloat does.
    let wide = (f64::from(sample) * 2_147_483_648.0) as i32;
    (wide >> 16) as i16
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error("{path}: cannot write: {reason}")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Session(String),
}

/// Samples written per block.
const BLOCK: usize = 4096;

/// Blocks converted ahead of the writing thread.
const QUEUE: usize = 16;

/// Writes mono audio at `rate` as 16-bit PCM to `writer`. `fill` is asked
/// for the next block of samples and answers how many it wrote, 0 at the
/// end (as [`crate::source::SessionSource::fill`] does). `progress` hears
/// the number of samples written so far after each block. Returns the
/// number of samples written.
///
/// The samples are made and converted on this thread while another one
/// writes them out, so that a render uses both cores of a small machine.
pub fn write<W: Write + Seek + Send>(
    writer: W,
    rate: u32,
    mut fill: impl FnMut(&mut [f32]) -> usize,
    mut progress: impl FnMut(u64),
) -> Result<u64, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::new(writer, spec)?;
    let (blocks, queue) = std::sync::mpsc::sync_channel::<Vec<i16>>(QUEUE);
    std::thread::scope(|scope| {
        let writing = scope.spawn(move || -> Result<(), hound::Error> {
            for block in queue {
                let mut pcm = wav.get_i16_writer(block.len() as u32);
                for sample in block {
                    pcm.write_sample(sample);
                }
                pcm.flush()?;
            }
            wav.flush()?;
            wav.finalize()
        });
        let mut samples = vec![0.0f32; BLOCK];
        let mut count = 0u64;
        loop {
            let n = fill(&mut samples).min(BLOCK);
            if n == 0 {
                break;
            }
            let block: Vec<i16> = samples[..n].iter().map(|s| pcm16(*s)).collect();
            if blocks.send(block).is_err() {
                // The writer stopped early: its error is reported below.
                break;
            }
            count += n as u64;
            progress(count);
        }
        drop(blocks);
        match writing.join() {
            Ok(result) => result.map(|()| count),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Adapts an iterator of samples to the block-filling form [`write`] takes.
pub fn from_iter(mut samples: impl Iterator<Item = f32>) -> impl FnMut(&mut [f32]) -> usize {
    move |block: &mut [f32]| {
        let mut n = 0;
        for (slot, sample) in block.iter_mut().zip(&mut samples) {
            *slot = sample;
            n += 1;
        }
        n
    }
}

/// Writes the samples `fill` gives (see [`write`]) to the file at `path` through a temporary file beside
/// it, renamed into place only once complete and once `verdict` (asked
/// after the last sample) finds nothing wrong with what was written: a
/// failed or interrupted render never leaves a half file, nor destroys one
/// that was there.
pub fn write_file(
    path: &Path,
    rate: u32,
    fill: impl FnMut(&mut [f32]) -> usize,
    progress: impl FnMut(u64),
    verdict: impl FnOnce() -> Result<(), String>,
) -> Result<u64, WavError> {
    let shown = path.display().to_string();
    let fail = |reason: String| WavError::Write {
        path: shown.clone(),
        reason,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".soothe-render-")
        .suffix(".wav.part")
        .tempfile_in(dir)
        .map_err(|e| fail(crate::error::io_reason(&e)))?;
    let file = std::io::BufWriter::with_capacity(1 << 16, temp.as_file());
    let count = write(file, rate, fill, progress).map_err(|e| fail(hound_reason(e)))?;
    verdict().map_err(WavError::Session)?;
    temp.as_file()
        .sync_all()
        .map_err(|e| fail(crate::error::io_reason(&e)))?;
    temp.persist(path)
        .map_err(|e| fail(crate::error::io_reason(&e.error)))?;
    Ok(count)
}

fn hound_reason(err: hound::Error) -> String {
    match err {
        hound::Error::IoError(io) => crate::error::io_reason(&io),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_round_trip_through_an_in_memory_wav() {
        let input = [0.0f32, 0.5, -0.5, 1.0, -1.0, 1.5, 0.25];
        let mut bytes = std::io::Cursor::new(Vec::new());
        let written = write(&mut bytes, 48_000, from_iter(input.iter().copied()), |_| {}).unwrap();
        assert_eq!(written, 7);
        let mut reader = hound::WavReader::new(std::io::Cursor::new(bytes.into_inner())).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 48_000, 16)
        );
        let back: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(back, vec![0, 16384, -16384, 32767, -32768, 32767, 8192]);
        assert_eq!(
            pcm16(-1.0 / 65536.0),
            -1,
            "the top 16 bits of the 32-bit value"
        );
        assert_eq!(
            pcm16(-1e-10),
            0,
            "values within 2^-31 of zero truncate to zero first"
        );
    }

    #[test]
    fn a_failed_render_leaves_the_existing_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.wav");
        std::fs::write(&path, b"the parent's earlier render").unwrap();
        // The session reports a problem (say, a recording it could not
        // read) only once every sample has been pulled.
        let samples = std::iter::repeat_n(0.1f32, 48_000);
        let verdict = || Err("mum/feet.wav: not a usable WAV file".to_string());
        let err = write_file(&path, 48_000, from_iter(samples), |_| {}, verdict).unwrap_err();
        assert_eq!(err.to_string(), "mum/feet.wav: not a usable WAV file");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"the parent's earlier render"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary file is removed");
    }
}
