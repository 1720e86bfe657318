//! Who the users are: segment and scale unit of each user, derived from the user's
//! index alone, so a unit can build its users without the rest of the population.
//! Units take users round-robin, so every unit gets the same segment mix.

use super::model::Scenario;

/// A user as the population defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserSeed {
    /// Global user index.
    pub id: u32,
    /// Index of the user's segment.
    pub segment: u16,
}

/// The scale unit user `id` belongs to.
pub fn unit_of(scenario: &Scenario, id: u32) -> u32 {
    id % scenario.scale_units
}

/// The segment of user `id` (segments take contiguous index ranges).
pub fn segment_of(scenario: &Scenario, id: u32) -> u16 {
    let b = &scenario.segment_bounds;
    (b.partition_point(|&start| start <= id) - 1).min(b.len() - 2) as u16
}

/// The users of one scale unit, in index order.
pub fn users_of_unit(scenario: &Scenario, unit: u32) -> impl Iterator<Item = UserSeed> + '_ {
    (unit..scenario.users)
        .step_by(scenario.scale_units as usize)
        .map(|id| UserSeed {
            id,
            segment: segment_of(scenario, id),
        })
}
