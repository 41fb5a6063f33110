//! A member's own place in the library: resume, completion, notes.

pub mod pages;
pub mod store;
