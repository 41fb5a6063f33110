//! Writing carried through sign-in. When a form arrives after its session has
//! ended, the feature that owns the form answers with `sign_in_to_keep`: a 401
//! that carries the fields. The accounts feature turns it into the sign-in page
//! holding the text (`accounts::carry`), and once the member has signed in it
//! hands the fields to the feature's `Keeper`, found by `kind`. Neither
//! feature knows the other: `app` lists the keepers.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{AppError, CurrentUser};
use crate::state::AppState;

/// One field of the carried form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedField {
    pub name: String,
    pub value: String,
    /// Shown to the member, read-only, with this label; otherwise it rides hidden.
    pub label: Option<String>,
}

/// A form's fields, on their way through sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    /// Which keeper takes it after sign-in ("journal").
    pub kind: String,
    pub fields: Vec<CarriedField>,
}

const KIND: &str = "carry_kind";
const FIELD: &str = "carry.";
const LABEL: &str = "carry_label.";

impl Carried {
    pub fn new(kind: &str) -> Self {
        Carried { kind: kind.to_owned(), fields: Vec::new() }
    }

    /// Add a hidden field.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.fields.push(CarriedField { name: name.to_owned(), value: value.into(), label: None });
        self
    }

    /// Add a field the member sees while signing in.
    pub fn shown(mut self, name: &str, label: &str, value: impl Into<String>) -> Self {
        self.fields.push(CarriedField {
            name: name.to_owned(),
            value: value.into(),
            label: Some(label.to_owned()),
        });
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.name == name).map(|f| f.value.as_str())
    }

    /// Read the carried fields back out of a posted sign-in form, if it has any.
    pub fn from_pairs(pairs: &[(String, String)]) -> Option<Carried> {
        let kind = pairs.iter().find(|(k, _)| k == KIND).map(|(_, v)| v.clone())?;
        let mut carried = Carried::new(&kind);
        for (k, v) in pairs {
            if let Some(name) = k.strip_prefix(FIELD) {
                let label = pairs
                    .iter()
                    .find(|(l, _)| l.strip_prefix(LABEL) == Some(name))
                    .map(|(_, label)| label.clone());
                carried.fields.push(CarriedField { name: name.to_owned(), value: v.clone(), label });
            }
        }
        Some(carried)
    }

    /// Form field names, for the sign-in page's template.
    pub fn kind_name(&self) -> &'static str {
        KIND
    }
}

impl CarriedField {
    pub fn input_name(&self) -> String {
        format!("{FIELD}{}", self.name)
    }
    pub fn label_name(&self) -> String {
        format!("{LABEL}{}", self.name)
    }
}

/// The answer to a form that arrived without a session: 401, carrying the
/// fields for the sign-in page. Without the accounts layer it is an ordinary
/// "please sign in".
pub fn sign_in_to_keep(carried: Carried) -> Response {
    let mut response = AppError::Unauthorized.into_response();
    response.extensions_mut().insert(carried);
    debug_assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    response
}

/// The carried fields of a response, if it is a `sign_in_to_keep`.
pub fn carried_in(response: &Response) -> Option<&Carried> {
    response.extensions().get::<Carried>()
}

pub type KeepFuture = Pin<Box<dyn Future<Output = Result<Response, AppError>> + Send>>;

/// What a feature does with its carried fields once the member has signed in:
/// keep them (as a draft, say) and answer with where to go next.
#[derive(Clone, Copy)]
pub struct Keeper {
    pub kind: &'static str,
    pub keep: fn(AppState, CurrentUser, Carried) -> KeepFuture,
}

/// Every feature's keeper, listed by `app`.
#[derive(Clone, Default)]
pub struct Keepers(Arc<Vec<Keeper>>);

impl Keepers {
    pub fn new(keepers: Vec<Keeper>) -> Self {
        Keepers(Arc::new(keepers))
    }
    pub fn find(&self, kind: &str) -> Option<&Keeper> {
        self.0.iter().find(|k| k.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_fields_survive_the_sign_in_form() {
        let c = Carried::new("journal").with("entry", "e1").shown("body", "What you were writing", "a\nb");
        let mut pairs = vec![(KIND.to_owned(), c.kind.clone())];
        for f in &c.fields {
            pairs.push((f.input_name(), f.value.clone()));
            if let Some(l) = &f.label {
                pairs.push((f.label_name(), l.clone()));
            }
        }
        pairs.push(("email".into(), "a@b.c".into()));
        let back = Carried::from_pairs(&pairs).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.get("body"), Some("a\nb"));
        assert!(Carried::from_pairs(&[("email".into(), "a@b.c".into())]).is_none());
    }
}
