//! Saving a take so that nothing is ever lost.
//!
//! The new take is written beside its target under a hidden temporary
//! name, flushed to the disk, and only then renamed over `<id>.wav`. Just
//! before that, the take it replaces is linked (or copied) to
//! `<id>.prev.wav`: one step of undo. A rename is atomic, so at every
//! moment `<id>.wav` is one whole take, the old or the new: Ctrl-C, kill
//! -9, a full disk or a power cut can cost the new take, never the old.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use soothe_core::error::io_reason;
use soothe_core::sound::audio::Mono;
use soothe_core::sound::voice::{is_part, part_prefix, prev_path, take_path, PART_SUFFIX};

/// A take on the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    /// Where the take it replaced now is, if there was one.
    pub previous: Option<PathBuf>,
    /// Its length in samples.
    pub samples: u64,
}

/// Why a take was not saved; every message names the take and says that
/// any earlier take is unharmed. I/O errors are kept, shown without
/// Rust's "(os error N)".
#[derive(Debug, thiserror::Error)]
pub enum TakeError {
    /// Making the folder, or writing, flushing or renaming the new take.
    #[error("{path}: cannot save the take: {} (any earlier take is unharmed)", io_reason(.error))]
    Io { path: String, error: std::io::Error },
    /// The take it replaces could not be kept as `<id>.prev.wav`.
    #[error(
        "{path}: cannot save the take: cannot keep the earlier take: {} (any earlier take is unharmed)",
        io_reason(.error)
    )]
    KeepPrevious { path: String, error: std::io::Error },
    /// The new take, written, does not read back as a whole WAV file.
    #[error("{path}: cannot save the take: the new take does not read back whole: {error} (any earlier take is unharmed)")]
    ReadBack {
        path: String,
        error: soothe_core::sound::audio::DecodeError,
    },
}

/// Saves `audio` as the take of prompt `id` in the voice folder `dir`
/// (created if need be), as mono 16-bit PCM, marked with the `words` it
/// was spoken for (see [`soothe_core::sound::words`]).
pub fn save(dir: &Path, id: &str, audio: &Mono, words: &str) -> Result<Saved, TakeError> {
    save_with(dir, id, |file| {
        let samples = soothe_core::encode::wav::write_mono(BufWriter::new(&mut *file), audio)
            .map_err(|e| match e {
                hound::Error::IoError(io) => io,
                other => std::io::Error::other(other.to_string()),
            })?;
        soothe_core::sound::words::append(file, words)?;
        Ok(samples)
    })
}

/// Saves whatever `write` puts in the file as the take of `id`.
fn save_with(
    dir: &Path,
    id: &str,
    write: impl FnOnce(&mut File) -> std::io::Result<u64>,
) -> Result<Saved, TakeError> {
    let target = take_path(dir, id);
    let shown = || target.display().to_string();
    let io = |error| TakeError::Io {
        path: shown(),
        error,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let prefix = part_prefix(id);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(PART_SUFFIX);
    // A take is an ordinary file (0666 less the umask), not a private
    // temporary one.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    let samples = write(temp.as_file_mut()).map_err(io)?;
    temp.as_file_mut().flush().map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    // Only a take that reads back whole may push the current one to
    // `.prev.wav`: a bad one must never cost the last good take.
    let check = File::open(temp.path())
        .map_err(soothe_core::sound::audio::DecodeError::from)
        .and_then(|file| soothe_core::sound::wav::wav_header(std::io::BufReader::new(file)));
    if let Err(error) = check {
        return Err(TakeError::ReadBack {
            path: shown(),
            error,
        });
    }

    let previous = if target.exists() {
        let prev = prev_path(dir, id);
        keep_previous(&target, &prev, dir, id).map_err(|error| TakeError::KeepPrevious {
            path: shown(),
            error,
        })?;
        Some(prev)
    } else {
        None
    };
    temp.persist(&target).map_err(|e| io(e.error))?;
    sync_dir(dir);
    Ok(Saved {
        path: target,
        previous,
        samples,
    })
}

/// Makes `prev` a copy of `target` without ever leaving a partial `prev`:
/// a hard link (or a flushed copy) under a temporary name, renamed.
fn keep_previous(target: &Path, prev: &Path, dir: &Path, id: &str) -> std::io::Result<()> {
    let staging = dir.join(format!("{}prev{PART_SUFFIX}", part_prefix(id)));
    match fs::remove_file(&staging) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    if fs::hard_link(target, &staging).is_err() {
        fs::copy(target, &staging)?;
        File::open(&staging)?.sync_all()?;
    }
    fs::rename(&staging, prev)
}

/// Makes the renames durable (where directories can be opened).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Removes temporary files that an interrupted save left in `dir` more
/// than an hour ago (a younger one may belong to a save in progress).
pub fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_part(&name) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(value: f32) -> Mono {
        Mono {
            rate: 48_000,
            samples: vec![value; 4_800],
        }
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_take_replaces_the_old_which_is_kept_as_prev() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("voices/mum");
        let first = save(&dir, "feet", &take(0.25), "feet").unwrap();
        assert_eq!(first.path, dir.join("feet.wav"));
        assert_eq!(first.previous, None);
        assert_eq!(first.samples, 4_800);
        let first_bytes = fs::read(&first.path).unwrap();

        let second = save(&dir, "feet", &take(-0.5), "feet").unwrap();
        assert_eq!(second.previous, Some(dir.join("feet.prev.wav")));
        assert_eq!(fs::read(dir.join("feet.prev.wav")).unwrap(), first_bytes);
        let back = soothe_core::sound::wav::read_wav(File::open(&second.path).unwrap()).unwrap();
        assert_eq!(back.samples, vec![-0.5; 4_800]);
        assert_eq!(files(&dir), ["feet.prev.wav", "feet.wav"]);

        // Takes are ordinary files, like any the parent creates.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            File::create(dir.join("ordinary")).unwrap();
            assert_eq!(mode(&second.path), mode(&dir.join("ordinary")));
            fs::remove_file(dir.join("ordinary")).unwrap();
        }

        // One step of undo: a third take makes the second the previous one.
        let second_bytes = fs::read(&second.path).unwrap();
        save(&dir, "feet", &take(0.1), "feet").unwrap();
        assert_eq!(fs::read(dir.join("feet.prev.wav")).unwrap(), second_bytes);
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_take_and_no_litter() {
        let dir = tempfile::tempdir().unwrap();
        let old = save(dir.path(), "feet", &take(0.25), "feet").unwrap();
        let old_bytes = fs::read(&old.path).unwrap();
        let err = save_with(dir.path(), "feet", |file| {
            file.write_all(b"RIFF\0\0\0\0WAVEfmt half a header")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        })
        .unwrap_err();
        assert!(err.to_string().contains("No space left on device"), "{err}");
        assert!(err.to_string().contains("feet.wav"), "{err}");
        assert_eq!(fs::read(&old.path).unwrap(), old_bytes);
        assert_eq!(
            files(dir.path()),
            ["feet.wav"],
            "no temporary file, no prev"
        );
    }

    #[test]
    fn a_take_that_does_not_read_back_whole_leaves_the_old_take_and_its_prev() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), "feet", &take(0.25), "feet").unwrap();
        save(dir.path(), "feet", &take(0.5), "feet").unwrap();
        let good = fs::read(dir.path().join("feet.wav")).unwrap();
        let prev = fs::read(dir.path().join("feet.prev.wav")).unwrap();
        for _ in 0..2 {
            let err = save_with(dir.path(), "feet", |file| {
                // A header promising far more sound than follows.
                let mut bytes = fs::read(dir.path().join("feet.wav")).unwrap();
                bytes.truncate(200);
                file.write_all(&bytes)?;
                Ok(0)
            })
            .unwrap_err();
            assert!(
                err.to_string().contains("does not read back whole"),
                "{err}"
            );
        }
        assert_eq!(fs::read(dir.path().join("feet.wav")).unwrap(), good);
        assert_eq!(fs::read(dir.path().join("feet.prev.wav")).unwrap(), prev);
    }

    #[test]
    fn only_old_temporary_files_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".feet.abc123.wav.part");
        let young = dir.path().join(".legs.def456.wav.part");
        fs::write(&old, b"half").unwrap();
        fs::write(&young, b"half").unwrap();
        fs::write(dir.path().join("feet.wav"), b"a take").unwrap();
        let hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hours_ago)
            .unwrap();
        remove_stale_parts(dir.path());
        assert_eq!(files(dir.path()), [".legs.def456.wav.part", "feet.wav"]);
    }

    /// What `main` prints: the error and every source under it.
    fn printed(err: TakeError) -> String {
        format!("{:#}", anyhow::Error::from(err))
    }

    #[test]
    fn a_full_disk_keeps_its_io_error_and_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let err = save_with(dir.path(), "feet", |_| {
            Err(std::io::Error::from_raw_os_error(28))
        })
        .unwrap_err();
        match &err {
            TakeError::Io { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
            }
            other => panic!("not Io: {other:?}"),
        }
        let words = format!(
            "{}: cannot save the take: No space left on device (any earlier take is unharmed)",
            dir.path().join("feet.wav").display()
        );
        assert_eq!(err.to_string(), words);
        assert_eq!(printed(err), words);
    }

    #[test]
    fn an_earlier_take_that_cannot_be_kept_keeps_its_io_error_and_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let old = save(dir.path(), "feet", &take(0.25), "feet").unwrap();
        let old_bytes = fs::read(&old.path).unwrap();
        // A folder where the earlier take would be kept.
        fs::create_dir(dir.path().join("feet.prev.wav")).unwrap();
        let err = save(dir.path(), "feet", &take(0.5), "feet").unwrap_err();
        match &err {
            TakeError::KeepPrevious { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::IsADirectory);
            }
            other => panic!("not KeepPrevious: {other:?}"),
        }
        assert_eq!(
            printed(err),
            format!(
                "{}: cannot save the take: cannot keep the earlier take: Is a directory \
                 (any earlier take is unharmed)",
                old.path.display()
            )
        );
        assert_eq!(fs::read(&old.path).unwrap(), old_bytes);
    }

    #[test]
    fn a_take_that_does_not_read_back_keeps_the_reason_it_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let err = save_with(dir.path(), "feet", |file| {
            file.write_all(b"RIFF\0\0\0\0WAVE")?;
            Ok(0)
        })
        .unwrap_err();
        assert!(matches!(err, TakeError::ReadBack { .. }), "{err:?}");
        let words = err.to_string();
        assert!(
            words.starts_with(&format!(
                "{}: cannot save the take: the new take does not read back whole: ",
                dir.path().join("feet.wav").display()
            )),
            "{words}"
        );
        assert!(
            words.ends_with(" (any earlier take is unharmed)"),
            "{words}"
        );
        assert_eq!(printed(err), words);
    }
}
