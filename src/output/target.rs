//! Where a render goes, chosen so that it never harms what it writes over.
//!
//! - A regular file (or a new one) is written through a temporary file
//!   beside it, renamed over it only once complete: a failed or interrupted
//!   render leaves the old file as it was. A new file gets the mode the
//!   user's umask gives; a replaced one keeps its mode.
//! - A FIFO or a character device (a pipe, `/dev/null`) is written into,
//!   never replaced.
//! - A symlink is followed: its target is what is written (through a
//!   temporary file beside the target), and the link stays.
//! - A folder, a path in a folder that does not exist, anything else that
//!   is not a file, and the session's own inputs are refused before
//!   anything is rendered.
//! - The temporary file is removed on SIGINT, SIGTERM and SIGHUP; those a
//!   SIGKILL left behind are cleared by the next render in that folder.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::Patch;
use crate::error::{io_reason, InvalidInput};

/// How temporary files start; the process id follows.
const TEMP_PREFIX: &str = ".soothe-render-";
const TEMP_SUFFIX: &str = ".part";

/// A file the session reads: the script, or a voice's take.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub path: PathBuf,
    /// What it is, for messages: "the session's script".
    pub what: String,
}

/// An output path that passed the checks.
#[derive(Debug, Clone)]
pub struct Target {
    /// As the user gave it, for messages.
    pub shown: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Stdout,
    /// A FIFO or character device: written into.
    Stream(PathBuf),
    /// A regular file, new or replaced: `path` (a symlink's target) is
    /// replaced; `old` is what the file replaced had.
    File {
        path: PathBuf,
        old: Option<Owner>,
    },
}

/// The mode and owner of a file that a render replaces, which it keeps.
#[derive(Debug, Clone, Copy)]
struct Owner {
    mode: u32,
    uid: u32,
    gid: u32,
}

impl Target {
    /// Checks `path` (`-`: standard output) before anything is rendered.
    pub fn check(path: &Path, inputs: &[ReadFile]) -> Result<Target, InvalidInput> {
        let shown = path.display().to_string();
        if path.as_os_str() == "-" {
            if std::io::stdout().is_terminal() {
                return Err(InvalidInput(
                    "-o -: standard output is a terminal; send it to a file or a program (soothe render -o - --format mp3 > session.mp3)".into(),
                ));
            }
            return Ok(Target {
                shown: "standard output".into(),
                kind: Kind::Stdout,
            });
        }
        let refuse = |why: String| InvalidInput(format!("{shown}: {why}"));
        // The system follows every link (also /dev/stdout's, into /proc).
        let kind = match fs::metadata(path) {
            Ok(meta) => {
                let kind = meta.file_type();
                for input in inputs {
                    if let Ok(theirs) = fs::metadata(&input.path) {
                        if theirs.dev() == meta.dev() && theirs.ino() == meta.ino() {
                            return Err(refuse(format!(
                                "is {} ({}); render to another file",
                                input.what,
                                input.path.display()
                            )));
                        }
                    }
                }
                if kind.is_dir() {
                    return Err(refuse(
                        "is a folder; name a file in it, such as session.mp3".into(),
                    ));
                } else if kind.is_fifo() || kind.is_char_device() {
                    Kind::Stream(path.to_path_buf())
                } else if kind.is_file() {
                    Kind::File {
                        // The file itself, beside which the temporary file goes.
                        path: fs::canonicalize(path).map_err(|e| refuse(io_reason(&e)))?,
                        old: Some(Owner {
                            mode: meta.mode() & 0o7777,
                            uid: meta.uid(),
                            gid: meta.gid(),
                        }),
                    }
                } else {
                    return Err(refuse(
                        "is neither a file, a pipe nor a character device; soothe will not write over it"
                            .into(),
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new file, or one a dangling link names.
                let resolved = follow(path).map_err(|e| refuse(io_reason(&e)))?;
                let dir = folder(&resolved);
                match fs::metadata(dir) {
                    Ok(meta) if meta.is_dir() => {}
                    Ok(_) => return Err(refuse(format!("{} is not a folder", dir.display()))),
                    Err(_) => {
                        return Err(refuse(format!(
                            "there is no folder {}; create it first",
                            dir.display()
                        )))
                    }
                }
                Kind::File {
                    path: resolved,
                    old: None,
                }
            }
            Err(e) => return Err(refuse(io_reason(&e))),
        };
        Ok(Target { shown, kind })
    }

    /// Opens the output: for a file, a new temporary file beside it (after
    /// clearing those that interrupted renders left there).
    pub fn open(&self) -> std::io::Result<OpenOutput> {
        Ok(match &self.kind {
            Kind::Stdout => OpenOutput {
                writer: OutputWriter::Stdout(BufWriter::with_capacity(1 << 16, std::io::stdout())),
                temp: None,
                signals: None,
            },
            Kind::Stream(path) => OpenOutput {
                writer: OutputWriter::File(BufWriter::with_capacity(
                    1 << 16,
                    OpenOptions::new().write(true).open(path)?,
                )),
                temp: None,
                signals: None,
            },
            Kind::File { path, old } => {
                let dir = folder(path);
                clear_stale(dir);
                let temp = dir.join(format!("{TEMP_PREFIX}{}{TEMP_SUFFIX}", std::process::id()));
                // Ours, left by a process that had our id before us.
                let _ = fs::remove_file(&temp);
                // Signals are caught before the file exists, so that none
                // comes between its creation and the guard that removes it.
                let signals = Signals::catch()?;
                let file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o666) // less the umask
                    .open(&temp)?;
                let guard = TempFile {
                    path: temp,
                    target: path.clone(),
                };
                if let Some(old) = old {
                    file.set_permissions(fs::Permissions::from_mode(old.mode))?;
                    // Root writing over someone's file leaves it theirs; anyone
                    // else cannot give a file away, and keeps it as theirs.
                    let _ = std::os::unix::fs::fchown(&file, Some(old.uid), Some(old.gid));
                }
                OpenOutput {
                    writer: OutputWriter::File(BufWriter::with_capacity(1 << 16, file)),
                    temp: Some(guard),
                    signals: Some(signals),
                }
            }
        })
    }
}

/// An open output.
pub struct OpenOutput {
    pub writer: OutputWriter,
    temp: Option<TempFile>,
    signals: Option<Signals>,
}

/// Where the bytes go.
pub enum OutputWriter {
    Stdout(BufWriter<std::io::Stdout>),
    File(BufWriter<File>),
}

impl Write for OutputWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            OutputWriter::Stdout(w) => w.write(buf),
            OutputWriter::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            OutputWriter::Stdout(w) => w.write_all(buf),
            OutputWriter::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            OutputWriter::Stdout(w) => w.flush(),
            OutputWriter::File(w) => w.flush(),
        }
    }
}

impl OpenOutput {
    /// Whether the start of the output can be rewritten at the end (a
    /// temporary file): see [`super::Encoder::finish`].
    pub fn rewritable(&self) -> bool {
        self.temp.is_some()
    }

    /// Set when SIGINT, SIGTERM or SIGHUP arrives while a temporary file
    /// is being written (never set otherwise: those signals then end the
    /// process as usual).
    pub fn interrupted(&self) -> Arc<AtomicBool> {
        self.signals
            .as_ref()
            .map_or_else(|| Arc::new(AtomicBool::new(false)), |s| s.caught.clone())
    }

    /// Applies `patches`, and puts a temporary file in place of the target.
    pub fn commit(self, patches: &[Patch]) -> std::io::Result<()> {
        let OpenOutput {
            writer,
            temp,
            signals,
        } = self;
        match writer {
            OutputWriter::Stdout(mut w) => w.flush()?,
            OutputWriter::File(w) => {
                let mut file = w.into_inner().map_err(|e| e.into_error())?;
                if let Some(temp) = temp {
                    for patch in patches {
                        file.seek(SeekFrom::Start(patch.offset))?;
                        file.write_all(&patch.bytes)?;
                    }
                    file.sync_all()?;
                    drop(file);
                    fs::rename(&temp.path, &temp.target)?;
                    std::mem::forget(temp);
                }
            }
        }
        drop(signals);
        Ok(())
    }
}

/// A temporary file, removed unless renamed into place.
struct TempFile {
    path: PathBuf,
    target: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// SIGINT, SIGTERM and SIGHUP, caught into a flag while it lives.
struct Signals {
    caught: Arc<AtomicBool>,
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    fn catch() -> std::io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            ids.push(signal_hook::flag::register(signal, caught.clone())?);
        }
        Ok(Signals { caught, ids })
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// The folder a file is in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `path` with its last component's symlinks followed (a dangling link
/// gives the path it points to).
fn follow(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Removes the temporary files of renders that are no longer running
/// (killed with SIGKILL, or a machine that lost power).
fn clear_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        if !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        // Ours: `.soothe-render-PID.part`; older soothes' had no process id.
        let pid: Option<i32> = rest.strip_suffix(TEMP_SUFFIX).and_then(|p| p.parse().ok());
        let running = pid.is_some_and(|pid| pid != std::process::id() as i32 && alive(pid));
        if !running && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs.
fn alive(pid: i32) -> bool {
    // SAFETY: kill with signal 0 sends nothing; it only checks the id.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
