//! The sound devices ALSA knows (through cpal): microphones and outputs,
//! the defaults marked, for `soothe devices`; and finding the microphone
//! `--input NAME` names.
//!
//! alsa-lib prints its own complaints ("ALSA lib ...") while devices are
//! looked for and opened; they are kept off the terminal here, and soothe
//! says what matters once.

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::cpal::{self, DeviceDirection};

/// The name ALSA gives the system's default device.
pub const DEFAULT_ID: &str = "default";

/// One device as `soothe devices` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// What `--input` takes: ALSA's name for the device.
    pub id: String,
    /// What it is, in words (its description's first line).
    pub name: String,
    /// The system's default for this direction.
    pub default: bool,
}

/// Every input and output, defaults first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Devices {
    pub inputs: Vec<Listed>,
    pub outputs: Vec<Listed>,
}

/// ALSA's names for the channels of surround sets and the mixers behind
/// the default (with any `:CARD=...` after them): real devices, but never
/// what a parent means.
const NOT_SHOWN: [&str; 9] = [
    "null",
    "front",
    "rear",
    "center_lfe",
    "side",
    "surround",
    "iec958",
    "dmix",
    "dsnoop",
];

/// Converters and effects that alsa-lib's plugin package names as if they
/// were devices (Debian's libasound2-plugins): nothing to record from.
const PLUGINS: [&str; 12] = [
    "lavrate",
    "samplerate",
    "speexrate",
    "speex",
    "upmix",
    "vdownmix",
    "a52",
    "dcaenc",
    "jack",
    "oss",
    "usb_stream",
    "arcam_av",
];

fn shown(id: &str) -> bool {
    let base = id.split(':').next().unwrap_or(id);
    !NOT_SHOWN.iter().any(|hidden| base.starts_with(hidden))
        && !PLUGINS
            .iter()
            .any(|plugin| base == *plugin || base.starts_with(&format!("{plugin}_")))
}

/// How long a look at whether the default device opens may take. Some
/// never answer (a capture device reading a pipe no one writes to): those
/// are listed all the same.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Looks the devices up. The default is listed when it can be opened in
/// that direction (ALSA names it only when its configuration says so).
pub fn list() -> Devices {
    list_with(true)
}

/// As [`list`], with the default listed without a look at whether it
/// opens (for `--input`: opening it will tell).
pub fn list_unprobed() -> Devices {
    list_with(false)
}

/// As [`list`]; without `probe`, the default is listed without a look at
/// whether it opens (opening it will tell).
fn list_with(probe: bool) -> Devices {
    let _quiet = alsa_quiet();
    let host = cpal::default_host();
    let mut devices = Devices::default();
    let enumerated: Vec<cpal::Device> = host.devices().map(Iterator::collect).unwrap_or_default();
    for device in &enumerated {
        let Some(listed) = describe(device) else {
            continue;
        };
        if !shown(&listed.id) {
            continue;
        }
        let direction = device
            .description()
            .map(|d| d.direction())
            .unwrap_or(DeviceDirection::Unknown);
        let (input, output) = match direction {
            DeviceDirection::Input => (true, false),
            DeviceDirection::Output => (false, true),
            _ => (true, true),
        };
        if input {
            devices.inputs.push(listed.clone());
        }
        if output {
            devices.outputs.push(listed);
        }
    }
    for (list, default, input) in [
        (&mut devices.inputs, host.default_input_device(), true),
        (&mut devices.outputs, host.default_output_device(), false),
    ] {
        let Some(default) = default else { continue };
        let Some(mut listed) = describe(&default) else {
            continue;
        };
        listed.default = true;
        match list.iter().position(|l| l.id == listed.id) {
            Some(at) => {
                let mut found = list.remove(at);
                found.default = true;
                list.insert(0, found);
            }
            None if !probe || opens(input) => list.insert(0, listed),
            None => {}
        }
    }
    devices
}

/// Whether the default device opens for input (or output), within
/// [`PROBE_TIMEOUT`]; one that does not answer is given the benefit of
/// the doubt.
fn opens(input: bool) -> bool {
    let (sender, answer) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("soothe-probe".into())
        .spawn(move || {
            let _quiet = alsa_quiet();
            let host = cpal::default_host();
            let opens = if input {
                host.default_input_device()
                    .is_some_and(|d| d.supported_input_configs().is_ok())
            } else {
                host.default_output_device()
                    .is_some_and(|d| d.supported_output_configs().is_ok())
            };
            let _ = sender.send(opens);
        });
    spawned.is_ok() && answer.recv_timeout(PROBE_TIMEOUT).unwrap_or(true)
}

fn describe(device: &cpal::Device) -> Option<Listed> {
    let id = device.id().ok()?.id().to_string();
    let name = device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| id.clone());
    Some(Listed {
        id,
        name,
        default: false,
    })
}

/// Why `--input NAME` names no microphone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    #[error("--input {wanted:?}: there is no such microphone; {}", known(.inputs))]
    Unknown { wanted: String, inputs: Vec<String> },
    #[error("--input {wanted:?} could be any of {}; give one of these names", .matches.join(", "))]
    Ambiguous {
        wanted: String,
        matches: Vec<String>,
    },
}

fn known(inputs: &[String]) -> String {
    if inputs.is_empty() {
        "no microphone was found at all (`soothe devices` lists the devices)".to_string()
    } else {
        format!(
            "the microphones: {} (`soothe devices` lists them)",
            inputs.join(", ")
        )
    }
}

/// Which of `inputs` `wanted` names: its exact ALSA name, else its
/// description (any case), else the one whose name or description
/// contains `wanted`.
pub fn find<'a>(inputs: &'a [Listed], wanted: &str) -> Result<&'a Listed, FindError> {
    if let Some(exact) = inputs.iter().find(|l| l.id == wanted) {
        return Ok(exact);
    }
    let lower = wanted.to_lowercase();
    if let Some(named) = inputs.iter().find(|l| l.name.to_lowercase() == lower) {
        return Ok(named);
    }
    let partial: Vec<&Listed> = inputs
        .iter()
        .filter(|l| l.id.to_lowercase().contains(&lower) || l.name.to_lowercase().contains(&lower))
        .collect();
    match partial.as_slice() {
        [one] => Ok(one),
        [] => Err(FindError::Unknown {
            wanted: wanted.to_string(),
            inputs: inputs.iter().map(|l| l.id.clone()).collect(),
        }),
        many => Err(FindError::Ambiguous {
            wanted: wanted.to_string(),
            matches: many.iter().map(|l| l.id.clone()).collect(),
        }),
    }
}

/// The cpal device of the input named `id` (as [`find`] gave it).
pub(crate) fn input_device(id: &str) -> Option<cpal::Device> {
    let host = cpal::default_host();
    if id == DEFAULT_ID {
        return host.default_input_device();
    }
    host.devices()
        .ok()?
        .find(|d| d.id().is_ok_and(|d| d.id() == id))
}

/// Sends alsa-lib's messages on this thread to a buffer of their own
/// instead of the terminal.
#[cfg(target_os = "linux")]
pub(crate) fn alsa_quiet() -> Option<impl Sized> {
    alsa::Output::local_error_handler().ok()
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn alsa_quiet() -> Option<()> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, name: &str) -> Listed {
        Listed {
            id: id.into(),
            name: name.into(),
            default: false,
        }
    }

    #[test]
    fn an_input_is_found_by_its_name_its_words_or_a_part_of_them() {
        let inputs = [
            listed("default", "Default Audio Device"),
            listed("hw:CARD=USB,DEV=0", "Blue Yeti, USB Audio"),
            listed("pulse", "PulseAudio Sound Server"),
        ];
        assert_eq!(find(&inputs, "pulse").unwrap().id, "pulse");
        assert_eq!(
            find(&inputs, "blue yeti, usb audio").unwrap().id,
            "hw:CARD=USB,DEV=0"
        );
        assert_eq!(find(&inputs, "yeti").unwrap().id, "hw:CARD=USB,DEV=0");
        assert_eq!(
            find(&inputs, "kitchen").unwrap_err().to_string(),
            "--input \"kitchen\": there is no such microphone; the microphones: default, hw:CARD=USB,DEV=0, pulse (`soothe devices` lists them)"
        );
        assert_eq!(
            find(&inputs, "au").unwrap_err().to_string(),
            "--input \"au\" could be any of default, hw:CARD=USB,DEV=0, pulse; give one of these names"
        );
        assert_eq!(
            find(&[], "yeti").unwrap_err().to_string(),
            "--input \"yeti\": there is no such microphone; no microphone was found at all (`soothe devices` lists the devices)"
        );
    }

    #[test]
    fn surround_channels_and_mixers_are_not_listed() {
        assert!(shown("default"));
        assert!(shown("hw:CARD=USB,DEV=0"));
        assert!(shown("pulse"));
        assert!(!shown("surround51:CARD=PCH,DEV=0"));
        assert!(!shown("dsnoop:CARD=PCH,DEV=0"));
        assert!(!shown("null"));
        assert!(!shown("speexrate_best"));
        assert!(!shown("upmix"));
    }
}
