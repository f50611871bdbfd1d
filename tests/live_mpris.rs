//! Media keys: soothe on a private D-Bus session bus (a dbus-daemon of the
//! test's own), driven with dbus-send as a desktop's media keys would,
//! playing through PulseAudio's null sink in real time. That pause, next
//! and stop are sample-exact is shown for the keys in tests/live_play.rs:
//! the media keys go through the very same actions (src/live/keys.rs).
#![cfg(all(feature = "mpris", target_os = "linux"))]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::bus::Bus;
use crate::support::cli::{base_env, SOOTHE};
use crate::support::pulse::Pulse;
use crate::support::session::Session;

const PLAYER: &str = "org.mpris.MediaPlayer2.Player";

/// Asks for a property until it shows `want` (souvlaki publishes changes
/// within about a second; a loaded machine may take longer).
fn wait_property(bus: &Bus, name: &str, want: &str) -> String {
    let started = Instant::now();
    loop {
        let value = bus.player_property(name);
        if value.contains(want) {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} never showed {want:?}: {value}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn play_pause_next_and_stop_from_the_bus_do_what_the_keys_do() {
    require!(
        "dbus-daemon",
        "dbus-send",
        "pulseaudio",
        "pactl",
        "parec",
        "alsa-pulse"
    );
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    run(&session, session.dir.path());
}

/// One session driven from the bus: each request changes what soothe
/// reports, on the bus and in its plain lines.
fn run(session: &Session, dir: &std::path::Path) {
    let bus = Bus::start(dir);
    let pulse = Pulse::start(dir);
    let out_path = dir.join("stdout.txt");
    let mut child = Command::new(SOOTHE)
        .arg("play")
        .args(session.args())
        .envs(base_env(dir))
        .envs(pulse.env())
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    let stdout = || std::fs::read_to_string(&out_path).unwrap();
    let stderr = || std::fs::read_to_string(dir.join("stderr.txt")).unwrap();

    bus.wait_for_player(Duration::from_secs(20));
    let identity = bus.send(&[
        "org.freedesktop.DBus.Properties.Get",
        "string:org.mpris.MediaPlayer2",
        "string:Identity",
    ]);
    assert!(identity.contains("\"soothe\""), "{identity}");
    // The first prompt is speaking (0.5 s to 2.1 s).
    let started = Instant::now();
    while !stdout().contains("] First steps") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never started: {}",
            stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    // The current step is the track.
    let metadata = wait_property(&bus, "Metadata", "First steps");
    assert!(metadata.contains("xesam:title"), "{metadata}");

    let paused_at = Instant::now();
    bus.send(&[&format!("{PLAYER}.PlayPause")]);
    wait_property(&bus, "PlaybackStatus", "Paused");
    std::thread::sleep(Duration::from_millis(1500).saturating_sub(paused_at.elapsed()));
    bus.send(&[&format!("{PLAYER}.PlayPause")]);
    wait_property(&bus, "PlaybackStatus", "Playing");

    bus.send(&[&format!("{PLAYER}.Next")]);
    wait_property(&bus, "Metadata", "Second");
    // Let the second step sound, so that the lines show it playing before
    // Stop fades it out.
    let started = Instant::now();
    while !stdout().contains("] Second\n") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the second step never played: {}",
            stdout()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    bus.send(&[&format!("{PLAYER}.Stop")]);

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Stop did not end the session"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{}", stderr());
    assert!(!stderr().contains("Media keys"), "{}", stderr());
    let out = stdout();
    for line in [
        "] -- Paused\n",
        "] -- Going on\n",
        "] -- On to Second\n",
        "] Second\n",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
}
