//! soothe's integration tests, in one binary (as just and ripgrep do), so
//! that the audio crates are linked once: a module per area, and the
//! fixtures they share in [`support`].
//!
//! Run one area with a filter: `cargo test --test integration render_`.

#[macro_use]
mod support;

mod advice_options;
mod builtin_advice;
mod builtin_pacing;
mod cli_completion;
mod cli_generate;
mod cli_help;
mod cli_log;
mod cli_script;
mod cli_scripts;
mod cli_session;
mod cli_settings;
mod cli_stdout;
mod device;
mod from_step;
pub(crate) mod fuzz_inputs;
mod hardened_inputs;
mod languages;
mod listen_detect;
mod listen_file;
mod listen_hold;
#[cfg(feature = "device")]
mod listen_play;
#[cfg(feature = "device")]
mod live_analysis;
mod live_go_on;
mod live_hands_free;
mod live_heard;
mod live_keys;
mod live_log;
mod live_mpris;
mod live_play;
mod live_source;
mod live_terminal;
mod live_view;
mod record_alsa;
mod record_import;
mod record_process;
mod render;
mod render_album;
mod render_formats;
mod render_safety;
mod skipping;
mod terminal_escapes;
mod translations;
mod tree;
mod voice_transfer;
