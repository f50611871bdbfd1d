//! The command line, and its translation into typed [`Command`]s.

mod complete;
mod defaults;
mod generate;
mod help;

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::app::{Command, Levels, RecordArgs, RenderArgs};
use crate::notes::Verbosity;
use defaults::Defaults;
use soothe_core::listen::Sensitivity;
use soothe_core::sound::voice::VoiceChoice;

#[derive(Debug, Parser)]
#[command(
    name = "soothe",
    version,
    about = "A hands-free, voice-guided baby massage: your voice, a soft chime for every stroke, no music.",
    long_about = help::SOOTHE,
    after_help = "With no SCRIPT, the built-in six-technique baby massage is used. More with --help.",
    after_long_help = help::SOOTHE_AFTER
)]
struct Cli {
    #[command(subcommand)]
    command: CliCommand,
    /// No notes on standard error: errors only
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Say which audio device, buffer and voice files are used
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Play a session through the default audio output
    #[command(long_about = help::PLAY, after_help = "Keys: space pause, n next, b back, + and - volume, d baby's done, q quit, ? every key. More with --help.", after_long_help = help::PLAY_AFTER)]
    Play {
        #[command(flatten)]
        session: SessionOpts,
        #[command(flatten)]
        levels: LevelOpts,
        /// Listen for the baby through the microphone: on crying, fade out, pause and say so (space goes on, d finishes). Nothing heard is stored or sent
        #[arg(long)]
        listen: bool,
        /// The microphone to listen with (a name or part of one, as `soothe devices` lists them); the default input otherwise. Implies --listen
        #[arg(long, value_name = "NAME")]
        input: Option<String>,
        /// How readily a sound is taken for crying: low for a busy room (a TV, children, pets: fewer pauses for what is not crying, more cries heard late), high for a quiet one (default: the settings', else normal). Implies --listen
        #[arg(long, value_name = "LEVEL", value_parser = sensitivity())]
        sensitivity: Option<Sensitivity>,
    },
    /// Render a session to an MP3, FLAC or WAV file for a phone, with a chapter per step (no audio device needed)
    #[command(long_about = help::RENDER, after_long_help = help::RENDER_AFTER)]
    Render {
        #[command(flatten)]
        session: SessionOpts,
        #[command(flatten)]
        levels: LevelOpts,
        /// The file to write: .mp3, .flac or .wav; - for standard output
        #[arg(
            short,
            long,
            value_name = "FILE",
            required_unless_present = "split",
            conflicts_with = "split"
        )]
        output: Option<PathBuf>,
        /// Write a file per step (01 Welcome.mp3, ...) and session.m3u8 into this folder
        #[arg(long, value_name = "DIR")]
        split: Option<PathBuf>,
        /// mp3, flac or wav: the format for -o - (and for --split, mp3 unless given)
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// MP3 bit rate in kb/s (default 64)
        #[arg(long, value_name = "KBPS")]
        bitrate: Option<u32>,
    },
    /// Print a session's timeline
    #[command(long_about = help::PLAN, after_long_help = help::PLAN_AFTER)]
    Plan {
        #[command(flatten)]
        session: SessionOpts,
        /// One JSON object with sample-exact steps and events
        #[arg(long)]
        json: bool,
    },
    /// Check a script: its variants' lengths and the recordings a voice lacks
    #[command(long_about = help::CHECK, after_long_help = help::CHECK_AFTER)]
    Check {
        /// A session script (.ron); the built-in session when left out
        script: Option<PathBuf>,
        /// The language of the built-in session: en, es, fr, it, pt-BR, de, ja or zh (default: the settings', else the system's, else English)
        #[arg(long, value_name = "L")]
        language: Option<String>,
        /// The voice whose missing recordings to list: guide, a recorded voice's name, or a folder (default: the settings' voice, else guide)
        #[arg(long, value_name = "VOICE")]
        voice: Option<String>,
    },
    /// List the words of every prompt, in the order they are spoken
    #[command(long_about = help::PROMPTS, after_long_help = help::PROMPTS_AFTER)]
    Prompts {
        /// A session script (.ron); the built-in session when left out
        script: Option<PathBuf>,
        /// The language of the built-in session: en, es, fr, it, pt-BR, de, ja or zh (default: the settings', else the system's, else English)
        #[arg(long, value_name = "L")]
        language: Option<String>,
        /// One `id<TAB>text` line per prompt
        #[arg(long)]
        tsv: bool,
    },
    /// Record your own voice for the prompts, or import recordings made elsewhere
    #[command(long_about = help::RECORD, after_long_help = help::RECORD_AFTER)]
    Record(RecordCli),
    /// List the microphones and audio outputs, marking the defaults
    #[command(long_about = help::DEVICES, after_long_help = help::DEVICES_AFTER)]
    Devices,
    /// Hear what the microphone hears, and whether it is crying: to place the laptop before `play --listen`
    #[command(long_about = help::LISTEN, after_long_help = help::LISTEN_AFTER)]
    Listen {
        /// The microphone to listen with (a name or part of one, as `soothe devices` lists them); the default input otherwise
        #[arg(long, value_name = "NAME")]
        input: Option<String>,
        /// Stop after this many seconds of sound (default: until Ctrl-C)
        #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
        seconds: Option<f64>,
        /// Hear recordings instead of the microphone (wav, mp3, m4a, ogg, opus or flac): one line each, crying, fussing or quiet
        #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with_all = ["input", "seconds"])]
        file: Vec<PathBuf>,
        /// How readily a sound is taken for crying, as `play --sensitivity` (default: the settings', else normal)
        #[arg(long, value_name = "LEVEL", value_parser = sensitivity())]
        sensitivity: Option<Sensitivity>,
    },
    /// List the recorded voices and how many of the script's prompts each has
    #[command(long_about = help::VOICES, after_long_help = help::VOICES_AFTER)]
    Voices(VoicesCli),
    /// Write the built-in session's script to standard output, to change and play as your own
    #[command(long_about = help::SCRIPT, after_long_help = help::SCRIPT_AFTER)]
    Script {
        /// The language of the built-in session: en, es, fr, it, pt-BR, de, ja or zh (default: the settings', else the system's, else English)
        #[arg(long, value_name = "L")]
        language: Option<String>,
    },
    /// Show the settings file's place and the settings in force
    #[command(long_about = help::SETTINGS, after_long_help = help::SETTINGS_AFTER)]
    Settings {
        /// Print a settings file to start from, every line explained
        #[arg(long)]
        example: bool,
    },
    /// Show the sessions played lately: when, which, how far, how long
    #[command(long_about = help::LOG, after_long_help = help::LOG_AFTER)]
    Log {
        /// Show this many of the latest sessions (default 10)
        #[arg(short = 'n', value_name = "N", conflicts_with = "all")]
        count: Option<usize>,
        /// Show every session in the log
        #[arg(long)]
        all: bool,
    },
    /// Write shell completions to standard output
    #[command(long_about = help::COMPLETIONS, after_long_help = help::COMPLETIONS_AFTER)]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Write the man page, soothe(1), to standard output
    #[command(long_about = help::MAN, after_long_help = help::MAN_AFTER)]
    Man,
}

#[derive(Debug, Args)]
struct SessionOpts {
    /// A session script (.ron); the built-in session when left out
    script: Option<PathBuf>,
    /// relaxing (bedtime, the default) or invigorating, or a variant of the script
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Turn on an option of the script, such as colic (repeatable); given,
    /// these replace the options of your settings file
    #[arg(long = "with", value_name = "OPTION")]
    with: Vec<String>,
    /// Leave out an option your settings file (or --with) turns on, for
    /// this session only (repeatable)
    #[arg(long, value_name = "OPTION")]
    without: Vec<String>,
    /// Leave out a step (repeatable)
    #[arg(long, value_name = "STEP")]
    skip: Vec<String>,
    /// Short cues only, for parents who know the routine
    #[arg(long)]
    brief: bool,
    /// guide (built in, the default), the name of a recorded voice, or a folder of recordings
    #[arg(long, value_name = "VOICE")]
    voice: Option<String>,
    /// Start at this step rather than the first (`soothe plan` lists the steps)
    #[arg(long, value_name = "STEP")]
    from: Option<String>,
    /// The language of the built-in session: en, es, fr, it, pt-BR, de, ja or zh (default: the settings', else the system's, else English)
    #[arg(long, value_name = "L")]
    language: Option<String>,
}

#[derive(Debug, Args)]
struct LevelOpts {
    /// Voice level in dB (e.g. -10 for quieter; 0 unless the settings say)
    #[arg(long, value_name = "DB", allow_negative_numbers = true, value_parser = decibels)]
    voice_gain: Option<f64>,
    /// Chime level in dB (e.g. -30 for a whisper; 0 unless the settings say)
    #[arg(long, value_name = "DB", allow_negative_numbers = true, value_parser = decibels)]
    chime_gain: Option<f64>,
}

fn decibels(text: &str) -> Result<f64, String> {
    let db: f64 = text
        .trim_end_matches("dB")
        .trim_end_matches("db")
        .parse()
        .map_err(|_| format!("'{text}' is not a number of decibels"))?;
    if Levels::RANGE_DB.contains(&db) {
        Ok(db)
    } else {
        Err(format!(
            "{} dB is out of range ({} to {} dB)",
            soothe_core::error::number(db),
            Levels::RANGE_DB.start(),
            Levels::RANGE_DB.end()
        ))
    }
}

/// The whole command line as clap sees it: for its help, shell
/// completions and the man page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Parses the process arguments (exiting with usage help on bad ones),
/// with the settings file under the flags: an unusable settings file is
/// an error. `None`: nothing to run, the help or the version asked for
/// was printed (an error if standard output would not take it).
pub fn parse() -> anyhow::Result<Option<Command>> {
    if let Some(values) = complete::values_asked(std::env::args_os().skip(1)) {
        return Ok(Some(values));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => err.exit(),
        Err(help) => {
            use std::io::Write;
            help.print()
                .and_then(|()| std::io::stdout().flush())
                .map_err(|e| crate::stdout::failed(&e))?;
            return Ok(None);
        }
    };
    crate::notes::set(match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    });
    into_command(cli.command).map(Some)
}

/// The settings under `command`'s flags: only the commands that use the
/// settings read them.
fn defaults_for(command: &CliCommand) -> anyhow::Result<Defaults> {
    Ok(match command {
        CliCommand::Completions { .. }
        | CliCommand::Man
        | CliCommand::Settings { .. }
        | CliCommand::Log { .. } => Defaults::none(),
        _ => Defaults::load()?,
    })
}

fn into_command(command: CliCommand) -> anyhow::Result<Command> {
    let defaults = defaults_for(&command)?;
    Ok(match command {
        CliCommand::Play {
            session,
            levels,
            listen,
            input,
            sensitivity,
        } => Command::Play {
            levels: defaults.levels(&levels),
            session: defaults.session(session)?,
            listen: defaults.listen(listen, input, sensitivity),
        },
        CliCommand::Render {
            session,
            levels,
            output,
            split,
            format,
            bitrate,
        } => Command::Render {
            levels: defaults.levels(&levels),
            session: defaults.session(session)?,
            render: RenderArgs {
                split: split.is_some(),
                output: split.or(output).unwrap_or_else(|| PathBuf::from("-")),
                format,
                bitrate,
            },
        },
        CliCommand::Plan { session, json } => Command::Plan {
            session: defaults.session(session)?,
            json,
        },
        CliCommand::Check {
            script,
            language,
            voice,
        } => Command::Check {
            script: defaults.script(script),
            language: defaults.language(language)?,
            voice: defaults.voice(voice),
        },
        CliCommand::Prompts {
            script,
            language,
            tsv,
        } => Command::Prompts {
            script: defaults.script(script),
            language: defaults.language(language)?,
            tsv,
        },
        CliCommand::Record(record) => Command::Record(record.into_args(&defaults)?),
        CliCommand::Devices => Command::Devices,
        CliCommand::Listen {
            input,
            seconds,
            file,
            sensitivity,
        } => Command::Listen(crate::app::ListenCheck {
            input,
            seconds,
            files: file,
            sensitivity: defaults.sensitivity(sensitivity),
        }),
        CliCommand::Voices(voices) => voices.into_command(&defaults)?,
        CliCommand::Settings { example } => Command::Settings { example },
        CliCommand::Log { count, all } => Command::Log {
            count: if all { None } else { Some(count.unwrap_or(10)) },
        },
        CliCommand::Script { language } => Command::Script {
            language: defaults.language(language)?.builtin(),
        },
        CliCommand::Completions { shell } => Command::Print(generate::completions(shell)),
        CliCommand::Man => Command::Print(generate::man()?),
    })
}

// `soothe record`'s arguments as clap reads them (no doc comment: the
// subcommand's help is the variant's).
#[derive(Debug, Args)]
struct RecordCli {
    /// A session script (.ron); the built-in session when left out
    script: Option<PathBuf>,
    /// The language of the built-in session: en, es, fr, it, pt-BR, de, ja or zh (your takes in each language are kept apart; default: the settings', else the system's, else English)
    #[arg(long, value_name = "L")]
    language: Option<String>,
    /// The name of your voice (such as mum), or a folder path containing a '/'
    #[arg(long, value_name = "NAME")]
    voice: String,
    /// Record only this prompt (repeatable); `soothe prompts` lists them
    #[arg(long = "prompt", value_name = "ID")]
    prompts: Vec<String>,
    /// Record only the prompts this voice has no take of yet
    #[arg(long, conflicts_with = "import")]
    missing: bool,
    /// Process a recording made elsewhere (wav, mp3, m4a, ogg, opus, flac) as the take of one --prompt, or of the prompt it is named after (feet.m4a)
    #[arg(long, value_name = "FILE")]
    import: Option<PathBuf>,
    /// Import every recording in a folder named after its prompt (feet.m4a is the take of feet)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["import", "prompts", "missing"])]
    import_dir: Option<PathBuf>,
    /// The microphone to record from, by a name `soothe devices` lists (default: the system's)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["import", "import_dir"])]
    input: Option<String>,
}

impl RecordCli {
    fn into_args(self, defaults: &Defaults) -> anyhow::Result<RecordArgs> {
        Ok(RecordArgs {
            script: defaults.script(self.script),
            language: defaults.language(self.language)?,
            voice: VoiceChoice::parse(&self.voice),
            prompts: self.prompts,
            missing: self.missing,
            import: self.import,
            import_dir: self.import_dir,
            input: self.input,
        })
    }
}

// `soothe voices`'s arguments as clap reads them: list, --export or --import.
#[derive(Debug, Args)]
struct VoicesCli {
    /// A session script (.ron); the built-in session when left out
    script: Option<PathBuf>,
    /// The language of the built-in session, and of the takes --export writes: en, es, fr, it, pt-BR, de, ja or zh (default: the settings', else the system's, else English)
    #[arg(long, value_name = "L", conflicts_with = "import")]
    language: Option<String>,
    /// Write the voice NAME (its takes in the language) to FILE, one file to carry to the phone's web app or another computer
    #[arg(long, num_args = 2, value_names = ["NAME", "FILE"], conflicts_with_all = ["script", "import"])]
    export: Option<Vec<String>>,
    /// Add the voice in FILE (from `--export` or the web app) to your voices, in the language its takes speak
    #[arg(long, value_name = "FILE", conflicts_with = "script")]
    import: Option<PathBuf>,
    /// With --import: the name to keep it under, when you have a voice of its name already
    #[arg(long = "as", value_name = "NAME", requires = "import")]
    as_name: Option<String>,
}

impl VoicesCli {
    fn into_command(self, defaults: &Defaults) -> anyhow::Result<Command> {
        Ok(match (self.export.as_deref(), self.import) {
            (Some([name, file]), _) => Command::ExportVoice {
                name: name.clone(),
                file: PathBuf::from(file),
                language: defaults.language(self.language)?.builtin(),
            },
            (_, Some(file)) => Command::ImportVoice {
                file,
                name: self.as_name,
            },
            _ => Command::Voices {
                script: defaults.script(self.script),
                language: defaults.language(self.language)?,
            },
        })
    }
}

/// `--sensitivity`: one of the listener's levels, by its word, as core
/// names them (clap offers and completes the words).
fn sensitivity() -> impl TypedValueParser<Value = Sensitivity> {
    PossibleValuesParser::new(Sensitivity::ALL.map(Sensitivity::word))
        .try_map(|word| Sensitivity::parse(&word))
}

/// A length in seconds above zero, for `listen --seconds`.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("{text:?} is not a number of seconds above 0")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
