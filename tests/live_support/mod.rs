//! Helpers for the `live_*` tests: a short session with a voice of its own,
//! a private PulseAudio server whose null sink plays in real time, parec
//! on its monitor, tmux as the parent's terminal, and (in [`audio`]) the
//! analysis that lines a capture up with the render.

#![allow(dead_code)]

pub mod audio;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture session's sample rate.
pub const RATE: u32 = 48_000;

pub fn soothe() -> &'static str {
    env!("CARGO_BIN_EXE_soothe")
}

/// Skips the test, saying so, when a tool it needs is missing. `.ci/run`
/// installs them all, so CI runs every test.
#[macro_export]
macro_rules! require {
    ($($tool:expr),+ $(,)?) => {
        let missing = $crate::live_support::missing(&[$($tool),+]);
        if !missing.is_empty() {
            eprintln!(
                "SKIPPED {}: {} not installed here (.ci/run installs it)",
                module_path!(),
                missing.join(", ")
            );
            return;
        }
    };
}

/// Which of `tools` cannot be found: programs on PATH, or `alsa-pulse`
/// for alsa-lib's PulseAudio plugin.
pub fn missing(tools: &[&str]) -> Vec<String> {
    tools
        .iter()
        .filter(|tool| match **tool {
            "alsa-pulse" => !alsa_pulse_plugin(),
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

/// The fixture session: `tests/fixtures/live-session.ron`, a voice folder
/// of distinct noise bursts, its plan and its render (gain 0 dB).
pub struct Session {
    pub dir: tempfile::TempDir,
    pub script: PathBuf,
    pub voice: PathBuf,
    pub plan: Plan,
    pub render: Vec<f32>,
}

/// What `soothe plan --json` says, as far as the tests need it.
#[derive(Debug, Clone)]
pub struct Plan {
    pub total: u64,
    pub steps: Vec<PlanStep>,
    /// Every event's `[start, end)`, in samples.
    pub events: Vec<(u64, u64)>,
}

#[derive(Debug, Clone)]
pub struct PlanStep {
    pub id: String,
    pub title: String,
    pub start: u64,
    pub end: u64,
}

impl Plan {
    pub fn step(&self, id: &str) -> &PlanStep {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}"))
    }
}

/// The prompts of the fixture script and their lengths in seconds.
const PROMPTS: [(&str, f64); 4] = [
    ("first", 1.6),
    ("second", 1.6),
    ("third", 1.6),
    ("close", 1.6),
];

impl Session {
    pub fn new() -> Session {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live-session.ron");
        let voice = dir.path().join("voice");
        std::fs::create_dir(&voice).unwrap();
        for (seed, (id, seconds)) in PROMPTS.iter().enumerate() {
            write_noise_burst(&voice.join(format!("{id}.wav")), *seconds, seed as u64 + 1);
        }
        let mut session = Session {
            dir,
            script,
            voice,
            plan: Plan {
                total: 0,
                steps: Vec::new(),
                events: Vec::new(),
            },
            render: Vec::new(),
        };
        session.plan = session.read_plan();
        session.render = session.render_with(&[]);
        assert_eq!(session.render.len() as u64, session.plan.total);
        session
    }

    /// The script and the voice, for `play`, `render` and `plan`.
    pub fn args(&self) -> Vec<String> {
        vec![
            self.script.display().to_string(),
            "--voice".into(),
            self.voice.display().to_string(),
        ]
    }

    fn read_plan(&self) -> Plan {
        let output = Command::new(soothe())
            .args(["plan", "--json"])
            .args(self.args())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let number = |v: &serde_json::Value| v.as_u64().unwrap();
        Plan {
            total: number(&json["total_samples"]),
            steps: json["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| PlanStep {
                    id: s["id"].as_str().unwrap().to_string(),
                    title: s["title"].as_str().unwrap().to_string(),
                    start: number(&s["start_sample"]),
                    end: number(&s["end_sample"]),
                })
                .collect(),
            events: json["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (number(&e["start_sample"]), number(&e["end_sample"])))
                .collect(),
        }
    }

    /// The render with extra arguments (such as gains), as f32.
    pub fn render_with(&self, extra: &[&str]) -> Vec<f32> {
        let path = self.dir.path().join("render.wav");
        let output = Command::new(soothe())
            .arg("render")
            .args(self.args())
            .args(extra)
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        read_wav_mono(&path)
    }

    /// Where events start or end, for [`audio::follow`].
    pub fn boundaries(&self) -> Vec<u64> {
        self.plan.events.iter().flat_map(|&(s, e)| [s, e]).collect()
    }
}

/// A 16-bit WAV as f32 (first channel).
pub fn read_wav_mono(path: &Path) -> Vec<f32> {
    let mut reader = hound::WavReader::open(path).unwrap();
    let channels = usize::from(reader.spec().channels);
    reader
        .samples::<i16>()
        .step_by(channels)
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

/// White noise with 5 ms fades, as a 32-bit float WAV at 48 kHz: unlike
/// speech, every stretch of it is unique and never quiet for long.
fn write_noise_burst(path: &Path, seconds: f64, seed: u64) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    let n = (seconds * f64::from(RATE)) as usize;
    let fade = RATE as usize / 200;
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let white = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        let envelope = (i.min(n - 1 - i) as f64 / fade as f64).min(1.0);
        writer
            .write_sample((0.3 * white * envelope) as f32)
            .unwrap();
    }
    writer.finalize().unwrap();
}

/// A PulseAudio server of the test's own, with a 48 kHz float null sink
/// `out`: it plays in real time, and its monitor can be recorded. alsa-lib
/// reaches it through `asound.conf` (its pulse plugin).
pub struct Pulse {
    pub dir: PathBuf,
    child: Child,
}

impl Pulse {
    pub fn start(dir: &Path) -> Pulse {
        let dir = dir.join("pulse");
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("native");
        std::fs::write(
            dir.join("default.pa"),
            format!(
                "load-module module-native-protocol-unix auth-anonymous=1 socket={}\n\
                 load-module module-null-sink sink_name=out rate={RATE} channels=2 format=float32le\n\
                 set-default-sink out\n",
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

    fn client_env(&self) -> Vec<(String, String)> {
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
        let frames: Vec<[f32; 2]> = bytes
            .chunks_exact(8)
            .map(|f| {
                [
                    f32::from_le_bytes([f[0], f[1], f[2], f[3]]),
                    f32::from_le_bytes([f[4], f[5], f[6], f[7]]),
                ]
            })
            .collect();
        assert!(
            frames.iter().all(|[l, r]| l == r),
            "the same on both channels"
        );
        frames.into_iter().map(|[l, _]| l).collect()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a process this test started is still running (not a zombie).
pub fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
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

/// SIGTERM to a process this test started.
pub fn terminate(pid: u32) {
    signal(pid, libc::SIGTERM);
}

pub fn signal(pid: u32, signal: i32) {
    let pid = libc::pid_t::try_from(pid).expect("a pid");
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// A private D-Bus session bus (dbus-daemon), for the MPRIS tests.
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

/// `soothe` in a tmux pane: a real pseudo-terminal, keys sent with
/// send-keys, the screen read with capture-pane. After soothe exits, the
/// pane records its exit status and the terminal's settings (`stty -a`),
/// and stays open so the screen can still be read.
pub struct Tmux {
    socket: PathBuf,
    dir: PathBuf,
}

/// Where `soothe`'s standard output goes when run in tmux.
pub enum Stdout {
    Terminal,
    File,
}

impl Tmux {
    pub fn start(
        dir: &Path,
        size: (u16, u16),
        env: &[(String, String)],
        args: &[String],
        stdout: Stdout,
    ) -> Tmux {
        let dir = dir.join("tmux");
        std::fs::create_dir_all(&dir).unwrap();
        let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let path = |name: &str| quote(&dir.join(name).display().to_string());
        let socket = dir.join("socket");
        let mut script = String::from("#!/bin/sh\n");
        for (key, value) in env {
            script.push_str(&format!("export {key}={}\n", quote(value)));
        }
        let command: Vec<String> = std::iter::once(soothe().to_string())
            .chain(args.iter().cloned())
            .map(|a| quote(&a))
            .collect();
        let redirect = match stdout {
            Stdout::Terminal => String::new(),
            Stdout::File => format!(" > {}", path("stdout.txt")),
        };
        // The inner shell writes its pid, then becomes soothe.
        script.push_str(&format!(
            "sh -c 'echo $$ > \"$0\"; exec \"$@\"' {} {}{redirect} 2> {}\n",
            path("pid"),
            command.join(" "),
            path("stderr.txt"),
        ));
        script.push_str(&format!(
            "status=$?\nstty -a > {} 2>&1\necho $status > {}.part && mv {}.part {}\nexec sleep 600\n",
            path("stty.txt"),
            path("status"),
            path("status"),
            path("status"),
        ));
        std::fs::write(dir.join("run.sh"), script).unwrap();
        let run = format!("sh {}", path("run.sh"));
        let tmux = Tmux { socket, dir };
        let status = tmux
            .command()
            .args([
                "new-session",
                "-d",
                "-s",
                "live",
                "-x",
                &size.0.to_string(),
                "-y",
                &size.1.to_string(),
            ])
            .arg(run)
            .status()
            .unwrap();
        assert!(status.success(), "tmux starts");
        tmux
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"]);
        command.env_remove("TMUX");
        command
    }

    /// Types keys, as tmux names them (`Space`, `Left`, `C-c`, `n`).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .command()
            .args(["send-keys", "-t", "live"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success(), "tmux send-keys {keys:?}");
    }

    pub fn screen(&self) -> String {
        let output = self
            .command()
            .args(["capture-pane", "-p", "-t", "live"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string()
    }

    pub fn resize(&self, width: u16, height: u16) {
        let status = self
            .command()
            .args([
                "resize-window",
                "-t",
                "live",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .status()
            .unwrap();
        assert!(status.success(), "tmux resize-window");
    }

    /// Waits until the screen satisfies `ready`; returns that screen.
    pub fn wait_for(&self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if let Some(status) = self.status() {
                panic!(
                    "soothe exited ({status}) before {what}:\n{screen}\nstderr:\n{}",
                    self.stderr()
                );
            }
            assert!(
                started.elapsed() < timeout,
                "no {what} within {timeout:?}:\n{screen}\nstderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the live view's clock shows `clock` (such as 00:01).
    pub fn wait_for_clock(&self, clock: &str, timeout: Duration) -> String {
        let at = format!("{clock} ");
        self.wait_for(&format!("the clock at {clock}"), timeout, |screen| {
            screen
                .lines()
                .any(|l| l.trim_start().starts_with(&at) && l.contains(" left"))
        })
    }

    /// soothe's exit status, once it has exited.
    pub fn status(&self) -> Option<i32> {
        std::fs::read_to_string(self.dir.join("status"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }

    pub fn wait_exit(&self, timeout: Duration) -> i32 {
        let started = Instant::now();
        loop {
            if let Some(status) = self.status() {
                return status;
            }
            assert!(
                started.elapsed() < timeout,
                "soothe did not exit within {timeout:?}:\n{}\nstderr:\n{}",
                self.screen(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        let started = Instant::now();
        loop {
            if let Some(pid) = std::fs::read_to_string(self.dir.join("pid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no pid file");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.join("stderr.txt")).unwrap_or_default()
    }

    /// Closes the terminal, as closing its window would: the pane's
    /// processes are hung up on.
    pub fn close(&self) {
        let status = self.command().arg("kill-server").status().unwrap();
        assert!(status.success(), "tmux kill-server");
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.dir.join("stdout.txt")).unwrap_or_default()
    }

    /// `stty -a` on the pane's terminal after soothe exited.
    pub fn stty(&self) -> String {
        std::fs::read_to_string(self.dir.join("stty.txt")).unwrap_or_default()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A test that failed half-way leaves no soothe behind.
        if self.status().is_none() {
            if let Some(pid) = std::fs::read_to_string(self.dir.join("pid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                signal(pid, libc::SIGKILL);
            }
        }
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// The environment every soothe of these tests gets: a home of its own
/// and no session bus (unless a test gives it one).
pub fn base_env(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("HOME".into(), dir.display().to_string()),
        ("XDG_RUNTIME_DIR".into(), dir.display().to_string()),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            format!("unix:path={}", dir.join("no-bus-here").display()),
        ),
    ]
}

/// Held by each real-time test, so that they run one at a time: on two
/// cores, several sessions, PulseAudio servers and recorders at once would
/// make the sound drop out.
pub fn realtime() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A busy machine, as the test's own processes in a group of their own:
/// threads spinning on sched_yield, a writer that fsyncs, and a loop
/// starting short processes. Ends with the value.
pub struct Load {
    group: Child,
}

impl Load {
    pub fn start(dir: &Path) -> Load {
        let file = dir.join("load.bin");
        let script = format!(
            "stress-ng --yield 4 --quiet & \
             while :; do dd if=/dev/zero of='{}' bs=1M count=100 conv=fsync 2>/dev/null; done & \
             while :; do /bin/true; done & \
             wait",
            file.display()
        );
        let group = Command::new("setsid")
            .args(["bash", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the load starts");
        // Let it get going.
        std::thread::sleep(Duration::from_millis(500));
        Load { group }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        // setsid made the shell the leader of its own process group.
        let group = -libc::pid_t::try_from(self.group.id()).expect("a pid");
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.group.wait();
    }
}

/// Seconds as samples at the fixture's rate.
pub fn samples(seconds: f64) -> usize {
    (seconds * f64::from(RATE)).round() as usize
}
