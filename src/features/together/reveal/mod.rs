//! The mutual reveal.

pub mod api;
pub mod pages;
pub mod service;
pub mod store;
