//! The one [`Model`] of the UI: the loaded model, the lever overrides, the runs'
//! results and what each tab is looking at. Only [`super::update`](fn@super::update) changes it.

use super::digest::Digest;
use super::lever::{Lever, levers_for};
use super::trace::UserTrace;
use crate::scenario::{self, ModelError, Override, Scenario};
use std::path::PathBuf;
use std::sync::Arc;

/// The model as loaded: its text, label and command-line overrides. Lever changes are
/// applied on top of it, the same way `tokensim run --set` applies overrides.
#[derive(Debug, Clone)]
pub struct Base {
    text: String,
    label: String,
    overrides: Vec<Override>,
    scenario: Scenario,
}

impl Base {
    /// Validates the model text with its command-line overrides.
    pub fn new(text: String, label: String, overrides: Vec<Override>) -> Result<Base, ModelError> {
        let scenario = scenario::parse_model(&text, &label, &overrides)?;
        Ok(Base {
            text,
            label,
            overrides,
            scenario,
        })
    }

    /// The scenario as loaded (the baseline of every comparison).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The scenario with lever overrides `sets` applied after the command line's.
    pub fn with(&self, sets: &[Override]) -> Result<Scenario, ModelError> {
        let all: Vec<Override> = self.overrides.iter().chain(sets).cloned().collect();
        scenario::parse_model(&self.text, &self.label, &all)
    }
}

/// Where `s` and `e` write.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Folder of the exported run outputs.
    pub export: PathBuf,
    /// The saved model file.
    pub save: PathBuf,
}

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Change parameters.
    Levers,
    /// Load and blocked users over time.
    Timeline,
    /// Headline and per-group figures against the baseline.
    Impact,
    /// Revocation exposure.
    Exposure,
    /// One user's timeline.
    User,
}

impl Tab {
    /// Every tab in display order.
    pub const ALL: [Tab; 5] = [
        Tab::Levers,
        Tab::Timeline,
        Tab::Impact,
        Tab::Exposure,
        Tab::User,
    ];

    /// Title in the tab bar.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Levers => "Levers",
            Tab::Timeline => "Timeline",
            Tab::Impact => "Impact",
            Tab::Exposure => "Exposure",
            Tab::User => "User",
        }
    }
}

/// A run under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    /// Its generation.
    pub generation: u64,
    /// Unit-days done.
    pub done: u64,
    /// Unit-days in all.
    pub total: u64,
}

/// The replications setting cycles through these (`n`); 1 is a single run.
pub const REPLICATIONS: [usize; 4] = [1, 3, 5, 10];

/// Zoom levels of the timeline: the window shown, in minutes (`0`: the whole horizon).
pub const ZOOMS: [u64; 4] = [0, 7 * 1440, 1440, 360];

/// What the Timeline tab looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineView {
    /// The minute under the cursor.
    pub cursor: u64,
    /// Index into [`ZOOMS`].
    pub zoom: usize,
}

/// What the User tab looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct UserView {
    /// Selected row of the worst-users list.
    pub selected: usize,
    /// First timeline line shown.
    pub scroll: usize,
    /// The trace shown, with the generation of the run it came from.
    pub trace: Option<(u64, UserTrace)>,
    /// The trace asked for and not yet back: (generation, user).
    pub pending: Option<(u64, u32)>,
}

/// The whole UI state.
pub struct Model {
    /// The model as loaded.
    pub base: Base,
    /// Where `s` and `e` write.
    pub paths: Paths,
    /// The levers of this model.
    pub levers: Vec<Lever>,
    /// Lever overrides in the order they apply.
    pub sets: Vec<Override>,
    /// The scenario with the lever overrides (the last valid one).
    pub scenario: Scenario,
    /// The tab shown.
    pub tab: Tab,
    /// Selected lever.
    pub lever: usize,
    /// Replications per run (one of [`REPLICATIONS`]).
    pub replications: usize,
    /// The newest run asked for.
    pub generation: u64,
    /// The newest run, while it runs.
    pub running: Option<Running>,
    /// The newest finished run's digest, and its generation.
    pub current: Option<(u64, Arc<Digest>)>,
    /// The digest of the model as loaded (the first run).
    pub baseline: Option<Arc<Digest>>,
    /// Timeline state.
    pub timeline: TimelineView,
    /// Impact section shown when the screen is too small for all (0 headline, 1 segments, 2 profiles).
    pub impact_section: usize,
    /// User tab state.
    pub user: UserView,
    /// Last message for the status line (errors start with `error:`).
    pub status: String,
    /// Whether the key map is shown.
    pub help: bool,
    /// Set when the user quits.
    pub quit: bool,
}

impl Model {
    /// A model showing `base`, before any run.
    pub fn new(base: Base, paths: Paths) -> Model {
        let scenario = base.scenario().clone();
        let cursor = scenario.outages.first().map_or(0, |o| o.start.minute());
        Model {
            levers: levers_for(&scenario),
            scenario,
            base,
            paths,
            sets: Vec::new(),
            tab: Tab::Levers,
            lever: 0,
            replications: 1,
            generation: 0,
            running: None,
            current: None,
            baseline: None,
            timeline: TimelineView { cursor, zoom: 2 },
            impact_section: 0,
            user: UserView {
                selected: 0,
                scroll: 0,
                trace: None,
                pending: None,
            },
            status: String::new(),
            help: false,
            quit: false,
        }
    }

    /// The newest finished run.
    pub fn digest(&self) -> Option<&Digest> {
        self.current.as_ref().map(|(_, d)| d.as_ref())
    }

    /// Minutes in the current scenario's horizon.
    pub fn minutes(&self) -> u64 {
        self.digest().map_or(0, |d| d.series.offered.len() as u64)
    }
}

impl Model {
    /// The minutes the timeline shows, `[from, to)`, around the cursor.
    pub fn window(&self) -> (u64, u64) {
        let minutes = self.minutes();
        let span = match ZOOMS[self.timeline.zoom] {
            0 => minutes,
            z => z.min(minutes),
        };
        let from = self
            .timeline
            .cursor
            .saturating_sub(span / 2)
            .min(minutes.saturating_sub(span));
        (from, from + span)
    }
}
