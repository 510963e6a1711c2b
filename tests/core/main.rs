//! Integration tests of the core against real peers: a real SQLite file, the real OS keyring
//! (run them inside `scripts/with-test-session.sh`, which starts a private Secret Service), and
//! the real `ssoctl` binary.

mod browser;
mod bundle;
mod crash_safety;
mod discovery;
mod django_peer;
mod drift;
mod exit_codes;
mod fixtures;
mod health;
mod layers;
mod network_policy;
mod oidc_provider;
mod properties;
mod readme;
mod report;
mod report_html;
mod routing;
mod scim_faults;
mod scim_live;
mod scim_ssoctl;
mod scim_store;
mod scim_support;
mod secrets;
mod setup;
mod signin;
mod signin_faults;
mod slow_keyring;
mod ssoctl;
mod store;
mod stub_http;
mod time_zone;
mod tls;
