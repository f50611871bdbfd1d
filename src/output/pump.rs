//! Pulls a session's samples and feeds them to an encoder: the samples are
//! made and converted to 16-bit PCM on this thread while another one
//! encodes and writes them, so that a render uses both cores of a small
//! machine.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use soothe_core::encode::wav::pcm16;
use soothe_core::encode::{Encoder, Patch};

/// Samples per block handed to the encoder.
const CHUNK: usize = 4096;

/// Blocks converted ahead of the encoding thread.
const QUEUE: usize = 16;

/// Why pumping stopped early.
#[derive(Debug, thiserror::Error)]
pub enum PumpError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("interrupted")]
    Interrupted,
}

/// Pulls up to `count` samples from `fill` (which answers how many it
/// wrote, 0 at the end, as [`soothe_core::mix::SessionSource::fill`] does),
/// encodes them with `encoder` to `out`, and finishes the encoder.
/// `progress` hears how many samples were pulled so far, after each block;
/// `interrupted` is looked at before each. Returns the number of samples
/// pulled and the encoder's patches for the start of the file.
pub fn pump(
    mut fill: impl FnMut(&mut [f32]) -> usize,
    count: u64,
    mut encoder: Box<dyn Encoder>,
    out: &mut (dyn Write + Send),
    mut progress: impl FnMut(u64),
    interrupted: &AtomicBool,
) -> Result<(u64, Vec<Patch>), PumpError> {
    let (blocks, queue) = std::sync::mpsc::sync_channel::<Vec<i16>>(QUEUE);
    std::thread::scope(|scope| {
        let writing = scope.spawn(move || -> std::io::Result<Vec<Patch>> {
            for block in queue {
                encoder.samples(&block, out)?;
            }
            let patches = encoder.finish(out)?;
            out.flush()?;
            Ok(patches)
        });
        let mut samples = vec![0.0f32; CHUNK];
        let mut pulled = 0u64;
        let mut stopped = false;
        while pulled < count {
            if interrupted.load(Ordering::SeqCst) {
                stopped = true;
                break;
            }
            let want = (count - pulled).min(CHUNK as u64) as usize;
            let n = fill(&mut samples[..want]).min(want);
            if n == 0 {
                break;
            }
            let block: Vec<i16> = samples[..n].iter().map(|s| pcm16(*s)).collect();
            if blocks.send(block).is_err() {
                // The writer stopped early: its error is reported below.
                break;
            }
            pulled += n as u64;
            progress(pulled);
        }
        drop(blocks);
        let written = match writing.join() {
            Ok(result) => result?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if stopped {
            return Err(PumpError::Interrupted);
        }
        Ok((pulled, written))
    })
}
