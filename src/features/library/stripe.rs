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
mod tests {
    use super::*;

    const SECRET: &str = "whsec_5c2a8bd6e9f04d1e8a7c3b0f9e1d2c4a";
    const NOW: i64 = 1_765_734_000;
    const TOLERANCE: i64 = 300;
    const BODY: &[u8] = br#"{"id":"evt_1QabcD2eZvKYlo2C","object":"event","type":"ping"}"#;

    fn check(header: &str, body: &[u8]) -> Result<(), SignatureError> {
        verify(Some(header), body, SECRET, NOW, TOLERANCE)
    }

    fn v1_of(header: &str) -> &str {
        header.split_once(",v1=").map(|(_, signature)| signature).expect("signed header")
    }

    #[test]
    fn known_answer_from_an_independent_hmac() {
        // printf '1492774577.{}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            sign(b"{}", "whsec_test", 1_492_774_577),
            "t=1492774577,v1=0d0602f6611bd2252dd4b74b58a4528355a7380639a15e6cc21e3059d56d5b8b"
        );
    }

    #[test]
    fn valid_signature_is_accepted() {
        assert_eq!(check(&sign(BODY, SECRET, NOW), BODY), Ok(()));
        assert_eq!(check(&sign(BODY, SECRET, NOW - TOLERANCE), BODY), Ok(()));
        assert_eq!(check(&sign(BODY, SECRET, NOW + TOLERANCE), BODY), Ok(()));
    }

    #[test]
    fn tampered_body_is_rejected() {
        let header = sign(BODY, SECRET, NOW);
        let tampered = String::from_utf8_lossy(BODY).replace("ping", "pong");
        assert_eq!(check(&header, tampered.as_bytes()), Err(SignatureError::Mismatch));
        assert_eq!(check(&header, b""), Err(SignatureError::Mismatch));
    }

    #[test]
    fn tampered_signature_is_rejected() {
        let header = sign(BODY, SECRET, NOW);
        let signature = v1_of(&header);
        let flipped = if signature.starts_with('0') { "1" } else { "0" };
        let tampered = format!("t={NOW},v1={flipped}{}", &signature[1..]);
        assert_eq!(check(&tampered, BODY), Err(SignatureError::Mismatch));
        let truncated = format!("t={NOW},v1={}", &signature[..62]);
        assert_eq!(check(&truncated, BODY), Err(SignatureError::Mismatch));
        let not_hex = format!("t={NOW},v1=zz{}", &signature[2..]);
        assert_eq!(check(&not_hex, BODY), Err(SignatureError::Mismatch));
    }

    #[test]
    fn signature_for_another_timestamp_is_rejected() {
        let signature = v1_of(&sign(BODY, SECRET, NOW)).to_owned();
        assert_eq!(check(&format!("t={},v1={signature}", NOW + 1), BODY), Err(SignatureError::Mismatch));
    }

    #[test]
    fn wrong_secret_is_rejected() {
        let header = sign(BODY, "whsec_someone_elses_secret", NOW);
        assert_eq!(check(&header, BODY), Err(SignatureError::Mismatch));
        // The "whsec_" prefix is part of the key.
        let without_prefix = sign(BODY, SECRET.trim_start_matches("whsec_"), NOW);
        assert_eq!(check(&without_prefix, BODY), Err(SignatureError::Mismatch));
    }

    #[test]
    fn stale_timestamps_are_rejected_in_both_directions() {
        let old = sign(BODY, SECRET, NOW - TOLERANCE - 1);
        assert_eq!(check(&old, BODY), Err(SignatureError::Stale));
        let future = sign(BODY, SECRET, NOW + TOLERANCE + 1);
        assert_eq!(check(&future, BODY), Err(SignatureError::Stale));
        let extreme = sign(BODY, SECRET, i64::MIN);
        assert_eq!(verify(Some(&extreme), BODY, SECRET, i64::MAX, TOLERANCE), Err(SignatureError::Stale));
        let negative_tolerance = sign(BODY, SECRET, NOW - 1);
        assert_eq!(verify(Some(&negative_tolerance), BODY, SECRET, NOW, -5), Err(SignatureError::Stale));
    }

    #[test]
    fn missing_header() {
        assert_eq!(verify(None, BODY, SECRET, NOW, TOLERANCE), Err(SignatureError::Missing));
        assert_eq!(check("", BODY), Err(SignatureError::Missing));
        assert_eq!(check("   ", BODY), Err(SignatureError::Missing));
    }

    #[test]
    fn malformed_headers() {
        let signature = v1_of(&sign(BODY, SECRET, NOW)).to_owned();
        for header in [
            format!("t=abc,v1={signature}"),
            format!("t=,v1={signature}"),
            format!("v1={signature}"),
            format!("t={NOW}"),
            format!("t={NOW},v0={signature}"),
            format!("t={NOW},t={NOW},v1={signature}"),
            "garbage".to_owned(),
            ",,,".to_owned(),
        ] {
            assert_eq!(check(&header, BODY), Err(SignatureError::Malformed), "{header}");
        }
    }

    #[test]
    fn any_matching_v1_is_enough() {
        let signature = v1_of(&sign(BODY, SECRET, NOW)).to_owned();
        let stale_secret = v1_of(&sign(BODY, "whsec_rolled_secret", NOW)).to_owned();
        let header = format!("t={NOW},v1={stale_secret},v1={signature},v0=6ffbb59b2300aae63f27240");
        assert_eq!(check(&header, BODY), Ok(()));
        let spaced = format!(" t={NOW}, v1={signature} ");
        assert_eq!(check(&spaced, BODY), Ok(()));
    }

    const CHECKOUT_COMPLETED: &str = r#"{
      "id": "evt_1QZ5xCLkdIwHu7ix3yB9aF0c",
      "object": "event",
      "api_version": "2024-06-20",
      "created": 1765734000,
      "data": {
        "object": {
          "id": "cs_live_a1B2c3D4e5F6g7H8i9J0",
          "object": "checkout.session",
          "amount_total": 1200,
          "currency": "eur",
          "customer": "cus_RbCdEfGhIjKlMn",
          "customer_details": {
            "address": { "country": "DE", "postal_code": "10115" },
            "email": "  Ada.Lovelace@Example.ORG ",
            "name": "Ada Lovelace",
            "phone": null,
            "tax_exempt": "none"
          },
          "customer_email": null,
          "livemode": true,
          "metadata": { "plan": "yearly", "source": "pricing-page" },
          "mode": "subscription",
          "payment_status": "paid",
          "status": "complete",
          "subscription": "sub_1QZ5x9LkdIwHu7ixW3b4c5d6"
        }
      },
      "livemode": true,
      "pending_webhooks": 1,
      "request": { "id": null, "idempotency_key": null },
      "type": "checkout.session.completed"
    }"#;

    #[test]
    fn checkout_completed() {
        assert_eq!(
            parse_event(CHECKOUT_COMPLETED.as_bytes()),
            Ok(Event::CheckoutCompleted {
                event_id: "evt_1QZ5xCLkdIwHu7ix3yB9aF0c".to_owned(),
                email: "ada.lovelace@example.org".to_owned(),
                customer: Some("cus_RbCdEfGhIjKlMn".to_owned()),
                subscription: Some("sub_1QZ5x9LkdIwHu7ixW3b4c5d6".to_owned()),
                plan: Some("yearly".to_owned()),
            })
        );
    }

    #[test]
    fn checkout_completed_one_time_payment_with_customer_email_fallback() {
        let body = r#"{
          "id": "evt_3",
          "object": "event",
          "type": "checkout.session.completed",
          "data": { "object": {
            "id": "cs_test_b2",
            "object": "checkout.session",
            "customer": null,
            "customer_details": { "email": null, "name": null },
            "customer_email": "Grace@Example.com",
            "metadata": {},
            "mode": "payment",
            "subscription": null
          } }
        }"#;
        assert_eq!(
            parse_event(body.as_bytes()),
            Ok(Event::CheckoutCompleted {
                event_id: "evt_3".to_owned(),
                email: "grace@example.com".to_owned(),
                customer: None,
                subscription: None,
                plan: None,
            })
        );
    }

    #[test]
    fn checkout_with_expanded_customer_and_numeric_plan() {
        let body = r#"{"id":"evt_4","type":"checkout.session.completed","data":{"object":{
          "customer_details":{"email":"x@y.z"},
          "customer":{"id":"cus_X","object":"customer"},
          "subscription":{"id":"sub_Y","object":"subscription"},
          "metadata":{"plan":12}}}}"#;
        assert_eq!(
            parse_event(body.as_bytes()),
            Ok(Event::CheckoutCompleted {
                event_id: "evt_4".to_owned(),
                email: "x@y.z".to_owned(),
                customer: Some("cus_X".to_owned()),
                subscription: Some("sub_Y".to_owned()),
                plan: None,
            })
        );
    }

    #[test]
    fn checkout_without_email_is_an_error() {
        let body = r#"{"id":"evt_5","type":"checkout.session.completed","data":{"object":{
          "customer_details":{"email":"  "},"customer_email":null,"customer":"cus_1"}}}"#;
        assert!(parse_event(body.as_bytes()).is_err_and(|e| e.contains("email")));
        let no_object = r#"{"id":"evt_6","type":"checkout.session.completed","data":{}}"#;
        assert!(parse_event(no_object.as_bytes()).is_err());
    }

    const SUBSCRIPTION_DELETED: &str = r#"{
      "id": "evt_1QZ9aaLkdIwHu7ixK1l2m3n4",
      "object": "event",
      "api_version": "2024-06-20",
      "created": 1768412400,
      "data": {
        "object": {
          "id": "sub_1QZ5x9LkdIwHu7ixW3b4c5d6",
          "object": "subscription",
          "cancel_at_period_end": false,
          "canceled_at": 1768412400,
          "customer": "cus_RbCdEfGhIjKlMn",
          "ended_at": 1768412400,
          "items": { "object": "list", "data": [ { "id": "si_Ra1", "price": { "id": "price_1Q" } } ] },
          "metadata": {},
          "status": "canceled"
        }
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": { "id": null, "idempotency_key": null },
      "type": "customer.subscription.deleted"
    }"#;

    #[test]
    fn subscription_deleted() {
        assert_eq!(
            parse_event(SUBSCRIPTION_DELETED.as_bytes()),
            Ok(Event::SubscriptionEnded {
                event_id: "evt_1QZ9aaLkdIwHu7ixK1l2m3n4".to_owned(),
                customer: Some("cus_RbCdEfGhIjKlMn".to_owned()),
                subscription: "sub_1QZ5x9LkdIwHu7ixW3b4c5d6".to_owned(),
            })
        );
    }

    fn subscription_updated(status: &str) -> String {
        format!(
            r#"{{"id":"evt_7","object":"event","type":"customer.subscription.updated",
               "data":{{"object":{{"id":"sub_9","object":"subscription","customer":"cus_9","status":"{status}"}},
                        "previous_attributes":{{"status":"active"}}}}}}"#
        )
    }

    #[test]
    fn subscription_updated_to_an_ending_status() {
        for status in ["canceled", "unpaid", "incomplete_expired"] {
            assert_eq!(
                parse_event(subscription_updated(status).as_bytes()),
                Ok(Event::SubscriptionEnded {
                    event_id: "evt_7".to_owned(),
                    customer: Some("cus_9".to_owned()),
                    subscription: "sub_9".to_owned(),
                }),
                "{status}"
            );
        }
    }

    #[test]
    fn subscription_updated_while_still_running_is_other() {
        for status in ["active", "past_due", "trialing"] {
            assert_eq!(
                parse_event(subscription_updated(status).as_bytes()),
                Ok(Event::Other {
                    event_id: "evt_7".to_owned(),
                    kind: "customer.subscription.updated".to_owned()
                })
            );
        }
    }

    #[test]
    fn subscription_deleted_without_id_is_an_error() {
        let body =
            r#"{"id":"evt_8","type":"customer.subscription.deleted","data":{"object":{"customer":"cus_1"}}}"#;
        assert!(parse_event(body.as_bytes()).is_err());
    }

    #[test]
    fn other_events() {
        let body = r#"{"id":"evt_9","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1"}}}"#;
        assert_eq!(
            parse_event(body.as_bytes()),
            Ok(Event::Other { event_id: "evt_9".to_owned(), kind: "invoice.paid".to_owned() })
        );
    }

    #[test]
    fn events_without_id_or_type_or_json_are_errors() {
        assert_eq!(parse_event(br#"{"type":"invoice.paid"}"#), Err("event has no id".to_owned()));
        assert_eq!(parse_event(br#"{"id":"evt_1","type":""}"#), Err("event has no type".to_owned()));
        assert_eq!(parse_event(br#"{"id":17,"type":"invoice.paid"}"#), Err("event has no id".to_owned()));
        assert!(parse_event(b"not json").is_err());
        assert!(parse_event(b"[]").is_err());
        assert!(parse_event(b"").is_err());
    }
}
