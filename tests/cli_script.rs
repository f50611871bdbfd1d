//! `soothe script`: the built-in script on standard output, byte for byte,
//! for those who installed only the binary; the copy it writes is a script
//! `soothe check` and `soothe plan` accept as it is.

use crate::support::cli::{ok, soothe};

const BUILTIN: &[u8] = include_bytes!("../scripts/baby-massage.ron");

#[test]
fn script_writes_the_built_in_script_byte_for_byte() {
    let output = ok(&["script"]);
    assert_eq!(output.stdout, BUILTIN);
    assert!(output.stderr.is_empty(), "nothing else is said");
}

#[test]
fn the_written_script_is_accepted_by_check_and_plays_as_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-session.ron");
    std::fs::write(&path, ok(&["script"]).stdout).unwrap();
    let path = path.to_str().unwrap();
    let check = soothe().args(["check", path]).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("relaxing"), "{said}");
    assert_eq!(
        ok(&["plan", "--json", path]).stdout,
        ok(&["plan", "--json"]).stdout
    );
}
