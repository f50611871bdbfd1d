//! Standard output that cannot be written: a full disk (`/dev/full`) is a
//! failure that says so, exit 1, for the commands' output and for the
//! help and the version alike; a pipe closed early (`| head -1`) is not.

use std::process::{Command, Stdio};

use crate::support::cli::{NO_CONFIG, SOOTHE};

#[derive(Debug, PartialEq)]
struct Ran {
    code: Option<i32>,
    stderr: String,
}

/// soothe with `args`, its standard output `stdout`.
fn run(args: &[&str], stdout: impl Into<Stdio>) -> Ran {
    let output = Command::new(SOOTHE)
        .args(args)
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    Ran {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `/dev/full`: every write fails with "No space left on device".
fn full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

/// A pipe whose reading end is already closed, as `head` leaves it.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

const FULL: &str = "soothe: standard output: No space left on device\n";

#[test]
fn prompts_plan_and_script_into_dev_full_say_so_and_exit_1() {
    for args in [
        &["prompts"][..],
        &["prompts", "--tsv"],
        &["plan"],
        &["plan", "--json"],
        &["script"],
        &["check"],
        &["settings", "--example"],
        &["completions", "bash"],
    ] {
        assert_eq!(
            run(args, full()),
            Ran {
                code: Some(1),
                stderr: FULL.into()
            },
            "soothe {args:?} > /dev/full"
        );
    }
}

#[test]
fn help_short_help_play_help_and_version_into_dev_full_say_so_and_exit_1() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["play", "--help"],
        &["help", "record"],
        &["--version"],
        &["-V"],
    ] {
        assert_eq!(
            run(args, full()),
            Ran {
                code: Some(1),
                stderr: FULL.into()
            },
            "soothe {args:?} > /dev/full"
        );
    }
}

#[test]
fn prompts_plan_script_and_help_into_a_closed_pipe_end_quietly() {
    for args in [
        &["prompts"][..],
        &["plan"],
        &["plan", "--json"],
        &["script"],
        &["--help"],
        &["--version"],
    ] {
        assert_eq!(
            run(args, closed_pipe()),
            Ran {
                code: Some(0),
                stderr: String::new()
            },
            "soothe {args:?} | (closed)"
        );
    }
}
