//! PIN lockout policy: after 5 failures each further attempt waits twice as long as the last;
//! 15 failures lock the account until a coordinator resets it. Pure: the caller passes the clock.

/// Failures before waits begin.
pub const FREE_ATTEMPTS: u32 = 5;
/// Failures that lock the account.
pub const LOCK_AFTER: u32 = 15;
/// The first wait, in seconds; it doubles with each further failure.
pub const FIRST_WAIT_SECONDS: i64 = 30;

/// May the person try a PIN now?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Seconds left to wait.
    Wait(i64),
    Locked,
}

/// Seconds to wait after `failures` failed attempts (0 below the threshold).
pub fn wait_after(failures: u32) -> i64 {
    if failures < FREE_ATTEMPTS {
        0
    } else {
        FIRST_WAIT_SECONDS << (failures - FREE_ATTEMPTS).min(20)
    }
}

/// The gate for an account with `failures` failures, the last `seconds_since_failure` ago.
pub fn gate(failures: u32, locked: bool, seconds_since_failure: i64) -> Gate {
    if locked || failures >= LOCK_AFTER {
        return Gate::Locked;
    }
    let wait = wait_after(failures);
    if seconds_since_failure < wait {
        Gate::Wait(wait - seconds_since_failure)
    } else {
        Gate::Open
    }
}

/// A PIN must be 4 to 12 digits.
pub fn valid_pin(pin: &str) -> bool {
    (4..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_do_not_slow_down() {
        assert_eq!(gate(4, false, 0), Gate::Open);
    }

    #[test]
    fn fifth_failure_starts_a_wait_that_doubles() {
        assert_eq!(gate(5, false, 0), Gate::Wait(30));
        assert_eq!(gate(5, false, 30), Gate::Open);
        assert_eq!(gate(6, false, 10), Gate::Wait(50));
        assert_eq!(wait_after(7), 120);
    }

    #[test]
    fn fifteen_failures_lock_the_account() {
        assert_eq!(gate(15, false, 1_000_000), Gate::Locked);
        assert_eq!(gate(0, true, 0), Gate::Locked);
        assert_ne!(gate(14, false, 1_000_000), Gate::Locked);
    }

    #[test]
    fn pins_are_four_to_twelve_digits() {
        assert!(valid_pin("1234"));
        assert!(!valid_pin("123"));
        assert!(!valid_pin("12a4"));
        assert!(!valid_pin("1234567890123"));
    }
}
