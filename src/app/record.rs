//! `soothe record`: a parent's own voice, one prompt at a time, from the
//! microphone or from recordings made elsewhere (`--import`).
//!
//! On a terminal each take is preceded by a soft countdown, played back,
//! and kept, redone or skipped as the parent chooses. Otherwise (a script,
//! a test) every take with speech in it is kept without asking, and a take
//! without speech is an error.

use std::path::{Path, PathBuf};

use super::load_script;
use crate::error::InvalidInput;
use crate::record::process::{self, ProcessError, Processed};
use crate::record::{import, takes};
use crate::script::{Script, BUILTIN_NAME};
use crate::voice::{own_take, VoiceChoice};

/// What `soothe record` was asked to do.
#[derive(Debug, Clone)]
pub struct RecordArgs {
    /// `None`: the built-in session.
    pub script: Option<PathBuf>,
    pub voice: VoiceChoice,
    /// Only these prompts, in this order (all of them when empty).
    pub prompts: Vec<String>,
    /// Only prompts the voice has no take of yet.
    pub missing: bool,
    /// A recording to process instead of the microphone.
    pub import: Option<PathBuf>,
}

pub fn run(args: &RecordArgs) -> anyhow::Result<()> {
    let script = load_script(args.script.as_deref())?;
    let dir = voice_folder(&args.voice)?;
    let ids = chosen_prompts(&script, args, &dir)?;
    if let Some(file) = &args.import {
        return import_take(&script, args, &dir, &ids, file);
    }
    if ids.is_empty() {
        println!(
            "Nothing to record: {} already has every prompt{}.",
            args.voice.label(),
            if args.prompts.is_empty() {
                ""
            } else {
                " you named"
            }
        );
        return Ok(());
    }
    microphone::run(&script, args, &dir, &ids)
}

/// The folder of the voice to record into (created when a take is saved).
fn voice_folder(voice: &VoiceChoice) -> anyhow::Result<PathBuf> {
    if let VoiceChoice::Named(name) = voice {
        if name.is_empty() || name.starts_with('.') || name.contains('\\') {
            return Err(InvalidInput(format!(
                "\"{name}\" cannot be a voice name: use letters, digits and '-', such as --voice mum"
            ))
            .into());
        }
    }
    match voice.folder()? {
        Some(dir) => Ok(dir),
        None => Err(InvalidInput(
            "the guide voice is built in and cannot be recorded over; give your own voice a name, such as --voice mum".into(),
        )
        .into()),
    }
}

/// The prompts to record, in order.
fn chosen_prompts<'s>(
    script: &'s Script,
    args: &RecordArgs,
    dir: &Path,
) -> anyhow::Result<Vec<&'s str>> {
    let mut ids: Vec<&str> = Vec::new();
    if args.prompts.is_empty() {
        ids = script.prompts_in_order();
    } else {
        for wanted in &args.prompts {
            let Some((id, _)) = script.prompts.get_key_value(wanted.as_str()) else {
                return Err(InvalidInput(format!(
                    "there is no prompt \"{wanted}\" in {}; `soothe prompts{}` lists them",
                    script_name(args),
                    script_arg(args)
                ))
                .into());
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if args.missing {
        // Missing, unusable, or spoken for words the script no longer has.
        ids.retain(|id| {
            let text = script.prompts.get(id).map_or("", String::as_str);
            !matches!(own_take(dir, id, text), Ok(Some((_, false))))
        });
    }
    Ok(ids)
}

fn script_name(args: &RecordArgs) -> String {
    args.script
        .as_ref()
        .map_or(BUILTIN_NAME.to_string(), |p| p.display().to_string())
}

/// ` SCRIPT` for commands to suggest, or nothing for the built-in script.
fn script_arg(args: &RecordArgs) -> String {
    args.script
        .as_ref()
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

/// `--import FILE`: decode, process and save, or change nothing.
fn import_take(
    script: &Script,
    args: &RecordArgs,
    dir: &Path,
    ids: &[&str],
    file: &Path,
) -> anyhow::Result<()> {
    if args.prompts.len() != 1 || args.missing {
        return Err(InvalidInput(
            "--import takes exactly one --prompt ID (the prompt the recording speaks), without --missing".into(),
        )
        .into());
    }
    let Some(&id) = ids.first() else {
        return Err(
            InvalidInput("--import needs the --prompt ID the recording speaks".into()).into(),
        );
    };
    let raw = import::decode_file(file).map_err(|e| InvalidInput(e.to_string()))?;
    let processed = match process::process(&raw, script.sample_rate) {
        Ok(processed) => processed,
        Err(ProcessError::NoSpeech) => {
            return Err(InvalidInput(format!(
                "{}: no speech heard in it (only silence or steady noise); nothing was saved",
                file.display()
            ))
            .into())
        }
    };
    let words = script.prompts.get(id).map_or("", String::as_str);
    let saved = takes::save(dir, id, &processed.audio, words)?;
    report(&saved, &processed, &format!(" from {}", file.display()));
    summary(script, args, dir);
    Ok(())
}

/// "Saved ...", and any advice about the take.
fn report(saved: &takes::Saved, processed: &Processed, from: &str) {
    let seconds = saved.samples as f64 / f64::from(processed.audio.rate.max(1));
    let kept = saved
        .previous
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|name| format!("; the earlier take is kept as {}", name.to_string_lossy()))
        .unwrap_or_default();
    println!(
        "Saved {} ({seconds:.1} s){from}{kept}",
        saved.path.display()
    );
    for line in advice(processed) {
        eprintln!("{line}");
    }
}

fn advice(processed: &Processed) -> Vec<String> {
    let mut lines = Vec::new();
    if processed.clipped {
        lines.push(
            "warning: this take clipped (it was too loud for the microphone) and may sound harsh; for a cleaner one, speak a little further from the microphone and record it again".into(),
        );
    }
    if processed.quiet {
        lines.push(format!(
            "warning: this take was very quiet and needed {:.0} dB of gain, which also raises the room's noise; move closer to the microphone or raise its input level",
            processed.gain_db
        ));
    }
    lines
}

/// How far the voice has got, and how to hear it.
fn summary(script: &Script, args: &RecordArgs, dir: &Path) {
    let ids = script.prompts_in_order();
    // Takes that play, as `soothe voices` counts them.
    let has = ids
        .iter()
        .filter(|id| {
            let text = script.prompts.get(id).map_or("", String::as_str);
            matches!(own_take(dir, id, text), Ok(Some(_)))
        })
        .count();
    let voice = args.voice.label();
    let script = script_arg(args);
    if has == ids.len() {
        println!("{voice} has all {has} prompts. Listen with: soothe play{script} --voice {voice}");
    } else {
        println!(
            "{voice} has {has} of {} prompts (the guide voice speaks the rest). Listen with: soothe play{script} --voice {voice}; record the rest with: soothe record{script} --voice {voice} --missing",
            ids.len()
        );
    }
}

#[cfg(not(feature = "device"))]
mod microphone {
    use std::path::Path;

    use super::RecordArgs;
    use crate::script::Script;

    pub fn run(_: &Script, _: &RecordArgs, _: &Path, _: &[&str]) -> anyhow::Result<()> {
        anyhow::bail!(
            "this soothe was built without audio devices (the `device` feature), so it cannot use a microphone; record the prompt elsewhere (a phone memo) and bring it in with: soothe record --voice NAME --prompt ID --import FILE"
        )
    }
}

#[cfg(feature = "device")]
mod microphone {
    use std::io::{BufRead, IsTerminal, Write};
    use std::path::Path;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::{advice, report, summary, RecordArgs};
    use crate::record::capture::Microphone;
    use crate::record::listen::{ListenError, Listener, TakeEnd};
    use crate::record::process::{self, ProcessError};
    use crate::record::speech::Limits;
    use crate::record::{playback, takes};
    use crate::script::Script;

    pub fn run(script: &Script, args: &RecordArgs, dir: &Path, ids: &[&str]) -> anyhow::Result<()> {
        let interactive = std::io::stdin().is_terminal();
        let microphone = Microphone::open_default()?;
        takes::remove_stale_parts(dir);
        let device = microphone.description.clone();
        let listener = Listener::new(microphone);
        let voice = args.voice.label();
        let count = ids.len();
        println!(
            "Recording {count} prompt{} in the voice \"{voice}\" from {device}.",
            if count == 1 { "" } else { "s" }
        );
        if interactive {
            println!("Read each text aloud after the countdown. Recording stops by itself when you have been quiet for a moment, or when you press Enter.");
        }
        let mut recording = Recording {
            script,
            dir,
            limits: Limits::at(listener.rate()),
            listener,
            keys: interactive.then(Keys::spawn),
        };
        for (n, id) in ids.iter().enumerate() {
            let text = script.prompts.get(id).map(String::as_str).unwrap_or("");
            println!("\n[{}/{count}] {id}\n{}", n + 1, wrap(text, 72, "    "));
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

    /// Recording from the microphone, prompt after prompt; `keys` is the
    /// parent at a terminal (none when input is piped).
    struct Recording<'a> {
        script: &'a Script,
        dir: &'a Path,
        listener: Listener<Microphone>,
        limits: Limits,
        keys: Option<Keys>,
    }

    impl Recording<'_> {
        /// One go at prompt `id`: listen, clean the take up, let the parent
        /// hear it and choose, save it.
        fn record_prompt(&mut self, id: &str, text: &str) -> anyhow::Result<Next> {
            if let Some(keys) = &self.keys {
                countdown();
                keys.drain();
                self.listener.discard();
                println!("  ● Recording: speak now (Enter to stop)");
            }
            let stop_asked = || self.keys.as_ref().is_some_and(Keys::pressed);
            let take = match self.listener.take(self.limits, stop_asked) {
                Ok(take) => take,
                Err(ListenError::Lost(ms)) if self.keys.is_some() => {
                    println!("  {ms} ms of sound were lost (the computer was too busy). Let's try again.");
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
            if let Some(keys) = &self.keys {
                println!("  Playing it back (Enter to stop)…");
                keys.drain();
                if let Err(err) = playback::play(&processed.audio, || keys.pressed()) {
                    println!("  (it cannot be played back here: {err})");
                }
                for line in advice(&processed) {
                    println!("  {line}");
                }
                match keys.ask(
                    "  [k]eep, [r]edo, [s]kip or [q]uit? (Enter keeps it) ",
                    Choice::Keep,
                    &[Choice::Keep, Choice::Redo, Choice::Skip, Choice::Quit],
                ) {
                    Choice::Keep => {}
                    choice => return Ok(choice.next()),
                }
            }
            self.save(id, text, &processed)?;
            Ok(Next::Saved)
        }

        /// Nothing was said: at a terminal, the parent chooses what now;
        /// otherwise it is an error.
        fn no_speech(&self, id: &str) -> anyhow::Result<Next> {
            let Some(keys) = &self.keys else {
                anyhow::bail!("{id}: no speech heard; nothing was saved");
            };
            println!("  No speech heard.");
            let choice = keys.ask(
                "  [r]edo, [s]kip or [q]uit? ",
                Choice::Redo,
                &[Choice::Redo, Choice::Skip, Choice::Quit],
            );
            Ok(choice.next())
        }

        /// Saves a take and says so: briefly at a terminal (the advice was
        /// given before the choice), in full otherwise.
        fn save(&self, id: &str, text: &str, processed: &process::Processed) -> anyhow::Result<()> {
            let saved = takes::save(self.dir, id, &processed.audio, text)?;
            if self.keys.is_none() {
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
        /// What a choice other than keeping the take leads to (keeping it
        /// is the caller's to do; where it is not offered, it cannot come).
        fn next(self) -> Next {
            match self {
                Choice::Redo => Next::Redo,
                Choice::Skip => Next::Skip,
                Choice::Keep | Choice::Quit => Next::Quit,
            }
        }
    }

    /// Lines typed on the terminal, read on their own thread so that
    /// recording can look for Enter without waiting for it.
    struct Keys {
        lines: mpsc::Receiver<String>,
    }

    impl Keys {
        fn spawn() -> Keys {
            let (tx, lines) = mpsc::channel();
            std::thread::spawn(move || {
                for line in std::io::stdin().lock().lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            Keys { lines }
        }

        /// Whether Enter has been pressed since last asked.
        fn pressed(&self) -> bool {
            self.lines.try_recv().is_ok()
        }

        fn drain(&self) {
            while self.lines.try_recv().is_ok() {}
        }

        /// Asks until one of `choices` is typed (Enter gives `default`;
        /// the end of input quits).
        fn ask(&self, question: &str, default: Choice, choices: &[Choice]) -> Choice {
            self.drain();
            loop {
                print!("{question}");
                let _ = std::io::stdout().flush();
                let Ok(line) = self.lines.recv() else {
                    println!();
                    return Choice::Quit;
                };
                let choice = match line.trim().to_ascii_lowercase().as_str() {
                    "" => Some(default),
                    "k" | "keep" | "y" | "yes" => Some(Choice::Keep),
                    "r" | "redo" => Some(Choice::Redo),
                    "s" | "skip" => Some(Choice::Skip),
                    "q" | "quit" => Some(Choice::Quit),
                    _ => None,
                };
                if let Some(choice) = choice.filter(|c| choices.contains(c)) {
                    return choice;
                }
            }
        }
    }

    /// `text` wrapped to `width` columns, each line indented.
    fn wrap(text: &str, width: usize, indent: &str) -> String {
        crate::wrap::wrap(text, width)
            .iter()
            .map(|line| format!("{indent}{line}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Mono;

    const SCRIPT: &str = r#"Session(
    title: "Two",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there.", "bye": "Goodbye now." },
    steps: [Step(id: "one", title: "One", say: ["hello", "bye"])],
)"#;

    #[test]
    fn record_missing_offers_takes_whose_words_changed_again() {
        let dir = tempfile::tempdir().unwrap();
        let take = Mono {
            rate: 48_000,
            samples: vec![0.1; 4_800],
        };
        takes::save(dir.path(), "hello", &take, "Hello there.").unwrap();
        takes::save(dir.path(), "bye", &take, "Goodbye now.").unwrap();
        let args = RecordArgs {
            script: None,
            voice: VoiceChoice::Folder(dir.path().to_path_buf()),
            prompts: Vec::new(),
            missing: true,
            import: None,
        };
        let script = Script::parse(SCRIPT, "two.ron").unwrap();
        assert!(chosen_prompts(&script, &args, dir.path())
            .unwrap()
            .is_empty());

        let changed =
            Script::parse(&SCRIPT.replace("Goodbye now.", "Sleep well."), "two.ron").unwrap();
        assert_eq!(
            chosen_prompts(&changed, &args, dir.path()).unwrap(),
            ["bye"]
        );
        // Spacing is not a change of words.
        let respaced =
            Script::parse(&SCRIPT.replace("Hello there.", "Hello  there."), "two.ron").unwrap();
        assert!(chosen_prompts(&respaced, &args, dir.path())
            .unwrap()
            .is_empty());
    }
}
