//! `soothe log`: the latest sessions from the session log, as a table.

use std::io::Write;

use crate::session_log::{self, table};
use soothe_core::error::{io_reason, shown, InvalidInput};

/// Shows the latest `count` sessions (`None`: all), oldest first.
pub fn run(count: Option<usize>) -> anyhow::Result<()> {
    let Some(path) = session_log::path() else {
        anyhow::bail!("no home folder, so no session log (set HOME or XDG_STATE_HOME)");
    };
    let name = shown(&path.display().to_string()).into_owned();
    let mut out = crate::stdout::lock();
    let file = match session_log::open_to_read(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            writeln!(
                out,
                "No sessions yet: each `soothe play` adds a line to {name}."
            )?;
            return Ok(());
        }
        Err(err) if err.kind() == std::io::ErrorKind::InvalidInput => {
            return Err(InvalidInput(format!("{name}: cannot read the session log: {err}")).into())
        }
        Err(err) => anyhow::bail!("{name}: cannot read the session log: {}", io_reason(&err)),
    };
    let say_odd = |odd: &table::Odd| {
        for line in &odd.lines {
            crate::notes::note(format!("{name}:{line}: not a session line; left out"));
        }
        let more = odd.count - odd.lines.len() as u64;
        if more > 0 {
            crate::notes::note(format!(
                "{name}: {more} more {}; left out",
                if more == 1 {
                    "line is not a session line"
                } else {
                    "lines are not session lines"
                }
            ));
        }
    };
    let shown = match table::show(std::io::BufReader::new(file), count, &mut out, say_odd) {
        Ok(shown) => shown,
        Err(err @ table::ShowError::Read(_)) => anyhow::bail!("{name}: {err}"),
        Err(table::ShowError::Write(err)) => return Err(err.into()),
    };
    if shown.sessions + shown.earlier == 0 {
        writeln!(out, "No sessions yet in {name}.")?;
    } else if shown.earlier > 0 {
        writeln!(
            out,
            "({} earlier session{}: soothe log --all)",
            shown.earlier,
            if shown.earlier == 1 { "" } else { "s" }
        )?;
    }
    Ok(out.flush()?)
}
