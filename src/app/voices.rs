//! `soothe voices`: the recorded voices, and how many of the script's
//! prompts each one has.

use std::io::Write;
use std::path::Path;

use super::load_script;
use crate::error::io_reason;
use crate::voice::{take_path, voices_root, VoiceChoice, VoiceSet, GUIDE};

pub fn run(script_path: Option<&Path>) -> anyhow::Result<()> {
    let script = load_script(script_path)?;
    let ids = script.prompts_in_order();
    let total = ids.len();
    let guide = VoiceSet::open(&VoiceChoice::Guide, &script)?;
    let root = voices_root()?;

    let mut voices: Vec<(String, usize)> = Vec::new();
    match std::fs::read_dir(&root) {
        Ok(entries) => {
            for entry in entries {
                let entry =
                    entry.map_err(|e| anyhow::anyhow!("{}: {}", root.display(), io_reason(&e)))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !entry.path().is_dir() {
                    continue;
                }
                let has = ids
                    .iter()
                    .filter(|id| take_path(&entry.path(), id).is_file())
                    .count();
                voices.push((name, has));
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => anyhow::bail!("{}: {}", root.display(), io_reason(&err)),
    }
    voices.sort();

    let mut out = std::io::stdout().lock();
    writeln!(out, "Voices for \"{}\" ({total} prompts):", script.title)?;
    let width = voices
        .iter()
        .map(|(n, _)| n.chars().count())
        .chain([GUIDE.len()])
        .max()
        .unwrap_or(0);
    let digits = total.to_string().len();
    writeln!(
        out,
        "  {GUIDE:<width$}  {:>digits$} of {total}  built in",
        total - guide.missing.len()
    )?;
    for (name, has) in &voices {
        writeln!(out, "  {name:<width$}  {has:>digits$} of {total}")?;
    }
    if voices.is_empty() {
        writeln!(
            out,
            "No voice of your own yet: record one with `soothe record --voice NAME` (for example --voice mum)."
        )?;
    } else {
        writeln!(out, "Recordings live in {}", root.display())?;
    }
    Ok(())
}
