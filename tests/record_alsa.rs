//! `soothe record` through the real ALSA stack, with no sound card: the
//! default capture device is alsa-lib's `file` plugin over a `null` device,
//! whose `infile` is a FIFO. The test opens the FIFO first (O_RDWR |
//! O_NONBLOCK, so that neither side waits for the other), enlarges it to
//! 1 MiB and keeps it full of f32 LE mono at 48 kHz: the "microphone". The app hears the signal exactly, faster than real time, which
//! is why the recorder counts samples and never the clock.
//!
//! ALSA_CONFIG_PATH is set for the child process only.

#[cfg(all(target_os = "linux", feature = "device"))]
mod alsa {
    use std::fs::File;
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Output, Stdio};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    use crate::support::record::{loudness, read_take, speech_span};
    use crate::support::tmux::{Stdout as TmuxStdout, Tmux};
    use soothe_core::sound::audio::Mono;
    use soothe_core::take::process;
    use soothe_core::take::testsignal::{noise, peak_db, Signal};

    const RATE: u32 = 48_000;
    /// The room's noise floor in every signal here.
    const FLOOR_DB: f64 = -70.0;

    /// A folder with an ALSA configuration whose capture device reads
    /// `mic.fifo`, and a data home for voices.
    struct Rig {
        dir: tempfile::TempDir,
        conf: PathBuf,
        fifo: PathBuf,
    }

    impl Rig {
        fn new() -> Rig {
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("mic.fifo");
            let conf = dir.path().join("asound.conf");
            std::fs::write(
                &conf,
                format!(
                    r#"pcm.!default {{
    type asym
    playback.pcm {{
        type plug
        slave {{
            pcm {{ type file  slave.pcm {{ type null }}  file "{played}"  format "wav" }}
            format S16_LE  rate 48000  channels 2
        }}
    }}
    capture.pcm {{
        type file  slave.pcm {{ type null }}
        file "/dev/null"  infile "{fifo}"  format "raw"
    }}
}}
"#,
                    played = dir.path().join("played.wav").display(),
                    fifo = fifo.display()
                ),
            )
            .unwrap();
            Rig { dir, conf, fifo }
        }

        /// Two devices with names and descriptions beside the default:
        /// `kitchen` reads the same FIFO, `speakers` discards what it gets.
        fn add_named_devices(&self) {
            let mut conf = std::fs::read_to_string(&self.conf).unwrap();
            conf.push_str(&format!(
                r#"pcm.kitchen {{
    type file  slave.pcm {{ type null }}
    file "/dev/null"  infile "{fifo}"  format "raw"
    hint {{ show on  description "Kitchen microphone" }}
}}
pcm.speakers {{
    type null
    hint {{ show on  description "Living room speakers" }}
}}
"#,
                fifo = self.fifo.display()
            ));
            std::fs::write(&self.conf, conf).unwrap();
        }

        fn voice(&self, name: &str) -> PathBuf {
            self.dir.path().join("data/soothe/voices").join(name)
        }

        fn command(&self, args: &[&str]) -> Command {
            let mut cmd = Command::new(crate::support::cli::SOOTHE);
            cmd.args(args)
                .env("ALSA_CONFIG_PATH", &self.conf)
                .env("XDG_DATA_HOME", self.dir.path().join("data"))
                .env("HOME", self.dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd
        }

        /// Runs soothe with `signal` on the microphone, then the noise floor
        /// until it is done.
        fn record(&self, args: &[&str], signal: &[f32]) -> Output {
            let mic = Microphone::open(&self.fifo);
            let feeder = mic.feed(signal.to_vec(), true);
            mic.primed(signal.len());
            let child = self.command(args).spawn().unwrap();
            let output = wait_with_timeout(child, Duration::from_secs(120));
            feeder.stop();
            output
        }

        /// As [`Rig::record`], with `keys` piped into soothe's stdin.
        fn record_with_keys(&self, args: &[&str], signal: &[f32], keys: &[u8]) -> Output {
            let mic = Microphone::open(&self.fifo);
            let feeder = mic.feed(signal.to_vec(), true);
            mic.primed(signal.len());
            let mut child = self.command(args).stdin(Stdio::piped()).spawn().unwrap();
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(keys).unwrap();
            drop(stdin);
            let output = wait_with_timeout(child, Duration::from_secs(120));
            feeder.stop();
            output
        }

        /// soothe with `args` in a 100x30 terminal, its output to `stdout`.
        fn tmux(&self, args: &[&str], stdout: TmuxStdout) -> Tmux {
            let env: Vec<(String, String)> = [
                ("ALSA_CONFIG_PATH", self.conf.as_path()),
                ("XDG_DATA_HOME", &self.dir.path().join("data")),
                ("HOME", self.dir.path()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.display().to_string()))
            .collect();
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            Tmux::start(self.dir.path(), (100, 30), &env, &args, stdout)
        }

        /// A script of two prompts, hello and bye, in the rig's folder.
        fn tiny_script(&self) -> String {
            let script = self.dir.path().join("tiny.ron");
            std::fs::write(&script, TINY).unwrap();
            script.display().to_string()
        }
    }

    const TINY: &str = r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there.", "bye": "Bye now." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello", "bye"])],
)
"#;

    /// The FIFO the ALSA `file` plugin reads as the microphone.
    struct Microphone {
        file: Arc<File>,
        /// The FIFO's size, bytes.
        capacity: usize,
    }

    impl Microphone {
        fn open(path: &Path) -> Microphone {
            let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
                .unwrap();
            // SAFETY: fcntl on a file descriptor we own.
            let size = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20) };
            assert!(size >= 1 << 16, "F_SETPIPE_SZ gave {size}");
            Microphone {
                file: Arc::new(file),
                capacity: size as usize,
            }
        }

        /// Waits until the FIFO holds as much of `samples` samples as it
        /// can: soothe reads it faster than a feeder thread on a busy
        /// machine may write it, and alsa-lib's `file` plugin takes a short
        /// read for silence, which cut holes in a cry.
        fn primed(&self, samples: usize) {
            let wanted = (samples * 4).min(self.capacity);
            let deadline = Instant::now() + Duration::from_secs(20);
            while self.unread() < wanted && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
        }

        /// Bytes written and not yet read by the app.
        fn unread(&self) -> usize {
            let mut n: libc::c_int = 0;
            // SAFETY: FIONREAD writes one int.
            unsafe { libc::ioctl(self.file.as_raw_fd(), libc::FIONREAD, &mut n) };
            n as usize
        }

        /// Writes `signal` as f32 LE as fast as the pipe takes it; then,
        /// if `then_floor`, the noise floor until stopped.
        fn feed(&self, signal: Vec<f32>, then_floor: bool) -> Feeder {
            let stop = Arc::new(AtomicBool::new(false));
            let file = self.file.clone();
            let stopped = stop.clone();
            let thread = std::thread::spawn(move || {
                let bytes: Vec<u8> = signal.iter().flat_map(|s| s.to_le_bytes()).collect();
                let floor: Vec<u8> = noise(RATE, RATE as usize, FLOOR_DB, 99)
                    .iter()
                    .flat_map(|s| s.to_le_bytes())
                    .collect();
                let mut pieces = std::iter::once(&bytes)
                    .chain(std::iter::repeat(&floor).take_while(|_| then_floor));
                let mut piece = pieces.next();
                let mut offset = 0;
                while let Some(data) = piece {
                    if stopped.load(Ordering::Relaxed) {
                        return;
                    }
                    match (&*file).write(&data[offset..]) {
                        Ok(n) => offset += n,
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_micros(500))
                        }
                        Err(e) => panic!("writing the FIFO: {e}"),
                    }
                    if offset == data.len() {
                        piece = pieces.next();
                        offset = 0;
                    }
                }
            });
            Feeder {
                stop,
                thread: Some(thread),
            }
        }
    }

    struct Feeder {
        stop: Arc<AtomicBool>,
        thread: Option<JoinHandle<()>>,
    }

    impl Feeder {
        fn stop(mut self) {
            self.stop.store(true, Ordering::Relaxed);
            if let Some(thread) = self.thread.take() {
                thread.join().unwrap();
            }
        }

        fn finished(&self) -> bool {
            self.thread.as_ref().is_none_or(JoinHandle::is_finished)
        }
    }

    impl Drop for Feeder {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    fn wait_with_timeout(mut child: Child, limit: Duration) -> Output {
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                child.kill().unwrap();
                panic!("soothe did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.wait_with_output().unwrap()
    }

    /// Skips (visibly) when alsa-lib itself cannot run the rig here: soothe
    /// failed, and alsa-lib said why.
    fn alsa_unavailable(output: &Output) -> bool {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() && stderr.contains("ALSA lib") {
            crate::support::skip::skipped(
                &format!("alsa-lib cannot use its file plugin here:\n{stderr}"),
                &[crate::support::skip::ALSA_FILE],
            );
            true
        } else {
            false
        }
    }

    /// The output of a run that must succeed, as text; `None` (the test
    /// skips, saying so) when alsa-lib cannot use the file plugin here.
    fn succeeded(output: &Output) -> Option<(String, String)> {
        if alsa_unavailable(output) {
            return None;
        }
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(
            output.status.success(),
            "stdout: {stdout}\nstderr: {stderr}"
        );
        Some((stdout, stderr))
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Room noise, speech, and room noise again (the rest comes from the
    /// feeder's floor). Returns the signal and where the speech is.
    fn spoken(seconds: f64, db: f64, seed: u64) -> (Vec<f32>, usize, usize) {
        let mut signal = Signal::seeded(RATE, seed);
        let start = signal.noise(0.6, FLOOR_DB);
        let end = signal.speech(seconds, db, FLOOR_DB);
        signal.noise(0.3, FLOOR_DB);
        (signal.samples, start, end)
    }

    /// The best normalised cross-correlation of `a` and `b` within
    /// `max_lag` samples: searched every 4 samples on every 4th sample,
    /// then sample by sample around the best.
    fn similarity(a: &[f32], b: &[f32], max_lag: isize) -> f64 {
        let energy = |x: &[f32]| x.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>();
        let norm = (energy(a) * energy(b)).sqrt();
        let correlate = |lag: isize, step: usize| -> f64 {
            let sum: f64 = (0..a.len())
                .step_by(step)
                .filter_map(|i| {
                    let j = i as isize + lag;
                    (j >= 0 && (j as usize) < b.len())
                        .then(|| f64::from(a[i]) * f64::from(b[j as usize]))
                })
                .sum();
            sum * step as f64 / norm
        };
        let coarse = (-max_lag..=max_lag)
            .step_by(4)
            .max_by(|&x, &y| correlate(x, 4).total_cmp(&correlate(y, 4)))
            .unwrap_or(0);
        (coarse - 4..=coarse + 4)
            .map(|lag| correlate(lag, 1))
            .fold(f64::MIN, f64::max)
    }

    #[test]
    fn speech_into_the_microphone_is_saved_trimmed_and_at_minus_18_lufs() {
        let rig = Rig::new();
        let (signal, start, end) = spoken(3.0, -24.0, 1);
        let output = rig.record(&["record", "--voice", "mum", "--prompt", "feet"], &signal);
        let Some((stdout, _)) = succeeded(&output) else {
            return;
        };

        // Its place.
        let path = rig.voice("mum").join("feet.wav");
        assert!(
            stdout.contains(&format!("Saved {}", path.display())),
            "{stdout}"
        );
        assert_eq!(files(&rig.voice("mum")), ["feet.wav"]);
        let take = read_take(&path);
        assert_eq!(
            (
                take.spec.channels,
                take.spec.sample_rate,
                take.spec.bits_per_sample
            ),
            (1, RATE, 16)
        );

        // Its length: the speech and a short margin each side, the rest of
        // the silence trimmed.
        let speech = (end - start) as f64 / f64::from(RATE);
        let seconds = take.samples.len() as f64 / f64::from(RATE);
        assert!(
            (seconds - (speech + 0.40)).abs() < 0.06,
            "{seconds:.3} s for {speech:.3} s of speech"
        );
        let (first, last) = speech_span(&take.samples, RATE);
        let lead = first as f64 / f64::from(RATE);
        let tail = (take.samples.len() - last) as f64 / f64::from(RATE);
        assert!((lead - 0.15).abs() < 0.04, "speech starts at {lead:.3} s");
        assert!((tail - 0.25).abs() < 0.04, "{tail:.3} s after the speech");

        // Its loudness and peaks.
        let (integrated, true_peak) = loudness(&take.samples, RATE);
        assert!((integrated + 18.0).abs() <= 0.5, "{integrated:.2} LUFS");
        assert!(
            peak_db(&take.samples) <= -1.0 && true_peak <= -0.95,
            "peak {true_peak:.2} dBTP"
        );

        // And it is what was said: the same as processing the signal here.
        let mut heard = signal.clone();
        heard.extend(noise(RATE, RATE as usize * 2, FLOOR_DB, 5));
        let expected = process::process(
            &Mono {
                rate: RATE,
                samples: heard,
            },
            RATE,
        )
        .unwrap();
        let alike = similarity(&take.samples, &expected.audio.samples, 480);
        assert!(
            alike > 0.99,
            "the saved take matches the spoken signal: {alike:.4}"
        );
    }

    #[test]
    fn escapes_and_a_bidi_override_in_the_words_voice_and_microphone_names_are_shown_escaped() {
        let rig = Rig::new();
        // A microphone whose description is hostile too.
        let mut conf = std::fs::read_to_string(&rig.conf).unwrap();
        conf.push_str(&format!(
            "pcm.kitchen {{\n    type file  slave.pcm {{ type null }}\n    file \"/dev/null\"  infile \"{}\"  format \"raw\"\n    hint {{ show on  description \"Kitchen\\033[2J mic\" }}\n}}\n",
            rig.fifo.display()
        ));
        std::fs::write(&rig.conf, conf).unwrap();
        let script = rig.dir.path().join("hostile.ron");
        std::fs::write(
            &script,
            TINY.replace(
                "\"Hello there.\"",
                r#""Hello there\u{1b}[2J\u{7} \u{1b}]8;;mailto:x@example.com\u{7}link\u{1b}]8;;\u{7} \u{202e}won""#,
            ),
        )
        .unwrap();
        let voice = "mum\u{1b}[31m\u{202e}";
        let (signal, _, _) = spoken(2.0, -24.0, 7);
        let script_arg = script.display().to_string();
        let output = rig.record(
            &[
                "record",
                &script_arg,
                "--voice",
                voice,
                "--prompt",
                "hello",
                "--input",
                "kitchen",
            ],
            &signal,
        );
        let Some((stdout, stderr)) = succeeded(&output) else {
            return;
        };
        let saved = rig.voice(voice).join("hello.wav");
        let seconds = read_take(&saved).samples.len() as f64 / f64::from(RATE);
        let shown = r"mum\u{1b}[31m\u{202e}";
        assert_eq!(
            stdout,
            format!(
                "\
Recording 1 prompt in the voice \"{shown}\" from Kitchen\\u{{1b}}[2J mic.

[1/1] hello
    Hello there\\u{{1b}}[2J\\u{{7}}
    \\u{{1b}}]8;;mailto:x@example.com\\u{{7}}link\\u{{1b}}]8;;\\u{{7}} \\u{{202e}}won
Saved {voices}/{shown}/hello.wav ({seconds:.1} s)

{shown} has 1 of 2 prompts (the guide voice speaks the rest). Listen with: soothe play {script_arg} --voice {shown}; record the rest with: soothe record {script_arg} --voice {shown} --missing
",
                voices = rig.dir.path().join("data/soothe/voices").display(),
            )
        );
        for text in [&stdout, &stderr] {
            assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{text:?}");
        }
    }

    #[test]
    fn two_prompts_in_a_row_are_cut_at_the_silence_between_them() {
        let rig = Rig::new();
        let mut signal = Signal::seeded(RATE, 2);
        let a_start = signal.noise(0.5, FLOOR_DB);
        let a_end = signal.speech(2.0, -20.0, FLOOR_DB);
        let b_start = signal.noise(2.5, FLOOR_DB);
        let b_end = signal.speech(1.5, -30.0, FLOOR_DB);
        signal.noise(0.2, FLOOR_DB);
        let output = rig.record(
            &[
                "record",
                "--voice",
                "dad",
                "--prompt",
                "legs-down",
                "--prompt",
                "arms-palm",
            ],
            &signal.samples,
        );
        if succeeded(&output).is_none() {
            return;
        }
        for (id, start, end) in [("legs-down", a_start, a_end), ("arms-palm", b_start, b_end)] {
            let take = read_take(&rig.voice("dad").join(format!("{id}.wav")));
            let speech = (end - start) as f64 / f64::from(RATE);
            let seconds = take.samples.len() as f64 / f64::from(RATE);
            assert!(
                (seconds - (speech + 0.40)).abs() < 0.06,
                "{id}: {seconds:.3} s for {speech:.3} s"
            );
            let (integrated, _) = loudness(&take.samples, RATE);
            assert!(
                (integrated + 18.0).abs() <= 0.5,
                "{id}: {integrated:.2} LUFS"
            );
        }
    }

    #[test]
    fn steady_noise_is_no_speech_and_nothing_is_saved() {
        let rig = Rig::new();
        // A loud fan, and nobody speaking.
        let fan = noise(RATE, RATE as usize * 25, -35.0, 3);
        let output = rig.record(&["record", "--voice", "mum", "--prompt", "feet"], &fan);
        if alsa_unavailable(&output) {
            return;
        }
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("feet: no speech heard; nothing was saved"),
            "{stderr}"
        );
        assert!(!rig.voice("mum").exists());
    }

    #[test]
    fn with_no_input_device_record_explains_and_exits_1_at_once() {
        let rig = Rig::new();
        // A configuration with no default device at all.
        std::fs::write(&rig.conf, "").unwrap();
        let started = Instant::now();
        let output = rig
            .command(&["record", "--voice", "mum", "--prompt", "feet"])
            .output()
            .unwrap();
        let elapsed = started.elapsed();
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        // At once, not after retries: a generous bound, so that a loaded
        // machine cannot fail it, yet far below a wait for a device.
        assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
        assert!(
            stderr.contains("soothe: no microphone could be opened"),
            "{stderr}"
        );
        assert!(
            stderr.contains("--import FILE"),
            "suggests another way: {stderr}"
        );
        assert!(!rig.voice("mum").exists());
    }

    /// An earlier take and its previous one, as files with known bytes.
    fn earlier_takes(rig: &Rig) -> (Vec<u8>, Vec<u8>) {
        let dir = rig.voice("mum");
        std::fs::create_dir_all(&dir).unwrap();
        let (signal, _, _) = spoken(1.0, -20.0, 40);
        let earlier = process::process(
            &Mono {
                rate: RATE,
                samples: signal,
            },
            RATE,
        )
        .unwrap();
        let words = soothe_core::session::script::Script::builtin()
            .prompts
            .get("feet")
            .unwrap()
            .clone();
        soothe::record::takes::save(&dir, "feet", &earlier.audio, &words).unwrap();
        soothe::record::takes::save(&dir, "feet", &earlier.audio, &words).unwrap();
        (
            std::fs::read(dir.join("feet.wav")).unwrap(),
            std::fs::read(dir.join("feet.prev.wav")).unwrap(),
        )
    }

    #[test]
    fn a_recording_killed_halfway_leaves_the_earlier_take_byte_for_byte() {
        let rig = Rig::new();
        let (take, prev) = earlier_takes(&rig);
        let mic = Microphone::open(&rig.fifo);
        // Half of what the parent says, and then the app waits for more.
        let (signal, _, end) = spoken(4.0, -22.0, 6);
        let half = signal[..end / 2].to_vec();
        let feeder = mic.feed(half, false);
        let mut child = rig
            .command(&["record", "--voice", "mum", "--prompt", "feet"])
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !(feeder.finished() && mic.unread() == 0) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "soothe stopped before it was killed"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "soothe never read the microphone"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        // It has heard the first half and is listening: kill -9.
        std::thread::sleep(Duration::from_millis(50));
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            if alsa_unavailable(&output) {
                return;
            }
            panic!(
                "soothe ended before it was killed ({status}): {}",
                text(&output.stderr)
            );
        }
        child.kill().unwrap();
        child.wait().unwrap();
        feeder.stop();

        let dir = rig.voice("mum");
        assert_eq!(
            std::fs::read(dir.join("feet.wav")).unwrap(),
            take,
            "the take is as it was"
        );
        assert_eq!(
            std::fs::read(dir.join("feet.prev.wav")).unwrap(),
            prev,
            "so is the previous one"
        );
        assert_eq!(files(&dir), ["feet.prev.wav", "feet.wav"]);
    }

    #[test]
    fn killed_at_any_moment_a_take_is_the_old_one_or_a_whole_new_one() {
        // Killed while listening, processing or saving: whatever the
        // moment, feet.wav is one whole take, and a new one only ever
        // arrives with the old one kept as feet.prev.wav. The moments are
        // spread over the time a whole run takes here; the last run is
        // left to finish.
        let (signal, _, _) = spoken(2.0, -22.0, 7);
        let run = |kill_after: Option<Duration>| -> (bool, Duration) {
            let rig = Rig::new();
            let (take, _) = earlier_takes(&rig);
            let mic = Microphone::open(&rig.fifo);
            let feeder = mic.feed(signal.clone(), true);
            let started = Instant::now();
            let mut child = rig
                .command(&["record", "--voice", "mum", "--prompt", "feet"])
                .spawn()
                .unwrap();
            match kill_after {
                Some(delay) => {
                    std::thread::sleep(delay);
                    let _ = child.kill();
                    let _ = child.wait();
                }
                None => {
                    let output = wait_with_timeout(child, Duration::from_secs(120));
                    assert!(output.status.success(), "{}", text(&output.stderr));
                }
            }
            let elapsed = started.elapsed();
            feeder.stop();

            let dir = rig.voice("mum");
            let now = std::fs::read(dir.join("feet.wav")).unwrap();
            let replaced = now != take;
            if replaced {
                let new = read_take(&dir.join("feet.wav"));
                assert!(
                    new.samples.len() > RATE as usize,
                    "killed after {kill_after:?}: a whole new take"
                );
                assert_eq!(
                    std::fs::read(dir.join("feet.prev.wav")).unwrap(),
                    take,
                    "killed after {kill_after:?}"
                );
            }
            let visible: Vec<String> = files(&dir)
                .into_iter()
                .filter(|f| !f.starts_with('.'))
                .collect();
            assert_eq!(
                visible,
                ["feet.prev.wav", "feet.wav"],
                "killed after {kill_after:?}"
            );
            (replaced, elapsed)
        };
        let (replaced, whole) = run(None);
        assert!(replaced, "a run left to finish saves a new take");
        let mut kept = 0;
        for tenth in 1..=12u32 {
            if !run(Some(whole * tenth / 10)).0 {
                kept += 1;
            }
        }
        eprintln!(
            "a whole run took {whole:?}; killed 12 times, the old take was kept {kept} times"
        );
    }

    #[test]
    fn missing_records_only_the_prompts_not_yet_there() {
        let rig = Rig::new();
        let script = rig.dir.path().join("tiny.ron");
        std::fs::write(
            &script,
            r#"Session(
    title: "Tiny",
    variants: [Variant(name: "calm")],
    prompts: { "hello": "Hello there.", "bye": "Bye now." },
    steps: [Step(id: "hello", title: "Hello", say: ["hello", "bye"])],
)
"#,
        )
        .unwrap();
        let dir = rig.voice("mum");
        let (earlier, _, _) = spoken(1.0, -20.0, 50);
        let earlier = process::process(
            &Mono {
                rate: RATE,
                samples: earlier,
            },
            RATE,
        )
        .unwrap();
        soothe::record::takes::save(&dir, "hello", &earlier.audio, "Hello there.").unwrap();
        let hello = std::fs::read(dir.join("hello.wav")).unwrap();

        let (signal, start, end) = spoken(1.5, -25.0, 51);
        let script = script.display().to_string();
        let output = rig.record(&["record", &script, "--voice", "mum", "--missing"], &signal);
        let Some((stdout, _)) = succeeded(&output) else {
            return;
        };
        assert!(
            stdout.contains("Recording 1 prompt in the voice \"mum\""),
            "{stdout}"
        );
        assert!(stdout.contains("mum has all 2 prompts"), "{stdout}");
        assert_eq!(
            std::fs::read(dir.join("hello.wav")).unwrap(),
            hello,
            "hello is untouched"
        );
        assert_eq!(files(&dir), ["bye.wav", "hello.wav"]);
        let take = read_take(&dir.join("bye.wav"));
        let speech = (end - start) as f64 / f64::from(RATE);
        let seconds = take.samples.len() as f64 / f64::from(RATE);
        assert!(
            (seconds - (speech + 0.40)).abs() < 0.06,
            "{seconds:.3} s for {speech:.3} s"
        );
    }

    const KEEP_REDO_SKIP: &str = "  [k]eep, [r]edo, [s]kip or [q]uit? (Enter keeps it) ";

    #[test]
    fn single_keys_piped_in_redo_keep_and_skip_without_enter() {
        let rig = Rig::new();
        let script = rig.tiny_script();
        // Three things said, a silence after each.
        let mut signal = Signal::seeded(RATE, 60);
        signal.noise(0.5, FLOOR_DB);
        signal.speech(1.0, -22.0, FLOOR_DB);
        let second_start = signal.noise(2.0, FLOOR_DB);
        let second_end = signal.speech(2.5, -24.0, FLOOR_DB);
        signal.noise(2.0, FLOOR_DB);
        signal.speech(1.2, -22.0, FLOOR_DB);
        signal.noise(0.3, FLOOR_DB);
        // Redo the first take, keep the second (a key and a newline, as
        // `echo k` sends), skip the third.
        let output = rig.record_with_keys(
            &["record", &script, "--voice", "mum"],
            &signal.samples,
            b"rk\ns",
        );
        let Some((stdout, stderr)) = succeeded(&output) else {
            return;
        };
        let answers: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with(KEEP_REDO_SKIP))
            .collect();
        assert_eq!(
            answers,
            [
                format!("{KEEP_REDO_SKIP}redo"),
                format!("{KEEP_REDO_SKIP}keep"),
                format!("{KEEP_REDO_SKIP}skip"),
            ],
            "{stdout}"
        );
        assert!(
            stdout.contains("mum has 1 of 2 prompts (the guide voice speaks the rest)"),
            "{stdout}"
        );
        // hello is the second take; bye was skipped.
        assert_eq!(files(&rig.voice("mum")), ["hello.wav"]);
        let take = read_take(&rig.voice("mum").join("hello.wav"));
        let speech = (second_end - second_start) as f64 / f64::from(RATE);
        let seconds = take.samples.len() as f64 / f64::from(RATE);
        assert!(
            (seconds - (speech + 0.40)).abs() < 0.06,
            "{seconds:.3} s for the second take's {speech:.3} s of speech"
        );
        // Speech came at once: no hint about the microphone.
        assert!(!stderr.contains("I can't hear you"), "{stderr}");
        // Not a terminal: no meter drawn with carriage returns.
        assert!(!stdout.contains('\r'), "{stdout:?}");
    }

    #[test]
    fn q_piped_in_stops_recording_and_keeps_nothing_of_that_take() {
        let rig = Rig::new();
        let script = rig.tiny_script();
        let (signal, _, _) = spoken(1.5, -22.0, 61);
        let output = rig.record_with_keys(&["record", &script, "--voice", "mum"], &signal, b"q");
        let Some((stdout, _)) = succeeded(&output) else {
            return;
        };
        assert!(
            stdout.contains(&format!("{KEEP_REDO_SKIP}quit\n")),
            "{stdout}"
        );
        assert!(!stdout.contains("[2/2]"), "stopped at the first: {stdout}");
        assert!(!rig.voice("mum").join("hello.wav").exists());
    }

    #[test]
    fn five_seconds_without_speech_bring_the_microphone_hint_once() {
        let rig = Rig::new();
        // Only the room for 8 s (the hint comes after 5 s of it, counted
        // in samples, not on the clock), then the parent speaks.
        let mut signal = Signal::seeded(RATE, 62);
        signal.noise(8.0, FLOOR_DB);
        let start = signal.noise(0.1, FLOOR_DB);
        let end = signal.speech(1.5, -24.0, FLOOR_DB);
        signal.noise(0.3, FLOOR_DB);
        let output = rig.record(
            &["record", "--voice", "mum", "--prompt", "feet"],
            &signal.samples,
        );
        let Some((_, stderr)) = succeeded(&output) else {
            return;
        };
        let hints: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("I can't hear you"))
            .collect();
        assert_eq!(
            hints,
            ["  I can't hear you: check the microphone (soothe devices)"],
            "once: {stderr}"
        );
        // The take is still made of what was said after it.
        let take = read_take(&rig.voice("mum").join("feet.wav"));
        let speech = (end - start) as f64 / f64::from(RATE);
        let seconds = take.samples.len() as f64 / f64::from(RATE);
        assert!(
            (seconds - (speech + 0.40)).abs() < 0.08,
            "{seconds:.3} s for {speech:.3} s"
        );
    }

    #[test]
    fn record_input_chooses_the_microphone_by_name_and_refuses_an_unknown_one() {
        let rig = Rig::new();
        rig.add_named_devices();
        let (signal, _, _) = spoken(1.5, -22.0, 63);
        // "kitchen" is the FIFO microphone too, under a name of its own.
        let output = rig.record(
            &[
                "record", "--voice", "mum", "--prompt", "feet", "--input", "Kitchen",
            ],
            &signal,
        );
        let Some((stdout, _)) = succeeded(&output) else {
            return;
        };
        assert!(
            stdout.contains("Recording 1 prompt in the voice \"mum\" from Kitchen microphone."),
            "{stdout}"
        );
        assert!(rig.voice("mum").join("feet.wav").exists());

        let output = rig
            .command(&[
                "record", "--voice", "mum", "--prompt", "feet", "--input", "attic",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(
            text(&output.stderr),
            "soothe: --input \"attic\": there is no such microphone; the microphones: default, kitchen, speakers (`soothe devices` lists them)\n"
        );
    }

    #[test]
    fn soothe_devices_lists_inputs_and_outputs_and_marks_the_defaults() {
        let rig = Rig::new();
        rig.add_named_devices();
        // The default microphone is there, read by no one yet.
        let _mic = Microphone::open(&rig.fifo);
        let output = rig.command(&["devices"]).output().unwrap();
        assert_eq!(text(&output.stderr), "");
        assert!(output.status.success());
        // ALSA cannot say which way a device of a configuration file goes,
        // so both named devices are offered both ways.
        assert_eq!(
            text(&output.stdout),
            "\
Microphones (soothe record --input NAME):
  * default   Default Audio Device
    kitchen   Kitchen microphone
    speakers  Living room speakers
Outputs:
  * default   Default Audio Device
    kitchen   Kitchen microphone
    speakers  Living room speakers
* the system's default
"
        );
    }

    #[test]
    fn soothe_devices_with_no_device_at_all_says_so_in_one_line_without_alsa_noise() {
        let rig = Rig::new();
        std::fs::write(&rig.conf, "").unwrap();
        let output = rig.command(&["devices"]).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(text(&output.stdout), "");
        let soothe = crate::support::cli::SOOTHE;
        assert_eq!(
            text(&output.stderr),
            format!("soothe: no audio device was found: ALSA knows of no microphone and no output. Check that a sound card, headset or USB microphone is connected (on a desktop, that the sound server is running). Without one, `{soothe} render -o session.mp3` makes a file to play on your phone, and memos recorded on a phone come in with: {soothe} record --voice NAME --import-dir DIR\n")
        );
    }

    #[test]
    fn in_a_terminal_one_key_keeps_a_take_and_lines_piped_to_tee_start_at_the_left_edge() {
        require!("tmux");
        let rig = Rig::new();
        let mic = Microphone::open(&rig.fifo);
        let tmux = rig.tmux(
            &["record", "--voice", "mum", "--prompt", "feet"],
            TmuxStdout::Tee,
        );
        // The countdown, then the microphone is listened to: speak.
        tmux.wait_for("the prompt to speak", Duration::from_secs(60), |s| {
            s.contains("speak now")
        });
        let (signal, _, _) = spoken(1.5, -22.0, 64);
        let feeder = mic.feed(signal, true);
        let screen = tmux.wait_for("the question", Duration::from_secs(60), |s| {
            s.contains("[k]eep, [r]edo, [s]kip or [q]uit?")
        });
        assert!(!screen.contains("Saved"), "{screen}");
        // One key, no Enter.
        tmux.keys(&["k"]);
        tmux.wait_for("the take saved", Duration::from_secs(30), |s| {
            s.contains("Saved (")
        });
        assert_eq!(
            tmux.wait_exit(Duration::from_secs(30)),
            0,
            "{}",
            tmux.stderr()
        );
        feeder.stop();
        let screen = tmux.screen();
        assert!(
            screen.contains("  [k]eep, [r]edo, [s]kip or [q]uit? (Enter keeps it) keep\n"),
            "{screen}"
        );
        // Each line where it belongs (raw mode without OPOST drew a
        // staircase of them).
        for start in [
            "Recording 1 prompt",
            "[1/1] feet",
            "mum has 1 of 61 prompts",
        ] {
            assert!(
                screen.lines().any(|l| l.starts_with(start)),
                "{start:?} is not at the left edge:\n{screen}"
            );
        }
        assert!(rig.voice("mum").join("feet.wav").exists());
        let stty = tmux.stty();
        let flags: Vec<&str> = stty.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig", "opost"] {
            assert!(flags.contains(&flag), "{flag} is off after soothe:\n{stty}");
        }
    }

    #[test]
    fn in_a_terminal_a_level_meter_moves_while_listening_and_is_gone_after() {
        require!("tmux");
        let rig = Rig::new();
        let mic = Microphone::open(&rig.fifo);
        let tmux = rig.tmux(
            &["record", "--voice", "mum", "--prompt", "feet"],
            TmuxStdout::Terminal,
        );
        tmux.wait_for("the prompt to speak", Duration::from_secs(60), |s| {
            s.contains("speak now")
        });
        // The room, a little at a time (no speech, and far less than the
        // 5 s after which the hint comes), until the meter shows it.
        let room: Vec<u8> = noise(RATE, RATE as usize / 10, -40.0, 65)
            .iter()
            .flat_map(|s| s.to_le_bytes())
            .collect();
        let started = Instant::now();
        let meter = loop {
            (&*mic.file).write_all(&room).unwrap();
            std::thread::sleep(Duration::from_millis(100));
            let screen = tmux.screen();
            if let Some(line) = screen.lines().find(|l| l.starts_with("  ● ▮")) {
                break line.to_string();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no meter:\n{screen}\n{}",
                tmux.stderr()
            );
        };
        // Noise peaking near -30 dBFS fills about half of the bar.
        assert!(meter.contains('▯') && meter.ends_with(" dB"), "{meter}");
        let (signal, _, _) = spoken(1.5, -22.0, 66);
        let feeder = mic.feed(signal, true);
        tmux.wait_for("the question", Duration::from_secs(60), |s| {
            s.contains("[k]eep, [r]edo, [s]kip or [q]uit?")
        });
        tmux.keys(&["k"]);
        assert_eq!(
            tmux.wait_exit(Duration::from_secs(30)),
            0,
            "{}",
            tmux.stderr()
        );
        feeder.stop();
        let screen = tmux.screen();
        assert!(
            !screen.contains('▯'),
            "the meter is cleared once the take ends:\n{screen}"
        );
        assert!(screen.contains("  Saved ("), "{screen}");
    }

    #[test]
    fn a_take_without_speech_asks_redo_skip_or_quit_and_a_piped_s_skips_it() {
        let rig = Rig::new();
        let script = rig.tiny_script();
        // A fan and nobody speaking for the 20 s soothe waits for speech
        // (the fan stops as the take ends); then the next prompt is spoken.
        let mut signal = Signal::seeded(RATE, 67);
        signal.noise(20.0, -35.0);
        let start = signal.noise(0.5, FLOOR_DB);
        let end = signal.speech(1.5, -22.0, FLOOR_DB);
        signal.noise(0.3, FLOOR_DB);
        // s skips hello; with no key left, bye's take is kept.
        let output = rig.record_with_keys(
            &["record", &script, "--voice", "mum"],
            &signal.samples,
            b"s",
        );
        let Some((stdout, stderr)) = succeeded(&output) else {
            return;
        };
        assert!(
            stdout.contains("\n  [r]edo, [s]kip or [q]uit? skip\n\n[2/2] bye\n"),
            "{stdout}"
        );
        // The hint came while the fan droned on, once.
        assert_eq!(stderr.matches("I can't hear you").count(), 1, "{stderr}");
        assert_eq!(files(&rig.voice("mum")), ["bye.wav"]);
        let take = read_take(&rig.voice("mum").join("bye.wav"));
        let speech = (end - start) as f64 / f64::from(RATE);
        let seconds = take.samples.len() as f64 / f64::from(RATE);
        assert!(
            (seconds - (speech + 0.40)).abs() < 0.08,
            "{seconds:.3} s for {speech:.3} s"
        );
    }

    /// A cry of the donateacry corpus (8 kHz), at the microphone's 48 kHz.
    fn cry_at_48k() -> Vec<f32> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "tests/fixtures/cries/7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav",
        );
        let mut reader = hound::WavReader::open(path).unwrap();
        assert_eq!(reader.spec().sample_rate, 8_000);
        let low: Vec<f32> = reader
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) / 32768.0)
            .collect();
        (0..(low.len() - 1) * 6)
            .map(|i| {
                let (k, t) = (i / 6, (i % 6) as f32 / 6.0);
                low[k] * (1.0 - t) + low[k + 1] * t
            })
            .collect()
    }

    #[test]
    fn soothe_listen_hears_a_cry_on_the_microphone_and_says_so() {
        let rig = Rig::new();
        let output = rig.record(&["listen", "--seconds", "6"], &cry_at_48k());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines[0],
            "Listening: let soothe hear your baby from where you will massage them (6 s). Nothing is recorded.",
            "{stdout}"
        );
        // Plain lines, one each time what it hears changes.
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with('[') && l.ends_with("] I can hear crying")),
            "{stdout}"
        );
        assert_eq!(
            lines.last().copied(),
            Some("Crying was heard from there: `soothe play --listen` will hear it too."),
            "{stdout}"
        );
        assert!(!stderr.contains("ALSA lib"), "{stderr}");
    }

    #[test]
    fn soothe_listen_at_low_sensitivity_says_so_hears_the_cry_and_names_the_flag_for_play() {
        let rig = Rig::new();
        let output = rig.record(
            &["listen", "--seconds", "6", "--sensitivity", "low"],
            &cry_at_48k(),
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines[0],
            "Listening at low sensitivity: let soothe hear your baby from where you will massage them (6 s). Nothing is recorded.",
            "{stdout}"
        );
        assert_eq!(
            lines.last().copied(),
            Some("Crying was heard from there: `soothe play --listen --sensitivity low` will hear it too."),
            "{stdout}"
        );
    }

    #[test]
    fn soothe_listen_in_a_quiet_room_says_it_cannot_hear_crying_and_what_to_try() {
        let rig = Rig::new();
        let output = rig.record(&["listen", "--seconds", "3"], &[]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("] I can't hear crying\n"), "{stdout}");
        assert!(!stdout.contains("I can hear crying"), "{stdout}");
        assert!(
            stdout.ends_with(
                "No crying was heard. If your baby cried, bring the laptop closer, turn the microphone up, or choose another with --input (soothe devices lists them).\n"
            ),
            "{stdout}"
        );
    }

    #[test]
    fn soothe_listen_with_a_silent_microphone_at_a_dc_offset_a_step_of_it_or_a_steady_tone_cannot_hear_crying(
    ) {
        // A silent microphone 41 dB under full scale was "I can hear
        // crying" at 1.7 s, and said `play --listen` would hear it too.
        let dc = 10f32.powf(-41.0 / 20.0);
        let seconds = 8 * RATE as usize;
        let offset = vec![dc; seconds];
        let mut step = vec![0.0; 3 * RATE as usize];
        step.extend(vec![0.3; seconds]);
        let tone: Vec<f32> = (0..seconds)
            .map(|i| 0.014 * (2.0 * std::f32::consts::PI * 1_500.0 * i as f32 / RATE as f32).sin())
            .collect();
        for (what, signal) in [("offset", offset), ("step", step), ("tone", tone)] {
            let rig = Rig::new();
            let output = rig.record(&["listen", "--seconds", "7"], &signal);
            let stdout = String::from_utf8_lossy(&output.stdout);
            if alsa_unavailable(&output) {
                return;
            }
            assert!(output.status.success(), "{what}: {stdout}");
            assert!(!stdout.contains("I can hear"), "{what}: {stdout}");
            assert!(stdout.ends_with("No crying was heard. If your baby cried, bring the laptop closer, turn the microphone up, or choose another with --input (soothe devices lists them).\n"), "{what}: {stdout}");
        }
    }

    #[test]
    fn soothe_listen_with_an_unknown_input_exits_2_naming_the_microphones() {
        let rig = Rig::new();
        let output = rig
            .command(&["listen", "--input", "nothing-like-this", "--seconds", "1"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("nothing-like-this"), "{stderr}");
    }
}
