//! Where soothe keeps things, by the XDG base directories on Linux and
//! the other Unixes but macOS (`$XDG_CONFIG_HOME`, `$XDG_DATA_HOME` and
//! `$XDG_STATE_HOME`, each only when absolute, as the specification says):
//!
//! - settings: `$XDG_CONFIG_HOME/soothe` (`~/.config/soothe`);
//! - voices: `$XDG_DATA_HOME/soothe/voices` (`~/.local/share/soothe/voices`);
//! - the session log: `$XDG_STATE_HOME/soothe` (`~/.local/state/soothe`).
//!
//! The home folder is `$HOME` only when it is an absolute path: a relative
//! one would put soothe's files wherever it happens to be run, so it is
//! ignored, as if unset (the system's user database says where home is).
//! On macOS the folders are under `~/Library/Application Support`; on
//! Windows they are the known folders the `dirs` crate finds.

use std::ffi::OsString;
use std::path::PathBuf;

/// soothe's folder under each place.
const APP: &str = "soothe";

/// `$XDG_CONFIG_HOME/soothe`; `None` when there is no home to find.
pub fn config() -> Option<PathBuf> {
    #[cfg(all(unix, not(target_os = "macos")))]
    let dir = xdg("XDG_CONFIG_HOME", ".config");
    #[cfg(target_os = "macos")]
    let dir = home().map(|home| home.join("Library/Application Support"));
    #[cfg(not(unix))]
    let dir = dirs::config_dir();
    dir.map(|dir| dir.join(APP))
}

/// `$XDG_DATA_HOME/soothe`.
pub fn data() -> Option<PathBuf> {
    #[cfg(all(unix, not(target_os = "macos")))]
    let dir = xdg("XDG_DATA_HOME", ".local/share");
    #[cfg(target_os = "macos")]
    let dir = home().map(|home| home.join("Library/Application Support"));
    #[cfg(not(unix))]
    let dir = dirs::data_dir();
    dir.map(|dir| dir.join(APP))
}

/// Where parents' voices are kept: `voices` in the data folder, by
/// default `~/.local/share/soothe/voices`.
pub fn voices() -> Option<PathBuf> {
    data().map(|data| data.join("voices"))
}

/// `$XDG_STATE_HOME/soothe`. (There is no state folder off the XDG
/// systems: there the log goes with the data.)
pub fn state() -> Option<PathBuf> {
    #[cfg(all(unix, not(target_os = "macos")))]
    let dir = xdg("XDG_STATE_HOME", ".local/state");
    #[cfg(target_os = "macos")]
    let dir = home().map(|home| home.join("Library/Application Support"));
    #[cfg(not(unix))]
    let dir = dirs::data_local_dir();
    dir.map(|dir| dir.join(APP))
}

/// The user's home folder: `$HOME` when it is an absolute path, else
/// (unset, empty or relative) the system's user database's.
#[cfg(unix)]
pub fn home() -> Option<PathBuf> {
    home_from(std::env::var_os("HOME"), system_home)
}

/// The user's home folder (Windows does not look at `HOME`).
#[cfg(not(unix))]
pub fn home() -> Option<PathBuf> {
    dirs::home_dir()
}

/// `home`, where `system` is the user database's.
#[cfg_attr(not(unix), allow(dead_code))]
fn home_from(home: Option<OsString>, system: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    absolute(home).or_else(system)
}

/// `value` as a path, when it is an absolute one.
fn absolute(value: Option<OsString>) -> Option<PathBuf> {
    value.map(PathBuf::from).filter(|path| path.is_absolute())
}

/// An XDG base directory: `$var` when absolute, else `under` in the home.
#[cfg(all(unix, not(target_os = "macos")))]
fn xdg(var: &str, under: &str) -> Option<PathBuf> {
    absolute(std::env::var_os(var)).or_else(|| home().map(|home| home.join(under)))
}

/// The home folder the user database gives the user soothe runs as.
#[cfg(unix)]
fn system_home() -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let mut buffer = vec![0u8; 16 * 1024];
    // SAFETY: `passwd` is plain data that getpwuid_r fills in, with its
    // strings in `buffer`, which outlives every use of them; `found` is
    // null unless the entry was found.
    let dir = unsafe {
        let mut passwd: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let status = libc::getpwuid_r(
            libc::getuid(),
            &mut passwd,
            buffer.as_mut_ptr().cast(),
            buffer.len(),
            &mut found,
        );
        if status != 0 || found.is_null() || passwd.pw_dir.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr(passwd.pw_dir).to_bytes().to_vec()
    };
    absolute(Some(OsString::from_vec(dir)))
}

/// The path of `text` as a user wrote it in a file of theirs: `~/` is
/// their home, and a relative path is taken from `base` (the file's
/// folder).
pub fn user_path(text: &str, base: &std::path::Path) -> PathBuf {
    if let (Some(rest), Some(home)) = (text.strip_prefix("~/"), home()) {
        return home.join(rest);
    }
    let path = PathBuf::from(text);
    if path.is_relative() {
        base.join(path)
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_or_empty_home_is_ignored_for_the_user_databases() {
        let system = || Some(PathBuf::from("/home/sam"));
        let home = |value: &str| home_from(Some(value.into()), system);
        assert_eq!(home("/home/alex"), Some(PathBuf::from("/home/alex")));
        assert_eq!(home("alex"), system());
        assert_eq!(home("./alex"), system());
        assert_eq!(home(""), system());
        assert_eq!(home_from(None, system), system());
        assert_eq!(home_from(Some("alex".into()), || None), None);
    }
}
