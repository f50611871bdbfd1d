//! Recording prompts from the microphone, one take at a time.
//!
//! On a terminal: a soft countdown, a live level meter while listening,
//! the take played back, and a single key to keep, redo or skip it. With
//! keys piped in (a script, a test), the same single keys answer, without
//! countdown or playback; when no answer comes (stdin empty or closed),
//! every take with speech in it is kept, and a take without speech is an
//! error.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use super::{advice, report, summary, RecordArgs};
use crate::record::answers::{Keys, Press};
use crate::record::capture::{self, Microphone};
use crate::record::{playback, takes};
use crate::terminal::input::Key;
use soothe_core::session::script::Script;
use soothe_core::take::meter::{self, SilenceWatch};
use soothe_core::take::process::{self, ProcessError};
use soothe_core::take::recording::{ListenError, TakeEnd, TakeListener, TakeProgress};
use soothe_core::take::speech::Limits;

pub fn run(script: &Script, args: &RecordArgs, dir: &Path, ids: &[&str]) -> anyhow::Result<()> {
    let microphone = capture::open(args.input.as_deref())?;
    takes::remove_stale_parts(dir);
    let device = microphone.description.clone();
    let listener = TakeListener::new(microphone);
    let keys = if std::io::stdin().is_terminal() {
        Keys::terminal()?
    } else {
        Keys::piped()
    };
    let voice = args.voice.label();
    let count = ids.len();
    println!(
        "Recording {count} prompt{} in the voice \"{}\" from {}.",
        if count == 1 { "" } else { "s" },
        soothe_core::error::shown(&voice),
        soothe_core::error::shown(&device)
    );
    if keys.is_terminal() {
        println!("Read each text aloud after the countdown. Recording stops by itself when you have been quiet for a moment, or when you press Enter.");
    }
    let mut recording = Recording {
        script,
        dir,
        limits: Limits::at(listener.rate()),
        listener,
        keys,
        meter: std::io::stdout().is_terminal(),
    };
    for (n, id) in ids.iter().enumerate() {
        let text = script.prompts.get(id).map(String::as_str).unwrap_or("");
        println!(
            "\n[{}/{count}] {id}\n{}",
            n + 1,
            crate::terminal::wrap::indented(text, 72, "    ")
        );
        let next = loop {
            match recording.record_prompt(id, text)? {
                Next::Redo => continue,
                next => break next,
            }
        };
        if next == Next::Quit {
            break;
        }
    }
    // Raw mode ends here, before the last lines.
    drop(recording);
    println!();
    summary(script, args, dir);
    Ok(())
}

/// What comes after one go at a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// The take is saved: on to the next prompt.
    Saved,
    /// Record this prompt again.
    Redo,
    /// Leave this prompt as it was: on to the next.
    Skip,
    /// Stop recording.
    Quit,
}

/// Recording from the microphone, prompt after prompt.
struct Recording<'a> {
    script: &'a Script,
    dir: &'a Path,
    listener: TakeListener<Microphone>,
    limits: Limits,
    keys: Keys,
    /// Whether stdout is a terminal, where the level meter is drawn.
    meter: bool,
}

impl Recording<'_> {
    /// One go at prompt `id`: listen, clean the take up, let the parent
    /// hear it and choose, save it.
    fn record_prompt(&mut self, id: &str, text: &str) -> anyhow::Result<Next> {
        let terminal = self.keys.is_terminal();
        if terminal {
            countdown();
            self.keys.drain();
            self.listener.discard();
            println!("  ● Recording: speak now (Enter to stop)");
        }
        let take = match self.listen() {
            Ok(Some(take)) => take,
            Ok(None) => return Ok(Next::Quit),
            Err(ListenError::Lost(ms)) if terminal => {
                println!(
                    "  {ms} ms of sound were lost (the computer was too busy). Let's try again."
                );
                return Ok(Next::Redo);
            }
            Err(err) => anyhow::bail!("{id}: {err}"),
        };
        if take.ending == TakeEnd::MaxLength {
            eprintln!(
                "  (stopped at the {} s limit)",
                self.limits.max_len / u64::from(self.listener.rate().max(1))
            );
        }
        let processed = match take.ending {
            TakeEnd::NoSpeech => Err(ProcessError::NoSpeech),
            _ => process::process(&take.audio, self.script.sample_rate),
        };
        let processed = match processed {
            Ok(processed) => processed,
            Err(ProcessError::NoSpeech) => return self.no_speech(id),
        };
        if terminal {
            println!("  Playing it back (Enter to stop)…");
            self.keys.drain();
            let keys = &mut self.keys;
            let mut quit = false;
            let stop = || match keys.pressed() {
                Some(Press::Quit) => {
                    quit = true;
                    true
                }
                Some(Press::Key(Key::Enter | Key::Char(' '))) => true,
                _ => false,
            };
            if let Err(err) = playback::play(&processed.audio, stop) {
                println!("  (it cannot be played back here: {err})");
            }
            if quit {
                return Ok(Next::Quit);
            }
            for line in advice(&processed) {
                println!("  {line}");
            }
        }
        match self.ask(
            "  [k]eep, [r]edo, [s]kip or [q]uit? (Enter keeps it) ",
            Choice::Keep,
            &[Choice::Keep, Choice::Redo, Choice::Skip, Choice::Quit],
        ) {
            Some(Choice::Keep) | None => {}
            Some(choice) => return Ok(choice.next()),
        }
        self.save(id, text, &processed)?;
        Ok(Next::Saved)
    }

    /// Listens for one take, with the meter and the silence hint; `None`
    /// when the parent quit (q, Ctrl-C, a signal).
    fn listen(&mut self) -> Result<Option<soothe_core::take::recording::RawTake>, ListenError> {
        let meter = self.meter;
        let rate = self.listener.rate();
        let mut watch = SilenceWatch::new(rate);
        // The meter is redrawn about 20 times a second of sound.
        let redraw_every = u64::from(rate / 20).max(1);
        let mut drawn_at: Option<u64> = None;
        let mut heard = |heard: TakeProgress| {
            let mut out = std::io::stdout().lock();
            if watch.hint(&heard) {
                if meter {
                    let _ = write!(out, "\r\x1b[2K");
                    let _ = out.flush();
                    drawn_at = None;
                }
                eprintln!("  {}", meter::SILENCE_HINT);
            }
            if meter && drawn_at.is_none_or(|at| heard.samples >= at + redraw_every) {
                let _ = write!(out, "\r{}\x1b[K", meter::line(heard.peak_db));
                let _ = out.flush();
                drawn_at = Some(heard.samples);
            }
        };
        let keys = &mut self.keys;
        let mut quit = false;
        let stop = || match keys.pressed() {
            Some(Press::Quit) | Some(Press::Key(Key::Char('q' | 'Q'))) => {
                quit = true;
                true
            }
            Some(Press::Key(Key::Enter | Key::Char(' '))) => true,
            _ => false,
        };
        let take = self.listener.take(self.limits, stop, &mut heard);
        if meter {
            print!("\r\x1b[2K");
            let _ = std::io::stdout().flush();
        }
        if quit {
            println!("  Stopped; nothing was saved for this prompt.");
            return Ok(None);
        }
        take.map(Some)
    }

    /// Nothing was said: the parent chooses what now; when no answer
    /// comes, it is an error.
    fn no_speech(&mut self, id: &str) -> anyhow::Result<Next> {
        let terminal = self.keys.is_terminal();
        if terminal {
            println!("  No speech heard.");
        }
        match self.ask(
            "  [r]edo, [s]kip or [q]uit? ",
            Choice::Redo,
            &[Choice::Redo, Choice::Skip, Choice::Quit],
        ) {
            Some(choice) => Ok(choice.next()),
            None if terminal => Ok(Next::Quit),
            None => anyhow::bail!("{id}: no speech heard; nothing was saved"),
        }
    }

    /// Asks until one of `choices` is pressed (Enter gives `default`;
    /// q, Esc, Ctrl-C quit). `None`: no answer will come. On a terminal
    /// the question waits for the key; with piped keys it is printed with
    /// the answer, once there is one.
    fn ask(&mut self, question: &str, default: Choice, choices: &[Choice]) -> Option<Choice> {
        let terminal = self.keys.is_terminal();
        if terminal {
            self.keys.drain();
            print!("{question}");
            let _ = std::io::stdout().flush();
        }
        let choice = loop {
            let choice = match self.keys.next() {
                None => {
                    if terminal {
                        println!();
                    }
                    return None;
                }
                Some(Press::Quit) => Some(Choice::Quit),
                Some(Press::Key(Key::Enter)) => Some(default),
                Some(Press::Key(Key::Char(c))) => Choice::for_key(c),
                Some(Press::Key(_)) => None,
            };
            if let Some(choice) = choice.filter(|c| choices.contains(c)) {
                break choice;
            }
        };
        if terminal {
            println!("{}", choice.word());
        } else {
            println!("{question}{}", choice.word());
        }
        Some(choice)
    }

    /// Saves a take and says so: briefly at a terminal (the advice was
    /// given before the choice), in full otherwise.
    fn save(&self, id: &str, text: &str, processed: &process::Processed) -> anyhow::Result<()> {
        let saved = takes::save(self.dir, id, &processed.audio, text)?;
        if !self.keys.is_terminal() {
            report(&saved, processed, "");
            return Ok(());
        }
        let seconds = saved.samples as f64 / f64::from(processed.audio.rate.max(1));
        match saved.previous.as_deref().and_then(Path::file_name) {
            Some(kept) => println!(
                "  Saved ({seconds:.1} s); the earlier take is kept as {}.",
                kept.to_string_lossy()
            ),
            None => println!("  Saved ({seconds:.1} s)."),
        }
        Ok(())
    }
}

/// Three, two, one, dimly, on one line.
fn countdown() {
    let mut out = std::io::stdout();
    let _ = write!(out, "  \x1b[2mReady…");
    let _ = out.flush();
    for n in (1..=3).rev() {
        std::thread::sleep(Duration::from_millis(700));
        let _ = write!(out, " {n}");
        let _ = out.flush();
    }
    std::thread::sleep(Duration::from_millis(700));
    let _ = writeln!(out, "\x1b[0m");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Keep,
    Redo,
    Skip,
    Quit,
}

impl Choice {
    /// The choice a key makes (letters in either case).
    fn for_key(c: char) -> Option<Choice> {
        match c.to_ascii_lowercase() {
            'k' | 'y' => Some(Choice::Keep),
            'r' => Some(Choice::Redo),
            's' => Some(Choice::Skip),
            'q' => Some(Choice::Quit),
            _ => None,
        }
    }

    /// The choice in a word, shown after the question.
    fn word(self) -> &'static str {
        match self {
            Choice::Keep => "keep",
            Choice::Redo => "redo",
            Choice::Skip => "skip",
            Choice::Quit => "quit",
        }
    }

    /// What a choice other than keeping the take leads to (keeping it is
    /// the caller's to do; where it is not offered, it cannot come).
    fn next(self) -> Next {
        match self {
            Choice::Redo => Next::Redo,
            Choice::Skip => Next::Skip,
            Choice::Keep | Choice::Quit => Next::Quit,
        }
    }
}
