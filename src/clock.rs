//! The clock that lifetime checks (RFC 9420 §7.2, §10.1) read, injected so that tests and
//! vector runs control time.

use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time, in seconds since the Unix epoch.
pub trait Clock {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> u64;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        // A clock before 1970 reads as 0: every lifetime then looks "not yet valid",
        // which fails safe.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now(&self) -> u64 {
        self.0
    }
}

/// Whether a validation checks lifetimes, and against which clock.
#[derive(Clone, Copy)]
pub enum LifetimeCheck<'a> {
    /// Check `not_before <= now <= not_after`.
    Against(&'a dyn Clock),
    /// Do not check lifetimes. Only for inputs known to carry expired lifetimes, such as
    /// some RFC 9420 test vectors; the caller says so in its report.
    Skipped,
}

impl LifetimeCheck<'_> {
    /// True when `[not_before, not_after]` holds the current time, or when lifetimes
    /// are not checked. Both bounds are inclusive.
    pub fn accepts(&self, not_before: u64, not_after: u64) -> bool {
        match self {
            LifetimeCheck::Against(clock) => {
                let now = clock.now();
                not_before <= now && now <= not_after
            }
            LifetimeCheck::Skipped => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_lifetime_bounds_are_inclusive() {
        let at = |t| LifetimeCheck::Against(&FixedClock(t) as &dyn Clock).accepts(10, 20);
        assert!(!at(9) && at(10) && at(20) && !at(21));
    }

    #[test]
    fn a_skipped_check_accepts_an_expired_lifetime() {
        assert!(LifetimeCheck::Skipped.accepts(0, 1));
    }
}
