//! Linking with a partner, and unlinking.

pub mod api;
pub mod pages;
pub mod service;
pub mod store;
