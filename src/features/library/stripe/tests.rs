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
