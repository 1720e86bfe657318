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
    /// The next rate-driven credential or admin event of a user (kind drawn then).
    Credential(u32),
    /// A scripted campaign (by index) hits a user.
    Campaign(u32, u16),
    /// An admin revoke-all of a user takes effect after the admin API lag; the second
    /// field is the campaign it came from (`u16::MAX`: drawn from the rates).
    AdminRevokeAll(u32, u16),
    /// A critical event reaches an app's resource (index among the unit's CAE marks).
    CaeEnforce(u32),
}

#[cfg(test)]
mod tests {
    /// Events stay eight bytes: the queue's slots hold one each.
    #[test]
    fn events_fit_in_eight_bytes() {
        assert_eq!(std::mem::size_of::<super::Event>(), 8);
    }
}
