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
    let text = man_at(&page, 100);
    assert!(text.contains("soothe play [OPTIONS] [SCRIPT]"), "{text}");
    assert!(
        text.contains("  q, Esc or Ctrl-C    stop; soothe prints the command"),
        "the keys, line for line:\n{text}"
    );
}

/// The man page `page` as `man` shows it at `width` columns.
fn man_at(page: &str, width: u16) -> String {
    let rendered = Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", width.to_string())
        .env("LC_ALL", "C.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut man| {
            use std::io::Write;
            man.stdin.take().unwrap().write_all(page.as_bytes())?;
            man.wait_with_output()
        })
        .unwrap();
    assert!(rendered.status.success(), "{rendered:?}");
    String::from_utf8(rendered.stdout).unwrap()
}

/// `text` with every gap after column `from` one space wide: groff
/// justifies a line by widening its gaps, from the left on one line and
/// from the right on the next, so the same words are spaced one way or
/// the other by how many lines came before them.
fn unjustified(text: &str, from: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let split = line.char_indices().nth(from).map_or(line.len(), |(i, _)| i);
        let (head, tail) = line.split_at(split);
        out.push_str(head);
        out.push_str(&tail.split_whitespace().collect::<Vec<_>>().join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn at_80_columns_no_line_of_the_man_page_is_wider() {
    require!("man");
    // Before: 37 lines wider, the tables of keys and examples set line for
    // line, up to 190 columns for `?`.
    let text = man_at(&stdout(&["man"]), 80);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    // Keys beside what they do, the words wrapped under them.
    assert!(
        unjustified(&text, 27).contains(concat!(
            "       q, Esc or Ctrl-C    stop; soothe prints the command that goes on from\n",
            "                           that step\n"
        )),
        "{text}"
    );
    // A long example over what it does.
    assert!(
        text.contains(concat!(
            "       soothe play --voice-gain -30 --chime-gain -30\n",
            "              whisper-quiet, for a sleeping household\n"
        )),
        "{text}"
    );
    // A command too wide, continued as a shell reads it.
    assert!(
        text.contains(concat!(
            "       soothe completions bash > \\\n",
            "           ~/.local/share/bash-completion/completions/soothe\n"
        )),
        "{text}"
    );
}
