//! Recordings: what a member watches, and how a coach describes them.

pub mod coach;
pub mod pages;
pub mod rules;
pub mod store;
