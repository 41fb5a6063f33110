//! Invitations to repair, with a promised return.

pub mod api;
pub mod pages;
pub mod service;
pub mod store;
