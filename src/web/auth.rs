//! Who is asking. A middleware (`accounts::sessions::load_session`) resolves the
//! session cookie once per request and leaves a `MaybeUser` in the request's
//! extensions; these extractors read it.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use serde::Serialize;

use super::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Coach,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Member, Role::Coach, Role::Admin];

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "member" => Some(Role::Member),
            "coach" => Some(Role::Coach),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Coach => "coach",
            Role::Admin => "admin",
        }
    }
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Coach | Role::Admin)
    }
}

/// A role as stored: anything unknown reads as a member, the least privileged.
impl From<String> for Role {
    fn from(s: String) -> Self {
        Role::parse(&s).unwrap_or(Role::Member)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in person and the session they are using.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub time_zone: String,
    pub session_id: String,
    /// Whether the member has confirmed their address (some things wait for it).
    pub email_verified: bool,
    /// When the account was made (Unix seconds).
    pub created_at: i64,
    /// Notices not read yet, for the header.
    pub unread_notices: i64,
    /// This session began on a device the account had not used before.
    pub on_new_device: bool,
    /// Linked with a partner (Together): pages offer sharing only then.
    pub partner_linked: bool,
    /// Holds a library membership at the moment of this request (read with
    /// the session, on every request).
    pub library_access: bool,
    /// The version of what the member's own pages are drawn from, read with
    /// the session on this request (None: not read, so nothing kept may be
    /// used).
    pub data_version: Option<i64>,
}

impl CurrentUser {
    /// Refuse, with a page that says why and offers a new link, until the
    /// member has confirmed their address. For what reaches another person.
    pub fn require_verified(&self, doing: &'static str) -> Result<(), super::AppError> {
        if self.email_verified { Ok(()) } else { Err(super::AppError::Unverified { doing }) }
    }

    /// Today's date (YYYY-MM-DD) where the member lives.
    pub fn today(&self) -> String {
        crate::clock::day_in_zone(crate::clock::now(), &self.time_zone)
    }
}

/// Set on a response by accounts when a session begins or ends, so features
/// that keep something in the browser can follow (learn forgets a visitor's
/// get-started answers) without accounts knowing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionChange {
    /// A sign-up: what a visitor kept in this browser goes into the new account,
    /// or (`None`, the address already had an account) is dropped, so that the
    /// two answers look the same.
    SignedUp {
        user_id: Option<String>,
    },
    /// An existing account signed in: what this browser kept belonged to a visitor.
    SignedIn {
        user_id: String,
    },
    SignedOut,
}

impl SessionChange {
    pub fn mark(self, mut response: axum::response::Response) -> axum::response::Response {
        response.extensions_mut().insert(self);
        response
    }
}

/// The session as resolved by the middleware: `None` for a visitor.
#[derive(Debug, Clone, Default)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(parts.extensions.get::<MaybeUser>().cloned().unwrap_or_default())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        MaybeUser::from_request_parts(parts, state).await?.0.ok_or(AppError::Unauthorized)
    }
}

/// A coach or an admin.
#[derive(Debug, Clone)]
pub struct RequireStaff(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireStaff {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role.is_staff() { Ok(RequireStaff(user)) } else { Err(AppError::Forbidden) }
    }
}

/// The instance owner.
#[derive(Debug, Clone)]
pub struct RequireAdmin(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireAdmin {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == Role::Admin { Ok(RequireAdmin(user)) } else { Err(AppError::Forbidden) }
    }
}

/// The value of one cookie, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; sb_session=abc; flash=saved".parse().unwrap());
        assert_eq!(cookie(&h, "sb_session"), Some("abc"));
        assert_eq!(cookie(&h, "flash"), Some("saved"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn roles_parse_and_rank() {
        assert_eq!(Role::parse("coach"), Some(Role::Coach));
        assert_eq!(Role::parse("owner"), None);
        assert!(Role::Admin.is_staff() && Role::Coach.is_staff() && !Role::Member.is_staff());
    }
}
