//! `soothe script`: the built-in session's script on standard output, to
//! copy and change (`soothe script > my-session.ron`), for those who have
//! the binary and not the source.

use std::io::Write;

use soothe_core::session::script::BUILTIN_SOURCE;

pub fn run() -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    out.write_all(BUILTIN_SOURCE.as_bytes())?;
    out.flush()?;
    Ok(())
}
