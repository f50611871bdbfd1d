//! `soothe record`: a parent's own voice, one prompt at a time, from the
//! microphone or from recordings made elsewhere (`--import`).
//!
//! On a terminal each take is preceded by a soft countdown, played back,
//! and kept, redone or skipped as the parent chooses. Otherwise (a script,
//! a test) every take with speech in it is kept without asking, and a take
//! without speech is an error.

use std::path::{Path, PathBuf};

mod import_dir;

use super::{load_script, LanguagePick};
use crate::record::{import, takes};
use soothe_core::error::{shown, InvalidInput};
use soothe_core::session::script::Script;
use soothe_core::sound::voice::{language_folder, own_take, VoiceChoice};
use soothe_core::take::process::{ProcessError, Processed};

/// What `soothe record` was asked to do.
#[derive(Debug, Clone)]
pub struct RecordArgs {
    /// `None`: the built-in session.
    pub script: Option<PathBuf>,
    pub language: LanguagePick,
    pub voice: VoiceChoice,
    /// Only these prompts, in this order (all of them when empty).
    pub prompts: Vec<String>,
    /// Only prompts the voice has no take of yet.
    pub missing: bool,
    /// A recording to process instead of the microphone.
    pub import: Option<PathBuf>,
    /// A folder of recordings, each named after its prompt (`feet.m4a`).
    pub import_dir: Option<PathBuf>,
    /// The microphone (`--input NAME`, as `soothe devices` lists it);
    /// `None`: the system's default.
    pub input: Option<String>,
}

pub fn run(args: &RecordArgs) -> anyhow::Result<()> {
    let script = load_script(args.script.as_deref(), &args.language)?;
    // Each language's takes are kept apart: English's in the voice's
    // folder, another's in a folder of its tag inside it.
    let dir = language_folder(&voice_folder(&args.voice)?, script.language());
    if let Some(from) = &args.import_dir {
        return import_dir::run(&script, args, &dir, from);
    }
    let ids = chosen_prompts(&script, args, &dir)?;
    if let Some(file) = &args.import {
        return import_take(&script, args, &dir, &ids, file);
    }
    if ids.is_empty() {
        println!(
            "Nothing to record: {} already has every prompt{}.",
            shown(&args.voice.label()),
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
    match voice.folder(crate::places::voices().as_deref())? {
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
    crate::suggest::script_name(args.script.as_deref())
}

/// ` SCRIPT` for commands to suggest, or nothing for the built-in
/// script, and ` --language L` when one was asked for.
fn script_arg(args: &RecordArgs) -> String {
    let language = args
        .language
        .asked
        .map(|tag| format!(" --language {tag}"))
        .unwrap_or_default();
    format!(
        "{}{language}",
        crate::suggest::script_arg(args.script.as_deref())
    )
}

/// `--import FILE`: decode, process and save, or change nothing.
fn import_take(
    script: &Script,
    args: &RecordArgs,
    dir: &Path,
    ids: &[&str],
    file: &Path,
) -> anyhow::Result<()> {
    if args.prompts.len() > 1 || args.missing {
        return Err(InvalidInput(
            "--import takes exactly one --prompt ID (the prompt the recording speaks), without --missing".into(),
        )
        .into());
    }
    let id = match (args.prompts.is_empty(), ids.first()) {
        (false, Some(&id)) => id,
        // No --prompt: the file named after its prompt (feet.m4a), as
        // --import-dir reads a folder of them.
        _ => import_dir::prompt_named(script, file).ok_or_else(|| {
            InvalidInput(format!(
                "{}: its name is not a prompt's, so --import needs the --prompt ID the recording speaks (or name the file after its prompt, such as feet.m4a; `soothe prompts{}` lists them)",
                shown(&file.display().to_string()),
                script_arg(args)
            ))
        })?,
    };
    let decoded =
        import::decode_file(file, script.sample_rate).map_err(|e| InvalidInput(e.to_string()))?;
    let processed = match decoded.process() {
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
    let line = format!(
        "Saved {} ({seconds:.1} s){from}{kept}",
        saved.path.display()
    );
    println!("{}", shown(&line));
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
    let line = if has == ids.len() {
        format!("{voice} has all {has} prompts. Listen with: soothe play{script} --voice {voice}")
    } else {
        format!(
            "{voice} has {has} of {} prompts (the guide voice speaks the rest). Listen with: soothe play{script} --voice {voice}; record the rest with: soothe record{script} --voice {voice} --missing",
            ids.len()
        )
    };
    println!("{}", shown(&line));
}

#[cfg(not(feature = "device"))]
mod microphone {
    use std::path::Path;

    use super::RecordArgs;
    use soothe_core::session::script::Script;

    pub fn run(_: &Script, _: &RecordArgs, _: &Path, _: &[&str]) -> anyhow::Result<()> {
        anyhow::bail!(
            "this soothe was built without audio devices (the `device` feature), so it cannot use a microphone; record the prompt elsewhere (a phone memo) and bring it in with: soothe record --voice NAME --prompt ID --import FILE"
        )
    }
}

#[cfg(feature = "device")]
mod microphone;

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::sound::audio::Mono;

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
            language: LanguagePick::ENGLISH,
            voice: VoiceChoice::Folder(dir.path().to_path_buf()),
            prompts: Vec::new(),
            missing: true,
            import: None,
            import_dir: None,
            input: None,
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
