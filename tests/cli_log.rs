//! `soothe log`: the session log read back as a table, the latest
//! sessions last; a line that is not soothe's is left out, saying where.

use std::process::Output;

use crate::support::cli::soothe;

/// A log as `soothe play` writes it, with a line cut short in the middle.
const LOG: &str = "\
date,time,script,variant,options,voice,how far,heard
2026-11-20,19:02,built-in,relaxing,,guide,finished,16:40
2026-11-21,19:15,built-in,relaxing,colic,mum,baby's done at tummy,09:12
2026-11-22,07:45,\"/home/sam/our, session.ron\",invigorating,colic newborn,mum,stopped at legs,03:05
2026-11-23,19:
2026-11-24,19:30,built-in,relaxing,,Zoë,finished,16:41
";

fn log(state: &std::path::Path, args: &[&str]) -> Output {
    let output = soothe()
        .arg("log")
        .args(args)
        .env("XDG_STATE_HOME", state)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn the_log_shows_the_latest_sessions_as_a_table() {
    let state = tempfile::tempdir().unwrap();
    let path = state.path().join("soothe/log.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, LOG).unwrap();

    let all = log(state.path(), &["--all"]);
    assert_eq!(
        text(&all.stdout),
        "\
When              Script            Variant       Options        Voice  Heard  How far
2026-11-20 19:02  built-in          relaxing      -              guide  16:40  finished
2026-11-21 19:15  built-in          relaxing      colic          mum    09:12  baby's done at tummy
2026-11-22 07:45  our, session.ron  invigorating  colic newborn  mum    03:05  stopped at legs
2026-11-24 19:30  built-in          relaxing      -              Zoë    16:41  finished
"
    );
    assert_eq!(
        text(&all.stderr),
        format!("{}:5: not a session line; left out\n", path.display())
    );
    // Ten by default: here, all of them.
    assert_eq!(log(state.path(), &[]).stdout, all.stdout);

    let last = log(state.path(), &["-n", "1"]);
    assert_eq!(
        text(&last.stdout),
        "\
When              Script    Variant   Options  Voice  Heard  How far
2026-11-24 19:30  built-in  relaxing  -        Zoë    16:41  finished
(3 earlier sessions: soothe log --all)
"
    );
    // The cut line is before the sessions shown: not said again.
    assert_eq!(text(&last.stderr), "");
}

#[test]
fn without_a_log_soothe_log_says_where_it_will_be() {
    let state = tempfile::tempdir().unwrap();
    let output = log(state.path(), &[]);
    assert_eq!(
        text(&output.stdout),
        format!(
            "No sessions yet: each `soothe play` adds a line to {}.\n",
            state.path().join("soothe/log.csv").display()
        )
    );
}
