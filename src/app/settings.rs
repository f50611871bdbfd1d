//! `soothe settings`: where the settings file is, and the settings in
//! force (the file's, soothe's own defaults for what it leaves out); with
//! `--example`, a file to start from.

use std::io::Write;

use crate::settings::{self, Settings, EXAMPLE};
use crate::suggest::quoted;
use soothe_core::listen::Sensitivity;

pub fn run(example: bool) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    if example {
        out.write_all(EXAMPLE.as_bytes())?;
        return Ok(out.flush()?);
    }
    let Some(path) = settings::path() else {
        writeln!(
            out,
            "No settings file: there is no home folder to keep one in (set HOME or XDG_CONFIG_HOME)."
        )?;
        return Ok(());
    };
    let loaded = settings::load_from(&path)?;
    let file = loaded
        .as_ref()
        .map(|l| l.settings.clone())
        .unwrap_or_default();
    let script_path = loaded.as_ref().and_then(|l| l.script());
    let language = super::LanguagePick {
        asked: None,
        preferred: loaded
            .as_ref()
            .and_then(|l| l.language())
            .or_else(system_language)
            .unwrap_or(soothe_core::session::language::ENGLISH),
    };
    let script = super::load_script(script_path.as_deref(), &language)?;
    if let Some(loaded) = &loaded {
        let name = match &script_path {
            Some(path) => path.display().to_string(),
            None => "the built-in session".to_string(),
        };
        loaded.check_names(&script, &name, true, true)?;
    }

    match &loaded {
        Some(_) => writeln!(out, "Settings file: {}\n", path.display())?,
        None => writeln!(
            out,
            "No settings file at {}: soothe's own defaults are in force.\n",
            path.display()
        )?,
    }
    // What the file leaves out is marked, when there is a file.
    let rows = rows(file, script_path.as_deref(), &script, loaded.is_some());
    for (name, value) in rows {
        writeln!(out, "{name:<11} {}", soothe_core::error::shown(&value))?;
    }
    writeln!(
        out,
        "\nA flag on the command line wins over the file (--voice, --variant, --with, --voice-gain, --chime-gain, --language, SCRIPT)."
    )?;
    if loaded.is_none() {
        let dir = path.parent().unwrap_or(&path);
        writeln!(
            out,
            "To keep your own, write that file; one to start from, every line explained:\n  mkdir -p {} && soothe settings --example > {}",
            quoted(&dir.display().to_string()),
            quoted(&path.display().to_string())
        )?;
    }
    Ok(out.flush()?)
}

/// Each setting in force and its value, `(default)` after those the file
/// leaves out when there is a file (`marked`).
fn rows(
    file: Settings,
    script_path: Option<&std::path::Path>,
    script: &soothe_core::session::script::Script,
    marked: bool,
) -> [(&'static str, String); 9] {
    let shown = |value: Option<String>, default: String| match value {
        Some(value) => value,
        None if marked => format!("{default} (default)"),
        None => default,
    };
    let Settings {
        voice,
        variant,
        options,
        voice_gain,
        chime_gain,
        listening,
        sensitivity,
        script: _,
        language,
    } = file;
    let system = match system_language() {
        Some(tag) => format!("{tag}, the system's"),
        None => soothe_core::session::language::ENGLISH.to_string(),
    };
    let db = |db: f64| format!("{} dB", soothe_core::error::number(db));
    let options = options.map(|o| {
        if o.is_empty() {
            "none".to_string()
        } else {
            o.join(", ")
        }
    });
    [
        (
            "script",
            shown(
                script_path.map(|p| p.display().to_string()),
                "the built-in session".into(),
            ),
        ),
        ("language", shown(language, system)),
        ("voice", shown(voice, "guide".into())),
        ("variant", shown(variant, script.variants[0].name.clone())),
        ("options", shown(options, "none".into())),
        ("voice gain", shown(voice_gain.map(db), db(0.0))),
        ("chime gain", shown(chime_gain.map(db), db(0.0))),
        ("listening", shown(listening.map(on_off), on_off(false))),
        (
            "sensitivity",
            shown(
                sensitivity.map(|s| Sensitivity::parse(&s).map_or(s, |s| s.to_string())),
                Sensitivity::default().to_string(),
            ),
        ),
    ]
}

/// The language of the system's locale, when soothe speaks it.
fn system_language() -> Option<&'static str> {
    soothe_core::session::language::from_environment(|name| std::env::var(name).ok())
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}
