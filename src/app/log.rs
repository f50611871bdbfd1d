//! `soothe log`: the latest sessions from the session log, as a table.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::session_log;

/// Shows the latest `count` sessions (`None`: all), oldest first.
pub fn run(count: Option<usize>) -> anyhow::Result<()> {
    let Some(path) = session_log::path() else {
        anyhow::bail!("no home folder, so no session log (set HOME or XDG_STATE_HOME)");
    };
    let mut out = crate::stdout::lock();
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            writeln!(
                out,
                "No sessions yet: each `soothe play` adds a line to {}.",
                path.display()
            )?;
            return Ok(());
        }
        Err(err) => anyhow::bail!(
            "{}: cannot read the session log: {}",
            path.display(),
            crate::error::io_reason(&err)
        ),
    };
    let mut rows = Vec::new();
    // Lines that are not soothe's: their number, and how many sessions
    // came before them.
    let mut odd = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line == session_log::HEADER {
            continue;
        }
        match session_log::parse_line(line) {
            Some(fields) => rows.push(fields),
            None if index == 0 => {}
            None => odd.push((index + 1, rows.len())),
        }
    }
    if rows.is_empty() {
        writeln!(out, "No sessions yet in {}.", path.display())?;
        return Ok(());
    }
    let shown = count.map_or(0, |n| rows.len().saturating_sub(n));
    // Said only among the sessions shown: an old mishap is not repeated.
    for (line, _) in odd
        .iter()
        .filter(|(_, before)| shown == 0 || *before > shown)
    {
        crate::notes::note(format!(
            "{}:{line}: not a session line; left out",
            path.display()
        ));
    }
    let mut table = vec![[
        "When", "Script", "Variant", "Options", "Voice", "Heard", "How far",
    ]
    .map(String::from)];
    for fields in &rows[shown..] {
        let script = if fields[2] == session_log::BUILTIN {
            fields[2].clone()
        } else {
            // The file's name is enough to tell a parent's scripts apart.
            std::path::Path::new(&fields[2])
                .file_name()
                .map_or(fields[2].clone(), |name| {
                    name.to_string_lossy().into_owned()
                })
        };
        let dash = |text: &str| {
            if text.is_empty() {
                "-".to_string()
            } else {
                text.to_string()
            }
        };
        table.push([
            format!("{} {}", fields[0], fields[1]),
            script,
            fields[3].clone(),
            dash(&fields[4]),
            fields[5].clone(),
            fields[7].clone(),
            fields[6].clone(),
        ]);
    }
    let mut widths = [0usize; 7];
    for row in &table {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        writeln!(out, "{}", crate::error::shown(&line))?;
    }
    if shown > 0 {
        writeln!(
            out,
            "({} earlier session{}: soothe log --all)",
            shown,
            if shown == 1 { "" } else { "s" }
        )?;
    }
    Ok(out.flush()?)
}
