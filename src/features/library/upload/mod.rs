//! Uploading recordings (tus 1.0), for coaches.

pub mod rules;
pub mod store;
pub mod tus;
