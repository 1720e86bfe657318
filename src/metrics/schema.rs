//! Column and file names of the run's outputs, shared by writers, readers and tests.

/// Per-app table.
pub const USERS_CSV: &str = "users.csv";
/// Per-minute, per-unit table.
pub const TIMESERIES_CSV: &str = "timeseries.csv";
/// Headline figures.
pub const SUMMARY_JSON: &str = "summary.json";
/// Per-minute blocked users by segment, over all units.
pub const SEGMENTS_CSV: &str = "segment_timeseries.csv";
/// Per-revocation-event exposure windows (written when the run simulates revocations).
pub const REVOCATIONS_CSV: &str = "revocations.csv";
/// The effective model (file plus overrides), so a report can be rebuilt without re-running.
pub const MODEL_TOML: &str = "model.toml";

/// `users.csv` identity columns.
pub mod users {
    /// Global user id.
    pub const USER: &str = "user";
    /// Scale unit.
    pub const UNIT: &str = "unit";
    /// Segment name.
    pub const SEGMENT: &str = "segment";
    /// App name.
    pub const APP: &str = "app";
    /// Client library profile.
    pub const PROFILE: &str = "profile";
    /// Client type.
    pub const CLIENT: &str = "client";
    /// Sign-in method.
    pub const SIGN_IN: &str = "sign_in";
    /// Minutes the user was active.
    pub const MINUTES_WANTED: &str = "minutes_wanted";
    /// Minutes the app had no token when it needed one.
    pub const MINUTES_BLOCKED: &str = "minutes_blocked";
    /// Minutes during which at least one app of the user was blocked (the same on each
    /// of the user's rows).
    pub const USER_MINUTES_BLOCKED: &str = "user_minutes_blocked";
    /// Prefix of request-outcome counters (`requests_ok`, `requests_429`, ...).
    pub const REQUESTS_PREFIX: &str = "requests_";
    /// Prefix of prompt counters by cause (`prompts_inactivity`, ...).
    pub const PROMPTS_PREFIX: &str = "prompts_";
    /// All prompts.
    pub const PROMPTS_TOTAL: &str = "prompts_total";
}

/// `timeseries.csv` columns.
pub mod timeseries {
    /// Minute index from the start.
    pub const MINUTE: &str = "minute";
    /// Calendar time of the minute, UTC.
    pub const TIME: &str = "time";
    /// Scale unit.
    pub const UNIT: &str = "unit";
    /// Requests that reached the unit.
    pub const OFFERED: &str = "offered";
    /// Requests the primary accepted within capacity.
    pub const ADMITTED: &str = "admitted";
    /// 429 answers for overload.
    pub const SHED_429: &str = "shed_429";
    /// 5xx answers and hung connections.
    pub const FAILED: &str = "failed";
    /// Requests served by the backup service.
    pub const BACKUP_SERVED: &str = "backup_served";
    /// Capacity of the minute (requests).
    pub const CAPACITY: &str = "capacity";
    /// Users in a session.
    pub const ACTIVE_USERS: &str = "active_users";
    /// Users with at least one blocked app.
    pub const BLOCKED_USERS: &str = "blocked_users";

    /// All columns in file order.
    pub const ALL: [&str; 11] = [
        MINUTE,
        TIME,
        UNIT,
        OFFERED,
        ADMITTED,
        SHED_429,
        FAILED,
        BACKUP_SERVED,
        CAPACITY,
        ACTIVE_USERS,
        BLOCKED_USERS,
    ];
}

/// `segment_timeseries.csv` columns.
pub mod segments {
    /// Minute index from the start.
    pub const MINUTE: &str = "minute";
    /// Segment name.
    pub const SEGMENT: &str = "segment";
    /// Users of the segment with at least one blocked app in the minute, over all units.
    pub const BLOCKED_USERS: &str = "blocked_users";

    /// All columns in file order.
    pub const ALL: [&str; 3] = [MINUTE, SEGMENT, BLOCKED_USERS];
}

/// `revocations.csv` columns: one row per revocation event and app.
pub mod revocations {
    /// Global user id.
    pub const USER: &str = "user";
    /// Scale unit.
    pub const UNIT: &str = "unit";
    /// Segment name.
    pub const SEGMENT: &str = "segment";
    /// App name.
    pub const APP: &str = "app";
    /// Event kind (password change, admin revoke, ...).
    pub const EVENT: &str = "event";
    /// Minutes from the start of the run to the event.
    pub const TIME_MINUTES: &str = "time_minutes";
    /// Minutes from the event until no token minted before it is accepted anywhere.
    pub const EXPOSURE_MINUTES: &str = "exposure_minutes";
    /// Whether the app's session was under CAE (`true`/`false`).
    pub const CAE: &str = "cae";
}
