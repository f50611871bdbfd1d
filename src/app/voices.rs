//! `soothe voices`: the recorded voices, and how many of the script's
//! prompts each one has.

use std::io::Write;
use std::path::Path;

use super::load_script;
use crate::error::{io_reason, shown};
use crate::voice::{own_take, voices_root, VoiceChoice, VoiceSet, GUIDE};

/// A voice's takes of the script's prompts.
#[derive(Debug, Default)]
struct Tally {
    /// Takes that play (stale ones included).
    usable: usize,
    /// Takes recorded for other words than the script's.
    stale: usize,
    /// Files that are there but cannot be played.
    unusable: usize,
}

pub fn run(script_path: Option<&Path>) -> anyhow::Result<()> {
    let script = load_script(script_path)?;
    let ids = script.prompts_in_order();
    let total = ids.len();
    let guide = VoiceSet::open(&VoiceChoice::Guide, &script)?;
    let root = voices_root()?;

    let mut voices: Vec<(String, Tally)> = Vec::new();
    match std::fs::read_dir(&root) {
        Ok(entries) => {
            for entry in entries {
                let entry =
                    entry.map_err(|e| anyhow::anyhow!("{}: {}", root.display(), io_reason(&e)))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !entry.path().is_dir() {
                    continue;
                }
                let mut tally = Tally::default();
                for id in &ids {
                    let text = script.prompts.get(id).map_or("", String::as_str);
                    match own_take(&entry.path(), id, text) {
                        Ok(None) => {}
                        Ok(Some((_, stale))) => {
                            tally.usable += 1;
                            tally.stale += usize::from(stale);
                        }
                        Err(_) => tally.unusable += 1,
                    }
                }
                voices.push((name, tally));
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => anyhow::bail!("{}: {}", root.display(), io_reason(&err)),
    }
    voices.sort_by(|a, b| a.0.cmp(&b.0));

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Voices for \"{}\" ({total} prompts):",
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
    for (name, tally) in &voices {
        let name = shown(name);
        let has = tally.usable;
        let mut notes = Vec::new();
        if tally.stale > 0 {
            notes.push(format!("{} recorded for other words", tally.stale));
        }
        if tally.unusable > 0 {
            notes.push(format!(
                "{} unusable (`soothe check --voice NAME` says why)",
                tally.unusable
            ));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("  ({})", notes.join(", "))
        };
        writeln!(out, "  {name:<width$}  {has:>digits$} of {total}{notes}")?;
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
