//! `[policy]`: access-token lifetimes, refresh-token and session limits, sign-in frequency.

use super::*;

/// "Every time" sign-in frequency still tolerates five minutes.
const EVERY_TIME: SimDuration = SimDuration::from_mins(5);

pub(super) fn validate_policy(c: &Checker, p: &RawPolicy) -> Checked<TokenPolicy> {
    let at = &p.access_token;
    let at_min = c.range(
        "policy.access_token.lifetime_min",
        at.lifetime_min.0,
        MIN_LIFETIME,
        MAX_AT,
    )?;
    let at_max = c.range(
        "policy.access_token.lifetime_max",
        at.lifetime_max.0,
        MIN_LIFETIME,
        MAX_AT,
    )?;
    if at_max < at_min {
        return c.fail(
            "policy.access_token.lifetime_max",
            format!(
                "'{at_max}' is below lifetime_min ({at_min}); set both equal for a fixed lifetime"
            ),
        );
    }
    let expiry_margin = at.expiry_margin.0;
    if expiry_margin >= at_min {
        return c.fail(
            "policy.access_token.expiry_margin",
            format!("'{expiry_margin}' must be shorter than lifetime_min ({at_min})"),
        );
    }
    let rt = &p.refresh_token;
    let max_inactive = c.range(
        "policy.refresh_token.max_inactive",
        rt.max_inactive.0,
        MIN_LIFETIME,
        MAX_INACTIVE,
    )?;
    let single = c.limit(
        "policy.refresh_token.max_age_single_factor",
        rt.max_age_single_factor,
    )?;
    let multi = c.limit(
        "policy.refresh_token.max_age_multi_factor",
        rt.max_age_multi_factor,
    )?;
    for (field, age) in [
        ("max_age_single_factor", single),
        ("max_age_multi_factor", multi),
    ] {
        if let Some(age) = age.filter(|a| max_inactive >= *a) {
            return c.fail(
                "policy.refresh_token.max_inactive",
                format!("'{max_inactive}' must be lower than {field} ({age}): MaxInactiveTime must be lower than the max ages"),
            );
        }
    }
    let session_max_age = FactorLimits {
        single: c.limit(
            "policy.refresh_token.max_age_session_single_factor",
            rt.max_age_session_single_factor,
        )?,
        multi: c.limit(
            "policy.refresh_token.max_age_session_multi_factor",
            rt.max_age_session_multi_factor,
        )?,
    };
    let sign_in_frequency = match &p.sign_in_frequency {
        None => None,
        Some(s) if s.every == "every-time" => Some(EVERY_TIME),
        Some(s) => {
            let d: SimDuration = s.every.parse().or_else(|e| {
                c.fail(
                    "policy.sign_in_frequency.every",
                    format!("{e}, or \"every-time\""),
                )
            })?;
            Some(c.range(
                "policy.sign_in_frequency.every",
                d,
                SimDuration::from_hours(1),
                MAX_AGE,
            )?)
        }
    };
    let cookie_inactive = if p.session_cookie.persistent {
        SimDuration::from_days(90)
    } else {
        SimDuration::from_days(1)
    };
    Ok(TokenPolicy {
        at_min,
        at_max,
        expiry_margin,
        max_inactive,
        max_age: FactorLimits { single, multi },
        session_max_age,
        cookie_inactive,
        sign_in_frequency,
    })
}
