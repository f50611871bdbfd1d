//! `soothe devices`: the microphones and outputs, the defaults marked, and
//! the names `record --input` takes.

#[cfg(feature = "device")]
pub fn run() -> anyhow::Result<()> {
    use std::io::Write;

    use crate::record::devices::{self, Listed};

    let found = devices::list();
    if found.inputs.is_empty() && found.outputs.is_empty() {
        let soothe = crate::suggest::program();
        anyhow::bail!(
            "no audio device was found: ALSA knows of no microphone and no output. Check that a sound card, headset or USB microphone is connected (on a desktop, that the sound server is running). Without one, `{soothe} render -o session.mp3` makes a file to play on your phone, and memos recorded on a phone come in with: {soothe} record --voice NAME --import-dir DIR"
        );
    }
    let width = found
        .inputs
        .iter()
        .chain(&found.outputs)
        .map(|l| l.id.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = crate::stdout::lock();
    let mut section = |title: &str, list: &[Listed]| -> std::io::Result<()> {
        if list.is_empty() {
            return writeln!(out, "{title}: none found");
        }
        writeln!(out, "{title}:")?;
        for listed in list {
            let mark = if listed.default { '*' } else { ' ' };
            let name = if listed.name == listed.id {
                String::new()
            } else {
                listed.name.clone()
            };
            let line = format!("  {mark} {:<width$}  {name}", listed.id);
            writeln!(out, "{}", soothe_core::error::shown(line.trim_end()))?;
        }
        Ok(())
    };
    section("Microphones (soothe record --input NAME)", &found.inputs)?;
    section("Outputs", &found.outputs)?;
    if found.inputs.iter().chain(&found.outputs).any(|l| l.default) {
        writeln!(out, "* the system's default")?;
    }
    Ok(())
}

#[cfg(not(feature = "device"))]
pub fn run() -> anyhow::Result<()> {
    anyhow::bail!(
        "this soothe was built without audio devices (the `device` feature), so it has none to list; it can still render sessions to files: {} render -o session.mp3",
        crate::suggest::program()
    )
}
