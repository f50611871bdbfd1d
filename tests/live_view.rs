//! The live view without a terminal: frames rendered to text and compared
//! (snapshots), and the painter's output checked byte by byte.

use soothe::live::view::{big_lines, big_width, render, Controls, Frame, Painter, Scene};
use soothe_core::listen::Heard;
use unicode_width::UnicodeWidthStr;

const RATE: u64 = 48_000;

/// Stroke 3 of 6 of the feet, 1:15 into a ten-minute session.
fn scene() -> Scene<'static> {
    Scene {
        title: "Toes and feet",
        step: (2, 8),
        stroke: Some((3, 6)),
        paused: false,
        elapsed: RATE * 75,
        total: RATE * 600,
        step_left: RATE * 42,
        rate: RATE as u32,
        prompt: Some(
            "Now, on the sole of the foot, just above the heel, press gently with your index \
             finger. This spot is linked to digestion.",
        ),
        next: Some("Legs"),
        volume_db: 0.0,
        message: None,
        controls: Controls {
            keys: true,
            media: true,
        },
        keys_shown: false,
        held: false,
        listening: None,
    }
}

/// Every row fits: exactly `height` rows, none reaching the last column
/// (writing there makes some terminals wrap or scroll).
fn assert_fits(frame: &Frame) {
    assert_eq!(frame.lines.len(), usize::from(frame.height));
    for line in &frame.lines {
        let text: String = line.spans.iter().map(|s| s.text.as_str()).collect();
        assert!(
            text.width() < usize::from(frame.width).max(1),
            "{:?} is too wide for {} columns",
            text,
            frame.width
        );
    }
}

#[test]
fn the_whole_screen_at_80_by_24() {
    let frame = render(&scene(), 80, 24);
    assert_fits(&frame);
    // Exactly as drawn: the big rows as wide as each other.
    assert_eq!(
        untrimmed(&frame),
        [
            "\n",
            "  Toes and feet                                                    step 2 of 8\n",
            "\n",
            "                                     stroke\n",
            "      ████████████                            ████████        ████████████\n",
            "      ████████████                            ████████        ████████████\n",
            "              ████                            ████            ████        \n",
            "              ████                            ████            ████        \n",
            "          ████████        ████████████    ████████████        ████████████\n",
            "          ████████        ████████████    ████████████        ████████████\n",
            "              ████        ████    ████        ████            ████    ████\n",
            "              ████        ████    ████        ████            ████    ████\n",
            "      ████████████        ████████████        ████            ████████████\n",
            "      ████████████        ████████████        ████            ████████████\n",
            "\n",
            "  Now, on the sole of the foot, just above the heel, press gently with your\n",
            "  index finger. This spot is linked to digestion.\n",
            "\n",
            "  Next: Legs, in 00:42\n",
            "\n",
            "  01:15 ━━━━━━━──────────────────────────────────────────────────── 08:45 left\n",
            "\n",
            "\n",
            "  space pause  n next  b back  + - volume  d baby's done  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn the_stroke_count_is_drawn_large_and_the_size_follows_the_terminal() {
    for (size, scale) in [
        ((80, 24), 2),
        ((120, 40), 3),
        ((200, 60), 4),
        ((60, 16), 1),
        ((40, 12), 1),
    ] {
        let frame = render(&scene(), size.0, size.1);
        assert_fits(&frame);
        let text = frame.text();
        let big = big_lines("3 of 6", scale);
        let rows: Vec<&str> = text.lines().collect();
        // Exactly these rows, each behind the same margin.
        let found = rows.windows(big.len()).any(|w| {
            let lead = |row: &str| row.len() - row.trim_start().len();
            let Some(pad) = lead(w[0]).checked_sub(lead(&big[0])) else {
                return false;
            };
            w.iter()
                .zip(&big)
                .all(|(row, want)| *row == format!("{}{want}", " ".repeat(pad)).trim_end())
        });
        assert!(found, "no \"3 of 6\" at scale {scale} in {size:?}:\n{text}");
        assert!(text.contains("01:15 "), "{text}");
        assert!(text.contains(" 08:45 left"), "{text}");
        assert!(text.contains("Toes and feet"), "{text}");
    }
}

#[test]
fn a_tiny_terminal_still_shows_the_step_the_stroke_and_the_time() {
    let frame = render(&scene(), 34, 6);
    assert_fits(&frame);
    let text = frame.text();
    assert!(text.contains("Toes and feet"), "{text}");
    assert!(text.contains("stroke 3 of 6"), "{text}");
    assert!(text.contains("01:15"), "{text}");
    assert!(text.contains("space pause"), "{text}");
}

#[test]
fn any_size_at_all_gives_a_frame_that_fits() {
    let mut long = scene();
    long.title = "A very long step title that goes on and on well past any sensible width";
    long.message = Some("Baby's done: on to A calm close, and the message is long too");
    long.volume_db = -9.0;
    for width in (0..=130).step_by(7).chain([1, 2, 3, 4, 5]) {
        for height in (0..=50).step_by(3).chain([1, 2]) {
            for scene in [scene(), long.clone()] {
                assert_fits(&render(&scene, width, height));
            }
        }
    }
}

#[test]
fn paused_shows_the_pause_sign_and_how_to_go_on() {
    let mut paused = scene();
    paused.paused = true;
    let text = render(&paused, 80, 24).text();
    assert!(text.contains("paused · press space to go on"), "{text}");
    assert!(text.contains("space go on"), "{text}");
    assert!(!text.contains("stroke"), "{text}");
    // The sign: two bars, as big as the numbers were.
    assert!(text.contains("████    ████"), "{text}");

    paused.controls.keys = false;
    let text = render(&paused, 80, 24).text();
    assert!(text.contains("paused · press play to go on"), "{text}");
}

#[test]
fn the_hints_say_what_can_be_pressed() {
    let mut scene = scene();
    let hints = |scene: &Scene| {
        render(scene, 100, 30)
            .text()
            .lines()
            .last()
            .unwrap()
            .trim()
            .to_string()
    };
    // Every key is on the line, and `?` lists the keys that do the same.
    assert_eq!(
        hints(&scene),
        "space pause   n next   b back (twice: previous)   + - volume   d baby's done   q quit   ? keys"
    );
    // A narrower line leaves some out, and says where they are.
    let narrow = render(&scene, 60, 30).text();
    assert_eq!(
        narrow.lines().last().unwrap().trim(),
        "space pause  n next  b back  d done  q quit  ? keys"
    );
    scene.controls.keys = false;
    assert_eq!(
        hints(&scene),
        "media keys: play/pause, next, previous, stop"
    );
    scene.controls.media = false;
    assert_eq!(hints(&scene), "hands-free");
}

#[test]
fn between_strokes_the_step_count_is_small_and_the_last_step_leads_to_the_end() {
    let mut talking = scene();
    talking.stroke = None;
    talking.step = (8, 8);
    talking.next = None;
    let frame = render(&talking, 80, 24);
    let text = frame.text();
    // From across the room, only a stroke count is a big number.
    assert_eq!(read_big(&frame), None, "{text}");
    assert!(
        text.lines().nth(1).unwrap().ends_with("step 8 of 8"),
        "{text}"
    );
    assert!(text.contains("Then the end, in 00:42"), "{text}");
}

/// The first words of the built-in session, before the first stroke.
fn welcome() -> Scene<'static> {
    Scene {
        title: "Welcome",
        step: (1, 9),
        stroke: None,
        elapsed: RATE * 2,
        total: RATE * 830,
        step_left: RATE * 74,
        prompt: Some(
            "A calm bedtime or bath time massage, about fourteen minutes. Slow, firm strokes \
             bring you close, and may help circulation and muscle tone.",
        ),
        next: Some("Toes and feet"),
        message: Some("Media keys are off: no D-Bus session bus"),
        ..scene()
    }
}

#[test]
fn the_welcome_at_80_by_24_says_step_1_of_9_once() {
    // Before: "step 1 of 9" in the header and again over the words.
    let frame = render(&welcome(), 80, 24);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "\n",
            "  Welcome                                                          step 1 of 9\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "  A calm bedtime or bath time massage, about fourteen minutes. Slow, firm\n",
            "  strokes bring you close, and may help circulation and muscle tone.\n",
            "\n",
            "  Next: Toes and feet, in 01:14\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "  00:02 ─────────────────────────────────────────────────────────── 13:48 left\n",
            "\n",
            "                    Media keys are off: no D-Bus session bus\n",
            "  space pause  n next  b back  + - volume  d baby's done  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn fingers_hands_and_arms_at_40_wide_with_the_volume_down_keeps_its_step_count() {
    // Before: the header left out the step count, volume and all, and
    // between strokes said it again in the middle instead.
    let header = |scene: &Scene| {
        let text = render(scene, 40, 12).text();
        text.lines().find(|l| !l.is_empty()).unwrap().to_string()
    };
    let mut scene = Scene {
        title: "Fingers, hands and arms",
        step: (8, 9),
        volume_db: -6.0,
        ..scene()
    };
    assert_eq!(header(&scene), "  Fingers, hands and arms  step 8 of 9");
    scene.title = "Legs";
    scene.listening = Some(Heard::Listening);
    assert_eq!(header(&scene), "  Legs         listening · step 8 of 9");
    scene.title = "A very long title for a step";
    assert_eq!(header(&scene), "  A very long title for…   step 8 of 9");
}

/// The 3 x 5 font, as a parent reads it (this test's own copy).
const FONT: [(char, [&str; 5]); 12] = [
    ('0', ["###", "# #", "# #", "# #", "###"]),
    ('1', [" # ", "## ", " # ", " # ", "###"]),
    ('2', ["###", "  #", "###", "#  ", "###"]),
    ('3', ["###", "  #", " ##", "  #", "###"]),
    ('4', ["# #", "# #", "###", "  #", "  #"]),
    ('5', ["###", "#  ", "###", "  #", "###"]),
    ('6', ["###", "#  ", "###", "# #", "###"]),
    ('7', ["###", "  #", " # ", " # ", " # "]),
    ('8', ["###", "# #", "###", "# #", "###"]),
    ('9', ["###", "# #", "###", "  #", "###"]),
    ('o', ["   ", "   ", "###", "# #", "###"]),
    ('f', [" ##", " # ", "###", " # ", " # "]),
];

/// Reads the big text on the screen as a parent would: the rows with
/// blocks in them, exactly as drawn (untrimmed), cut into pixels, then
/// into letters. `None` when nothing is drawn big; a `?` for any shape
/// that is no letter of the font (rows that do not line up, say).
fn read_big(frame: &Frame) -> Option<String> {
    let rows: Vec<Vec<char>> = frame
        .lines
        .iter()
        .map(|line| line.spans.iter().flat_map(|s| s.text.chars()).collect())
        .collect();
    let first = rows.iter().position(|r| r.contains(&'█'))?;
    let count = rows[first..]
        .iter()
        .take_while(|r| r.contains(&'█'))
        .count();
    assert_eq!(count % 5, 0, "big text is 5 pixels high");
    let scale = count / 5;
    let block = &rows[first..first + count];
    let left = block
        .iter()
        .filter_map(|r| r.iter().position(|c| *c == '█'))
        .min()?;
    let right = block
        .iter()
        .filter_map(|r| r.iter().rposition(|c| *c == '█'))
        .max()?;
    // Pixels: 2 * scale columns wide, scale rows high.
    let columns = (right + 1 - left) / (2 * scale);
    let pixel = |row: usize, column: usize| -> bool {
        let r = &block[row * scale];
        (0..2 * scale).all(|k| r.get(left + column * 2 * scale + k) == Some(&'█'))
    };
    let column_empty = |column: usize| (0..5).all(|row| !pixel(row, column));
    let mut text = String::new();
    let mut column = 0;
    while column < columns {
        if column_empty(column) {
            let gap = (column..columns).take_while(|&c| column_empty(c)).count();
            if gap >= 2 {
                text.push(' ');
            }
            column += gap;
            continue;
        }
        let shape: Vec<String> = (0..5)
            .map(|row| {
                (column..column + 3)
                    .map(|c| if pixel(row, c) { '#' } else { ' ' })
                    .collect()
            })
            .collect();
        let letter = FONT
            .iter()
            .find(|(_, rows)| rows.iter().zip(&shape).all(|(a, b)| a == b))
            .map_or('?', |(c, _)| *c);
        text.push(letter);
        column += 3;
    }
    Some(text)
}

#[test]
fn every_stroke_count_reads_right_at_every_size_that_draws_it_big() {
    let sizes = [
        (80, 24),
        (81, 25),
        (100, 30),
        (120, 40),
        (200, 60),
        (60, 16),
        (41, 12),
        (40, 12),
    ];
    for of in [5, 6, 7, 8, 10, 12] {
        for n in 0..=of {
            let mut scene = scene();
            scene.stroke = Some((n, of));
            for (w, h) in sizes {
                let frame = render(&scene, w, h);
                assert_fits(&frame);
                let want = format!("{n} of {of}");
                match read_big(&frame) {
                    Some(read) => assert_eq!(read, want, "at {w}x{h}:\n{}", frame.text()),
                    None => assert!(
                        frame.text().contains(&format!("stroke {want}")),
                        "at {w}x{h}:\n{}",
                        frame.text()
                    ),
                }
            }
        }
    }
    // The sizes a parent uses draw it big.
    let frame = render(&scene(), 80, 24);
    assert_eq!(read_big(&frame).as_deref(), Some("3 of 6"));
}

#[test]
fn the_regression_1_of_5_no_longer_reads_1_o7_3() {
    let mut scene = scene();
    scene.stroke = Some((1, 5));
    let frame = render(&scene, 80, 24);
    assert_eq!(
        read_big(&frame).as_deref(),
        Some("1 of 5"),
        "{}",
        frame.text()
    );
}

#[test]
fn volume_and_notes_are_shown() {
    let mut scene = scene();
    scene.volume_db = -6.0;
    scene.message = Some("Volume \u{2212}6 dB");
    let text = render(&scene, 80, 24).text();
    let header = text.lines().nth(1).unwrap();
    assert!(
        header.ends_with("volume \u{2212}6 dB · step 2 of 8"),
        "{header}"
    );
    assert!(
        text.lines().any(|l| l.trim() == "Volume \u{2212}6 dB"),
        "{text}"
    );
}

#[test]
fn long_words_and_wide_characters_are_cut_to_the_screen() {
    let mut scene = scene();
    scene.title = "足と足の指のマッサージ、ゆっくりと丁寧に、赤ちゃんの目を見ながら";
    scene.prompt = Some(
        "Supercalifragilisticexpialidocious-and-then-some-more-letters-without-any-space-at-all \
         one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
         sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four",
    );
    let frame = render(&scene, 40, 30);
    assert_fits(&frame);
    let text = frame.text();
    // Cut with an ellipsis, never split inside a wide character, to
    // leave room for the step count.
    assert_eq!(
        text.lines().nth(1).unwrap(),
        "  足と足の指のマッサージ…  step 2 of 8",
        "{text}"
    );
    // With room, every word, the one too long for a line cut.
    assert!(
        text.contains(concat!(
            "\n  Supercalifragilisticexpialidocious-…\n",
            "  one two three four five six seven\n",
            "  eight nine ten eleven twelve\n",
            "  thirteen fourteen fifteen sixteen\n",
            "  seventeen eighteen nineteen twenty\n",
            "  twenty-one twenty-two twenty-three\n",
            "  twenty-four\n"
        )),
        "{text}"
    );
    // Without, the lines that fit, the last ending with … to say so.
    let text = render(&scene, 40, 10).text();
    assert!(
        text.contains("\n  twenty-one twenty-two twenty-three…\n  01:15"),
        "{text}"
    );
    assert!(!text.contains("twenty-four"), "{text}");
}

#[test]
fn big_text_is_five_rows_per_scale_and_as_wide_as_measured() {
    for scale in 1..=4 {
        for text in ["0 of 9", "12 of 12", "345678", "\u{2016}"] {
            let rows = big_lines(text, scale);
            assert_eq!(rows.len(), 5 * scale);
            let widest = rows.iter().map(|r| r.width()).max().unwrap();
            assert!(widest <= big_width(text, scale), "{text} at {scale}");
            assert!(
                widest + 2 * scale >= big_width(text, scale),
                "{text} at {scale}"
            );
        }
    }
    // Each digit is different from every other.
    let digits: Vec<Vec<String>> = (0..10).map(|d| big_lines(&d.to_string(), 1)).collect();
    for a in 0..10 {
        for b in a + 1..10 {
            assert_ne!(digits[a], digits[b], "{a} and {b} look alike");
        }
    }
}

/// "\x1b[ROW;1H": where the painter moves to write a row.
fn moves_to(bytes: &[u8], row: u16) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.contains(&format!("\x1b[{};1H", row + 1))
}

#[test]
fn the_painter_draws_only_what_changed_inside_a_synchronized_update() {
    let mut painter = Painter::new(Vec::new());
    let first = render(&scene(), 80, 24);
    assert!(painter.paint(&first).unwrap());
    let bytes = std::mem::take(painter.get_mut());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.starts_with("\x1b[?2026h"),
        "begins a synchronized update"
    );
    assert!(text.ends_with("\x1b[?2026l"), "ends it");
    assert!(
        text.contains("\x1b[2J"),
        "the first frame clears the screen"
    );
    assert!(text.contains("Toes and feet"));

    // The same frame again: nothing at all is written.
    assert!(!painter.paint(&first).unwrap());
    assert!(painter.get_ref().is_empty());

    // A second later only the clock rows change (the bar and "in 00:41").
    let mut later = scene();
    later.elapsed += RATE;
    later.step_left -= RATE;
    let second = render(&later, 80, 24);
    let changed: Vec<u16> = (0..24)
        .filter(|&row| first.lines[usize::from(row)] != second.lines[usize::from(row)])
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(painter.paint(&second).unwrap());
    let bytes = std::mem::take(painter.get_mut());
    for row in 0..24 {
        assert_eq!(moves_to(&bytes, row), changed.contains(&row), "row {row}");
    }
    assert!(
        !String::from_utf8_lossy(&bytes).contains("\x1b[2J"),
        "no clearing"
    );

    // A new size: everything again, from a clear screen.
    assert!(painter.paint(&render(&later, 60, 20)).unwrap());
    let bytes = std::mem::take(painter.get_mut());
    assert!(String::from_utf8_lossy(&bytes).contains("\x1b[2J"));
}

/// The screen exactly as drawn, trailing spaces and all, one row a line.
fn untrimmed(frame: &Frame) -> String {
    frame
        .lines
        .iter()
        .map(|line| {
            line.spans
                .iter()
                .map(|s| s.text.as_str())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn at_40_by_10_the_spoken_words_stay_and_question_mark_names_the_other_keys() {
    // Before: the words and the n, b and d hints were left out at this
    // size, with no way to learn the keys; then the words kept only their
    // first line. Now all of them, and the count in words.
    let frame = render(&scene(), 40, 10);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Toes and feet            step 2 of 8\n",
            "             stroke 3 of 6\n",
            "  Now, on the sole of the foot, just\n",
            "  above the heel, press gently with\n",
            "  your index finger. This spot is\n",
            "  linked to digestion.\n",
            "  Next: Legs, in 00:42\n",
            "\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  space pause  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn at_40_by_12_the_four_lines_of_the_feet_show_whole_under_the_big_count() {
    // Before: "Now, on the sole of the foot, just…", one line.
    let frame = render(&scene(), 40, 12);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Toes and feet            step 2 of 8\n",
            "   ██████              ████    ██████\n",
            "       ██              ██      ██    \n",
            "     ████    ██████  ██████    ██████\n",
            "       ██    ██  ██    ██      ██  ██\n",
            "   ██████    ██████    ██      ██████\n",
            "  Now, on the sole of the foot, just\n",
            "  above the heel, press gently with\n",
            "  your index finger. This spot is\n",
            "  linked to digestion.\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  space pause  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn at_40_by_12_the_six_lines_of_the_tummy_stroke_show_whole_with_the_count_in_words() {
    let tummy = Scene {
        title: "Tummy",
        step: (7, 9),
        stroke: Some((3, 12)),
        prompt: Some(
            "Hands flat across the tummy above the belly button, fingers meeting; each chime \
             is a pair, one hand then the other stroking down to the bladder. Some parents \
             feel this eases wind, colic and constipation.",
        ),
        next: Some("Fingers, hands and arms"),
        step_left: RATE * 99,
        ..scene()
    };
    let frame = render(&tummy, 40, 12);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Tummy                    step 7 of 9\n",
            "             stroke 3 of 12\n",
            "  Hands flat across the tummy above\n",
            "  the belly button, fingers meeting;\n",
            "  each chime is a pair, one hand then\n",
            "  the other stroking down to the\n",
            "  bladder. Some parents feel this\n",
            "  eases wind, colic and constipation.\n",
            "  Next: Fingers, hands and…, in 01:39\n",
            "\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  space pause  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn at_40_by_12_next_fingers_hands_and_arms_keeps_its_time() {
    // Before: "Next: Fingers, hands and arms, in 0…".
    let fingers = Scene {
        prompt: Some("Turn each toe in a small circle, one per chime."),
        next: Some("Fingers, hands and arms"),
        step_left: RATE * 99,
        ..scene()
    };
    let frame = render(&fingers, 40, 12);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Toes and feet            step 2 of 8\n",
            "                 stroke\n",
            "   ██████              ████    ██████\n",
            "       ██              ██      ██    \n",
            "     ████    ██████  ██████    ██████\n",
            "       ██    ██  ██    ██      ██  ██\n",
            "   ██████    ██████    ██      ██████\n",
            "  Turn each toe in a small circle, one\n",
            "  per chime.\n",
            "  Next: Fingers, hands and…, in 01:39\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  space pause  q quit  ? keys\n",
        ]
        .concat()
    );
}

#[test]
fn at_40_by_12_the_media_keys_note_is_wrapped_whole_or_left_out() {
    // Before: "Media keys are off: no D-Bus sessio…".
    let frame = render(&welcome(), 40, 12);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Welcome                  step 1 of 9\n",
            "  A calm bedtime or bath time massage,\n",
            "  about fourteen minutes. Slow, firm\n",
            "  strokes bring you close, and may\n",
            "  help circulation and muscle tone.\n",
            "  Next: Toes and feet, in 01:14\n",
            "\n",
            "  00:02 ─────────────────── 13:48 left\n",
            "\n",
            "          Media keys are off:\n",
            "          no D-Bus session bus\n",
            "  space pause  q quit  ? keys\n",
        ]
        .concat()
    );
    // Under a big count with four lines of words, no room: left out.
    let noted = Scene {
        message: Some("Media keys are off: no D-Bus session bus"),
        ..scene()
    };
    let text = untrimmed(&render(&noted, 40, 12));
    assert_eq!(text, untrimmed(&render(&scene(), 40, 12)));
}

#[test]
fn question_mark_at_40_by_10_lists_every_key_over_the_first_line_of_the_words() {
    // Before: the list hid the words, and named neither p, the arrows,
    // Esc, Ctrl-C nor the page keys.
    let mut shown = scene();
    shown.keys_shown = true;
    let frame = render(&shown, 40, 10);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Toes and feet            step 2 of 8\n",
            "  space or p         pause\n",
            "  n, → or Page Down  next\n",
            "  b, ← or Page Up    back\n",
            "  + -                volume\n",
            "  d                  baby's done\n",
            "  q, Esc or Ctrl-C   quit\n",
            "  Now, on the sole of the foot, just…\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  ? back to the session\n",
        ]
        .concat()
    );
    // Paused, space goes on; with room to spare, the list sits under the
    // header and the rest stays at the bottom.
    shown.paused = true;
    let frame = render(&shown, 80, 14);
    assert_fits(&frame);
    let text = untrimmed(&frame);
    assert!(text.contains("\n  space or p         go on\n"), "{text}");
    assert_eq!(
        text.lines().last(),
        Some("  ? back to the session"),
        "{text}"
    );
    // The key itself, and the view without the list again.
    assert_eq!(
        soothe::live::actions::action_for_key(soothe::terminal::input::Key::Char('?')),
        Some(soothe::live::actions::Action::ToggleKeys)
    );
    shown.keys_shown = false;
    assert!(!untrimmed(&render(&shown, 40, 10)).contains("back to the session"));
}

#[test]
fn question_mark_at_80_by_24_lists_every_key_and_its_aliases_over_the_words() {
    let shown = Scene {
        keys_shown: true,
        ..scene()
    };
    let frame = render(&shown, 80, 24);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "\n",
            "  Toes and feet                                                    step 2 of 8\n",
            "\n",
            "  space or p         pause\n",
            "  n, → or Page Down  next\n",
            "  b, ← or Page Up    back (twice: previous)\n",
            "  + -                volume\n",
            "  d                  baby's done\n",
            "  q, Esc or Ctrl-C   quit\n",
            "\n",
            "  Now, on the sole of the foot, just above the heel, press gently with your\n",
            "  index finger. This spot is linked to digestion.\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "\n",
            "  01:15 ━━━━━━━──────────────────────────────────────────────────── 08:45 left\n",
            "\n",
            "\n",
            "  ? back to the session\n",
        ]
        .concat()
    );
}

#[test]
fn question_mark_at_40_by_12_keeps_three_lines_of_the_words() {
    let shown = Scene {
        keys_shown: true,
        ..scene()
    };
    let frame = render(&shown, 40, 12);
    assert_fits(&frame);
    assert_eq!(
        untrimmed(&frame),
        [
            "  Toes and feet            step 2 of 8\n",
            "  space or p         pause\n",
            "  n, → or Page Down  next\n",
            "  b, ← or Page Up    back\n",
            "  + -                volume\n",
            "  d                  baby's done\n",
            "  q, Esc or Ctrl-C   quit\n",
            "  Now, on the sole of the foot, just\n",
            "  above the heel, press gently with\n",
            "  your index finger. This spot is…\n",
            "  01:15 ━━───────────────── 08:45 left\n",
            "  ? back to the session\n",
        ]
        .concat()
    );
}

#[test]
fn the_hint_line_names_question_mark_at_120_by_40_80_by_24_and_40_by_12() {
    let hints = |w, h| render(&scene(), w, h).lines.last().unwrap().text();
    assert_eq!(
        hints(120, 40),
        "  space pause   n next   b back (twice: previous)   + - volume   d baby's done   q quit   ? keys"
    );
    assert_eq!(
        hints(80, 24),
        "  space pause  n next  b back  + - volume  d baby's done  q quit  ? keys"
    );
    assert_eq!(hints(40, 12), "  space pause  q quit  ? keys");
}

#[test]
fn the_words_show_at_the_smallest_sizes_and_the_big_count_gives_way_first() {
    for (width, height) in [(40, 9), (40, 8), (34, 6), (60, 7)] {
        let frame = render(&scene(), width, height);
        assert_fits(&frame);
        let text = frame.text();
        assert!(
            text.contains("Now, on the sole of the"),
            "{width}x{height}:\n{text}"
        );
        assert!(
            read_big(&frame).as_deref() == Some("3 of 6") || text.contains("stroke 3 of 6"),
            "{width}x{height}:\n{text}"
        );
        assert!(text.contains("? keys"), "{width}x{height}:\n{text}");
    }
}

#[test]
fn held_after_crying_the_screen_says_so_and_how_to_go_on() {
    let held = Scene {
        held: true,
        listening: Some(Heard::Crying),
        ..scene()
    };
    for (w, h) in [(80, 24), (60, 16), (40, 12)] {
        let frame = render(&held, w, h);
        assert_fits(&frame);
        let text = frame.text();
        assert!(text.contains("crying"), "{w}x{h}:\n{text}");
        assert!(text.contains("space go on"), "{w}x{h}:\n{text}");
    }
    let text = render(&held, 80, 24).text();
    assert!(
        text.contains("your baby is crying · space to go on, d to finish"),
        "{text}"
    );
    assert!(text.contains("crying · step 2 of 8"), "{text}");
}

#[test]
fn the_header_shows_what_the_listener_hears() {
    for (heard, words) in [
        (Heard::NotListening, "not listening · step 2 of 8"),
        (Heard::Listening, "listening · step 2 of 8"),
        (Heard::Fussing, "fussing · step 2 of 8"),
    ] {
        let text = render(
            &Scene {
                listening: Some(heard),
                ..scene()
            },
            80,
            24,
        )
        .text();
        assert!(
            text.lines().any(|l| l.trim_end().ends_with(words)),
            "{text}"
        );
    }
    // Without --listen, nothing about listening.
    assert!(!render(&scene(), 80, 24).text().contains("listening"));
}

#[test]
fn escapes_and_a_bidi_override_in_the_title_words_next_step_and_note_are_escaped_before_they_are_fitted(
) {
    let osc8 = "\u{1b}]8;;mailto:x@example.com\u{7}link\u{1b}]8;;\u{7}";
    let title = "Toes\u{1b}[2J and\u{202e} feet";
    let prompt = format!("Press\u{7} gently {osc8} with\u{202e} your finger.");
    let next = format!("Legs{osc8}");
    let mut scene = scene();
    scene.title = title;
    scene.prompt = Some(&prompt);
    scene.next = Some(&next);
    scene.message = Some("On to Legs\u{1b}[2J");
    let frame = render(&scene, 80, 24);
    assert_fits(&frame);
    let text = frame.text();
    let lines: Vec<&str> = text.lines().collect();
    // Measured as drawn: 30 columns of title and 11 of the step count
    // fill the 76 inside the margins with 35 between them.
    assert_eq!(
        lines[1],
        format!(
            r"  Toes\u{{1b}}[2J and\u{{202e}} feet{}step 2 of 8",
            " ".repeat(35)
        ),
        "{text}"
    );
    assert!(
        text.contains(concat!(
            "\n  Press\\u{7} gently \\u{1b}]8;;mailto:x@example.com\\u{7}link\\u{1b}]8;;\\u{7}\n",
            "  with\\u{202e} your finger.\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "\n  Next: Legs\\u{1b}]8;;mailto:x@example.com\\u{7}link\\u{1b}]8;;\\u{7}, in 00:42\n"
        ),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.trim() == r"On to Legs\u{1b}[2J"),
        "{text}"
    );
    assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{text}");
}

/// The built-in session in Japanese and Chinese: the words, written
/// without spaces, were one "word" to the wrapper, cut after a line with
/// "…" (the hedge at the end of the heel's words lost); they wrap between
/// characters, and titles of two-column characters fit every size.
#[test]
fn japanese_and_chinese_words_without_spaces_wrap_over_lines_instead_of_being_cut() {
    for tag in ["ja", "zh"] {
        let script = soothe_core::session::script::Script::builtin_in(tag);
        let title = script.step("feet").unwrap().title.clone();
        let next = script.step("legs").unwrap().title.clone();
        let words = script.prompts.get("feet-heel").unwrap().clone();
        let scene = Scene {
            title: &title,
            prompt: Some(&words),
            next: Some(&next),
            ..scene()
        };
        for (width, height) in [(80, 24), (120, 40), (60, 16), (40, 12), (24, 10)] {
            let frame = render(&scene, width, height);
            assert_fits(&frame);
            let text = frame.text();
            if width >= 60 {
                assert!(text.contains(&title), "{tag} {width}x{height}:\n{text}");
                // Every character of the words is shown, over lines.
                let shown: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let said: String = words.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(shown.contains(&said), "{tag} {width}x{height}:\n{text}");
            }
        }
    }
}
