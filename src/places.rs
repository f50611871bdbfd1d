//! Where soothe keeps things, by the XDG base directories on Linux
//! (through the `dirs` crate, which honours `$XDG_CONFIG_HOME`,
//! `$XDG_DATA_HOME` and `$XDG_STATE_HOME`, each only when absolute, as the
//! specification says):
//!
//! - settings: `$XDG_CONFIG_HOME/soothe` (`~/.config/soothe`);
//! - voices: `$XDG_DATA_HOME/soothe/voices` (`~/.local/share/soothe/voices`);
//! - the session log: `$XDG_STATE_HOME/soothe` (`~/.local/state/soothe`).

use std::path::PathBuf;

/// soothe's folder under each place.
const APP: &str = "soothe";

/// `$XDG_CONFIG_HOME/soothe`; `None` when there is no home to find.
pub fn config() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join(APP))
}

/// `$XDG_DATA_HOME/soothe`.
pub fn data() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP))
}

/// `$XDG_STATE_HOME/soothe`. (`dirs` has no state folder off Linux: there
/// the log goes with the data.)
pub fn state() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|dir| dir.join(APP))
}

/// The path of `text` as a user wrote it in a file of theirs: `~/` is
/// their home, and a relative path is taken from `base` (the file's
/// folder).
pub fn user_path(text: &str, base: &std::path::Path) -> PathBuf {
    if let (Some(rest), Some(home)) = (text.strip_prefix("~/"), dirs::home_dir()) {
        return home.join(rest);
    }
    let path = PathBuf::from(text);
    if path.is_relative() {
        base.join(path)
    } else {
        path
    }
}
