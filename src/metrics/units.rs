//! Figures in human units: the one formatting of durations that every table, the run
//! printout, the report and the TUI use.

/// A duration given in minutes, in the unit its magnitude calls for: `47 min`, `5.2 h`,
/// `13 h`, `3.5 days`, `90 days`.
pub fn duration(minutes: f64) -> String {
    let hours = minutes / 60.0;
    let days = hours / 24.0;
    if minutes < 99.5 {
        format!("{minutes:.0} min")
    } else if hours < 9.95 {
        format!("{hours:.1} h")
    } else if hours < 47.5 {
        format!("{hours:.0} h")
    } else if days < 9.95 {
        format!("{days:.1} days")
    } else {
        format!("{days:.0} days")
    }
}

/// A share as a percentage: `38 %`, `0.4 %`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_their_unit_by_magnitude() {
        assert_eq!(duration(0.2), "0 min");
        assert_eq!(duration(47.4), "47 min");
        assert_eq!(duration(99.0), "99 min");
        assert_eq!(duration(100.0), "1.7 h");
        assert_eq!(duration(13.0 * 60.0), "13 h");
        assert_eq!(duration(3.5 * 1440.0), "3.5 days");
        assert_eq!(duration(129_580.0), "90 days");
        assert_eq!(percent(0.38), "38 %");
        assert_eq!(percent(0.004), "0.4 %");
    }
}
