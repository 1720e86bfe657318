//! `tokensim tui`: explore a scenario interactively, in The Elm Architecture.
//!
//! One [`Model`] holds everything the UI knows; [`update`](fn@update) is the only function that
//! changes it, turning each [`Msg`] (a key, a worker's progress or result) into model
//! changes and [`Cmd`]s (run, trace, save, export); [`view`](fn@view) draws a `&Model`. Levers
//! are `--set` overrides on the model as loaded, validated like `tokensim run --set`.
//! Runs happen on a [`worker`] thread that sends progress and a [`digest`] of each
//! finished run back over a channel; a newer lever change cancels the older run, and
//! results of superseded runs are ignored. With the replications setting above one, the
//! worker also runs replications 2..N ([`replicas`]) and the Impact tab shows each headline
//! figure's mean and 95 % CI. The UI never simulates anything itself.

mod app;
pub mod digest;
pub mod lever;
pub mod model;
pub mod msg;
pub mod replicas;
#[cfg(test)]
mod testing;
pub mod trace;
pub mod update;
pub mod view;
pub mod worker;

pub use app::run;
pub use model::{Base, Model, Paths, Tab};
pub use msg::{Cmd, Msg, RunRequest};
pub use update::update;
pub use view::view;
