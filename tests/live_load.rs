//! `soothe play` on a busy machine, through the path every Linux desktop
//! gives an ALSA program: alsa-lib's PulseAudio plugin, into a server that
//! runs in real time. The load is the kind that disturbs players: threads
//! spinning on sched_yield (as OpenMP and BLAS runtimes, browsers and
//! games do), a writer that fsyncs, and a loop starting short processes.
//! Every sample must reach the speaker; and soothe must say that the sound
//! broke up when, and only when, it did.
#![cfg(all(feature = "device", target_os = "linux"))]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::audio::{first_voiced, follow, locate, near, Move};
use crate::support::cli::{base_env, SOOTHE};
use crate::support::process::signal;
use crate::support::pulse::Pulse;
use crate::support::session::Session;

/// Plays the fixture session to its end through `pulse`; `during` runs
/// while it plays, given soothe's pid, and what it returns (a load, say)
/// lives until soothe has ended. Returns the capture and stderr.
fn play<T>(session: &Session, pulse: &Pulse, during: impl FnOnce(u32) -> T) -> (Vec<f32>, String) {
    let dir = session.dir.path();
    let recorder = pulse.record();
    let child = Command::new(SOOTHE)
        .arg("play")
        .args(session.args())
        .envs(base_env(dir))
        .envs(pulse.env())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("soothe starts");
    let guard = during(child.id());
    let output = child.wait_with_output().unwrap();
    drop(guard);
    // Let the last samples through the server and the recorder, which a
    // busy machine may have held back too.
    std::thread::sleep(Duration::from_millis(1500));
    let capture = recorder.stop();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "soothe failed:\n{stderr}");
    (capture, stderr)
}

#[test]
fn on_a_busy_machine_every_sample_reaches_the_speaker_and_nothing_is_claimed() {
    require!("pulseaudio", "pactl", "parec", "alsa-pulse", "stress-ng");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    // Should the machine be busier still (other builds beside this load),
    // one more try, saying so, so that a break that happens twice fails. (Whenever the sound broke, soothe
    // must have said so: that is checked on every try.)
    for attempt in 1..=2 {
        let dir = session.dir.path().join(format!("attempt-{attempt}"));
        let pulse = Pulse::start(&dir);
        let (capture, stderr) = play(&session, &pulse, |_| Load::start(&dir));
        let heard = breaks(&capture, &session.render);
        match follow(&capture, &session.render, 0.0, &[Move::End]) {
            Ok(_) => {
                assert!(!stderr.contains("broke up"), "{stderr}");
                return;
            }
            Err(why) if attempt == 1 => {
                assert!(
                    stderr.contains("The sound broke up"),
                    "the sound broke ({heard:?}) and soothe said nothing:\n{stderr}"
                );
                eprintln!(
                    "Once more: sound was lost under load: {why}\nbreaks: {heard:?}\n{stderr}"
                );
            }
            Err(why) => panic!(
                "sound was lost under load, twice: {why}\nbreaks: {heard:?}\nstderr:\n{stderr}"
            ),
        }
    }
}

#[test]
fn a_stall_is_reported_once_with_the_length_that_was_heard() {
    require!("pulseaudio", "pactl", "parec", "alsa-pulse");
    let session = Session::new();
    let _one_at_a_time = crate::support::realtime();
    let pulse = Pulse::start(session.dir.path());
    let listener = pulse.listen();
    let (capture, stderr) = play(&session, &pulse, |pid| {
        assert!(listener.wait_for_sound(Duration::from_secs(20)), "no sound");
        std::thread::sleep(Duration::from_millis(1500));
        // The whole player stops for 1.5 s, far longer than the half
        // second the device holds: it runs dry.
        signal(pid, libc::SIGSTOP);
        let stopped = Instant::now();
        while stopped.elapsed() < Duration::from_millis(1500) {
            std::thread::sleep(Duration::from_millis(5));
        }
        signal(pid, libc::SIGCONT);
    });
    let heard = breaks(&capture, &session.render).unwrap_or_else(|why| panic!("{why}\n{stderr}"));
    assert_eq!(
        heard.len(),
        1,
        "one break in the capture: {heard:?}\n{stderr}"
    );
    let silence = heard[0].1 as f64 / 48_000.0;
    let said = stderr
        .lines()
        .find_map(|line| line.strip_prefix("The sound broke up once ("))
        .unwrap_or_else(|| panic!("no report of one break:\n{stderr}"));
    let (number, unit) = said
        .split_once(" in all)")
        .and_then(|(length, _)| length.split_once(' '))
        .unwrap_or_else(|| panic!("no length in: {said}"));
    let number: f64 = number.parse().unwrap();
    let reported = if unit == "ms" {
        number / 1000.0
    } else {
        number
    };
    eprintln!("heard {silence:.3} s of silence, soothe said {reported:.3} s");
    assert!(
        (reported - silence).abs() <= 0.06,
        "reported {reported} s, heard {silence} s of silence\n{stderr}"
    );
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

/// Where the sound broke up in a capture of the whole render (at unit
/// gain): for each break, the render sample where it happened and how
/// many samples of silence it put in (negative: samples lost). Errors
/// when the render cannot be followed to its end.
pub fn breaks(c: &[f32], r: &[f32]) -> Result<Vec<(usize, i64)>, String> {
    let v = first_voiced(r, 0).ok_or("the render is silent")?;
    let cv = locate(c, 0, r, v, 1.0).ok_or("the render never appears in the capture")?;
    let mut at = cv.checked_sub(v).ok_or("the capture began too late")?;
    let mut from = 0;
    let mut found = Vec::new();
    loop {
        let mut m = 0;
        while from + m < r.len() && at + m < c.len() && near(c[at + m], r[from + m]) {
            m += 1;
        }
        if from + m >= r.len() {
            return Ok(found);
        }
        if at + m >= c.len() {
            return Err(format!(
                "the capture ends {:.3} s into the render",
                (from + m) as f64 / 48_000.0
            ));
        }
        // The render goes on somewhere later in the capture.
        let broke = from + m;
        let resume = first_voiced(r, broke + 1).ok_or("nothing to resume")?;
        let search = (at + m).saturating_sub(48_000);
        let again = locate(c, search, r, resume, 1.0).ok_or_else(|| {
            format!(
                "the render from {:.3} s never comes back",
                resume as f64 / 48_000.0
            )
        })?;
        let expected = at + (resume - from);
        found.push((broke, again as i64 - expected as i64));
        at = again;
        from = resume;
    }
}
