//! The command line, and its translation into typed [`Command`]s.

mod help;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::app::{Command, Levels, RecordArgs, RenderArgs, SessionArgs};
use crate::listen::ListenOptions;
use crate::select::Selection;
use crate::voice::VoiceChoice;

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
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Play a session through the default audio output
    #[command(long_about = help::PLAY, after_help = "Keys: space pause, n next, b back, + and - volume, d baby's done, q quit. More with --help.", after_long_help = help::PLAY_AFTER)]
    Play {
        #[command(flatten)]
        session: SessionOpts,
        #[command(flatten)]
        levels: LevelOpts,
        /// Listen for the baby through the microphone: on crying, fade out, pause and say so (space goes on, d finishes). Nothing heard is stored or sent
        #[arg(long)]
        listen: bool,
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
        /// The voice whose missing recordings to list: guide, a recorded voice's name, or a folder
        #[arg(long, value_name = "VOICE", default_value = "guide")]
        voice: String,
    },
    /// List the words of every prompt, in the order they are spoken
    #[command(long_about = help::PROMPTS, after_long_help = help::PROMPTS_AFTER)]
    Prompts {
        /// A session script (.ron); the built-in session when left out
        script: Option<PathBuf>,
        /// One `id<TAB>text` line per prompt
        #[arg(long)]
        tsv: bool,
    },
    /// Record your own voice for the prompts, or import recordings made elsewhere
    #[command(long_about = help::RECORD, after_long_help = help::RECORD_AFTER)]
    Record {
        /// A session script (.ron); the built-in session when left out
        script: Option<PathBuf>,
        /// The name of your voice (such as mum), or a folder path containing a '/'
        #[arg(long, value_name = "NAME")]
        voice: String,
        /// Record only this prompt (repeatable); `soothe prompts` lists them
        #[arg(long = "prompt", value_name = "ID")]
        prompts: Vec<String>,
        /// Record only the prompts this voice has no take of yet
        #[arg(long, conflicts_with = "import")]
        missing: bool,
        /// Process a recording made elsewhere (wav, mp3, m4a, ogg, flac) as the take of one --prompt
        #[arg(long, value_name = "FILE", requires = "prompts")]
        import: Option<PathBuf>,
    },
    /// List the recorded voices and how many of the script's prompts each has
    #[command(long_about = help::VOICES, after_long_help = help::VOICES_AFTER)]
    Voices {
        /// A session script (.ron); the built-in session when left out
        script: Option<PathBuf>,
    },
    /// Write the built-in session's script to standard output, to change and play as your own
    #[command(long_about = help::SCRIPT, after_long_help = help::SCRIPT_AFTER)]
    Script,
    /// Write shell completions to standard output
    #[command(long_about = help::COMPLETIONS, after_long_help = help::COMPLETIONS_AFTER)]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell
        #[arg(value_name = "SHELL")]
        shell: crate::app::Shell,
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
    /// Turn on an option of the script, such as colic (repeatable)
    #[arg(long = "with", value_name = "OPTION")]
    with: Vec<String>,
    /// Leave out a step (repeatable)
    #[arg(long, value_name = "STEP")]
    skip: Vec<String>,
    /// Short cues only, for parents who know the routine
    #[arg(long)]
    brief: bool,
    /// guide (built in), the name of a recorded voice, or a folder of recordings
    #[arg(long, value_name = "VOICE", default_value = "guide")]
    voice: String,
    /// Start at this step rather than the first (`soothe plan` lists the steps)
    #[arg(long, value_name = "STEP")]
    from: Option<String>,
}

#[derive(Debug, Args)]
struct LevelOpts {
    /// Voice level in dB (e.g. -10 for quieter)
    #[arg(long, value_name = "DB", default_value_t = 0.0, allow_negative_numbers = true, value_parser = decibels)]
    voice_gain: f64,
    /// Chime level in dB (e.g. -30 for a whisper)
    #[arg(long, value_name = "DB", default_value_t = 0.0, allow_negative_numbers = true, value_parser = decibels)]
    chime_gain: f64,
}

/// The quietest and loudest gains offered, in dB.
const GAIN_RANGE: std::ops::RangeInclusive<f64> = -60.0..=12.0;

fn decibels(text: &str) -> Result<f64, String> {
    let db: f64 = text
        .trim_end_matches("dB")
        .trim_end_matches("db")
        .parse()
        .map_err(|_| format!("'{text}' is not a number of decibels"))?;
    if GAIN_RANGE.contains(&db) {
        Ok(db)
    } else {
        Err(format!(
            "{db} dB is out of range ({} to {} dB)",
            GAIN_RANGE.start(),
            GAIN_RANGE.end()
        ))
    }
}

impl SessionOpts {
    fn into_args(self) -> SessionArgs {
        SessionArgs {
            script: self.script,
            selection: Selection {
                variant: self.variant,
                with: self.with,
                skip: self.skip,
                brief: self.brief,
            },
            voice: VoiceChoice::parse(&self.voice),
            from: self.from,
        }
    }
}

impl LevelOpts {
    fn levels(&self) -> Levels {
        Levels::from_db(self.voice_gain, self.chime_gain)
    }
}

/// The whole command line as clap sees it: for its help, shell
/// completions and the man page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Parses the process arguments (exiting with usage help on bad ones).
pub fn parse() -> Command {
    into_command(Cli::parse().command)
}

fn into_command(command: CliCommand) -> Command {
    match command {
        CliCommand::Play {
            session,
            levels,
            listen,
        } => Command::Play {
            levels: levels.levels(),
            session: session.into_args(),
            listen: listen.then(ListenOptions::default),
        },
        CliCommand::Render {
            session,
            levels,
            output,
            split,
            format,
            bitrate,
        } => Command::Render {
            levels: levels.levels(),
            session: session.into_args(),
            render: RenderArgs {
                split: split.is_some(),
                output: split.or(output).unwrap_or_else(|| PathBuf::from("-")),
                format,
                bitrate,
            },
        },
        CliCommand::Plan { session, json } => Command::Plan {
            session: session.into_args(),
            json,
        },
        CliCommand::Check { script, voice } => Command::Check {
            script,
            voice: VoiceChoice::parse(&voice),
        },
        CliCommand::Prompts { script, tsv } => Command::Prompts { script, tsv },
        CliCommand::Record {
            script,
            voice,
            prompts,
            missing,
            import,
        } => Command::Record(RecordArgs {
            script,
            voice: VoiceChoice::parse(&voice),
            prompts,
            missing,
            import,
        }),
        CliCommand::Voices { script } => Command::Voices { script },
        CliCommand::Script => Command::Script,
        CliCommand::Completions { shell } => Command::Completions(shell),
        CliCommand::Man => Command::Man,
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
