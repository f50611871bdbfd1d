//! `soothe play`: the session through the default audio output.

use std::io::Write;
use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::device::Output;
use crate::live::Ending;
use crate::source::{Control, SessionSource};

pub fn run(args: &SessionArgs, levels: Levels) -> anyhow::Result<()> {
    let prepared = Prepared::new(args)?;
    // The device first: without one, say so at once. Prompts are decoded
    // as they come, a little ahead of the device (see crate::feed), as
    // `render` does: playing needs no more memory than rendering.
    let mut output = Output::open_default(prepared.timeline.sample_rate)?;
    if let Some(note) = prepared.voice_note() {
        eprintln!("{note}");
    }
    if let Some(note) = crate::limiter::note(levels.voice_db) {
        eprintln!("{note}");
    }
    println!("{}", prepared.headline());

    let timeline = prepared.timeline.clone();
    let steps = prepared.timeline.clone();
    let control = Control::new(levels);
    output.start(SessionSource::new(
        timeline.clone(),
        Arc::new(prepared.sounds),
        control.clone(),
    ));

    let ending = crate::live::run(
        crate::live::LiveSession {
            timeline,
            control: control.clone(),
            levels,
            title: &prepared.session.title,
            prompts: &prepared.script.prompts,
        },
        || output.lost().map_or(Ok(()), Err),
    );
    let breaks = output.breaks();
    output.drain();
    if let Some(report) = breaks.report() {
        eprintln!("{report}");
    }
    let ending = ending?;
    if let Some(err) = control.error() {
        return Err(anyhow::anyhow!(err));
    }
    if ending == Ending::Quit && control.position() < steps.total_samples {
        // Stopped before the end: how to go on later from that step (or
        // from the one a key press was on its way to).
        let index = control
            .pending_jump()
            .or_else(|| steps.step_at(control.position()));
        if let Some(step) = index.and_then(|i| steps.steps.get(i)) {
            // The terminal may be gone (closed window): nobody to tell.
            let _ = writeln!(
                std::io::stdout(),
                "To go on: {}",
                super::go_on_command(args, levels, &step.id)
            );
        }
    }
    Ok(())
}
