//! Sharing one item at a time.

pub mod api;
pub mod items;
pub mod pages;
pub mod service;
pub mod store;
