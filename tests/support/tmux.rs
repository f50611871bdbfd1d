//! tmux as the parent's terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::cli::SOOTHE;
use super::process::signal;

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
    /// Through `| tee` to the file and back to the terminal (the status
    /// recorded is then tee's).
    Tee,
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
        let command: Vec<String> = std::iter::once(SOOTHE.to_string())
            .chain(args.iter().cloned())
            .map(|a| quote(&a))
            .collect();
        let (redirect, pipe) = match stdout {
            Stdout::Terminal => (String::new(), String::new()),
            Stdout::File => (format!(" > {}", path("stdout.txt")), String::new()),
            Stdout::Tee => (String::new(), format!(" | tee {}", path("stdout.txt"))),
        };
        // The inner shell writes its pid, then becomes soothe.
        script.push_str(&format!(
            "sh -c 'echo $$ > \"$0\"; exec \"$@\"' {} {}{redirect} 2> {}{pipe}\n",
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
                // What soothe wrote last may still be on its way to the
                // screen (through tee, say): a last look, then the verdict.
                let settle = Instant::now();
                while settle.elapsed() < Duration::from_secs(2) {
                    let screen = self.screen();
                    if ready(&screen) {
                        return screen;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                panic!(
                    "soothe exited ({status}) before {what}:\n{}\nstderr:\n{}",
                    self.screen(),
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
