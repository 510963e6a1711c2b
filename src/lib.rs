//! SSO Console core: everything the product knows about directory connections, with no window
//! and no Tauri. The desktop app, the `ssoctl` command line and the tests all drive this crate,
//! mainly through [`workspace::Workspace`].

pub mod browser;
pub mod bundle;
pub mod claims;
pub mod digest;
pub mod directory;
pub mod discovery;
pub mod error_kind;
pub mod expiry;
pub mod files;
pub mod findings;
pub mod html;
pub mod http;
pub mod ids;
pub mod logging;
pub mod logo;
pub mod mapping;
mod parallel;
pub mod presets;
pub mod report;
pub mod routing;
pub mod scim;
pub mod secrets;
pub mod sensitive;
pub mod signin;
pub mod store;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;
pub mod workspace;

pub use workspace::{Workspace, WorkspaceError};

/// The product version, the workspace's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit this build comes from (short hash), or "unknown" (see build.rs).
pub const COMMIT: &str = env!("SSO_CONSOLE_COMMIT");

/// `0.1.0 (commit 1a2b3c4d5e6f)`: what `ssoctl --version` and the app's log say.
pub const VERSION_LINE: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SSO_CONSOLE_COMMIT"),
    ")"
);
