//! Tab after `--variant`, `--with`, `--without`, `--skip`, `--from` and
//! `--voice` offers the script's variants, options and steps and the
//! voices found, not file names: the generated scripts run in a real bash,
//! fish and zsh, as a parent's shell would run them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::cli::{base_env, ok, SOOTHE};

/// A home with two recorded voices and a settings-free config, a working
/// folder holding files whose names a file completion would offer, and
/// soothe on the PATH as `soothe`.
struct Shell {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Shell {
    fn new() -> Shell {
        let home = tempfile::tempdir().unwrap();
        for voice in ["mum", "dad"] {
            std::fs::create_dir_all(home.path().join(".local/share/soothe/voices").join(voice))
                .unwrap();
        }
        for file in ["relaxing.txt", "tummy.wav", "mum.ron"] {
            std::fs::write(home.path().join(file), "").unwrap();
        }
        let bin = Path::new(SOOTHE).parent().unwrap();
        let mut env = base_env(home.path());
        env.push((
            "PATH".into(),
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        ));
        Shell { home, env }
    }

    fn dir(&self) -> &Path {
        self.home.path()
    }

    /// The completion script for `shell`, written in the home.
    fn script(&self, shell: &str) -> PathBuf {
        let path = self.dir().join(format!("soothe.{shell}"));
        std::fs::write(&path, ok(&["completions", shell]).stdout).unwrap();
        path
    }

    fn run(&self, program: &str, args: &[&str]) -> String {
        let output = Command::new(program)
            .args(args)
            .current_dir(self.dir())
            .env_clear()
            .envs(self.env.iter().cloned())
            .output()
            .unwrap();
        assert!(output.status.success(), "{program}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }
}

/// The fixture script: steps first, second, third and close; one variant.
fn fixture() -> String {
    std::fs::canonicalize("tests/fixtures/live-session.ron")
        .unwrap()
        .display()
        .to_string()
}

/// What bash offers after `line` and Tab (the line ends where the cursor
/// is; an empty last word ends it with a space), with the script loaded
/// as bash-completion loads it.
fn bash_offers(shell: &Shell, script: &Path, line: &str) -> Vec<String> {
    let mut words: Vec<&str> = line.split(' ').collect();
    if line.ends_with(' ') {
        words.pop();
        words.push("");
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
         $(complete -p soothe | sed 's/.* -F \\([^ ]*\\) .*/\\1/') soothe '{}' '{}'; for word in \"${{COMPREPLY[@]}}\"; do printf '%s\\n' \"$word\"; done",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    shell
        .run("bash", &["--norc", "--noprofile", "-c", &program])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_variants_options_steps_and_voices_not_file_names() {
    let shell = Shell::new();
    let script = shell.script("bash");
    let fixture = fixture();
    let offers = |line: &str| bash_offers(&shell, &script, line);
    // Before: `compgen -f`, the files here (relaxing.txt, tummy.wav...).
    assert_eq!(
        offers("soothe play --variant "),
        ["relaxing", "invigorating"]
    );
    assert_eq!(offers("soothe render --with c"), ["colic"]);
    assert_eq!(
        offers("soothe plan --without "),
        [
            "colic",
            "traumatic-birth",
            "after-feed",
            "no-oil",
            "newborn"
        ]
    );
    assert_eq!(offers("soothe play --skip t"), ["tummy"]);
    assert_eq!(
        offers("soothe play --from "),
        ["welcome", "feet", "legs", "head", "check-in", "back", "tummy", "arms", "close"]
    );
    // The script named on the line, past options and their values.
    assert_eq!(
        offers(&format!("soothe play {fixture} --from ")),
        ["first", "second", "third", "close"]
    );
    assert_eq!(
        offers(&format!(
            "soothe -q render --voice-gain -3 {fixture} --with colic --skip s"
        )),
        ["second"]
    );
    // The voices found, the guide first.
    assert_eq!(offers("soothe play --voice "), ["guide", "dad", "mum"]);
    assert_eq!(offers("soothe record --voice m"), ["mum"]);
    assert_eq!(offers("soothe check --voice g"), ["guide"]);
    // A folder of recordings, by its path.
    std::fs::create_dir(shell.dir().join("voices-gran")).unwrap();
    assert_eq!(offers("soothe play --voice ./v"), ["./voices-gran"]);
    // A script that is not there: nothing, quietly.
    assert!(offers("soothe play missing.ron --from ").is_empty());
    // Other options and commands as clap completes them.
    assert_eq!(offers("soothe play --fr"), ["--from"]);
    assert_eq!(offers("soothe pl"), ["play", "plan"]);
    // The command the scripts ask is not one to offer.
    assert_eq!(offers("soothe c"), ["check", "completions"]);
    assert_eq!(
        shell.run(
            "bash",
            &[
                "--norc",
                "-c",
                &format!("source '{}'; complete -p soothe", script.display())
            ]
        ),
        "complete -o bashdefault -o default -o nosort -F _soothe_values soothe\n"
    );
}

#[test]
fn bash_completes_the_steps_of_the_settings_script_when_the_line_names_none() {
    let shell = Shell::new();
    let settings = shell.dir().join(".config/soothe/settings.ron");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, format!("(script: \"{}\")\n", fixture())).unwrap();
    let script = shell.script("bash");
    assert_eq!(
        bash_offers(&shell, &script, "soothe play --skip "),
        ["first", "second", "third", "close"]
    );
    // The line's script wins.
    std::fs::write(shell.dir().join("builtin.ron"), ok(&["script"]).stdout).unwrap();
    assert_eq!(
        bash_offers(&shell, &script, "soothe plan builtin.ron --skip t"),
        ["tummy"]
    );
}

/// What fish offers after `line` and Tab: the candidates, without the
/// descriptions.
fn fish_offers(shell: &Shell, script: &Path, line: &str) -> Vec<String> {
    let program = format!("source '{}'; complete -C'{line}'", script.display());
    shell
        .run("fish", &["--no-config", "-c", &program])
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn fish_completes_variants_options_steps_and_voices_not_file_names() {
    require!("fish");
    let shell = Shell::new();
    let script = shell.script("fish");
    let fixture = fixture();
    let offers = |line: &str| fish_offers(&shell, &script, line);
    assert_eq!(
        offers("soothe play --variant "),
        ["invigorating", "relaxing"]
    );
    assert_eq!(offers("soothe render --with c"), ["colic"]);
    assert_eq!(offers("soothe play --skip t"), ["tummy"]);
    assert_eq!(
        offers(&format!(
            "soothe -q render --voice-gain -3 {fixture} --from "
        )),
        ["close", "first", "second", "third"]
    );
    assert_eq!(offers("soothe play --voice "), ["dad", "guide", "mum"]);
    assert!(offers("soothe play --from zz").is_empty());
    assert!(offers("soothe play missing.ron --from ").is_empty());
    assert_eq!(offers("soothe play --fr"), ["--from"]);
}

/// zsh, interactive in tmux as a parent's terminal: what it lists after
/// `line` and Tab (the words in the rows under the prompt).
fn zsh_lists(shell: &Shell, line: &str) -> Vec<String> {
    let dir = shell.dir();
    let functions = dir.join("zsh-functions");
    std::fs::create_dir_all(&functions).unwrap();
    std::fs::write(
        functions.join("_soothe"),
        ok(&["completions", "zsh"]).stdout,
    )
    .unwrap();
    std::fs::write(
        dir.join(".zshrc"),
        format!(
            "fpath=({} $fpath)\nautoload -Uz compinit\ncompinit -u -d {}\nPS1='> '\n",
            functions.display(),
            dir.join(".zcompdump").display()
        ),
    )
    .unwrap();
    let socket = dir.join("tmux.sock");
    let tmux = |args: &[&str]| {
        let output = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .envs(shell.env.iter().cloned())
            .env("ZDOTDIR", dir)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    tmux(&["new-session", "-d", "-x", "200", "-y", "12", "zsh -i"]);
    let screen = || tmux(&["capture-pane", "-p"]);
    let wait = |ready: &dyn Fn(&str) -> bool| {
        let since = Instant::now();
        loop {
            let text = screen();
            if ready(&text) {
                return text;
            }
            assert!(since.elapsed() < Duration::from_secs(20), "zsh:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait(&|s| s.starts_with('>'));
    tmux(&["send-keys", "-l", line]);
    tmux(&["send-keys", "Tab"]);
    let text = wait(&|s| s.lines().nth(1).is_some_and(|l| !l.trim().is_empty()));
    // A moment more for the whole list.
    std::thread::sleep(Duration::from_millis(300));
    let text = if screen() == text { text } else { screen() };
    tmux(&["kill-server"]);
    text.lines()
        .skip(1)
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect()
}

#[test]
fn zsh_completes_variants_options_steps_and_voices_not_file_names() {
    require!("zsh", "tmux");
    let shell = Shell::new();
    let fixture = fixture();
    assert_eq!(
        zsh_lists(&shell, "soothe play --variant "),
        ["invigorating", "relaxing"]
    );
    assert_eq!(
        zsh_lists(&shell, "soothe plan --with "),
        [
            "after-feed",
            "colic",
            "newborn",
            "no-oil",
            "traumatic-birth"
        ]
    );
    assert_eq!(
        zsh_lists(
            &shell,
            &format!("soothe -q render {fixture} -o x.mp3 --skip ")
        ),
        ["close", "first", "second", "third"]
    );
    assert_eq!(
        zsh_lists(&shell, "soothe play --voice "),
        ["dad", "guide", "mum"]
    );
}
