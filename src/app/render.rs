//! `soothe render`: the session to an MP3, FLAC or WAV file (or one file
//! per step), through the same source that plays it.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::{Levels, Prepared, SessionArgs};
use crate::output::album::Album;
use crate::output::pump::{pump, PumpError};
use crate::output::target::{Finished, ReadFile, Target};
use crate::output::{self, mp3, split, Format};
use soothe_core::clock::clock;
use soothe_core::encode::{meta::Meta, wav};
use soothe_core::error::InvalidInput;
use soothe_core::mix::{Control, SessionSource};

/// Where a render goes and in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderArgs {
    /// One file (`-`: standard output), or a folder with `split`.
    pub output: PathBuf,
    /// A file per step in the folder `output`.
    pub split: bool,
    /// `--format`: mp3, flac or wav.
    pub format: Option<String>,
    /// `--bitrate`, in kb/s (MP3).
    pub bitrate: Option<u32>,
}

pub fn run(args: &SessionArgs, levels: Levels, render: &RenderArgs) -> anyhow::Result<()> {
    let format = if render.split {
        Format::named(render.format.as_deref(), render.bitrate)?
    } else {
        Format::choose(&render.output, render.format.as_deref(), render.bitrate)?
    };
    let prepared = Prepared::new(args)?;
    let inputs = inputs(args, &prepared)?;
    let timeline = prepared.timeline.clone();
    // The title, and the album a phone files the tracks under: what this
    // render is, so that two renders are never merged into one album.
    let title = session_title(&prepared);
    let meta = Meta::session(title.clone(), title, &timeline);
    if format == Format::Wav && !render.split {
        wav::fits(&meta).map_err(|e| InvalidInput(format!("{}: {e}", render.output.display())))?;
    }
    let control = Control::new(levels);
    if render.split {
        return split_steps(&render.output, format, &meta, prepared, &inputs, &control);
    }

    let target = Target::check(&render.output, &inputs)?;
    notes(&prepared, levels, format, meta.sample_rate);
    let mut source = SessionSource::new(timeline, Arc::new(prepared.sounds), control.clone());
    let mut progress = Progress::new(meta.total_samples);
    // The very source `play` hands to the device, pulled block by block.
    write(
        &target,
        format,
        &meta,
        &control,
        &mut |b| source.fill(b),
        &mut |n| progress.show(n),
    )?;
    drop(progress);
    // Standard output carries the session itself: the summary goes to stderr.
    let line = format!(
        "Wrote {}: {}, {}, a chapter per step",
        target.shown,
        clock(meta.total_samples, meta.sample_rate),
        describe(format, meta.sample_rate)
    );
    if render.output.as_os_str() == "-" {
        crate::notes::note(line);
    } else {
        writeln!(std::io::stdout(), "{line}")?;
    }
    Ok(())
}

/// `--split DIR`: a file per step from one pass of the session source,
/// then the playlist, put in place together (see [`output::album`]).
fn split_steps(
    dir: &Path,
    format: Format,
    meta: &Meta,
    prepared: Prepared,
    inputs: &[ReadFile],
    control: &Arc<Control>,
) -> anyhow::Result<()> {
    let steps = step_metas(meta);
    if format == Format::Wav {
        for (step, chapter) in steps.iter().zip(&meta.chapters) {
            wav::fits(step).map_err(|e| {
                InvalidInput(format!("{}: step {}: {e}", dir.display(), chapter.title))
            })?;
        }
    }
    let count = meta.chapters.len();
    let names = (meta.chapters.iter().enumerate())
        .map(|(index, chapter)| split::file_name(index + 1, count, &chapter.title, format))
        .collect();
    let mut album = Album::prepare(dir, names, inputs)?;
    notes(&prepared, control.gains(), format, meta.sample_rate);
    let timeline = prepared.timeline.clone();
    let mut source =
        SessionSource::new(timeline.clone(), Arc::new(prepared.sounds), control.clone());
    let mut progress = Progress::new(meta.total_samples);
    let interrupted = album.interrupted();
    let mut tracks = Vec::new();
    let files = album.tracks().to_vec();
    for (((name, target), step), chapter) in files.iter().zip(&steps).zip(&meta.chapters) {
        let done = chapter.start;
        let track = render_file(
            target,
            format,
            step,
            control,
            Some(&interrupted),
            &mut |b| source.fill(b),
            &mut |n| progress.show(done + n),
        );
        match track {
            Ok(track) => album.stage(track),
            Err(Failed::Interrupted) => return Err(album.interrupted_error().into()),
            Err(Failed::Other(e)) => return Err(album.not_written(e).into()),
        }
        tracks.push((
            name.clone(),
            chapter.title.clone(),
            timeline.seconds(step.total_samples),
        ));
    }
    drop(progress);
    album.stage_playlist(&split::playlist(&meta.title, &tracks))?;
    let placed = album.place()?;
    let mut out = std::io::stdout();
    writeln!(
        out,
        "Wrote {} files and {} to {}: {}, {}",
        files.len(),
        split::PLAYLIST,
        dir.display(),
        clock(meta.total_samples, meta.sample_rate),
        describe(format, meta.sample_rate)
    )?;
    if !placed.removed.is_empty() {
        let removed = soothe_core::error::shown(&placed.removed.join(", ")).into_owned();
        writeln!(out, "Removed the older album's {removed}")?;
    }
    Ok(())
}

/// What is said before rendering: the voice, the limiter, and a bit rate
/// that MP3 does not have at the session's sample rate.
fn notes(prepared: &Prepared, levels: Levels, format: Format, rate: u32) {
    if crate::notes::is_verbose() {
        crate::notes::detail(prepared.voice_files());
    }
    if let Some(note) = prepared.voice_note() {
        crate::notes::note(note);
    }
    if let Some(note) = soothe_core::sound::limiter::note(levels.voice_db) {
        crate::notes::note(note);
    }
    if let Format::Mp3 { kbps } = format {
        let rate = mp3::written_rate(rate);
        let written = mp3::written_kbps(kbps, rate);
        if written != kbps {
            crate::notes::note(format!(
                "--bitrate {kbps}: an MP3 at {rate} Hz has at most {written} kb/s; this one has {written}"
            ));
        }
    }
}

/// Why a file was not rendered.
enum Failed {
    Interrupted,
    Other(anyhow::Error),
}

/// Renders `meta.total_samples` samples of `fill` to `target` as `format`,
/// and puts the file in place only if the session went well.
fn write(
    target: &Target,
    format: Format,
    meta: &Meta,
    control: &Control,
    fill: &mut dyn FnMut(&mut [f32]) -> usize,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<()> {
    match render_file(target, format, meta, control, None, fill, progress) {
        Ok(finished) => finished.place().map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot write: {}",
                target.shown,
                soothe_core::error::io_reason(&e)
            )
        }),
        Err(Failed::Interrupted) => {
            anyhow::bail!("{}: render interrupted; nothing was written", target.shown)
        }
        Err(Failed::Other(e)) => Err(e),
    }
}

/// Renders to `target`, written out but not yet in place. `interrupted`:
/// the flag to stop at (else the output's own).
fn render_file(
    target: &Target,
    format: Format,
    meta: &Meta,
    control: &Control,
    interrupted: Option<&Arc<AtomicBool>>,
    fill: &mut dyn FnMut(&mut [f32]) -> usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Finished, Failed> {
    let fail = |e: &dyn std::fmt::Display| {
        Failed::Other(anyhow::anyhow!("{}: cannot write: {e}", target.shown))
    };
    let mut out = target
        .open()
        .map_err(|e| fail(&soothe_core::error::io_reason(&e)))?;
    let interrupted = interrupted.cloned().unwrap_or_else(|| out.interrupted());
    let encoder =
        output::encoder(format, meta, out.rewritable(), &mut out.writer).map_err(|e| fail(&e))?;
    let result = pump(
        fill,
        meta.total_samples,
        encoder,
        &mut out.writer,
        progress,
        &interrupted,
    );
    let patches = match result {
        Ok((_, patches)) => patches,
        Err(PumpError::Interrupted) => return Err(Failed::Interrupted),
        Err(PumpError::Io(e)) => return Err(fail(&soothe_core::error::io_reason(&e))),
    };
    // A session that could not read a recording says so only once every
    // sample has been pulled: the file it made is then not put in place.
    check_session(control).map_err(Failed::Other)?;
    out.finish(&patches)
        .map_err(|e| fail(&soothe_core::error::io_reason(&e)))
}

/// The session's problem (a recording it could not read), if it had one.
fn check_session(control: &Control) -> anyhow::Result<()> {
    control.error().map_or(Ok(()), |e| Err(anyhow::anyhow!(e)))
}

/// The tags of each step's file for `--split`.
fn step_metas(meta: &Meta) -> Vec<Meta> {
    let count = meta.chapters.len();
    meta.chapters
        .iter()
        .enumerate()
        .map(|(index, chapter)| Meta {
            title: chapter.title.clone(),
            album: meta.album.clone(),
            track: Some((index + 1, count)),
            sample_rate: meta.sample_rate,
            total_samples: chapter.end - chapter.start,
            chapters: Vec::new(),
        })
        .collect()
}

/// The files the session reads, which a render must not write over.
fn inputs(args: &SessionArgs, prepared: &Prepared) -> anyhow::Result<Vec<ReadFile>> {
    let mut inputs = Vec::new();
    if let Some(script) = &args.script {
        inputs.push(ReadFile {
            path: script.clone(),
            what: "the session's script".into(),
        });
    }
    let language = prepared.script.language();
    if let Some(dir) = args
        .voice
        .folder_in(crate::places::voices().as_deref(), language)?
    {
        for id in prepared.script.prompts.keys() {
            inputs.push(ReadFile {
                path: soothe_core::sound::voice::take_path(&dir, id),
                what: format!(
                    "the recording of prompt {id} in voice {}",
                    args.voice.label()
                ),
            });
        }
    }
    Ok(inputs)
}

/// The title tag: the session and its variant (and options).
/// What the render is: `Baby massage (invigorating, colic, brief, voice
/// mum)`: the variant, the options, brief mode, the language when it is
/// not English (`Masaje para bebés (relaxing, es)`) and a voice of the
/// parent's, where chosen.
fn session_title(prepared: &Prepared) -> String {
    let session = &prepared.session;
    let mut title = format!("{} ({}", session.title, session.variant);
    for option in &session.options {
        title.push_str(&format!(", {option}"));
    }
    if session.brief {
        title.push_str(", brief");
    }
    if session.language != soothe_core::session::language::ENGLISH {
        title.push_str(&format!(", {}", session.language));
    }
    let voice = &prepared.sounds.voice;
    if voice.choice != soothe_core::sound::voice::VoiceChoice::Guide {
        title.push_str(&format!(", voice {}", voice.name));
    }
    title.push(')');
    title
}

/// What a file of `format` from a session at `rate` Hz is: an MP3 has
/// the sample rate and bit rate that MP3 has nearest (see
/// [`output::mp3::written_rate`]).
fn describe(format: Format, rate: u32) -> String {
    match format {
        Format::Mp3 { kbps } => {
            let rate = mp3::written_rate(rate);
            let written = mp3::written_kbps(kbps, rate);
            format!("{rate} Hz mono, MP3 {written} kb/s")
        }
        Format::Flac => format!("{rate} Hz mono, FLAC 16-bit"),
        Format::Wav => format!("{rate} Hz mono, WAV 16-bit"),
    }
}

/// `Rendering N%` on a terminal.
struct Progress {
    total: u64,
    shown: u64,
    on_terminal: bool,
}

impl Progress {
    fn new(total: u64) -> Progress {
        Progress {
            total: total.max(1),
            shown: u64::MAX,
            // A note like any other: --quiet silences it.
            on_terminal: std::io::stderr().is_terminal()
                && crate::notes::verbosity() > crate::notes::Verbosity::Quiet,
        }
    }

    fn show(&mut self, done: u64) {
        let percent = done * 100 / self.total;
        if self.on_terminal && percent != self.shown {
            self.shown = percent;
            let mut err = std::io::stderr();
            let _ = write!(err, "\rRendering {percent}%");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    /// Clears the line, however the render ended.
    fn drop(&mut self) {
        if self.on_terminal {
            eprint!("\r\x1b[2K");
        }
    }
}
