//! The closed set of things that can happen in a unit.

/// An event of one scale unit; indices are local to the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A user becomes active.
    SessionStart(u32),
    /// A user stops being active (ignored if the session was extended meanwhile).
    SessionEnd(u32),
    /// An app makes its next call, or retries a failed request.
    Wake(u32),
    /// A delayed answer (queueing, latency, hang, client timeout) reaches an app.
    Reply(u32),
}
