//! Key presses from the terminal, read from stdin in raw mode.
//!
//! A thread blocks on stdin and hands the bytes over; [`parse`] turns them
//! into [`Key`]s. When the terminal goes away (its window closed, an SSH
//! connection dropped), stdin ends and the reader says so, so the session
//! can end instead of waiting on a terminal that is gone. (crossterm's own
//! event reader spins forever on a closed terminal.)

use std::io::Read;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A key, as far as soothe tells keys apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed as it is (space included).
    Char(char),
    /// A letter with Ctrl held (Ctrl-C is `Ctrl('c')`).
    Ctrl(char),
    Left,
    Right,
    Up,
    Down,
    PageUp,
    PageDown,
    Esc,
    Enter,
    /// Anything else: function keys, Alt combinations, Backspace...
    Other,
}

/// An escape sequence not complete after this long is a press of Esc
/// (terminals send a whole sequence at once).
pub const ESC_WAIT: Duration = Duration::from_millis(30);

/// The keys in `bytes`, and how many bytes they used. Without `flush`, an
/// escape sequence or a character cut short at the end is left for the
/// next bytes; with it, a lone ESC is the Esc key and a cut sequence is
/// dropped.
pub fn parse(bytes: &[u8], flush: bool) -> (Vec<Key>, usize) {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (key, len) = match one(&bytes[i..]) {
            Some(parsed) => parsed,
            None if flush => match bytes[i] {
                0x1b => (Key::Esc, bytes.len() - i),
                _ => (Key::Other, bytes.len() - i),
            },
            None => break,
        };
        keys.push(key);
        i += len;
    }
    (keys, i)
}

/// The key at the start of `bytes` and its length; `None` when `bytes`
/// stops in the middle of it.
fn one(bytes: &[u8]) -> Option<(Key, usize)> {
    let first = *bytes.first()?;
    Some(match first {
        0x1b => match bytes.get(1)? {
            b'[' => {
                // CSI: parameters, then a final byte in 0x40..=0x7e.
                let end = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b))? + 2;
                let key = match (&bytes[2..end], bytes[end]) {
                    (_, b'A') => Key::Up,
                    (_, b'B') => Key::Down,
                    (_, b'C') => Key::Right,
                    (_, b'D') => Key::Left,
                    (b"5", b'~') => Key::PageUp,
                    (b"6", b'~') => Key::PageDown,
                    _ => Key::Other,
                };
                (key, end + 1)
            }
            b'O' => {
                // SS3: the cursor keys in "application" mode.
                let key = match bytes.get(2)? {
                    b'A' => Key::Up,
                    b'B' => Key::Down,
                    b'C' => Key::Right,
                    b'D' => Key::Left,
                    _ => Key::Other,
                };
                (key, 3)
            }
            // Two presses of Esc.
            0x1b => (Key::Esc, 1),
            // Alt with a key.
            _ => (Key::Other, 2),
        },
        b'\r' | b'\n' => (Key::Enter, 1),
        0x01..=0x1a => (Key::Ctrl(char::from(b'a' + first - 1)), 1),
        0x20..=0x7e => (Key::Char(char::from(first)), 1),
        0x80.. => {
            let len = match first {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            let sequence = bytes.get(..len)?;
            match std::str::from_utf8(sequence)
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) => (Key::Char(c), len),
                None => (Key::Other, 1),
            }
        }
        _ => (Key::Other, 1),
    })
}

/// Why no more keys will come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gone;

/// Reads keys from stdin on a thread of its own.
pub struct KeyReader {
    bytes: Receiver<Option<Vec<u8>>>,
    /// Bytes of a key not complete yet, and since when.
    pending: Vec<u8>,
    pending_since: Option<Instant>,
    gone: bool,
}

impl KeyReader {
    /// Starts reading stdin (which should be a terminal in raw mode). The
    /// thread stays blocked on stdin until the process ends.
    pub fn start() -> KeyReader {
        let (sender, bytes) = mpsc::channel();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buffer = [0u8; 256];
            loop {
                match stdin.read(&mut buffer) {
                    Ok(n) if n > 0 => {
                        if sender.send(Some(buffer[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                    // The end of stdin, or an error (EIO: the terminal hung up).
                    _ => {
                        let _ = sender.send(None);
                        return;
                    }
                }
            }
        });
        KeyReader {
            bytes,
            pending: Vec::new(),
            pending_since: None,
            gone: false,
        }
    }

    /// Waits up to `timeout` for keys; returns as soon as there are some.
    /// `Err(Gone)` once stdin has ended: the terminal is gone.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<Key>, Gone> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.gone {
                return Err(Gone);
            }
            // An unfinished escape sequence waits at most ESC_WAIT.
            let flush_at = self.pending_since.map(|since| since + ESC_WAIT);
            let until = flush_at.map_or(deadline, |at| at.min(deadline));
            match self
                .bytes
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(Some(bytes)) => self.pending.extend_from_slice(&bytes),
                Ok(None) | Err(RecvTimeoutError::Disconnected) => self.gone = true,
                Err(RecvTimeoutError::Timeout) => {}
            }
            let flush = self.gone || flush_at.is_some_and(|at| Instant::now() >= at);
            let (keys, used) = parse(&self.pending, flush);
            self.pending.drain(..used);
            self.pending_since = match (self.pending.is_empty(), self.pending_since) {
                (true, _) => None,
                (false, Some(since)) if used == 0 => Some(since),
                (false, _) => Some(Instant::now()),
            };
            if !keys.is_empty() {
                return Ok(keys);
            }
            if Instant::now() >= deadline {
                return if self.gone { Err(Gone) } else { Ok(Vec::new()) };
            }
        }
    }
}
