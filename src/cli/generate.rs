//! `soothe completions SHELL` and `soothe man`: shell completions and the
//! man page, made from the command line's own definition (so they live
//! beside it), for `app` to print.

use clap_complete::Shell;
use clap_mangen::roff::{bold, italic, roman, Inline, Roff};

/// The completion script for `shell`: clap's, which completes values
/// from the script and the voices (see [`super::complete`]).
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut command = super::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "soothe", &mut script);
    super::complete::with_values(shell, script, &command)
}

/// The man page, soothe(1), in roff: all that `--help` says, on one page
/// (each command with its options, keys and examples).
pub fn man() -> std::io::Result<Vec<u8>> {
    let mut command = super::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    commands_section(&command).to_writer(&mut page)?;
    let mut examples = Roff::new();
    if let Some(after) = command.get_after_long_help() {
        examples.control("SH", ["NOTES"]);
        after_help(&mut examples, &after.to_string());
    }
    examples.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// COMMANDS: each one's usage, what it does, its arguments and options,
/// and its examples.
fn commands_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.trim_start_matches("Usage:").trim();
        roff.control("SS", [usage]);
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(ToString::to_string)
            .unwrap_or_default();
        for paragraph in about.split("\n\n") {
            roff.control("PP", []).text([roman(paragraph)]);
        }
        for arg in sub.get_arguments() {
            if arg.is_hide_set() || arg.get_id() == "help" {
                continue;
            }
            roff.control("TP", []).text(arg_names(arg));
            let help = arg
                .get_long_help()
                .or(arg.get_help())
                .map(ToString::to_string)
                .unwrap_or_default();
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .filter(|_| arg.get_action().takes_values())
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let help = if defaults.is_empty() {
                help
            } else {
                format!("{help} [default: {}]", defaults.join(", "))
            };
            roff.text([roman(help)]);
        }
        if let Some(after) = sub.get_after_long_help() {
            after_help(&mut roff, &after.to_string());
        }
    }
    roff
}

/// `-o, --output <FILE>` or `[SCRIPT]`, in the man page's fonts.
fn arg_names(arg: &clap::Arg) -> Vec<Inline> {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(ToString::to_string)
        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
    if arg.is_positional() {
        return vec![italic(if arg.is_required_set() {
            format!("<{value}>")
        } else {
            format!("[{value}]")
        })];
    }
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(bold(format!("-{short}")));
        names.push(roman(", "));
    }
    if let Some(long) = arg.get_long() {
        names.push(bold(format!("--{long}")));
    }
    if arg.get_action().takes_values() {
        names.push(roman(" "));
        names.push(italic(format!("<{value}>")));
    }
    names
}

/// The text after the options, so that the page fits 80 columns: prose as
/// paragraphs the man reader fills; in a block of indented lines, a row of
/// a table (keys, examples: two spaces, then what to type, two spaces or
/// more, then what it does) as a tagged paragraph, whose words wrap; any
/// other line (a command, a file) line for line, continued on the next
/// with a backslash, as a shell reads it, when it is too wide.
fn after_help(roff: &mut Roff, text: &str) {
    for block in text.split("\n\n") {
        if !block.lines().any(|line| line.starts_with("  ")) {
            for line in block.lines() {
                roff.control("PP", []).text([roman(line)]);
            }
            continue;
        }
        // What the lines so far left open: a literal run, a table.
        let (mut literal, mut table) = (false, false);
        for line in block.lines() {
            let row = line.starts_with("  ").then(|| row(line));
            if literal && !matches!(row, Some(None)) {
                roff.control("fi", []);
                literal = false;
            }
            if table && !matches!(row, Some(Some(_))) {
                roff.control("PD", []);
                table = false;
            }
            match row {
                None => {
                    roff.control("PP", []).text([roman(line)]);
                }
                Some(Some((keys, column, words))) => {
                    if !table {
                        // The rows one under the other, no blank between.
                        roff.control("PD", ["0"]);
                        table = true;
                    }
                    let indent = if column <= TAG_MOST {
                        column
                    } else {
                        TAG_LEAST
                    };
                    roff.control("TP", [indent.to_string().as_str()])
                        .text([roman(keys)])
                        .text([roman(words)]);
                }
                Some(None) => {
                    if !literal {
                        roff.control("PP", []).control("nf", []);
                        literal = true;
                    }
                    for part in continued(&line[2..]) {
                        roff.text([roman(part)]);
                    }
                }
            }
        }
        if literal {
            roff.control("fi", []);
        }
        if table {
            roff.control("PD", []);
        }
    }
}

/// The widest column of keys or commands that stays beside what they do;
/// past it, they go on a line of their own over it, set in this far.
const TAG_MOST: usize = 24;
const TAG_LEAST: usize = 7;
/// The columns a line of a man page has at 80 columns, past its margin.
const PAGE_WIDTH: usize = 80 - 7;

/// `  keys   what they do`: the keys, the column the words begin at (past
/// the two spaces), and the words.
fn row(line: &str) -> Option<(&str, usize, &str)> {
    let row = line.strip_prefix("  ")?;
    if row.starts_with(' ') {
        return None;
    }
    let gap = row.find("  ")?;
    let words = row[gap..].trim_start();
    Some((&row[..gap], row.len() - words.len(), words))
}

/// `line` in lines of at most [`PAGE_WIDTH`] columns, broken at spaces,
/// each but the last ending with ` \` and the rest set in by four.
fn continued(line: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = line.to_string();
    while rest.chars().count() > PAGE_WIDTH {
        let limit: usize = rest
            .char_indices()
            .nth(PAGE_WIDTH - 2)
            .map_or(rest.len(), |(i, _)| i);
        let Some(at) = rest[..limit]
            .rfind(' ')
            .filter(|&at| rest[..at].trim() != "")
        else {
            break;
        };
        lines.push(format!("{} \\", &rest[..at]));
        rest = format!("    {}", rest[at + 1..].trim_start());
    }
    lines.push(rest);
    lines
}
