//! Securebase: a self-hostable platform for building secure attachment.

pub mod app;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod features;
pub mod instruments;
pub mod jobs;
pub mod mail;
pub mod media;
pub mod memory;
pub mod ops;
pub mod passwords;
pub mod server;
pub mod state;
pub mod web;
