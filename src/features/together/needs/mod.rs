//! Naming a need, and answering one.

pub mod api;
pub mod pages;
pub mod service;
pub mod store;
