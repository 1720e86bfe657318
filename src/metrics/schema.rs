//! Column and file names of the run's outputs, shared by writers, readers and tests.

/// Per-app table.
pub const USERS_CSV: &str = "users.csv";
/// Per-minute, per-unit table.
pub const TIMESERIES_CSV: &str = "timeseries.csv";
/// Headline figures.
pub const SUMMARY_JSON: &str = "summary.json";
/// Per-minute blocked users by segment, over all units.
pub const SEGMENTS_CSV: &str = "segment_timeseries.csv";
/// Per revocation event and app: exposure windows.
pub const REVOCATIONS_CSV: &str = "revocations.csv";
/// The effective model (file plus overrides), so a report can be rebuilt without re-running.
pub const MODEL_TOML: &str = "model.toml";
/// Folder of a run's replications after the first, one `rNN/` run folder each.
pub const REPLICATIONS_DIR: &str = "replications";

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
    /// App calls that got no token (a one-call visit that failed is blocked although
    /// it loses no minutes).
    pub const CALLS_FAILED: &str = "calls_failed";
    /// Prefix of request-outcome counters (`requests_ok`, `requests_429`, ...).
    pub const REQUESTS_PREFIX: &str = "requests_";
    /// Prefix of prompt counters by cause (`prompts_inactivity`, ...).
    pub const PROMPTS_PREFIX: &str = "prompts_";
    /// All prompts.
    pub const PROMPTS_TOTAL: &str = "prompts_total";
    /// The text columns, held in memory as codes ([`crate::metrics::labels`]).
    pub const TEXT: [&str; 5] = [SEGMENT, APP, PROFILE, CLIENT, SIGN_IN];

    /// All columns in file order.
    pub fn all() -> Vec<String> {
        use crate::domain::PromptCause;
        use crate::sim::Outcome;
        let mut h: Vec<String> = [
            USER,
            UNIT,
            SEGMENT,
            APP,
            PROFILE,
            CLIENT,
            SIGN_IN,
            MINUTES_WANTED,
            MINUTES_BLOCKED,
            USER_MINUTES_BLOCKED,
            CALLS_FAILED,
        ]
        .map(String::from)
        .to_vec();
        h.extend(
            Outcome::ALL
                .iter()
                .map(|o| format!("{REQUESTS_PREFIX}{}", o.label())),
        );
        h.extend(
            PromptCause::ALL
                .iter()
                .map(|c| format!("{PROMPTS_PREFIX}{}", c.label())),
        );
        h.push(PROMPTS_TOTAL.into());
        h
    }
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

/// `units.csv` columns: per scale unit a `run` row (events, shared sign-in apps, the
/// unit's table rows) and one row per outage window (each incident's impact window, and
/// the union of them all) with what the unit's users lost inside it. Every value is a
/// count or a sum over the unit, so the table of a whole run is the concatenation of its
/// units' rows; a value that does not apply to a row is 0.
pub mod units {
    /// Scale unit.
    pub const UNIT: &str = "unit";
    /// Which row: [`RUN`], [`INCIDENT_WINDOW`] or [`DURING_OUTAGES`].
    pub const WINDOW: &str = "window";
    /// Incident index in model order (incident rows; empty on the others).
    pub const INCIDENT: &str = "incident";
    /// Events the engine processed for the unit.
    pub const EVENTS: &str = "events";
    /// Other apps the unit's prompts also served through a shared sign-in.
    pub const SHARED_SIGN_IN_APPS: &str = "shared_sign_in_apps";
    /// Rows of `users.csv` from the unit.
    pub const APPS: &str = "apps";
    /// Rows of `revocations.csv` from the unit.
    pub const REVOCATION_ROWS: &str = "revocation_rows";
    /// Users of the unit blocked (or with a failed call) inside the window.
    pub const USERS_BLOCKED: &str = "users_blocked";
    /// Blocked user-minutes inside the window (exact hundredths).
    pub const BLOCKED_MINUTES: &str = "blocked_minutes";
    /// App calls inside the window that got no token.
    pub const CALLS_FAILED: &str = "calls_failed";

    /// Value of [`WINDOW`]: the unit's whole run.
    pub const RUN: &str = "run";
    /// Value of [`WINDOW`]: one incident's impact window.
    pub const INCIDENT_WINDOW: &str = "incident";
    /// Value of [`WINDOW`]: the union of every incident's impact window.
    pub const DURING_OUTAGES: &str = "during_outages";

    /// All columns in file order.
    pub const ALL: [&str; 10] = [
        UNIT,
        WINDOW,
        INCIDENT,
        EVENTS,
        SHARED_SIGN_IN_APPS,
        APPS,
        REVOCATION_ROWS,
        USERS_BLOCKED,
        BLOCKED_MINUTES,
        CALLS_FAILED,
    ];
}

/// `revocations.csv` columns: one row per access-cutting event and app of its user.
pub mod revocations {
    use crate::domain::exposure::Attacker;

    /// Global user id.
    pub const USER: &str = "user";
    /// Scale unit.
    pub const UNIT: &str = "unit";
    /// Segment name.
    pub const SEGMENT: &str = "segment";
    /// App name.
    pub const APP: &str = "app";
    /// Client type of the app.
    pub const CLIENT: &str = "client";
    /// Event (`password-change`, `admin-reset-entra-admin-center`, ...).
    pub const EVENT: &str = "event";
    /// Minutes from the start of the run to the event.
    pub const TIME_MINUTES: &str = "time_minutes";
    /// Classes of the app's tokens the event revoked, `;`-separated.
    pub const REVOKED: &str = "revoked";
    /// Classes of the app's tokens it left alive, `;`-separated.
    pub const ALIVE: &str = "alive";
    /// What the event did to the session: `revoked`, `left-alive`, `no-session`.
    pub const FATE: &str = "fate";
    /// Whether the app's resources enforced the event through CAE.
    pub const CAE: &str = "cae";
    /// Whether Token Protection binds the app's session to its device.
    pub const TOKEN_PROTECTION: &str = "token_protection";
    /// Left-alive sessions: minutes they stay usable if nobody uses them again.
    pub const IDLE_MINUTES: &str = "idle_minutes";
    /// Name of the scripted campaign; empty for events drawn from the rates.
    pub const CAMPAIGN: &str = "campaign";

    /// Value of a measure column: (a), the tail of tokens minted before the event.
    pub const TAIL: &str = "tail";
    /// Value of a measure column: (b), the session survives.
    pub const LEFT_ALIVE: &str = "left-alive";
    /// Value of a measure column: the attacker holds nothing usable.
    pub const NOTHING: &str = "nothing";

    /// Column: which measure applies to `attacker` (`tail`, `left-alive`, `nothing`).
    pub fn measure(attacker: Attacker) -> &'static str {
        match attacker {
            Attacker::StolenAccessToken => "stolen_access_token_measure",
            Attacker::Replay => "replay_measure",
            Attacker::CompromisedDevice => "compromised_device_measure",
        }
    }

    /// Column: minutes of `attacker`'s window — the tail, or how long a session left
    /// alive stays usable while used (empty: indefinitely, or nothing to use).
    pub fn minutes(attacker: Attacker) -> &'static str {
        match attacker {
            Attacker::StolenAccessToken => "stolen_access_token_minutes",
            Attacker::Replay => "replay_minutes",
            Attacker::CompromisedDevice => "compromised_device_minutes",
        }
    }

    /// All columns in file order.
    pub fn all() -> Vec<&'static str> {
        let mut out = vec![
            USER,
            UNIT,
            SEGMENT,
            APP,
            CLIENT,
            EVENT,
            TIME_MINUTES,
            REVOKED,
            ALIVE,
            FATE,
            CAE,
            TOKEN_PROTECTION,
        ];
        for a in Attacker::ALL {
            out.extend([measure(a), minutes(a)]);
        }
        out.extend([IDLE_MINUTES, CAMPAIGN]);
        out
    }
}

/// `breakdowns.csv` / `.parquet` (analytics): one row per dimension and value.
pub mod breakdowns {
    /// File stem.
    pub const STEM: &str = "breakdowns";
    /// Column: which dimension a breakdown row belongs to.
    pub const DIMENSION: &str = "dimension";
    /// Column: the value of the dimension.
    pub const VALUE: &str = "value";
    /// Column: users in the group.
    pub const USERS: &str = "users";
    /// Column: apps in the group.
    pub const APPS: &str = "apps";
    /// Column: users of the group with a blocked app.
    pub const BLOCKED_USERS: &str = "blocked_users";
    /// Column: blocked minutes, summed over users (user dimensions) or apps (app dimensions).
    pub const BLOCKED_MINUTES: &str = "blocked_minutes";
    /// Column: interactive prompts.
    pub const PROMPTS: &str = "prompts";
    /// Column: prompts per user per 30 days.
    pub const PROMPTS_PER_USER_MONTH: &str = "prompts_per_user_month";
    /// Column: the longest blocked time in a group.
    pub const BLOCKED_MAX: &str = "blocked_max";
    /// Column: median blocked minutes of the group's blocked users (or apps).
    pub const BLOCKED_P50: &str = "blocked_p50";
    /// Column: p95 blocked minutes of the group's blocked users (or apps).
    pub const BLOCKED_P95: &str = "blocked_p95";
}

/// `percentiles.csv` / `.parquet` (analytics): one row per distribution, with `p50`,
/// `p90`, `p95`, `p99` and `max` columns.
pub mod percentiles {
    /// File stem.
    pub const STEM: &str = "percentiles";
    /// Column: which distribution a row summarises.
    pub const METRIC: &str = "metric";
    /// Column: how many values the distribution has.
    pub const COUNT: &str = "n";
    /// Row label: minutes blocked per user who was blocked at least once.
    pub const BLOCKED_PER_USER: &str = "blocked_minutes_per_blocked_user";
    /// Row label: prompts per user per 30 days, over all users.
    pub const PROMPTS_PER_USER_MONTH: &str = "prompts_per_user_month";
    /// Column names of the percentiles, with their quantile.
    pub const QUANTILES: [(&str, f64); 4] =
        [("p50", 0.5), ("p90", 0.9), (P95, 0.95), ("p99", 0.99)];
    /// Column: the 95th percentile (the one headlines quote).
    pub const P95: &str = "p95";
    /// Column: the largest value.
    pub const MAX: &str = "max";
}

/// `recovery.csv` / `.parquet` (analytics): one row per outage and scale unit hit.
pub mod recovery {
    /// File stem.
    pub const STEM: &str = "recovery";
    /// Column: scale unit.
    pub const UNIT: &str = "unit";
    /// Column: outage name.
    pub const OUTAGE: &str = "outage";
    /// Column: blocked users of the unit before the outage (most in the hour before).
    pub const BASELINE: &str = "baseline_blocked_users";
    /// Column: most users of the unit blocked at once from the start to the horizon.
    pub const PEAK: &str = "peak_blocked_users";
    /// Column: minutes from the end to the baseline; null if not within the horizon.
    pub const RECOVERY: &str = "recovery_minutes";
}

/// `exposure.csv` / `.parquet` (analytics, only with revocations): one row per view,
/// attacker, event kind, fate, measure and group (columns in `analytics::exposure`).
pub mod exposure {
    /// File stem.
    pub const STEM: &str = "exposure";
}

/// Sweep outputs.
pub mod sweep {
    /// File name of the sweep table.
    pub const SWEEP_CSV: &str = "sweep.csv";
    /// Column: variant id (`v01`, ...); also the name of its run folder under `runs/`.
    pub const VARIANT: &str = "variant";
    /// Column: whether the variant is Pareto-optimal on the chart's two metrics.
    pub const PARETO: &str = "pareto";
    /// Column (with replications): replications per variant.
    pub const REPLICATIONS: &str = "replications";
    /// Column suffix (with replications): lower end of a metric's 95 % CI.
    pub const CI95_LOW_SUFFIX: &str = "_ci95_low";
    /// Column suffix (with replications): upper end of a metric's 95 % CI.
    pub const CI95_HIGH_SUFFIX: &str = "_ci95_high";
    /// Column (with replications): ids of the variants whose CIs overlap this one's on
    /// both frontier axes (not distinguishable), separated by spaces.
    pub const OVERLAPS: &str = "overlaps";
}

/// The canonical run tables: their file names and column types, declared once, so the
/// frames built in memory, their Parquet and CSV files, and those files read back
/// (older CSV-only folders too) are the same tables with the same dtypes.
pub mod tables {
    use super::{revocations as rc, segments as sc, timeseries as ts, units as un, users as uc};
    use crate::domain::exposure::Attacker;
    use polars::prelude::{DataType, Field, Schema};

    /// One canonical table of a run.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum RunTable {
        /// One row per user and app.
        Users,
        /// One row per minute and unit.
        Timeseries,
        /// One row per minute and segment.
        Segments,
        /// One row per access-cutting event and app of its user.
        Revocations,
        /// Per scale unit and outage window, the tallies no other table has.
        Units,
    }

    impl RunTable {
        /// Every table, in the order they are written.
        pub const ALL: [RunTable; 5] = [
            RunTable::Users,
            RunTable::Timeseries,
            RunTable::Segments,
            RunTable::Revocations,
            RunTable::Units,
        ];

        /// File stem (`users`, ...).
        pub fn stem(self) -> &'static str {
            match self {
                RunTable::Users => "users",
                RunTable::Timeseries => "timeseries",
                RunTable::Segments => "segment_timeseries",
                RunTable::Revocations => "revocations",
                RunTable::Units => "units",
            }
        }

        /// `<stem>.csv`.
        pub fn csv(self) -> String {
            format!("{}.csv", self.stem())
        }

        /// `<stem>.parquet`.
        pub fn parquet(self) -> String {
            format!("{}.parquet", self.stem())
        }

        /// The columns of the file, in file order, with their canonical types.
        pub fn file_schema(self) -> Schema {
            let names = match self {
                RunTable::Users => super::users::all(),
                RunTable::Timeseries => ts::ALL.map(String::from).to_vec(),
                RunTable::Segments => sc::ALL.map(String::from).to_vec(),
                RunTable::Revocations => rc::all().into_iter().map(String::from).collect(),
                RunTable::Units => un::ALL.map(String::from).to_vec(),
            };
            names
                .iter()
                .map(|c| Field::new(c.as_str().into(), self.dtype(c)))
                .collect()
        }

        /// The columns held in memory: the file's, but the time series' calendar
        /// `time`, which the writer derives from `minute` (a text column of a row per
        /// minute and unit would be the largest column of a big run), and the users'
        /// text columns as `Int32` codes ([`crate::metrics::labels`]).
        pub fn schema(self) -> Schema {
            let mut schema = self.read_schema();
            if self == RunTable::Users {
                for name in uc::TEXT {
                    schema.set_dtype(name, DataType::Int32);
                }
            }
            schema
        }

        /// The columns read from a file: those held in memory, with the file's types.
        pub fn read_schema(self) -> Schema {
            let mut schema = self.file_schema();
            if self == RunTable::Timeseries {
                schema.shift_remove(ts::TIME);
            }
            schema
        }

        /// The canonical type of column `name`: minutes are `Float64` holding exact
        /// hundredths, counts and ids `Int32` (half the memory of 64 bits in the two big
        /// tables; no count of a run comes near 2³¹), flags `Boolean`, labels `String`.
        pub fn dtype(self, name: &str) -> DataType {
            let minutes = |n: &str| {
                n == rc::TIME_MINUTES
                    || n == rc::IDLE_MINUTES
                    || Attacker::ALL.iter().any(|&a| n == rc::minutes(a))
            };
            match (self, name) {
                (
                    RunTable::Users,
                    uc::SEGMENT | uc::APP | uc::PROFILE | uc::CLIENT | uc::SIGN_IN,
                ) => DataType::String,
                (
                    RunTable::Users,
                    uc::MINUTES_WANTED | uc::MINUTES_BLOCKED | uc::USER_MINUTES_BLOCKED,
                ) => DataType::Float64,
                (RunTable::Timeseries, ts::TIME) | (RunTable::Segments, sc::SEGMENT) => {
                    DataType::String
                }
                (RunTable::Revocations, rc::CAE | rc::TOKEN_PROTECTION) => DataType::Boolean,
                (RunTable::Revocations, rc::USER | rc::UNIT) => DataType::Int32,
                (RunTable::Revocations, n) if minutes(n) => DataType::Float64,
                (RunTable::Revocations, _) => DataType::String,
                (RunTable::Units, un::WINDOW) => DataType::String,
                (RunTable::Units, un::BLOCKED_MINUTES) => DataType::Float64,
                // A unit's events can pass 2³¹ (a million users in one unit for a month).
                (RunTable::Units, _) => DataType::Int64,
                _ => DataType::Int32,
            }
        }
    }
}
