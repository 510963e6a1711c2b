//! Test sign-in faults a real provider will not produce, from a stub provider: ID tokens signed
//! with an unknown key or one made for another algorithm, unsigned, expired, for another
//! audience or another nonce, without a subject, with critical header parameters or another
//! token type, and a token endpoint answering 500 or HTML.

use std::collections::HashMap;
use std::future::pending;
use std::time::Duration;

use serde_json::{json, Value};
use sso_console::directory::DirectoryId;
use sso_console::http::HttpClient;
use sso_console::sensitive::SecretString;
use sso_console::signin::{
    Check, CheckOutcome, Interruption, SignInResult, SignInStep, SourceStatus,
};
use sso_console::testing::tokens::{unsigned, TestKey};
use sso_console::Workspace;

use crate::fixtures::document;
use crate::stub_http::{Reply, Stub};

fn query(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// Runs one sign-in against the stub; `token_reply` makes the token endpoint's answer from the
/// nonce sent. The browser comes back with a query redirect, as with form_post off.
async fn run(stub: &Stub, token_reply: impl FnOnce(&str) -> Reply) -> SignInResult {
    run_mode(stub, token_reply, false, Answer::Query).await
}

/// How the stub's "browser" brings the code back.
#[derive(Clone, Copy, Debug)]
enum Answer {
    /// A GET with the code in the query string.
    Query,
    /// A POST with the code in a form.
    FormPost,
}

/// As `run`, with "Enable Response Mode Form Post" set to `form_post` and the callback
/// arriving as `answer`, whatever was asked for: a provider that ignores the response mode.
async fn run_mode(
    stub: &Stub,
    token_reply: impl FnOnce(&str) -> Reply,
    form_post: bool,
    answer: Answer,
) -> SignInResult {
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(data.path()).await.unwrap();
    let mut doc = document("Stubbed");
    doc.authorization_url = stub.url("/auth");
    doc.token_url = stub.url("/token");
    doc.userinfo_url = None;
    doc.jwks_uri = Some(stub.url("/jwks"));
    doc.issuer = Some(stub.base.clone());
    doc.client_id = "client-1".into();
    doc.response_mode_form_post = form_post;
    let created = ws
        .create(&doc, &SecretString::new("secret-1"))
        .await
        .unwrap();
    let id = DirectoryId::parse(created.document.id.as_deref().unwrap()).unwrap();
    let attempt = ws.prepare_sign_in(id).await.unwrap();
    let params = query(attempt.authorization_url());
    stub.route("/token", token_reply(&params["nonce"]));
    let redirect_uri = attempt.redirect_uri().to_owned();
    let state = params["state"].clone();
    let browser = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let http = reqwest::Client::new();
        let request = match answer {
            Answer::Query => http.get(format!("{redirect_uri}?code=code-1&state={state}")),
            Answer::FormPost => http
                .post(&redirect_uri)
                .form(&[("code", "code-1"), ("state", state.as_str())]),
        };
        request.send().await.unwrap().text().await.unwrap()
    };
    let http = HttpClient::standard().unwrap();
    let (result, _) = tokio::join!(
        attempt.complete(&http, Duration::from_secs(30), pending::<Interruption>()),
        browser
    );
    ws.delete(id).await.unwrap();
    result
}

/// Serves the stub's discovery document, listing `algs` as its ID token signing algorithms.
fn serve_discovery(stub: &Stub, algs: &[&str]) {
    stub.route(
        "/.well-known/openid-configuration",
        Reply::json(
            200,
            json!({
                "issuer": stub.base,
                "authorization_endpoint": stub.url("/auth"),
                "token_endpoint": stub.url("/token"),
                "jwks_uri": stub.url("/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": algs,
            })
            .to_string(),
        ),
    );
}

fn id_token_reply(token: String) -> Reply {
    Reply::json(200, json!({ "access_token": "opaque-at", "token_type": "Bearer", "expires_in": 3600, "id_token": token }).to_string())
}

fn claims(stub: &Stub, nonce: &str) -> Value {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    json!({ "iss": stub.base, "sub": "u-1", "aud": "client-1", "nonce": nonce, "iat": now, "exp": now + 600, "email": "u1@example.org" })
}

fn failed(r: &SignInResult) -> Vec<String> {
    r.checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Fail)
        .map(|c| c.name.to_string())
        .collect()
}

#[tokio::test]
async fn each_bad_id_token_fails_its_check_and_claims_are_shown_unverified() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    let stranger = TestKey::generate("stranger");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    serve_discovery(&stub, &["ES256"]);

    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    assert!(r.succeeded, "{:?} {:?}", r.failure, r.checks);
    assert_eq!(r.id_token.status, SourceStatus::Verified);
    // What was not checked is said: this token has no at_hash.
    assert_eq!(
        r.id_token.status_detail,
        "signature and claims checked; access token hash not checked (no at_hash in the token)"
    );

    type Make<'a> = Box<dyn Fn(&str) -> String + 'a>;
    let cases: Vec<(&str, Make, &[&str])> = vec![
        (
            "unknown key",
            Box::new(|n| stranger.sign(&claims(&stub, n), true)),
            &["Key", "Signature"],
        ),
        (
            "alg none",
            Box::new(|n| unsigned(&claims(&stub, n))),
            &["Algorithm", "Signature"],
        ),
        (
            "expired",
            Box::new(|n| {
                let mut c = claims(&stub, n);
                c["exp"] = (c["iat"].as_i64().unwrap() - 3600).into();
                key.sign(&c, true)
            }),
            &["Expiry"],
        ),
        (
            "wrong aud",
            Box::new(|n| {
                let mut c = claims(&stub, n);
                c["aud"] = "another-app".into();
                key.sign(&c, true)
            }),
            &["Audience"],
        ),
        (
            // No `iss` in the redirect here, so the ID token's own claim is what catches it.
            "wrong iss",
            Box::new(|n| {
                let mut c = claims(&stub, n);
                c["iss"] = "https://login.example.com/other".into();
                key.sign(&c, true)
            }),
            &["Issuer"],
        ),
        (
            "wrong nonce",
            Box::new(|_| key.sign(&claims(&stub, "someone-elses-nonce"), true)),
            &["Nonce"],
        ),
    ];
    for (name, make, want) in cases {
        let r = run(&stub, |n| id_token_reply(make(n))).await;
        assert_fails_only(name, &r, want);
    }
}

/// The line named `name`; there must be exactly one.
fn line<'r>(r: &'r SignInResult, name: &str) -> &'r Check {
    let found: Vec<&Check> = r.checks.iter().filter(|c| c.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} line in {:?}", r.checks);
    found[0]
}

/// `key`'s JWK claiming `alg`.
fn jwk_for(key: &TestKey, alg: &str) -> Value {
    let mut jwk = key.jwk();
    jwk["alg"] = alg.into();
    jwk
}

/// A bad ID token: the sign-in does not succeed, only `want` fails, and the claims are still
/// shown, unverified.
fn assert_fails_only(case: &str, r: &SignInResult, want: &[&str]) {
    assert!(r.failure.is_none(), "{case}: {:?}", r.failure);
    assert_eq!(failed(r), want, "{case}: {:?}", r.checks);
    assert!(!r.succeeded, "{case}");
    assert_eq!(r.id_token.status, SourceStatus::Unverified, "{case}");
    assert_eq!(
        r.id_token.claims.as_ref().unwrap()["email"],
        "u1@example.org",
        "{case}: claims still shown"
    );
    assert!(
        r.id_token.status_detail.contains(want[0]),
        "{case}: {}",
        r.id_token.status_detail
    );
}

#[tokio::test]
async fn among_several_keys_those_for_another_algorithm_are_not_tried() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    let stranger = TestKey::generate("stranger");
    // (case, key set, failed lines, words of the Key line); the token is ES256, without kid.
    let cases: Vec<(&str, Vec<Value>, &[&str], &str)> = vec![
        (
            "the signer beside a key for ES384",
            vec![jwk_for(&stranger, "ES384"), key.jwk()],
            &[],
            "no kid; the key set's only usable key; 1 key for ES384 not tried",
        ),
        (
            "the signer's key says ES384",
            vec![jwk_for(&key, "ES384"), stranger.jwk()],
            &["Signature"],
            "1 key for ES384 not tried",
        ),
        (
            "every key is for another algorithm",
            vec![jwk_for(&key, "ES384"), jwk_for(&stranger, "ES512")],
            &["Key", "Signature"],
            "are for ES384, ES512, but the token uses ES256",
        ),
    ];
    for (case, keys, want, key_words) in cases {
        stub.route(
            "/jwks",
            Reply::json(200, json!({ "keys": keys }).to_string()),
        );
        let r = run(&stub, |n| {
            id_token_reply(key.sign(&claims(&stub, n), false))
        })
        .await;
        let key_line = line(&r, "Key");
        assert!(key_line.detail.contains(key_words), "{case}: {key_line:?}");
        if want.is_empty() {
            assert!(r.succeeded, "{case}: {:?} {:?}", r.failure, r.checks);
            assert_eq!(r.id_token.status, SourceStatus::Verified, "{case}");
        } else {
            assert_fails_only(case, &r, want);
        }
    }
}

#[tokio::test]
async fn the_provider_algorithm_line_follows_the_discovery_document() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    // No discovery document: the line is skipped and says why.
    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    let check = line(&r, "Provider's algorithms");
    assert_eq!(check.outcome, CheckOutcome::Skip, "{check:?}");
    assert!(
        check.detail.starts_with(
            "the provider's list of ID token signing algorithms is not known: its metadata could not be read"
        ),
        "{check:?}"
    );
    assert!(r.succeeded, "a skipped line is no failure: {:?}", r.checks);

    // The provider lists another algorithm than the token's (ES256): that line fails alone.
    serve_discovery(&stub, &["RS256"]);
    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    assert_fails_only("listed RS256 only", &r, &["Provider's algorithms"]);
    assert!(
        line(&r, "Provider's algorithms")
            .detail
            .contains("signed with ES256, but the provider lists only RS256"),
        "{:?}",
        r.checks
    );

    serve_discovery(&stub, &["RS256", "ES256"]);
    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    assert_eq!(
        line(&r, "Provider's algorithms").outcome,
        CheckOutcome::Pass
    );
    assert!(r.succeeded, "{:?}", r.checks);
}

#[tokio::test]
async fn an_id_token_without_a_subject_fails_the_subject_check() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    let check = line(&r, "Subject");
    assert_eq!(
        (check.outcome, check.detail.as_str()),
        (CheckOutcome::Pass, "\"u-1\"")
    );
    let cases: Vec<(&str, Option<Value>, &str)> = vec![
        ("no sub", None, "the token has no sub"),
        ("an empty sub", Some("".into()), "sub is empty"),
        ("a number", Some(42.into()), "sub is not text (it is 42)"),
    ];
    for (case, sub, words) in cases {
        let r = run(&stub, |n| {
            let mut c = claims(&stub, n);
            match &sub {
                Some(sub) => c["sub"] = sub.clone(),
                None => {
                    c.as_object_mut().unwrap().remove("sub");
                }
            }
            id_token_reply(key.sign(&c, true))
        })
        .await;
        assert_fails_only(case, &r, &["Subject"]);
        let check = line(&r, "Subject");
        assert!(check.detail.contains(words), "{case}: {check:?}");
        assert!(
            check
                .detail
                .contains("the provider must send the user's identifier in sub"),
            "{case}: {check:?}"
        );
    }
}

#[tokio::test]
async fn a_critical_header_parameter_fails_the_critical_header_check() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    let r = run(&stub, |n| id_token_reply(key.sign(&claims(&stub, n), true))).await;
    assert_eq!(line(&r, "Critical header").outcome, CheckOutcome::Pass);
    // (case, crit, outcome, words of the line)
    let cases: Vec<(&str, Value, CheckOutcome, &str)> = vec![
        (
            "one critical parameter",
            json!(["b64"]),
            CheckOutcome::Fail,
            "the token marks \"b64\" as critical",
        ),
        (
            "crit is not a list",
            json!("b64"),
            CheckOutcome::Fail,
            "should be a list of header parameter names, but it is \"b64\"",
        ),
        (
            "an empty list",
            json!([]),
            CheckOutcome::Warn,
            "the crit header is an empty list",
        ),
    ];
    for (case, crit, outcome, words) in cases {
        let header =
            json!({ "alg": "ES256", "typ": "JWT", "kid": key.kid, "b64": true, "crit": crit });
        let r = run(&stub, |n| {
            id_token_reply(key.sign_with_header(&header, &claims(&stub, n)))
        })
        .await;
        let check = line(&r, "Critical header");
        assert_eq!(check.outcome, outcome, "{case}: {check:?}");
        assert!(check.detail.contains(words), "{case}: {check:?}");
        if outcome == CheckOutcome::Fail {
            assert_fails_only(case, &r, &["Critical header"]);
        } else {
            assert!(r.succeeded, "{case}: {:?}", r.checks);
        }
    }
}

#[tokio::test]
async fn an_unexpected_token_type_is_a_warning_naming_it() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    // (typ, outcome, words of the line)
    let cases: Vec<(Option<&str>, CheckOutcome, &str)> = vec![
        (None, CheckOutcome::Pass, "no typ header"),
        (Some("JWT"), CheckOutcome::Pass, "\"JWT\""),
        (
            Some("application/JWT"),
            CheckOutcome::Pass,
            "\"application/JWT\"",
        ),
        (
            Some("at+jwt"),
            CheckOutcome::Warn,
            "the header says typ \"at+jwt\", which marks an access token, not JWT",
        ),
        (
            Some("logout+jwt"),
            CheckOutcome::Warn,
            "the header says typ \"logout+jwt\", which marks a logout token, not JWT",
        ),
    ];
    for (typ, outcome, words) in cases {
        let mut header = json!({ "alg": "ES256", "kid": key.kid });
        if let Some(typ) = typ {
            header["typ"] = typ.into();
        }
        let r = run(&stub, |n| {
            id_token_reply(key.sign_with_header(&header, &claims(&stub, n)))
        })
        .await;
        let check = line(&r, "Token type");
        assert_eq!(check.outcome, outcome, "{typ:?}: {check:?}");
        assert!(check.detail.contains(words), "{typ:?}: {check:?}");
        // A warning is said, and does not fail the sign-in.
        assert!(r.succeeded, "{typ:?}: {:?} {:?}", r.failure, r.checks);
        assert_eq!(r.id_token.status, SourceStatus::Verified, "{typ:?}");
    }
}

#[tokio::test]
async fn a_provider_that_ignores_the_response_mode_fails_the_response_mode_check() {
    let stub = Stub::start().await;
    let key = TestKey::generate("good");
    stub.route(
        "/jwks",
        Reply::json(200, json!({ "keys": [key.jwk()] }).to_string()),
    );
    let cases = [
        (true, Answer::FormPost, None),
        (false, Answer::Query, None),
        (
            true,
            Answer::Query,
            Some("turn \"Enable Response Mode Form Post\" off"),
        ),
        (
            false,
            Answer::FormPost,
            Some("turn \"Enable Response Mode Form Post\" on"),
        ),
    ];
    for (form_post, answer, advice) in cases {
        let r = run_mode(
            &stub,
            |n| id_token_reply(key.sign(&claims(&stub, n), true)),
            form_post,
            answer,
        )
        .await;
        let case = format!("form_post {form_post}, answered {answer:?}");
        let check = r
            .checks
            .iter()
            .find(|c| c.name == "Response mode")
            .unwrap_or_else(|| panic!("{case}: no response mode line in {:?}", r.checks));
        match advice {
            None => {
                assert_eq!(check.outcome, CheckOutcome::Pass, "{case}: {check:?}");
                assert!(r.succeeded, "{case}: {:?}", r.checks);
            }
            Some(advice) => {
                assert_eq!(check.outcome, CheckOutcome::Fail, "{case}: {check:?}");
                assert!(check.detail.contains(advice), "{case}: {}", check.detail);
                assert!(!r.succeeded, "{case}: a mismatch is not a clean success");
                assert_eq!(failed(&r), ["Response mode"], "{case}");
            }
        }
    }
}

#[tokio::test]
async fn a_failing_token_endpoint_is_named_with_its_status() {
    let stub = Stub::start().await;
    let cases = [
        (
            Reply::with_type(500, "text/plain", "internal error"),
            "answered 500",
            "failed",
        ),
        (
            Reply::with_type(200, "text/html", "<html><body>Sign in</body></html>"),
            "an HTML page",
            "Token URL",
        ),
        (
            Reply::json(
                401,
                r#"{"error":"invalid_client","error_description":"bad secret"}"#,
            ),
            "invalid_client: bad secret",
            "client credentials",
        ),
    ];
    for (reply, message, hint) in cases {
        let r = run(&stub, |_| reply.clone()).await;
        let f = r.failure.expect("the token step fails");
        assert_eq!(f.step, SignInStep::Token);
        assert!(f.message.contains(message), "{f:?}");
        assert!(f.hint.contains(hint), "{f:?}");
        assert!(r.id_token.claims.is_none());
    }
}
