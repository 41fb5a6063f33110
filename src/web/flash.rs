//! One-off messages shown after a redirect ("Your entry is saved."). Each
//! feature declares its own messages as `Flash` constants and lists them in
//! its `FLASHES`; `app` gathers the lists. The cookie carries only a code, so
//! nothing a page shows can be planted from outside.

use std::collections::HashMap;
use std::sync::Arc;

use axum::response::{IntoResponse, Redirect, Response};

use super::cookies;

pub const FLASH_COOKIE: &str = "sb_flash";

/// Beside a message that something was deleted: the id that undoes it, which
/// only the member who deleted it can use (see `features::undo`).
pub const UNDO_COOKIE: &str = "sb_undo";

/// A message and the short code its cookie carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flash {
    pub code: &'static str,
    pub text: &'static str,
}

impl Flash {
    pub const fn new(code: &'static str, text: &'static str) -> Self {
        Flash { code, text }
    }
}

/// Said after any sign-in, including one that carried writing back to its tool.
pub const SIGNED_IN: Flash = Flash::new("signed-in", "You are signed in.");

/// The messages web/ itself sends.
pub const FLASHES: &[Flash] = &[SIGNED_IN];

/// Every feature's messages by code (an extension on every request).
#[derive(Debug, Clone, Default)]
pub struct FlashMessages(Arc<HashMap<&'static str, &'static str>>);

impl FlashMessages {
    /// Gather the lists. Two messages with one code are a mistake in the code,
    /// so this refuses them at start rather than show the wrong words.
    pub fn new(lists: impl IntoIterator<Item = &'static [Flash]>) -> Self {
        let mut map = HashMap::new();
        for flash in lists.into_iter().flatten() {
            let earlier = map.insert(flash.code, flash.text);
            assert!(earlier.is_none(), "two flash messages share the code {:?}", flash.code);
        }
        FlashMessages(Arc::new(map))
    }

    pub fn text(&self, code: &str) -> Option<&'static str> {
        self.0.get(code).copied()
    }
}

/// Redirect (303 See Other) and show a one-off message on the next page.
pub fn redirect_with_flash(to: &str, flash: &Flash) -> Response {
    redirect_with(to, flash, &cookies::clear_cookie(UNDO_COOKIE))
}

/// Redirect after a delete: the message, and an "Undo" beside it on the next
/// page for as long as `seconds` (the undo itself checks the time again).
pub fn redirect_with_undo(to: &str, flash: &Flash, undo_id: &str, seconds: i64) -> Response {
    redirect_with(to, flash, &cookies::set_cookie(UNDO_COOKIE, undo_id, Some(seconds)))
}

fn redirect_with(to: &str, flash: &Flash, undo_cookie: &str) -> Response {
    let mut response = cookies::with_cookie(
        Redirect::to(to).into_response(),
        &cookies::set_cookie(FLASH_COOKIE, flash.code, Some(60)),
    );
    cookies::append(&mut response, undo_cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_flash_codes_show_nothing() {
        const SAVED: Flash = Flash::new("saved", "Saved.");
        let messages = FlashMessages::new([FLASHES, &[SAVED][..]]);
        assert!(messages.text("<script>").is_none());
        assert_eq!(messages.text("saved"), Some("Saved."));
        assert_eq!(messages.text("signed-in"), Some(SIGNED_IN.text));
    }

    #[test]
    #[should_panic(expected = "share the code")]
    fn one_code_one_message() {
        const A: Flash = Flash::new("same", "One");
        const B: Flash = Flash::new("same", "Two");
        FlashMessages::new([&[A][..], &[B][..]]);
    }
}
