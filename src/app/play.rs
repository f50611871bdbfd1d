//! `soothe play`: the session through the default audio output.

use std::io::Write;
use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::device::Output;
use crate::listen::{Ear, Heard, ListenOptions, Tap};
use crate::live::Ending;
use crate::source::{Control, SessionSource};

pub fn run(
    args: &SessionArgs,
    levels: Levels,
    listen: Option<&ListenOptions>,
) -> anyhow::Result<()> {
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
    let steps = prepared.timeline.clone();
    let control = Control::new(levels);
    // Listening (`--listen`, or the script's `listen: Listen(always: true)`):
    // the microphone, and every sample played, by position, so that
    // soothe's own sound can be told from the baby's.
    let always = prepared.script.listen.as_ref().is_some_and(|l| l.always);
    let listen = listen
        .cloned()
        .or_else(|| always.then(ListenOptions::default));
    // What to say on hearing crying: the script's prompt, in the voice
    // played (the guide's where the parent has not recorded it).
    let interjection = match (&listen, &prepared.script.listen) {
        (Some(_), Some(script)) if prepared.sounds.voice.get(&script.prompt).is_some() => {
            Some(script.prompt.clone())
        }
        (Some(_), Some(script)) => {
            eprintln!(
                "Listening: the prompt \"{}\" has no recording, so a pause for crying will be silent.",
                script.prompt
            );
            None
        }
        _ => None,
    };
    let tap = Arc::new(Tap::new(timeline.sample_rate));
    let mut source =
        SessionSource::new(timeline.clone(), Arc::new(prepared.sounds), control.clone());
    if listen.is_some() {
        source = source.with_tap(tap.clone());
    }
    if let Some(id) = &interjection {
        source = source.with_interjection(id);
    }
    let mut listening = None;
    let ear = listen.map(|options| {
        let ear = Arc::new(Ear::new(Heard::NotListening));
        match crate::listen::live::start(&options, control.clone(), tap, ear.clone()) {
            Ok(started) => listening = Some(started),
            Err(crate::record::capture::CaptureError::NoInput { reason }) => eprintln!(
                "Not listening for the baby: no microphone could be opened ({reason}). The session plays on."
            ),
        }
        ear
    });
    output.start(source);

    let ending = crate::live::run(
        crate::live::LiveSession {
            timeline,
            control: control.clone(),
            levels,
            title: &prepared.session.title,
            prompts: &prepared.script.prompts,
            ear,
        },
        || output.lost().map_or(Ok(()), Err),
    );
    // The microphone is let go of as soon as the session ends.
    drop(listening);
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
