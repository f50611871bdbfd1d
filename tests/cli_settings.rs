//! The settings file (`$XDG_CONFIG_HOME/soothe/settings.ron`): shown by
//! `soothe settings`, used by play, render and plan under the flags, and
//! refused at `PATH:LINE:COL` with exit code 2 when it cannot be used.
//! Also `--quiet` and `--verbose`, which decide what else reaches stderr.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::cli::{LOCALE, SOOTHE};

/// A home of its own: config, data (voices) and state folders.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Where the settings file goes.
    fn settings(&self) -> PathBuf {
        self.path("config/soothe/settings.ron")
    }

    fn write_settings(&self, text: &str) -> PathBuf {
        let path = self.settings();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A recorded voice of that name (with no takes yet: the guide speaks
    /// for it).
    fn voice(&self, name: &str) {
        std::fs::create_dir_all(self.path("data/soothe/voices").join(name)).unwrap();
    }

    fn soothe(&self, args: &[&str]) -> Output {
        self.soothe_in(args, None)
    }

    /// Runs soothe with `args`, in the locale `lang` (none: no locale).
    fn soothe_in(&self, args: &[&str], lang: Option<&str>) -> Output {
        let mut command = std::process::Command::new(SOOTHE);
        command
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_STATE_HOME", self.path("state"));
        for name in LOCALE {
            command.env_remove(name);
        }
        if let Some(lang) = lang {
            command.env("LANG", lang);
        }
        command.output().unwrap()
    }

    /// Runs soothe; it must succeed. Returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.soothe(args);
        assert!(
            output.status.success(),
            "soothe {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn plan(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["plan", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

const SETTINGS: &str = r#"// Evenings with mum's voice.
Settings(
    voice: "mum",
    variant: "invigorating",
    options: ["colic"],
    voice_gain: -6.0,
    chime_gain: -20,
    listening: true,
    sensitivity: "Low",
)
"#;

#[test]
fn settings_show_what_the_file_says_and_play_render_and_plan_use_it() {
    let home = Home::new();
    home.voice("mum");
    let path = home.write_settings(SETTINGS);
    assert_eq!(
        home.ok(&["settings"]),
        format!(
            "Settings file: {}\n\n\
             script      the built-in session (default)\n\
             language    en (default)\n\
             voice       mum\n\
             variant     invigorating\n\
             options     colic\n\
             voice gain  -6 dB\n\
             chime gain  -20 dB\n\
             listening   on\n\
             sensitivity low\n\n\
             A flag on the command line wins over the file (--voice, --variant, --with, --voice-gain, --chime-gain, --language, SCRIPT).\n",
            path.display()
        )
    );

    let plan = home.plan(&[]);
    assert_eq!(plan["variant"], "invigorating");
    assert_eq!(plan["options"], serde_json::json!(["colic"]));
    assert_eq!(plan["voice"], "mum");

    // Each flag wins over the file, and only where it is given.
    let plan = home.plan(&["--variant", "relaxing", "--with", "newborn"]);
    assert_eq!(plan["variant"], "relaxing");
    assert_eq!(plan["options"], serde_json::json!(["newborn"]));
    assert_eq!(plan["voice"], "mum");
    assert_eq!(home.plan(&["--voice", "guide"])["voice"], "guide");

    // The levels: a render with the file's equals one with the same flags
    // and no file, sample for sample; a flag wins over the file's.
    let with_file = home.path("with-file.wav");
    home.ok(&[
        "render",
        "--from",
        "close",
        "-o",
        with_file.to_str().unwrap(),
    ]);
    let flags = home.path("flags.wav");
    let same_flags = [
        "render",
        "--from",
        "close",
        "--variant",
        "invigorating",
        "--with",
        "colic",
        "--voice",
        "mum",
        "--voice-gain",
        "-6",
        "--chime-gain",
        "-20",
        "-o",
        flags.to_str().unwrap(),
    ];
    std::fs::remove_file(home.settings()).unwrap();
    home.ok(&same_flags);
    let samples = |path: &Path| std::fs::read(path).unwrap();
    assert_eq!(samples(&with_file), samples(&flags));
    home.write_settings(SETTINGS);
    let louder = home.path("louder.wav");
    home.ok(&[
        "render",
        "--from",
        "close",
        "--voice-gain",
        "0",
        "-o",
        louder.to_str().unwrap(),
    ]);
    assert_ne!(samples(&louder), samples(&flags));
}

#[test]
fn the_script_in_the_settings_is_found_from_the_files_folder() {
    let home = Home::new();
    let script = home.path("config/soothe/mine.ron");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    // The built-in script under a title of the parent's own.
    let builtin = home.ok(&["script"]);
    std::fs::write(
        &script,
        builtin.replace("title: \"Baby massage\"", "title: \"Our massage\""),
    )
    .unwrap();
    home.write_settings("Settings(script: \"mine.ron\", options: [\"colic\"])\n");
    assert_eq!(home.plan(&[])["title"], "Our massage");
    assert_eq!(home.plan(&[])["options"], serde_json::json!(["colic"]));
    assert!(
        home.ok(&["settings"])
            .contains(&format!("\nscript      {}\n", script.display())),
        "{}",
        home.ok(&["settings"])
    );
    // A SCRIPT on the command line wins.
    assert_eq!(
        home.plan(&[&format!(
            "{}/scripts/baby-massage.ron",
            env!("CARGO_MANIFEST_DIR")
        )])["title"],
        "Baby massage"
    );
}

#[test]
fn without_a_settings_file_soothe_says_where_it_goes_and_how_to_write_one() {
    let home = Home::new();
    let path = home.settings();
    assert_eq!(
        home.ok(&["settings"]),
        format!(
            "No settings file at {path}: soothe's own defaults are in force.\n\n\
             script      the built-in session\n\
             language    en\n\
             voice       guide\n\
             variant     relaxing\n\
             options     none\n\
             voice gain  0 dB\n\
             chime gain  0 dB\n\
             listening   off\n\
             sensitivity normal\n\n\
             A flag on the command line wins over the file (--voice, --variant, --with, --voice-gain, --chime-gain, --language, SCRIPT).\n\
             To keep your own, write that file; one to start from, every line explained:\n  \
             mkdir -p {dir} && soothe settings --example > {path}\n",
            path = path.display(),
            dir = path.parent().unwrap().display()
        )
    );
    // The example, written where it says, is a working settings file.
    let example = home.ok(&["settings", "--example"]);
    home.write_settings(&example);
    let shown = home.ok(&["settings"]);
    assert!(shown.contains("\nvoice       guide\n"), "{shown}");
    assert!(shown.contains("\noptions     none\n"), "{shown}");
    assert_eq!(home.plan(&[])["variant"], "relaxing");
}

#[test]
fn the_settings_help_example_works_where_the_config_folder_is_missing() {
    // Before: `soothe settings --example > ~/.config/soothe/settings.ron`
    // alone, which the shell cannot open where ~/.config/soothe is not.
    let home = Home::new();
    let help = home.ok(&["settings", "--help"]);
    let commands: Vec<&str> = help
        .split_once("To begin a file")
        .unwrap_or_else(|| panic!("{help}"))
        .1
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .map(str::trim)
        .collect();
    assert_eq!(
        commands,
        [
            "mkdir -p ~/.config/soothe",
            "soothe settings --example > ~/.config/soothe/settings.ron"
        ]
    );
    let bin = Path::new(SOOTHE).parent().unwrap();
    let run = |script: &str| {
        std::process::Command::new("sh")
            .args(["-e", "-c", script])
            .env("HOME", home.dir.path())
            .env_remove("XDG_CONFIG_HOME")
            .env("XDG_DATA_HOME", home.path("data"))
            .env("XDG_STATE_HOME", home.path("state"))
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .output()
            .unwrap()
    };
    let written = run(&commands.join("\n"));
    assert!(written.status.success(), "{written:?}");
    let shown = run("soothe settings");
    assert!(shown.status.success(), "{shown:?}");
    let expected = format!(
        "Settings file: {}\n",
        home.path(".config/soothe/settings.ron").display()
    );
    assert!(
        String::from_utf8_lossy(&shown.stdout).starts_with(&expected),
        "{shown:?}"
    );
}

/// With colic in the settings, one evening without it: `--with none` was
/// an unknown option, and `--with newborn` silently dropped colic.
#[test]
fn colic_in_the_settings_is_left_out_for_one_evening_with_without_colic() {
    let home = Home::new();
    home.write_settings("Settings(options: [\"colic\"])\n");
    assert_eq!(home.plan(&[])["options"], serde_json::json!(["colic"]));
    assert_eq!(
        home.plan(&["--without", "colic"])["options"],
        serde_json::json!([])
    );
    // --with replaces the settings' options, as its help says; --without
    // leaves out of those what it names.
    assert_eq!(
        home.plan(&["--with", "newborn"])["options"],
        serde_json::json!(["newborn"])
    );
    assert_eq!(
        home.plan(&["--with", "newborn", "--with", "colic", "--without", "colic"])["options"],
        serde_json::json!(["newborn"])
    );
    let output = home.soothe(&["plan", "--without", "wind"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "soothe: unknown option \"wind\"; valid options: colic, traumatic-birth, after-feed, no-oil, newborn\n"
    );
    let help = home.ok(&["play", "--help"]);
    assert!(
        help.contains("these replace the options of your settings file"),
        "{help}"
    );
    assert!(help.contains("--without <OPTION>"), "{help}");
}

/// The example said colic "strokes the tummy 12 times"; everywhere else
/// (the option's own words, the README) it is twelve pairs of strokes.
#[test]
fn the_settings_example_counts_colic_strokes_in_pairs_as_everything_else_does() {
    let home = Home::new();
    let example = home.ok(&["settings", "--example"]);
    assert!(
        example.contains("\"colic\" gives twelve pairs of tummy\n    // strokes instead of six"),
        "{example}"
    );
    assert!(!example.contains("12 times"), "{example}");
}

#[test]
fn a_broken_settings_file_is_an_error_at_its_line_and_column() {
    let home = Home::new();
    let cases = [
        // A syntax error.
        (
            "Settings(\n    variant: \"relaxing\"\n    voice: \"guide\",\n)\n",
            "3:5: expected comma",
        ),
        // An unknown field.
        (
            "Settings(\n    colour: \"blue\",\n)\n",
            "2:5: unexpected field named `colour` in `Settings`, expected one of `voice`, `variant`, `options`, `voice_gain`, `chime_gain`, `listening`, `sensitivity`, `script`, or `language` instead",
        ),
        // A wrong type.
        ("Settings(listening: \"yes\")\n", "1:21: expected boolean"),
        ("Settings(\n  voice_gain: \"loud\",\n)\n", "2:15: expected float"),
        (
            "Settings(\n  sensitivity: \"medium\",\n)\n",
            "2:16: unknown sensitivity \"medium\"; it is low, normal or high",
        ),
        // A level out of range.
        (
            "Settings(\n  chime_gain: -70,\n)\n",
            "2:15: chime_gain: -70 dB is out of range (-60 to 12 dB)",
        ),
        // Names the session does not have.
        (
            "Settings(\n  variant: \"fast\",\n)\n",
            "2:12: unknown variant \"fast\" for the built-in session; valid variants: relaxing, invigorating",
        ),
        (
            "Settings(options: [\"colic\", \"wind\"])\n",
            "1:29: unknown option \"wind\" for the built-in session; valid options: colic, traumatic-birth, after-feed, no-oil, newborn",
        ),
        (
            "Settings(\n  voice: \"dad\",\n)\n",
            &format!(
                "2:10: there is no voice \"dad\" ({} is not a folder); record one with `soothe record --voice dad`, or see `soothe voices`",
                home.path("data/soothe/voices/dad").display()
            ),
        ),
        (
            "Settings(\n  language: \"nl\",\n)\n",
            &format!(
                "2:13: unknown language \"nl\"; soothe speaks {}",
                soothe_core::session::language::listing()
            ),
        ),
        (
            "Settings(script: \"gone.ron\")\n",
            &format!(
                "1:18: there is no script file at {}; `soothe script > my-session.ron` writes one to start from",
                home.path("config/soothe/gone.ron").display()
            ),
        ),
    ];
    let mut cases: Vec<(Vec<u8>, String)> = cases
        .iter()
        .map(|(text, expected)| (text.as_bytes().to_vec(), expected.to_string()))
        .collect();
    // Not UTF-8: Latin-1, as an old editor would save it.
    cases.push((
        b"Settings(\n  voice: \"Zo\xEB\",\n)\n".to_vec(),
        "2:13: this is not UTF-8 text (byte 0xEB); save the settings as UTF-8".into(),
    ));
    for (bytes, expected) in cases {
        let text = String::from_utf8_lossy(&bytes);
        let path = home.write_settings("");
        std::fs::write(&path, &bytes).unwrap();
        for args in [
            &["play"][..],
            &["plan"],
            &["render", "-o", "-"],
            &["settings"],
        ] {
            let output = home.soothe(args);
            assert_eq!(
                String::from_utf8_lossy(&output.stderr),
                format!("{}:{expected}\n", path.display()),
                "soothe {args:?} with {text:?}"
            );
            assert_eq!(
                output.status.code(),
                Some(2),
                "soothe {args:?} with {text:?}"
            );
            assert!(output.stdout.is_empty(), "soothe {args:?} with {text:?}");
        }
    }
}

#[test]
fn a_name_the_settings_give_is_only_checked_when_it_is_used() {
    let home = Home::new();
    home.write_settings("Settings(variant: \"fast\", options: [\"wind\"])\n");
    // Both overridden by flags: the file's names are not used.
    let plan = home.plan(&["--variant", "relaxing", "--with", "colic"]);
    assert_eq!(plan["variant"], "relaxing");
    // Commands that do not use the settings do not read them.
    home.ok(&["script"]);
    home.ok(&["log"]);
}

#[test]
fn a_folder_where_the_settings_file_goes_is_refused_by_its_path() {
    let home = Home::new();
    std::fs::create_dir_all(home.settings()).unwrap();
    let output = home.soothe(&["plan"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "soothe: {}: this is a folder, not a settings file; move it away, or write the settings there (soothe settings --example)\n",
            home.settings().display()
        )
    );
}

#[test]
fn quiet_silences_the_note_about_the_guide_voice() {
    let home = Home::new();
    let out = home.path("close.wav");
    let args = ["render", "--from", "close", "-o", out.to_str().unwrap()];
    let output = home.soothe(&args);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "Speaking in the built-in guide voice. Your baby knows your voice best: record your own with `soothe record --voice NAME`.\n"
    );
    let mut quiet = vec!["--quiet"];
    quiet.extend(args);
    let output = home.soothe(&quiet);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    // Errors are still said.
    let output = home.soothe(&["--quiet", "plan", "--variant", "fast"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("soothe: unknown variant \"fast\""));
}

#[test]
fn verbose_names_each_prompts_recording() {
    let home = Home::new();
    home.voice("mum");
    let take = home.path("data/soothe/voices/mum/close.wav");
    let tone: Vec<f32> = (0..24_000).map(|i| 0.2 * (i as f32 * 0.05).sin()).collect();
    crate::support::record::write_wav(&take, 48_000, 1, &tone);
    let out = home.path("close.wav");
    let output = home.soothe(&[
        "render",
        "--verbose",
        "--voice",
        "mum",
        "--from",
        "close",
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        format!("Voice files (mum):\n  close: {}\n", take.display())
    );
    // Without --verbose, nothing: mum speaks every prompt heard.
    let output = home.soothe(&[
        "render",
        "--voice",
        "mum",
        "--from",
        "close",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_settings_script_of_dev_zero_a_fifo_or_a_folder_is_refused_as_not_a_regular_file() {
    let home = Home::new();
    let fifo = home.path("config/soothe/pipe.ron");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let drafts = home.path("config/soothe/drafts");
    std::fs::create_dir(&drafts).unwrap();
    for (script, what) in [
        ("/dev/zero".to_string(), "/dev/zero is a device"),
        (
            "pipe.ron".into(),
            &*format!("{} is a pipe (FIFO)", fifo.display()),
        ),
        (
            "drafts".into(),
            &*format!("{} is a folder", drafts.display()),
        ),
    ] {
        let path = home.write_settings(&format!("Settings(script: \"{script}\")\n"));
        for args in [&["plan"][..], &["check"], &["prompts"], &["settings"]] {
            let output = home.soothe(args);
            assert_eq!(
                (
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr).into_owned()
                ),
                (
                    Some(2),
                    format!(
                        "{}:1:18: {what}, not a regular file; give the path of a script (a .ron file)\n",
                        path.display()
                    )
                ),
                "soothe {args:?} with the script {script}"
            );
        }
    }
}

#[test]
fn a_dangling_symlink_as_the_settings_script_is_refused_naming_where_it_leads() {
    let home = Home::new();
    let path = home.write_settings("Settings(script: \"mine.ron\")\n");
    let link = home.path("config/soothe/mine.ron");
    std::os::unix::fs::symlink("moved-away.ron", &link).unwrap();
    let output = home.soothe(&["plan"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{}:1:18: {} is a link to moved-away.ron, which is not there; restore that file, or remove the link\n",
            path.display(),
            link.display()
        )
    );
}

#[test]
fn a_dangling_symlink_as_settings_ron_is_an_error_naming_it_not_no_settings() {
    let home = Home::new();
    std::fs::create_dir_all(home.settings().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/nonexistent/dotfiles/settings.ron", home.settings()).unwrap();
    for args in [&["plan"][..], &["play"], &["settings"]] {
        let output = home.soothe(args);
        assert_eq!(
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).into_owned()
            ),
            (
                Some(2),
                format!(
                    "soothe: {}: this is a link to /nonexistent/dotfiles/settings.ron, which is not there; restore that file, or remove the link\n",
                    home.settings().display()
                )
            ),
            "soothe {args:?}"
        );
        assert!(output.stdout.is_empty(), "soothe {args:?}");
    }
}

#[test]
fn voice_gain_1e308_in_the_settings_or_on_the_command_line_is_refused_in_a_few_digits() {
    let home = Home::new();
    let path = home.write_settings("Settings(voice_gain: 1e308, chime_gain: -1e-300)\n");
    let output = home.soothe(&["plan"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{}:1:22: voice_gain: 1e308 dB is out of range (-60 to 12 dB)\n",
            path.display()
        )
    );
    let output = home.soothe(&["render", "-o", "-", "--chime-gain", "-1e300"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with(
            "error: invalid value '-1e300' for '--chime-gain <DB>': -1e300 dB is out of range (-60 to 12 dB)\n"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The first prompt `soothe prompts --tsv ARGS` lists, as its line.
fn first_prompt(home: &Home, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = std::process::Command::new(SOOTHE);
    command
        .args(["prompts", "--tsv"])
        .args(args)
        .env("HOME", home.dir.path())
        .env("XDG_CONFIG_HOME", home.path("config"))
        .env("XDG_DATA_HOME", home.path("data"));
    for name in LOCALE {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn the_locale_picks_the_language_and_the_settings_and_the_flag_win_over_it() {
    let home = Home::new();
    let welcome = |tag: &str| {
        let words = soothe_core::session::language::translation(tag).unwrap();
        format!("welcome\t{}", words.prompts.get("welcome").unwrap())
    };
    let english = format!(
        "welcome\t{}",
        soothe_core::session::script::Script::builtin()
            .prompts
            .get("welcome")
            .unwrap()
    );
    // The system's language, as LANG, LC_MESSAGES or LC_ALL says it.
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "es_ES.UTF-8")]),
        welcome("es")
    );
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "pt_BR")]),
        welcome("pt-BR")
    );
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "zh_CN.UTF-8")]),
        welcome("zh")
    );
    assert_eq!(
        first_prompt(
            &home,
            &[],
            &[("LANG", "es_ES.UTF-8"), ("LC_MESSAGES", "ja_JP.UTF-8")]
        ),
        welcome("ja")
    );
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "es_ES.UTF-8"), ("LC_ALL", "C")]),
        english
    );
    // A language soothe does not speak, or none: English.
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "nl_NL.UTF-8")]),
        english
    );
    assert_eq!(first_prompt(&home, &[], &[]), english);
    // The settings' language wins over the system's, --language over both.
    home.write_settings("Settings(language: \"fr\")\n");
    assert_eq!(
        first_prompt(&home, &[], &[("LANG", "es_ES.UTF-8")]),
        welcome("fr")
    );
    assert_eq!(
        first_prompt(&home, &["--language", "DE"], &[("LANG", "es_ES.UTF-8")]),
        welcome("de")
    );
    assert_eq!(
        first_prompt(&home, &["--language", "en"], &[("LANG", "es_ES.UTF-8")]),
        english
    );
    let shown =
        String::from_utf8(home.soothe_in(&["settings"], Some("it_IT.UTF-8")).stdout).unwrap();
    assert!(shown.contains("\nlanguage    fr\n"), "{shown}");
    std::fs::remove_file(home.settings()).unwrap();
    let shown =
        String::from_utf8(home.soothe_in(&["settings"], Some("it_IT.UTF-8")).stdout).unwrap();
    assert!(
        shown.contains("\nlanguage    it, the system's\n"),
        "{shown}"
    );
}
