//! `soothe voices`: the recorded voices, how many of the script's prompts
//! each one has, which it lacks and which of its takes are stale.

use std::io::Write;
use std::path::Path;

use super::{load_script, LanguagePick};
use soothe_core::error::{io_reason, shown};
use soothe_core::session::script::Script;
use soothe_core::sound::voice::{
    language_folder, own_take, VoiceChoice, VoiceError, VoiceSet, GUIDE,
};

/// A voice's takes of the script's prompts.
#[derive(Debug, Default)]
struct Tally {
    /// Takes that play (stale ones included).
    usable: usize,
    /// The prompts without a take, in the order they are spoken.
    lacks: Vec<String>,
    /// Takes recorded for other words than the script's.
    stale: Vec<String>,
    /// Files that are there but cannot be played.
    unusable: Vec<String>,
}

impl Tally {
    /// What the voice folder `dir` has of the prompts `ids`.
    fn of(dir: &Path, script: &Script, ids: &[&str]) -> Tally {
        let mut tally = Tally::default();
        for id in ids {
            let text = script.prompts.get(id).map_or("", String::as_str);
            match own_take(dir, id, text) {
                Ok(None) => tally.lacks.push(id.to_string()),
                Ok(Some((_, stale))) => {
                    tally.usable += 1;
                    if stale {
                        tally.stale.push(id.to_string());
                    }
                }
                Err(_) => tally.unusable.push(id.to_string()),
            }
        }
        tally
    }

    fn is_complete(&self) -> bool {
        self.lacks.is_empty() && self.stale.is_empty() && self.unusable.is_empty()
    }
}

/// Where the lists of prompts wrap.
const WIDTH: usize = 76;

pub fn run(script_path: Option<&Path>, language: &LanguagePick) -> anyhow::Result<()> {
    let script = load_script(script_path, language)?;
    let ids = script.prompts_in_order();
    let total = ids.len();
    let guide = VoiceSet::open(&VoiceChoice::Guide, &script, None)?;
    let root = crate::places::voices().ok_or(VoiceError::NoDataDir)?;
    let script_arg = format!(
        "{}{}",
        crate::suggest::script_arg(script_path),
        crate::suggest::language_arg(script.language())
    );
    let voices = tally_voices(&root, &script, &ids)?;

    let mut out = crate::stdout::lock();
    // The language, when it is not English: each keeps its own takes.
    let language = match script.language() {
        soothe_core::session::language::ENGLISH => String::new(),
        tag => format!(", {tag}"),
    };
    writeln!(
        out,
        "Voices for \"{}\" ({total} prompts{language}):",
        shown(&script.title)
    )?;
    let width = voices
        .iter()
        .map(|(n, _)| shown(n).chars().count())
        .chain([GUIDE.len()])
        .max()
        .unwrap_or(0);
    let digits = total.to_string().len();
    writeln!(
        out,
        "  {GUIDE:<width$}  {:>digits$} of {total}  built in",
        total - guide.missing.len()
    )?;
    let guide_lacks: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| guide.missing.iter().any(|m| m == id))
        .collect();
    list(
        &mut out,
        "lacking (no recording speaks these words)",
        &guide_lacks,
    )?;
    for (name, tally) in &voices {
        let has = tally.usable;
        let notes = if tally.is_complete() {
            "  complete"
        } else {
            ""
        };
        writeln!(
            out,
            "  {:<width$}  {has:>digits$} of {total}{notes}",
            shown(name)
        )?;
        print_problems(&mut out, name, tally, &script_arg)?;
    }
    if voices.is_empty() {
        writeln!(
            out,
            "No voice of your own yet: record one with `soothe record --voice NAME` (for example --voice mum)."
        )?;
    } else {
        writeln!(
            out,
            "Recordings live in {}",
            shown(&root.display().to_string())
        )?;
    }
    Ok(())
}

/// Every voice folder in `root` (hidden ones and files aside), by name,
/// with what it has of the prompts `ids`. No folder yet: no voices.
fn tally_voices(
    root: &Path,
    script: &Script,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, Tally)>> {
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => anyhow::bail!("{}: {}", root.display(), io_reason(&err)),
    };
    let mut voices = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("{}: {}", root.display(), io_reason(&e)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        let dir = language_folder(&entry.path(), script.language());
        voices.push((name, Tally::of(&dir, script, ids)));
    }
    voices.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(voices)
}

/// What a voice lacks, has stale and cannot use, each with the command
/// that mends it.
fn print_problems(
    out: &mut impl Write,
    name: &str,
    tally: &Tally,
    script_arg: &str,
) -> std::io::Result<()> {
    let voice = shown(&crate::suggest::quoted(name)).into_owned();
    list(out, "lacking (the guide voice speaks them)", &tally.lacks)?;
    list(
        out,
        &format!(
            "stale, recorded for other words (`soothe record{script_arg} --voice {voice} --missing` records them again)"
        ),
        &tally.stale,
    )?;
    list(
        out,
        &format!("unusable (`soothe check{script_arg} --voice {voice}` says why)"),
        &tally.unusable,
    )
}

/// `    2 lacking (...):` and the prompts, wrapped under it; nothing when
/// `ids` is empty.
fn list(out: &mut impl Write, what: &str, ids: &[impl AsRef<str>]) -> std::io::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    writeln!(out, "    {} {what}:", ids.len())?;
    let names: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let id = shown(id.as_ref());
            if i + 1 < ids.len() {
                format!("{id},")
            } else {
                id.into_owned()
            }
        })
        .collect();
    for line in crate::terminal::wrap::wrap_words(&names, WIDTH - 6) {
        writeln!(out, "      {line}")?;
    }
    Ok(())
}
