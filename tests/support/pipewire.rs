//! A private PipeWire for the real-time tests: the daemon, WirePlumber to
//! link the streams (on a D-Bus session bus of its own, which it needs),
//! a null sink that plays in real time, and pw-record on its monitor.
//!
//! soothe reaches it as every ALSA program on a PipeWire desktop does,
//! through PipeWire's ALSA plugin. Debian ships that plugin in
//! `pipewire-alsa`, which cannot be installed beside `pulseaudio` (the
//! other tests' server), so `.ci/run` unpacks the package without
//! installing it and names the plugin in `SOOTHE_TEST_PIPEWIRE_ALSA`
//! (see [`alsa_plugin`]).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::bus::Bus;
use super::process::signal;
use super::session::RATE;

/// The null sink's name.
const SINK: &str = "out";
/// The plugin's file, in alsa-lib's plugin folder.
const PLUGIN: &str = "alsa-lib/libasound_module_pcm_pipewire.so";

/// PipeWire's ALSA plugin: `SOOTHE_TEST_PIPEWIRE_ALSA` if set, else the
/// system's (where `pipewire-alsa` is installed), else what `.ci/run`
/// unpacked under `target/ci/pipewire-alsa/`.
pub fn alsa_plugin() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SOOTHE_TEST_PIPEWIRE_ALSA") {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    let unpacked = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci/pipewire-alsa/usr/lib");
    let system = [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/usr/lib",
    ];
    let multiarch = ["x86_64-linux-gnu", "aarch64-linux-gnu"];
    system
        .iter()
        .map(|lib| Path::new(lib).join(PLUGIN))
        .chain(
            multiarch
                .iter()
                .map(|arch| unpacked.join(arch).join(PLUGIN)),
        )
        .find(|path| path.is_file())
}

/// A PipeWire of the test's own, with a 48 kHz stereo null sink that is
/// also the graph's driver: a timer paces it in real time. Everything it
/// started ends with it.
pub struct PipeWire {
    pub dir: PathBuf,
    plugin: PathBuf,
    // Dropped in this order: the session manager, the daemon, the bus.
    wireplumber: Option<Daemon>,
    pipewire: Daemon,
    _bus: Bus,
}

impl PipeWire {
    pub fn start(dir: &Path, plugin: &Path) -> PipeWire {
        let dir = dir.join("pipewire");
        let config = dir.join("config");
        write(
            &config.join("pipewire/pipewire.conf.d/sink.conf"),
            &format!(
                "context.objects = [\n  {{ factory = adapter\n    args = {{\n      \
                 factory.name = support.null-audio-sink\n      node.name = \"{SINK}\"\n      \
                 media.class = Audio/Sink\n      audio.position = [ FL FR ]\n      \
                 audio.rate = {RATE}\n      object.linger = true\n      \
                 node.driver = true\n      priority.driver = 30000\n    }}\n  }}\n]\n"
            ),
        );
        // No sound cards, cameras or Bluetooth: the null sink is all the
        // test plays into, whatever the machine has.
        write(
            &config.join("wireplumber/main.lua.d/51-no-devices.lua"),
            "alsa_monitor.enabled = false\nv4l2_monitor.enabled = false\n\
             libcamera_monitor.enabled = false\n",
        );
        write(
            &config.join("wireplumber/bluetooth.lua.d/51-no-devices.lua"),
            "bluez_monitor.enabled = false\n",
        );
        let bus = Bus::start(&dir);
        let env = vec![
            ("HOME", dir.clone()),
            ("XDG_RUNTIME_DIR", dir.clone()),
            ("PIPEWIRE_RUNTIME_DIR", dir.clone()),
            ("XDG_CONFIG_HOME", config),
            ("XDG_STATE_HOME", dir.join("state")),
            ("XDG_DATA_HOME", dir.join("data")),
            ("DBUS_SESSION_BUS_ADDRESS", PathBuf::from(&bus.address)),
        ];
        let mut server = PipeWire {
            pipewire: spawn("pipewire", &env, &dir),
            wireplumber: None,
            dir,
            plugin: plugin.to_path_buf(),
            _bus: bus,
        };
        // The daemon, with the sink, first: WirePlumber gives up when it
        // cannot connect.
        let sink = format!("node.name = \"{SINK}\"");
        server.wait_for("the null sink", |server| {
            server.cli(&["ls", "Node"]).contains(&sink)
        });
        // Then WirePlumber, which links every stream (the recorder's and
        // soothe's).
        server.wireplumber = Some(spawn("wireplumber", &env, &server.dir));
        server.wait_for("WirePlumber", |server| {
            server
                .cli(&["ls", "Client"])
                .contains("application.name = \"WirePlumber\"")
        });
        server
    }

    /// Waits until `ready`, while the daemons run, for 15 s at most.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&PipeWire) -> bool) {
        let started = Instant::now();
        while !ready(self) {
            let running =
                self.pipewire.running() && self.wireplumber.as_mut().is_none_or(Daemon::running);
            assert!(
                running && started.elapsed() < Duration::from_secs(15),
                "PipeWire did not start ({what}):\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// pw-cli's output, empty until the daemon listens.
    fn cli(&self, args: &[&str]) -> String {
        Command::new("pw-cli")
            .args(args)
            .envs(self.client_env())
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
            .unwrap_or_default()
    }

    /// The daemons' logs, for a failure.
    pub fn logs(&self) -> String {
        ["pipewire.log", "wireplumber.log"]
            .iter()
            .map(|log| {
                let text = std::fs::read_to_string(self.dir.join(log)).unwrap_or_default();
                format!("--- {log}\n{text}")
            })
            .collect()
    }

    fn client_env(&self) -> Vec<(String, String)> {
        vec![
            (
                "PIPEWIRE_RUNTIME_DIR".into(),
                self.dir.display().to_string(),
            ),
            ("PIPEWIRE_REMOTE".into(), "pipewire-0".into()),
        ]
    }

    /// What `soothe play` needs to play through this server: an ALSA
    /// configuration whose default device is the null sink, through the
    /// plugin.
    pub fn env(&self) -> Vec<(String, String)> {
        let conf = self.dir.join("asound.conf");
        write(
            &conf,
            &format!(
                "pcm_type.pipewire {{ lib \"{}\" }}\n\
                 pcm.!default {{ type pipewire playback_node \"{SINK}\" }}\n",
                self.plugin.display(),
            ),
        );
        let mut env = self.client_env();
        env.push(("ALSA_CONFIG_PATH".into(), conf.display().to_string()));
        env
    }

    /// Starts recording the sink's monitor (what is played), as 32-bit
    /// float stereo at 48 kHz. pw-record must take each buffer from the
    /// graph in time, or it misses it (a quantum, 2048 samples, gone from
    /// the recording alone: seen here, under the load, once a run). So it
    /// runs in real time where the system lets it (as root: CI), as the
    /// PipeWire daemon does, and writes to memory (/dev/shm) where there
    /// is, not to a disk that the load keeps busy.
    pub fn record(&self) -> Recorder {
        let shm = Path::new("/dev/shm");
        let folder = if shm.is_dir() {
            tempfile::Builder::new()
                .prefix("soothe-capture")
                .tempdir_in(shm)
        } else {
            tempfile::Builder::new()
                .prefix("capture")
                .tempdir_in(&self.dir)
        }
        .unwrap();
        let path = folder.path().join("capture.wav");
        let mut command = Command::new("pw-record");
        command
            .args(["--target", SINK, "-P", "{ stream.capture.sink = true }"])
            .args(["--format", "f32", "--channels", "2"])
            .arg(format!("--rate={RATE}"))
            .arg(&path)
            .envs(self.client_env());
        let log = self.dir.join("pw-record.log");
        // SAFETY: sched_setscheduler(2) is a plain system call; nothing
        // else runs between fork and exec. Refused (not root, no rtprio),
        // pw-record runs as any program does.
        unsafe {
            command.pre_exec(|| {
                let param = libc::sched_param { sched_priority: 10 };
                libc::sched_setscheduler(0, libc::SCHED_FIFO, &param);
                Ok(())
            });
        }
        let mut recorder = Recorder {
            daemon: Daemon::spawn(command, &log),
            path,
            _folder: folder,
        };
        // Wait until it records (the header comes first), so that nothing
        // played is missed.
        let started = Instant::now();
        while std::fs::metadata(&recorder.path).map_or(0, |m| m.len()) < 4096 {
            assert!(
                started.elapsed() < Duration::from_secs(10) && recorder.daemon.running(),
                "pw-record records nothing: {}\n{}",
                std::fs::read_to_string(&log).unwrap_or_default(),
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        recorder
    }
}

/// One of PipeWire's daemons, in the server's own folders, logging to
/// `PROGRAM.log` there.
fn spawn(program: &str, env: &[(&str, PathBuf)], dir: &Path) -> Daemon {
    let mut command = Command::new(program);
    command
        .envs(env.iter().map(|(key, value)| (key, value)))
        .env_remove("PIPEWIRE_REMOTE");
    Daemon::spawn(command, &dir.join(format!("{program}.log")))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// pw-record, recording.
pub struct Recorder {
    // Ended before its folder goes.
    daemon: Daemon,
    path: PathBuf,
    _folder: tempfile::TempDir,
}

impl Recorder {
    /// Stops recording; returns the left channel (soothe plays mono on both).
    pub fn stop(mut self) -> Vec<f32> {
        // SIGINT: it writes the rest and closes the file.
        self.daemon.stop(libc::SIGINT);
        let mut bytes = Vec::new();
        std::fs::File::open(&self.path)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let data = wav_data(&bytes).unwrap_or_else(|| panic!("{}: not a WAV", self.path.display()));
        super::audio::left_of_equal_stereo(data)
    }
}

/// The samples of a WAV file: what follows its `data` chunk's header, to
/// the end of the file (whatever length the header says, should the
/// recorder not have come back to write it).
fn wav_data(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let mut at = 12;
    loop {
        let id = bytes.get(at..at + 4)?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        if id == b"data" {
            return bytes.get(at + 8..);
        }
        at += 8 + size + size % 2;
    }
}

/// A process of the fixture's, logging to a file. It dies with the test
/// process, even one that is killed, and is ended when dropped.
struct Daemon {
    child: Child,
}

impl Daemon {
    fn spawn(mut command: Command, log: &Path) -> Daemon {
        let log = std::fs::File::create(log).unwrap();
        command
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        // SAFETY: prctl(2) is async-signal-safe; nothing else runs between
        // fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let program = command.get_program().to_string_lossy().into_owned();
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{program} starts: {e}"));
        Daemon { child }
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `signal`, waits up to 5 s for the process to end, then kills it.
    fn stop(&mut self, how: i32) {
        if !self.running() {
            return;
        }
        signal(self.child.id(), how);
        let asked = Instant::now();
        while self.running() && asked.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop(libc::SIGTERM);
    }
}
