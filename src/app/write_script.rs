//! `soothe script`: the built-in session's script on standard output, to
//! copy and change (`soothe script > my-session.ron`), for those who have
//! the binary and not the source; in another language than English, with
//! that language's words and its `language:`, so that it plays in it.

use std::io::Write;

pub fn run(language: &str) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    let source = soothe_core::session::language::builtin_source(language);
    out.write_all(source.as_bytes())?;
    out.flush()?;
    Ok(())
}
