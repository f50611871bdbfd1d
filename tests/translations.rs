//! Every translation of the built-in session says what the English one
//! says, by meaning: held to its own declaration (`meaning:` in
//! `scripts/lang/<tag>.ron`) by the checks `builtin_advice` holds English
//! to, in every variant, option and brief mode, and by the engine's
//! search for ways that break the advice. A translation that drops a
//! caution or turns a piece of advice around must fail: each of
//! `MUTATIONS`, and every caution's words replaced by words that say none.

use soothe_core::session::advice;
use soothe_core::session::language::{self, Language};
use soothe_core::session::script::Script;

use crate::builtin_advice::{first_problem, problems};

/// The translations: every language but English.
fn translations() -> impl Iterator<Item = &'static str> {
    language::tags().filter(|tag| *tag != language::ENGLISH)
}

#[test]
fn every_language_keeps_every_piece_of_advice_in_every_variant_option_and_mode() {
    let mut found = Vec::new();
    for tag in translations() {
        let words = language::translation(tag).unwrap();
        let script = Script::builtin_in(tag);
        found.extend(
            problems(&script, &words.meaning)
                .into_iter()
                .map(|p| format!("{tag}: {p}")),
        );
        // The engine's own search, as `soothe check` runs it.
        let breaking = advice::breaking_selections(&script).unwrap();
        found.extend(
            breaking
                .iter()
                .map(|s| format!("{tag}: breaks the advice when played as {s:?}")),
        );
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(translations().count(), 7);
}

/// The language `tag`'s file with `from` replaced by `to` (once; `from`
/// must occur once), read and put into the script.
fn mutated(tag: &str, what: &str, from: &str, to: &str) -> (Script, Language) {
    let source = language::file(tag).unwrap();
    assert_eq!(
        source.matches(from).count(),
        1,
        "{tag} mutation \"{what}\": the text to change must occur once: {from}"
    );
    let words = language::parse(&source.replacen(from, to, 1), "mutated.ron")
        .unwrap_or_else(|err| panic!("{tag} mutation \"{what}\" does not load: {err}"));
    let script = words.script().unwrap();
    (script, words)
}

/// Edits that turn a piece of advice around in each language: (language,
/// what, from, to) on the language's file.
const MUTATIONS: &[(&str, &str, &str, &str)] = &[
    ("es", "fine to massage a baby who is asleep", "Un bebé despierto y contento, nunca dormido.", "Está bien aunque el bebé esté dormido."),
    ("es", "music played", "Una habitación cálida y tranquila, sin música.", "Una habitación cálida y tranquila, con música suave."),
    ("es", "carry on after a feed", "\"La barriga: ¿ha comido en la última media hora? Pulsa n o tu pedal para saltarla.\"", "\"La barriga: aunque haya comido hace poco, sigue.\""),
    ("es", "tummy stroked upwards", "una mano y luego la otra acarician hacia abajo hasta la vejiga", "una mano y luego la otra acarician hacia arriba desde la vejiga"),
    ("es", "back stroked upwards", "acaricia hacia abajo hasta las nalgas o los pies", "acaricia hacia arriba desde las nalgas hasta la nuca"),
    ("es", "nape stroke reversed", "\"Luego desde la coronilla, hacia abajo hasta la nuca.\"", "\"Luego desde la nuca, hacia arriba hasta la coronilla.\""),
    ("es", "calming legs called waking", "deslízala despacio hacia abajo hasta el pie, para calmar.", "deslízala despacio hacia abajo hasta el pie, para estimular."),
    ("es", "the back stroke presses", "sin presionar, acaricia hacia abajo", "presionando con firmeza, acaricia hacia abajo"),
    ("es", "the colic hedge dropped", "Algunos padres sienten que alivia los gases, los cólicos y el estreñimiento.", "Esto cura los cólicos y el estreñimiento."),
    ("es", "the brief distress cue loses how to end", "\"¿Encoge los hombros, se aparta, llora? Pulsa d.\"", "\"¿Encoge los hombros, se aparta, llora? Sigue.\""),
    ("fr", "fine to massage a baby who is asleep", "Un bébé éveillé et content, jamais endormi.", "Même s'il dort, ce n'est pas grave."),
    ("fr", "music played", "Une pièce chaude et tranquille, sans musique.", "Une pièce chaude et tranquille, avec de la musique douce."),
    ("fr", "carry on after a feed", "\"Le ventre : a-t-il mangé il y a moins d'une demi-heure ? Appuyez sur n ou sur la pédale pour le passer.\"", "\"Le ventre : même s'il vient de manger, continuez.\""),
    ("fr", "tummy stroked upwards", "une main puis l'autre descend jusqu'à la vessie", "une main puis l'autre remonte depuis la vessie"),
    ("fr", "back stroked upwards", "sans appuyer, descendez jusqu'aux fesses ou aux pieds", "sans appuyer, remontez des fesses jusqu'à la nuque"),
    ("fr", "nape stroke reversed", "\"Puis du sommet de la tête, vers le bas, jusqu'à la nuque.\"", "\"Puis de la nuque, vers le haut, jusqu'au sommet de la tête.\""),
    ("fr", "calming legs called waking", "et glissez lentement vers le bas jusqu'au pied, pour apaiser.", "et glissez lentement vers le bas jusqu'au pied, pour tonifier."),
    ("fr", "the back stroke presses", "sans appuyer, descendez", "en appuyant fort, descendez"),
    ("fr", "the colic hedge dropped", "Certains parents trouvent que cela soulage les gaz, les coliques et la constipation.", "Cela guérit les coliques et la constipation."),
    ("fr", "the brief distress cue loses how to end", "\"Il rentre les épaules, se dégage, pleure ? Appuyez sur la touche d.\"", "\"Il rentre les épaules, se dégage, pleure ? Continuez.\""),
    ("it", "fine to massage a baby who is asleep", "Un bimbo sveglio e contento, mai addormentato.", "Va bene anche se il bimbo dorme."),
    ("it", "music played", "Una stanza calda e silenziosa, niente musica.", "Una stanza calda e silenziosa, con la musica."),
    ("it", "carry on after a feed", "\"La pancia: ha fatto la poppata nell'ultima mezz'ora? Premi n o il pedale per saltarla.\"", "\"La pancia: anche se ha appena fatto la poppata, continua.\""),
    ("it", "tummy stroked upwards", "una mano e poi l'altra scendono fino alla vescica", "una mano e poi l'altra risalgono dalla vescica"),
    ("it", "back stroked upwards", "senza premere, scendi fino al sederino o ai piedi", "senza premere, risali dal sederino alla nuca"),
    ("it", "nape stroke reversed", "\"Poi dalla sommità, giù fino alla nuca.\"", "\"Poi dalla nuca, su fino alla sommità.\""),
    ("it", "calming legs called waking", "e scendi lentamente fino al piede, per calmare.", "e scendi lentamente fino al piede, per stimolare."),
    ("it", "the back stroke presses", "senza premere, scendi", "premendo forte, scendi"),
    ("it", "the colic hedge dropped", "Alcuni genitori sentono che allevia l'aria, le coliche e la stitichezza.", "Questo cura le coliche e la stitichezza."),
    ("it", "the brief distress cue loses how to end", "\"Incassa le spalle, si ritrae, piange? Premi il tasto d.\"", "\"Incassa le spalle, si ritrae, piange? Continua.\""),
    ("pt-BR", "fine to massage a baby who is asleep", "Um bebê acordado e contente, nunca dormindo.", "Tudo bem se o bebê estiver dormindo."),
    ("pt-BR", "music played", "Um quarto quentinho e silencioso, sem música.", "Um quarto quentinho e silencioso, com música suave."),
    ("pt-BR", "carry on after a feed", "\"Agora a barriga. O bebê mamou na última meia hora? Então aperte n ou o pedal para pular.\"", "\"A barriga: mesmo que tenha mamado agora, continue.\""),
    ("pt-BR", "tummy stroked upwards", "uma mão e depois a outra deslizam para baixo até a bexiga", "uma mão e depois a outra deslizam para cima a partir da bexiga"),
    ("pt-BR", "back stroked upwards", "sem pressionar, deslize para baixo até o bumbum ou os pés", "sem pressionar, deslize para cima do bumbum até a nuca"),
    ("pt-BR", "nape stroke reversed", "\"Depois, do topo da cabeça, para baixo até a nuca.\"", "\"Depois, da nuca, para cima até o topo da cabeça.\""),
    ("pt-BR", "calming legs called waking", "e deslize devagar para baixo até o pé, para acalmar.", "e deslize devagar para baixo até o pé, para estimular."),
    ("pt-BR", "the back stroke presses", "sem pressionar, deslize", "pressionando com força, deslize"),
    ("pt-BR", "the colic hedge dropped", "Alguns pais sentem que isso alivia gases, cólicas e prisão de ventre.", "Isso cura cólicas e prisão de ventre."),
    ("pt-BR", "the brief distress cue loses how to end", "\"Encolhe os ombros, se afasta, chora? Aperte a tecla d.\"", "\"Encolhe os ombros, se afasta, chora? Continue.\""),
    ("de", "fine to massage a baby who is asleep", "und ein waches, zufriedenes Baby, niemals im Schlaf.", "und auch wenn es schläft, macht nichts."),
    ("de", "music played", "Ein warmes, stilles Zimmer, keine Musik und", "Ein warmes, stilles Zimmer, mit Musik und"),
    ("de", "carry on after a feed", "\"Der Bauch: in der letzten halben Stunde gefüttert? Drück n oder dein Pedal, um ihn auszulassen.\"", "\"Der Bauch: auch wenn es gerade gefüttert wurde, mach weiter.\""),
    ("de", "tummy stroked upwards", "dann die andere streicht hinunter zur Blase", "dann die andere streicht von der Blase hinauf"),
    ("de", "back stroked upwards", "ohne Druck streich hinunter bis zum Po oder zu den Füßen", "ohne Druck streich vom Po hinauf zum Nacken"),
    ("de", "nape stroke reversed", "\"Dann vom Scheitel hinunter bis zum Nacken.\"", "\"Dann vom Nacken hinauf bis zum Scheitel.\""),
    ("de", "calming legs called waking", "und gleite langsam hinunter bis zum Fuß, beruhigend.", "und gleite langsam hinunter bis zum Fuß, belebend."),
    ("de", "the back stroke presses", "ohne Druck streich hinunter", "mit festem Druck streich hinunter"),
    ("de", "the colic hedge dropped", "Manche Eltern finden, dass es bei Blähungen, Koliken und Verstopfung hilft.", "Es heilt Koliken und Verstopfung."),
    ("de", "the brief distress cue loses how to end", "\"Zieht es die Schultern hoch, wendet sich ab, weint es? Drück bitte die Taste d.\"", "\"Zieht es die Schultern hoch, wendet sich ab, weint es? Mach weiter.\""),
    ("ja", "fine to massage a baby who is asleep", "赤ちゃんが起きていて機嫌のよい時だけ、眠っている時は決してしません。", "赤ちゃんが眠っていても大丈夫です。"),
    ("ja", "music played", "暖かく静かな部屋で、音楽はかけずに。", "暖かく静かな部屋で、音楽をかけて。"),
    ("ja", "carry on after a feed", "\"お腹です。三十分以内に授乳しましたか。その場合は n キーかペダルを押して飛ばしてください。\"", "\"お腹です。授乳した直後でも、そのまま続けてください。\""),
    ("ja", "tummy stroked upwards", "片手ずつ交互に、お腹の下の方までなで下ろします。", "片手ずつ交互に、お腹の下の方から上へなで上げます。"),
    ("ja", "back stroked upwards", "押さずに、おしりか足までなで下ろします。", "押さずに、おしりから首の後ろへなで上げます。"),
    ("ja", "nape stroke reversed", "\"それから、頭のてっぺんから首の後ろへ、なで下ろします。\"", "\"それから、首の後ろから頭のてっぺんへ、なで上げます。\""),
    ("ja", "calming legs called waking", "足先までゆっくりなで下ろします。落ち着かせる動きです。", "足先までゆっくりなで下ろします。元気が出る動きです。"),
    ("ja", "the back stroke presses", "押さずに、おしりか足まで", "しっかり押して、おしりか足まで"),
    ("ja", "the colic hedge dropped", "ガスやコリックがやわらぎ、お通じがよくなると感じる親もいます。", "コリックが治り、お通じがよくなります。"),
    ("ja", "the brief distress cue loses how to end", "\"肩をすくめる、身を引く、泣く？ それなら d キーを押して。\"", "\"肩をすくめる、身を引く、泣く？ それでもそのまま続けて。\""),
    ("zh", "fine to massage a baby who is asleep", "宝宝要醒着、心情好，绝不在睡着时按摩。", "宝宝睡着了也没关系。"),
    ("zh", "music played", "房间要温暖安静，不放音乐；", "房间要温暖安静，播放音乐；"),
    ("zh", "carry on after a feed", "\"现在是肚子：半小时内吃过奶吗？那就按 n 键或踏板跳过。\"", "\"现在是肚子：即使刚吃过奶，也继续按摩。\""),
    ("zh", "tummy stroked upwards", "一只手接着另一只手，向下摸到小腹。", "一只手接着另一只手，从小腹向上摸。"),
    ("zh", "back stroked upwards", "不要用力，向下摸到小屁股或脚", "不要用力，从小屁股向上摸到脖子后面"),
    ("zh", "nape stroke reversed", "\"然后从头顶向下，抚摸到脖子后面。\"", "\"然后从脖子后面向上，抚摸到头顶。\""),
    ("zh", "calming legs called waking", "慢慢向下滑到脚，有安抚作用。", "慢慢向下滑到脚，有唤醒作用。"),
    ("zh", "the back stroke presses", "不要用力，向下摸到小屁股", "用力按，向下摸到小屁股"),
    ("zh", "the colic hedge dropped", "一些父母觉得，这样做能让胀气、肠绞痛和便秘好一些。", "这样做能治好肠绞痛和便秘。"),
    ("zh", "the brief distress cue loses how to end", "\"看到宝宝缩起肩膀、躲开或者哭闹，就按 d 键。\"", "\"看到宝宝缩起肩膀、躲开或者哭闹，就继续。\""),
];

#[test]
fn every_inverted_piece_of_advice_is_caught_in_every_language() {
    for tag in translations() {
        assert_eq!(
            MUTATIONS.iter().filter(|m| m.0 == tag).count(),
            10,
            "{tag}: ten mutations a language"
        );
    }
    for (tag, what, from, to) in MUTATIONS {
        let (script, words) = mutated(tag, what, from, to);
        assert!(
            first_problem(&script, &words.meaning).is_some(),
            "{tag} mutation \"{what}\" passes every check"
        );
    }
}

/// The line of prompt `id` in a language file, as written (in its
/// `prompts`, not the step of the same id).
fn prompt_line<'a>(source: &'a str, id: &str) -> &'a str {
    source
        .lines()
        .skip_while(|l| l.trim() != "prompts: {")
        .find(|l| l.trim_start().starts_with(&format!("{id:?}:")))
        .unwrap()
}

/// Every prompt that says a caution, its words replaced by those of a
/// prompt that says none ("swap hands for the other leg"), in every
/// language: the caution is gone, and the checks say so.
#[test]
fn a_caution_dropped_from_any_prompt_that_says_it_is_caught_in_every_language() {
    let english = Script::builtin();
    let mut carriers: Vec<&str> = english
        .cautions
        .iter()
        .flat_map(|c| c.said_in.iter().map(String::as_str))
        .collect();
    carriers.sort_unstable();
    carriers.dedup();
    for tag in translations() {
        let source = language::file(tag).unwrap();
        let plain = language::translation(tag).unwrap();
        let plain = plain.prompts.get("legs-other").unwrap();
        for id in &carriers {
            let line = prompt_line(source, id);
            let emptied = format!("        {id:?}: {plain:?},");
            let what = format!("{id} says no caution");
            let (script, words) = mutated(tag, &what, line, &emptied);
            assert!(
                first_problem(&script, &words.meaning).is_some(),
                "{tag}: {what}, and passes every check"
            );
        }
    }
}

/// The words of two prompts exchanged in a language file.
fn exchanged(tag: &str, a: &str, b: &str) -> (Script, Language) {
    let source = language::file(tag).unwrap();
    let (line_a, line_b) = (prompt_line(source, a), prompt_line(source, b));
    let swapped = source
        .replacen(line_a, "\u{0}", 1)
        .replacen(line_b, &line_a.replacen(a, b, 1), 1)
        .replacen('\u{0}', &line_b.replacen(b, a, 1), 1);
    let words = language::parse(&swapped, "exchanged.ron").unwrap();
    (words.script().unwrap(), words)
}

#[test]
fn limbs_stroked_the_other_way_are_caught_in_every_language() {
    for tag in translations() {
        for (a, b) in [("legs-down", "legs-up"), ("arms-down", "arms-up")] {
            let (script, words) = exchanged(tag, a, b);
            assert!(
                first_problem(&script, &words.meaning).is_some(),
                "{tag}: {a} and {b} exchanged, and pass every check"
            );
        }
        // The tummy's places exchanged: the words say belly button to
        // bladder, the strokes go the other way.
        let source = language::file(tag).unwrap();
        let place = |name: &str| {
            source
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{name:?}:")))
                .unwrap()
        };
        let (navel, bladder) = (place("belly button"), place("bladder"));
        let swapped = source
            .replacen(navel, "\u{0}", 1)
            .replacen(
                bladder,
                &bladder.replacen("\"bladder\"", "\"belly button\"", 1),
                1,
            )
            .replacen(
                '\u{0}',
                &navel.replacen("\"belly button\"", "\"bladder\"", 1),
                1,
            );
        let words = language::parse(&swapped, "places.ron").unwrap();
        let script = words.script().unwrap();
        assert!(
            first_problem(&script, &words.meaning).is_some(),
            "{tag}: the tummy's places exchanged, and pass every check"
        );
    }
}
