//! `soothe listen`: what the microphone hears, and whether soothe would take
//! it for crying, so that a parent can find a good place for the laptop
//! before a session. Nothing heard is stored or sent.

/// What `soothe listen` is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct ListenCheck {
    /// The microphone (`--input`); the default input when `None`.
    pub input: Option<String>,
    /// Stop after this many seconds of sound; `None`: until Ctrl-C.
    pub seconds: Option<f64>,
    /// Recordings to hear instead of the microphone (`--file`).
    pub files: Vec<std::path::PathBuf>,
    /// How readily a sound is taken for crying (`--sensitivity`).
    pub sensitivity: soothe_core::listen::Sensitivity,
}

/// What a parent is told of what was heard.
#[cfg_attr(not(feature = "device"), allow(dead_code))]
fn verdict(hearing: soothe_core::listen::Hearing) -> &'static str {
    use soothe_core::listen::Hearing;
    match hearing {
        Hearing::Crying => "I can hear crying",
        Hearing::Fussing => "I can hear fussing, not crying yet",
        Hearing::Quiet => "I can't hear crying",
    }
}

pub fn run(check: &ListenCheck) -> anyhow::Result<()> {
    if check.files.is_empty() {
        listen(check)
    } else {
        super::listen_file::run(&check.files, check.sensitivity)
    }
}

#[cfg(feature = "device")]
fn listen(check: &ListenCheck) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    use soothe_core::listen::{Hearing, Watch, POLL};
    use soothe_core::take::recording::SoundInput;

    let mut mic = crate::record::capture::open(check.input.as_deref())?;
    // As `play --listen` hears, with nothing playing.
    let rate = mic.rate();
    let mut watch = Watch::new(rate, rate, check.sensitivity);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let terminal = std::io::stdout().is_terminal();
    let mut out = crate::stdout::lock();
    writeln!(out, "{}", opening(check))?;
    let mut heard = Vec::new();
    let mut last: Option<Hearing> = None;
    let mut cried = false;
    let enough = |watch: &Watch| {
        check
            .seconds
            .is_some_and(|seconds| watch.listener().seconds() >= seconds)
    };
    // A read may bring seconds at once (a busy machine): it is heard in
    // pieces as long as a poll's, so that each change is told when it
    // came, and listening ends when asked.
    let piece = soothe_core::listen::poll_samples(rate);
    while !stop.load(Ordering::Relaxed) && !enough(&watch) {
        heard.clear();
        if mic.read(&mut heard, POLL)? == 0 {
            continue;
        }
        let mut hearing = watch.listener().hearing();
        for chunk in heard.chunks(piece) {
            hearing = watch.hear(chunk, |_| {});
            // Where `play --listen` would hold the session.
            cried |= watch.take_cry();
            if !terminal && last != Some(hearing) {
                let at = watch.listener().seconds();
                writeln!(out, "[{at:5.1} s] {}", verdict(hearing))?;
            }
            last = Some(hearing);
            if enough(&watch) {
                break;
            }
        }
        if terminal {
            let level = watch.listener().level_db();
            write!(
                out,
                "\r\x1b[2K  {}  {}",
                soothe_core::take::meter::line(f64::from(level)),
                verdict(hearing)
            )?;
            out.flush()?;
        }
    }
    if terminal {
        writeln!(out)?;
    }
    writeln!(out, "{}", closing(cried, check.sensitivity))?;
    Ok(())
}

/// What `soothe listen` says first: where it listens, how readily, for
/// how long.
#[cfg_attr(not(feature = "device"), allow(dead_code))]
fn opening(check: &ListenCheck) -> String {
    format!(
        "Listening{}{}: let soothe hear your baby from where you will massage them{}. Nothing is recorded.",
        check
            .input
            .as_deref()
            .map(|name| format!(" through {}", soothe_core::error::shown(name)))
            .unwrap_or_default(),
        chosen(check.sensitivity)
            .map(|level| format!(" at {level} sensitivity"))
            .unwrap_or_default(),
        match check.seconds {
            Some(seconds) => format!(" ({} s)", soothe_core::error::number(seconds)),
            None => ", and press Ctrl-C when done".to_string(),
        }
    )
}

/// What `soothe listen` says last: whether `play --listen` would have held
/// the session, and what to try when it would not.
#[cfg_attr(not(feature = "device"), allow(dead_code))]
fn closing(cried: bool, sensitivity: soothe_core::listen::Sensitivity) -> String {
    if cried {
        format!(
            "Crying was heard from there: `soothe play --listen{}` will hear it too.",
            chosen(sensitivity)
                .map(|level| format!(" --sensitivity {level}"))
                .unwrap_or_default()
        )
    } else {
        "No crying was heard. If your baby cried, bring the laptop closer, turn the microphone up, or choose another with --input (soothe devices lists them).".to_string()
    }
}

/// The sensitivity's word, when it is not the default (which goes unsaid).
#[cfg_attr(not(feature = "device"), allow(dead_code))]
fn chosen(sensitivity: soothe_core::listen::Sensitivity) -> Option<&'static str> {
    (sensitivity != soothe_core::listen::Sensitivity::default()).then(|| sensitivity.word())
}

#[cfg(not(feature = "device"))]
fn listen(_check: &ListenCheck) -> anyhow::Result<()> {
    anyhow::bail!(
        "this soothe was built without audio devices (the `device` feature), so it cannot listen"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::listen::Hearing;

    #[test]
    fn the_first_line_says_where_how_readily_and_how_long() {
        use soothe_core::listen::Sensitivity;
        let mut check = ListenCheck {
            input: None,
            seconds: Some(6.0),
            files: Vec::new(),
            sensitivity: Sensitivity::default(),
        };
        assert_eq!(
            opening(&check),
            "Listening: let soothe hear your baby from where you will massage them (6 s). Nothing is recorded."
        );
        check.input = Some("USB mic".into());
        check.seconds = None;
        check.sensitivity = Sensitivity::Low;
        assert_eq!(
            opening(&check),
            "Listening through USB mic at low sensitivity: let soothe hear your baby from where you will massage them, and press Ctrl-C when done. Nothing is recorded."
        );
    }

    #[test]
    fn the_last_line_names_the_flag_play_needs_or_what_to_try() {
        use soothe_core::listen::Sensitivity;
        assert_eq!(
            closing(true, Sensitivity::default()),
            "Crying was heard from there: `soothe play --listen` will hear it too."
        );
        assert_eq!(
            closing(true, Sensitivity::High),
            "Crying was heard from there: `soothe play --listen --sensitivity high` will hear it too."
        );
        assert!(closing(false, Sensitivity::Low)
            .starts_with("No crying was heard. If your baby cried,"));
    }

    #[test]
    fn each_verdict_says_what_was_heard() {
        assert_eq!(verdict(Hearing::Crying), "I can hear crying");
        assert_eq!(verdict(Hearing::Quiet), "I can't hear crying");
        assert!(verdict(Hearing::Fussing).contains("not crying yet"));
    }
}
