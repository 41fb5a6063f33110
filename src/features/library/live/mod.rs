//! Live group sessions: the schedule, RSVPs, calendars, reminders, and the
//! recording attached afterwards.

pub mod pages;
pub mod rules;
pub mod service;
pub mod store;
