//! `soothe voices`: the recorded voices, how many of the script's prompts
//! each one has, which it lacks and which of its takes are stale.

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
    /// The prompts without a take, in the order they are spoken.
    lacks: Vec<String>,
    /// Takes recorded for other words than the script's.
    stale: Vec<String>,
    /// Files that are there but cannot be played.
    unusable: Vec<String>,
}

/// Where the lists of prompts wrap.
const WIDTH: usize = 76;

pub fn run(script_path: Option<&Path>) -> anyhow::Result<()> {
    let script = load_script(script_path)?;
    let ids = script.prompts_in_order();
    let total = ids.len();
    let guide = VoiceSet::open(&VoiceChoice::Guide, &script)?;
    let root = voices_root()?;
    let script_arg = script_path
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default();

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
                voices.push((name, tally));
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => anyhow::bail!("{}: {}", root.display(), io_reason(&err)),
    }
    voices.sort_by(|a, b| a.0.cmp(&b.0));

    let mut out = crate::stdout::lock();
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
        let name = shown(name);
        let has = tally.usable;
        let notes = if tally.lacks.is_empty() && tally.stale.is_empty() && tally.unusable.is_empty()
        {
            "  complete"
        } else {
            ""
        };
        writeln!(out, "  {name:<width$}  {has:>digits$} of {total}{notes}")?;
        list(
            &mut out,
            "lacking (the guide voice speaks them)",
            &tally.lacks,
        )?;
        list(
            &mut out,
            &format!(
                "stale, recorded for other words (`soothe record{script_arg} --voice {name} --missing` records them again)"
            ),
            &tally.stale,
        )?;
        list(
            &mut out,
            &format!("unusable (`soothe check{script_arg} --voice {name}` says why)"),
            &tally.unusable,
        )?;
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
    for line in crate::wrap::wrap_words(&names, WIDTH - 6) {
        writeln!(out, "      {line}")?;
    }
    Ok(())
}
