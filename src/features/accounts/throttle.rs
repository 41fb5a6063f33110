//! Sign-in throttling: growing delays, never a lockout. Failures are counted per
//! (account, address) pair, per address, and per account; each count asks for a
//! wait that doubles and is capped, so someone who knows an email address can slow
//! its owner down by at most a minute, and never shut them out.

/// Failures allowed before any wait.
const FREE_FAILURES: i64 = 5;
/// The longest wait a pair or address count can ask for.
const MAX_WAIT: i64 = 60;
/// The per-account count starts later and waits less: it only slows down guessing
/// spread over many addresses, and must not let anyone keep the owner out.
const ACCOUNT_FREE_FAILURES: i64 = 20;
const ACCOUNT_MAX_WAIT: i64 = 30;
/// A count with no new failure for this long starts again.
pub const FORGET_AFTER: i64 = 24 * 3600;

pub struct Scopes {
    pub pair: String,
    pub address: String,
    pub account: String,
}

impl Scopes {
    pub fn new(email: &str, address: &str) -> Self {
        Scopes {
            pair: format!("pair:{email}|{address}"),
            address: format!("addr:{address}"),
            account: format!("account:{email}"),
        }
    }
}

/// Seconds to wait after `failures` consecutive failures.
pub fn wait_after(failures: i64, free: i64, cap: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let steps = (failures - free).min(10) as u32;
    (1_i64 << steps).min(cap)
}

/// How many seconds remain before another attempt is allowed, given each scope's
/// (failures, last failure time); 0 when an attempt may go ahead now.
pub fn seconds_to_wait(now: i64, pair_or_address: &[(i64, i64)], account: Option<(i64, i64)>) -> i64 {
    let remaining = |(failures, last): (i64, i64), free, cap| {
        if now - last > FORGET_AFTER {
            return 0;
        }
        (last + wait_after(failures, free, cap) - now).max(0)
    };
    let local = pair_or_address.iter().map(|&c| remaining(c, FREE_FAILURES, MAX_WAIT)).max().unwrap_or(0);
    let global = account.map_or(0, |c| remaining(c, ACCOUNT_FREE_FAILURES, ACCOUNT_MAX_WAIT));
    local.max(global)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_then_stop_growing() {
        assert_eq!(wait_after(4, 5, 60), 0);
        assert_eq!(wait_after(5, 5, 60), 1);
        assert_eq!(wait_after(6, 5, 60), 2);
        assert_eq!(wait_after(9, 5, 60), 16);
        assert_eq!(wait_after(500, 5, 60), 60);
    }

    #[test]
    fn wait_counts_down_from_last_failure() {
        let now = 1_000_000;
        // 7 failures: wait 4 s; the last was 1 s ago, so 3 s remain.
        assert_eq!(seconds_to_wait(now, &[(7, now - 1)], None), 3);
        assert_eq!(seconds_to_wait(now, &[(7, now - 10)], None), 0);
    }

    #[test]
    fn the_owner_is_never_kept_out_for_long() {
        let now = 1_000_000;
        // Thousands of failures against an account from elsewhere: the owner,
        // from a fresh address, waits at most the account cap.
        assert!(seconds_to_wait(now, &[], Some((10_000, now))) <= ACCOUNT_MAX_WAIT);
        assert!(seconds_to_wait(now, &[(10_000, now)], None) <= MAX_WAIT);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let now = 10_000_000;
        assert_eq!(seconds_to_wait(now, &[(50, now - FORGET_AFTER - 1)], None), 0);
    }
}
