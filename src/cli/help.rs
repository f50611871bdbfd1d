//! The long help (`--help`): what each command is for, the keys of `play`,
//! and examples. `-h` stays short: it shows only the first lines.

pub const SOOTHE: &str = "\
A hands-free, voice-guided baby massage: your voice, a soft chime for every stroke, no music.

soothe talks you through six gentle techniques (toes and feet, legs, head, back, tummy, then fingers, hands and arms), from asking your baby's permission to a calm close. It speaks in a bundled (synthetic) guide voice until you record your own, prompt by prompt, in English, Spanish, French, Italian, Brazilian Portuguese, German, Japanese or Mandarin Chinese (--language; by default the system's, LANG).";

pub const SOOTHE_AFTER: &str = "\
With no SCRIPT, the built-in six-technique baby massage is used.

Examples:
  soothe play                         play the relaxing (bedtime) session
  soothe play --help                  the keys during a session, and the pedal tip
  soothe render -o session.mp3        the whole session as a file for your phone
  soothe record --voice mum           record your own voice, prompt by prompt
  soothe script > my-session.ron      the built-in script, to change and play
  soothe settings                     the defaults you keep (voice, variant, levels...)
  soothe log                          the sessions played lately

Settings: $XDG_CONFIG_HOME/soothe/settings.ron (by default ~/.config/soothe/settings.ron) keeps your defaults; a flag wins over it. `soothe settings` shows them.
Notes (what is not an error) go to standard error: --quiet silences them, --verbose adds which audio device, buffer and voice files are used.

Exit codes: 0 ok, 1 a runtime failure, 2 invalid input.";

pub const PLAY: &str = "\
Play a session through the default audio output.

Once it starts, the session runs by itself from the first words to the calm close: a soft chime starts every stroke, so you never count. In a terminal, one calm screen shows the step, the stroke count in large numbers, the words being spoken and the time left; when the output is a pipe or a file, soothe prints plain lines instead.";

pub const PLAY_AFTER: &str = "\
Keys (a single press, no Enter):
  space or p          pause, and go on from the exact sample where it stopped
  n or right arrow    the next step
  b or left arrow     the step again from its start; pressed twice quickly, the previous step
  + and -             louder and quieter, 3 dB a press
  d                   baby's done: straight to the calm close
  q, Esc or Ctrl-C    stop; soothe prints the command that goes on from that step
  ?                   every key on the screen, with the others that do the same, over the words being spoken (on a small screen, the line of hints leaves some out); ? again hides them

Pedal tip: a USB foot pedal or a Bluetooth page-turner is a keyboard to soothe. Set a one-button pedal to send space (pause and go on); with more buttons, add the right and left arrows (next, back) and d. Page-turners that send Page Down and Page Up are next and back as they come. Media keys and headset buttons do what space, n, b and q do.

Examples:
  soothe play                                     the relaxing (bedtime) session
  soothe play --variant invigorating              brisker, strokes towards the heart
  soothe play --with colic                        twelve pairs of tummy strokes, for wind and colic
  soothe play --voice mum                         in your own recorded voice
  soothe play --from tummy                        start at a step (`soothe plan` lists them)
  soothe play --language es                       in Spanish: es, fr, it, pt-BR, de, ja, zh or en
  soothe play --voice-gain -30 --chime-gain -30   whisper-quiet, for a sleeping household
  soothe play my-session.ron                      your own script
  soothe --verbose play --voice mum               also say which device, buffer and take of each prompt

The voice, variant, options, levels, script and language can be kept in the settings file (soothe settings --help); a flag wins over it. Each session adds a line to the session log (soothe log).";

pub const RENDER: &str = "\
Render a session to an MP3, FLAC or WAV file for a phone, with a chapter per step (no audio device needed).

The session is made by the very source that plays it: the file sounds as `soothe play` does.";

pub const RENDER_AFTER: &str = "\
The format follows the file's extension: .mp3 (mono, 64 kb/s unless --bitrate), .flac or .wav (16-bit). `-o -` writes to standard output, in the --format given.
A render replaces a file only once it is complete, keeps its mode, and writes into a pipe or a device (/dev/null) rather than over it.

Examples:
  soothe render -o session.mp3                   one file, a chapter per step
  soothe render --voice mum -o bedtime.flac      in your own voice, lossless
  soothe render --split phone/                   a file per step and a playlist
  soothe render -o - --format wav | aplay        to standard output
  soothe render --from tummy -o rest.mp3         from a step to the end";

pub const PLAN: &str = "\
Print a session's timeline: when each step starts, and when each prompt and chime sounds.";

pub const PLAN_AFTER: &str = "\
Examples:
  soothe plan                              the built-in session, relaxing
  soothe plan --with newborn               a newborn's shorter session
  soothe plan --json | jq '.steps[].id'    the step names, for --skip and --from";

pub const CHECK: &str = "\
Check a script: its variants' lengths and the recordings a voice lacks.

A mistake in a script is shown as FILE:LINE:COL: message, with exit code 2. The check also makes sure every caution the script declares is said before what it guards, in every variant and option.";

pub const CHECK_AFTER: &str = "\
Examples:
  soothe check                         the built-in session
  soothe check my-session.ron          your own script
  soothe check --voice mum             which prompts mum has not recorded yet
  soothe check --language ja           the session in Japanese, and every language soothe speaks";

pub const PROMPTS: &str = "\
List the words of every prompt, in the order they are spoken: a script to read from while recording.";

pub const PROMPTS_AFTER: &str = "\
Examples:
  soothe prompts                   the built-in session's words
  soothe prompts --tsv | cut -f1   the prompt ids, for record --prompt
  soothe prompts --language de     the words in German";

pub const RECORD: &str = "\
Record your own voice for the prompts, or import recordings made elsewhere.

Each prompt's words are shown; speak them after the countdown while the level meter moves, hear the take played back, then press one key: k keeps it (so does Enter), r redoes it, s skips the prompt, q stops. Takes are trimmed, cleaned of hum and hiss, and levelled like the guide voice.

If the microphone hears no speech for 5 s, soothe says so: check which microphone is used with `soothe devices`, and choose another with --input.";

pub const RECORD_AFTER: &str = "\
Takes are saved in $XDG_DATA_HOME/soothe/voices/NAME/ (by default ~/.local/share/soothe/voices/NAME/), one <prompt-id>.wav each, and those of a language other than English in NAME/<language>/ (--language es: NAME/es/); the take a new one replaces is kept as <prompt-id>.prev.wav.
When stdin is not a terminal, the same keys are read from it one byte at a time (printf 'rk' redoes the first take, then keeps the second); with no keys left, every take with speech in it is kept.
--import-dir imports every <prompt-id>.* file of a folder (feet.m4a is the take of feet), reports each on a line, lists the files named after no prompt, and exits non-zero if any failed, keeping the good ones.

Examples:
  soothe record --voice mum                                   every prompt, in session order
  soothe record --voice mum --missing                         only those not recorded yet
  soothe record --voice mum --prompt feet --prompt legs       just these
  soothe record --voice mum --input yeti                      from the USB microphone `soothe devices` lists
  soothe record --voice mum --prompt feet --import memo.m4a   a phone memo as the take of feet
  soothe record --voice mum --import feet.m4a                 the same, named after its prompt
  soothe record --voice mum --import-dir ~/memos              every memo named after its prompt
  soothe record --voice mum --language es --missing           your Spanish takes, kept apart";

pub const VOICES: &str = "\
List the recorded voices and how many of the script's prompts each has, with the prompts each lacks (the guide voice speaks those) and its stale takes (recorded for words the script has since changed).

A voice moves as one file (a plain tar of its takes): --export writes one, never over a file that is there; --import adds one to your voices, never over a voice you have. The phone's web app reads and writes the same files.";

pub const VOICES_AFTER: &str = "\
Examples:
  soothe voices                                 the voices, against the built-in session
  soothe voices my-session.ron                  the voices, against your own script
  soothe voices --export mum mum.soothe-voice   the voice mum as one file, for the phone
  soothe voices --import mum.soothe-voice       a voice from the phone or another computer";

pub const SETTINGS: &str = "\
Show where the settings file is and the settings in force.

The settings file, $XDG_CONFIG_HOME/soothe/settings.ron (by default ~/.config/soothe/settings.ron), is RON like the scripts. It keeps what you would otherwise type every time: the voice, the variant, the options (--with), the voice and chime levels, listening and its sensitivity, your own script, and the built-in session's language (else the system's). play, render and plan use it; check, prompts, record and voices use its script, and check its voice. A flag on the command line always wins. A mistake in it is shown as FILE:LINE:COL: message, with exit code 2, and nothing plays until it is mended.";

pub const SETTINGS_AFTER: &str = "\
Example file:
  Settings(
      voice: \"mum\",
      variant: \"relaxing\",
      options: [\"colic\"],
      voice_gain: -6.0,
      chime_gain: -20.0,
      listening: false,
      sensitivity: \"normal\",
      script: \"~/my-session.ron\",
      language: \"es\",
  )

Examples:
  soothe settings              where the file is, what is in force, and how to begin one
  soothe play --voice guide    a flag wins over the file, this once

To begin a file from one with every line explained (`soothe settings` says where it goes on this system):
  mkdir -p ~/.config/soothe
  soothe settings --example > ~/.config/soothe/settings.ron";

pub const LOG: &str = "\
Show the sessions played lately: when, which script, variant (and whether brief), options and voice, how long it was heard, and how far it got (finished, baby's done at a step, or stopped at a step), from the step it started at when that was not the first (`from close to the end`).

Every `soothe play` adds one line to $XDG_STATE_HOME/soothe/log.csv (by default ~/.local/state/soothe/log.csv), however it ends, Ctrl-C included; the file also keeps the session's language. Only a record: no streaks, no scores, no reminders.";

pub const LOG_AFTER: &str = "\
Examples:
  soothe log                                      the last 10 sessions
  soothe log -n 30                                the last 30
  soothe log --all                                every session
  column -s, -t < ~/.local/state/soothe/log.csv   the file itself (CSV)";

pub const DEVICES: &str = "\
List the microphones (inputs) and audio outputs ALSA offers, marking the system's defaults with *.

The name in the first column is what `soothe record --input NAME` takes; a part of the name or of the description is enough when only one device matches.";

pub const DEVICES_AFTER: &str = "\
Exits 1, saying so, when there is no audio device at all.

Examples:
  soothe devices                          what there is
  soothe record --voice mum --input yeti  record from the one named or described as yeti";

pub const SCRIPT: &str = "\
Write the built-in session's script to standard output, to change and play as your own (--language L: in that language, with its language:).

Sessions are RON scripts: steps, the words of each prompt, strokes and their counts, variants and options. The format is documented in docs/script-format.md.";

pub const SCRIPT_AFTER: &str = "\
Examples:
  soothe script > my-session.ron         a copy to change
  soothe script --language fr > fr.ron   the session in French, which plays in French
  soothe check my-session.ron            points at any mistake as FILE:LINE:COL: message
  soothe play my-session.ron             play it";

pub const COMPLETIONS: &str = "\
Write shell completions to standard output: commands, options and the files they take, completed with Tab; in bash, zsh and fish also the script's variants, options and steps, and the recorded voices, after the options that take them.";

pub const COMPLETIONS_AFTER: &str = "\
Examples:
  soothe completions fish | source     in this fish, until it closes
  source <(soothe completions bash)    in this bash, until it closes

To keep them, write them where each shell looks:
  soothe completions bash > ~/.local/share/bash-completion/completions/soothe
  soothe completions zsh > ~/.zfunc/_soothe
  soothe completions fish > ~/.config/fish/completions/soothe.fish
  soothe completions elvish >> ~/.config/elvish/rc.elv
  soothe completions powershell >> $PROFILE

zsh finds ~/.zfunc/_soothe once `fpath+=~/.zfunc` comes before compinit in ~/.zshrc.";

pub const MAN: &str = "\
Write the man page, soothe(1), to standard output, in roff.";

pub const MAN_AFTER: &str = "\
Examples:
  soothe man | man -l -                            read it now
  soothe man > ~/.local/share/man/man1/soothe.1    install it for `man soothe`";

pub const LISTEN: &str = "\
Hear what the microphone hears, and whether soothe would take it for crying: a level meter and \"I can hear crying\" or \"I can't hear crying\", so that you can find a place for the laptop before `soothe play --listen`. Let your baby be heard from where you will massage them (or play a recording of a cry there), and move the laptop or the microphone until crying is heard.

It decides as `play --listen` does, with nothing playing: what it calls crying would pause a session. It first listens to the room for 3 seconds, and calls nothing crying before that; a steady sound already there (a fan, a hum, a whistle, a microphone's constant offset) is the room, not crying.

With --file, it hears recordings instead (a memo of your baby, any test recording), each from its first sample to its last as `play --listen` would hear it with nothing playing, and says one line for each: `PATH: crying from 1.6 s`, `PATH: fussing from 2.2 s` or `PATH: quiet`. A file it cannot read is named on stderr, the others are still heard, and it exits with 2.

Nothing is recorded, stored or sent: the sound goes through the detector in memory and is dropped.";

pub const LISTEN_AFTER: &str = "\
Examples:
  soothe listen                      until Ctrl-C
  soothe listen --seconds 20         for 20 seconds of sound
  soothe listen --input yeti         through the microphone named (or described) yeti
  soothe listen --file memo.m4a      does soothe hear crying in this recording?";
