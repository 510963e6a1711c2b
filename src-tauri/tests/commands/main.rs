//! Tests of the command layer as the UI reaches it: each command invoked through Tauri's IPC on
//! the mock runtime (no window, no display), over a real workspace in a temporary folder. None
//! of them uses the keyring or the network.

mod arguments;
mod bundle;
mod errors;
mod mock_app;
mod permissions;
mod report;
mod setup;
