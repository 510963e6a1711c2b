//! Offline preparation: bundles exported and imported with `ssoctl` as a user would, into real
//! SQLite files and the real keyring. A round trip keeps every document and id; importing again
//! changes nothing, and so does a dry run; each conflict is refused until a choice is made and
//! then resolved as chosen; broken bundles are refused with their own words and change nothing;
//! secrets travel only encrypted and sign in at the real provider afterwards; a folder exported
//! twice is the same bytes, and one changed field changes one file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use sso_console::directory::{DirectoryDocument, DirectoryId};
use sso_console::scim::templates;
use sso_console::scim::ScimConnectionDocument;
use sso_console::sensitive::SecretString;
use sso_console::store::DATABASE_FILE;
use sso_console::Workspace;

use crate::fixtures::{document, fixture, json_of, ssoctl};
use crate::oidc_provider::OidcProvider;
use crate::signin::{client, directory_for, free_port, ssoctl_test};

/// `ssoctl --json <args>` in `data`, with `stdin`: its exit code and its one JSON document.
fn run(data: &Path, args: &[&str], stdin: &str) -> (Option<i32>, Value) {
    let out = ssoctl(data)
        .arg("--json")
        .args(args)
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap();
    (out.status.code(), json_of(&out.stdout))
}

/// Every row that an import could write, read from the database file itself.
async fn database(data: &Path) -> String {
    let mut db = SqliteConnectOptions::new()
        .filename(data.join(DATABASE_FILE))
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT id || ' ' || name || ' ' || revision || ' ' || updated_at || ' ' || client_secret_stored FROM directories ORDER BY id",
        "SELECT domain || ' ' || directory_id FROM domain_suffixes ORDER BY domain",
        "SELECT id || ' ' || name || ' ' || revision || ' ' || updated_at || ' ' || token_stored FROM scim_connections ORDER BY id",
        "SELECT key || ' ' || value FROM settings ORDER BY key",
        "SELECT entry FROM secret_cleanup ORDER BY entry",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut db).await.unwrap();
        out.push_str(&rows.join("\n"));
        out.push_str("\n--\n");
    }
    out
}

struct Source {
    data: tempfile::TempDir,
    ids: Vec<String>,
    connection: String,
}

/// Three directories (one with domains, one hidden with a staff rule), a SCIM connection linked
/// to the first with a template's mappings, and the sign-in service URL.
async fn source() -> Source {
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let mut ids = Vec::new();
    for (i, name) in ["Contoso Staff (Entra)", "Fabrikam", "Hidden staff"]
        .iter()
        .enumerate()
    {
        let mut doc = document(name);
        doc.client_id = format!("client-{i}");
        if i == 0 {
            doc.domain_suffixes = vec!["contoso.example".into(), "contoso.test".into()];
            doc.client_secret_expires_on = Some("2030-03-31".into());
        }
        if i == 2 {
            doc.is_hidden = true;
            doc.staff = sso_console::directory::StaffRule::Always;
        }
        let created = ws
            .create(&doc, &SecretString::new(format!("secret-{i}")))
            .await
            .unwrap();
        ids.push(created.document.id.unwrap());
    }
    let connection = ws
        .create_scim_connection(
            &ScimConnectionDocument {
                id: None,
                name: "Learning platform".into(),
                tenant_url: "https://scim.example.org/scim/v2".into(),
                directory_id: Some(ids[0].clone()),
                notes: "Provisioned from Entra".into(),
                mappings: templates::template("entra-default").unwrap().document,
            },
            &SecretString::new("scim-token-1"),
        )
        .await
        .unwrap();
    ws.set_sign_in_service_url(Some("https://signin.example.org"))
        .await
        .unwrap();
    ws.close().await;
    Source {
        data,
        ids,
        connection: connection.document.id.unwrap(),
    }
}

fn shown(data: &Path, args: &[&str]) -> Value {
    let (code, doc) = run(data, args, "");
    assert_eq!(code, Some(0), "{args:?}: {doc}");
    doc
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bundle_round_trips_with_its_ids_and_importing_it_again_changes_nothing() {
    let source = source().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("bundle.json");
    let file_arg = file.to_str().unwrap();
    let (code, exported) = run(source.data.path(), &["export", "--out", file_arg], "");
    assert_eq!(code, Some(0), "{exported}");
    assert_eq!(exported["directories"], 3);
    assert_eq!(exported["scim_connections"], 1);
    let bundle: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(bundle["format"], "sso-console/bundle");
    assert_eq!(bundle["version"], 1);
    assert_eq!(
        bundle["scim_mapping_sets"][0]["scim_connection_id"],
        source.connection
    );
    assert!(
        bundle.get("secrets").is_none(),
        "secrets are left out by default"
    );

    let target = tempfile::tempdir().unwrap();
    let (code, imported) = run(target.path(), &["import", file_arg], "");
    assert_eq!(code, Some(0), "{imported}");
    assert_eq!(imported["outcome"]["created"], 4, "{imported}");
    assert_eq!(imported["outcome"]["updated"], 1, "the setting: {imported}");
    for id in &source.ids {
        let before = shown(source.data.path(), &["dir", "show", id]);
        let after = shown(target.path(), &["dir", "show", id]);
        assert_eq!(before["document"], after["document"], "directory {id}");
        assert_eq!(
            before["redirect_url"], after["redirect_url"],
            "directory {id}"
        );
        assert_eq!(after["has_client_secret"], false, "no secret came along");
    }
    let before = shown(
        source.data.path(),
        &["scim", "conn", "show", &source.connection],
    );
    let after = shown(target.path(), &["scim", "conn", "show", &source.connection]);
    assert_eq!(before["document"], after["document"]);
    assert!(
        after["document"]["mappings"]["mappings"]
            .as_array()
            .unwrap()
            .len()
            > 3,
        "the mapping set came along: {after}"
    );

    // Again: every item unchanged, and nothing written.
    let written = database(target.path()).await;
    let (code, again) = run(target.path(), &["import", file_arg], "");
    assert_eq!(code, Some(0), "{again}");
    let actions: Vec<&str> = again["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["unchanged"; 5]);
    assert_eq!(again["outcome"]["left"], 5);
    assert_eq!(database(target.path()).await, written);

    // A changed field, in a dry run: the plan names it, and the database is as it was.
    let mut changed = bundle.clone();
    changed["directories"][1]["scopes"] = json!("openid email");
    std::fs::write(&file, serde_json::to_vec(&changed).unwrap()).unwrap();
    let (code, dry) = run(target.path(), &["import", file_arg, "--dry-run"], "");
    assert_eq!(code, Some(0), "{dry}");
    assert_eq!(dry["applied"], false);
    let update = &dry["plan"]["items"][1];
    assert_eq!(update["action"], "update", "{dry}");
    assert_eq!(update["changes"][0]["field"], "scopes");
    assert_eq!(update["changes"][0]["after"], "openid email");
    assert_eq!(database(target.path()).await, written);

    // An export is remembered where it was made: a directory saved there since, then its old
    // export imported back, is edited here.
    edit_directory(source.data.path(), &source.ids[2], |d| {
        d.scopes = "openid".into();
    })
    .await;
    let file_back = work.path().join("before-the-edit.json");
    std::fs::write(&file_back, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let (code, back) = run(
        source.data.path(),
        &["import", file_back.to_str().unwrap(), "--dry-run"],
        "",
    );
    assert_eq!(code, Some(1), "{back}");
    let item = &back["plan"]["items"][2];
    assert_eq!(item["action"], "conflict", "{back}");
    assert_eq!(
        item["conflicts"][0]["kind"]["kind"], "edited_here",
        "{back}"
    );
}

/// A target data folder with a directory of its own, made with `edit`.
async fn target_with(edit: impl FnOnce(&mut DirectoryDocument)) -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let mut doc = document("Here");
    edit(&mut doc);
    ws.create(&doc, &SecretString::new("here-secret"))
        .await
        .unwrap();
    ws.close().await;
    data
}

/// Names and domains of the directories in `data`, by id.
fn directories(data: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    let list = shown(data, &["dir", "list"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let domains = d["domain_suffixes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect();
            (
                d["id"].as_str().unwrap().to_owned(),
                (d["name"].as_str().unwrap().to_owned(), domains),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_conflict_is_refused_until_chosen_and_each_choice_does_what_it_says() {
    let source = source().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("bundle.json");
    let file_arg = file.to_str().unwrap();
    let (code, _) = run(
        source.data.path(),
        &["export", &source.ids[0], "--out", file_arg],
        "",
    );
    assert_eq!(code, Some(0));
    let theirs = source.ids[0].clone();

    // The name taken by another directory here.
    for choice in [None, Some("skip"), Some("copy"), Some("overwrite")] {
        let data = target_with(|d| d.name = "Contoso Staff (Entra)".into()).await;
        let mine = directories(data.path()).into_keys().next().unwrap();
        let written = database(data.path()).await;
        let mut args = vec!["import", file_arg];
        if let Some(choice) = choice {
            args.extend(["--on-conflict", choice]);
        }
        let (code, out) = run(data.path(), &args, "");
        let now = directories(data.path());
        match choice {
            None => {
                assert_eq!(code, Some(1), "{out}");
                assert_eq!(out["error"]["kind"], "conflict");
                assert!(
                    out["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("another directory here is named"),
                    "{out}"
                );
                assert_eq!(database(data.path()).await, written);
            }
            Some("skip") => {
                assert_eq!(code, Some(0), "{out}");
                assert_eq!(now.keys().collect::<Vec<_>>(), [&mine]);
            }
            Some("copy") => {
                assert_eq!(code, Some(0), "{out}");
                assert_eq!(now.len(), 2);
                let copy = now.iter().find(|(id, _)| **id != mine).unwrap();
                assert_ne!(copy.0, &theirs, "a copy has an id of its own");
                assert_eq!(copy.1 .0, "Contoso Staff (Entra) (copy)");
                assert!(copy.1 .1.is_empty(), "a copy has no domains");
            }
            _ => {
                assert_eq!(code, Some(0), "{out}");
                assert_eq!(out["outcome"]["deleted"], 1);
                assert_eq!(now.keys().collect::<Vec<_>>(), [&theirs]);
            }
        }
    }

    // A domain that routes to another directory here.
    for choice in [None, Some("skip"), Some("overwrite"), Some("copy")] {
        let data = target_with(|d| d.domain_suffixes = vec!["contoso.test".into()]).await;
        let mine = directories(data.path()).into_keys().next().unwrap();
        let mut args = vec!["import", file_arg];
        if let Some(choice) = choice {
            args.extend(["--on-conflict", choice]);
        }
        let (code, out) = run(data.path(), &args, "");
        let now = directories(data.path());
        match choice {
            None => {
                assert_eq!(code, Some(1), "{out}");
                assert!(
                    out["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("the domain contoso.test routes to the directory \"Here\""),
                    "{out}"
                );
                assert_eq!(now.len(), 1);
            }
            Some("skip") => {
                assert_eq!(code, Some(0), "{out}");
                assert_eq!(now.keys().collect::<Vec<_>>(), [&mine], "nothing imported");
                assert_eq!(now[&mine].1, ["contoso.test"], "the domain stayed");
            }
            Some("overwrite") => {
                assert_eq!(code, Some(0), "{out}");
                assert!(now[&mine].1.is_empty(), "the domain moved: {now:?}");
                assert_eq!(now[&theirs].1, ["contoso.example", "contoso.test"]);
            }
            _ => {
                assert_eq!(code, Some(0), "{out}");
                assert_eq!(now[&mine].1, ["contoso.test"], "the domain stayed");
                assert!(!now.contains_key(&theirs));
                assert!(
                    now.values()
                        .any(|(name, domains)| name == "Contoso Staff (Entra) (copy)"
                            && domains.is_empty()),
                    "{now:?}"
                );
            }
        }
    }

    // Edited here since the export: the same bundle imported, then the directory saved here.
    for choice in [None, Some("skip"), Some("overwrite"), Some("copy")] {
        let data = tempfile::tempdir().unwrap();
        assert_eq!(run(data.path(), &["import", file_arg], "").0, Some(0));
        {
            let ws = Workspace::open(data.path()).await.unwrap();
            let id = DirectoryId::parse(&theirs).unwrap();
            let mut doc = ws.get(id).await.unwrap().document;
            doc.scopes = "openid".into();
            ws.update(id, None, &doc, None).await.unwrap();
            doc.scopes = "openid email".into();
            ws.update(id, None, &doc, None).await.unwrap();
            ws.close().await;
        }
        let mut args = vec!["import", file_arg];
        if let Some(choice) = choice {
            args.extend(["--on-conflict", choice]);
        }
        let (code, out) = run(data.path(), &args, "");
        let scopes = shown(data.path(), &["dir", "show", &theirs])["document"]["scopes"].clone();
        match choice {
            None => {
                assert_eq!(code, Some(1), "{out}");
                assert!(
                    out["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("saved here since it was last exported or imported here"),
                    "{out}"
                );
                assert_eq!(scopes, "openid email");
            }
            Some("skip") => assert_eq!(scopes, "openid email"),
            Some("overwrite") => assert_eq!(scopes, "openid email profile", "{out}"),
            _ => {
                assert_eq!(scopes, "openid email");
                assert_eq!(directories(data.path()).len(), 2, "{out}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_bundle_is_refused_with_its_own_words_and_changes_nothing() {
    let source = source().await;
    let work = tempfile::tempdir().unwrap();
    let good = work.path().join("good.json");
    let (code, _) = run(
        source.data.path(),
        &["export", "--out", good.to_str().unwrap()],
        "",
    );
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(&good).unwrap();
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut b = bundle.clone();
        edit(&mut b);
        serde_json::to_string(&b).unwrap()
    };
    let wide_logo = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(fixture("logo-300x36.png")).unwrap());
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated",
            text.chars().take(text.chars().count() / 2).collect(),
            "ends before the bundle does",
        ),
        (
            "not JSON",
            "<html>no</html>".to_owned(),
            "not a JSON bundle",
        ),
        (
            "another format",
            edited(&|b| b["format"] = json!("sso-console/report")),
            "not an SSO Console bundle",
        ),
        (
            "version 99",
            edited(&|b| b["version"] = json!(99)),
            "version 99, written by a newer SSO Console",
        ),
        (
            "a logo of 300×36 px",
            edited(&|b| b["directories"][1]["logo_png_base64"] = json!(wide_logo)),
            "directory 2 (\"Fabrikam\") cannot be imported: logo_png_base64",
        ),
        (
            "a second directory that is invalid",
            edited(&|b| b["directories"][1]["token_url"] = json!("not a URL")),
            "directory 2 (\"Fabrikam\") cannot be imported: token_url",
        ),
    ];
    let data = tempfile::tempdir().unwrap();
    let (code, _) = run(data.path(), &["dir", "list"], "");
    assert_eq!(code, Some(0));
    let written = database(data.path()).await;
    for (what, content, said) in cases {
        let file = work.path().join("broken.json");
        std::fs::write(&file, content).unwrap();
        let (code, out) = run(data.path(), &["import", file.to_str().unwrap()], "");
        assert_eq!(code, Some(1), "{what}: {out}");
        let message = out["error"]["message"].as_str().unwrap();
        assert!(message.contains(said), "{what}: {message}");
        assert_eq!(
            database(data.path()).await,
            written,
            "{what} changed the database"
        );
    }
    // Larger than a bundle may be: refused before it is read whole.
    let huge = work.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(sso_console::bundle::MAX_BYTES as u64 + 1)
        .unwrap();
    let (code, out) = run(data.path(), &["import", huge.to_str().unwrap()], "");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("larger than a bundle can be"),
        "{out}"
    );
    assert_eq!(database(data.path()).await, written);
}

/// Every form a secret could take in a file.
fn encodings(secret: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    vec![
        secret.to_owned(),
        b64.encode(secret),
        url.encode(secret),
        secret.bytes().map(|b| format!("{b:02x}")).collect(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_travel_encrypted_and_sign_in_at_the_provider_after_the_import() {
    let port = free_port();
    let op = OidcProvider::start(json!({ "clients": [client("bun", port, json!({}))] }));
    let source = tempfile::tempdir().unwrap();
    let ws = Workspace::open(source.path()).await.unwrap();
    let doc = directory_for(&op, "bun", port);
    ws.create(&doc, &SecretString::new("bun-secret"))
        .await
        .unwrap();
    ws.close().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("with-secrets.json");
    let file_arg = file.to_str().unwrap();
    let passphrase = "correct horse battery staple\n";

    // Asked for without a passphrase: a usage error, nothing written.
    let (code, _) = run(
        source.path(),
        &["export", "--out", file_arg, "--include-secrets"],
        "",
    );
    assert_eq!(code, Some(2));
    assert!(!file.exists());
    let (code, out) = run(
        source.path(),
        &[
            "export",
            "--out",
            file_arg,
            "--include-secrets",
            "--passphrase-stdin",
        ],
        passphrase,
    );
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out["secrets"], true);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("-----BEGIN AGE ENCRYPTED FILE-----"));
    for form in encodings("bun-secret") {
        assert!(
            !text.contains(&form),
            "the secret is in the bundle as {form}"
        );
    }

    let target = tempfile::tempdir().unwrap();
    let (code, _) = run(target.path(), &["dir", "list"], "");
    assert_eq!(code, Some(0));
    let written = database(target.path()).await;
    for (stdin, args, said) in [
        ("", vec!["import", file_arg], "give the passphrase"),
        (
            "wrong horse\n",
            vec!["import", file_arg, "--passphrase-stdin"],
            "does not open",
        ),
    ] {
        let (code, out) = run(target.path(), &args, stdin);
        assert_eq!(code, Some(1), "{out}");
        assert_eq!(out["error"]["kind"], "wrong_passphrase");
        assert!(
            out["error"]["message"].as_str().unwrap().contains(said),
            "{out}"
        );
        assert_eq!(database(target.path()).await, written);
    }
    // A changed byte in the encrypted part: refused, nothing imported.
    let mut bundle: Value = serde_json::from_str(&text).unwrap();
    let sealed = bundle["secrets"].as_str().unwrap().to_owned();
    let mut lines: Vec<String> = sealed.lines().map(str::to_owned).collect();
    let body = lines.len() - 2;
    let flip = |c: char| if c == 'A' { 'B' } else { 'A' };
    let first: String = lines[body].chars().take(1).map(flip).collect();
    lines[body] = format!("{first}{}", &lines[body][1..]);
    bundle["secrets"] = json!(lines.join("\n"));
    let damaged = work.path().join("damaged.json");
    std::fs::write(&damaged, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let (code, out) = run(
        target.path(),
        &["import", damaged.to_str().unwrap(), "--passphrase-stdin"],
        passphrase,
    );
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(database(target.path()).await, written);

    let (code, out) = run(
        target.path(),
        &["import", file_arg, "--passphrase-stdin"],
        passphrase,
    );
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out["outcome"]["secrets_written"], 1, "{out}");
    let (code, result, said) = ssoctl_test(target.path(), &doc.name, &[]);
    assert_eq!(code, Some(0), "{result} {said}");
    assert_eq!(result["succeeded"], true, "{result}");
}

/// Every file under `dir`, by its path inside it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_exported_twice_is_the_same_bytes_and_one_change_is_one_line_of_one_file() {
    let source = source().await;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("team-directories");
    let dir_arg = dir.to_str().unwrap();
    assert_eq!(
        run(source.data.path(), &["export", "--dir", dir_arg], "").0,
        Some(0)
    );
    let first = files(&dir);
    let names: Vec<String> = first.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "bundle.json",
            "directories/contoso-staff-entra.json",
            "directories/contoso-staff-entra.png",
            "directories/fabrikam.json",
            "directories/fabrikam.png",
            "directories/hidden-staff.json",
            "directories/hidden-staff.png",
            "scim-connections/learning-platform.json",
            "scim-mapping-sets/learning-platform.json",
        ]
    );
    assert_eq!(
        run(source.data.path(), &["export", "--dir", dir_arg], "").0,
        Some(0)
    );
    assert_eq!(files(&dir), first, "exported twice, the folder differs");

    {
        let ws = Workspace::open(source.data.path()).await.unwrap();
        let id = DirectoryId::parse(&source.ids[1]).unwrap();
        let mut doc = ws.get(id).await.unwrap().document;
        doc.scopes = "openid email".into();
        ws.update(id, None, &doc, None).await.unwrap();
        ws.close().await;
    }
    assert_eq!(
        run(source.data.path(), &["export", "--dir", dir_arg], "").0,
        Some(0)
    );
    let second = files(&dir);
    let differ: Vec<&PathBuf> = second.keys().filter(|p| first[*p] != second[*p]).collect();
    assert_eq!(differ, [&PathBuf::from("directories/fabrikam.json")]);
    let lines = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (before, after) = (lines(&first[differ[0]]), lines(&second[differ[0]]));
    assert_eq!(before.len(), after.len());
    let changed: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");

    // The folder imports through the same plan: everything as it is in the source.
    let target = tempfile::tempdir().unwrap();
    let (code, out) = run(target.path(), &["import", "--dir", dir_arg], "");
    assert_eq!(code, Some(0), "{out}");
    for id in &source.ids {
        assert_eq!(
            shown(source.data.path(), &["dir", "show", id])["document"],
            shown(target.path(), &["dir", "show", id])["document"]
        );
    }
    // Secrets never go into a folder meant for Git.
    let (code, _) = run(
        source.data.path(),
        &[
            "export",
            "--dir",
            dir_arg,
            "--include-secrets",
            "--passphrase-stdin",
        ],
        "a passphrase\n",
    );
    assert_eq!(code, Some(2));
    // A folder that holds something else is not written into.
    let other = work.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let (code, out) = run(
        source.data.path(),
        &["export", "--dir", other.to_str().unwrap()],
        "",
    );
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a bundle folder"),
        "{out}"
    );
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
}

/// Directories for the batch insert, valid and with the domains given.
fn batch_directory(name: &str, domains: &[&str]) -> sso_console::directory::Directory {
    let mut doc = document(name);
    doc.domain_suffixes = domains.iter().map(|d| (*d).to_owned()).collect();
    let mut directory = sso_console::directory::Directory::from_document(&doc).unwrap();
    directory.id = Some(DirectoryId::new());
    directory
}

#[tokio::test]
async fn a_batch_of_new_directories_refused_by_the_database_names_the_one_in_the_way_and_writes_nothing(
) {
    use sso_console::store::{directories, Store, StoreError};
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join(DATABASE_FILE)).await.unwrap();
    let first = batch_directory("Here first", &["taken.example"]);
    let mut tx = store.begin_write().await.unwrap();
    directories::insert_many(&mut tx, &[(first.id.unwrap(), &first, None)])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // What a plan could not see: another process saved these meanwhile.
    let fine: Vec<_> = (0..250)
        .map(|i| batch_directory(&format!("New {i}"), &[]))
        .collect();
    let same_name = batch_directory("HERE FIRST", &[]);
    let same_domain = batch_directory("Elsewhere", &["free.example", "taken.example"]);
    for (intruder, expected) in [(&same_name, "name"), (&same_domain, "domain")] {
        let mut rows: Vec<_> = fine.iter().map(|d| (d.id.unwrap(), d, None)).collect();
        rows.insert(210, (intruder.id.unwrap(), intruder, None));
        let mut tx = store.begin_write().await.unwrap();
        let refused = directories::insert_many(&mut tx, &rows).await.unwrap_err();
        drop(tx);
        match (expected, &refused) {
            ("name", StoreError::NameTaken { name }) => assert_eq!(name, "HERE FIRST"),
            ("domain", StoreError::DomainTaken { domain, owner }) => {
                assert_eq!(
                    (domain.as_str(), owner.as_str()),
                    ("taken.example", "Here first")
                );
            }
            _ => panic!("{expected}: {refused:?}"),
        }
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM directories")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(count, 1, "a refused import wrote directories");
    }
    store.close().await;
}

/// Edits `id` in `data` through the workspace.
async fn edit_directory(data: &Path, id: &str, edit: impl FnOnce(&mut DirectoryDocument)) {
    let ws = Workspace::open(data).await.unwrap();
    let id = DirectoryId::parse(id).unwrap();
    let mut doc = ws.get(id).await.unwrap().document;
    edit(&mut doc);
    ws.update(id, None, &doc, None).await.unwrap();
    ws.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn names_and_domains_move_between_items_and_edits_here_are_told_apart_across_workspaces() {
    let source = source().await;
    let (contoso, fabrikam) = (&source.ids[0], &source.ids[1]);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("bundle.json");
    let file_arg = file.to_str().unwrap();
    let export = |data: &Path| {
        let (code, out) = run(data, &["export", "--out", file_arg], "");
        assert_eq!(code, Some(0), "{out}");
    };
    export(source.data.path());
    let target = tempfile::tempdir().unwrap();
    assert_eq!(run(target.path(), &["import", file_arg], "").0, Some(0));

    // At the source the two directories swap their names, and a domain moves from the first
    // (whose name sorts after) to the second: no conflict, and the import applies both.
    edit_directory(source.data.path(), contoso, |d| {
        d.name = "Swap".into();
        d.domain_suffixes = vec!["contoso.example".into()];
    })
    .await;
    edit_directory(source.data.path(), fabrikam, |d| {
        d.name = "Contoso Staff (Entra)".into();
        d.domain_suffixes = vec!["contoso.test".into()];
    })
    .await;
    edit_directory(source.data.path(), contoso, |d| d.name = "Fabrikam".into()).await;
    export(source.data.path());
    let (code, out) = run(target.path(), &["import", file_arg], "");
    assert_eq!(code, Some(0), "{out}");
    let now = directories(target.path());
    assert_eq!(
        now[contoso],
        ("Fabrikam".to_owned(), vec!["contoso.example".to_owned()])
    );
    assert_eq!(
        now[fabrikam],
        (
            "Contoso Staff (Entra)".to_owned(),
            vec!["contoso.test".to_owned()]
        )
    );

    // Edited on both sides since the last import: the revision numbers of two workspaces say
    // nothing of each other, the fingerprint of the last import does.
    edit_directory(target.path(), contoso, |d| {
        d.token_url = "https://login.example.com/oauth2/token".into()
    })
    .await;
    edit_directory(source.data.path(), contoso, |d| {
        d.scopes = "openid email".into()
    })
    .await;
    edit_directory(source.data.path(), contoso, |d| {
        d.scopes = "openid email profile groups".into()
    })
    .await;
    export(source.data.path());
    let (code, out) = run(target.path(), &["import", file_arg, "--dry-run"], "");
    assert_eq!(code, Some(1), "{out}");
    let edited = out["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == contoso.as_str())
        .unwrap();
    assert_eq!(edited["action"], "conflict", "{edited}");
    assert_eq!(
        edited["conflicts"][0]["kind"]["kind"], "edited_here",
        "{edited}"
    );

    // A choice that would leave one domain with two directories is refused, naming it: the
    // directory keeping its edits here keeps its domain, which the bundle gives another.
    edit_directory(source.data.path(), contoso, |d| d.domain_suffixes.clear()).await;
    edit_directory(source.data.path(), fabrikam, |d| {
        d.domain_suffixes = vec!["contoso.test".into(), "contoso.example".into()];
    })
    .await;
    export(source.data.path());
    let written = database(target.path()).await;
    let (code, out) = run(
        target.path(),
        &["import", file_arg, "--on-conflict", "skip"],
        "",
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the domain contoso.example would route to both \"Fabrikam\" and \"Contoso Staff (Entra)\""),
        "{out}"
    );
    assert_eq!(database(target.path()).await, written);
    let (code, out) = run(
        target.path(),
        &["import", file_arg, "--on-conflict", "overwrite"],
        "",
    );
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        directories(target.path())[fabrikam].1,
        ["contoso.test", "contoso.example"]
    );
}
