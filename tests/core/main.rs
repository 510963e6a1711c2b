//! Integration tests of the core against real peers: a real SQLite file, the real OS keyring
//! (run them inside `scripts/with-test-session.sh`, which starts a private Secret Service), and
//! the real `ssoctl` binary.

mod discovery;
mod fixtures;
mod oidc_provider;
mod secrets;
mod ssoctl;
mod store;
mod stub_http;
