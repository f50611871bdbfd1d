//! `soothe prompts`: the words of every prompt, in the order a session
//! first speaks them. Handy to read before recording; `--tsv` feeds tools.

use std::io::Write;
use std::path::Path;

use super::{load_script, LanguagePick};
use soothe_core::error::shown;

pub fn run(script: Option<&Path>, language: &LanguagePick, tsv: bool) -> anyhow::Result<()> {
    let script = load_script(script, language)?;
    let mut out = crate::stdout::lock();
    for id in script.prompts_in_order() {
        let text = script.prompts.get(id).map(String::as_str).unwrap_or("");
        if tsv {
            writeln!(out, "{id}\t{}", shown(&text.replace(['\t', '\n'], " ")))?;
        } else {
            writeln!(out, "{id}\n    {}\n", shown(text))?;
        }
    }
    Ok(out.flush()?)
}
