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
//!   A temporary file has a random name and is locked (`flock`) while its
//!   render holds it open: a file that no one holds locked is one a killed
//!   render left. (A process id would not tell: another PID namespace, a
//!   container or another machine sharing the folder has other ones.)

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use soothe_core::encode::Patch;
use soothe_core::error::{io_reason, InvalidInput};

/// How temporary files start; a random part follows.
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
                // Signals are caught before the file exists, so that none
                // comes between its creation and the guard that removes it.
                let signals = Signals::catch()?;
                let (temp, file) = create_temp(dir)?;
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

    /// Applies `patches` and writes everything out, but leaves a temporary
    /// file where it is (still locked, still removed if dropped) until
    /// [`Finished::place`] puts it in place of the target: an album puts
    /// all its files in place at once.
    pub fn finish(self, patches: &[Patch]) -> std::io::Result<Finished> {
        let OpenOutput {
            writer,
            temp,
            signals,
        } = self;
        let file = match writer {
            OutputWriter::Stdout(mut w) => {
                w.flush()?;
                None
            }
            OutputWriter::File(w) => {
                let mut file = w.into_inner().map_err(|e| e.into_error())?;
                if temp.is_some() {
                    for patch in patches {
                        file.seek(SeekFrom::Start(patch.offset))?;
                        file.write_all(&patch.bytes)?;
                    }
                    file.sync_all()?;
                }
                Some(file)
            }
        };
        Ok(Finished {
            file,
            temp,
            signals,
        })
    }
}

/// An output written out whole, not yet in place.
pub struct Finished {
    /// Kept open until renamed: its lock tells the file is in use.
    file: Option<File>,
    temp: Option<TempFile>,
    signals: Option<Signals>,
}

impl Finished {
    /// Renames a temporary file over its target (nothing to do for a
    /// stream).
    pub fn place(self) -> std::io::Result<()> {
        let Finished {
            file,
            temp,
            signals,
        } = self;
        if let Some(temp) = temp {
            fs::rename(&temp.path, &temp.target)?;
            std::mem::forget(temp);
        }
        // Unlocked only now that its name is the target's.
        drop(file);
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

/// SIGINT, SIGTERM and SIGHUP, caught into a flag while it lives (they
/// then no longer end the process).
pub struct Signals {
    caught: Arc<AtomicBool>,
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    pub fn catch() -> std::io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            ids.push(signal_hook::flag::register(signal, caught.clone())?);
        }
        Ok(Signals { caught, ids })
    }

    /// Set once one of the signals arrived.
    pub fn caught(&self) -> Arc<AtomicBool> {
        self.caught.clone()
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

/// Creates a temporary file in `dir` under a new random name, locked for
/// as long as it is open.
fn create_temp(dir: &Path) -> std::io::Result<(PathBuf, File)> {
    for _ in 0..100 {
        let path = dir.join(format!("{TEMP_PREFIX}{:016x}{TEMP_SUFFIX}", random()));
        let file = match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666) // less the umask
            .open(&path)
        {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            result => result?,
        };
        // Between its creation and this lock, another render may have taken
        // it for a killed render's and removed it: then a new name. (On a
        // file system without locks, no render removes it either.)
        if !matches!(lock(&file), Lock::Taken) && same_file(&path, &file) {
            return Ok((path, file));
        }
    }
    Err(std::io::Error::other(
        "cannot make a temporary file there: each one disappeared",
    ))
}

/// 64 random bits: std's hasher keys come from the system's randomness.
fn random() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::process::id())
}

/// What `flock` said.
enum Lock {
    /// Ours now, until the file is closed.
    Held,
    /// Another open file holds it.
    Taken,
    /// The file system cannot tell.
    Unsupported,
}

/// Locks `file` (an exclusive `flock`) if no one else has.
fn lock(file: &File) -> Lock {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this function borrows; it changes only
    // the lock, which is released when the file is closed.
    let answer = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if answer == 0 {
        Lock::Held
    } else if std::io::Error::last_os_error().raw_os_error() == Some(libc::EWOULDBLOCK) {
        Lock::Taken
    } else {
        Lock::Unsupported
    }
}

/// Whether `path` still names the open `file`.
fn same_file(path: &Path, file: &File) -> bool {
    match (fs::symlink_metadata(path), file.metadata()) {
        (Ok(named), Ok(open)) => named.dev() == open.dev() && named.ino() == open.ino(),
        _ => false,
    }
}

/// Removes the temporary files of renders that are no longer running
/// (killed with SIGKILL, or a machine that lost power): those no one holds
/// locked. Those of older soothes (`.soothe-render-PID.part`, and
/// tempfile's random names) held no lock: they go too.
fn clear_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        // Not a link, a FIFO or a folder of that name: only files.
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let open = |write: bool| {
            OpenOptions::new()
                .read(true)
                .write(write)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&path)
        };
        // Some file systems (NFS) lock only what is open for writing.
        let Ok(file) = open(true).or_else(|_| open(false)) else {
            continue;
        };
        // Removed while locked, so that no render can take it meanwhile.
        if matches!(lock(&file), Lock::Held) && same_file(&path, &file) {
            let _ = fs::remove_file(&path);
        }
    }
}
