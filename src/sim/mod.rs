//! The simulation of one scale unit (a world of users, apps and one token endpoint),
//! the observer it reports to, and the parallel run over all units.

mod activity;
mod client;
pub mod endpoint;
pub mod event;
mod exposure;
mod grant;
pub mod observer;
mod prefetch;
mod revocation;
pub mod run;
mod sso;
mod state;
mod steady;
pub mod trace;
mod world;

pub use endpoint::Endpoint;
pub use event::Event;
pub use observer::{AppRef, CallResult, NullObserver, Observer, Outcome, RevocationRecord};
pub use run::{RunError, UnitRun, progress_total, run_unit, unit_days};
pub use world::{AppRow, Simulation, SimulationBuilder};
