//! The parent's answers while recording, one key each, no Enter.
//!
//! On a terminal, stdin is put in raw mode (as `soothe play` does, see
//! [`crate::terminal::screen`]) and restored on every way out, signals
//! included. Otherwise (a pipe, a file: tests and scripts) stdin is read a
//! byte at a time, and a newline that ends a line of input after a key is
//! not taken for a second key, so `printf 'rk'` and `printf 'r\nk\n'`
//! answer the same.

use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::terminal::input::{self, Key, KeyReader};
use crate::terminal::screen::TerminalGuard;
use crate::terminal::signals::Signals;

/// How often a wait for a key looks at the signals.
const POLL: Duration = Duration::from_millis(50);

/// A key, or a request to stop everything (Ctrl-C, q, Esc, SIGTERM,
/// SIGHUP, the terminal closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Key(Key),
    Quit,
}

/// Keys from the terminal or from piped input.
pub struct Keys {
    source: Source,
    /// Keys read and not yet used.
    queued: VecDeque<Press>,
    /// No more keys will come.
    ended: bool,
}

enum Source {
    Terminal {
        reader: KeyReader,
        signals: Option<Signals>,
        _raw: TerminalGuard,
    },
    Piped(Receiver<Key>),
}

impl Keys {
    /// Single keys from the terminal on stdin: raw mode until dropped.
    pub fn terminal() -> std::io::Result<Keys> {
        let signals = Signals::register()?;
        let raw = match TerminalGuard::enter(true, false) {
            Ok(raw) => raw,
            Err(err) => {
                signals.unregister();
                return Err(err);
            }
        };
        Ok(Keys {
            source: Source::Terminal {
                reader: KeyReader::start(),
                signals: Some(signals),
                _raw: raw,
            },
            queued: VecDeque::new(),
            ended: false,
        })
    }

    /// Keys from a stdin that is not a terminal, a byte at a time.
    pub fn piped() -> Keys {
        let (sender, keys) = mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut stdin = std::io::stdin().lock();
            let mut previous: Option<u8> = None;
            let mut byte = [0u8; 1];
            loop {
                match stdin.read(&mut byte) {
                    Ok(1) => {}
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    _ => return,
                }
                let b = byte[0];
                let ends_line = match b {
                    b'\n' => previous.is_some_and(|p| p != b'\n'),
                    b'\r' => previous.is_some_and(|p| p != b'\n' && p != b'\r'),
                    _ => false,
                };
                previous = Some(b);
                if ends_line {
                    continue;
                }
                let (keys, _) = input::parse(&[b], true);
                for key in keys {
                    if sender.send(key).is_err() {
                        return;
                    }
                }
            }
        });
        Keys {
            source: Source::Piped(keys),
            queued: VecDeque::new(),
            ended: false,
        }
    }

    /// Whether the keys come from a terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self.source, Source::Terminal { .. })
    }

    /// Reads what has come, waiting up to `wait`.
    fn fill(&mut self, wait: Duration) {
        if self.ended {
            return;
        }
        match &mut self.source {
            Source::Terminal {
                reader, signals, ..
            } => {
                if signals.as_ref().is_some_and(Signals::caught) {
                    self.queued.push_back(Press::Quit);
                    return;
                }
                match reader.wait(wait) {
                    Ok(keys) => self.queued.extend(keys.into_iter().map(|key| match key {
                        Key::Ctrl('c') | Key::Ctrl('d') | Key::Esc => Press::Quit,
                        key => Press::Key(key),
                    })),
                    Err(input::Gone) => {
                        self.ended = true;
                        // Nobody is there to answer: stop.
                        self.queued.push_back(Press::Quit);
                    }
                }
            }
            Source::Piped(keys) => match keys.recv_timeout(wait) {
                Ok(key) => {
                    self.queued.push_back(Press::Key(key));
                    while let Ok(key) = keys.try_recv() {
                        self.queued.push_back(Press::Key(key));
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            },
        }
    }

    /// A key pressed since the last look, without waiting (on a
    /// terminal only: piped keys are answers, kept for [`Keys::next`]).
    pub fn pressed(&mut self) -> Option<Press> {
        if !self.is_terminal() {
            return None;
        }
        self.fill(Duration::ZERO);
        self.queued.pop_front()
    }

    /// Forgets keys pressed before now (on a terminal: typed ahead while
    /// a take was played back, say). Piped answers are all kept.
    pub fn drain(&mut self) {
        if self.is_terminal() {
            self.fill(Duration::ZERO);
            self.queued.retain(|p| *p == Press::Quit);
        }
    }

    /// The next key, waiting for it; `None` when no more will come.
    pub fn next(&mut self) -> Option<Press> {
        loop {
            if let Some(press) = self.queued.pop_front() {
                return Some(press);
            }
            if self.ended {
                return None;
            }
            self.fill(POLL);
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if let Source::Terminal { signals, .. } = &mut self.source {
            if let Some(signals) = signals.take() {
                signals.unregister();
            }
        }
    }
}
