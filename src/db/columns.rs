//! Column helpers for the `Any` driver: new ids, JSON kept in a text column,
//! and lists bound for `IN (…)`.

use std::ops::{Deref, DerefMut};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

/// A new row id: UUIDv7 text, so ids sort by creation and reveal no count.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A value the server writes and reads whole as JSON in a `TEXT` column.
/// Writing fails with an error when the value cannot be serialised, and
/// reading fails when the text is not the value's JSON: never a silent `""`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct JsonText<T>(pub T);

impl<T> JsonText<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> JsonText<T> {
    /// Read JSON text that came back inside another column (a statement that
    /// puts several kinds of row in the same columns); `what` names it in
    /// the error.
    pub fn parse(text: &str, what: &str) -> Result<Self, sqlx::Error> {
        serde_json::from_str(text)
            .map(JsonText)
            .map_err(|e| sqlx::Error::Decode(format!("{what}: {e}").into()))
    }
}

impl<T> Deref for JsonText<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for JsonText<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> Type<Any> for JsonText<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl<T: Serialize> Encode<'_, Any> for JsonText<T> {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let text = serde_json::to_string(&self.0)?;
        <String as Encode<'_, Any>>::encode(text, buf)
    }
}

impl<'r, T: DeserializeOwned> Decode<'r, Any> for JsonText<T> {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Any>>::decode(value)?;
        Ok(JsonText(serde_json::from_str(text)?))
    }
}

/// `$first, $first+1, …` for `count` values, to write `IN (…)` with every
/// value bound (only these numbered placeholders are ever spliced into SQL).
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Bind each value of a list, in order, after what is bound already.
pub trait BindAll<'q>: Sized {
    fn bind_one(self, value: &'q str) -> Self;
    fn bind_all<S: AsRef<str>>(self, values: &'q [S]) -> Self {
        values.iter().fold(self, |q, v| q.bind_one(v.as_ref()))
    }
}

impl<'q> BindAll<'q> for sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    fn bind_one(self, value: &'q str) -> Self {
        self.bind(value)
    }
}

impl<'q, O> BindAll<'q> for sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments> {
    fn bind_one(self, value: &'q str) -> Self {
        self.bind(value)
    }
}

impl<'q, O> BindAll<'q> for sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments> {
    fn bind_one(self, value: &'q str) -> Self {
        self.bind(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_from_where_the_query_is() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 1), "$1");
        assert_eq!(placeholders(5, 0), "");
    }

    #[test]
    fn ids_are_distinct_uuids_in_order() {
        let (a, b) = (new_id(), new_id());
        assert!(uuid::Uuid::parse_str(&a).is_ok());
        assert!(a < b, "{a} then {b}");
    }
}
