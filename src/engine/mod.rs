//! The discrete-event kernel: integer time, the event queue, seeded random streams and
//! the ring the steady callers' lines are kept in.
//! Nothing here knows about tokens; `sim/` builds the world on top of it.

pub mod queue;
mod radix;
pub(crate) mod ring;
pub mod rng;
pub mod time;

pub use queue::{EventKey, EventQueue};
pub use rng::{Purpose, Rng};
pub use time::{SimDuration, SimTime, TimeParseError};
