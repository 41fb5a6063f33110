//! The journal's part in writing carried through sign-in: a form posted after
//! the session ended rides through the sign-in page (no JavaScript needed),
//! and once the member is back it becomes their draft.

use axum::http::StatusCode;
use axum::response::Response;

use super::form::{FormState, form_page};
use super::rules::{DraftFor, EntryInput};
use super::service;
use crate::state::AppState;
use crate::web::carry::{Carried, KeepFuture, Keeper};
use crate::web::flash::SIGNED_IN;
use crate::web::forms::normalise_newlines;
use crate::web::{AppError, CurrentUser, Layout, MaybeUser, redirect_with_flash, render_with_status};

/// Which keeper takes journal writing carried through sign-in.
pub const CARRY_KIND: &str = "journal";

/// The journal's keeper (listed by `app`).
pub const CARRY_KEEPER: Keeper = Keeper { kind: CARRY_KIND, keep: keep_carried };

/// A journal form's fields as they ride through the sign-in form.
/// `owner` is the member the form was shown to: the text is kept only in their
/// account, never in whichever account signs in next on a shared device.
pub fn carry(owner: &str, draft: &DraftFor, input: &EntryInput, version: Option<i64>) -> Carried {
    Carried::new(CARRY_KIND)
        .with("owner", owner)
        .with("entry", draft.entry_id().unwrap_or_default())
        .with("draft", draft.extra_slot().unwrap_or_default())
        .with("prompt_id", input.prompt_id.as_str())
        .with("title", input.title.as_str())
        .with("version", version.map(|v| v.to_string()).unwrap_or_default())
        .shown("body", "What you were writing", input.body.as_str())
}

/// The journal form carried through sign-in, read back.
pub struct CarriedEntry {
    /// The member the form was shown to.
    pub owner: String,
    /// The entry's changes, or a new entry's slot (the first when the slot
    /// came back as something that is not one of ours).
    pub draft: DraftFor,
    pub version: Option<i64>,
    pub input: EntryInput,
}

pub fn from_carried(c: &Carried) -> CarriedEntry {
    let get = |name| c.get(name).unwrap_or_default().to_owned();
    CarriedEntry {
        owner: get("owner"),
        draft: DraftFor::named(Some(&get("entry")), Some(&get("draft"))).unwrap_or_else(DraftFor::new_entry),
        version: get("version").parse().ok(),
        input: EntryInput {
            prompt_id: get("prompt_id"),
            title: get("title"),
            body: normalise_newlines(&get("body")),
        },
    }
}

fn keep_carried(state: AppState, user: CurrentUser, carried: Carried) -> KeepFuture {
    Box::pin(async move { keep_after_sign_in(&state, &user, &carried).await })
}

const KEPT_BUT_INVALID: &str = "You are signed in again. Your text is below, just as you wrote it, \
     but it cannot be saved until the problem marked below is put right.";

/// After signing in with writing carried through the sign-in form: keep it as
/// the member's draft and open the form with it, or, when it cannot be kept as
/// it is (too long, say), show it back in the form with the problem named.
pub async fn keep_after_sign_in(
    state: &AppState,
    user: &CurrentUser,
    carried: &Carried,
) -> Result<Response, AppError> {
    let CarriedEntry { owner, draft, version: carried_version, input } = from_carried(carried);
    if owner != user.id {
        // Written by someone else at this device: kept in no other account.
        return Ok(redirect_with_flash("/practice/journal", &SIGNED_IN));
    }
    let saved = match service::save_draft(state, &user.id, &draft, &input, carried_version).await {
        // The entry was deleted meanwhile: the words become a new entry's
        // draft, in a slot of their own (a kept draft stays as it is).
        Err(AppError::NotFound) if draft.entry_id().is_some() => {
            let fresh = DraftFor::fresh();
            service::save_draft(state, &user.id, &fresh, &input, None).await.map(|_| fresh)
        }
        other => other.map(|_| draft.clone()),
    };
    match saved {
        Ok(kept) => {
            let form = kept.form_url();
            let then = if form.contains('?') { '&' } else { '?' };
            Ok(redirect_with_flash(&format!("{form}{then}kept=1"), &SIGNED_IN))
        }
        Err(AppError::Validation(errors)) => {
            let entry_id = draft.entry_id();
            let (id, version) = match entry_id {
                Some(id) => (Some(id.to_owned()), carried_version.unwrap_or_default()),
                None => (None, 0),
            };
            let path = id.as_ref().map_or_else(
                || "/practice/journal/new".to_owned(),
                |i| format!("/practice/journal/{i}/edit"),
            );
            let layout =
                Layout::for_state(state, &MaybeUser(Some(user.clone())), &path, Some(SIGNED_IN.text));
            let f = FormState {
                errors,
                kept_notice: Some(KEPT_BUT_INVALID),
                new_draft: draft.clone(),
                ..FormState::new(id, version, input)
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(state, layout, user, f).await?)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_writing_rides_through_sign_in_whole() {
        let input = EntryInput { prompt_id: "p".into(), title: "T".into(), body: "a\r\nb".into() };
        let back = from_carried(&carry("u1", &DraftFor::Entry("e1".into()), &input, Some(3)));
        assert_eq!(back.owner, "u1");
        assert_eq!(back.draft, DraftFor::Entry("e1".into()));
        assert_eq!(back.version, Some(3));
        assert_eq!(
            (back.input.prompt_id.as_str(), back.input.title.as_str(), back.input.body.as_str()),
            ("p", "T", "a\nb")
        );
        let new = from_carried(&carry("u1", &DraftFor::new_entry(), &input, None));
        assert!(new.draft == DraftFor::new_entry() && new.version.is_none());
        let beside = DraftFor::fresh();
        assert_eq!(
            from_carried(&carry("u1", &beside, &input, None)).draft,
            beside,
            "a slot of its own rides too"
        );
    }
}
