//! Single presses: which key does what, and what each action does to the
//! session's one clock (through a real session source, without a device).

use std::sync::Arc;
use std::time::Duration;

use soothe::app::{Prepared, SessionArgs};
use soothe::live::actions::{action_for_key, Action, Effect, Jump, Remote, DOUBLE_PRESS};
use soothe::terminal::input::{parse, Key};
use soothe_core::mix::{Control, Levels, SessionSource, BLOCK};
use soothe_core::session::select::Selection;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::voice::VoiceChoice;

/// The actions of what a terminal sends for some presses.
fn actions(bytes: &[u8]) -> Vec<Option<Action>> {
    let (keys, used) = parse(bytes, true);
    assert_eq!(used, bytes.len());
    keys.into_iter().map(action_for_key).collect()
}

#[test]
fn every_key_of_the_issue_does_its_action() {
    let cases: [(&[u8], Action); 16] = [
        (b" ", Action::TogglePause),
        (b"p", Action::TogglePause),
        (b"n", Action::Next),
        (b"\x1b[C", Action::Next),
        (b"b", Action::Back),
        (b"\x1b[D", Action::Back),
        (b"+", Action::VolumeUp),
        (b"=", Action::VolumeUp),
        (b"-", Action::VolumeDown),
        (b"d", Action::BabysDone),
        (b"q", Action::Quit),
        (b"\x1b", Action::Quit),
        // In raw mode Ctrl-C is a byte, not a signal: it quits gently.
        (b"\x03", Action::Quit),
        // Page-turners send these.
        (b"\x1b[6~", Action::Next),
        (b"\x1b[5~", Action::Back),
        // Caps lock on.
        (b"N", Action::Next),
    ];
    for (bytes, action) in cases {
        assert_eq!(actions(bytes), [Some(action)], "{bytes:?}");
    }
    // The arrows in "application" mode, and with Shift.
    assert_eq!(
        actions(b"\x1bOC\x1bOD"),
        [Some(Action::Next), Some(Action::Back)]
    );
    assert_eq!(actions(b"\x1b[1;2C"), [Some(Action::Next)]);
}

#[test]
fn other_keys_do_nothing() {
    let others: [&[u8]; 9] = [
        b"x",
        b"c",
        b"\r",
        b"\t",
        b"\x7f",
        b"\x1b[A",
        b"\x1bOP",
        b"\x1bq",
        "é".as_bytes(),
    ];
    for bytes in others {
        let got = actions(bytes);
        assert!(got.iter().all(Option::is_none), "{bytes:?}: {got:?}");
        assert_eq!(got.len(), 1, "{bytes:?} is one key");
    }
    // Ctrl with other letters.
    assert_eq!(actions(b"\x0e"), [None]);
}

#[test]
fn bytes_are_split_into_keys_and_a_cut_sequence_waits_for_the_rest() {
    let (keys, used) = parse(b"nb \x1b[5~q", false);
    assert_eq!(
        keys,
        [
            Key::Char('n'),
            Key::Char('b'),
            Key::Char(' '),
            Key::PageUp,
            Key::Char('q')
        ]
    );
    assert_eq!(used, 8);
    // A sequence cut short waits for its end...
    for cut in [
        &b"n\x1b"[..],
        b"n\x1b[",
        b"n\x1b[6",
        b"n\x1bO",
        "né".as_bytes().split_at(2).0,
    ] {
        let (keys, used) = parse(cut, false);
        assert_eq!((keys, used), (vec![Key::Char('n')], 1), "{cut:?}");
    }
    // ...unless nothing more comes: then a lone ESC is the Esc key.
    assert_eq!(parse(b"\x1b", true), (vec![Key::Esc], 1));
    assert_eq!(parse(b"\x1b[6", true), (vec![Key::Esc], 3));
    assert_eq!(parse(b"\x1b\x1b", true), (vec![Key::Esc, Key::Esc], 2));
}

/// The built-in session (or some of it) playing from its start, at `levels`.
struct Playing {
    timeline: Arc<Timeline>,
    control: Arc<Control>,
    source: SessionSource,
    remote: Remote,
}

impl Playing {
    fn new(skip: &[&str], levels: Levels) -> Playing {
        let args = SessionArgs {
            script: None,
            language: soothe::app::LanguagePick::ENGLISH,
            selection: Selection {
                skip: skip.iter().map(|s| s.to_string()).collect(),
                ..Selection::default()
            },
            voice: VoiceChoice::Guide,
            from: None,
            without: Vec::new(),
        };
        let prepared = Prepared::new(&args).unwrap();
        let timeline = prepared.timeline.clone();
        let control = Control::new(levels);
        let source =
            SessionSource::new(timeline.clone(), Arc::new(prepared.sounds), control.clone());
        let remote = Remote::new(control.clone(), timeline.clone(), levels);
        Playing {
            timeline,
            control,
            source,
            remote,
        }
    }

    /// Lets the source run for `blocks` blocks.
    fn play(&mut self, blocks: usize) -> usize {
        let mut block = vec![0.0; BLOCK];
        (0..blocks).map(|_| self.source.fill(&mut block)).sum()
    }

    fn step_id(&self) -> &str {
        &self.timeline.steps[self.remote.current_step()].id
    }

    fn index(&self, id: &str) -> usize {
        self.timeline.steps.iter().position(|s| s.id == id).unwrap()
    }

    fn at_start_of(&self, id: &str) -> bool {
        self.control.position() == self.timeline.steps[self.index(id)].start_sample
    }
}

#[test]
fn space_pauses_and_resumes_the_one_clock() {
    let mut session = Playing::new(&[], Levels::UNITY);
    let now = Duration::ZERO;
    session.play(100);
    assert_eq!(
        session.remote.apply(Action::TogglePause, now),
        Effect::Paused
    );
    assert!(session.control.is_paused());
    let at = session.control.position();
    session.play(100);
    assert_eq!(session.control.position(), at, "paused");
    assert_eq!(
        session.remote.apply(Action::TogglePause, now),
        Effect::Resumed
    );
    session.play(1);
    assert_eq!(session.control.position(), at + BLOCK as u64);
    // Play and pause (media keys) are not toggles.
    assert_eq!(session.remote.apply(Action::Resume, now), Effect::Resumed);
    assert!(!session.control.is_paused());
    assert_eq!(session.remote.apply(Action::Pause, now), Effect::Paused);
    assert_eq!(session.remote.apply(Action::Pause, now), Effect::Paused);
    assert!(session.control.is_paused());
}

#[test]
fn next_goes_to_the_next_step_even_before_the_source_has_moved() {
    let mut session = Playing::new(&[], Levels::UNITY);
    let now = Duration::ZERO;
    session.play(10);
    assert_eq!(
        session.remote.apply(Action::Next, now),
        Effect::Jumped {
            to: 1,
            why: Jump::Next
        }
    );
    // Pressed again before the source has made the first jump: one further.
    assert_eq!(
        session.remote.apply(Action::Next, now),
        Effect::Jumped {
            to: 2,
            why: Jump::Next
        }
    );
    session.play(1);
    assert_eq!(session.step_id(), "legs");
    assert_eq!(
        session.control.position(),
        session.timeline.steps[2].start_sample + BLOCK as u64
    );
}

#[test]
fn next_during_the_last_step_ends_the_session_gently() {
    let mut session = Playing::new(
        &[
            "welcome", "feet", "legs", "head", "check-in", "back", "tummy", "arms",
        ],
        Levels::UNITY,
    );
    session.play(100);
    assert_eq!(
        session.remote.apply(Action::Next, Duration::ZERO),
        Effect::Ending
    );
    // A short fade, then the end.
    assert!(session.play(2) <= 2 * BLOCK);
    session.play(1);
    assert!(session.control.is_finished());
}

#[test]
fn back_restarts_the_step_and_a_quick_second_press_goes_to_the_previous_one() {
    let mut session = Playing::new(&[], Levels::UNITY);
    let start = Duration::ZERO;
    session.remote.apply(Action::Next, start);
    session.remote.apply(Action::Next, start);
    session.play(300);
    assert_eq!(session.step_id(), "legs");

    let t = start + Duration::from_secs(10);
    assert_eq!(
        session.remote.apply(Action::Back, t),
        Effect::Jumped {
            to: 2,
            why: Jump::Restart
        }
    );
    session.play(1);
    assert!(session.control.position() > session.timeline.steps[2].start_sample);
    // Within the double-press time: the previous step, then the one before.
    let t = t + DOUBLE_PRESS - Duration::from_millis(100);
    assert_eq!(
        session.remote.apply(Action::Back, t),
        Effect::Jumped {
            to: 1,
            why: Jump::Previous
        }
    );
    let t = t + Duration::from_millis(400);
    assert_eq!(
        session.remote.apply(Action::Back, t),
        Effect::Jumped {
            to: 0,
            why: Jump::Previous
        }
    );
    // At the first step it stays there.
    let t = t + Duration::from_millis(400);
    assert_eq!(
        session.remote.apply(Action::Back, t),
        Effect::Jumped {
            to: 0,
            why: Jump::Previous
        }
    );
    session.play(1);
    assert_eq!(session.step_id(), "welcome");

    // Presses further apart than the double-press time each restart.
    let mut session = Playing::new(&[], Levels::UNITY);
    session.remote.apply(Action::Next, start);
    session.play(300);
    let t = start + Duration::from_secs(20);
    for k in 0..3 {
        let at = t + (DOUBLE_PRESS + Duration::from_millis(10)) * k;
        assert_eq!(
            session.remote.apply(Action::Back, at),
            Effect::Jumped {
                to: 1,
                why: Jump::Restart
            }
        );
        session.play(5);
    }
    // Another key between two presses of back breaks the pair.
    let at = t + Duration::from_secs(30);
    session.remote.apply(Action::Back, at);
    session.remote.apply(Action::VolumeDown, at);
    assert_eq!(
        session.remote.apply(Action::Back, at),
        Effect::Jumped {
            to: 1,
            why: Jump::Restart
        }
    );
}

#[test]
fn babys_done_goes_straight_to_the_calm_close() {
    let mut session = Playing::new(&[], Levels::UNITY);
    let now = Duration::ZERO;
    session.remote.apply(Action::Next, now);
    session.play(200);
    let close = session.index("close");
    assert_eq!(session.timeline.closing, Some(close));
    assert_eq!(
        session.remote.apply(Action::BabysDone, now),
        Effect::Jumped {
            to: close,
            why: Jump::Closing
        }
    );
    session.play(1);
    assert_eq!(session.step_id(), "close");
    assert!(session.control.position() > session.timeline.steps[close].start_sample);
    // Pressed again during the close: it does not start over.
    assert_eq!(
        session.remote.apply(Action::BabysDone, now),
        Effect::AlreadyClosing
    );
    assert_eq!(session.control.pending_jump(), None);
}

#[test]
fn babys_done_while_paused_moves_there_and_stays_paused() {
    let mut session = Playing::new(&[], Levels::UNITY);
    let now = Duration::ZERO;
    session.play(200);
    session.remote.apply(Action::Pause, now);
    session.remote.apply(Action::BabysDone, now);
    session.play(1);
    assert!(session.at_start_of("close"));
    assert!(session.control.is_paused());
}

#[test]
fn babys_done_without_a_closing_step_ends_gently() {
    // Leaving out the script's closing step leaves the session without one.
    let mut session = Playing::new(&["close"], Levels::UNITY);
    assert_eq!(session.timeline.closing, None);
    session.play(200);
    assert_eq!(
        session.remote.apply(Action::BabysDone, Duration::ZERO),
        Effect::Ending
    );
    session.play(3);
    assert!(session.control.is_finished());
}

#[test]
fn plus_and_minus_move_voice_and_chimes_together_within_limits() {
    let session = Playing::new(&[], Levels::from_db(-6.0, -12.0));
    let mut remote = session.remote;
    let now = Duration::ZERO;
    assert_eq!(
        remote.apply(Action::VolumeDown, now),
        Effect::Volume {
            offset_db: -3.0,
            limit: false
        }
    );
    let Levels {
        voice_db: voice,
        chime_db: chime,
    } = session.control.gains();
    assert!((voice + 9.0).abs() < 1e-4, "{}", voice);
    assert!((chime + 15.0).abs() < 1e-4, "{}", chime);
    // Up: at most 12 dB over the start.
    let mut last = None;
    for _ in 0..10 {
        last = Some(remote.apply(Action::VolumeUp, now));
    }
    assert_eq!(
        last,
        Some(Effect::Volume {
            offset_db: 12.0,
            limit: true
        })
    );
    let Levels {
        voice_db: voice,
        chime_db: chime,
    } = session.control.gains();
    assert!((voice - 6.0).abs() < 1e-4, "{}", voice);
    assert!((chime - 0.0).abs() < 1e-4, "{}", chime);
    // Down: 36 dB under the start at most.
    for _ in 0..30 {
        last = Some(remote.apply(Action::VolumeDown, now));
    }
    assert_eq!(
        last,
        Some(Effect::Volume {
            offset_db: -36.0,
            limit: true
        })
    );
    let Levels {
        voice_db: voice, ..
    } = session.control.gains();
    assert!((voice + 42.0).abs() < 1e-4, "{}", voice);

    // No layer ever goes over +12 dB, the top of --voice-gain.
    let loud = Playing::new(&[], Levels::from_db(6.0, 0.0));
    let mut remote = loud.remote;
    remote.apply(Action::VolumeUp, now);
    remote.apply(Action::VolumeUp, now);
    assert_eq!(
        remote.apply(Action::VolumeUp, now),
        Effect::Volume {
            offset_db: 6.0,
            limit: true
        }
    );
    let Levels {
        voice_db: voice,
        chime_db: chime,
    } = loud.control.gains();
    assert!((voice - 12.0).abs() < 1e-4, "{}", voice);
    assert!((chime - 6.0).abs() < 1e-4, "{}", chime);
}

#[test]
fn quit_fades_out_and_ends_the_session() {
    let mut session = Playing::new(&[], Levels::UNITY);
    session.play(300);
    assert_eq!(
        session.remote.apply(Action::Quit, Duration::ZERO),
        Effect::Quit
    );
    session.play(3);
    assert!(session.control.is_finished());
}

#[cfg(feature = "mpris")]
#[test]
fn media_keys_do_what_the_keys_do() {
    use soothe::live::mpris::action_for_event;
    use souvlaki::MediaControlEvent as E;
    assert_eq!(action_for_event(&E::Toggle), Some(Action::TogglePause));
    assert_eq!(action_for_event(&E::Play), Some(Action::Resume));
    assert_eq!(action_for_event(&E::Pause), Some(Action::Pause));
    assert_eq!(action_for_event(&E::Next), Some(Action::Next));
    assert_eq!(action_for_event(&E::Previous), Some(Action::Back));
    assert_eq!(action_for_event(&E::Stop), Some(Action::Quit));
    assert_eq!(action_for_event(&E::Raise), None);
    assert_eq!(action_for_event(&E::SetVolume(0.5)), None);
}
