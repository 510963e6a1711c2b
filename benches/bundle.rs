//! Benchmark: 10,000 directories (DESIGN §5, C13). A bundle of 10,000 directories (each with
//! a 2 KB logo, two domain suffixes and a staff rule) imported into an empty data folder, the list
//! and a search over them, the export of all of them, a plan of the same bundle again (every item
//! unchanged), and the folder for Git written. Through the workspace, as the app and `ssoctl`
//! do; no secret, so no keyring is needed. Then `ssoctl dir list --search` over the same data
//! folder, timed as a whole process. Prints figures; never fails a build:
//!
//!     cargo bench --bench bundle

use std::time::Instant;

use sso_console::bundle::plan::{Action, Choices};
use sso_console::bundle::{self, Contents};
use sso_console::directory::{DirectoryId, StaffRule};
use sso_console::Workspace;

const DIRECTORIES: usize = 10_000;
const ROUNDS: usize = 3;

fn contents() -> Contents {
    // The repository's 245×36 logo (2 KB, as a designer's export is), the same for each.
    let logo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logo-245x36.png"
    ))
    .unwrap();
    let logo = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, logo);
    let mut contents = Contents {
        app_version: sso_console::VERSION.to_owned(),
        ..Contents::default()
    };
    for i in 0..DIRECTORIES {
        let mut doc = sso_console::testing::directory_document(&format!("Customer {i:05}"));
        doc.id = Some(DirectoryId::new().to_string());
        doc.logo_png_base64 = logo.clone();
        doc.client_id = format!("client-{i}");
        doc.domain_suffixes = vec![format!("customer{i}.example"), format!("customer{i}.test")];
        doc.staff = StaffRule::ClaimEquals {
            claim: "roles".into(),
            value: "Staff".into(),
        };
        contents.directories.push(doc);
    }
    contents
}

fn seconds(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let bundle_file = bundle::file::write(&contents());
    println!(
        "bundle: {DIRECTORIES} directories, a file of {:.1} MiB (targets: export or import under 2 s, list and search under 50 ms, `ssoctl dir list --search` under 0.5 s)",
        bundle_file.len() as f64 / (1024.0 * 1024.0)
    );
    for round in 1..=ROUNDS {
        let data = tempfile::tempdir().unwrap();
        let ws = Workspace::open(data.path()).await.unwrap();

        let started = Instant::now();
        let parsed = bundle::file::parse(bundle_file.as_bytes()).unwrap();
        let (checked, plan) = ws.plan_import(parsed, None).await.unwrap();
        let planned = seconds(started);
        assert_eq!(plan.count(Action::Create), DIRECTORIES);
        let (_, outcome) = ws
            .apply_import(&checked, &Choices::default())
            .await
            .unwrap();
        let imported = seconds(started);
        assert_eq!(outcome.created, DIRECTORIES);

        let started = Instant::now();
        let listed = ws.list("").await.unwrap();
        let list = seconds(started);
        assert_eq!(listed.len(), DIRECTORIES);
        let started = Instant::now();
        let found = ws.list("customer4242.test").await.unwrap();
        let search = seconds(started);
        assert_eq!(found.len(), 1);

        let started = Instant::now();
        let exported = ws.export_bundle(&[], None).await.unwrap();
        let text = bundle::file::write(&exported);
        ws.mark_exported(&exported).await.unwrap();
        let export = seconds(started);
        assert_eq!(exported.directories.len(), DIRECTORIES);

        let started = Instant::now();
        let (_, again) = ws
            .plan_import(bundle::file::parse(text.as_bytes()).unwrap(), None)
            .await
            .unwrap();
        let replan = seconds(started);
        assert_eq!(again.count(Action::Unchanged), DIRECTORIES);

        let started = Instant::now();
        let searched = std::process::Command::new(env!("CARGO_BIN_EXE_ssoctl"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["dir", "list", "--search", "customer4242.test"])
            .output()
            .unwrap();
        let ssoctl_search = seconds(started);
        assert!(searched.status.success(), "{searched:?}");
        assert!(String::from_utf8_lossy(&searched.stdout).contains("Customer 04242"));

        let folder = data.path().join("folder");
        let started = Instant::now();
        bundle::write(&folder, true, &exported).unwrap();
        let folder_write = seconds(started);

        println!(
            "  round {round}: import {imported:.3} s (of which reading, checking and planning {planned:.3} s)   list {:.1} ms   search {:.1} ms   ssoctl dir list --search {:.0} ms   export {export:.3} s   plan again (all unchanged) {replan:.3} s   folder written {folder_write:.3} s",
            list * 1000.0,
            search * 1000.0,
            ssoctl_search * 1000.0,
        );
        ws.close().await;
    }
}
