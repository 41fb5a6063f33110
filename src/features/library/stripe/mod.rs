//! Stripe webhooks: verify the `Stripe-Signature` header and turn the event body into the
//! few facts the platform acts on (a checkout finished, a subscription ended).
//!
//! The signature is an HMAC-SHA256, keyed with the endpoint's signing secret, over
//! `"{timestamp}.{raw body}"`, sent hex-encoded as one or more `v1=` entries next to the
//! timestamp `t=`. See <https://docs.stripe.com/webhooks#verify-manually>.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a webhook request was not accepted as coming from Stripe.
#[derive(Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// No `Stripe-Signature` header (or an empty one).
    Missing,
    /// The header has no valid `t=` timestamp or no `v1=` signature.
    Malformed,
    /// The signature is right but the timestamp is too far from now (a replay, or a bad clock).
    Stale,
    /// No `v1=` signature matches the body and secret.
    Mismatch,
}

/// Checks a `Stripe-Signature` header against the raw request body.
///
/// Header format: `t=1492774577,v1=5257a869...,v0=...` (several `v1` allowed; `v0` and
/// unknown entries are ignored). Signed payload = `{t}.{raw body}`, HMAC-SHA256 keyed with
/// the endpoint secret (the secret string's bytes, including any `whsec_` prefix),
/// hex-encoded, compared in constant time (`Mac::verify_slice`). The timestamp must satisfy
/// `|now_unix - t| <= tolerance_secs`, else [`SignatureError::Stale`].
///
/// The signature is checked before the timestamp, so `Stale` is only reported for requests
/// that really were signed with the secret.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    now_unix: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or(SignatureError::Missing)?;
    let parsed = parse_header(header)?;
    let mac = signed_payload_mac(body, secret, parsed.timestamp);
    let matches = parsed
        .v1_signatures
        .iter()
        .filter_map(|candidate| hex::decode(candidate).ok())
        .any(|candidate| mac.clone().verify_slice(&candidate).is_ok());
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    let tolerance = u64::try_from(tolerance_secs).unwrap_or(0);
    if now_unix.abs_diff(parsed.timestamp) > tolerance {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

/// Builds a `Stripe-Signature` header value for `body` signed at time `t`, as Stripe
/// would send it; for tests and fixtures.
pub fn sign(body: &[u8], secret: &str, t: i64) -> String {
    let signature = signed_payload_mac(body, secret, t).finalize().into_bytes();
    format!("t={t},v1={}", hex::encode(signature))
}

/// The HMAC state after absorbing `"{t}.{body}"`.
fn signed_payload_mac(body: &[u8], secret: &str, t: i64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

struct SignatureHeader<'a> {
    timestamp: i64,
    v1_signatures: Vec<&'a str>,
}

fn parse_header(header: &str) -> Result<SignatureHeader<'_>, SignatureError> {
    let mut timestamp = None;
    let mut v1_signatures = Vec::new();
    for item in header.split(',') {
        let Some((key, value)) = item.split_once('=') else {
            continue;
        };
        match key.trim() {
            "t" => {
                let t = value.trim().parse::<i64>().map_err(|_| SignatureError::Malformed)?;
                if timestamp.replace(t).is_some() {
                    return Err(SignatureError::Malformed);
                }
            }
            "v1" => v1_signatures.push(value.trim()),
            _ => {}
        }
    }
    match timestamp {
        Some(timestamp) if !v1_signatures.is_empty() => Ok(SignatureHeader { timestamp, v1_signatures }),
        _ => Err(SignatureError::Malformed),
    }
}

/// The webhook events the platform distinguishes.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// `checkout.session.completed` with the payment made (or none needed), or
    /// `checkout.session.async_payment_succeeded`; `email` is trimmed and lower-cased.
    CheckoutCompleted {
        event_id: String,
        email: String,
        customer: Option<String>,
        subscription: Option<String>,
        plan: Option<String>,
    },
    /// `customer.subscription.deleted`, or `customer.subscription.updated` to a status that
    /// ends access (`canceled`, `unpaid`, `incomplete_expired`).
    SubscriptionEnded { event_id: String, customer: Option<String>, subscription: String },
    /// Anything else, to be acknowledged and ignored.
    Other { event_id: String, kind: String },
}

/// Subscription statuses after which a subscriber no longer has access.
const ENDED_STATUSES: [&str; 3] = ["canceled", "unpaid", "incomplete_expired"];

/// Parses a (verified) webhook body. Errors are plain reasons, fit for a log line.
pub fn parse_event(body: &[u8]) -> Result<Event, String> {
    let event: Value = serde_json::from_slice(body).map_err(|e| format!("event is not valid JSON: {e}"))?;
    let event_id = non_empty_str(&event, "id").ok_or("event has no id")?.to_owned();
    let kind = non_empty_str(&event, "type").ok_or("event has no type")?;
    let object = event.get("data").and_then(|data| data.get("object"));

    match kind {
        // A checkout paid later (a bank transfer, say) completes unpaid and is
        // granted when `async_payment_succeeded` says the money arrived.
        "checkout.session.completed" | "checkout.session.async_payment_succeeded"
            if object
                .and_then(|session| non_empty_str(session, "payment_status"))
                .is_none_or(|status| status == "paid" || status == "no_payment_required") =>
        {
            let session = object.ok_or("checkout event has no data.object")?;
            let email = session
                .get("customer_details")
                .and_then(|details| non_empty_str(details, "email"))
                .or_else(|| non_empty_str(session, "customer_email"))
                .ok_or("checkout session has no customer email")?
                .to_lowercase();
            Ok(Event::CheckoutCompleted {
                event_id,
                email,
                customer: object_id(session, "customer"),
                subscription: object_id(session, "subscription"),
                plan: session
                    .get("metadata")
                    .and_then(|metadata| non_empty_str(metadata, "plan"))
                    .map(str::to_owned),
            })
        }
        "customer.subscription.deleted" => subscription_ended(event_id, object),
        "customer.subscription.updated"
            if object
                .and_then(|subscription| non_empty_str(subscription, "status"))
                .is_some_and(|status| ENDED_STATUSES.contains(&status)) =>
        {
            subscription_ended(event_id, object)
        }
        _ => Ok(Event::Other { event_id, kind: kind.to_owned() }),
    }
}

fn subscription_ended(event_id: String, object: Option<&Value>) -> Result<Event, String> {
    let subscription = object.ok_or("subscription event has no data.object")?;
    let id = non_empty_str(subscription, "id").ok_or("subscription event has no subscription id")?;
    Ok(Event::SubscriptionEnded {
        event_id,
        customer: object_id(subscription, "customer"),
        subscription: id.to_owned(),
    })
}

/// A string field, trimmed, if present and not blank.
fn non_empty_str<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key)?.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// A reference to another Stripe object: its id, or the `id` of the object when the
/// field was expanded.
fn object_id(value: &Value, key: &str) -> Option<String> {
    let field = value.get(key)?;
    field
        .as_str()
        .map(str::trim)
        .or_else(|| non_empty_str(field, "id"))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod unpaid_tests {
    use super::*;

    #[test]
    fn an_unpaid_checkout_grants_nothing_until_the_payment_arrives() {
        let unpaid = br#"{"id":"evt_u","type":"checkout.session.completed","data":{"object":{"payment_status":"unpaid","customer_email":"a@b.org"}}}"#;
        assert!(matches!(parse_event(unpaid), Ok(Event::Other { .. })));
        let later = br#"{"id":"evt_l","type":"checkout.session.async_payment_succeeded","data":{"object":{"payment_status":"paid","customer_email":"a@b.org"}}}"#;
        assert!(matches!(parse_event(later), Ok(Event::CheckoutCompleted { .. })));
    }
}

#[cfg(test)]
mod tests;
