//! Selling access: the payment provider's webhook (Stripe's format). The
//! signature is checked before anything is read; each event is handled once.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::store::{self, BY_PAYMENT, Grant};
use crate::features::library::stripe::{self, Event, SignatureError};
use crate::mail::Content;
use crate::state::AppState;
use crate::web::AppError;

/// How far a signed timestamp may be from our clock.
pub const TOLERANCE_SECONDS: i64 = 300;

/// What a plan's name in the checkout's metadata grants, in days; `None`
/// for the configured default. A subscription has no end of its own: it ends
/// when the provider says it was cancelled or lapsed.
pub fn plan_days(plan: Option<&str>, default_days: i64) -> i64 {
    match plan.map(str::trim) {
        Some("month" | "monthly") => 31,
        Some("quarter" | "quarterly") => 92,
        Some("year" | "yearly" | "annual") => 366,
        Some(p) => p
            .strip_suffix('d')
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| (1..=3660).contains(n))
            .unwrap_or(default_days),
        None => default_days,
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    crate::web::plain_answer(status, text)
}

/// The payment provider's events (Stripe's format, signed with the endpoint
/// secret in `Stripe-Signature`): a completed checkout grants a membership, a
/// cancelled or lapsed subscription ends it. Each event is handled once.
#[utoipa::path(post, path = "/api/v1/library/payments/stripe", tag = "library",
    request_body(content = String, content_type = "application/json"),
    responses((status = 200, description = "handled, or handled before"), (status = 400, description = "bad signature or event"),
        (status = 404, description = "payments are not set up")))]
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(secret) = &state.config.library.payment_webhook_secret else {
        return Ok(plain(StatusCode::NOT_FOUND, "payments are not set up on this instance"));
    };
    let now = crate::clock::now();
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    if let Err(e) = stripe::verify(header, &body, secret.expose(), now, TOLERANCE_SECONDS) {
        let why = match e {
            SignatureError::Missing => "missing Stripe-Signature header",
            SignatureError::Malformed => "malformed Stripe-Signature header",
            SignatureError::Stale => "signature timestamp outside the tolerance",
            SignatureError::Mismatch => "signature does not match",
        };
        tracing::warn!(reason = why, "payment webhook refused");
        return Ok(plain(StatusCode::BAD_REQUEST, why));
    }
    let event = match stripe::parse_event(&body) {
        Ok(event) => event,
        Err(reason) => {
            tracing::warn!(%reason, "payment webhook event not understood");
            return Ok(plain(StatusCode::BAD_REQUEST, "event not understood"));
        }
    };
    let (event_id, kind) = match &event {
        Event::CheckoutCompleted { event_id, .. } => (event_id.clone(), "checkout.completed"),
        Event::SubscriptionEnded { event_id, .. } => (event_id.clone(), "subscription.ended"),
        Event::Other { event_id, .. } => (event_id.clone(), "other"),
    };
    let mut tx = state.db.begin().await?;
    if !store::first_time_event(&mut *tx, &event_id, kind, now).await? {
        return Ok(plain(StatusCode::OK, "already handled"));
    }
    match event {
        Event::CheckoutCompleted { email, customer, subscription, plan, .. } => {
            // One-time payments last the plan's days; subscriptions until they end.
            let expires_at = match subscription {
                Some(_) => None,
                None => Some(now + plan_days(plan.as_deref(), state.config.library.membership_days) * 86_400),
            };
            match store::confirmed_account_by_email(&state.db, &email).await? {
                Some(member_id) => {
                    let g = Grant {
                        member_id: &member_id,
                        source: BY_PAYMENT,
                        expires_at,
                        customer_ref: customer.as_deref(),
                        subscription_ref: subscription.as_deref(),
                        now,
                    };
                    store::grant(&mut *tx, g).await?;
                    let mail = welcome(&state, true);
                    queue_mail(&mut tx, &state, Some(&member_id), &email, mail, &event_id).await?;
                }
                None => {
                    store::keep_pending(
                        &mut *tx,
                        &email,
                        expires_at,
                        customer.as_deref(),
                        subscription.as_deref(),
                        now,
                    )
                    .await?;
                    let mail = welcome(&state, false);
                    queue_mail(&mut tx, &state, None, &email, mail, &event_id).await?;
                }
            }
            tx.commit().await?;
            state.wake_worker.notify_one();
        }
        Event::SubscriptionEnded { subscription, .. } => {
            store::end_subscription(&mut tx, &subscription, now).await?;
            tx.commit().await?;
        }
        Event::Other { .. } => tx.commit().await?,
    }
    Ok(plain(StatusCode::OK, "ok"))
}

/// The mail after a payment: it names the library, not the person.
fn welcome(state: &AppState, has_account: bool) -> Content {
    let base = state.config.base_url();
    let (paragraph, action) = if has_account {
        (
            "Your membership of the library is ready. Sign in to watch.",
            ("Open the library".to_owned(), format!("{base}/library")),
        )
    } else {
        (
            "Your membership of the library is ready. Create your account with this address (or sign in, if you already have one) and confirm the address; the library opens as soon as you do.",
            ("Create your account".to_owned(), format!("{base}/signup")),
        )
    };
    Content {
        subject: "Your library membership".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![paragraph.into()],
        action: Some(action),
        after: vec!["If you did not expect this mail, you can ignore it.".into()],
        footer: "You get this mail because this address was given when paying for a library membership."
            .into(),
    }
}

async fn queue_mail(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    member_id: Option<&str>,
    email: &str,
    content: Content,
    event_id: &str,
) -> Result<(), AppError> {
    let message =
        content.render(&state.config.instance_name, email).map_err(|e| AppError::Internal(e.into()))?;
    crate::jobs::mail::send(&mut **tx, member_id, message, format!("library-payment:{event_id}")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_name_their_days() {
        assert_eq!(plan_days(Some("month"), 365), 31);
        assert_eq!(plan_days(Some("year"), 30), 366);
        assert_eq!(plan_days(Some("90d"), 365), 90);
        assert_eq!(plan_days(Some("0d"), 365), 365);
        assert_eq!(plan_days(Some("whatever"), 365), 365);
        assert_eq!(plan_days(None, 200), 200);
    }
}
