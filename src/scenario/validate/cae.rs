//! `[policy.cae]`: CAE session lifetimes, fallback, propagation.

use super::*;

pub(super) fn validate_cae(c: &Checker, r: &RawCae) -> Checked<CaePolicy> {
    let lifetime_min = c.range(
        "policy.cae.lifetime_min",
        r.lifetime_min.0,
        MIN_LIFETIME,
        MAX_CAE_AT,
    )?;
    let lifetime_max = c.range(
        "policy.cae.lifetime_max",
        r.lifetime_max.0,
        MIN_LIFETIME,
        MAX_CAE_AT,
    )?;
    if lifetime_max < lifetime_min {
        return c.fail(
            "policy.cae.lifetime_max",
            format!("'{lifetime_max}' is below lifetime_min ({lifetime_min}); set both equal for a fixed lifetime"),
        );
    }
    Ok(CaePolicy {
        lifetime_min,
        lifetime_max,
        fallback_share: c.share("policy.cae.fallback_share", r.fallback_share, false)?,
        location: r.location,
        fallback_lifetime: c.range(
            "policy.cae.fallback_lifetime",
            r.fallback_lifetime.0,
            MIN_LIFETIME,
            MAX_CAE_AT,
        )?,
        propagation_max: c.range(
            "policy.cae.propagation_max",
            r.propagation_max.0,
            SimDuration::ZERO,
            SimDuration::from_hours(1),
        )?,
    })
}
