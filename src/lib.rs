//! # tokensim
//!
//! A deterministic discrete-event simulator of token lifetime, revocation and outage
//! policy for Microsoft Entra ID style identity platforms.
//!
//! A run takes a [`scenario::Scenario`] (a model file: population, policy, platform,
//! outages), builds one [`sim::Simulation`] per scale unit, and runs the units in
//! parallel. Each unit is a world of users whose client apps call their resources while
//! the users are active; an app's token cache, refresh tokens and client-library
//! behaviour decide when it must go to the unit's token endpoint, which answers
//! according to capacity, outages and the backup authentication service. Credential and
//! admin events (password resets, revocations, sign-out, ...) apply the revocation matrix
//! (`datasets/revocation-matrix.csv`) to each token class, and CAE-capable resources cut
//! older access tokens once a critical event reaches them. The core reports every
//! request, prompt, blocked interval and revocation (with the facts of its exposure:
//! [`domain::exposure`]) to an [`sim::Observer`]; the [`metrics`] recorder turns that
//! into per-user tables, per-minute time series, the revocations table (two measures
//! per attacker model, never pooled) and the run summary.
//!
//! Layers, bottom up (dependencies point down only; `tests/integration/layers.rs` checks):
//! - [`engine`]: integer time, the event queue, seeded random streams;
//! - [`domain`]: tokens, apps, platform units, credential events, and the data the rules
//!   share with them (prompt causes, client profiles);
//! - [`policy`]: lifetimes, the revocation matrix, CAE and how client libraries react
//!   (it reads domain state; domain never uses it);
//! - [`scenario`]: model files → validated scenario (made of domain and policy types,
//!   which is why it sits above them), population;
//! - [`sim`]: the simulation of one scale unit, scripted traces, and running all units;
//! - [`metrics`]: the recorder and the run's output tables, and the statistics of
//!   figures across replications ([`metrics::stats`]: Student-t CIs, paired differences);
//! - [`analytics`]: polars pipelines over a run folder's tables (breakdowns,
//!   percentiles, recovery, exposure, headline figures, figures across replications);
//! - [`report`]: plotters charts, `report.md`, sweeps and their trade-off frontier,
//!   replications, sensitivity designs (one-at-a-time, Morris) and tornado charts;
//! - [`pipeline`]: the thread pool and the stages of every command, simulate →
//!   in-memory tables → write (Parquet, CSV) → analyse → render;
//! - [`import`]: a tenant's Microsoft Graph exports (sign-in logs, Conditional Access
//!   and token lifetime policies) streamed into a model, synthetic exports drawn from a
//!   model, and a model's simulation validated against sign-in logs;
//! - [`cli`] and [`tui`]: the `tokensim` commands and the interactive terminal UI.

// Denied, not forbidden: `sim::prefetch` allows it for one CPU hint (measured).
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod analytics;
pub mod cli;
pub mod domain;
pub mod engine;
pub mod import;
pub mod metrics;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod tui;
