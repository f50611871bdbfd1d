//! `soothe render`: the session to a WAV file, through the same source
//! that plays it.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::source::{Control, SessionSource};
use crate::status::clock;
use crate::wav;

pub fn run(args: &SessionArgs, levels: Levels, output: &Path) -> anyhow::Result<()> {
    let prepared = Prepared::new(args)?;
    if let Some(note) = prepared.voice_note() {
        eprintln!("{note}");
    }
    if let Some(note) = crate::limiter::note(levels.voice) {
        eprintln!("{note}");
    }
    let timeline = prepared.timeline.clone();
    let rate = timeline.sample_rate;
    let total = timeline.total_samples;
    let control = Control::new(levels.voice, levels.chime);
    let mut source = SessionSource::new(timeline, Arc::new(prepared.sounds), control.clone());

    let on_terminal = std::io::stderr().is_terminal();
    let mut shown = 0;
    let progress = |done: u64| {
        let percent = done * 100 / total.max(1);
        if on_terminal && percent != shown {
            shown = percent;
            let mut err = std::io::stderr();
            let _ = write!(err, "\rRendering {percent}%");
            let _ = err.flush();
        }
    };
    let verdict = || control.error().map_or(Ok(()), Err);
    // The very source `play` hands to the device, pulled block by block.
    let result = wav::write_file(output, rate, |block| source.fill(block), progress, verdict);
    if on_terminal {
        eprint!("\r\x1b[2K");
    }
    let written = result?;
    let mut out = std::io::stdout();
    writeln!(
        out,
        "Wrote {}: {}, {} Hz mono, 16-bit",
        output.display(),
        clock(written, rate),
        rate
    )?;
    Ok(())
}
