//! The commands, in core terms: the CLI turns its arguments into these
//! typed options, and nothing below this module knows about clap.

mod check;
pub mod complete_values;
mod devices;
mod exit;
mod go_on;
mod listen;
mod listen_file;
pub use listen::ListenCheck;
mod log;
mod plan;
#[cfg(feature = "device")]
mod play;
mod prompts;
mod record;
mod render;
mod settings;
mod voice_file;
mod voices;
mod write_script;

use std::path::PathBuf;
use std::sync::Arc;

pub use exit::{exit_for, Exit};
pub use go_on::go_on_command;
pub use record::RecordArgs;
pub use render::RenderArgs;

use soothe_core::error::InvalidInput;
use soothe_core::listen::ListenOptions;
use soothe_core::session::script::{self, Script};
use soothe_core::session::select::{Selection, Session};
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

/// Which language: what `--language` asked for, and what the settings
/// or the system prefer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguagePick {
    /// `--language`: the built-in session's language, and a script's
    /// that says none (a script that says another is refused).
    pub asked: Option<&'static str>,
    /// The settings' `language:`, else the locale's (LC_ALL, LC_MESSAGES,
    /// LANG) when soothe speaks it, else English: the built-in session's
    /// when nothing is asked. A script of the parent's own is in its own
    /// language, whatever the system's.
    pub preferred: &'static str,
}

impl LanguagePick {
    /// English, asked for by nothing.
    pub const ENGLISH: LanguagePick = LanguagePick {
        asked: None,
        preferred: soothe_core::session::language::ENGLISH,
    };

    /// The built-in session's language.
    pub fn builtin(&self) -> &'static str {
        self.asked.unwrap_or(self.preferred)
    }
}

/// Which script, which way, in which voice.
#[derive(Debug, Clone)]
pub struct SessionArgs {
    /// `None`: the built-in session.
    pub script: Option<PathBuf>,
    pub language: LanguagePick,
    pub selection: Selection,
    pub voice: VoiceChoice,
    /// `--from STEP`: start at this step rather than the first.
    pub from: Option<String>,
    /// `--without OPTION`: options the settings (or `--with`) turn on that
    /// this session leaves out, so that the command to go on does too.
    pub without: Vec<String>,
}

pub use soothe_core::mix::Levels;

#[derive(Debug, Clone)]
pub enum Command {
    Play {
        session: SessionArgs,
        levels: Levels,
        /// `--listen`: listen for the baby crying (`None`: unless the
        /// script says always to).
        listen: Option<ListenOptions>,
    },
    Render {
        session: SessionArgs,
        levels: Levels,
        render: RenderArgs,
    },
    Plan {
        session: SessionArgs,
        json: bool,
    },
    Check {
        script: Option<PathBuf>,
        language: LanguagePick,
        voice: VoiceChoice,
    },
    Prompts {
        script: Option<PathBuf>,
        language: LanguagePick,
        tsv: bool,
    },
    Record(RecordArgs),
    Voices {
        script: Option<PathBuf>,
        language: LanguagePick,
    },
    /// A voice written to one file.
    ExportVoice {
        name: String,
        file: PathBuf,
        /// The language whose takes go.
        language: &'static str,
    },
    /// A voice read from one file, under `name` or its own.
    ImportVoice {
        file: PathBuf,
        name: Option<String>,
    },
    /// The settings file's place and the settings in force; or, with
    /// `example`, a settings file to start from.
    Settings {
        example: bool,
    },
    /// The latest `count` sessions of the log (`None`: all of them).
    Log {
        count: Option<usize>,
    },
    /// The built-in script in a language, on standard output.
    Script {
        language: &'static str,
    },
    /// The microphones and outputs.
    Devices,
    /// Text made by the command line itself (completions, the man page),
    /// on standard output.
    Print(Vec<u8>),
    /// What the microphone hears, and whether it is crying.
    Listen(ListenCheck),
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        #[cfg(feature = "device")]
        Command::Play {
            session,
            levels,
            listen,
        } => play::run(&session, levels, listen.as_ref()),
        #[cfg(not(feature = "device"))]
        Command::Play { .. } => Err(anyhow::anyhow!(
            "this soothe was built without audio output (the `device` feature); render the session to an MP3 for your phone instead: {} render -o session.mp3",
            crate::suggest::program()
        )),
        Command::Render {
            session,
            levels,
            render,
        } => render::run(&session, levels, &render),
        Command::Plan { session, json } => plan::run(&session, json),
        Command::Check {
            script,
            language,
            voice,
        } => check::run(script.as_deref(), &language, &voice),
        Command::Prompts {
            script,
            language,
            tsv,
        } => prompts::run(script.as_deref(), &language, tsv),
        Command::Record(args) => record::run(&args),
        Command::Voices { script, language } => voices::run(script.as_deref(), &language),
        Command::ExportVoice {
            name,
            file,
            language,
        } => voice_file::export(&name, &file, language),
        Command::ImportVoice { file, name } => voice_file::import(&file, name.as_deref()),
        Command::Settings { example } => settings::run(example),
        Command::Log { count } => log::run(count),
        Command::Script { language } => write_script::run(language),
        Command::Devices => devices::run(),
        Command::Print(text) => {
            use std::io::Write;
            let mut out = crate::stdout::lock();
            out.write_all(&text)?;
            out.flush()?;
            Ok(())
        }
        Command::Listen(check) => listen::run(&check),
    }
}

/// The script at `path` (in the language it says, or the one asked
/// for), or the built-in one in the language `language` picks.
pub fn load_script(
    path: Option<&std::path::Path>,
    language: &LanguagePick,
) -> anyhow::Result<Script> {
    let Some(path) = path else {
        return Ok(Script::builtin_in(language.builtin()));
    };
    let mut script = script::load_file(path)?;
    if let Some(asked) = language.asked {
        if script.language.is_some() && script.language() != asked {
            return Err(InvalidInput(format!(
                "{}: this script's words are in {} (its language:), not {asked}; leave out --language, or change the script's language:",
                soothe_core::error::shown(&path.display().to_string()),
                script.language()
            ))
            .into());
        }
        script.language = Some(asked.to_string());
    }
    Ok(script)
}

/// "soothe has no guide voice in ja yet; " when this soothe was built
/// without `language`'s guide voice, else nothing.
pub fn no_guide_yet(language: &str) -> String {
    if soothe_core::sound::guide::Guide::built_in(language).is_empty() {
        format!("soothe has no guide voice in {language} yet; ")
    } else {
        String::new()
    }
}

/// Where `--from STEP` starts: the index of that step in `timeline`.
fn start_step(step: &str, script: &Script, timeline: &Timeline) -> Result<usize, InvalidInput> {
    if let Some(index) = timeline.steps.iter().position(|s| s.id == step) {
        return Ok(index);
    }
    let ids = |ids: Vec<&str>| ids.join(", ");
    Err(InvalidInput(if script.step(step).is_some() {
        format!(
            "--from {}: that step is left out of this session; its steps: {}",
            soothe_core::error::shown(step),
            ids(timeline.steps.iter().map(|s| s.id.as_str()).collect())
        )
    } else {
        format!(
            "--from: unknown step \"{}\"; valid steps: {}",
            soothe_core::error::shown(step),
            ids(script.steps.iter().map(|s| s.id.as_str()).collect())
        )
    }))
}

/// A session ready to play: its timeline and its sounds.
pub struct Prepared {
    pub script: Script,
    /// ` SCRIPT` for suggested commands (empty for the built-in script).
    script_arg: String,
    pub session: Session,
    pub timeline: Arc<Timeline>,
    pub sounds: Sounds,
}

impl Prepared {
    pub fn new(args: &SessionArgs) -> anyhow::Result<Prepared> {
        let script = load_script(args.script.as_deref(), &args.language)?;
        let session = args.selection.apply(&script)?;
        soothe_core::session::advice::keep(&script, &args.selection)
            .map_err(script::FileError::At)?;
        let voice = VoiceSet::open(&args.voice, &script, crate::places::voices().as_deref())?;
        let sounds = Sounds::new(voice, session.chime, session.sample_rate);
        let timeline = Timeline::build(&session, &sounds).map_err(|missing| {
            let record = format!(
                "soothe record{}{}",
                crate::suggest::script_arg(args.script.as_deref()),
                crate::suggest::language_arg(session.language)
            );
            InvalidInput(format!(
                "{missing}; {}record {} with `{record} --voice NAME --missing`, then play with --voice NAME",
                no_guide_yet(session.language),
                if missing.0.len() == 1 { "it" } else { "them" },
            ))
        })?;
        let timeline = match &args.from {
            None => timeline,
            Some(step) => timeline.from_step(start_step(step, &script, &timeline)?),
        };
        let mut sounds = sounds;
        sounds.expect(&timeline);
        Ok(Prepared {
            script_arg: crate::suggest::script_arg(args.script.as_deref()),
            script,
            session,
            timeline: Arc::new(timeline),
            sounds,
        })
    }

    /// What the parent should know about the voice, said once: the
    /// guide's invitation to record their own, or which prompts fall back
    /// to it; and which takes were recorded for other words.
    pub fn voice_note(&self) -> Option<String> {
        let lines: Vec<String> = self
            .fallback_note()
            .into_iter()
            .chain(self.stale_note())
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// Takes spoken for words the script has since changed: they still
    /// play, and the parent hears which ones to record again.
    fn stale_note(&self) -> Option<String> {
        let voice = &self.sounds.voice;
        (!voice.stale.is_empty()).then(|| {
            format!(
                "{} take{} of {} {} recorded for other words than the script now has: {}; record {} again with `soothe record{} --voice {} --missing`",
                voice.stale.len(),
                if voice.stale.len() == 1 { "" } else { "s" },
                soothe_core::error::shown(&voice.name),
                if voice.stale.len() == 1 { "was" } else { "were" },
                voice.stale.join(", "),
                if voice.stale.len() == 1 { "it" } else { "them" },
                self.script_arg,
                soothe_core::error::shown(&voice.name),
            )
        })
    }

    fn fallback_note(&self) -> Option<String> {
        let voice = &self.sounds.voice;
        if voice.choice == VoiceChoice::Guide {
            Some("Speaking in the built-in guide voice. Your baby knows your voice best: record your own with `soothe record --voice NAME`.".into())
        } else if !voice.fallbacks.is_empty() {
            let used: Vec<&str> = self
                .timeline
                .events
                .iter()
                .filter_map(|e| match &e.kind {
                    soothe_core::session::timeline::EventKind::Prompt { prompt, voice: v }
                        if v == soothe_core::sound::voice::GUIDE =>
                    {
                        Some(prompt.as_str())
                    }
                    _ => None,
                })
                .fold(Vec::new(), |mut seen, id| {
                    if !seen.contains(&id) {
                        seen.push(id);
                    }
                    seen
                });
            (!used.is_empty()).then(|| {
                format!(
                    "The guide voice speaks {} prompt{} that {} has not recorded: {}",
                    used.len(),
                    if used.len() == 1 { "" } else { "s" },
                    soothe_core::error::shown(&voice.name),
                    used.join(", ")
                )
            })
        } else {
            None
        }
    }

    /// Which recording each prompt of the session is spoken from, a line
    /// each, in the order they are first heard: for `--verbose`.
    pub fn voice_files(&self) -> String {
        let mut lines = vec![format!("Voice files ({}):", self.sounds.voice.name)];
        let mut seen = std::collections::HashSet::new();
        for event in &self.timeline.events {
            if let soothe_core::session::timeline::EventKind::Prompt { prompt, .. } = &event.kind {
                if seen.insert(prompt.as_str()) {
                    let from = self
                        .sounds
                        .voice
                        .get(prompt)
                        .map_or_else(|| "(none)".to_string(), |audio| audio.describe());
                    lines.push(format!("  {prompt}: {from}"));
                }
            }
        }
        lines.join("\n")
    }

    /// Describes the session in one line: title, variant, options, length
    /// (the titles escaped, to be printed).
    pub fn headline(&self) -> String {
        let title = soothe_core::error::shown(&self.session.title);
        let mut line = format!("{title} ({}", self.session.variant);
        for option in &self.session.options {
            line.push_str(&format!(", {option}"));
        }
        if self.session.brief {
            line.push_str(", brief");
        }
        if self.session.language != soothe_core::session::language::ENGLISH {
            line.push_str(&format!(", {}", self.session.language));
        }
        line.push_str(&format!(
            "), {}",
            soothe_core::clock::clock(self.timeline.total_samples, self.timeline.sample_rate)
        ));
        if let Some(first) = self.timeline.steps.first() {
            if self.session.steps.first().is_some_and(|s| s.id != first.id) {
                line.push_str(&format!(
                    ", from {}",
                    soothe_core::error::shown(&first.title)
                ));
            }
        }
        line
    }
}
