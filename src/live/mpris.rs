//! Media keys and headset buttons: soothe as an MPRIS player on the D-Bus
//! session bus (through souvlaki). Play/pause, next, previous and stop do
//! what the keys do, and the current step is the track title.

use std::sync::mpsc::{self, Receiver};

use souvlaki::{MediaControlEvent, MediaControls, MediaMetadata, MediaPlayback, PlatformConfig};

use super::actions::Action;

/// The bus name is `org.mpris.MediaPlayer2.soothe`.
pub const BUS_NAME: &str = "soothe";

/// The action of a media-control request, if soothe has one for it.
pub fn action_for_event(event: &MediaControlEvent) -> Option<Action> {
    Some(match event {
        MediaControlEvent::Toggle => Action::TogglePause,
        MediaControlEvent::Play => Action::Resume,
        MediaControlEvent::Pause => Action::Pause,
        MediaControlEvent::Next => Action::Next,
        MediaControlEvent::Previous => Action::Back,
        MediaControlEvent::Stop | MediaControlEvent::Quit => Action::Quit,
        _ => return None,
    })
}

/// soothe's MPRIS player, while a session plays.
pub struct MediaKeys {
    controls: MediaControls,
    events: Receiver<MediaControlEvent>,
    /// The step and pause state last published.
    shown: Option<(usize, bool)>,
}

impl MediaKeys {
    /// Registers on the session bus. The error says why there are no
    /// media keys (usually: no session bus).
    pub fn start() -> Result<MediaKeys, String> {
        // souvlaki's zbus backend connects on a thread of its own and
        // panics there when it cannot: find out first, and say why.
        session_bus_reachable()?;
        let mut controls = MediaControls::new(PlatformConfig {
            display_name: "soothe",
            dbus_name: BUS_NAME,
            hwnd: None,
        })
        .map_err(|e| reason(&e))?;
        let (sender, events) = mpsc::channel();
        controls
            .attach(move |event| {
                // The receiver only goes away as the session ends.
                let _ = sender.send(event);
            })
            .map_err(|e| reason(&e))?;
        Ok(MediaKeys {
            controls,
            events,
            shown: None,
        })
    }

    /// The actions asked for since the last call.
    pub fn actions(&self) -> Vec<Action> {
        self.events
            .try_iter()
            .filter_map(|event| action_for_event(&event))
            .collect()
    }

    /// Publishes the current step as the track, and whether it is paused.
    /// Only changes are sent.
    pub fn show(&mut self, step: usize, title: &str, album: &str, paused: bool) {
        if self.shown == Some((step, paused)) {
            return;
        }
        if self.shown.map(|(s, _)| s) != Some(step) {
            let _ = self.controls.set_metadata(MediaMetadata {
                title: Some(title),
                album: Some(album),
                artist: Some("soothe"),
                ..MediaMetadata::default()
            });
        }
        let playback = if paused {
            MediaPlayback::Paused { progress: None }
        } else {
            MediaPlayback::Playing { progress: None }
        };
        let _ = self.controls.set_playback(playback);
        self.shown = Some((step, paused));
    }

    /// Leaves the bus. souvlaki's service thread checks for this about
    /// once a second, so the leaving is done on a thread of its own: the
    /// session does not wait for it.
    pub fn close(self) {
        let mut controls = self.controls;
        let _ = controls.set_playback(MediaPlayback::Stopped);
        std::thread::spawn(move || drop(controls));
    }
}

/// Whether a D-Bus session bus answers at the address zbus would use:
/// `$DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus`. Unix socket
/// addresses (paths and Linux abstract names) are tried; any other kind of
/// address is left to zbus.
fn session_bus_reachable() -> Result<(), String> {
    let address = match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        Ok(address) if !address.is_empty() => address,
        _ => match std::env::var_os("XDG_RUNTIME_DIR") {
            Some(dir) => format!(
                "unix:path={}",
                std::path::Path::new(&dir).join("bus").display()
            ),
            None => return Err("DBUS_SESSION_BUS_ADDRESS is not set".into()),
        },
    };
    let mut last_error = format!("no usable address in {address}");
    for entry in address.split(';') {
        let Some(params) = entry.strip_prefix("unix:") else {
            return Ok(());
        };
        for param in params.split(',') {
            let attempt = match param.split_once('=') {
                Some(("path", path)) => std::os::unix::net::UnixStream::connect(path),
                #[cfg(target_os = "linux")]
                Some(("abstract", name)) => {
                    use std::os::linux::net::SocketAddrExt;
                    std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                        .and_then(|addr| std::os::unix::net::UnixStream::connect_addr(&addr))
                }
                _ => continue,
            };
            match attempt {
                Ok(_) => return Ok(()),
                Err(err) => {
                    last_error = format!("{param}: {}", soothe_core::error::io_reason(&err))
                }
            }
        }
    }
    Err(last_error)
}

/// souvlaki's error without its "internal D-Bus error: " preamble.
fn reason(err: &souvlaki::Error) -> String {
    let text = err.to_string();
    match text.strip_prefix("internal D-Bus error: ") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}
