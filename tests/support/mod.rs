//! What the integration tests share. Each module is one fixture:
//! [`cli`] runs the binary; [`session`] is the small session of the
//! real-time tests, [`pulse`] the PulseAudio server they play through
//! ([`pipewire`] the PipeWire one, [`server`] either), [`tmux`] the parent's terminal,
//! [`bus`] the D-Bus session bus of the media keys (and of WirePlumber),
//! [`process`] signals, and [`audio`] lines
//! a capture up with the render. [`record`] and [`render`] measure takes
//! and read back rendered files; [`source`] pulls the built-in session
//! from the session source in process. [`skip`] is how a test that cannot
//! run here says so (and fails under CI).

#[cfg(feature = "device")]
pub mod audio;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod bus;
pub mod cli;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod pipewire;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod process;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod pulse;
pub mod record;
pub mod render;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod server;
#[cfg(feature = "device")]
pub mod session;
pub mod skip;
pub mod source;
#[cfg(all(feature = "device", target_os = "linux"))]
pub mod tmux;

use std::path::Path;

/// Skips the test when a tool it needs is missing, naming the package
/// that gives it; with `CI` set, fails it instead (see [`skip`]). `.ci/run`
/// installs them all, so CI runs every test.
#[macro_export]
macro_rules! require {
    ($($tool:expr),+ $(,)?) => {
        let missing = $crate::support::missing(&[$($tool),+]);
        if !missing.is_empty() {
            let needs: Vec<_> = missing.iter().map(|tool| $crate::support::skip::need_of(tool)).collect();
            $crate::support::skip::skipped(&format!("{} not installed here", missing.join(", ")), &needs);
            return;
        }
    };
}

/// Which of `tools` cannot be found: programs on PATH, `alsa-pulse` for
/// alsa-lib's PulseAudio plugin, or `alsa-pipewire` for PipeWire's ALSA
/// plugin (see [`pipewire::alsa_plugin`]).
pub fn missing(tools: &[&str]) -> Vec<String> {
    tools
        .iter()
        .filter(|tool| match **tool {
            "alsa-pulse" => !alsa_pulse_plugin(),
            #[cfg(all(feature = "device", target_os = "linux"))]
            "alsa-pipewire" => pipewire::alsa_plugin().is_none(),
            program => !on_path(program),
        })
        .map(|tool| tool.to_string())
        .collect()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn alsa_pulse_plugin() -> bool {
    [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/usr/lib",
    ]
    .iter()
    .any(|lib| {
        Path::new(lib)
            .join("alsa-lib/libasound_module_pcm_pulse.so")
            .is_file()
    })
}

/// Held by each real-time test, so that they run one at a time: on two
/// cores, several sessions, PulseAudio servers and recorders at once would
/// make the sound drop out.
#[cfg(all(feature = "device", target_os = "linux"))]
pub fn realtime() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
