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
//! according to capacity, outages and the backup authentication service. The core
//! reports every request, prompt and blocked interval to an [`sim::Observer`]; the
//! [`metrics`] recorder turns that into per-user tables, per-minute time series and the
//! run summary.
//!
//! Layers, bottom up (dependencies point down only):
//! - [`engine`]: integer time, the event queue, seeded random streams;
//! - [`scenario`]: model files → validated scenario, population;
//! - [`domain`] and [`policy`]: tokens, apps, platform units; lifetimes and client rules;
//! - [`sim`]: the simulation of one scale unit, and running all of them;
//! - [`metrics`]: the recorder and the run's output tables;
//! - [`analytics`]: polars pipelines over a run folder's tables (breakdowns,
//!   percentiles, recovery, exposure, headline figures);
//! - [`report`]: plotters charts, `report.md`, sweeps and their trade-off frontier;
//! - [`cli`]: the `tokensim` commands.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analytics;
pub mod cli;
pub mod domain;
pub mod engine;
pub mod metrics;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod sim;
