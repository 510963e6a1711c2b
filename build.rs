//! Records the commit the core is built from, for `ssoctl --version` and the app's About
//! section: `SSO_CONSOLE_COMMIT` when set (a build from a source archive), else `git`'s short
//! hash of HEAD, else "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn main() {
    println!("cargo:rerun-if-env-changed=SSO_CONSOLE_COMMIT");
    let commit = std::env::var("SSO_CONSOLE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
            // Rebuild when HEAD moves: HEAD itself, and the branch file or packed refs it names.
            // Only files that exist: cargo takes a missing one as changed, and would rebuild the
            // crate on every command.
            if let (Some(dir), Some(common)) = (
                git(&["rev-parse", "--git-dir"]),
                git(&["rev-parse", "--git-common-dir"]),
            ) {
                let branch = git(&["symbolic-ref", "-q", "HEAD"]);
                let files = [
                    Some(format!("{dir}/HEAD")),
                    Some(format!("{common}/packed-refs")),
                    branch.map(|b| format!("{common}/{b}")),
                ];
                for file in files.into_iter().flatten() {
                    if std::path::Path::new(&file).exists() {
                        println!("cargo:rerun-if-changed={file}");
                    }
                }
            }
            Some(hash)
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SSO_CONSOLE_COMMIT={commit}");
}
