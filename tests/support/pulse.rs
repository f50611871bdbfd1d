//! A private PulseAudio server for the real-time tests: a null sink that
//! plays in real time, parec on its monitor.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::process::terminate;
use super::session::RATE;

/// A PulseAudio server of the test's own, with a 48 kHz float null sink
/// `out`: it plays in real time, and its monitor can be recorded. alsa-lib
/// reaches it through `asound.conf` (its pulse plugin).
pub struct Pulse {
    pub dir: PathBuf,
    child: Child,
}

impl Pulse {
    pub fn start(dir: &Path) -> Pulse {
        Pulse::start_with(dir, "")
    }

    /// A server with `extra` lines at the end of its start-up script (more
    /// sinks, a loopback, another default source).
    pub fn start_with(dir: &Path, extra: &str) -> Pulse {
        let dir = dir.join("pulse");
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("native");
        std::fs::write(
            dir.join("default.pa"),
            format!(
                "load-module module-native-protocol-unix auth-anonymous=1 socket={}\n\
                 load-module module-null-sink sink_name=out rate={RATE} channels=2 format=float32le\n\
                 set-default-sink out\n{extra}",
                socket.display()
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("asound.conf"),
            "pcm.!default { type pulse }\nctl.!default { type pulse }\n",
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("pulse.log")).unwrap();
        let child = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                // Samples over the socket, not shared memory: PulseAudio
                // 16 can abort on a client's memfd block ("Cannot send
                // block reference with non-registered memfd ID", its issue
                // 824), which took the server down in a CI run.
                "--disable-shm=yes",
                "-F",
            ])
            .arg(dir.join("default.pa"))
            .env("HOME", &dir)
            .env("XDG_RUNTIME_DIR", &dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("pulseaudio starts");
        let pulse = Pulse { dir, child };
        let started = Instant::now();
        while !pulse.ready() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "PulseAudio did not start: {}",
                std::fs::read_to_string(pulse.dir.join("pulse.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        pulse
    }

    fn ready(&self) -> bool {
        self.dir.join("native").exists()
            && Command::new("pactl")
                .arg("info")
                .envs(self.client_env())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    }

    /// What a PulseAudio client (pactl, paplay) needs to reach this server.
    pub fn client_env(&self) -> Vec<(String, String)> {
        vec![
            (
                "PULSE_SERVER".into(),
                format!("unix:{}", self.dir.join("native").display()),
            ),
            ("PULSE_CLIENTCONFIG".into(), "/dev/null".into()),
        ]
    }

    /// What `soothe play` needs to play through this server.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = self.client_env();
        env.push((
            "ALSA_CONFIG_PATH".into(),
            self.dir.join("asound.conf").display().to_string(),
        ));
        env
    }

    /// Listens to the sink's monitor as it plays: every 2.5 ms, when the
    /// samples arrived and the loudest of them.
    pub fn listen(&self) -> Listener {
        let mut child = Command::new("parec")
            .args([
                "-d",
                "out.monitor",
                "--raw",
                "--format=float32le",
                "--channels=1",
                "--latency-msec=2",
            ])
            .arg(format!("--rate={RATE}"))
            .envs(self.client_env())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec starts");
        let mut stdout = child.stdout.take().unwrap();
        let (sender, levels) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // 120 frames: 2.5 ms.
            let mut chunk = [0u8; 480];
            while stdout.read_exact(&mut chunk).is_ok() {
                let loudest = chunk
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).abs())
                    .fold(0.0f32, f32::max);
                if sender.send((Instant::now(), loudest)).is_err() {
                    return;
                }
            }
        });
        // Wait until it listens: a stream that connects while the
        // server is still setting the monitor's latency up for it may get
        // no write requests for its first half second (seen here).
        let first = levels.recv_timeout(Duration::from_secs(10));
        assert!(first.is_ok(), "parec listens to nothing");
        Listener { child, levels }
    }

    /// Starts recording the sink's monitor (what is played), as 32-bit
    /// float stereo at 48 kHz.
    pub fn record(&self) -> Recorder {
        let path = self.dir.join("capture.raw");
        let child = Command::new("parec")
            .args([
                "-d",
                "out.monitor",
                "--raw",
                "--format=float32le",
                "--channels=2",
                "--latency-msec=20",
            ])
            .arg(format!("--rate={RATE}"))
            .envs(self.client_env())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&path).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec starts");
        // Wait until it records, so that nothing played is missed.
        let started = Instant::now();
        while std::fs::metadata(&path).map_or(0, |m| m.len()) == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "parec records nothing"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Recorder { child, path }
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// parec, recording.
pub struct Recorder {
    child: Child,
    path: PathBuf,
}

impl Recorder {
    /// Stops recording; returns the left channel (soothe plays mono on both).
    pub fn stop(mut self) -> Vec<f32> {
        terminate(self.child.id());
        let _ = self.child.wait();
        let mut bytes = Vec::new();
        std::fs::File::open(&self.path)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        super::audio::left_of_equal_stereo(&bytes)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// parec on the monitor, read as it plays (see [`Pulse::listen`]).
pub struct Listener {
    child: Child,
    pub levels: std::sync::mpsc::Receiver<(Instant, f32)>,
}

impl Listener {
    /// Waits until sound is heard; `false` after `timeout`.
    pub fn wait_for_sound(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |loudest| loudest > 0.05).is_some()
    }

    /// Waits for a 2.5 ms stretch in which `heard` holds; returns when it
    /// arrived.
    pub fn wait_until(&self, timeout: Duration, heard: impl Fn(f32) -> bool) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.levels.recv_timeout(left) {
                Ok((at, loudest)) if heard(loudest) => return Some(at),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// Forgets what was heard so far.
    pub fn skip_heard(&self) {
        while self.levels.try_recv().is_ok() {}
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
