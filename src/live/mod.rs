//! A session as it plays: the live view (or plain lines), single key
//! presses, media keys and signals, all acting on the session's one clock
//! through [`actions::Remote`].
//!
//! - stdout a terminal: the live view ([`view`]) on the alternate screen;
//!   otherwise plain lines, one per step start and one per stroke.
//! - stdin a terminal: keys ([`actions::action_for_key`]); otherwise the
//!   session runs hands-free.
//! - a D-Bus session bus: media keys (`mpris`, with the `mpris` feature).

pub mod actions;
mod media;
#[cfg(feature = "mpris")]
pub mod mpris;
mod plain;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use self::media::{start_media, MediaKeys};
use self::plain::PlainLines;
use crate::terminal::input::{self, KeyReader};
use crate::terminal::screen::TerminalGuard;
use crate::terminal::signals::Signals;
use actions::{Action, Effect, Jump, Remote};
use soothe_core::clock::clock;
use soothe_core::mix::Control;
use soothe_core::mix::Levels;
use soothe_core::session::script::OrderedMap;
use soothe_core::session::timeline::Timeline;
use soothe_core::status::{Ending, Status};
use view::{Controls, Painter, Scene};

/// How often the display catches up with the sound.
pub const TICK: Duration = Duration::from_millis(40);
/// How long a note about a key press stays on the screen.
const MESSAGE_TIME: Duration = Duration::from_secs(4);
/// How long the note about missing media keys stays on the screen.
const MEDIA_NOTE_TIME: Duration = Duration::from_secs(10);
/// After a stop, how long to wait for the device to fall silent.
const STOP_GRACE: Duration = Duration::from_secs(1);
/// The clock standing still this long while playing means the audio
/// output has stopped taking samples.
const OUTPUT_STALL: Duration = Duration::from_secs(5);

/// A session that has started playing.
pub struct LiveSession<'a> {
    pub timeline: Arc<Timeline>,
    pub control: Arc<Control>,
    /// The levels it started with (`--voice-gain`, `--chime-gain`).
    pub levels: Levels,
    /// The session's title, the "album" media keys show.
    pub title: &'a str,
    /// The words of each prompt.
    pub prompts: &'a OrderedMap<String>,
    /// What `--listen` hears (`None`: not listening).
    pub ear: Option<Arc<soothe_core::listen::Ear>>,
}

/// Runs `session` until it ends. `health` is asked every tick whether the
/// audio output still works; an `Err` ends the session with that reason.
pub fn run(
    session: LiveSession,
    mut health: impl FnMut() -> Result<(), String>,
) -> anyhow::Result<Ending> {
    if session.timeline.steps.is_empty() {
        println!("Nothing to play: every step is left out.");
        session.control.stop();
        return Ok(Ending::Finished);
    }
    let live = io::stdout().is_terminal();
    let keys = io::stdin().is_terminal();
    let (mut media, media_note) = start_media();
    if let Some(note) = &media_note {
        crate::notes::note(note);
    }
    let signals = Signals::register()?;
    let terminal = TerminalGuard::enter(keys, live)?;

    let mut runner = Runner {
        remote: Remote::new(
            session.control.clone(),
            session.timeline.clone(),
            session.levels,
        ),
        session: &session,
        controls: Controls {
            keys,
            media: media.is_some(),
        },
        message: None,
        quitting: false,
        babys_done: None,
        stopping_since: None,
        terminal_gone: false,
        keys_shown: false,
    };
    if live && media_note.is_some() {
        // The full line went to stderr, under the live screen.
        let note = "Media keys are off: no D-Bus session bus".to_string();
        runner.message = Some((note, Instant::now() + MEDIA_NOTE_TIME));
    }
    let mut display = if live {
        Display::Live(Painter::new(io::stdout()))
    } else {
        Display::Plain(PlainLines::new(io::stdout()))
    };
    let mut reader = keys.then(KeyReader::start);
    let result = runner.run(
        &mut display,
        reader.as_mut(),
        media.as_mut(),
        &signals,
        &terminal,
        &mut health,
    );
    drop(terminal);
    signals.unregister();
    if let Some(media) = media {
        media.close();
    }
    if live && !runner.terminal_gone {
        // The live screen is gone: say how the session ended.
        println!("{}", farewell(&session, runner.babys_done, &result));
    }
    result
}

/// What is left on the terminal once the live screen is gone: how the
/// session ended, and where.
fn farewell(
    session: &LiveSession,
    babys_done: Option<usize>,
    result: &anyhow::Result<Ending>,
) -> String {
    let timeline = &session.timeline;
    let title = |index: usize| {
        let step = &timeline.steps[index.min(timeline.steps.len() - 1)];
        soothe_core::error::shown(&step.title).into_owned()
    };
    match result {
        Ok(Ending::Finished) => "Finished".to_string(),
        Ok(Ending::BabysDone(_)) => format!(
            "Baby's done, in \"{}\": the close played, and the session is over",
            title(babys_done.unwrap_or_default())
        ),
        _ => {
            let status = Status::at(timeline, session.control.position());
            format!(
                "Stopped at {} in \"{}\"",
                clock(status.elapsed, timeline.sample_rate),
                title(status.step_index)
            )
        }
    }
}

enum Display {
    Live(Painter<io::Stdout>),
    Plain(PlainLines<io::Stdout>),
}

struct Runner<'s, 'a> {
    remote: Remote,
    session: &'s LiveSession<'a>,
    controls: Controls,
    /// A note on the screen, and until when.
    message: Option<(String, Instant)>,
    quitting: bool,
    /// The step "baby's done" was asked for on, if it was.
    babys_done: Option<usize>,
    /// When a stop was asked for (q, the end of the last step...).
    stopping_since: Option<Instant>,
    /// stdin ended: the terminal is gone.
    terminal_gone: bool,
    /// The list of every key is on the screen (`?`).
    keys_shown: bool,
}

impl Runner<'_, '_> {
    fn run(
        &mut self,
        display: &mut Display,
        mut keys: Option<&mut KeyReader>,
        mut media: Option<&mut MediaKeys>,
        signals: &Signals,
        terminal: &TerminalGuard,
        health: &mut dyn FnMut() -> Result<(), String>,
    ) -> anyhow::Result<Ending> {
        let control = self.session.control.clone();
        // When the clock last moved (or was paused), to tell a device that
        // stopped taking samples.
        let mut moved = (control.position(), Instant::now());
        // The presses' clock (a double press of "back").
        let started = Instant::now();
        let mut held = false;
        loop {
            let actions = self.gather(&mut keys, &mut media, signals);
            if !actions.is_empty() {
                // The lines up to now first, before a jump skips ahead.
                self.print_lines(display)?;
            }
            for action in actions {
                let on = self.remote.current_step();
                let effect = self.remote.apply(action, started.elapsed());
                if let Effect::Jumped {
                    why: Jump::Closing, ..
                } = effect
                {
                    self.babys_done.get_or_insert(on);
                }
                self.note(effect, display)?;
            }
            if control.is_held() != held {
                held = !held;
                if held {
                    self.print_lines(display)?;
                    self.note(Effect::Held, display)?;
                }
            }
            self.check_health(display, terminal, health, &mut moved)?;
            // A stop ends when the device is silent; should the device have
            // stopped answering, it ends a little later all the same.
            let finished = control.is_finished()
                || self
                    .stopping_since
                    .is_some_and(|since| since.elapsed() > STOP_GRACE);
            if !self.terminal_gone {
                self.show(display)?;
            }
            if let Some(media) = media.as_deref_mut() {
                let step = self.remote.current_step();
                let title = &self.session.timeline.steps[step].title;
                media.show(step, title, self.session.title, control.is_paused());
            }
            if finished {
                return Ok(self.ending());
            }
        }
    }

    /// What the parent asked for since the last tick: keys (waiting up to
    /// a tick for one), media keys, and a signal to stop.
    fn gather(
        &mut self,
        keys: &mut Option<&mut KeyReader>,
        media: &mut Option<&mut MediaKeys>,
        signals: &Signals,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        match keys.as_deref_mut().map(|keys| keys.wait(TICK)) {
            Some(Ok(pressed)) => {
                actions.extend(pressed.into_iter().filter_map(actions::action_for_key))
            }
            Some(Err(input::Gone)) => {
                // The terminal has gone: nothing to show, nobody to ask.
                *keys = None;
                self.terminal_gone = true;
                actions.push(Action::Quit);
            }
            None => std::thread::sleep(TICK),
        }
        if let Some(media) = media.as_deref_mut() {
            actions.extend(media.actions());
        }
        if signals.caught() {
            actions.push(Action::Quit);
        }
        actions
    }

    /// Stops the session with an error when the device fails, the live
    /// view is gone, or the clock has stood still (not paused or held)
    /// for longer than a device may take: `moved` is where and when it
    /// last moved.
    fn check_health(
        &mut self,
        display: &Display,
        terminal: &TerminalGuard,
        health: &mut dyn FnMut() -> Result<(), String>,
        moved: &mut (u64, Instant),
    ) -> anyhow::Result<()> {
        let control = &self.session.control;
        if let Err(reason) = health() {
            control.stop();
            anyhow::bail!("the audio output stopped working: {reason}");
        }
        if matches!(display, Display::Live(_)) && !terminal.screen_is_up() {
            control.stop();
            anyhow::bail!("the live view was closed by an internal error");
        }
        let position = control.position();
        // (Held, the clock stands still while the prompt plays.)
        if position != moved.0
            || control.is_paused()
            || control.is_held()
            || self.stopping_since.is_some()
        {
            *moved = (position, Instant::now());
        } else if moved.1.elapsed() > OUTPUT_STALL {
            control.stop();
            anyhow::bail!(
                "the audio output stopped taking sound{}",
                health().err().map(|e| format!(": {e}")).unwrap_or_default()
            );
        }
        Ok(())
    }

    /// How the session ended (it has): quit on the step it was on (or
    /// the one a key press was on its way to), baby's done on the step
    /// where d was pressed, or finished.
    fn ending(&self) -> Ending {
        let timeline = &self.session.timeline;
        let control = &self.session.control;
        let id = |index: Option<usize>| {
            index
                .and_then(|i| timeline.steps.get(i))
                .map_or_else(String::new, |step| step.id.clone())
        };
        match (self.quitting, self.babys_done) {
            (true, _) => Ending::Stopped(id(control
                .pending_jump()
                .or_else(|| timeline.step_at(control.position())))),
            (false, Some(at)) => Ending::BabysDone(id(Some(at))),
            (false, None) => Ending::Finished,
        }
    }

    /// Remembers what an action did, to show it; in plain lines, prints it.
    fn note(&mut self, effect: Effect, display: &mut Display) -> io::Result<()> {
        let timeline = &self.session.timeline;
        let title = |step: usize| soothe_core::error::shown(&timeline.steps[step].title);
        let text = match effect {
            Effect::AlreadyClosing => Some("Already at the close".to_string()),
            Effect::Paused => Some("Paused".to_string()),
            Effect::Held => Some(
                "Your baby is crying: paused. Press space to go on, or d to finish.".to_string(),
            ),
            Effect::Resumed => Some("Going on".to_string()),
            Effect::Jumped { to, why } => Some(match why {
                Jump::Next => format!("On to {}", title(to)),
                Jump::Restart => format!("{} again, from the start", title(to)),
                Jump::Previous => format!("Back to {}", title(to)),
                Jump::Closing => format!("Baby's done: on to {}", title(to)),
            }),
            Effect::Volume { offset_db, limit } => Some(format!(
                "Volume {}{}",
                view::decibels(offset_db),
                match (limit, offset_db > 0.0) {
                    (false, _) => "",
                    (true, true) => " (the loudest)",
                    (true, false) => " (the quietest)",
                }
            )),
            Effect::Ending => {
                self.stopping_since.get_or_insert_with(Instant::now);
                Some("Ending the session".to_string())
            }
            Effect::Quit => {
                self.quitting = true;
                self.stopping_since.get_or_insert_with(Instant::now);
                None
            }
            Effect::KeysToggled => match display {
                Display::Live(_) => {
                    self.keys_shown = !self.keys_shown;
                    None
                }
                // In plain lines, the keys on one line.
                Display::Plain(_) => Some(format!("keys: {}", view::all_keys())),
            },
        };
        let Some(text) = text else {
            return Ok(());
        };
        match display {
            Display::Live(_) => {
                // The screen shows pausing, holding (and the keys) by itself.
                if !matches!(
                    effect,
                    Effect::Paused | Effect::Resumed | Effect::KeysToggled | Effect::Held
                ) {
                    self.message = Some((text, Instant::now() + MESSAGE_TIME));
                }
            }
            Display::Plain(_) => {
                let position = self.session.control.position();
                let mut out = io::stdout().lock();
                writeln!(out, "[{}] -- {text}", clock(position, timeline.sample_rate))?;
                out.flush()?;
            }
        }
        if let (Display::Plain(lines), Effect::Jumped { to, .. }) = (display, effect) {
            lines.jumped(timeline, to);
        }
        Ok(())
    }

    /// In plain lines, prints what has happened since the last time.
    fn print_lines(&self, display: &mut Display) -> io::Result<()> {
        let control = &self.session.control;
        match display {
            // Until the source has made a jump, its position is the old one.
            Display::Plain(lines) if control.pending_jump().is_none() => {
                lines.update(&self.session.timeline, control.position())
            }
            _ => Ok(()),
        }
    }

    fn show(&mut self, display: &mut Display) -> anyhow::Result<()> {
        match display {
            Display::Plain(_) => self.print_lines(display)?,
            Display::Live(painter) => {
                // A terminal that cannot say its size gets the classic one.
                let (width, height) = crossterm::terminal::size().unwrap_or((80, 24));
                let now = Instant::now();
                if self
                    .message
                    .as_ref()
                    .is_some_and(|(_, until)| *until <= now)
                {
                    self.message = None;
                }
                let frame = view::render(&self.scene(), width, height);
                painter.paint(&frame)?;
            }
        }
        Ok(())
    }

    /// What the live view shows now.
    fn scene(&self) -> Scene<'_> {
        let timeline = &self.session.timeline;
        let control = &self.session.control;
        let step_index = self.remote.current_step();
        let step = &timeline.steps[step_index];
        let position = match control.pending_jump() {
            Some(_) => step.start_sample,
            None => control.position(),
        };
        let status = Status::at(timeline, position);
        Scene {
            title: &step.title,
            step: (step_index + 1, timeline.steps.len()),
            stroke: status.stroke,
            paused: control.is_paused(),
            elapsed: status.elapsed,
            total: status.total,
            step_left: step.end_sample.saturating_sub(position),
            rate: timeline.sample_rate,
            prompt: status
                .prompt
                .as_deref()
                .and_then(|id| self.session.prompts.get(id))
                .map(String::as_str),
            next: timeline.steps.get(step_index + 1).map(|s| s.title.as_str()),
            volume_db: self.remote.volume_offset_db(),
            message: self.message.as_ref().map(|(text, _)| text.as_str()),
            controls: self.controls,
            keys_shown: self.keys_shown,
            held: control.is_held(),
            listening: self.session.ear.as_ref().map(|ear| ear.get()),
        }
    }
}
