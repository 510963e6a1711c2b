//! Every `ssoctl` example of the README, run as written against real peers on 127.0.0.1: the
//! README's own words must work. Each example runs with its optional parts filled in, its
//! example hosts replaced by a local OpenID provider and a local SCIM server, and its files
//! prepared; before each one, the directory the examples name exists (or, for `dir create`,
//! does not yet).

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::fixtures::{document, fixture};
use crate::oidc_provider::OidcProvider;
use crate::scim_support::ScimServer;

const NAME: &str = "Contoso staff";

/// The lines of the README's `ssoctl` code block.
fn examples() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## `ssoctl`\n")
        .nth(1)
        .expect("the README has an ssoctl section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the ssoctl section has a sh block");
    block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ssoctl "))
        .map(str::to_owned)
        .collect()
}

/// The example with its optional parts filled in and its placeholders made local.
fn localised(example: &str, issuer: &str, scim: &str) -> String {
    let host = issuer.trim_start_matches("http://");
    example
        .replace(['[', ']'], "")
        .replace("--search TEXT", "--search contoso")
        .replace("--timeout 300", "--timeout 1")
        // A choice, not a pipe: JSON, which the next example's `report show` reads back.
        .replace("--format html|json", "--format json")
        .replace("--format markdown|html", "--format html")
        .replace("--url URL", &format!("--url {scim}"))
        .replace(
            "login.microsoftonline.com/<tenant>/v2.0",
            &format!("http://{host}"),
        )
        .replace("https://scim.example.com/scim/v2", scim)
}

fn shell(work: &Path, data: &Path, line: &str) -> std::process::Output {
    let ssoctl = assert_cmd::cargo::cargo_bin("ssoctl");
    let bin_dir = ssoctl.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(work)
        .env("PATH", path)
        .env("SSO_CONSOLE_DATA_DIR", data)
        .output()
        .expect("sh runs")
}

#[test]
fn every_ssoctl_example_in_the_readme_works() {
    let examples = examples();
    assert!(examples.len() >= 15, "{examples:?}");
    let op = OidcProvider::start(json!({ "clients": [] }));
    let scim = ScimServer::start();
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();

    // The files the examples name. contoso.json has no logo: `dir create` takes --logo, and
    // `dir update` keeps the stored one.
    let mut doc = serde_json::to_value(document(NAME)).unwrap();
    doc["logo_png_base64"] = "".into();
    doc["domain_suffixes"] = json!(["example.org"]);
    // Everything the examples reach is on 127.0.0.1 (oidc-provider's default paths).
    let issuer = &op.issuer;
    doc["issuer"] = issuer.as_str().into();
    doc["authorization_url"] = format!("{issuer}/auth").into();
    doc["token_url"] = format!("{issuer}/token").into();
    doc["userinfo_url"] = format!("{issuer}/me").into();
    doc["jwks_uri"] = format!("{issuer}/jwks").into();
    std::fs::write(
        w.join("contoso.json"),
        serde_json::to_vec_pretty(&doc).unwrap(),
    )
    .unwrap();
    std::fs::copy(fixture("logo-245x36.png"), w.join("logo.png")).unwrap();
    std::fs::write(w.join("secret.txt"), "readme-secret\n").unwrap();
    std::fs::write(w.join("passphrase.txt"), "a passphrase for the README\n").unwrap();
    std::fs::write(
        w.join("claims.json"),
        r#"{"sub": "u-1", "email": "someone@example.org", "given_name": "Some", "family_name": "One"}"#,
    )
    .unwrap();
    for (file, command) in [
        (
            "mappings.json",
            "ssoctl scim template entra-default > mappings.json",
        ),
        (
            "user.json",
            "ssoctl scim sample entra-adele-vance > user.json",
        ),
    ] {
        let out = shell(w, data.path(), command);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let exists = |data: &Path| {
        shell(w, data, &format!("ssoctl dir show \"{NAME}\""))
            .status
            .success()
    };
    let create =
        "ssoctl dir create --file contoso.json --logo logo.png --client-secret-stdin < secret.txt";
    for example in &examples {
        let line = localised(example, &op.issuer, &scim.base_url);
        let creates = example.starts_with("ssoctl dir create");
        if creates && exists(data.path()) {
            let out = shell(w, data.path(), &format!("ssoctl dir delete \"{NAME}\""));
            assert!(out.status.success());
        } else if !creates && !exists(data.path()) {
            let out = shell(w, data.path(), create);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // The token is read from standard input, as the example's flag says.
        let line = if line.contains("--token-stdin") {
            format!("printf '%s\\n' '{}' | {line}", scim.token)
        } else {
            line
        };
        let out = shell(w, data.path(), &line);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if example.starts_with("ssoctl test ") {
            // Nobody signs in within the second: exit 1 with advice that fits --no-browser.
            assert_eq!(out.status.code(), Some(1), "{line}\n{stdout}\n{stderr}");
            assert!(
                stdout.contains("nobody completed the sign-in"),
                "{line}: {stdout}"
            );
            assert!(
                !stdout.contains("browser window that opened"),
                "{line}: {stdout}"
            );
            // People's words, not the code's.
            for code_name in ["NotRequested", "step Browser", "FAILED at"] {
                assert!(
                    !stdout.contains(code_name),
                    "{line}: {code_name} in {stdout}"
                );
            }
            assert!(
                stdout.contains("Sign-in in the browser"),
                "{line}: {stdout}"
            );
        } else if example.starts_with("ssoctl health ") && line.contains("--probe-secret") {
            // The local provider has no client for the README's directory: it refuses the
            // secret, and health says so with exit 1.
            assert_eq!(out.status.code(), Some(1), "{line}\n{stdout}\n{stderr}");
            assert!(stdout.contains("secret refused"), "{line}: {stdout}");
        } else {
            assert!(
                out.status.success(),
                "the README's example fails: {example}\nrun as: {line}\n{stdout}\n{stderr}"
            );
        }
    }
}
