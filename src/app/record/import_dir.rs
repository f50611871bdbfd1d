//! `soothe record --import-dir DIR`: many recordings made elsewhere at
//! once (a phone's memos), each named after its prompt (`feet.m4a` is the
//! take of `feet`). Each goes through the one import path, which saves
//! safely and never loses the last good take; one line says how each
//! fared; the good ones are saved even when others fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{advice, script_arg, script_name, summary, RecordArgs};
use crate::record::import;
use crate::record::takes;
use soothe_core::error::{io_reason, shown, InvalidInput};
use soothe_core::session::script::Script;
use soothe_core::take::process::ProcessError;

/// How one file fared.
enum Outcome {
    Saved(takes::Saved, f64),
    /// The file's fault (unreadable, not audio, damaged, silent), as
    /// with `--import`: exit 2.
    Refused(String),
    /// The disk's (the take could not be written): exit 1.
    Failed(String),
}

pub fn run(script: &Script, args: &RecordArgs, dir: &Path, from: &Path) -> anyhow::Result<()> {
    let (matched, unmatched) = files_by_prompt(script, from)?;
    if matched.is_empty() {
        return Err(InvalidInput(format!(
            "{}: no recording in it is named after a prompt of {} (name each after its prompt, such as feet.m4a; `soothe prompts{}` lists them)",
            from.display(),
            script_name(args),
            script_arg(args)
        ))
        .into());
    }
    let count: usize = matched.values().map(Vec::len).sum();
    println!(
        "Importing {count} recording{} from {} into the voice \"{}\":",
        if count == 1 { "" } else { "s" },
        shown(&from.display().to_string()),
        shown(&args.voice.label())
    );
    takes::remove_stale_parts(dir);
    let (mut refused, mut failed) = (0, 0);
    for (id, files) in &matched {
        if let [one] = files.as_slice() {
            let name = file_name(one);
            match import_one(script, dir, id, one) {
                Outcome::Saved(saved, seconds) => {
                    let kept = saved
                        .previous
                        .as_deref()
                        .and_then(Path::file_name)
                        .map(|n| format!("; the earlier take is kept as {}", n.to_string_lossy()))
                        .unwrap_or_default();
                    println!("  {name} -> {id}: saved ({seconds:.1} s){kept}");
                }
                Outcome::Refused(reason) => {
                    refused += 1;
                    println!("  {name} -> {id}: not imported: {reason}");
                }
                Outcome::Failed(reason) => {
                    failed += 1;
                    println!("  {name} -> {id}: not imported: {reason}");
                }
            }
        } else {
            // Which one is the take? Not soothe's to guess.
            refused += files.len();
            let names: Vec<String> = files.iter().map(|f| file_name(f)).collect();
            println!(
                "  {} -> {id}: not imported: {} recordings of one prompt; keep only the one to use",
                names.join(", "),
                files.len()
            );
        }
    }
    if !unmatched.is_empty() {
        println!(
            "Left alone, named after no prompt: {} (`soothe prompts{}` lists the prompts)",
            shown(&unmatched.join(", ")),
            script_arg(args)
        );
    }
    println!();
    summary(script, args, dir);
    let bad = refused + failed;
    if bad == 0 {
        return Ok(());
    }
    let message = format!(
        "{bad} of {count} recording{} could not be imported (see above); {}",
        if count == 1 { "" } else { "s" },
        match count - bad {
            0 => "nothing was saved".to_string(),
            1 => "the other one was saved".to_string(),
            n => format!("the other {n} were saved"),
        }
    );
    if failed > 0 {
        anyhow::bail!(message)
    }
    Err(InvalidInput(message).into())
}

/// The files of `from` by the prompt they are named after, and the names
/// of the others. Hidden files and folders are left out.
#[allow(clippy::type_complexity)]
fn files_by_prompt(
    script: &Script,
    from: &Path,
) -> anyhow::Result<(BTreeMap<String, Vec<PathBuf>>, Vec<String>)> {
    let entries = std::fs::read_dir(from).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::Error::from(InvalidInput(format!(
            "{}: there is no such folder",
            from.display()
        ))),
        std::io::ErrorKind::NotADirectory => anyhow::Error::from(InvalidInput(format!(
            "{}: not a folder; --import-dir takes a folder of recordings (--import takes one file)",
            from.display()
        ))),
        _ => anyhow::anyhow!("{}: {}", from.display(), io_reason(&e)),
    })?;
    let mut matched: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("{}: {}", from.display(), io_reason(&e)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || path.is_dir() {
            continue;
        }
        match prompt_of(script, &name) {
            Some(id) => matched.entry(id.to_string()).or_default().push(path),
            None => unmatched.push(name),
        }
    }
    for files in matched.values_mut() {
        files.sort();
    }
    unmatched.sort();
    Ok((matched, unmatched))
}

/// The prompt the file at `path` is named after, if it is.
pub(super) fn prompt_named<'s>(script: &'s Script, path: &Path) -> Option<&'s str> {
    prompt_of(script, &path.file_name()?.to_string_lossy())
}

/// The prompt a file is named after: `<prompt-id>.<extension>`.
fn prompt_of<'s>(script: &'s Script, name: &str) -> Option<&'s str> {
    let (stem, extension) = name.rsplit_once('.')?;
    if extension.is_empty() {
        return None;
    }
    script.prompts.get_key_value(stem).map(|(id, _)| id)
}

fn file_name(path: &Path) -> String {
    let name = path.file_name().map_or(path.as_os_str(), |n| n);
    shown(&name.to_string_lossy()).into_owned()
}

/// Decodes, processes and saves one file, as `--import` does.
fn import_one(script: &Script, dir: &Path, id: &str, file: &Path) -> Outcome {
    let without_path = |text: String| {
        let text = text
            .strip_prefix(&format!("{}: ", file.display()))
            .map(str::to_string)
            .unwrap_or(text);
        text.strip_suffix("; nothing was saved")
            .map(str::to_string)
            .unwrap_or(text)
    };
    let decoded = match import::decode_file(file, script.sample_rate) {
        Ok(decoded) => decoded,
        Err(err) => return Outcome::Refused(without_path(err.to_string())),
    };
    let processed = match decoded.process() {
        Ok(processed) => processed,
        Err(ProcessError::NoSpeech) => {
            return Outcome::Refused("no speech heard in it (only silence or steady noise)".into())
        }
    };
    let words = script.prompts.get(id).map_or("", String::as_str);
    match takes::save(dir, id, &processed.audio, words) {
        Ok(saved) => {
            for line in advice(&processed) {
                eprintln!("  {}: {line}", file_name(file));
            }
            let seconds = saved.samples as f64 / f64::from(processed.audio.rate.max(1));
            Outcome::Saved(saved, seconds)
        }
        Err(err) => Outcome::Failed(err.to_string()),
    }
}
