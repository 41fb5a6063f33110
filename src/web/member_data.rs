//! What each feature keeps of a member, declared by the feature itself: its
//! tables, how to remove the member's rows, and its sections of the export.
//! `app` lists the declarations; the privacy feature runs them for "export
//! everything" and "delete my account"; a test reads the schema on both
//! backends and fails when a table with a member column is in no declaration.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::AppError;
use crate::state::AppState;

pub type ExportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<(&'static str, serde_json::Value)>, AppError>> + Send + 'a>>;

#[derive(Clone, Copy)]
pub struct MemberData {
    pub feature: &'static str,
    /// Every table of this feature that holds a member's rows: `delete` empties
    /// them of the member, `export` reads them (unless listed in `not_exported`).
    pub tables: &'static [&'static str],
    /// Tables with member rows left out of the export, and why.
    pub not_exported: &'static [(&'static str, &'static str)],
    /// Statements run in this order, in one transaction with every other
    /// feature's, each binding the member's id as `$1`.
    pub delete: &'static [&'static str],
    /// This feature's sections of the export: (key, value) pairs.
    pub export: for<'a> fn(&'a AppState, &'a str) -> ExportFuture<'a>,
}

/// One section of the export, serialised (a failure is an error, never an empty value).
pub fn section(
    key: &'static str,
    value: &impl serde::Serialize,
) -> Result<(&'static str, serde_json::Value), AppError> {
    Ok((key, serde_json::to_value(value).map_err(|e| AppError::Internal(e.into()))?))
}

/// Every feature's declaration, in the order deletion runs them (the account
/// itself last).
#[derive(Clone)]
pub struct MemberDataRegistry(Arc<Vec<MemberData>>);

impl MemberDataRegistry {
    pub fn new(parts: Vec<MemberData>) -> Self {
        MemberDataRegistry(Arc::new(parts))
    }
    pub fn parts(&self) -> &[MemberData] {
        &self.0
    }
    /// Every table some feature declares.
    pub fn tables(&self) -> Vec<&'static str> {
        self.0.iter().flat_map(|p| p.tables.iter().copied()).collect()
    }
    /// Every table whose rows reach the export.
    pub fn exported_tables(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .flat_map(|p| p.tables.iter().copied().filter(|t| !p.not_exported.iter().any(|(n, _)| n == t)))
            .collect()
    }
}
