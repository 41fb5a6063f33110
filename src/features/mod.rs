//! One folder per capability; each exposes `router()`.

pub mod accounts;
pub mod admin;
pub mod assess;
pub mod home;
pub mod learn;
pub mod library;
pub mod notices;
pub mod practice;
pub mod privacy;
pub mod together;
pub mod undo;
