//! `soothe play` on a busy machine (tests/live_load.rs), in a test binary
//! of its own. Its load is part of what it tests, so no other test may run
//! beside it: cargo runs test binaries one after another, while the tests
//! of one binary run side by side.

// The fixtures of the integration tests, of which this binary uses only a
// few: the rest is not dead, it is the other binary's.
#[macro_use]
#[allow(dead_code)]
mod support;

mod live_load;
