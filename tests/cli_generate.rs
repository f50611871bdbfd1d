//! `soothe completions SHELL` and `soothe man`: generated from the command
//! line's own definition, so they name every command and option there is.

use std::process::Command;

use crate::support::cli::{ok, soothe};

const COMMANDS: [&str; 10] = [
    "play",
    "render",
    "plan",
    "check",
    "prompts",
    "record",
    "voices",
    "script",
    "completions",
    "man",
];

fn stdout(args: &[&str]) -> String {
    String::from_utf8(ok(args).stdout).unwrap()
}

#[test]
fn completions_for_each_shell_name_every_command_and_option() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&["completions", shell]);
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: no {command}");
        }
        for option in ["from", "voice-gain", "split"] {
            // fish writes `-l from`, the others `--from`.
            let written = match shell {
                "fish" => format!("-l {option}"),
                _ => format!("--{option}"),
            };
            assert!(script.contains(&written), "{shell}: no {written}");
        }
    }
    let output = soothe().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("[possible values: bash, elvish, fish, powershell, zsh]"));
}

/// What bash offers after `soothe WORDS` and Tab, with the script loaded.
fn bash_offers(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let previous = words[words.len() - 2];
    let current = words[words.len() - 1];
    let program = format!(
        "source '{}'; COMP_WORDS=({line}); COMP_CWORD={}; _soothe soothe '{current}' '{previous}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.len() - 1
    );
    let output = Command::new("bash")
        .args(["-c", &program])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_and_their_options() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("soothe.bash");
    std::fs::write(&script, ok(&["completions", "bash"]).stdout).unwrap();
    assert_eq!(bash_offers(&script, &["soothe", "pl"]), ["play", "plan"]);
    assert_eq!(
        bash_offers(&script, &["soothe", "play", "--fr"]),
        ["--from"]
    );
    assert_eq!(
        bash_offers(&script, &["soothe", "completions", "f"]),
        ["fish"]
    );
}

#[test]
fn the_man_page_renders_every_command_with_its_options_and_keys() {
    let page = stdout(&["man"]);
    let macros: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with('.') && !l.starts_with(".ie") && !l.starts_with(".el"))
        .collect();
    assert_eq!(macros.first(), Some(&".TH soothe 1  \"soothe 0.1.0\" "));
    for command in COMMANDS {
        assert!(
            macros
                .iter()
                .any(|l| l.starts_with(&format!(".SS \"soothe {command}"))),
            "no section for {command}"
        );
    }
    assert!(page.contains(".SS \"soothe play [OPTIONS] [SCRIPT]\""));
    assert!(page.contains("\\fB\\-\\-from\\fR"), "play's options");
    assert!(page.contains("Pedal tip"));

    // As a reader shows it.
    require!("man");
    let rendered = Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", "100")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut man| {
            use std::io::Write;
            man.stdin.take().unwrap().write_all(page.as_bytes())?;
            man.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(text.contains("soothe play [OPTIONS] [SCRIPT]"), "{text}");
    assert!(
        text.contains("  q, Esc or Ctrl-C    stop; soothe prints the command"),
        "the keys, line for line:\n{text}"
    );
}
