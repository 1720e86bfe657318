//! What a successful answer gives an app: the checks at redemption (inactivity, max
//! age, sign-in frequency, CAE claims, the device's PRT, loop detection), the refresh
//! token and cookie a sign-in mints, and the access token it caches.

use super::endpoint::Endpoint;
use super::observer::Observer;
use super::state::{AppIx, Need};
use super::steady::{LOOP_WINDOW, NO_LOOP_WINDOW};
use super::world::Simulation;
use crate::domain::idp::RequestKind;
use crate::domain::token::{AccessToken, AuthTime, Authentication};
use crate::domain::{ClientType, PromptCause, Session};
use crate::engine::SimTime;
use crate::policy::cae;
use crate::policy::lifetimes::SPA_REFRESH_LIFETIME;

impl<E: Endpoint> Simulation<'_, E> {
    /// Identity checks of a request the platform processed, then new tokens.
    pub(super) fn grant<O: Observer>(
        &mut self,
        a: AppIx,
        t: SimTime,
        kind: RequestKind,
        by_backup: bool,
        obs: &mut O,
    ) -> Result<(), PromptCause> {
        let policy = self.policy();
        let resilience = by_backup || self.endpoint.in_outage(t);
        let spec = self.spec(a);
        let (spa, browser, caches) = (
            spec.client == ClientType::Spa,
            spec.client.uses_browser(),
            spec.profile.caches(),
        );
        let scenario = self.scenario;
        let (claims, cae_session) = (self.apps[a].claims, self.apps[a].cae);
        let loop_limit = self.endpoint.loop_limit();
        let fixed_expiry = |from: SimTime| spa.then_some(from + SPA_REFRESH_LIFETIME);
        let rt_id = self.apps[a].rt;
        let redeem = |session: &Session| {
            let rt = session
                .refresh
                .as_ref()
                .expect("a refresh needs a refresh token");
            session
                .check_prt(t)
                .and_then(|()| policy.check_refresh(rt, t, resilience))
                .and_then(|()| cae::claims_met(claims, rt.multi_factor))
                .map_err(|c| cae::blame(claims, c))
        };
        match kind {
            RequestKind::Refresh => {
                redeem(&self.sessions[rt_id])?;
                let app = &mut self.apps[a];
                if !by_backup && loop_limit > 0 {
                    let window = (t.as_millis() / LOOP_WINDOW.as_millis()) as u32;
                    app.loop_window = match app.loop_window {
                        (w, n) if w == window => (w, n + 1),
                        _ => (window, 1),
                    };
                    if app.loop_window.1 > loop_limit {
                        return Err(PromptCause::Outage);
                    }
                }
                self.sessions[rt_id].renew(t);
            }
            RequestKind::ClientCredentials => {}
            RequestKind::PromptNone => {
                // The browser session is read only by the sign-ins that use it (a cold field).
                let browser_id = self.apps[a].browser;
                // On a brokered device the browser's SSO comes from the PRT while it is
                // valid (and gives the browser a session); otherwise from its cookie.
                let prt = self.apps[a]
                    .sso
                    .map(|p| &self.sessions[p])
                    .filter(|p| p.refresh.is_some())
                    .map(|p| redeem(p).map(|()| p.refresh.expect("checked")));
                let cookie = match (prt, self.sessions[browser_id].cookie.as_mut()) {
                    (Some(Ok(prt)), _) => prt.authentication().cookie(t),
                    (Some(Err(cause)), None) => return Err(cause),
                    (_, cookie) => {
                        let cookie = cookie.expect("prompt=none needs a cookie or a PRT");
                        policy
                            .check_cookie(cookie, t, resilience)
                            .and_then(|()| cae::claims_met(claims, cookie.multi_factor))
                            .map_err(|c| cae::blame(claims, c))?;
                        cookie.last_used = t;
                        *cookie
                    }
                };
                self.sessions[browser_id].cookie = Some(cookie);
                self.sessions[rt_id]
                    .issue(cookie.authentication().refresh_token(t, fixed_expiry(t)));
            }
            RequestKind::Interactive => {
                let segment = self.segment_of(self.apps[a].user);
                let app = &mut self.apps[a];
                // A sign-in starts a clean loop-detection count.
                app.loop_window = NO_LOOP_WINDOW;
                let (password_based, multi_factor) = segment.draw_credential(&mut app.rng);
                let auth = Authentication {
                    auth_time: AuthTime::at(t),
                    multi_factor,
                    password_based,
                };
                self.sessions[rt_id].issue(auth.refresh_token(t, fixed_expiry(t)));
                if browser {
                    let browser_id = self.apps[a].browser;
                    self.sessions[browser_id].cookie = Some(auth.cookie(t));
                }
                self.release_sharers(a, t, obs);
            }
        }
        self.apps[a].need = Need::Silent;
        self.apps[a].claims = None;
        if !caches {
            self.apps[a].revocation.handed_out = Some(t);
            return Ok(());
        }
        let lifetime = scenario
            .cae
            .lifetime(cae_session, policy, &mut self.apps[a].rng);
        let refresh_on = self.endpoint.refresh_in(lifetime).map(|r| {
            let jitter = self.spec(a).profile.refresh_jitter().as_millis();
            let shift = self.apps[a].rng.range_inclusive(0, 2 * jitter) as i64 - jitter as i64;
            SimTime(
                (t.as_millis() + r.as_millis())
                    .saturating_add_signed(shift)
                    .max(t.as_millis()),
            )
        });
        self.apps[a].access = Some(AccessToken::issue(t, lifetime, refresh_on));
        Ok(())
    }
}
