//! ID token verification: the checks of the OpenID Foundation's relying-party conformance tests,
//! each reported as its own line (DESIGN §3.4). Pure: the key set is passed in.

use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::claims::UnverifiedJwt as Jwt;

/// Clock difference tolerated on `exp` and `iat`, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckOutcome {
    /// Passed.
    Pass,
    /// Failed: the token must not be trusted.
    Fail,
    /// Not applicable or not possible.
    Skip,
    /// Passed with a remark.
    Warn,
}

/// One verification line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Check {
    /// What was checked ("Signature", "Issuer"…).
    pub name: String,
    /// How it went.
    pub outcome: CheckOutcome,
    /// The values compared, or why it failed.
    pub detail: String,
}

impl Check {
    fn new(name: &str, outcome: CheckOutcome, detail: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            outcome,
            detail: detail.into(),
        }
    }
}

/// What the ID token is checked against.
pub struct Expectations<'a> {
    /// The client id (audience).
    pub client_id: &'a str,
    /// The client secret, the key of HS* tokens.
    pub client_secret: &'a str,
    /// The configured issuer, when set.
    pub issuer: Option<&'a str>,
    /// The nonce sent.
    pub nonce: &'a str,
    /// The access token, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// The provider's keys (the `keys` array of its key set), or why there are none.
    pub keys: Result<&'a [Value], String>,
    /// Now, in seconds since the epoch.
    pub now: i64,
}

/// Runs every check on an ID token.
pub fn verify_id_token(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    signature_checks(token, e, &mut checks);
    checks.push(issuer_check(token, e));
    checks.extend(audience_checks(token, e));
    checks.extend(time_checks(token, e));
    checks.push(match token.claim_str("nonce") {
        Some(n) if n == e.nonce => {
            Check::new("Nonce", CheckOutcome::Pass, "matches the nonce sent")
        }
        Some(_) => Check::new(
            "Nonce",
            CheckOutcome::Fail,
            "differs from the nonce sent: the token belongs to another sign-in (replay?)",
        ),
        None => Check::new(
            "Nonce",
            CheckOutcome::Fail,
            "missing, although a nonce was sent",
        ),
    });
    checks.push(at_hash_check(token, e));
    checks
}

fn key_family(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => "oct",
        Algorithm::ES256 | Algorithm::ES384 => "EC",
        Algorithm::EdDSA => "OKP",
        _ => "RSA",
    }
}

fn signature_checks(token: &Jwt, e: &Expectations<'_>, checks: &mut Vec<Check>) {
    let alg_name = token.header_str("alg").unwrap_or("");
    let alg = match alg_name {
        "" => Err("the header names no algorithm".to_owned()),
        "none" => Err("alg \"none\": the token is not signed and cannot be trusted".to_owned()),
        name => Algorithm::from_str(name).map_err(|_| format!("alg \"{name}\" is not supported")),
    };
    let alg = match alg {
        Ok(alg) => {
            checks.push(Check::new("Algorithm", CheckOutcome::Pass, alg_name));
            alg
        }
        Err(why) => {
            checks.push(Check::new("Algorithm", CheckOutcome::Fail, why));
            checks.push(Check::new("Key", CheckOutcome::Skip, "no usable algorithm"));
            checks.push(Check::new("Signature", CheckOutcome::Fail, "not verified"));
            return;
        }
    };
    if key_family(alg) == "oct" {
        checks.push(Check::new(
            "Key",
            CheckOutcome::Pass,
            "the client secret (HMAC)",
        ));
        let key = DecodingKey::from_secret(e.client_secret.as_bytes());
        checks.push(signature_line(token, &[("client secret".into(), key)], alg));
        return;
    }
    let keys = match e.keys {
        Ok(keys) => keys,
        Err(ref why) => {
            checks.push(Check::new("Key", CheckOutcome::Fail, why.clone()));
            checks.push(Check::new(
                "Signature",
                CheckOutcome::Fail,
                "not verified: no key set",
            ));
            return;
        }
    };
    let usable: Vec<&Value> = keys
        .iter()
        .filter(|k| k.get("use").and_then(Value::as_str) != Some("enc"))
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some(key_family(alg)))
        .collect();
    let kid = token.header_str("kid");
    let candidates: Vec<&Value> = match kid {
        Some(kid) => usable
            .into_iter()
            .filter(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            .collect(),
        None => usable,
    };
    let described = match (kid, candidates.len()) {
        (Some(kid), 0) => Err(format!("no {} key with kid \"{kid}\" in the provider's key set (keys rotated, or the wrong provider?)", key_family(alg))),
        (None, 0) => Err(format!("the token has no kid and the key set has no {} signing key", key_family(alg))),
        (Some(kid), _) => Ok(format!("kid \"{kid}\"")),
        (None, 1) => Ok("no kid; the key set's only usable key".to_owned()),
        (None, n) => Ok(format!("no kid; {n} candidate keys, each tried")),
    };
    let described = described.and_then(|text| {
        match candidates.iter().find_map(|k| {
            k.get("alg")
                .and_then(Value::as_str)
                .filter(|a| *a != alg_name)
        }) {
            Some(key_alg) if candidates.len() == 1 => Err(format!(
                "the key is for {key_alg}, but the token uses {alg_name}"
            )),
            _ => Ok(text),
        }
    });
    match described {
        Err(why) => {
            checks.push(Check::new("Key", CheckOutcome::Fail, why));
            checks.push(Check::new(
                "Signature",
                CheckOutcome::Fail,
                "not verified: no key",
            ));
        }
        Ok(text) => {
            checks.push(Check::new("Key", CheckOutcome::Pass, text));
            let keys: Vec<(String, DecodingKey)> = candidates
                .iter()
                .filter_map(|k| {
                    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value((*k).clone()).ok()?;
                    let key = DecodingKey::from_jwk(&jwk).ok()?;
                    Some((
                        k.get("kid")
                            .and_then(Value::as_str)
                            .unwrap_or("(no kid)")
                            .to_owned(),
                        key,
                    ))
                })
                .collect();
            checks.push(signature_line(token, &keys, alg));
        }
    }
}

fn signature_line(token: &Jwt, keys: &[(String, DecodingKey)], alg: Algorithm) -> Check {
    if keys.is_empty() {
        return Check::new("Signature", CheckOutcome::Fail, "the key could not be read");
    }
    for (name, key) in keys {
        if let Ok(true) =
            jsonwebtoken::crypto::verify(&token.signature, token.signing_input.as_bytes(), key, alg)
        {
            return Check::new(
                "Signature",
                CheckOutcome::Pass,
                format!("valid, key {name}"),
            );
        }
    }
    Check::new(
        "Signature",
        CheckOutcome::Fail,
        "invalid: the token was altered or signed with another key",
    )
}

fn issuer_check(token: &Jwt, e: &Expectations<'_>) -> Check {
    let actual = token.claim_str("iss");
    match (e.issuer, actual) {
        (_, None) => Check::new("Issuer", CheckOutcome::Fail, "the token has no iss"),
        (None, Some(iss)) => Check::new(
            "Issuer",
            CheckOutcome::Skip,
            format!("no issuer configured; the token says \"{iss}\""),
        ),
        (Some(want), Some(iss)) if want == iss => Check::new("Issuer", CheckOutcome::Pass, iss),
        (Some(want), Some(iss)) => Check::new(
            "Issuer",
            CheckOutcome::Fail,
            format!("the token says \"{iss}\", the directory expects \"{want}\""),
        ),
    }
}

fn audience_checks(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let audiences: Vec<&str> = match token.payload.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut out = vec![if audiences.contains(&e.client_id) {
        Check::new(
            "Audience",
            CheckOutcome::Pass,
            format!("holds the client ID \"{}\"", e.client_id),
        )
    } else if audiences.is_empty() {
        Check::new("Audience", CheckOutcome::Fail, "the token has no aud")
    } else {
        Check::new(
            "Audience",
            CheckOutcome::Fail,
            format!(
                "is {} — not the client ID \"{}\": the token was issued to another application",
                audiences.join(", "),
                e.client_id
            ),
        )
    }];
    if audiences.len() > 1 {
        out.push(match token.claim_str("azp") {
            Some(azp) if azp == e.client_id => {
                Check::new("Authorized party", CheckOutcome::Pass, azp)
            }
            Some(azp) => Check::new(
                "Authorized party",
                CheckOutcome::Fail,
                format!("azp is \"{azp}\", not the client ID"),
            ),
            None => Check::new(
                "Authorized party",
                CheckOutcome::Warn,
                "several audiences and no azp claim",
            ),
        });
    }
    out
}

fn time_checks(token: &Jwt, e: &Expectations<'_>) -> Vec<Check> {
    let number = |name: &str| {
        token
            .payload
            .get(name)
            .and_then(Value::as_f64)
            .map(|v| v as i64)
    };
    let exp = match number("exp") {
        None => Check::new("Expiry", CheckOutcome::Fail, "the token has no exp"),
        Some(exp) if e.now > exp + CLOCK_SKEW_SECS => Check::new(
            "Expiry",
            CheckOutcome::Fail,
            format!(
                "expired {} s ago (check this computer's clock if that seems wrong)",
                e.now - exp
            ),
        ),
        Some(exp) => Check::new(
            "Expiry",
            CheckOutcome::Pass,
            format!("valid for {} s more", exp - e.now),
        ),
    };
    let iat = match number("iat") {
        None => Check::new("Issued at", CheckOutcome::Fail, "the token has no iat"),
        Some(iat) if iat > e.now + CLOCK_SKEW_SECS => Check::new(
            "Issued at",
            CheckOutcome::Fail,
            format!(
                "issued {} s in the future: this computer's clock or the provider's is wrong",
                iat - e.now
            ),
        ),
        Some(iat) => Check::new(
            "Issued at",
            CheckOutcome::Pass,
            format!("{} s ago", e.now - iat),
        ),
    };
    vec![exp, iat]
}

fn at_hash_check(token: &Jwt, e: &Expectations<'_>) -> Check {
    let Some(expected) = token.claim_str("at_hash") else {
        return Check::new(
            "Access token hash",
            CheckOutcome::Skip,
            "no at_hash in the token",
        );
    };
    let Some(access_token) = e.access_token else {
        return Check::new(
            "Access token hash",
            CheckOutcome::Skip,
            "no access token to compare",
        );
    };
    let alg = token.header_str("alg").unwrap_or("");
    let digest = if alg.ends_with("384") {
        &ring::digest::SHA384
    } else if alg.ends_with("512") || alg == "EdDSA" {
        &ring::digest::SHA512
    } else {
        &ring::digest::SHA256
    };
    let hash = ring::digest::digest(digest, access_token.as_bytes());
    let half = &hash.as_ref()[..hash.as_ref().len() / 2];
    if URL_SAFE_NO_PAD.encode(half) == expected {
        Check::new(
            "Access token hash",
            CheckOutcome::Pass,
            "at_hash matches the access token",
        )
    } else {
        Check::new(
            "Access token hash",
            CheckOutcome::Fail,
            "at_hash does not match the access token received",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tokens::{sign_hs256, unsigned, TestKey};
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn claims() -> Value {
        json!({
            "iss": "https://idp.example.com", "sub": "u1", "aud": "client-1", "nonce": "n-1",
            "exp": NOW + 300, "iat": NOW - 5,
        })
    }

    fn outcomes(
        token: &str,
        keys: &[Value],
        edit: impl FnOnce(&mut Expectations<'_>),
    ) -> Vec<(String, CheckOutcome)> {
        let jwt = crate::claims::decode_unverified(token).unwrap();
        let mut e = Expectations {
            client_id: "client-1",
            client_secret: "shh",
            issuer: Some("https://idp.example.com"),
            nonce: "n-1",
            access_token: Some("at-123"),
            keys: Ok(keys),
            now: NOW,
        };
        edit(&mut e);
        verify_id_token(&jwt, &e)
            .into_iter()
            .map(|c| (c.name, c.outcome))
            .collect()
    }

    fn failed(list: &[(String, CheckOutcome)]) -> Vec<&str> {
        list.iter()
            .filter(|(_, o)| *o == CheckOutcome::Fail)
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
        let mut c = claims();
        edit(c.as_object_mut().unwrap());
        c
    }

    #[test]
    fn each_id_token_fault_fails_its_own_check() {
        let key = TestKey::generate("k1");
        let other = TestKey::generate("k2");
        let keys = vec![key.jwk()];
        let two_keys = vec![other.jwk(), key.jwk()];
        let mut tampered = key.sign(&claims(), true);
        tampered = {
            let parts: Vec<&str> = tampered.split('.').collect();
            let payload = URL_SAFE_NO_PAD.encode(
                with(|c| {
                    c.insert("sub".into(), "admin".into());
                })
                .to_string(),
            );
            format!("{}.{payload}.{}", parts[0], parts[2])
        };
        let cases: Vec<(&str, String, &[Value], Vec<&str>)> = vec![
            ("valid", key.sign(&claims(), true), &keys, vec![]),
            ("no kid, one key", key.sign(&claims(), false), &keys, vec![]),
            (
                "no kid, several keys: each tried",
                key.sign(&claims(), false),
                &two_keys,
                vec![],
            ),
            (
                "unknown key",
                other.sign(&claims(), true),
                &keys,
                vec!["Key", "Signature"],
            ),
            (
                "alg none",
                unsigned(&claims()),
                &keys,
                vec!["Algorithm", "Signature"],
            ),
            ("tampered", tampered, &keys, vec!["Signature"]),
            (
                "expired",
                key.sign(
                    &with(|c| {
                        c.insert("exp".into(), (NOW - 3600).into());
                    }),
                    true,
                ),
                &keys,
                vec!["Expiry"],
            ),
            (
                "issued in the future",
                key.sign(
                    &with(|c| {
                        c.insert("iat".into(), (NOW + 3600).into());
                    }),
                    true,
                ),
                &keys,
                vec!["Issued at"],
            ),
            (
                "wrong aud",
                key.sign(
                    &with(|c| {
                        c.insert("aud".into(), "other-app".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Audience"],
            ),
            (
                "wrong nonce",
                key.sign(
                    &with(|c| {
                        c.insert("nonce".into(), "n-2".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Nonce"],
            ),
            (
                "wrong issuer",
                key.sign(
                    &with(|c| {
                        c.insert("iss".into(), "https://evil.example.com".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Issuer"],
            ),
            (
                "bad at_hash",
                key.sign(
                    &with(|c| {
                        c.insert("at_hash".into(), "AAAA".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Access token hash"],
            ),
            (
                "wrong azp",
                key.sign(
                    &with(|c| {
                        c.insert("aud".into(), json!(["client-1", "api"]));
                        c.insert("azp".into(), "api".into());
                    }),
                    true,
                ),
                &keys,
                vec!["Authorized party"],
            ),
            (
                "hs256 with the client secret",
                sign_hs256(&claims(), "shh"),
                &[],
                vec![],
            ),
            (
                "hs256 with another secret",
                sign_hs256(&claims(), "not-it"),
                &[],
                vec!["Signature"],
            ),
        ];
        for (name, token, keys, want) in cases {
            let got = outcomes(&token, keys, |_| {});
            assert_eq!(failed(&got), want, "{name}: {got:?}");
        }
    }

    #[test]
    fn at_hash_is_checked_when_present() {
        let key = TestKey::generate("k1");
        let hash = ring::digest::digest(&ring::digest::SHA256, b"at-123");
        let at_hash = URL_SAFE_NO_PAD.encode(&hash.as_ref()[..16]);
        let token = key.sign(
            &with(|c| {
                c.insert("at_hash".into(), at_hash.into());
            }),
            true,
        );
        let got = outcomes(&token, &[key.jwk()], |_| {});
        assert!(
            got.contains(&("Access token hash".into(), CheckOutcome::Pass)),
            "{got:?}"
        );
    }

    #[test]
    fn missing_key_set_or_issuer_is_explained() {
        let key = TestKey::generate("k1");
        let token = key.sign(&claims(), true);
        let got = outcomes(&token, &[], |e| {
            e.keys = Err("the key set could not be fetched".into());
            e.issuer = None;
        });
        assert_eq!(failed(&got), ["Key", "Signature"]);
        assert!(got.contains(&("Issuer".into(), CheckOutcome::Skip)));
    }

    #[test]
    fn several_audiences_without_azp_is_a_warning() {
        let key = TestKey::generate("k1");
        let token = key.sign(
            &with(|c| {
                c.insert("aud".into(), json!(["client-1", "api"]));
            }),
            true,
        );
        let got = outcomes(&token, &[key.jwk()], |_| {});
        assert!(
            got.contains(&("Authorized party".into(), CheckOutcome::Warn)),
            "{got:?}"
        );
        assert!(failed(&got).is_empty());
    }
}
