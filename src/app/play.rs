//! `soothe play`: the session through the default audio output.

use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::device::Output;
use crate::source::{Control, SessionSource};

pub fn run(args: &SessionArgs, levels: Levels) -> anyhow::Result<()> {
    let prepared = Prepared::new(args)?;
    // The device first: without one, say so at once. Prompts are decoded
    // as they come, a little ahead of the device (see crate::feed), as
    // `render` does: playing needs no more memory than rendering.
    let output = Output::open_default(prepared.timeline.sample_rate)?;
    if let Some(note) = prepared.voice_note() {
        eprintln!("{note}");
    }
    if let Some(note) = crate::limiter::note(levels.voice_db) {
        eprintln!("{note}");
    }
    println!("{}", prepared.headline());

    let timeline = prepared.timeline.clone();
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
    ending?;
    match control.error() {
        Some(err) => Err(anyhow::anyhow!(err)),
        None => Ok(()),
    }
}
