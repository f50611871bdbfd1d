//! Reading a script: RON syntax first, then the meaning, both reported as
//! `PATH:LINE:COL: message`.

use std::fmt;
use std::path::Path;

use ron::extensions::Extensions;

use super::locate::Locations;
use super::validate;
use super::Script;

/// A script that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// The file itself could not be read.
    #[error("{path}: cannot read the script: {reason}")]
    Read { path: String, reason: String },
    /// A syntax or semantic error at a place in the file.
    #[error("{0}")]
    At(Located),
}

/// `PATH:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// Reads and checks a script file.
pub fn load_file(path: &Path) -> Result<Script, ScriptError> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|err| ScriptError::Read {
        path: name.clone(),
        reason: crate::error::io_reason(&err),
    })?;
    Script::parse(&source, &name)
}

impl Script {
    /// Parses and checks a script; `name` is what errors call the file.
    pub fn parse(source: &str, name: &str) -> Result<Script, ScriptError> {
        let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
        let script: Script = options.from_str(source).map_err(|err| {
            ScriptError::At(Located {
                path: name.to_string(),
                line: err.span.start.line,
                col: err.span.start.col,
                message: syntax_message(&err.code),
            })
        })?;
        if let Err(problem) = validate::check(&script) {
            let pos = Locations::scan(source).find(&problem.path);
            return Err(ScriptError::At(Located {
                path: name.to_string(),
                line: pos.line,
                col: pos.col,
                message: problem.message,
            }));
        }
        Ok(script)
    }
}

/// ron's message, with its first letter lowered to read like the rest.
fn syntax_message(code: &ron::Error) -> String {
    let text = code.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}
