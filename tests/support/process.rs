//! Processes the tests start: signals, whether one still runs, and a busy
//! machine.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
