//! Single sign-on between the apps of one device: a sign-in that re-establishes a shared
//! session (PRT, browser cookie, family refresh token) also serves every other app
//! waiting on it, and counts as the one prompt the person saw.

use super::endpoint::Endpoint;
use super::observer::Observer;
use super::state::{AppIx, Need, SessionIx, Step};
use super::world::Simulation;
use crate::engine::SimTime;

impl<E: Endpoint> Simulation<'_, E> {
    /// The session an interactive sign-in of app `a` re-establishes: its browser's for a
    /// browser app, else the one holding its refresh token.
    pub(super) fn sign_in_session(&self, a: AppIx) -> SessionIx {
        let app = &self.apps[a];
        if self.spec(a).client.uses_browser() {
            app.browser
        } else {
            app.rt
        }
    }

    /// App `a` signed in interactively: the other apps of its user that redeem the same
    /// shared session are served by it, and those waiting for an interaction go back to
    /// the silent chain (their next call redeems the new session). Reports how many
    /// other apps it served.
    pub(super) fn release_sharers<O: Observer>(&mut self, a: AppIx, t: SimTime, obs: &mut O) {
        let key = self.sign_in_session(a);
        let session = &mut self.sessions[key];
        if !session.shared() {
            return;
        }
        session.signing_in = false;
        let mut served = 0;
        for b in self.users[self.apps[a].user].apps() {
            let browser_on_prt = self.apps[b].sso == Some(key);
            if b == a || (self.sign_in_session(b) != key && !browser_on_prt) {
                continue;
            }
            served += 1;
            let other = &mut self.apps[b];
            if !matches!(other.step, Step::Awaiting { .. }) {
                other.need = Need::Silent;
            }
        }
        if served > 0 {
            obs.sign_in_served(t, self.app_ref(a), served);
        }
    }
}
