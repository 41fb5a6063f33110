//! Throttling of password guesses and sign-up probes: growing waits, never a
//! lockout, and no way for one person's failures to keep someone else out.
//!
//! Every attempt is *reserved* before the password is checked, in the same
//! statement that checks the count (`store::reserve`), so a burst of parallel
//! guesses gets exactly the free attempts and no more. A success clears the
//! reservation; a failure leaves it counted.
//!
//! Which counts apply to a sign-in (`sign_in_scopes`):
//! - from a device that signed in to this account before (a signed cookie,
//!   `accounts::device`): only that device's own count;
//! - from anywhere else: the count for this account from this address, and the
//!   count for this account from everywhere (which starts later and waits less).
//!
//! There is deliberately no count per address across accounts: behind one home
//! router every person shares an address, and such a count would let anyone
//! keep everyone else out. Guessing spread over many accounts is still slowed
//! by each account's own counts, and its cost is bounded by the cap on
//! concurrent password hashing.

/// How a kind of count grows: attempts allowed before any wait, and the longest wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub free: i64,
    pub max_wait_seconds: i64,
}

/// One account from one address.
pub const PAIR: Rule = Rule { free: 5, max_wait_seconds: 60 };
/// One account from everywhere: only slows guessing spread over many addresses.
pub const ACCOUNT: Rule = Rule { free: 20, max_wait_seconds: 30 };
/// A known device, whichever account it tries.
pub const DEVICE: Rule = Rule { free: 5, max_wait_seconds: 60 };
/// Entering the password again inside a session (email change, export, deletion).
pub const REENTER: Rule = Rule { free: 5, max_wait_seconds: 60 };
/// Sign-ups from one address that did not create an account.
pub const SIGN_UP: Rule = Rule { free: 10, max_wait_seconds: 60 };

/// A count with no new failure for this long starts again.
pub const FORGET_AFTER: i64 = 24 * 3600;

/// One count to reserve an attempt against, and the account it is about (so
/// deleting the account removes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub key: String,
    pub rule: Rule,
    pub user_id: Option<String>,
    pub email: Option<String>,
}

/// The counts a sign-in attempt reserves against. `known_device` is the id of a
/// device that has signed in to this very account before.
pub fn sign_in_scopes(
    email: &str,
    user_id: Option<&str>,
    address: &str,
    known_device: Option<&str>,
) -> Vec<Scope> {
    let about = |key: String, rule: Rule| Scope {
        key,
        rule,
        user_id: user_id.map(str::to_owned),
        email: Some(email.to_owned()),
    };
    match known_device {
        Some(device) => vec![about(format!("device:{device}"), DEVICE)],
        None => {
            vec![about(format!("pair:{email}|{address}"), PAIR), about(format!("account:{email}"), ACCOUNT)]
        }
    }
}

pub fn reenter_scope(user_id: &str) -> Scope {
    Scope { key: format!("reenter:{user_id}"), rule: REENTER, user_id: Some(user_id.to_owned()), email: None }
}

pub fn sign_up_scope(address: &str) -> Scope {
    Scope { key: format!("signup:{address}"), rule: SIGN_UP, user_id: None, email: None }
}

/// Seconds to wait before the next attempt, once `failures` attempts have failed.
pub fn wait_after(failures: i64, rule: Rule) -> i64 {
    if failures < rule.free {
        return 0;
    }
    let steps = (failures - rule.free).min(20) as u32;
    (1_i64 << steps).min(rule.max_wait_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_then_stop_growing() {
        assert_eq!(wait_after(4, PAIR), 0);
        assert_eq!(wait_after(5, PAIR), 1);
        assert_eq!(wait_after(6, PAIR), 2);
        assert_eq!(wait_after(9, PAIR), 16);
        assert_eq!(wait_after(500, PAIR), 60);
        assert_eq!(wait_after(19, ACCOUNT), 0);
        assert_eq!(wait_after(10_000, ACCOUNT), 30);
    }

    #[test]
    fn a_known_device_answers_only_for_itself() {
        let scopes = sign_in_scopes("ivy@example.org", Some("u1"), "203.0.113.9", Some("d1"));
        assert_eq!(scopes.len(), 1);
        assert_eq!(scopes[0].key, "device:d1");
        assert_eq!(scopes[0].rule, DEVICE);
        let scopes = sign_in_scopes("ivy@example.org", None, "203.0.113.9", None);
        let keys: Vec<&str> = scopes.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["pair:ivy@example.org|203.0.113.9", "account:ivy@example.org"]);
        assert!(scopes.iter().all(|s| s.email.as_deref() == Some("ivy@example.org")));
    }

    #[test]
    fn no_count_is_shared_between_accounts() {
        // Every count a sign-in reserves names its own account (or device), so
        // failures against one account never hold back another on the same address.
        let a = sign_in_scopes("a@example.org", None, "198.51.100.1", None);
        let b = sign_in_scopes("b@example.org", None, "198.51.100.1", None);
        assert!(a.iter().all(|s| b.iter().all(|t| s.key != t.key)));
    }
}
