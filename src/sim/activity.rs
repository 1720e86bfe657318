//! When users are active: working days in local time, always-on, or Poisson sessions,
//! all interrupted by absences. Sessions are drawn one at a time, lazily.

use super::endpoint::Endpoint;
use super::event::Event;
use super::observer::Observer;
use super::state::{Step, UserIx, UserView};
use super::world::Simulation;
use crate::domain::user::{Activity, hour_of_week};
use crate::engine::time::{MS_PER_DAY, MS_PER_HOUR};
use crate::engine::{SimDuration, SimTime};

impl<E: Endpoint> Simulation<'_, E> {
    pub(super) fn schedule_first_session(&mut self, u: UserIx) {
        if let Some(absence) = self.segment_of(u).absence {
            let mean = 365.0 * MS_PER_DAY as f64 / absence.per_year.max(1e-12);
            let first = self.users[u].rng.exponential(mean);
            self.users[u].absence_start = SimTime(first.min(u64::MAX as f64 / 2.0) as u64);
            self.users[u].absence_end = self.users[u].absence_start + absence.length;
        }
        match self.activity_of(u) {
            Activity::AlwaysOn => {
                self.users[u].session_end = self.horizon;
                self.queue.schedule(SimTime::ZERO, Event::SessionStart(u.0));
            }
            Activity::Poisson { .. } | Activity::Weekly { .. } => {
                let first = self.arrival_after(u, SimTime::ZERO);
                self.users[u].next_arrival = first;
                self.schedule_start(u, first);
            }
            Activity::WorkingHours { .. } => {
                if let Some((start, end)) = self.next_workday(u, SimTime::ZERO) {
                    self.users[u].session_end = end;
                    self.schedule_start(u, start);
                }
            }
        }
    }

    fn schedule_start(&mut self, u: UserIx, at: SimTime) {
        if at < self.horizon {
            self.queue.schedule(at, Event::SessionStart(u.0));
        }
    }

    pub(super) fn on_session_start<O: Observer>(&mut self, u: UserIx, t: SimTime, _obs: &mut O) {
        if self.users[u].disabled {
            return;
        }
        if let Activity::Poisson { session, .. } | Activity::Weekly { session, .. } =
            *self.activity_of(u)
        {
            // Arrivals that fall inside the session extend it.
            let mut end = t + session;
            let mut next = self.arrival_after(u, t);
            while next <= end && next < self.horizon {
                end = next + session;
                next = self.arrival_after(u, next);
            }
            self.users[u].session_end = end;
            self.users[u].next_arrival = next;
        }
        let user = &mut self.users[u];
        user.active = true;
        user.session_start = t;
        let end = user.session_end;
        let of_user = UserView {
            session_end: end,
            id: user.id,
            active: true,
        };
        for a in user.apps() {
            self.apps[a].of_user = of_user;
            // A session too short for the app's phase still makes its one call at the start.
            let phased = t + self.apps[a].phase;
            let first_call = if phased < end { phased } else { t };
            self.apps[a].first_call = first_call;
            // A trace's call schedule may have no call in the session at all.
            let wake = self.next_call_at(a, first_call);
            if wake == first_call || wake < end.min(self.horizon) {
                self.set_wake(a, wake);
            }
        }
        self.queue
            .schedule(end.min(self.horizon), Event::SessionEnd(u.0));
    }

    pub(super) fn on_session_end<O: Observer>(&mut self, u: UserIx, t: SimTime, obs: &mut O) {
        if !self.users[u].active || t < self.users[u].session_end.min(self.horizon) {
            return;
        }
        // A call still waiting for its token (a retry, an answer) when the visit ends
        // got none: a one-call visit that only waited was still blocked.
        for a in self.users[u].apps() {
            let app = &self.apps[a];
            if app.step.holds_caller() {
                obs.calls_failed(self.app_ref(a), app.call_started, SimDuration(1), 1);
            }
        }
        self.end_session(u, t, obs);
        match self.activity_of(u) {
            Activity::AlwaysOn => {}
            Activity::Poisson { .. } | Activity::Weekly { .. } => {
                let next = self.users[u].next_arrival;
                self.schedule_start(u, next);
            }
            Activity::WorkingHours { .. } => {
                if let Some((start, end)) = self.next_workday(u, t) {
                    self.users[u].session_end = end;
                    self.schedule_start(u, start);
                }
            }
        }
    }

    /// Ends the session at `t`: apps stop calling; open blocked intervals close.
    pub(super) fn end_session<O: Observer>(&mut self, u: UserIx, t: SimTime, obs: &mut O) {
        let user = &mut self.users[u];
        user.active = false;
        obs.session(user.id, user.session_start, t);
        for a in user.apps() {
            self.apps[a].of_user.active = false;
            self.leave_steady(a);
            if let Some(key) = self.apps[a].wake.take() {
                self.queue.cancel(key);
            }
            if matches!(self.apps[a].step, Step::Retrying { .. }) {
                self.apps[a].step = Step::Idle;
            }
            self.apps[a].attempts = 0;
            self.unblock(a, t, obs);
        }
    }

    /// The first session arrival of a Poisson or weekly pattern after `t` that is not
    /// inside an absence.
    fn arrival_after(&mut self, u: UserIx, t: SimTime) -> SimTime {
        let mut at = self.draw_arrival(u, t);
        while let Some(back) = self.absent_until(u, at) {
            at = self.draw_arrival(u, back);
        }
        at
    }

    /// One inter-arrival draw from `t`. Weekly rates are piecewise constant per hour,
    /// so one unit-mean exponential is spent hour by hour (exact inversion of the
    /// cumulative rate); past the horizon the answer is the horizon (no more sessions).
    fn draw_arrival(&mut self, u: UserIx, t: SimTime) -> SimTime {
        let rates = match self.activity_of(u) {
            Activity::Poisson { rate_per_day, .. } => {
                let mean = MS_PER_DAY as f64 / rate_per_day;
                return t + SimDuration(self.users[u].rng.exponential(mean).ceil() as u64);
            }
            Activity::Weekly { rates_per_hour, .. } => rates_per_hour,
            Activity::AlwaysOn | Activity::WorkingHours { .. } => return self.horizon,
        };
        let offset = self.scenario.start_unix_ms() + self.segment_of(u).utc_offset_ms;
        let mut left = self.users[u].rng.exponential(1.0);
        let mut now = t.0;
        while now < self.horizon.0 {
            let hour = hour_of_week(now as i64 + offset);
            let into = (now as i64 + offset).rem_euclid(MS_PER_HOUR as i64) as u64;
            let span = MS_PER_HOUR - into;
            let mass = rates[hour] * span as f64 / MS_PER_HOUR as f64;
            if mass >= left {
                let ms = (left / rates[hour] * MS_PER_HOUR as f64).ceil() as u64;
                return SimTime(now + ms.clamp(1, span));
            }
            left -= mass;
            now += span;
        }
        self.horizon
    }

    /// If `t` falls in an absence, its end; draws later absences as time moves on.
    fn absent_until(&mut self, u: UserIx, t: SimTime) -> Option<SimTime> {
        let absence = self.segment_of(u).absence?;
        let mean = 365.0 * MS_PER_DAY as f64 / absence.per_year.max(1e-12);
        loop {
            let user = &mut self.users[u];
            if t < user.absence_start {
                return None;
            }
            if t < user.absence_end {
                return Some(user.absence_end);
            }
            let gap = user.rng.exponential(mean).min(1e15) as u64;
            user.absence_start = user.absence_end + SimDuration(gap);
            user.absence_end = user.absence_start + absence.length;
        }
    }

    /// The next working-day session ending after `after`, in the user's local time.
    fn next_workday(&mut self, u: UserIx, after: SimTime) -> Option<(SimTime, SimTime)> {
        let Activity::WorkingHours {
            start,
            end,
            jitter,
            weekends,
        } = *self.activity_of(u)
        else {
            return None;
        };
        let offset = self.scenario.start_unix_ms() + self.segment_of(u).utc_offset_ms;
        let day_ms = MS_PER_DAY as i64;
        let mut day = (after.0 as i64 + offset).div_euclid(day_ms);
        loop {
            let day_start = day * day_ms - offset;
            if day_start >= self.horizon.0 as i64 {
                return None;
            }
            day += 1;
            // 1970-01-01 was a Thursday: (day + 3) mod 7 gives 0 for Monday.
            let weekday = (day - 1 + 3).rem_euclid(7);
            if weekday >= 5 && !weekends {
                continue;
            }
            let user = &mut self.users[u];
            let j = jitter.0 as i64;
            let s =
                day_start + start.0 as i64 + user.rng.range_inclusive(0, 2 * j as u64) as i64 - j;
            let e = day_start + end.0 as i64 + user.rng.range_inclusive(0, 2 * j as u64) as i64 - j;
            if e <= after.0 as i64 || e <= 0 {
                continue;
            }
            let s = SimTime(s.max(after.0 as i64).max(0) as u64);
            if self.absent_until(u, s).is_some() {
                continue;
            }
            return Some((s, SimTime(e as u64)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::observer::NullObserver;
    use super::super::world::SimulationBuilder;
    use super::*;
    use crate::scenario::load_default;

    /// Token requests read their app's copy of the user ([`UserView`]), never the
    /// user: hour by hour through nine days, the outage of the second Monday included,
    /// every app's copy says what its user says (an unsynchronised copy would let a
    /// call run outside a session).
    #[test]
    fn each_app_sees_its_user_as_the_user_is() {
        let sets = ["scenario.users=300", "scenario.horizon=9d"].map(|s| s.parse().unwrap());
        let scenario = load_default(&sets).unwrap();
        let mut sim = SimulationBuilder::new(&scenario, 0).build();
        let (mut sessions, mut obs) = (0, NullObserver);
        for hour in 1..=9 * 24 {
            sim.run_until(SimTime(hour * MS_PER_HOUR), &mut obs);
            for user in &sim.users {
                sessions += user.active as u32;
                for a in user.apps() {
                    let seen = sim.apps[a].of_user;
                    assert_eq!((seen.id, seen.active), (user.id, user.active));
                    if user.active {
                        assert_eq!(seen.session_end, user.session_end);
                    }
                }
            }
        }
        assert!(sessions > 0, "users were active at some hour");
    }
}
