//! SSO Console core: everything the product knows about directory connections, with no window
//! and no Tauri. The desktop app, the `ssoctl` command line and the tests all drive this crate,
//! mainly through [`workspace::Workspace`].

pub mod browser;
pub mod claims;
pub mod directory;
pub mod discovery;
pub mod expiry;
pub mod http;
pub mod logging;
pub mod logo;
pub mod mapping;
pub mod routing;
pub mod scim;
pub mod secrets;
pub mod signin;
pub mod store;
#[doc(hidden)]
pub mod testing;
pub mod workspace;

pub use workspace::{Workspace, WorkspaceError};
