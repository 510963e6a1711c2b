//! The commands the UI invokes, one file per area. Each translates its arguments, calls the core
//! and translates the answer; no product logic lives here.

pub mod about;
pub mod bundle;
pub mod cancel;
pub mod dialog;
pub mod directories;
pub mod discovery;
pub mod health;
pub mod mapping;
pub mod report;
pub mod scim;
pub mod setup;
pub mod signin;
