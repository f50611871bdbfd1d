//! A private D-Bus session bus, for the MPRIS tests (and WirePlumber).

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private D-Bus session bus (dbus-daemon), for the MPRIS tests and
/// WirePlumber.
pub struct Bus {
    pub address: String,
    child: Child,
}

impl Bus {
    pub fn start(dir: &Path) -> Bus {
        let address = format!("unix:path={}", dir.join("bus").display());
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address={address}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        // It prints its address once it listens.
        let mut line = Vec::new();
        let mut stdout = child.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let printed = String::from_utf8_lossy(&line).to_string();
        assert!(
            printed.starts_with("unix:path="),
            "dbus-daemon said {printed:?}"
        );
        Bus { address, child }
    }

    /// `dbus-send` to soothe's MPRIS player; returns its output.
    pub fn send(&self, args: &[&str]) -> String {
        let output = Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--print-reply",
                "--reply-timeout=3000",
                "--dest=org.mpris.MediaPlayer2.soothe",
                "/org/mpris/MediaPlayer2",
            ])
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "dbus-send {args:?}: {text}");
        text
    }

    /// A property of the player interface, as dbus-send prints it.
    pub fn player_property(&self, name: &str) -> String {
        self.send(&[
            "org.freedesktop.DBus.Properties.Get",
            "string:org.mpris.MediaPlayer2.Player",
            &format!("string:{name}"),
        ])
    }

    /// Waits until soothe's player is on the bus.
    pub fn wait_for_player(&self, timeout: Duration) {
        let started = Instant::now();
        loop {
            let output = Command::new("dbus-send")
                .arg(format!("--bus={}", self.address))
                .args([
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.ListNames",
                ])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&output.stdout).contains("org.mpris.MediaPlayer2.soothe") {
                return;
            }
            assert!(
                started.elapsed() < timeout,
                "soothe's MPRIS player never came on the bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
