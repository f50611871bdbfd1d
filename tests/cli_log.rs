//! `soothe log`: the session log read back as a table, the latest
//! sessions last; a line that is not soothe's is left out, saying where.

use std::process::Output;

use crate::support::cli::soothe;

/// A log as `soothe play` wrote it before the log said where a session
/// started, whether it was brief and its language (the old columns, which
/// are still read), with a line cut short in the middle.
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
fn a_14_s_play_from_close_reads_as_from_close_to_the_end_not_as_finished() {
    // Before: "finished", as a whole session; --brief was not kept either.
    // An old log added to after the current header, as `soothe play` adds.
    let state = tempfile::tempdir().unwrap();
    let path = state.path().join("soothe/log.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let log = format!(
        "{}\
         date,time,script,variant,options,brief,from,voice,language,how far,heard\n\
         2026-12-01,20:58,built-in,relaxing,,no,close,guide,en,finished,00:14\n\
         2026-12-02,19:10,built-in,relaxing,colic,yes,,mum,en,finished,07:02\n\
         2026-12-03,19:12,built-in,invigorating,,no,tummy,mum,en,stopped at arms,02:10\n\
         2026-12-04,19:20,built-in,relaxing,,yes,feet,guide,en,baby's done at legs,01:30\n",
        LOG.replace("2026-11-23,19:\n", "")
    );
    std::fs::write(&path, log).unwrap();
    let output = log_run(state.path(), &["-n", "5"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        "\
When              Script    Variant          Options  Voice  Heard  How far
2026-11-24 19:30  built-in  relaxing         -        Zoë    16:41  finished
2026-12-01 20:58  built-in  relaxing         -        guide  00:14  from close to the end
2026-12-02 19:10  built-in  relaxing, brief  colic    mum    07:02  finished
2026-12-03 19:12  built-in  invigorating     -        mum    02:10  from tummy, stopped at arms
2026-12-04 19:20  built-in  relaxing, brief  -        guide  01:30  from feet, baby's done at legs
(3 earlier sessions: soothe log --all)
"
    );
    assert_eq!(text(&output.stderr), "");
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

/// Runs `soothe log ARGS` with the log at `state/soothe/log.csv`.
fn log_run(state: &std::path::Path, args: &[&str]) -> Output {
    soothe()
        .arg("log")
        .args(args)
        .env("XDG_STATE_HOME", state)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap()
}

/// A state folder whose log is made by `make` at its path.
fn state_with(make: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, std::path::PathBuf) {
    let state = tempfile::tempdir().unwrap();
    let path = state.path().join("soothe/log.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    make(&path);
    (state, path)
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_log_is_refused_without_waiting() {
    let (state, path) = state_with(|path| {
        assert!(std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success());
    });
    let output = log_run(state.path(), &["--all"]);
    assert_eq!(
        (output.status.code(), text(&output.stderr), text(&output.stdout)),
        (
            Some(2),
            format!(
                "soothe: {}: cannot read the session log: it is a pipe (FIFO), not an ordinary file\n",
                path.display()
            ),
            String::new()
        )
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_as_the_log_is_refused_not_read() {
    let (state, path) = state_with(|path| std::os::unix::fs::symlink("/dev/zero", path).unwrap());
    let output = log_run(state.path(), &[]);
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (
            Some(2),
            format!(
                "soothe: {}: cannot read the session log: it is a device, not an ordinary file\n",
                path.display()
            )
        )
    );
}

#[test]
fn a_script_path_with_a_line_end_is_one_session_shown_escaped() {
    let (state, _path) = state_with(|path| {
        std::fs::write(
            path,
            "date,time,script,variant,options,voice,how far,heard\n\
             2026-11-20,19:02,\"/home/sam/two\nlines.ron\",relaxing,,'=mum,finished,16:40\n\
             2026-11-21,19:15,built-in,relaxing,'-colic,'@dad,stopped at legs,09:12\n",
        )
        .unwrap()
    });
    let output = log(state.path(), &[]);
    assert_eq!(
        text(&output.stdout),
        "\
When              Script          Variant   Options  Voice  Heard  How far
2026-11-20 19:02  two\\nlines.ron  relaxing  -        =mum   16:40  finished
2026-11-21 19:15  built-in        relaxing  -colic   @dad   09:12  stopped at legs
"
    );
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn twelve_lines_that_are_not_sessions_are_named_up_to_ten_then_counted() {
    let (state, path) = state_with(|path| {
        let mut log = String::from("date,time,script,variant,options,voice,how far,heard\n");
        for _ in 0..12 {
            log.push_str("not a session\n");
        }
        log.push_str("2026-11-20,19:02,built-in,relaxing,,guide,finished,16:40\n");
        std::fs::write(path, log).unwrap()
    });
    for args in [&[][..], &["--all"]] {
        let output = log(state.path(), args);
        let mut expected = String::new();
        for line in 2..12 {
            expected.push_str(&format!(
                "{}:{line}: not a session line; left out\n",
                path.display()
            ));
        }
        expected.push_str(&format!(
            "{}: 2 more lines are not session lines; left out\n",
            path.display()
        ));
        assert_eq!(text(&output.stderr), expected, "{args:?}");
        assert!(text(&output.stdout).ends_with("finished\n"), "{args:?}");
    }
}

#[test]
fn a_relative_home_is_ignored_as_if_unset() {
    let cwd = tempfile::tempdir().unwrap();
    // Where a relative HOME would have the log: a session in it.
    let planted = cwd.path().join("home/.local/state/soothe/log.csv");
    std::fs::create_dir_all(planted.parent().unwrap()).unwrap();
    std::fs::write(&planted, LOG).unwrap();
    let run = |home: Option<&str>| {
        let mut command = soothe();
        command
            .arg("log")
            .current_dir(cwd.path())
            .env_remove("XDG_STATE_HOME");
        match home {
            Some(home) => command.env("HOME", home),
            None => command.env_remove("HOME"),
        };
        command.output().unwrap()
    };
    let relative = run(Some("home"));
    assert_eq!(relative, run(None));
    assert!(!text(&relative.stdout).contains("Zoë"), "{relative:?}");
}

#[test]
fn a_relative_xdg_state_home_is_ignored() {
    let home = tempfile::tempdir().unwrap();
    let planted = home.path().join("state/soothe/log.csv");
    std::fs::create_dir_all(planted.parent().unwrap()).unwrap();
    std::fs::write(&planted, LOG).unwrap();
    let output = soothe()
        .arg("log")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", "state")
        .output()
        .unwrap();
    assert_eq!(
        text(&output.stdout),
        format!(
            "No sessions yet: each `soothe play` adds a line to {}.\n",
            home.path().join(".local/state/soothe/log.csv").display()
        )
    );
}

/// A log of `len` bytes made as it is read, never held: sessions, with
/// now and then a line that is not one and a line of 256 KB.
struct MadeLog {
    len: u64,
    at: u64,
    row: u64,
    line: Vec<u8>,
    in_line: usize,
}

impl MadeLog {
    fn new(len: u64) -> MadeLog {
        MadeLog {
            len,
            at: 0,
            row: 0,
            line: b"date,time,script,variant,options,voice,how far,heard\n".to_vec(),
            in_line: 0,
        }
    }

    fn next_line(&mut self) {
        self.row += 1;
        self.in_line = 0;
        self.line = match self.row {
            n if n % 100_000 == 5_000 => {
                let mut long = vec![b'x'; 256 << 10];
                long.push(b'\n');
                long
            }
            n if n % 1_000 == 0 => b"2026-11-23,19:\n".to_vec(),
            n => format!(
                "2026-11-{:02},19:{:02},\"/home/sam/my, session {n}.ron\",relaxing,colic,'=mum,finished,16:40\n",
                n % 28 + 1,
                n % 60
            )
            .into_bytes(),
        };
    }
}

impl std::io::Read for MadeLog {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.at < self.len {
            if self.in_line == self.line.len() {
                self.next_line();
            }
            let take = (self.line.len() - self.in_line)
                .min(buf.len() - n)
                .min((self.len - self.at) as usize);
            buf[n..n + take].copy_from_slice(&self.line[self.in_line..self.in_line + take]);
            self.in_line += take;
            self.at += take as u64;
            n += take;
        }
        Ok(n)
    }
}

impl std::io::Seek for MadeLog {
    /// Back to the start (the second pass of `--all`).
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        match to {
            std::io::SeekFrom::Start(0) => {
                *self = MadeLog::new(self.len);
                Ok(0)
            }
            std::io::SeekFrom::Current(0) => Ok(self.at),
            _ => Err(std::io::Error::other("only back to the start")),
        }
    }
}

/// The most `show` held at once over a made log of `size` bytes, what it
/// showed, how many lines it said are not sessions, and the lines it
/// printed.
fn show_peak(
    size: u64,
    count: Option<usize>,
) -> (isize, soothe::session_log::table::Shown, u64, usize) {
    use soothe::session_log::table::show;
    let (mut shown, mut odd, mut printed) = (None, 0, 0);
    let peak = crate::fuzz_inputs::peak_of(|| {
        let mut out = CountingWrite(std::io::sink(), &mut printed);
        let input = std::io::BufReader::new(MadeLog::new(size));
        shown = Some(show(input, count, &mut out, |said| odd = said.count).unwrap());
    });
    (peak, shown.unwrap(), odd, printed)
}

#[test]
fn a_log_four_times_larger_is_shown_in_no_more_memory() {
    // What the made log holds, read as plain lines: the sessions end as
    // soothe's lines do; the other lines are not sessions.
    let lines: Vec<Vec<u8>> =
        std::io::BufRead::split(std::io::BufReader::new(MadeLog::new(8 << 20)), b'\n')
            .map(Result::unwrap)
            .collect();
    let sessions: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].ends_with(b",16:40"))
        .collect();
    let not_sessions = lines.len() - 1 - sessions.len();
    assert!(not_sessions > 50, "{not_sessions}");
    // Those among the last ten: the last line, cut short by the size.
    let first_shown = sessions[sessions.len() - 10];
    let among_ten = lines.len() - first_shown - 10;
    assert_eq!(among_ten, 1);

    // A 200 MB log cost 1.8 GB (-n 10) and 3.3 GB (--all): nine times and
    // more its size. Now the memory is the same whatever the size, and
    // small: a line or two of the log and the ten sessions shown.
    for count in [Some(10), None] {
        let (small, _, _, _) = show_peak(2 << 20, count);
        let (peak, shown, odd, printed) = show_peak(8 << 20, count);
        assert!(
            peak < 1 << 20 && peak <= small + (16 << 10),
            "{count:?}: {} KB for 8 MB, {} KB for 2 MB",
            peak >> 10,
            small >> 10
        );
        assert_eq!(
            shown.sessions + shown.earlier,
            sessions.len() as u64,
            "{count:?}"
        );
        match count {
            Some(_) => assert_eq!((shown.sessions, odd, printed), (10, 1, 11)),
            None => {
                assert_eq!((shown.earlier, odd), (0, not_sessions as u64));
                assert_eq!(printed, sessions.len() + 1);
            }
        }
    }
}

/// Counts the lines written through it.
struct CountingWrite<'a, W>(W, &'a mut usize);

impl<W: std::io::Write> std::io::Write for CountingWrite<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(buf)?;
        *self.1 += buf[..n].iter().filter(|&&b| b == b'\n').count();
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
