//! `soothe play`: the session through the default audio output.

use std::io::Write;
use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::output::device::Output;
use soothe_core::listen::{Ear, Heard, ListenOptions, Tap};
use soothe_core::mix::{Control, SessionSource};
use soothe_core::session::timeline::Timeline;
use soothe_core::status::Ending;

pub fn run(
    args: &SessionArgs,
    levels: Levels,
    listen: Option<&ListenOptions>,
) -> anyhow::Result<()> {
    let prepared = Prepared::new(args)?;
    // The device first: without one, say so at once. Prompts are decoded
    // as they come, ahead of the device (see crate::output::feed and
    // crate::output::writer), as `render` does: playing needs no more memory than
    // rendering.
    let mut output = Output::open_default(prepared.timeline.sample_rate)?;
    announce(&prepared, &output, levels)?;

    let timeline = prepared.timeline.clone();
    let control = Control::new(levels);
    // Listening (`--listen`, or the script's `listen: Listen(always: true)`):
    // the microphone, and every sample played, by position, so that
    // soothe's own sound can be told from the baby's.
    let always = prepared.script.listen.as_ref().is_some_and(|l| l.always);
    let listen = listen
        .cloned()
        .or_else(|| always.then(ListenOptions::default));
    let interjection = interjection(listen.as_ref(), &prepared);
    let tap = Arc::new(Tap::new(timeline.sample_rate));
    let mut source =
        SessionSource::new(timeline.clone(), Arc::new(prepared.sounds), control.clone());
    if listen.is_some() {
        source = source.with_tap(tap.clone());
    }
    if let Some(id) = &interjection {
        source = source.with_interjection(id);
    }
    let (ear, listening) = match &listen {
        None => (None, None),
        Some(options) => start_listening(options, &control, tap)?,
    };
    output.start(source);

    let ending = crate::live::run(
        crate::live::LiveSession {
            timeline: timeline.clone(),
            control: control.clone(),
            levels,
            title: &prepared.session.title,
            prompts: &prepared.script.prompts,
            ear,
        },
        || output.lost().map_or(Ok(()), Err),
    );
    // However it ended, before anything else can go wrong: the log.
    log_session(args, &prepared.session, &timeline, &control, &ending);
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
    if matches!(ending, Ending::Stopped(_)) {
        tell_how_to_go_on(args, levels, &timeline, &control);
    }
    Ok(())
}

/// What is said before the session: the device and voice files (with
/// `--verbose`), notes on the voice and the levels, and the headline.
fn announce(prepared: &Prepared, output: &Output, levels: Levels) -> std::io::Result<()> {
    if crate::notes::is_verbose() {
        crate::notes::detail(format!("Audio output: {}", output.describe()));
        crate::notes::detail(prepared.voice_files());
    }
    if let Some(note) = prepared.voice_note() {
        crate::notes::note(note);
    }
    if let Some(note) = soothe_core::sound::limiter::note(levels.voice_db) {
        crate::notes::note(note);
    }
    writeln!(crate::stdout::lock(), "{}", prepared.headline())
}

/// What to say on hearing crying, when listening: the script's prompt,
/// in the voice played (the guide's where the parent has not recorded
/// it); `None`, with a note, when no voice has it.
fn interjection(listen: Option<&ListenOptions>, prepared: &Prepared) -> Option<String> {
    let script = prepared
        .script
        .listen
        .as_ref()
        .filter(|_| listen.is_some())?;
    if prepared.sounds.voice.get(&script.prompt).is_some() {
        return Some(script.prompt.clone());
    }
    crate::notes::note(format!(
        "Listening: the prompt \"{}\" has no recording, so a pause for crying will be silent.",
        script.prompt
    ));
    None
}

/// Opens the microphone and starts listening: what the view shows of it,
/// and the listener to keep until the session ends. Without a
/// microphone, a note, and the session plays on not listening.
fn start_listening(
    options: &ListenOptions,
    control: &Arc<Control>,
    tap: Arc<Tap>,
) -> anyhow::Result<(Option<Arc<Ear>>, Option<crate::listening::Listening>)> {
    let ear = Arc::new(Ear::new(Heard::NotListening));
    match crate::listening::start(options, control.clone(), tap, ear.clone()) {
        Ok(started) => Ok((Some(ear), Some(started))),
        Err(crate::record::capture::CaptureError::NoInput { reason }) => {
            crate::notes::note(format!(
                "Not listening for the baby: no microphone could be opened ({reason}). The session plays on."
            ));
            Ok((Some(ear), None))
        }
        // `--input NAME` names no microphone: the parent's to fix.
        Err(err @ crate::record::capture::CaptureError::Unknown(_)) => Err(err.into()),
    }
}

/// Stopped before the end: how to go on later from that step (or from
/// the one a key press was on its way to).
fn tell_how_to_go_on(args: &SessionArgs, levels: Levels, timeline: &Timeline, control: &Control) {
    if control.position() >= timeline.total_samples {
        return;
    }
    let index = control
        .pending_jump()
        .or_else(|| timeline.step_at(control.position()));
    if let Some(step) = index.and_then(|i| timeline.steps.get(i)) {
        // The terminal may be gone (closed window): nobody to tell.
        let _ = writeln!(
            std::io::stdout(),
            "To go on: {}",
            super::go_on_command(args, levels, &step.id)
        );
    }
}

/// Adds the session to the session log; a log that cannot be written is
/// a note, never a failed session.
fn log_session(
    args: &SessionArgs,
    session: &soothe_core::session::select::Session,
    timeline: &Timeline,
    control: &Control,
    ending: &anyhow::Result<Ending>,
) {
    use crate::session_log::{self, Entry};
    let Some(path) = session_log::path() else {
        crate::notes::note("The session is not in the log: there is no home folder to keep it in.");
        return;
    };
    let ending = match ending {
        Ok(ending) => ending.clone(),
        // Stopped by a failure: the step it was on (or the one a key
        // press was on its way to).
        Err(_) => Ending::Stopped(
            control
                .pending_jump()
                .or_else(|| timeline.step_at(control.position()))
                .and_then(|i| timeline.steps.get(i))
                .map_or_else(String::new, |step| step.id.clone()),
        ),
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
        brief: args.selection.brief,
        from: args.from.clone(),
        voice: args.voice.label(),
        language: session.language.to_string(),
        ending,
        heard_seconds: control.heard() / u64::from(timeline.sample_rate.max(1)),
    };
    if let Err(err) = session_log::append_to(&path, &entry) {
        crate::notes::note(format!(
            "The session is not in the log: {}: {}",
            path.display(),
            soothe_core::error::io_reason(&err)
        ));
    }
}
