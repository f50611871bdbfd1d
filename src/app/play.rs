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
    // as they come, ahead of the device (see crate::feed and
    // crate::writer), as `render` does: playing needs no more memory than
    // rendering.
    let mut output = Output::open_default(prepared.timeline.sample_rate)?;
    if crate::notes::is_verbose() {
        crate::notes::detail(format!("Audio output: {}", output.describe()));
        crate::notes::detail(prepared.voice_files());
    }
    if let Some(note) = prepared.voice_note() {
        crate::notes::note(note);
    }
    if let Some(note) = crate::limiter::note(levels.voice_db) {
        crate::notes::note(note);
    }
    writeln!(crate::stdout::lock(), "{}", prepared.headline())?;

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
            crate::notes::note(format!(
                "Listening: the prompt \"{}\" has no recording, so a pause for crying will be silent.",
                script.prompt
            ));
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
    let ear = match &listen {
        None => None,
        Some(options) => {
            let ear = Arc::new(Ear::new(Heard::NotListening));
            match crate::listen::live::start(options, control.clone(), tap, ear.clone()) {
                Ok(started) => listening = Some(started),
                Err(crate::record::capture::CaptureError::NoInput { reason }) => {
                    crate::notes::note(format!(
                        "Not listening for the baby: no microphone could be opened ({reason}). The session plays on."
                    ))
                }
                // `--input NAME` names no microphone: the parent's to fix.
                Err(err @ crate::record::capture::CaptureError::Unknown(_)) => {
                    return Err(err.into())
                }
            }
            Some(ear)
        }
    };
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
    // However it ended, before anything else can go wrong: the log.
    log_session(args, &prepared.session, &steps, &control, &ending);
    // The microphone is let go of as soon as the session ends.
    drop(listening);
    let breaks = output.breaks();
    output.drain();
    if let Some(report) = breaks.report() {
        crate::notes::note(report);
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

/// Adds the session to the session log; a log that cannot be written is
/// a note, never a failed session.
fn log_session(
    args: &SessionArgs,
    session: &crate::select::Session,
    timeline: &crate::timeline::Timeline,
    control: &Control,
    ending: &anyhow::Result<Ending>,
) {
    use crate::session_log::{self, Entry, Reached};
    let Some(path) = session_log::path() else {
        crate::notes::note("The session is not in the log: there is no home folder to keep it in.");
        return;
    };
    let step_id = |index: Option<usize>| {
        index
            .and_then(|i| timeline.steps.get(i))
            .map_or_else(String::new, |step| step.id.clone())
    };
    let reached = match ending {
        Ok(Ending::Finished) => Reached::Finished,
        Ok(Ending::BabysDone { at }) => Reached::BabysDone(step_id(Some(*at))),
        // Quit, or stopped by a failure: the step it was on (or the one a
        // key press was on its way to).
        _ => Reached::Stopped(step_id(
            control
                .pending_jump()
                .or_else(|| timeline.step_at(control.position())),
        )),
    };
    let script = match &args.script {
        Some(path) => std::fs::canonicalize(path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string(),
        None => session_log::BUILTIN.to_string(),
    };
    let (date, time) = session_log::now();
    let entry = Entry {
        date,
        time,
        script,
        variant: session.variant.clone(),
        options: session.options.clone(),
        voice: args.voice.label(),
        reached,
        heard_seconds: control.heard() / u64::from(timeline.sample_rate.max(1)),
    };
    if let Err(err) = session_log::append_to(&path, &entry) {
        crate::notes::note(format!(
            "The session is not in the log: {}: {}",
            path.display(),
            crate::error::io_reason(&err)
        ));
    }
}
