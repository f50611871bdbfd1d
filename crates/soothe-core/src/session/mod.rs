//! The session model: a script ([`script`], RON loaded with positions),
//! the way it is played ([`select`]: variant, options, brief mode, steps
//! left out), and what sounds when ([`timeline`], in exact samples).
//! [`advice`] holds a script to the cautions and strokes it declares;
//! [`language`] puts the built-in session's words in other languages.

pub mod advice;
pub mod language;
pub mod script;
pub mod select;
pub mod timeline;
