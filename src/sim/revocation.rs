//! Credential and admin events in a unit: drawing them per user (rates and scripted
//! campaigns), applying the revocation matrix to the user's refresh tokens and cookies,
//! recording each app's exposure facts ([`super::exposure`]), and CAE enforcement at the resources — the
//! resource rejects access tokens minted before a critical event once it has learnt of
//! it, and the app's next request carries the claims challenge.

use super::endpoint::Endpoint;
use super::event::Event;
use super::observer::{Observer, RevocationRecord};
use super::state::{AppIx, Step, UserIx};
use super::world::Simulation;
use crate::domain::ClientType;
use crate::domain::events::EventKind;
use crate::domain::exposure::Fate;
use crate::domain::token::{TokenClass, TokenClasses};
use crate::engine::{Purpose, Rng, SimDuration, SimTime};
use crate::policy::cae;

/// Event state of a unit, beside the users and apps it belongs to.
#[derive(Default)]
pub(super) struct UnitEvents {
    /// Per local user: the events stream.
    users: Vec<Rng>,
    /// Critical events on their way to an app's resources: app, revocation time, kind.
    marks: Vec<(u32, SimTime, EventKind)>,
}

/// When events last touched one app (kept in the app's state, after its hot fields:
/// only events and outages read them).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AppEvents {
    /// When an event last revoked one of its tokens (backup eligibility).
    pub revoked_at: Option<SimTime>,
    /// Apps without a cache: when the last token was handed out (exposure counts it).
    pub handed_out: Option<SimTime>,
}

impl UnitEvents {
    /// Registers a user (in local order) and its events stream.
    pub fn add_user(&mut self, seed: u64, unit: u32, user: u32) {
        self.users
            .push(Rng::stream(seed, unit as u64, user as u64, Purpose::Events));
    }
}

/// `Event::AdminRevokeAll` origin of an event drawn from the rates, not a campaign.
const FROM_RATES: u16 = u16::MAX;

/// Where and when an event happened.
#[derive(Debug, Clone, Copy)]
struct Origin {
    /// When it happened.
    at: SimTime,
    /// What happened.
    kind: EventKind,
    /// The campaign it belongs to; `None`: drawn from the rates.
    campaign: Option<u16>,
}

/// Stream entity of campaign `k`'s membership draw for a user: apart from the rate stream.
fn campaign_entity(k: usize, user: u32) -> u64 {
    ((k as u64 + 1) << 32) | user as u64
}

impl<E: Endpoint> Simulation<'_, E> {
    /// Schedules the user's first rate-driven event and the campaigns that hit the user.
    pub(super) fn schedule_credential_events(&mut self, u: UserIx) {
        let s = self.scenario;
        let (id, segment) = (self.users[u].id, self.users[u].segment);
        for (k, c) in s.events.campaigns.iter().enumerate() {
            if c.segment.is_some_and(|seg| seg != segment) || c.at >= self.horizon {
                continue;
            }
            let mut rng = Rng::stream(
                s.seed,
                self.unit as u64,
                campaign_entity(k, id),
                Purpose::Events,
            );
            if c.share >= 1.0 || rng.chance(c.share) {
                self.queue.schedule(c.at, Event::Campaign(u.0, k as u16));
            }
        }
        self.schedule_next_credential(u, SimTime::ZERO);
    }

    fn schedule_next_credential(&mut self, u: UserIx, after: SimTime) {
        let rates = self.segment_of(u).event_rates;
        if let Some(at) = rates.next_after(after, &mut self.unit_events.users[u.0 as usize])
            && at < self.horizon
        {
            self.queue.schedule(at, Event::Credential(u.0));
        }
    }

    /// A rate-driven event fires: draw its kind, apply it, schedule the next.
    pub(super) fn on_credential<O: Observer>(&mut self, u: UserIx, t: SimTime, obs: &mut O) {
        if self.users[u].disabled {
            return;
        }
        let rates = self.segment_of(u).event_rates;
        let kind = rates.draw_kind(&mut self.unit_events.users[u.0 as usize]);
        self.occur(u, kind, None, t, obs);
        self.schedule_next_credential(u, t);
    }

    /// A campaign hits a user.
    pub(super) fn on_campaign<O: Observer>(
        &mut self,
        u: UserIx,
        k: usize,
        t: SimTime,
        obs: &mut O,
    ) {
        let kind = self.scenario.events.campaigns[k].kind;
        self.occur(u, kind, Some(k as u16), t, obs);
    }

    /// An event (from campaign `campaign`, or from the rates) happens: at once, or after
    /// the admin API lag for an admin revoke-all.
    fn occur<O: Observer>(
        &mut self,
        u: UserIx,
        kind: EventKind,
        campaign: Option<u16>,
        t: SimTime,
        obs: &mut O,
    ) {
        let lag = self.scenario.events.admin_api_lag;
        if kind == EventKind::AdminRevokeAll && lag > SimDuration::ZERO {
            let from = campaign.unwrap_or(FROM_RATES);
            self.queue
                .schedule(t + lag, Event::AdminRevokeAll(u.0, from));
        } else {
            let origin = Origin {
                at: t,
                kind,
                campaign,
            };
            self.apply_event(u, origin, t, obs);
        }
    }

    /// An admin revoke-all takes effect after the admin API lag.
    pub(super) fn on_admin_revoke_all<O: Observer>(
        &mut self,
        u: UserIx,
        from: u16,
        t: SimTime,
        obs: &mut O,
    ) {
        let origin = Origin {
            at: t - self.scenario.events.admin_api_lag,
            kind: EventKind::AdminRevokeAll,
            campaign: (from != FROM_RATES).then_some(from),
        };
        self.apply_event(u, origin, t, obs);
    }

    /// Applies an event to every app of user `u` at `t` (after the event for an admin
    /// revoke-all: until then the sessions still mint tokens, so tokens minted in between
    /// count as minted before the revocation).
    fn apply_event<O: Observer>(&mut self, u: UserIx, origin: Origin, t: SimTime, obs: &mut O) {
        if self.users[u].disabled {
            return;
        }
        let Origin { at, kind, campaign } = origin;
        let matrix = self.scenario.matrix;
        let delay = self
            .scenario
            .cae
            .propagation(kind, &mut self.unit_events.users[u.0 as usize]);
        let apps = self.users[u].apps();
        // Each app's classes are read before any session is marked, so apps sharing a
        // device's PRT or browser all see what the event did to it.
        let sorted: Vec<(TokenClasses, TokenClasses)> =
            apps.clone().map(|a| self.sort_classes(a, kind)).collect();
        for a in apps.clone() {
            let (rt, browser) = (self.apps[a].rt, self.apps[a].browser);
            let confidential = self.spec(a).client == ClientType::Web;
            if let Some(token) = self.sessions[rt].refresh.as_mut() {
                let class = TokenClass::of_refresh(token.password_based, confidential);
                token.revoked |= matrix.revokes(kind, class);
            }
            if let Some(c) = self.sessions[browser].cookie.as_mut() {
                c.revoked |= matrix.revokes(kind, TokenClass::of_cookie(c.password_based));
            }
        }
        for (a, (revoked, alive)) in apps.zip(sorted) {
            // The event may change what the next call does.
            self.hand_back_at_next_call(a);
            if !revoked.is_empty() {
                self.apps[a].revocation.revoked_at = Some(t);
            }
            let enforced = self.apps[a].cae.enforced() && cae::enforces(kind, self.spec(a));
            let cut_off = enforced.then_some(t + delay);
            if let Some(cut_off) = cut_off {
                let mark = self.unit_events.marks.len() as u32;
                self.unit_events.marks.push((a.0, t, kind));
                self.queue.schedule(cut_off, Event::CaeEnforce(mark));
            }
            if kind.cuts_access() {
                let fate = match (revoked.is_empty(), alive.is_empty()) {
                    (_, false) => Fate::LeftAlive,
                    (false, true) => Fate::Revoked,
                    (true, true) => Fate::NoSession,
                };
                obs.revocation(&RevocationRecord {
                    t: at,
                    app: self.app_ref(a),
                    event: kind,
                    revoked,
                    alive,
                    facts: self.exposure_facts(a, at, t, cut_off, fate),
                    cae: enforced,
                    campaign,
                });
            }
        }
        if kind == EventKind::UserDisabled {
            self.disable(u, t, obs);
        }
    }

    /// The classes of app `a`'s live sessions that event `kind` revokes and leaves alive.
    fn sort_classes(&self, a: AppIx, kind: EventKind) -> (TokenClasses, TokenClasses) {
        let matrix = self.scenario.matrix;
        let confidential = self.spec(a).client == ClientType::Web;
        let app = &self.apps[a];
        let refresh = self.sessions[app.rt]
            .refresh
            .filter(|rt| !rt.revoked)
            .map(|rt| TokenClass::of_refresh(rt.password_based, confidential));
        let cookie = self.sessions[app.browser]
            .cookie
            .filter(|c| !c.revoked)
            .map(|c| TokenClass::of_cookie(c.password_based));
        let (mut revoked, mut alive) = (TokenClasses::default(), TokenClasses::default());
        for class in [refresh, cookie].into_iter().flatten() {
            if matrix.revokes(kind, class) {
                revoked = revoked.with(class);
            } else {
                alive = alive.with(class);
            }
        }
        (revoked, alive)
    }

    /// A disabled account leaves the population for the rest of the run (nothing models
    /// re-enabling it): its session ends now and it never starts another, so it neither
    /// wants access nor counts as blocked. The exposure records above still measure
    /// what a stolen token of the account can do.
    fn disable<O: Observer>(&mut self, u: UserIx, t: SimTime, obs: &mut O) {
        self.users[u].disabled = true;
        if self.users[u].active {
            self.end_session(u, t, obs);
        }
    }

    /// A critical event reaches the resources of app `a`: an access token minted before
    /// it is rejected with a claims challenge, so the app drops it and its next call
    /// requests a new one carrying the claims.
    pub(super) fn on_cae_enforce(&mut self, mark: usize, t: SimTime) {
        let (a, at, kind) = self.unit_events.marks[mark];
        let a = AppIx(a);
        let Some(token) = self.apps[a].access.filter(|tok| tok.issued <= at) else {
            return;
        };
        if token.expires <= t {
            return;
        }
        self.apps[a].access = None;
        self.apps[a].claims = Some(kind);
        let app = &self.apps[a];
        let active = self.users[app.user].active;
        // A pending retry or request, or a throttle window, already decides the next wake.
        if active && matches!(app.step, Step::Idle) && app.throttle().is_none_or(|th| th.until <= t)
        {
            let next = self.next_call_at(a, t);
            if next < self.users[app.user].session_end.min(self.horizon) {
                self.set_wake(a, next);
            }
        }
    }
}
