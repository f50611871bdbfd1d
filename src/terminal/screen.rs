//! The terminal while a session plays: raw mode for single key presses,
//! the alternate screen for the live view, and their undoing on every way
//! out: a normal end, q, Ctrl-C, a signal, an error or a panic.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, DisableLineWrap, EnableLineWrap, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{execute, queue};

const RAW: u8 = 1;
const SCREEN: u8 = 2;

/// What has been changed on the terminal and must be undone.
static CHANGED: AtomicU8 = AtomicU8::new(0);
static PANIC_HOOK: Once = Once::new();

/// Holds the terminal in the state a session needs; restores it when
/// dropped (and, through a panic hook, when anything panics).
#[derive(Debug)]
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// `raw`: single key presses from stdin, no echo. `screen`: the
    /// alternate screen on stdout, without a cursor.
    pub fn enter(raw: bool, screen: bool) -> io::Result<TerminalGuard> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        });
        // Made first, so that a failure half-way still undoes the rest.
        let guard = TerminalGuard { _private: () };
        if raw {
            CHANGED.fetch_or(RAW, Ordering::SeqCst);
            enable_raw_mode()?;
            keep_output_processing();
        }
        if screen {
            CHANGED.fetch_or(SCREEN, Ordering::SeqCst);
            execute!(io::stdout(), EnterAlternateScreen, DisableLineWrap, Hide)?;
        }
        Ok(guard)
    }

    /// Whether the live screen is still up. A panic on another thread
    /// restores the terminal at once; the session then has to end.
    pub fn screen_is_up(&self) -> bool {
        CHANGED.load(Ordering::SeqCst) & SCREEN != 0
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Turns output processing back on after crossterm's raw mode cleared it
/// (cfmakeraw clears OPOST). Raw mode is for reading single keys; without
/// OPOST a newline no longer returns the carriage, and lines written
/// through a pipe (`soothe play | tee log`, whose tee writes to this same
/// terminal) or to stderr step down the screen in a diagonal staircase.
/// The live view moves the cursor itself and is not affected.
#[cfg(unix)]
fn keep_output_processing() {
    use std::os::fd::AsRawFd;
    // crossterm put the terminal on stdin into raw mode (raw mode is only
    // asked for when stdin is a terminal).
    let fd = io::stdin().as_raw_fd();
    // SAFETY: termios is plain data, filled in by tcgetattr on an open fd.
    unsafe {
        let mut termios: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut termios) == 0 && termios.c_oflag & libc::OPOST == 0 {
            termios.c_oflag |= libc::OPOST;
            libc::tcsetattr(fd, libc::TCSANOW, &termios);
        }
    }
}

#[cfg(not(unix))]
fn keep_output_processing() {}

/// Undoes whatever [`TerminalGuard::enter`] changed; does nothing the
/// second time. Errors are ignored: the terminal may be gone.
pub fn restore() {
    let changed = CHANGED.swap(0, Ordering::SeqCst);
    if changed & SCREEN != 0 {
        let mut out = io::stdout();
        let _ = queue!(out, Show, EnableLineWrap, LeaveAlternateScreen);
        let _ = out.flush();
    }
    if changed & RAW != 0 {
        let _ = disable_raw_mode();
    }
}
