//! Standard output for what the commands print: a write that fails says
//! where, as "standard output: No space left on device", rather than a
//! bare reason that names nothing. A pipe closed early (`| head`) keeps
//! its kind, so `main` still lets it pass quietly.

use std::io::{self, Write};

/// Standard output, locked, its failures named.
pub struct Stdout(io::StdoutLock<'static>);

/// Standard output, locked for the caller.
pub fn lock() -> Stdout {
    Stdout(io::stdout().lock())
}

/// `err` as a failure to write standard output.
pub fn failed(err: &io::Error) -> io::Error {
    io::Error::new(
        err.kind(),
        format!("standard output: {}", soothe_core::error::io_reason(err)),
    )
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(|e| failed(&e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(|e| failed(&e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(|e| failed(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_named_as_standard_output_and_keeps_its_kind() {
        let full = io::Error::from_raw_os_error(libc::ENOSPC);
        let named = failed(&full);
        assert_eq!(
            named.to_string(),
            "standard output: No space left on device"
        );
        assert_eq!(named.kind(), io::ErrorKind::StorageFull);
        let closed = failed(&io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(closed.kind(), io::ErrorKind::BrokenPipe);
    }
}
