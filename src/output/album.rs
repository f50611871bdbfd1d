//! `render --split DIR`: an album (a file per step and a playlist) put in
//! place whole or not at all, as one file is (see [`super::target`]).
//!
//! Each file is written to a temporary file beside its place first, kept
//! open and locked; only once all are written are they renamed into place,
//! the tracks in order and the playlist last, so that a reader sees a mix
//! of two albums only for as long as the renames take. A render that fails
//! or is interrupted before that leaves the folder as it was (and removes
//! the folder if it made it).
//!
//! The tracks an older render left in the folder that this one does not
//! have (other steps, other options, another format) are removed once the
//! new ones are in place, so that a player that plays the folder plays
//! this album only. soothe knows its own tracks by their names (`NN
//! title.ext`) and their tags (artist soothe, a track number): nothing
//! else in the folder is touched, nor a link.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::split::PLAYLIST;
use super::tags::is_soothe_track;
use super::target::{Finished, ReadFile, Signals, Target};
use super::Format;
use soothe_core::error::{io_reason, InvalidInput};

/// Why an album was not written, or not all of it.
#[derive(Debug, thiserror::Error)]
pub enum AlbumError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("{0}")]
    Failed(String),
}

impl AlbumError {
    /// Whether the user can fix it in what they asked for.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, AlbumError::Invalid(_))
    }
}

/// An album being written into a folder.
pub struct Album {
    dir: PathBuf,
    /// The folder as the user gave it, for messages.
    shown: String,
    /// The folder was made by this render, and goes if it fails.
    created: bool,
    /// Each track's file name and target, in order.
    tracks: Vec<(String, Target)>,
    playlist: Target,
    /// The tracks written so far, then the playlist.
    staged: Vec<Finished>,
    signals: Signals,
    placed: bool,
}

/// What [`Album::place`] did besides putting the album in place.
#[derive(Debug, Default)]
pub struct Placed {
    /// The older album's tracks it removed.
    pub removed: Vec<String>,
}

impl Album {
    /// Checks the folder `dir` (making it if it is not there, in a folder
    /// that is) and a file in it for each of `names` and the playlist,
    /// before anything is rendered. From here on SIGINT, SIGTERM and SIGHUP
    /// no longer end the process: see [`Album::interrupted`].
    pub fn prepare(
        dir: &Path,
        names: Vec<String>,
        inputs: &[ReadFile],
    ) -> Result<Album, AlbumError> {
        let shown_dir = dir.display().to_string();
        let signals = Signals::catch()
            .map_err(|e| AlbumError::Failed(format!("{shown_dir}: {}", io_reason(&e))))?;
        let created = make_folder(dir)?;
        let mut album = Album {
            dir: dir.to_path_buf(),
            shown: shown_dir,
            created,
            tracks: Vec::new(),
            playlist: Target::check(&dir.join(PLAYLIST), inputs)?,
            staged: Vec::new(),
            signals,
            placed: false,
        };
        for name in names {
            let target = Target::check(&dir.join(&name), inputs)?;
            album.tracks.push((name, target));
        }
        Ok(album)
    }

    /// Each track's file name and where it goes, in order.
    pub fn tracks(&self) -> &[(String, Target)] {
        &self.tracks
    }

    /// Set when SIGINT, SIGTERM or SIGHUP arrived.
    pub fn interrupted(&self) -> Arc<AtomicBool> {
        self.signals.caught()
    }

    /// Keeps the next track, written out, until [`Album::place`].
    pub fn stage(&mut self, track: Finished) {
        self.staged.push(track);
    }

    /// The error for a render interrupted before the album was placed.
    pub fn interrupted_error(&self) -> AlbumError {
        AlbumError::Failed(format!(
            "{}: render interrupted; nothing was written",
            self.shown
        ))
    }

    /// The error for `why`, a file of the album that could not be written:
    /// the older album, if any, is as it was.
    pub fn not_written(&self, why: impl std::fmt::Display) -> AlbumError {
        AlbumError::Failed(if self.created {
            format!("{why}; nothing was written")
        } else {
            format!("{why}; nothing in {} was changed", self.shown)
        })
    }

    /// Writes the playlist `text`, beside its place like the tracks.
    pub fn stage_playlist(&mut self, text: &str) -> Result<(), AlbumError> {
        let fail = |e: std::io::Error| {
            self.not_written(format!(
                "{}: cannot write: {}",
                self.playlist.shown,
                io_reason(&e)
            ))
        };
        let mut out = self.playlist.open().map_err(fail)?;
        out.writer.write_all(text.as_bytes()).map_err(fail)?;
        let finished = out.finish(&[]).map_err(fail)?;
        self.staged.push(finished);
        Ok(())
    }

    /// Renames every track into place, removes the older album's tracks
    /// that this one does not have, then renames the playlist into place.
    pub fn place(mut self) -> Result<Placed, AlbumError> {
        if self.signals.caught().load(Ordering::SeqCst) {
            return Err(self.interrupted_error());
        }
        let count = self.tracks.len();
        let mut staged = std::mem::take(&mut self.staged).into_iter();
        for (done, track) in staged.by_ref().take(count).enumerate() {
            if let Err(e) = track.place() {
                self.placed = done > 0;
                let why = format!(
                    "{}: cannot put {} in place: {}",
                    self.shown,
                    self.tracks[done].0,
                    io_reason(&e)
                );
                return Err(if done == 0 {
                    self.not_written(why)
                } else {
                    AlbumError::Failed(format!(
                        "{why}; the first {done} of its {count} tracks are the new album's, the rest and {PLAYLIST} the older one's"
                    ))
                });
            }
        }
        self.placed = true;
        let (removed, kept) = self.remove_older_tracks();
        if let Some(playlist) = staged.next() {
            playlist.place().map_err(|e| {
                AlbumError::Failed(format!(
                    "{}: cannot put {PLAYLIST} in place: {}; the tracks are the new album's, but the playlist is the older one",
                    self.shown,
                    io_reason(&e)
                ))
            })?;
        }
        match kept.first() {
            None => Ok(Placed { removed }),
            Some((name, why)) => Err(AlbumError::Failed(format!(
                "{}: the album is written, but the older album's {} is still there: cannot remove it: {why}",
                self.shown, name
            ))),
        }
    }

    /// Removes the tracks of an older album that this one does not have.
    /// Returns those removed, and those that could not be (and why).
    fn remove_older_tracks(&self) -> (Vec<String>, Vec<(String, String)>) {
        let ours: HashSet<&str> = self.tracks.iter().map(|(name, _)| name.as_str()).collect();
        // The same files under other names (a file system that ignores case).
        let same: HashSet<(u64, u64)> = self
            .tracks
            .iter()
            .filter_map(|(name, _)| fs::symlink_metadata(self.dir.join(name)).ok())
            .map(|m| (m.dev(), m.ino()))
            .collect();
        let mut older: Vec<String> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let meta = entry.metadata().ok()?;
                (is_track_name(&name)
                    && !ours.contains(name.as_str())
                    && !same.contains(&(meta.dev(), meta.ino()))
                    && is_soothe_track(&entry.path()))
                .then_some(name)
            })
            .collect();
        older.sort();
        let (mut removed, mut kept) = (Vec::new(), Vec::new());
        for name in older {
            match fs::remove_file(self.dir.join(&name)) {
                Ok(()) => removed.push(name),
                Err(e) => kept.push((name, io_reason(&e))),
            }
        }
        (removed, kept)
    }
}

impl Drop for Album {
    /// An album not placed: its temporary files go, and the folder if this
    /// render made it (and it is empty).
    fn drop(&mut self) {
        self.staged.clear();
        if self.created && !self.placed {
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// Checks that `dir` is a folder, or makes it in a folder that is there.
/// Answers whether it made it.
fn make_folder(dir: &Path) -> Result<bool, AlbumError> {
    let shown_dir = dir.display();
    let invalid = |why: String| AlbumError::Invalid(InvalidInput(format!("{shown_dir}: {why}")));
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(false),
        Ok(_) => {
            return Err(invalid(
                "is not a folder; --split writes a file per step into a folder".into(),
            ))
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(invalid(io_reason(&e))),
        Err(_) => {}
    }
    if let Ok(to) = fs::read_link(dir) {
        return Err(invalid(format!(
            "is a symbolic link to {}, where there is nothing; create that folder first, or give --split another folder",
            to.display()
        )));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(invalid(format!(
            "there is no folder {}; create it first",
            parent.display()
        )));
    }
    fs::create_dir(dir).map_err(|e| {
        AlbumError::Failed(format!("{shown_dir}: cannot create: {}", io_reason(&e)))
    })?;
    Ok(true)
}

/// Whether `name` has the form of a track's: at least two digits, a space,
/// a title, and the extension of a format soothe writes.
fn is_track_name(name: &str) -> bool {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    digits >= 2
        && stem.len() > digits + 1
        && stem.as_bytes()[digits] == b' '
        && Format::from_name(extension, None).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_a_tracks_form_are_looked_at() {
        assert!(is_track_name("04 Head.mp3"));
        assert!(is_track_name("012 Legs.FLAC"));
        assert!(is_track_name("05 How is your baby-.wav"));
        assert!(!is_track_name("4 Head.mp3"));
        assert!(!is_track_name("04Head.mp3"));
        assert!(!is_track_name("04 .mp3"));
        assert!(!is_track_name("04 Head.ogg"));
        assert!(!is_track_name("session.m3u8"));
        assert!(!is_track_name("notes.txt"));
    }
}
