//! Known devices: after a successful sign-in the browser keeps a long-lived
//! cookie that proves "this device has signed in to this account before". Each
//! entry holds a random device id and an HMAC over that id, the account and
//! the account's current password hash, so it names nobody, cannot be forged,
//! works on every instance (the key is in the database) and stops counting
//! once the password changes. A known device is held only to its own count of
//! failed attempts, so someone guessing the owner's password from the same
//! address cannot keep the owner out.
//!
//! One browser may be shared: the cookie keeps an entry for each of the last
//! few accounts that signed in on it, so a partner signing in to their own
//! account on the family laptop does not make the owner's entry disappear.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Accounts remembered per browser.
pub const MAX_ENTRIES: usize = 4;
const SEPARATOR: char = '~';

/// Browsers keep a cookie for at most 400 days.
pub const MAX_AGE_SECONDS: i64 = 400 * 24 * 3600;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-securebase-device" } else { "securebase_device" }
}

/// The known-device cookie the browser sent, if any.
pub fn from_headers(headers: &axum::http::HeaderMap, secure: bool) -> Option<&str> {
    crate::web::auth::cookie(headers, cookie_name(secure))
}

/// Before an account is deleted: the `Set-Cookie` that takes its entry out of
/// this browser's known-device cookie (and removes the cookie when nothing
/// else is left), so no trace of the account stays on the device.
pub async fn cookie_after_deletion(
    state: &crate::state::AppState,
    headers: &axum::http::HeaderMap,
    user_id: &str,
) -> Result<String, sqlx::Error> {
    let secure = state.config.serves_https();
    let hash =
        super::store::find_user(&state.db, user_id).await?.map(|u| u.password_hash).unwrap_or_default();
    let key = DeviceKey::new(state.device_key().await?);
    Ok(match key.forget(from_headers(headers, secure), user_id, &hash) {
        Some(rest) => set_cookie_value(secure, &rest),
        None => crate::web::cookies::clear_cookie(cookie_name(secure)),
    })
}

/// The instance's signing key (32 random bytes, in `instance_keys`).
pub struct DeviceKey<'a>(&'a [u8]);

impl<'a> DeviceKey<'a> {
    pub fn new(key: &'a [u8]) -> Self {
        DeviceKey(key)
    }

    fn mac(&self, device_id: &str, user_id: &str, password_hash: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0).expect("HMAC takes a key of any length");
        for part in ["securebase-known-device-v1", device_id, user_id, password_hash] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    /// The cookie value for a device (a new one when `device_id` is None).
    pub fn sign(&self, device_id: Option<&str>, user_id: &str, password_hash: &str) -> String {
        let id = device_id.map_or_else(new_device_id, str::to_owned);
        let tag = hex::encode(self.mac(&id, user_id, password_hash).finalize().into_bytes());
        format!("{id}.{tag}")
    }

    /// The device id, when one of the cookie's entries was issued for this
    /// account and its current password (compared in constant time).
    pub fn verify(&self, cookie: &str, user_id: &str, password_hash: &str) -> Option<String> {
        cookie
            .split(SEPARATOR)
            .take(MAX_ENTRIES)
            .find_map(|entry| self.verify_entry(entry, user_id, password_hash))
    }

    fn verify_entry(&self, entry: &str, user_id: &str, password_hash: &str) -> Option<String> {
        let (id, tag) = entry.split_once('.')?;
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let tag = hex::decode(tag).ok()?;
        self.mac(id, user_id, password_hash).verify_slice(&tag).ok()?;
        Some(id.to_owned())
    }

    /// The cookie after this account signed in on the device: its entry first
    /// and fresh, the other accounts' entries kept, the oldest dropped.
    pub fn remember(&self, cookie: Option<&str>, user_id: &str, password_hash: &str) -> String {
        let known = cookie.and_then(|c| self.verify(c, user_id, password_hash));
        let mine = self.sign(known.as_deref(), user_id, password_hash);
        let mut entries = vec![mine];
        entries.extend(self.others(cookie, user_id, password_hash));
        entries.truncate(MAX_ENTRIES);
        entries.join(&SEPARATOR.to_string())
    }

    /// The cookie without this account's entry (after it is deleted); None
    /// when nothing else is left in it.
    pub fn forget(&self, cookie: Option<&str>, user_id: &str, password_hash: &str) -> Option<String> {
        let rest = self.others(cookie, user_id, password_hash);
        (!rest.is_empty()).then(|| rest.join(&SEPARATOR.to_string()))
    }

    /// Well-formed entries that are not this account's.
    fn others(&self, cookie: Option<&str>, user_id: &str, password_hash: &str) -> Vec<String> {
        cookie
            .into_iter()
            .flat_map(|c| c.split(SEPARATOR))
            .filter(|e| well_formed(e) && self.verify_entry(e, user_id, password_hash).is_none())
            .map(str::to_owned)
            .take(MAX_ENTRIES)
            .collect()
    }
}

fn well_formed(entry: &str) -> bool {
    entry.split_once('.').is_some_and(|(id, tag)| {
        id.len() == 32 && tag.len() == 64 && (id.bytes().chain(tag.bytes())).all(|b| b.is_ascii_hexdigit())
    })
}

fn new_device_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

pub fn set_cookie_value(secure: bool, value: &str) -> String {
    crate::web::cookies::set_cookie(cookie_name(secure), value, Some(MAX_AGE_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DeviceKey<'static> {
        let bytes: &'static mut [u8; 32] = Box::leak(Box::new([0u8; 32]));
        getrandom::fill(bytes).unwrap();
        DeviceKey::new(bytes)
    }

    #[test]
    fn a_cookie_counts_only_for_its_account_and_password() {
        let k = key();
        let cookie = k.sign(None, "user-1", "$argon2id$hash-a");
        let id = k.verify(&cookie, "user-1", "$argon2id$hash-a").expect("valid");
        assert_eq!(id.len(), 32);
        assert_eq!(k.verify(&cookie, "user-2", "$argon2id$hash-a"), None, "another account");
        assert_eq!(k.verify(&cookie, "user-1", "$argon2id$hash-b"), None, "after a password change");
        assert_eq!(key().verify(&cookie, "user-1", "$argon2id$hash-a"), None, "another instance's key");
        // Re-signing keeps the device id.
        let again = k.sign(Some(&id), "user-1", "$argon2id$hash-b");
        assert_eq!(k.verify(&again, "user-1", "$argon2id$hash-b").as_deref(), Some(id.as_str()));
    }

    #[test]
    fn tampered_or_malformed_cookies_are_not_known() {
        let k = key();
        let cookie = k.sign(None, "u", "h");
        let (id, tag) = cookie.split_once('.').unwrap();
        let mut flipped = tag.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = format!("{id}.{}", String::from_utf8(flipped).unwrap());
        assert_eq!(k.verify(&flipped, "u", "h"), None);
        for bad in ["", ".", "abc", "zz.zz", &format!("{id}."), &format!(".{tag}")] {
            assert_eq!(k.verify(bad, "u", "h"), None, "{bad}");
        }
    }

    #[test]
    fn a_shared_browser_keeps_an_entry_for_each_account() {
        let k = key();
        let owner = k.remember(None, "owner", "h-owner");
        let owner_id = k.verify(&owner, "owner", "h-owner").unwrap();
        // The partner signs in to their own account in the same browser.
        let both = k.remember(Some(&owner), "partner", "h-partner");
        assert_eq!(
            k.verify(&both, "owner", "h-owner").as_deref(),
            Some(owner_id.as_str()),
            "the owner stays known"
        );
        assert!(k.verify(&both, "partner", "h-partner").is_some());
        // Signing in again keeps the device id and does not add an entry.
        let again = k.remember(Some(&both), "owner", "h-owner");
        assert_eq!(again.split('~').count(), 2);
        assert_eq!(k.verify(&again, "owner", "h-owner").as_deref(), Some(owner_id.as_str()));
        // At most a few accounts; the oldest goes first.
        let mut c = again;
        for i in 0..6 {
            c = k.remember(Some(&c), &format!("u{i}"), "h");
        }
        assert_eq!(c.split('~').count(), MAX_ENTRIES);
        assert!(k.verify(&c, "owner", "h-owner").is_none());
        // Garbage in the cookie is dropped, not carried along.
        let tidy = k.remember(Some("junk~<script>~"), "owner", "h-owner");
        assert_eq!(tidy.split('~').count(), 1);
        // After deletion, only the other accounts' entries remain.
        let both = k.remember(Some(&k.remember(None, "owner", "h-owner")), "partner", "h-partner");
        let left = k.forget(Some(&both), "owner", "h-owner").unwrap();
        assert!(
            k.verify(&left, "owner", "h-owner").is_none()
                && k.verify(&left, "partner", "h-partner").is_some()
        );
        assert_eq!(k.forget(Some(&left), "partner", "h-partner"), None);
    }

    #[test]
    fn the_cookie_is_long_lived_and_http_only() {
        let c = set_cookie_value(true, "v");
        assert!(c.starts_with("__Host-securebase-device=v;"));
        // `Secure` comes with every cookie of an https response (web::cookies::mark_secure).
        assert!(c.contains("HttpOnly") && c.contains("Max-Age=34560000"));
    }
}
