//! The help: `-h` short, `--help` long with examples for each command,
//! the keys and the pedal tip in `play --help`, and a help line for every
//! option.

use crate::support::cli::ok;

fn stdout(args: &[&str]) -> String {
    String::from_utf8(ok(args).stdout).unwrap()
}

#[test]
fn play_help_lists_the_keys_and_the_pedal_tip() {
    let long = stdout(&["play", "--help"]);
    for key in [
        "space or p ",
        "n or right arrow ",
        "b or left arrow ",
        "+ and - ",
        "d                   baby's done",
        "q, Esc or Ctrl-C ",
    ] {
        assert!(long.contains(key), "no {key:?} in play --help:\n{long}");
    }
    assert!(long.contains("Pedal tip: a USB foot pedal"), "{long}");
    // -h is short: the keys on one line, no pedal tip, no examples.
    let short = stdout(&["play", "-h"]);
    assert!(
        short.contains("Keys: space pause, n next, b back, + and - volume, d baby's done, q quit, ? every key."),
        "{short}"
    );
    assert!(!short.contains("Pedal tip"), "{short}");
    assert!(!short.contains("Examples:"), "{short}");
    assert!(short.lines().count() < long.lines().count());
}

#[test]
fn every_command_has_examples_in_its_long_help_only() {
    let mut commands = vec![Vec::new()];
    commands.extend(
        soothe::cli::command()
            .get_subcommands()
            .map(|c| vec![c.get_name().to_string()]),
    );
    for command in commands {
        let args = |flag: &'static str| -> Vec<&str> {
            command.iter().map(String::as_str).chain([flag]).collect()
        };
        let long = stdout(&args("--help"));
        let examples = long
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("soothe {command:?} --help has no examples:\n{long}"))
            .1;
        let prefix = format!("  soothe {}", command.join(" "));
        assert!(
            examples.lines().any(|l| l.starts_with(prefix.trim_end())),
            "soothe {command:?} --help: no example of it:\n{long}"
        );
        let short = stdout(&args("-h"));
        assert!(!short.contains("Examples:"), "{short}");
        assert!(short.len() < long.len(), "{command:?}: -h is the shorter");
    }
}

#[test]
fn every_option_of_every_command_has_a_help_line() {
    let mut root = soothe::cli::command();
    root.build();
    let mut missing = Vec::new();
    let mut stack = vec![(String::from("soothe"), root)];
    while let Some((path, command)) = stack.pop() {
        for arg in command.get_arguments() {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if help.trim().is_empty() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
        }
    }
    assert!(missing.is_empty(), "no help line: {missing:?}");
}

/// `check --voice` had no help line (issue 12).
#[test]
fn check_voice_has_a_help_line() {
    let help = stdout(&["check", "-h"]);
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("--voice <VOICE>"))
        .unwrap_or_else(|| panic!("{help}"));
    assert!(
        line.contains("The voice whose missing recordings to list"),
        "{line}"
    );
}

/// An example: what to type, and the column its description begins at
/// (`None`: no run of two spaces or more sets them apart).
type Example = (String, Option<usize>);

/// Each block of examples in `help`, row by row.
fn example_rows(help: &str) -> Vec<Vec<Example>> {
    help.split("\nExamples:\n")
        .skip(1)
        .map(|rest| {
            rest.lines()
                .take_while(|line| line.starts_with("  "))
                .map(|line| {
                    let row = &line[2..];
                    match row.find("  ") {
                        Some(gap) => {
                            let words = row[gap..].trim_start();
                            (row[..gap].to_string(), Some(2 + row.len() - words.len()))
                        }
                        None => (row.to_string(), None),
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_whisper_quiet_example_of_play_help_is_set_apart_from_its_description() {
    // Before: "--chime-gain -30 whisper-quiet", one space between them, and
    // the description column of record's and log's examples out of line.
    let mut commands = vec![Vec::new()];
    commands.extend(
        soothe::cli::command()
            .get_subcommands()
            .map(|c| vec![c.get_name().to_string()]),
    );
    for command in commands {
        let args: Vec<&str> = command
            .iter()
            .map(String::as_str)
            .chain(["--help"])
            .collect();
        let help = stdout(&args);
        for block in example_rows(&help) {
            let columns: Vec<usize> = block
                .iter()
                .map(|(example, column)| {
                    column
                        .unwrap_or_else(|| panic!("{example:?} has no description apart:\n{help}"))
                })
                .collect();
            assert!(
                columns.iter().all(|&c| c == columns[0]),
                "{command:?}: descriptions at columns {columns:?}:\n{help}"
            );
        }
    }
    let play = stdout(&["play", "--help"]);
    assert!(
        play.contains(
            "\n  soothe play --voice-gain -30 --chime-gain -30   whisper-quiet, for a sleeping household\n"
        ),
        "{play}"
    );
}
