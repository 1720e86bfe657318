//! `[platform]`: capacity, throttling, the queue, `refresh_in` and the backup service.

use super::*;

/// Highest capacity a unit may have, requests per second: per minute it stays exact in
/// the integer columns of the time series.
const MAX_CAPACITY: f64 = 1e9;

pub(super) fn validate_platform(c: &Checker, p: &RawPlatform) -> Checked<PlatformConfig> {
    if !(p.capacity.is_finite() && p.capacity > 0.0 && p.capacity <= MAX_CAPACITY) {
        return c.fail(
            "platform.capacity",
            format!(
                "'{}' must be a positive number of requests per second, at most {MAX_CAPACITY:e}",
                p.capacity
            ),
        );
    }
    let ms = SimDuration(1);
    c.range(
        "platform.retry_after",
        p.retry_after.0,
        SimDuration::from_secs(1),
        HOUR,
    )?;
    c.range("platform.max_queue", p.max_queue.0, SimDuration::ZERO, HOUR)?;
    c.range(
        "platform.refresh_in_min_lifetime",
        p.refresh_in_min_lifetime.0,
        SimDuration::ZERO,
        MAX_CAE_AT,
    )?;
    if p.loop_detection > 10_000 {
        return c.fail(
            "platform.loop_detection",
            format!(
                "'{}' is out of range (allowed 0, off, to 10000 tokens in 5 minutes)",
                p.loop_detection
            ),
        );
    }
    c.range(
        "platform.backup.switchover",
        p.backup.switchover.0,
        SimDuration::ZERO,
        DAY,
    )?;
    c.range(
        "platform.backup.session_window",
        p.backup.session_window.0,
        ms,
        MAX_INACTIVE,
    )?;
    let b = &p.backup;
    if !(b.capacity_share.is_finite() && (0.0..=10.0).contains(&b.capacity_share)) {
        return c.fail(
            "platform.backup.capacity_share",
            format!(
                "'{}' must be from 0 to 10 (a share of primary capacity)",
                b.capacity_share
            ),
        );
    }
    if !(0.0..1.0).contains(&p.refresh_in_share) {
        return c.fail(
            "platform.refresh_in_share",
            format!("'{}' must be from 0 (off) to below 1", p.refresh_in_share),
        );
    }
    Ok(PlatformConfig {
        capacity: p.capacity,
        overload: p.overload,
        retry_after: p.retry_after.0,
        max_queue: p.max_queue.0,
        refresh_in_share: p.refresh_in_share,
        refresh_in_min_lifetime: p.refresh_in_min_lifetime.0,
        loop_detection: p.loop_detection,
        backup: BackupConfig {
            enabled: b.enabled,
            switchover: b.switchover.0,
            capacity_share: b.capacity_share,
            session_window: b.session_window.0,
            serves_brokered: b.serves_brokered,
        },
    })
}
