//! Completing values, not file names, after `--variant`, `--with`,
//! `--without`, `--skip`, `--from` and `--voice`: clap's scripts for bash,
//! zsh and fish, with a function added to each that asks the hidden
//! `soothe complete-values KIND [SCRIPT]` for the script named on the line
//! (else the settings', else the built-in one) and for the voices found.

use std::ffi::OsString;
use std::path::PathBuf;

use clap_complete::Shell;

use super::defaults::Defaults;
use crate::app::complete_values::{values, Kind};
use crate::app::Command;

/// The command the scripts ask, outside clap's definition so that no
/// help, man page or completion names it: `soothe complete-values KIND
/// [SCRIPT]`, KIND `variants`, `options`, `steps` or `voices`.
const VALUES_COMMAND: &str = "complete-values";

/// What `complete-values` prints, when `args` (after the program's name)
/// ask for it: the values, or nothing for a KIND it does not know. The
/// script is the one given, else the settings' (ignored when they cannot
/// be read), else the built-in one.
pub(super) fn values_asked(mut args: impl Iterator<Item = OsString>) -> Option<Command> {
    if args.next()? != VALUES_COMMAND {
        return None;
    }
    let kind = match args.next().as_ref().and_then(|kind| kind.to_str()) {
        Some("variants") => Kind::Variants,
        Some("options") => Kind::Options,
        Some("steps") => Kind::Steps,
        Some("voices") => Kind::Voices,
        _ => return Some(Command::Print(Vec::new())),
    };
    let given = args.next().map(PathBuf::from);
    let script = Defaults::load()
        .unwrap_or_else(|_| Defaults::none())
        .script(given);
    Some(Command::Print(values(kind, script.as_deref())))
}

/// Each option whose values are listed, and what it takes.
const VALUED: [(&str, &str); 6] = [
    ("variant", "variants"),
    ("with", "options"),
    ("without", "options"),
    ("skip", "steps"),
    ("from", "steps"),
    ("voice", "voices"),
];

/// `script`, clap's completions for `shell`, with the values added (bash,
/// zsh and fish; the other shells' as clap makes them). `command` is the
/// command line, for the options that take a value: the word after one is
/// not the script.
pub(super) fn with_values(shell: Shell, script: Vec<u8>, command: &clap::Command) -> Vec<u8> {
    let Ok(script) = String::from_utf8(script) else {
        unreachable!("clap_complete writes UTF-8");
    };
    let taking = taking_values(command);
    let text = match shell {
        Shell::Bash => bash(&script, &taking),
        Shell::Zsh => zsh(&script, &taking),
        Shell::Fish => fish(&script, &taking),
        _ => script,
    };
    text.into_bytes()
}

/// Every `--long` and `-s` of every command that takes a value.
fn taking_values(command: &clap::Command) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |command: &clap::Command| {
        for arg in command.get_arguments() {
            if arg.is_positional() || !arg.get_action().takes_values() {
                continue;
            }
            names.extend(arg.get_long().map(|long| format!("--{long}")));
            names.extend(arg.get_short().map(|short| format!("-{short}")));
        }
    };
    add(command);
    command.get_subcommands().for_each(&mut add);
    names.sort();
    names.dedup();
    names
}

/// `--variant) kind=variants ;;`, one a line, for bash's `case`.
fn kinds(indent: &str) -> String {
    VALUED
        .iter()
        .map(|(option, kind)| format!("{indent}--{option}) kind={kind} ;;\n"))
        .collect()
}

fn bash(script: &str, taking: &[String]) -> String {
    let registered = script.replace("complete -F _soothe ", "complete -F _soothe_values ");
    assert_ne!(registered, script, "clap's bash script registers _soothe");
    let function = r#"
# The values of --variant, --with, --without, --skip, --from and --voice:
# the variants, options and steps of the script named on the line (else the
# settings', else the built-in one) and the voices, from soothe itself.
_soothe_values() {
    local cur="${COMP_WORDS[COMP_CWORD]}" kind=
    case "${COMP_WORDS[COMP_CWORD-1]}" in
KINDS        *) _soothe "$@"; return ;;
    esac
    # No file names when no value matches.
    compopt +o default +o bashdefault 2>/dev/null
    local script= words=0 i
    for ((i = 1; i < COMP_CWORD - 1; i++)); do
        case "${COMP_WORDS[i]}" in
            TAKING) ((i += 1)) ;;
            -*) ;;
            *) words=$((words + 1)); [[ ${words} == 2 ]] && script="${COMP_WORDS[i]}" ;;
        esac
    done
    [[ ${script} == "~/"* ]] && script="${HOME}/${script#"~/"}"
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" complete-values "${kind}" ${script:+"${script}"} 2>/dev/null)" -- "${cur}"))
    if [[ ${kind} == voices && ${cur} == */* ]]; then
        COMPREPLY+=($(compgen -d -- "${cur}"))
    fi
}
"#
    .replace("KINDS", &kinds("        "))
    .replace("TAKING", &taking.join("|"));
    let at = registered
        .find("\nif [[ \"${BASH_VERSINFO[0]}\"")
        .expect("clap's bash script ends with its registration");
    format!("{}{function}{}", &registered[..at], &registered[at..])
}

fn zsh(script: &str, taking: &[String]) -> String {
    let mut out = String::new();
    let mut replaced = 0;
    for line in script.split_inclusive('\n') {
        let spec = line.trim_start_matches(['\'', '*']);
        let kind = VALUED
            .iter()
            .find(|(option, _)| spec.starts_with(&format!("--{option}=[")))
            .map(|(_, kind)| kind);
        match (kind, line.strip_suffix(":_default' \\\n")) {
            (Some(kind), Some(start)) => {
                out.push_str(&format!("{start}:_soothe_values {kind}' \\\n"));
                replaced += 1;
            }
            _ => out.push_str(line),
        }
    }
    assert!(
        replaced > 0,
        "clap's zsh script completes --variant with _default"
    );
    let function = r#"
# The values of --variant, --with, --without, --skip, --from and --voice:
# the variants, options and steps of the script named on the line (else the
# settings', else the built-in one) and the voices, from soothe itself.
(( $+functions[_soothe_values] )) ||
_soothe_values() {
    # _arguments puts compadd's options (a group, say) before the kind.
    local kind=${@[-1]} script= i
    local -a options
    options=("${@[1,-2]}")
    # words[1] is the command (play, render...), words[CURRENT] the value.
    for ((i = 2; i < CURRENT; i++)); do
        case $words[i] in
            (TAKING) (( i += 1 )) ;;
            (-*) ;;
            (*) script=$words[i]; break ;;
        esac
    done
    [[ $script == '~/'* ]] && script=$HOME/${script#\~/}
    local -a values
    values=(${(f)"$(soothe complete-values $kind ${script:+"$script"} 2>/dev/null)"})
    compadd "${options[@]}" -a values
    [[ $kind == voices && $PREFIX == */* ]] && _directories
    return 0
}
"#
    .replace("TAKING", &taking.join("|"));
    let at = out
        .find("\nif [ \"$funcstack[1]\" = \"_soothe\" ]; then")
        .expect("clap's zsh script ends by calling or registering _soothe");
    format!("{}{function}{}", &out[..at], &out[at..])
}

fn fish(script: &str, taking: &[String]) -> String {
    let mut out = String::new();
    let mut replaced = 0;
    for line in script.split_inclusive('\n') {
        let kind = VALUED
            .iter()
            .find(|(option, _)| line.contains(&format!(" -l {option} ")))
            .map(|(_, kind)| kind);
        match (kind, line.strip_suffix(" -r\n")) {
            (Some(kind), Some(start)) => {
                out.push_str(&format!("{start} -r -f -a \"(__soothe_values {kind})\"\n"));
                replaced += 1;
            }
            _ => out.push_str(line),
        }
    }
    assert!(replaced > 0, "clap's fish script has -l variant ... -r");
    let function = r#"# The values of --variant, --with, --without, --skip, --from and --voice:
# the variants, options and steps of the script named on the line (else the
# settings', else the built-in one) and the voices, from soothe itself.
function __soothe_values
    set -l words (commandline -opc)
    set -l script
    set -l seen 0
    set -l skip 0
    for word in $words[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case TAKING
                set skip 1
            case '-*'
            case '*'
                set seen (math $seen + 1)
                if test $seen = 2
                    set script (string replace -r '^~/' "$HOME/" -- $word)
                    break
                end
        end
    end
    $words[1] complete-values $argv[1] $script 2>/dev/null
    set -l current (commandline -ct)
    if test $argv[1] = voices; and string match -q -- '*/*' $current
        __fish_complete_directories $current
    end
end

"#
    .replace("TAKING", &taking.join(" "));
    format!("{function}{out}")
}
