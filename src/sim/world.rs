//! The simulation of one scale unit: users and apps built from the scenario, one token
//! endpoint, and the event loop. Build it with [`SimulationBuilder`], then run it.

use super::endpoint::Endpoint;
use super::event::Event;
use super::observer::{AppRef, Observer};
use super::prefetch::prefetch;
use super::revocation::{AppEvents, UnitEvents};
use super::state::{AppIx, AppState, Need, SessionIx, Step, UserIx, UserState, UserView};
use super::steady::Streams;
use crate::domain::RefreshMode;
use crate::domain::idp::PlatformUnit;
use crate::domain::token::{AccessToken, AuthTime, Authentication, RefreshToken, SessionCookie};
use crate::domain::user::Activity;
use crate::domain::{AppSpec, Segment};
use crate::domain::{Session, SessionKind};
use crate::engine::{EventQueue, Purpose, Rng, SimDuration, SimTime};
use crate::policy::TokenPolicy;
use crate::policy::cae::CaeSession;
use crate::policy::lifetimes::SPA_REFRESH_LIFETIME;
use crate::scenario::Scenario;
use crate::scenario::population::{UserSeed, users_of_unit};
use crate::scenario::script::CallSchedule;

/// One row per app of the unit, in the order the observer's `AppRef::local` indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppRow {
    /// Global user id.
    pub user: u32,
    /// Segment index.
    pub segment: u16,
    /// App index within the segment.
    pub slot: u16,
    /// Its device's broker is in use (the app redeems the device's PRT, or its browser
    /// gets SSO from it); `false` on an unmanaged device or without devices.
    pub brokered: bool,
}

/// Builds a [`Simulation`]; consumed by [`SimulationBuilder::build`].
pub struct SimulationBuilder<'a, E> {
    scenario: &'a Scenario,
    unit: u32,
    endpoint: E,
    users: Option<Vec<UserSeed>>,
    trace: bool,
    steady_streams: bool,
    calls: Option<CallSchedule>,
}

impl<'a> SimulationBuilder<'a, PlatformUnit> {
    /// Unit `unit` of `scenario`, with its users and its platform unit.
    pub fn new(scenario: &'a Scenario, unit: u32) -> Self {
        let endpoint = scenario.platform_unit(unit);
        SimulationBuilder {
            scenario,
            unit,
            endpoint,
            users: None,
            trace: false,
            steady_streams: true,
            calls: None,
        }
    }
}

impl<'a, E: Endpoint> SimulationBuilder<'a, E> {
    /// Replaces the token endpoint (scripted answers for `tokensim trace`).
    pub fn endpoint<F: Endpoint>(self, endpoint: F) -> SimulationBuilder<'a, F> {
        SimulationBuilder {
            scenario: self.scenario,
            unit: self.unit,
            endpoint,
            users: self.users,
            trace: self.trace,
            steady_streams: self.steady_streams,
            calls: self.calls,
        }
    }

    /// Trace mode: every app call is evaluated and reported (none skipped as served from
    /// cache), apps start signed in but without an access token, and the first call
    /// comes at the session start.
    pub fn trace(mut self) -> Self {
        self.trace = true;
        self.steady_streams = false;
        self
    }

    /// Every app call goes through the event queue: no steady no-cache streams. Gives
    /// the same outputs, slower; the reference the fast path is tested against.
    pub fn event_per_call(mut self) -> Self {
        self.steady_streams = false;
        self
    }

    /// Every app calls on this schedule instead of every call interval from its session
    /// start (trace scripts that replay a harness).
    pub fn calls(mut self, schedule: CallSchedule) -> Self {
        self.calls = Some(schedule);
        self
    }

    /// Simulates only these users instead of the unit's share of the population.
    pub fn users(mut self, users: Vec<UserSeed>) -> Self {
        self.users = Some(users);
        self
    }

    /// Creates the users, their apps with a warm token cache, and the first events.
    pub fn build(self) -> Simulation<'a, E> {
        let s = self.scenario;
        let seeds = self
            .users
            .unwrap_or_else(|| users_of_unit(s, self.unit).collect());
        let mut sim = Simulation {
            scenario: s,
            unit: self.unit,
            endpoint: self.endpoint,
            queue: EventQueue::new(),
            users: Vec::with_capacity(seeds.len()),
            apps: Vec::new(),
            sessions: Vec::new(),
            horizon: SimTime::ZERO + s.horizon,
            events: 0,
            trace: self.trace,
            steady_streams: self.steady_streams,
            calls: self.calls,
            unit_events: UnitEvents::default(),
            streams: Streams::default(),
        };
        for seed in seeds {
            sim.add_user(seed);
        }
        for u in (0..sim.users.len() as u32).map(UserIx) {
            sim.schedule_first_session(u);
            sim.schedule_credential_events(u);
        }
        sim
    }
}

/// The running world of one scale unit.
pub struct Simulation<'a, E> {
    pub(super) scenario: &'a Scenario,
    pub(super) unit: u32,
    pub(super) endpoint: E,
    pub(super) queue: EventQueue<Event>,
    pub(super) users: Vec<UserState>,
    pub(super) apps: Vec<AppState<'a>>,
    /// Refresh tokens and cookies, each redeemed by one app or shared on a device.
    pub(super) sessions: Vec<Session>,
    pub(super) horizon: SimTime,
    pub(super) events: u64,
    pub(super) trace: bool,
    pub(super) steady_streams: bool,
    pub(super) calls: Option<CallSchedule>,
    pub(super) unit_events: UnitEvents,
    pub(super) streams: Streams,
}

impl<'a, E: Endpoint> Simulation<'a, E> {
    /// The unit's apps in observer order.
    pub fn app_rows(&self) -> Vec<AppRow> {
        self.apps
            .iter()
            .map(|a| {
                let u = &self.users[a.user];
                AppRow {
                    user: u.id,
                    segment: u.segment,
                    slot: a.slot,
                    brokered: a.sso.is_some() || self.sessions[a.rt].kind == SessionKind::Prt,
                }
            })
            .collect()
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events
    }

    /// The token endpoint.
    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }

    /// Runs to the horizon and closes open intervals there.
    pub fn run<O: Observer>(&mut self, obs: &mut O) {
        self.run_until(self.horizon, obs);
        self.finish(obs);
    }

    /// Processes every event before `until` (capped at the horizon).
    pub fn run_until<O: Observer>(&mut self, until: SimTime, obs: &mut O) {
        let until = until.min(self.horizon);
        loop {
            // Steady callers' calls interleave with the queue, each at its own place.
            let steady = self.streams.peek().filter(|&(at, _, _)| at < until);
            let queued = match steady {
                Some((at, seq, _)) => self.queue.pop_ahead_of(at, seq),
                None => self.queue.pop_before(until),
            };
            let Some((t, event)) = queued else {
                let Some((at, _, line)) = steady else { break };
                self.steady_run(line, at, until, obs);
                continue;
            };
            self.events += 1;
            self.prefetch_upcoming();
            match event {
                Event::SessionStart(u) => self.on_session_start(UserIx(u), t, obs),
                Event::SessionEnd(u) => self.on_session_end(UserIx(u), t, obs),
                Event::Wake(a) => self.on_wake(AppIx(a), t, obs),
                Event::Reply(a) => self.on_reply(AppIx(a), t, obs),
                Event::Credential(u) => self.on_credential(UserIx(u), t, obs),
                Event::Campaign(u, k) => self.on_campaign(UserIx(u), k as usize, t, obs),
                Event::AdminRevokeAll(u, from) => self.on_admin_revoke_all(UserIx(u), from, t, obs),
                Event::CaeEnforce(mark) => self.on_cae_enforce(mark as usize, t),
            }
        }
        self.report_steady_served(obs);
    }

    /// Prefetches, while this event is handled, the state the queue's next two events
    /// touch, in two stages: the app (the lines a token request touches) or user of
    /// the one after next; then, for the next, whose app or user the previous pass
    /// brought in, the session whose refresh token it redeems, or the user's apps.
    #[inline(always)]
    fn prefetch_upcoming(&self) {
        match self.queue.upcoming(1) {
            Some(Event::Wake(a) | Event::Reply(a)) => {
                if let Some(app) = self.apps.get(a as usize) {
                    prefetch(app, AppState::HOT_LINES);
                }
            }
            Some(Event::SessionStart(u) | Event::SessionEnd(u)) => {
                if let Some(user) = self.users.get(u as usize) {
                    prefetch(user, 1);
                }
            }
            _ => {}
        }
        match self.queue.upcoming(0) {
            Some(Event::Wake(a) | Event::Reply(a)) => {
                if let Some(app) = self.apps.get(a as usize) {
                    prefetch(&self.sessions[app.rt], 1);
                }
            }
            Some(Event::SessionStart(u) | Event::SessionEnd(u)) => {
                if let Some(user) = self.users.get(u as usize) {
                    for a in user.apps() {
                        prefetch(&self.apps[a], AppState::HOT_LINES);
                    }
                }
            }
            _ => {}
        }
    }

    /// Closes sessions and blocked intervals still open at the horizon.
    pub fn finish<O: Observer>(&mut self, obs: &mut O) {
        for u in (0..self.users.len() as u32).map(UserIx) {
            if self.users[u].active {
                self.end_session(u, self.horizon, obs);
            }
        }
        self.report_steady_served(obs);
    }

    pub(super) fn app_ref(&self, a: AppIx) -> AppRef {
        let app = &self.apps[a];
        AppRef {
            local: a.0,
            user: app.of_user.id,
            slot: app.slot,
        }
    }

    /// Borrowed from the scenario, like [`Simulation::segment_of`].
    pub(super) fn spec(&self, a: AppIx) -> &'a AppSpec {
        self.apps[a].spec
    }

    /// Borrowed from the scenario, not the simulation, so the hot paths can hold it
    /// while they change state (no clone per session).
    pub(super) fn segment_of(&self, u: UserIx) -> &'a Segment {
        let scenario: &'a Scenario = self.scenario;
        &scenario.segments[self.users[u].segment as usize]
    }

    pub(super) fn policy(&self) -> &'a TokenPolicy {
        let scenario: &'a Scenario = self.scenario;
        &scenario.policy
    }

    fn add_user(&mut self, seed: UserSeed) {
        let s = self.scenario;
        let segment = &s.segments[seed.segment as usize];
        let local = UserIx(self.users.len() as u32);
        let first_app = AppIx(self.apps.len() as u32);
        let shared = SharedSessions::open(self, segment, seed.id);
        for (slot, spec) in segment.apps.iter().enumerate() {
            let mut rng = Rng::stream(
                s.seed,
                self.unit as u64,
                ((seed.id as u64) << 8) | slot as u64,
                Purpose::Client,
            );
            let cae = s.cae.session(spec, segment.ip_mismatch_share, &mut rng);
            let warm = self.warm_cache(spec, segment, cae, &mut rng);
            let (mut access, refresh, cookie) = if segment.signed_in_at_start {
                warm
            } else {
                (None, None, None)
            };
            let mut phase = SimDuration(rng.range_inclusive(0, spec.call_interval.as_millis() - 1));
            if self.trace {
                access = None;
                phase = SimDuration::ZERO;
            }
            let (rt, browser, sso) = shared.of(self, spec);
            // A shared session starts with what its first app found (one sign-in).
            if self.sessions[rt].refresh.is_none() {
                self.sessions[rt].refresh = refresh;
            }
            if self.sessions[browser].cookie.is_none() {
                self.sessions[browser].cookie = cookie;
            }
            self.apps.push(AppState {
                user: local,
                spec,
                slot: slot as u16,
                access,
                rt,
                browser,
                sso,
                throttle_until: SimTime::ZERO,
                throttle_replay: None,
                on_wire: None,
                attempts: 0,
                prev_delay: SimDuration::ZERO,
                phase,
                first_call: SimTime::ZERO,
                call_started: SimTime::ZERO,
                step: Step::Idle,
                need: Need::Silent,
                blocked: false,
                blocked_from: SimTime::ZERO,
                of_user: UserView {
                    id: seed.id,
                    ..UserView::default()
                },
                wake: None,
                steady: None,
                last_primary_auth: segment.signed_in_at_start.then_some(SimTime::ZERO),
                loop_window: super::steady::NO_LOOP_WINDOW,
                cae,
                claims: None,
                revocation: AppEvents::default(),
                rng,
            });
        }
        self.unit_events.add_user(s.seed, self.unit, seed.id);
        self.users.push(UserState {
            id: seed.id,
            segment: seed.segment,
            first_app,
            n_apps: segment.apps.len() as u16,
            active: false,
            session_start: SimTime::ZERO,
            session_end: SimTime::ZERO,
            next_arrival: SimTime::NEVER,
            blocked_apps: 0,
            blocked_since: SimTime::ZERO,
            absence_start: SimTime::NEVER,
            absence_end: SimTime::ZERO,
            disabled: false,
            rng: Rng::stream(s.seed, self.unit as u64, seed.id as u64, Purpose::Activity),
        });
    }

    /// The run starts in steady state: every app signed in at the start, its access token
    /// at a uniformly random phase of its refresh cycle, so there is no sign-in storm at t = 0.
    fn warm_cache(
        &self,
        spec: &AppSpec,
        segment: &Segment,
        cae: CaeSession,
        rng: &mut Rng,
    ) -> (
        Option<AccessToken>,
        Option<RefreshToken>,
        Option<SessionCookie>,
    ) {
        let p = self.policy();
        let lifetime = self.scenario.cae.lifetime(cae, p, rng);
        let refresh_in = self
            .endpoint
            .refresh_in(lifetime)
            .filter(|_| spec.profile.refresh_mode() != RefreshMode::Never);
        let period = refresh_in.unwrap_or(lifetime.saturating_sub(p.expiry_margin));
        let age = SimDuration(rng.range_inclusive(0, period.0.saturating_sub(1)));
        // Issued `age` before the start: what remains of its life runs from the start.
        let access = spec.profile.caches().then(|| {
            AccessToken::issue(
                SimTime::ZERO,
                lifetime.saturating_sub(age),
                refresh_in.map(|r| SimTime::ZERO + r.saturating_sub(age)),
            )
        });
        let (password_based, multi_factor) = segment.draw_credential(rng);
        // The last sign-in is as far back as a steady state puts it: uniform over the
        // policy's re-authentication period, so age prompts spread over the first cycle.
        // The refresh token was last used at the start (the app is in use), so no
        // inactivity prompt comes from the draw.
        let browser = spec.client.uses_browser();
        let auth_time = p.reauthentication_period(multi_factor, browser).map_or(
            AuthTime::at(SimTime::ZERO),
            |period| {
                AuthTime::before_start(SimDuration(
                    rng.range_inclusive(0, period.0.saturating_sub(1)),
                ))
            },
        );
        let auth = Authentication {
            auth_time,
            multi_factor,
            password_based,
        };
        let refresh = (!spec.client.is_service()).then(|| {
            let fixed_expiry = (spec.client == crate::domain::ClientType::Spa)
                .then(|| SimTime(rng.range_inclusive(1, SPA_REFRESH_LIFETIME.0)));
            auth.refresh_token(SimTime::ZERO, fixed_expiry)
        });
        let cookie = browser.then(|| auth.cookie(SimTime::ZERO));
        (access, refresh, cookie)
    }

    pub(super) fn activity_of(&self, u: UserIx) -> &'a Activity {
        &self.segment_of(u).activity
    }
}

/// The sessions one user's devices hold, opened before the user's apps: per device its
/// PRT (brokered), its browser and its family refresh token. Unused ones stay empty.
struct SharedSessions {
    /// First session of the user's devices; each device has three in a row.
    first: u32,
    /// Whether each device is brokered.
    brokered: Vec<bool>,
}

impl SharedSessions {
    const PER_DEVICE: u32 = 3;

    fn open<E>(sim: &mut Simulation<'_, E>, segment: &Segment, user: u32) -> Self {
        let first = sim.sessions.len() as u32;
        for _ in &segment.devices {
            sim.sessions.push(Session::new(SessionKind::Prt));
            sim.sessions.push(Session::new(SessionKind::Browser));
            sim.sessions.push(Session::new(SessionKind::Family));
        }
        let s = sim.scenario;
        let mut rng = Rng::stream(s.seed, sim.unit as u64, user as u64, Purpose::Device);
        let broker_in_use = |rng: &mut Rng| match segment.broker_share {
            p if p >= 1.0 => true,
            p if p <= 0.0 => false,
            p => rng.chance(p),
        };
        SharedSessions {
            first,
            brokered: segment
                .devices
                .iter()
                .map(|d| d.kind.brokered() && broker_in_use(&mut rng))
                .collect(),
        }
    }

    /// `(refresh token, cookie, PRT for browser SSO)` sessions of an app; an app on no
    /// device gets one session of its own for both.
    fn of<E>(
        &self,
        sim: &mut Simulation<'_, E>,
        spec: &AppSpec,
    ) -> (SessionIx, SessionIx, Option<SessionIx>) {
        let own = |sim: &mut Simulation<'_, E>| {
            sim.sessions.push(Session::new(SessionKind::App));
            SessionIx(sim.sessions.len() as u32 - 1)
        };
        let Some(d) = spec.device else {
            let id = own(sim);
            return (id, id, None);
        };
        let base = self.first + d as u32 * Self::PER_DEVICE;
        let (prt, browser, family) = (SessionIx(base), SessionIx(base + 1), SessionIx(base + 2));
        let brokered = self.brokered[d as usize];
        if spec.client.uses_browser() {
            (own(sim), browser, brokered.then_some(prt))
        } else if brokered {
            (prt, prt, None)
        } else if spec.family {
            (family, family, None)
        } else {
            let id = own(sim);
            (id, id, None)
        }
    }
}
