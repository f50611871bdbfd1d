//! `soothe play`: the session through the default audio output.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use super::{Levels, Prepared, SessionArgs};
use crate::device::Output;
use crate::source::{Control, SessionSource};
use crate::status::{clock, PlainLines, Status};
use crate::timeline::Timeline;

/// How often the display catches up with the sound.
const TICK: Duration = Duration::from_millis(40);

pub fn run(args: &SessionArgs, levels: Levels) -> anyhow::Result<()> {
    let mut prepared = Prepared::new(args)?;
    // The device first: without one, say so at once.
    let output = Output::open_default(prepared.timeline.sample_rate)?;
    prepared.sounds.preload(&prepared.timeline)?;
    if let Some(note) = prepared.voice_note() {
        eprintln!("{note}");
    }
    println!("{}", prepared.headline());

    let timeline = prepared.timeline.clone();
    let control = Control::new(levels.voice, levels.chime);
    output.start(SessionSource::new(
        timeline.clone(),
        Arc::new(prepared.sounds),
        control.clone(),
    ));

    let on_terminal = std::io::stdout().is_terminal();
    let mut lines = PlainLines::new(std::io::stdout());
    loop {
        let finished = control.is_finished();
        let position = control.position();
        if on_terminal {
            status_line(&timeline, position)?;
        } else {
            lines.update(&timeline, position)?;
        }
        if finished {
            break;
        }
        std::thread::sleep(TICK);
    }
    output.drain();
    if on_terminal {
        println!();
    }
    match control.error() {
        Some(err) => Err(anyhow::anyhow!(err)),
        None => Ok(()),
    }
}

/// One line, redrawn in place: step, stroke, elapsed and total time.
fn status_line(timeline: &Timeline, position: u64) -> std::io::Result<()> {
    let status = Status::at(timeline, position);
    let rate = timeline.sample_rate;
    let step = &timeline.steps[status.step_index];
    let stroke = status
        .stroke
        .map(|(n, of)| format!("  stroke {n} of {of}"))
        .unwrap_or_default();
    let mut out = std::io::stdout();
    write!(
        out,
        "\r\x1b[2K{}{stroke}  {} / {}",
        step.title,
        clock(status.elapsed, rate),
        clock(status.total, rate)
    )?;
    out.flush()
}
