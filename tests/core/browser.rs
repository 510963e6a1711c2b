//! The browser and the file manager the console starts: real processes (small shell scripts in
//! the places of `$BROWSER` and `xdg-open`) that write down what they were given. The app's own
//! settings for its web view (the JIT switch) never reach them.
//!
//! These tests change this process's environment (PATH, BROWSER), which is safe because the
//! test runner (cargo nextest) runs each test in a process of its own.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sso_console::browser;

/// A variable of this process meant for the app alone, as the shell's JIT switch is.
const OWN: &str = "SSO_CONSOLE_TEST_OWN_SETTING";

/// Writes an executable script `name` in `dir` that records its environment and arguments in
/// `<dir>/<name>.out` (all at once, so a reader never sees half), then exits with `status`. Its
/// commands are named by their full paths: some tests leave only `dir` on the PATH.
fn recorder(dir: &Path, name: &str, status: u8) -> PathBuf {
    let script = dir.join(name);
    let out = dir.join(format!("{name}.out"));
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n{{ /usr/bin/env; echo \"args: $*\"; }} > '{out}.part'\n/bin/mv '{out}.part' '{out}'\nexit {status}\n",
            out = out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    out
}

/// What the recorder wrote, waiting at most 10 s for it.
fn recorded(out: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(out) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} was never written", out.display());
}

/// The recorded program got `args`, the person's other variables, and not the app's own one.
fn assert_started_with(out: &Path, args: &str) {
    let seen = recorded(out);
    assert!(seen.contains(&format!("args: {args}")), "{seen}");
    assert!(seen.contains("SSO_CONSOLE_TEST_SHARED=kept"), "{seen}");
    assert!(!seen.contains(OWN), "{seen}");
}

fn set_up() -> tempfile::TempDir {
    std::env::set_var(OWN, "0");
    std::env::set_var("SSO_CONSOLE_TEST_SHARED", "kept");
    browser::keep_from_children(vec![OWN]);
    tempfile::tempdir().unwrap()
}

/// No `$BROWSER`, and only `dir` on the PATH: the system's openers are the scripts put there.
fn only_openers_in(dir: &Path) {
    std::env::remove_var("BROWSER");
    std::env::set_var("PATH", dir);
}

#[test]
fn the_browser_from_browser_gets_the_url_without_the_apps_own_variables() {
    let dir = set_up();
    let out = recorder(dir.path(), "browser", 0);
    std::env::set_var("BROWSER", dir.path().join("browser"));

    browser::open("http://127.0.0.1:9/authorize?state=s").unwrap();

    assert_started_with(&out, "http://127.0.0.1:9/authorize?state=s");
}

#[test]
fn the_system_opener_gets_the_folder_without_the_apps_own_variables() {
    let dir = set_up();
    let out = recorder(dir.path(), "xdg-open", 0);
    only_openers_in(dir.path());

    browser::open_folder(dir.path()).unwrap();

    assert_started_with(&out, &dir.path().display().to_string());
}

#[test]
fn an_opener_that_fails_lets_the_next_one_try_and_its_failure_is_told() {
    let dir = set_up();
    let first = recorder(dir.path(), "xdg-open", 4);
    only_openers_in(dir.path());

    // xdg-open fails and no other opener exists: its failure is the one reported.
    let error = browser::open_folder(dir.path()).unwrap_err();
    assert_eq!(error.to_string(), "xdg-open ended with exit status: 4");
    recorded(&first);

    // With gio there too, gio opens it.
    let second = recorder(dir.path(), "gio", 0);
    browser::open_folder(dir.path()).unwrap();
    assert!(recorded(&second).contains(&format!("args: open {}", dir.path().display())));
}

#[test]
fn without_any_opener_the_error_says_so() {
    let dir = set_up();
    only_openers_in(dir.path());

    let error = browser::open("http://127.0.0.1:9/").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot open the browser (xdg-open: "),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .ends_with("; open the sign-in URL yourself"),
        "{error}"
    );
}
