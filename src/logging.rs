//! Diagnostic logging through `tracing`, to standard error. Secrets never reach it: they are held
//! in [`crate::secrets::SecretString`], which prints as `<redacted>`.

/// Starts logging at `default_level` unless `RUST_LOG` says otherwise. Calling it twice is harmless.
pub fn init(default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
