//! The exposure facts of an app after an access-cutting event, read from its tokens
//! (the measures and attacker models are in [`crate::domain::exposure`]).

use super::endpoint::Endpoint;
use super::state::AppIx;
use super::world::Simulation;
use crate::domain::SessionKind;
use crate::domain::exposure::{Facts, Fate};
use crate::domain::token::AccessToken;
use crate::engine::{Purpose, Rng, SimDuration, SimTime};
use crate::policy::cae::CaeSession;

/// Stream entity of the lifetime of a token a no-cache app was handed (drawn when an
/// event asks, which is the same law as drawing it at issue): apart from users' streams.
fn handed_out_entity(user: u32, slot: u16, issued: SimTime) -> u64 {
    (1 << 63) ^ ((user as u64) << 16 | slot as u64) ^ issued.as_millis().rotate_left(40)
}

impl<E: Endpoint> Simulation<'_, E> {
    /// The last access token handed to app `a` at or before `t`: the cached one, or for
    /// an app without a cache the one its last call fetched (and then dropped).
    fn last_handed_out(&self, a: AppIx, t: SimTime) -> Option<AccessToken> {
        let app = &self.apps[a];
        if self.spec(a).profile.caches() {
            return app.access.filter(|tok| tok.issued <= t);
        }
        let issued = app.revocation.handed_out.filter(|i| *i <= t)?;
        let s = self.scenario;
        let user = self.users[app.user].id;
        let mut rng = Rng::stream(
            s.seed,
            self.unit as u64,
            handed_out_entity(user, app.slot, issued),
            Purpose::Client,
        );
        let lifetime = s.cae.lifetime(app.cae, &s.policy, &mut rng);
        Some(AccessToken::issue(issued, lifetime, None))
    }

    /// The exposure facts of app `a` after an event asked for at `at` took effect at `t`
    /// (later for an admin revoke-all: tokens minted in between count), with the CAE
    /// cut-off `cut_off` if its resources enforce the event.
    pub(super) fn exposure_facts(
        &self,
        a: AppIx,
        at: SimTime,
        t: SimTime,
        cut_off: Option<SimTime>,
        fate: Fate,
    ) -> Facts {
        let (s, policy) = (self.scenario, self.policy());
        let cap = |end: SimTime| cut_off.map_or(end, |c| c.min(end)).max(at).since(at);
        let access = self
            .last_handed_out(a, t)
            .map_or(SimDuration::ZERO, |tok| cap(tok.expires));
        let session = self.apps[a].cae;
        let longest = match session {
            CaeSession::Off => policy.at_max,
            CaeSession::Fallback => s.cae.fallback_lifetime,
            CaeSession::Long | CaeSession::Blocked => s.cae.lifetime_max,
        };
        let app = &self.apps[a];
        let (held, browser) = (&self.sessions[app.rt], &self.sessions[app.browser]);
        let surviving = [
            held.refresh.filter(|rt| !rt.revoked).map(|rt| {
                (
                    policy.refresh_deadline_in_use(&rt),
                    // A PRT also lapses 14 days after its last renewal.
                    policy.refresh_deadline(&rt).min(held.prt_deadline()),
                )
            }),
            browser.cookie.filter(|c| !c.revoked).map(|c| {
                (
                    policy.cookie_deadline_in_use(&c),
                    policy.cookie_deadline(&c),
                )
            }),
        ];
        let (in_use, idle) = surviving
            .into_iter()
            .flatten()
            .fold((at, at), |(u, i), (du, di)| (u.max(du), i.max(di)));
        Facts {
            fate,
            access,
            fresh: cap(t + longest),
            while_used: (in_use != SimTime::NEVER).then(|| in_use.max(at).since(at)),
            idle: idle.max(at).since(at),
            // The binding sits on the device's PRT: with devices, an app is protected only
            // on a supported device whose broker holds one, and all its brokered apps together.
            protected: self.spec(a).token_protection
                && self.spec(a).device.is_none_or(|d| {
                    held.kind == SessionKind::Prt
                        && self.segment_of(app.user).devices[d as usize]
                            .kind
                            .token_protection()
                }),
            strict_location: session.enforced() && s.cae.location.is_strict(),
        }
    }
}
