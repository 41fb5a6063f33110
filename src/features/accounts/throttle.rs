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

/// One account from one address. The wait can grow long: the owner signs in
/// from a known device, which this count does not hold back.
pub const PAIR: Rule = Rule { free: 5, max_wait_seconds: 15 * 60 };
/// One account from everywhere: slows guessing spread over many addresses.
pub const ACCOUNT: Rule = Rule { free: 20, max_wait_seconds: 5 * 60 };
/// A known device, for the account it is known to.
pub const DEVICE: Rule = Rule { free: 5, max_wait_seconds: 15 * 60 };
/// Entering the password again inside one session (email change, export,
/// deletion): counted per session, so someone holding another session of the
/// account cannot keep the owner from changing their password.
pub const REENTER: Rule = Rule { free: 5, max_wait_seconds: 15 * 60 };
/// Sign-ups from one address, whatever became of them: the answer is the same
/// for a new address and a known one, so every one counts.
pub const SIGN_UP: Rule = Rule { free: 10, max_wait_seconds: 60 };
/// Password-reset requests from one address.
pub const RESET_FROM_ADDRESS: Rule = Rule { free: 5, max_wait_seconds: 15 * 60 };
/// Password-reset mail to one account: a few, then slower, so nobody can fill
/// an inbox with them. When it holds, the answer is still the same.
pub const RESET_FOR_ACCOUNT: Rule = Rule { free: 3, max_wait_seconds: 60 * 60 };
/// Email changes per account, successful or not: each sends mail to two
/// addresses, one of them anybody's, so they are few and slow.
pub const EMAIL_CHANGE: Rule = Rule { free: 3, max_wait_seconds: 60 * 60 };

/// A count with no new failure for this long starts again.
pub const FORGET_AFTER: i64 = 24 * 3600;

/// One count to reserve an attempt against, and the account it is about (so
/// deleting the account removes it). Email addresses appear only as their
/// SHA-256: the table never holds an address anyone typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub key: String,
    pub rule: Rule,
    pub user_id: Option<String>,
    pub email_hash: Option<String>,
}

/// The SHA-256 of a normalised email address, hex.
pub fn email_hash(email: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(email.as_bytes()))
}

/// The counts a sign-in attempt reserves against. `known_device` is the id of a
/// device that has signed in to this very account before.
pub fn sign_in_scopes(
    email: &str,
    user_id: Option<&str>,
    address: &str,
    known_device: Option<&str>,
) -> Vec<Scope> {
    let hash = email_hash(email);
    let about = |key: String, rule: Rule| Scope {
        key,
        rule,
        user_id: user_id.map(str::to_owned),
        email_hash: Some(hash.clone()),
    };
    match known_device {
        Some(device) => vec![about(format!("device:{device}"), DEVICE)],
        None => {
            vec![about(format!("pair:{hash}|{address}"), PAIR), about(format!("account:{hash}"), ACCOUNT)]
        }
    }
}

pub fn reenter_scope(user_id: &str, session_id: &str) -> Scope {
    Scope {
        key: format!("reenter:{session_id}"),
        rule: REENTER,
        user_id: Some(user_id.to_owned()),
        email_hash: None,
    }
}

pub fn email_change_scope(user_id: &str) -> Scope {
    Scope {
        key: format!("email-change:{user_id}"),
        rule: EMAIL_CHANGE,
        user_id: Some(user_id.to_owned()),
        email_hash: None,
    }
}

pub fn sign_up_scope(address: &str) -> Scope {
    Scope { key: format!("signup:{address}"), rule: SIGN_UP, user_id: None, email_hash: None }
}

pub fn reset_from_address_scope(address: &str) -> Scope {
    Scope { key: format!("reset-from:{address}"), rule: RESET_FROM_ADDRESS, user_id: None, email_hash: None }
}

pub fn reset_for_account_scope(user_id: &str) -> Scope {
    Scope {
        key: format!("reset-for:{user_id}"),
        rule: RESET_FOR_ACCOUNT,
        user_id: Some(user_id.to_owned()),
        email_hash: None,
    }
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
        assert_eq!(wait_after(500, PAIR), 900);
        assert_eq!(wait_after(19, ACCOUNT), 0);
        assert_eq!(wait_after(10_000, ACCOUNT), 300);
    }

    #[test]
    fn a_known_device_answers_only_for_itself() {
        let scopes = sign_in_scopes("ivy@example.org", Some("u1"), "203.0.113.9", Some("d1"));
        assert_eq!(scopes.len(), 1);
        assert_eq!(scopes[0].key, "device:d1");
        assert_eq!(scopes[0].rule, DEVICE);
        let scopes = sign_in_scopes("ivy@example.org", None, "203.0.113.9", None);
        let keys: Vec<&str> = scopes.iter().map(|s| s.key.as_str()).collect();
        let hash = email_hash("ivy@example.org");
        assert_eq!(keys, [format!("pair:{hash}|203.0.113.9"), format!("account:{hash}")]);
        assert!(scopes.iter().all(|s| s.email_hash.as_deref() == Some(hash.as_str())));
        assert!(keys.iter().all(|k| !k.contains("ivy")), "no address is stored");
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
