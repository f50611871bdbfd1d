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
    let timeline = prepared.timeline.clone();
    let rate = timeline.sample_rate;
    let total = timeline.total_samples;
    let control = Control::new(levels.voice, levels.chime);
    let source = SessionSource::new(timeline, Arc::new(prepared.sounds), control.clone());

    let on_terminal = std::io::stderr().is_terminal();
    let progress = |done: u64| {
        if on_terminal && done % (u64::from(rate) * 10) == 0 {
            let mut err = std::io::stderr();
            let _ = write!(err, "\rRendering {}%", done * 100 / total.max(1));
            let _ = err.flush();
        }
    };
    let verdict = || control.error().map_or(Ok(()), Err);
    let result = wav::write_file(output, rate, source, progress, verdict);
    if on_terminal {
        eprint!("\r\x1b[2K");
    }
    let written = result?;
    let mut out = std::io::stdout();
    writeln!(out, 
        "Wrote {}: {}, {} Hz mono, 16-bit",
        output.display(),
        clock(written, rate),
        rate
    )?;
    Ok(())
}
