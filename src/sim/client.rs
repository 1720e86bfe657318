//! The client side of a unit: each app's calls, its silent chain (cache → refresh token
//! → `prompt=none` → interactive), and its library's reaction to every answer. Calls
//! served from a fresh cache are skipped arithmetically: an app wakes only at the first
//! call whose outcome can differ from the last one (expiry, `refresh_on`, throttle end,
//! a signing-key incident), so cost scales with token traffic, not with API calls.
//! What a successful answer grants is in `grant.rs`.

use super::endpoint::Endpoint;
use super::event::Event;
use super::observer::{CallResult, Observer, Outcome};
use super::state::{AppIx, InFlight, Need, Step, Throttle};
use super::world::Simulation;
use crate::domain::SessionKind;
use crate::domain::backup::{SessionFacts, eligibility};
use crate::domain::idp::{Answer, RequestKind};
use crate::domain::token::AccessToken;
use crate::domain::{PromptCause, RefreshMode};
use crate::engine::{SimDuration, SimTime};
use crate::policy::Failure;
use crate::policy::cae::CaeSession;
use crate::policy::reaction::{Context, react};

/// MSAL's hidden-iframe timeout for `prompt=none`.
const IFRAME_TIMEOUT: SimDuration = SimDuration::from_secs(10);

impl<E: Endpoint> Simulation<'_, E> {
    pub(super) fn set_wake(&mut self, a: AppIx, at: SimTime) {
        if let Some(key) = self.apps[a].wake.take() {
            self.queue.cancel(key);
        }
        self.apps[a].wake = Some(self.queue.schedule(at, Event::Wake(a.0)));
    }

    pub(super) fn on_wake<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        self.apps[a].wake = None;
        if !self.apps[a].of_user.active {
            return;
        }
        match self.apps[a].step {
            Step::Awaiting { .. } => {}
            Step::Retrying { background } => {
                self.apps[a].step = Step::Idle;
                self.send(a, t, background, obs);
            }
            Step::Idle => self.call(a, t, obs),
        }
    }

    pub(super) fn on_reply<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        if let Step::Awaiting { background } = self.apps[a].step {
            let app = &mut self.apps[a];
            app.step = Step::Idle;
            let (kind, result) = app
                .on_wire
                .take()
                .expect("an awaited request is on the wire");
            let flight = InFlight {
                kind,
                background,
                result,
            };
            self.complete(a, t, flight, obs);
        }
    }

    /// Whether the cached access token is served at `t`.
    fn token_usable(&self, a: AppIx, t: SimTime) -> bool {
        self.apps[a].access.is_some_and(|at| self.servable(&at, t))
    }

    /// Whether the cache serves `at` at `t` and the resources accept it.
    fn servable(&self, at: &AccessToken, t: SimTime) -> bool {
        at.usable_at(t, self.policy().expiry_margin)
            && self
                .endpoint
                .tokens_rejected_before(t)
                .is_none_or(|k| at.issued >= k)
    }

    fn refresh_due(&self, a: AppIx, t: SimTime) -> bool {
        self.spec(a).profile.refresh_mode() != RefreshMode::Never
            && self.apps[a]
                .access
                .and_then(|at| at.refresh_on)
                .is_some_and(|r| t > r)
    }

    fn throttled(&self, a: AppIx, t: SimTime) -> Option<Failure> {
        let app = &self.apps[a];
        if app.need != Need::Silent {
            return None;
        }
        app.throttle().filter(|th| t < th.until).map(|th| th.replay)
    }

    /// One app call at `t`.
    pub(super) fn call<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        let app = &mut self.apps[a];
        app.call_started = t;
        app.attempts = 0;
        let spec = app.spec;
        let usable = spec.profile.caches() && self.token_usable(a, t);
        if usable && !self.refresh_due(a, t) {
            self.served(a, t, CallResult::Cached, obs);
            return self.schedule_next(a, t, obs);
        }
        if let Some(replay) = self.throttled(a, t) {
            obs.requests(t, self.app_ref(a), Outcome::Throttled, 1);
            // A replayed invalid_grant is "UI required" like the answer it replays
            // (msal-python returns its error, MSAL.NET throws MsalUiRequiredException):
            // without a usable token the app moves on in the chain at once.
            if let Failure::InvalidGrant(cause) = replay
                && !usable
                && !spec.client.is_service()
            {
                self.needs_interaction(a, RequestKind::Refresh, cause);
                return self.send(a, t, false, obs);
            }
            let background = usable && spec.profile.refresh_mode() == RefreshMode::Background;
            let old_token = usable && (background || self.reaction(a, replay, false).old_token);
            if old_token {
                self.served(a, t, CallResult::Old, obs);
            } else {
                self.failed(a, t, obs);
            }
            return self.schedule_next(a, t, obs);
        }
        if usable && spec.profile.refresh_mode() == RefreshMode::Background {
            self.served(a, t, CallResult::Old, obs);
            return self.send(a, t, true, obs);
        }
        self.send(a, t, false, obs)
    }

    /// Next step of the silent chain: refresh token, then `prompt=none`, then interactive.
    fn next_request_kind(&mut self, a: AppIx) -> RequestKind {
        let spec = self.spec(a);
        if spec.client.is_service() {
            return RequestKind::ClientCredentials;
        }
        let app = &mut self.apps[a];
        if app.need == Need::Silent && self.sessions[app.rt].refresh.is_none() {
            app.need = Need::interaction(PromptCause::FirstSignIn);
        }
        match self.apps[a].need {
            Need::Silent => RequestKind::Refresh,
            Need::Interaction {
                prompt_none_failed: false,
                ..
            } if spec.client.uses_browser() && self.browser_sso(a) => RequestKind::PromptNone,
            Need::Interaction { .. } => RequestKind::Interactive,
        }
    }

    /// Whether the app's browser signs in silently: with its cookie or, on a brokered
    /// device, the PRT. Read only when the chain needs it (cold fields, other sessions).
    fn browser_sso(&self, a: AppIx) -> bool {
        let app = &self.apps[a];
        self.sessions[app.browser].cookie.is_some()
            || app.sso.is_some_and(|p| self.sessions[p].refresh.is_some())
    }

    fn backup_eligible(&self, a: AppIx, t: SimTime, kind: RequestKind) -> bool {
        let spec = self.spec(a);
        let facts = SessionFacts {
            client: spec.client,
            // A brokered app redeems the device's PRT, which the broker persists.
            persistent_cache: match self.sessions[self.apps[a].rt].kind {
                SessionKind::Prt => self.scenario.platform.backup.serves_brokered,
                _ => spec.persistent_cache,
            },
            last_primary_auth: self.apps[a].last_primary_auth,
            guest: self.segment_of(self.apps[a].user).guest,
            revoked_since: self.apps[a]
                .revocation
                .revoked_at
                .is_some_and(|r| self.apps[a].last_primary_auth.is_none_or(|p| r >= p)),
            silent: matches!(kind, RequestKind::Refresh | RequestKind::ClientCredentials),
        };
        eligibility(&facts, t, self.endpoint.backup_window()).is_ok()
    }

    /// Sends the next request of the chain; the answer is handled now or when it arrives.
    fn send<O: Observer>(&mut self, a: AppIx, t: SimTime, background: bool, obs: &mut O) {
        let kind = self.next_request_kind(a);
        if kind == RequestKind::Interactive
            && let Some(cause) = self.apps[a].need.prompt()
        {
            // One sign-in for a shared session is one prompt, however many apps wait on it.
            let key = self.sign_in_session(a);
            let session = &mut self.sessions[key];
            if !session.signing_in {
                session.signing_in = session.shared();
                obs.prompt(t, self.app_ref(a), cause);
            }
        }
        let eligible = self.endpoint.backup_may_serve(t, kind) && self.backup_eligible(a, t, kind);
        let reply = self.endpoint.handle(t, kind, eligible);
        obs.offered(t, self.app_ref(a), kind, &reply);
        self.apps[a].attempts += 1;
        let (mut result, mut after) = match reply.answer {
            Answer::Ok => (Ok(reply.by_backup), reply.delay),
            Answer::TooMany { retry_after } => (Err(Failure::TooMany(retry_after)), reply.delay),
            Answer::TooManyNotJson { retry_after } => {
                (Err(Failure::TooManyNotJson(retry_after)), reply.delay)
            }
            Answer::ServerError { retry_after } => {
                (Err(Failure::ServerError(retry_after)), reply.delay)
            }
            Answer::Hang(h) => (Err(Failure::Dropped), h),
            Answer::Refused => (Err(Failure::Refused), reply.delay),
            Answer::InvalidGrant(cause) => (Err(Failure::InvalidGrant(cause)), reply.delay),
        };
        // prompt=none runs in a hidden iframe that MSAL abandons after 10 s.
        let timeout = self.spec(a).timeout;
        let limit = match kind {
            RequestKind::PromptNone => {
                Some(timeout.map_or(IFRAME_TIMEOUT, |t| t.min(IFRAME_TIMEOUT)))
            }
            _ => timeout,
        };
        if let Some(limit) = limit.filter(|limit| after > *limit) {
            result = Err(Failure::Timeout);
            after = limit;
        }
        let flight = InFlight {
            kind,
            background,
            result,
        };
        if !background {
            self.block_caller(a, t + after);
        }
        if after == SimDuration::ZERO {
            self.complete(a, t, flight, obs);
        } else {
            let app = &mut self.apps[a];
            app.step = Step::Awaiting { background };
            app.on_wire = Some((kind, flight.result));
            self.queue.schedule(t + after, Event::Reply(a.0));
        }
    }

    fn complete<O: Observer>(&mut self, a: AppIx, t: SimTime, flight: InFlight, obs: &mut O) {
        let by_backup = match flight.result {
            Err(f) => return self.on_failure(a, t, flight, f, obs),
            Ok(by_backup) => by_backup,
        };
        if let Err(cause) = self.grant(a, t, flight.kind, by_backup, obs) {
            return self.on_failure(a, t, flight, Failure::InvalidGrant(cause), obs);
        }
        obs.requests(
            t,
            self.app_ref(a),
            if by_backup {
                Outcome::Backup
            } else {
                Outcome::Ok
            },
            1,
        );
        let app = &mut self.apps[a];
        app.attempts = 0;
        app.prev_delay = SimDuration::ZERO;
        // msal-python keys throttle entries by the request, refresh token included, so
        // after a success none matches the app's next request (the other libraries find
        // the new token in their cache first).
        app.clear_throttle();
        if !by_backup {
            app.last_primary_auth = Some(t);
        }
        if !flight.background {
            self.served(a, t, CallResult::New, obs);
        }
        if !self.enter_steady(a, t) {
            self.schedule_next(a, t, obs);
        }
    }

    fn reaction(
        &mut self,
        a: AppIx,
        failure: Failure,
        background: bool,
    ) -> crate::policy::Reaction {
        let spec = self.spec(a);
        let (profile, retry) = (spec.profile, spec.retry);
        let ctx = Context {
            attempts: self.apps[a].attempts.max(1),
            public: spec.client.is_public(),
            background,
            catches_errors: spec.catches_errors,
            previous_delay: self.apps[a].prev_delay,
        };
        react(profile, failure, ctx, &retry, &mut self.apps[a].rng)
    }

    fn on_failure<O: Observer>(
        &mut self,
        a: AppIx,
        t: SimTime,
        flight: InFlight,
        f: Failure,
        obs: &mut O,
    ) {
        obs.requests(t, self.app_ref(a), outcome_of(f), 1);
        let active = self.apps[a].of_user.active;
        // MSAL reads the clock once, when the call starts: the token it found servable
        // then is what it falls back to, even if the margin passed while a request hung.
        let started = self.apps[a].call_started;
        let usable = self.spec(a).profile.caches() && self.token_usable(a, started);
        let reaction = self.reaction(a, f, flight.background);
        if let Some(d) = reaction.throttle {
            self.apps[a].set_throttle(Throttle {
                until: t + d,
                replay: f,
            });
        }
        // Without a valid token, invalid_grant surfaces as "UI required" and the chain
        // moves on at once: prompt=none, then interactive. With one, the refresh token is
        // kept and tried again later (MSAL returns the old token).
        if let Failure::InvalidGrant(cause) = f
            && active
            && flight.kind != RequestKind::Interactive
            && !flight.background
            && !usable
            && !self.spec(a).client.is_service()
        {
            self.needs_interaction(a, flight.kind, cause);
            return self.send(a, t, false, obs);
        }
        if let Some(delay) = reaction.retry_in.filter(|_| active) {
            let app = &mut self.apps[a];
            app.prev_delay = delay;
            app.step = Step::Retrying {
                background: flight.background,
            };
            if !flight.background {
                self.block_caller(a, t + delay);
            }
            return self.set_wake(a, t + delay);
        }
        self.apps[a].attempts = 0;
        if !flight.background {
            if reaction.old_token && usable {
                self.served(a, t, CallResult::Old, obs);
            } else {
                self.failed(a, t, obs);
            }
        }
        self.schedule_next(a, t, obs);
    }

    /// A silent step of kind `failed` was rejected for `cause`: the next request of the
    /// chain is `prompt=none` or interactive. The prompt is blamed on the last barrier:
    /// the cookie when `prompt=none` failed.
    fn needs_interaction(&mut self, a: AppIx, failed: RequestKind, cause: PromptCause) {
        let prompt_none = failed == RequestKind::PromptNone;
        let need = &mut self.apps[a].need;
        *need = match *need {
            Need::Silent => Need::Interaction {
                cause,
                prompt_none_failed: prompt_none,
                prompted: false,
            },
            Need::Interaction { .. } if !prompt_none => *need,
            Need::Interaction { prompted, .. } => Need::Interaction {
                cause,
                prompt_none_failed: true,
                prompted,
            },
        };
    }

    fn served<O: Observer>(&mut self, a: AppIx, t: SimTime, how: CallResult, obs: &mut O) {
        let app = &self.apps[a];
        if app.cae == CaeSession::Blocked {
            return self.failed(a, t, obs); // strict location: the resource rejects the call
        }
        if app.of_user.active {
            obs.call(t, self.app_ref(a), how);
            self.unblock(a, t, obs);
        }
    }

    fn failed<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        if self.apps[a].of_user.active {
            obs.call(t, self.app_ref(a), CallResult::None);
            self.block_caller(a, SimTime::NEVER);
        }
    }

    /// The one definition of "blocked" (DESIGN §2): a call blocks its app from the moment
    /// it needed a token — the call's start — until a token is handed over. So the app is
    /// blocked while a foreground call waits (on a hanging server, in the platform's
    /// queue, for a retry timer), if that wait ends after the call began, and after a
    /// call got no token until a later one gets one (`until` is then never). A background
    /// refresh never blocks: its caller was served the old token.
    fn block_caller(&mut self, a: AppIx, until: SimTime) {
        let app = &mut self.apps[a];
        let since = app.call_started;
        if app.blocked || until <= since || !app.of_user.active {
            return;
        }
        app.block(since);
        let user = &mut self.users[self.apps[a].user];
        user.blocked_apps += 1;
        if user.blocked_apps == 1 {
            user.blocked_since = since;
        }
    }

    /// Closes the app's blocked interval at `t`, if one is open. Inlined: every served
    /// call asks, and almost none is blocked.
    #[inline]
    pub(super) fn unblock<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        if let Some(from) = self.apps[a].take_blocked() {
            self.close_blocked(a, from, t, obs);
        }
    }

    #[cold]
    fn close_blocked<O: Observer>(&mut self, a: AppIx, from: SimTime, t: SimTime, obs: &mut O) {
        obs.app_blocked(self.app_ref(a), from, t);
        let user = &mut self.users[self.apps[a].user];
        user.blocked_apps -= 1;
        if user.blocked_apps == 0 {
            obs.user_blocked(user.id, user.blocked_since, t);
        }
    }

    /// Wakes the app at the first call whose outcome can differ from the current one.
    fn schedule_next<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        let app = &self.apps[a];
        if !app.of_user.active {
            return;
        }
        let end = app.of_user.session_end.min(self.horizon);
        let spec = app.spec;
        let interval = spec.call_interval;
        let grid = |x: SimTime| self.next_call_at(a, x);
        let after = t + SimDuration(1);
        let (boundary, throttled) = if self.trace || !spec.profile.caches() {
            (after, false)
        } else {
            self.stable_until(a, t, after)
        };
        let wake = grid(boundary.max(after));
        if throttled {
            let first = grid(after);
            let skipped = (wake
                .as_millis()
                .min(end.as_millis())
                .saturating_sub(first.as_millis()))
            .div_ceil(interval.as_millis());
            if skipped > 0 {
                obs.requests(t, self.app_ref(a), Outcome::Throttled, skipped);
                // The skipped calls get what the call at `t` got: nothing, if it left the app blocked.
                if self.apps[a].blocked {
                    obs.calls_failed(self.app_ref(a), first, interval, skipped);
                }
            }
        }
        if wake < end {
            self.set_wake(a, wake);
        }
    }

    /// The first call of the app's current session at or after `x`.
    pub(super) fn next_call_at(&self, a: AppIx, x: SimTime) -> SimTime {
        if let Some(schedule) = &self.calls {
            return schedule.next_at(x);
        }
        let app = &self.apps[a];
        let start = app.first_call;
        if x <= start {
            return start;
        }
        let interval = app.spec.call_interval;
        let k = (x.as_millis() - start.as_millis()).div_ceil(interval.as_millis());
        start + interval * k
    }

    /// Until when every call gets the same result as a call at `t`, and whether those
    /// calls are answered from the throttle cache.
    fn stable_until(&self, a: AppIx, t: SimTime, after: SimTime) -> (SimTime, bool) {
        let app = &self.apps[a];
        let throttle_end = self.throttled(a, t).and(app.throttle()).map(|th| th.until);
        let Some(at) = app.access.filter(|at| self.servable(at, t)) else {
            return (throttle_end.unwrap_or(after), throttle_end.is_some());
        };
        let mut until = at.usable_until(self.policy().expiry_margin);
        let mut throttled = false;
        if let Some(next_key) = self.endpoint.next_rejection_after(t) {
            until = until.min(next_key);
        }
        if app.spec.profile.refresh_mode() != RefreshMode::Never
            && let Some(r) = at.refresh_on
        {
            if t > r {
                match throttle_end {
                    Some(end) => {
                        until = until.min(end);
                        throttled = true;
                    }
                    None => until = after,
                }
            } else {
                until = until.min(r + SimDuration(1));
            }
        }
        (until, throttled)
    }
}

fn outcome_of(f: Failure) -> Outcome {
    match f {
        Failure::TooMany(_) | Failure::TooManyNotJson(_) => Outcome::TooMany,
        Failure::ServerError(_) => Outcome::ServerError,
        Failure::InvalidGrant(_) => Outcome::InvalidGrant,
        Failure::Timeout | Failure::Dropped | Failure::Refused => Outcome::Timeout,
    }
}
