//! `soothe play`: the session through the default audio output.

use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::device::Output;
use crate::source::{Control, SessionSource};

pub fn run(args: &SessionArgs, levels: Levels) -> anyhow::Result<()> {
    let mut prepared = Prepared::new(args)?;
    // The device first: without one, say so at once.
    let output = Output::open_default(prepared.timeline.sample_rate)?;
    prepared.sounds.preload(&prepared.timeline)?;
    if let Some(note) = prepared.voice_note() {
        eprintln!("{note}");
    }
    if let Some(note) = crate::limiter::note(levels.voice) {
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

    let trouble = output.trouble();
    let ending = crate::live::run(
        crate::live::Session {
            timeline,
            control: control.clone(),
            levels,
            title: &prepared.session.title,
            prompts: &prepared.script.prompts,
        },
        || trouble.lost().map_or(Ok(()), Err),
    );
    output.drain();
    let dropouts = trouble.dropouts();
    if dropouts > 0 {
        eprintln!(
            "The sound dropped out {dropouts} time{} ({}).",
            if dropouts == 1 { "" } else { "s" },
            trouble
                .other()
                .unwrap_or_else(|| "the computer was too busy to keep up".into())
        );
    }
    ending?;
    match control.error() {
        Some(err) => Err(anyhow::anyhow!(err)),
        None => Ok(()),
    }
}
