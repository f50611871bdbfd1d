//! `soothe voices --export NAME FILE` and `--import FILE`: a parent's voice
//! as one file (soothe_core::sound::voice_file), to carry it to the phone's
//! web app and back.
//!
//! Neither ever harms what is there: an export never writes over a file,
//! and an import never over a voice; both write beside their target and
//! rename into place only once everything is written, so an interrupted
//! one leaves nothing half made.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use soothe_core::error::{io_reason, shown, InvalidInput};
use soothe_core::sound::voice::{is_part, language_folder, VoiceChoice, VoiceError};
use soothe_core::sound::voice_file::{is_plain, VoiceFile, MOST_TAKE_BYTES};
use soothe_core::sound::wav;

/// Writes the voice `name`'s takes in `language` to `file`.
pub fn export(name: &str, file: &Path, language: &str) -> anyhow::Result<()> {
    let root = crate::places::voices().ok_or(VoiceError::NoDataDir)?;
    let dir = VoiceChoice::Named(name.to_string())
        .folder(Some(&root))?
        .unwrap_or_default();
    if !is_plain(name) || !dir.is_dir() {
        return Err(VoiceError::NotFound {
            name: name.to_string(),
            dir: dir.display().to_string(),
        }
        .into());
    }
    let takes_dir = language_folder(&dir, language);
    let voice = VoiceFile {
        name: name.to_string(),
        language: language.to_string(),
        takes: if takes_dir.is_dir() {
            takes_in(&takes_dir)?
        } else {
            Vec::new()
        },
    };
    if voice.takes.is_empty() {
        return Err(InvalidInput(format!(
            "the voice \"{name}\" has no takes in {} yet ({}); record some with `soothe record --voice {name}{}`",
            language_name(language),
            takes_dir.display(),
            crate::suggest::language_arg(language)
        ))
        .into());
    }
    let shown_file = shown(&file.display().to_string()).into_owned();
    if std::fs::symlink_metadata(file).is_ok() {
        return Err(InvalidInput(format!(
            "{shown_file} is there already; choose another name, or move it away first"
        ))
        .into());
    }
    let bytes = write_new(file, |out| voice.write(out).map(drop))
        .with_context(|| format!("{shown_file}: the voice could not be written"))?;
    let mut out = crate::stdout::lock();
    writeln!(
        out,
        "Wrote the voice \"{name}\" ({} takes{}, {}) to {shown_file}.",
        voice.takes.len(),
        in_language(language),
        megabytes(bytes)
    )?;
    writeln!(
        out,
        "On the phone, open soothe and choose \"Add a voice from a file\"; on another computer: {} voices --import {}",
        crate::suggest::program(),
        crate::suggest::quoted(&file.display().to_string())
    )?;
    Ok(())
}

/// The takes of a voice folder, by prompt, in name order: every
/// `<prompt>.wav` (not the `.prev.wav` kept beside it, nor a take being
/// written). A take that is no usable WAV is named, and nothing written.
fn takes_in(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let unreadable = |path: &Path, error: std::io::Error| VoiceError::Unreadable {
        path: path.display().to_string(),
        error,
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| unreadable(dir, e))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !is_part(name) && !name.ends_with(".prev.wav"))
        .filter(|name| name.strip_suffix(".wav").is_some_and(is_plain))
        .collect();
    names.sort();
    let mut takes = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let meta = std::fs::metadata(&path).map_err(|e| unreadable(&path, e))?;
        if !meta.is_file() || meta.len() > MOST_TAKE_BYTES {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
        wav::wav_header(std::io::Cursor::new(&bytes)).map_err(|e| VoiceError::Unusable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let id = name.trim_end_matches(".wav").to_string();
        takes.push((id, bytes));
    }
    Ok(takes)
}

/// Reads the voice in `file` into the voices folder, as `rename` or the
/// name it was exported under.
pub fn import(file: &Path, rename: Option<&str>) -> anyhow::Result<()> {
    let shown_file = shown(&file.display().to_string()).into_owned();
    let opened = open_file(file).map_err(|e| InvalidInput(format!("{shown_file}: {e}")))?;
    let voice = VoiceFile::read(BufReader::new(opened))
        .map_err(|e| InvalidInput(format!("{shown_file}: {e}")))?;
    let name = rename.unwrap_or(&voice.name);
    if !is_plain(name) {
        return Err(InvalidInput(format!(
            "--as {}: a voice's name is lowercase letters, digits, - and _",
            shown(name)
        ))
        .into());
    }
    let root = crate::places::voices().ok_or(VoiceError::NoDataDir)?;
    let language = voice.language.as_str();
    let dir = language_folder(&root.join(name), language);
    if has_takes(&dir) {
        return Err(InvalidInput(format!(
            "there is a voice \"{name}\" with takes{} already ({}); nothing was changed. To keep both, import this one under another name: {} voices --import {} --as {name}-2",
            in_language(language),
            dir.display(),
            crate::suggest::program(),
            crate::suggest::quoted(&file.display().to_string())
        ))
        .into());
    }
    put_in_place(&voice, &dir)?;
    let mut out = crate::stdout::lock();
    writeln!(
        out,
        "Imported the voice \"{name}\" ({} takes{}) into {}.",
        voice.takes.len(),
        in_language(language),
        dir.display()
    )?;
    writeln!(
        out,
        "Play with it: {} play --voice {name}{}",
        crate::suggest::program(),
        crate::suggest::language_arg(language)
    )?;
    Ok(())
}

/// Writes the takes into `dir`, which has none: all of them beside it
/// first, then renamed into place (the folder whole, where there is no
/// folder yet; else take by take, next to what the folder holds).
fn put_in_place(voice: &VoiceFile, dir: &Path) -> anyhow::Result<()> {
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)
        .with_context(|| format!("{}: cannot make the voices folder", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{}.import-", voice.name))
        .tempdir_in(parent)
        .with_context(|| format!("{}: cannot write there", parent.display()))?;
    for (id, bytes) in &voice.takes {
        let path = staging.path().join(format!("{id}.wav"));
        std::fs::write(&path, bytes)
            .with_context(|| format!("{}: {}", path.display(), "cannot be written"))?;
    }
    let failed = |e: std::io::Error| {
        anyhow::anyhow!(
            "{}: the voice could not be put in place: {}",
            dir.display(),
            io_reason(&e)
        )
    };
    // An empty folder (made by hand, or left by a voice whose takes were
    // all removed) is taken over.
    let _ = std::fs::remove_dir(dir);
    if !dir.exists() {
        let kept = staging.keep();
        return std::fs::rename(&kept, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&kept);
            failed(e)
        });
    }
    // The voice's folder holds other languages' folders: the takes go in
    // beside them.
    for (id, _) in &voice.takes {
        let name = format!("{id}.wav");
        std::fs::rename(staging.path().join(&name), dir.join(&name)).map_err(failed)?;
    }
    Ok(())
}

fn language_name(tag: &str) -> String {
    soothe_core::session::language::name(tag).unwrap_or_else(|| tag.to_string())
}

/// ", in Español" for a language other than English.
fn in_language(tag: &str) -> String {
    if tag == soothe_core::session::language::ENGLISH {
        String::new()
    } else {
        format!(", in {}", language_name(tag))
    }
}

/// An ordinary file to read (never a FIFO, whose opening would wait).
fn open_file(path: &Path) -> Result<File, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if let Some(kind) = soothe_core::error::not_a_file(&meta) {
        return Err(format!("this is {kind}, not a voice file"));
    }
    File::open(path).map_err(|e| io_reason(&e))
}

/// Whether `dir` holds a take (or cannot be looked into).
fn has_takes(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok()
        && std::fs::read_dir(dir).map_or(true, |mut entries| {
            entries.any(|e| {
                e.map_or(true, |e| {
                    e.file_name().to_string_lossy().ends_with(".wav") && !e.path().is_dir()
                })
            })
        })
}

/// Writes a new file at `path` through a temporary file beside it, never
/// over one that is there (one made meanwhile is an error); returns its
/// size.
fn write_new(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> anyhow::Result<u64> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".soothe-voice-")
        .tempfile_in(&folder)
        .map_err(|e| anyhow::anyhow!("{}", io_reason(&e)))?;
    let mut out = BufWriter::new(temp.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    temp.as_file().sync_all()?;
    let size = temp.as_file().metadata()?.len();
    temp.persist_noclobber(path)
        .map_err(|e| anyhow::anyhow!("{}", io_reason(&e.error)))?;
    Ok(size)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
