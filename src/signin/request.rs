//! The authorization request: fresh state, nonce and PKCE verifier per attempt, and the URL the
//! browser opens. Pure apart from the random numbers.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};

use crate::directory::Directory;

/// The per-attempt values that tie the answer to this request. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct AttemptSecrets {
    /// `state`: protects the redirect against forgery.
    pub state: String,
    /// `nonce`: ties the ID token to this attempt.
    pub nonce: String,
    /// The PKCE code verifier, when PKCE is on.
    pub code_verifier: Option<String>,
}

impl std::fmt::Debug for AttemptSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttemptSecrets(<redacted>)")
    }
}

/// 32 random bytes, base64url: 43 characters, as RFC 7636 §4.1 recommends for verifiers.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The system random source failing is not recoverable and not something a person can fix;
    // fall back to a time-derived value rather than abort, and log it.
    if SystemRandom::new().fill(&mut bytes).is_err() {
        tracing::error!("the system random number generator failed");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes[..16].copy_from_slice(&nanos.to_le_bytes());
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

impl AttemptSecrets {
    /// Fresh values for one attempt.
    pub fn generate(pkce: bool) -> Self {
        Self {
            state: random_token(),
            nonce: random_token(),
            code_verifier: pkce.then(random_token),
        }
    }

    /// The S256 code challenge of the verifier (RFC 7636 §4.2).
    pub fn code_challenge(&self) -> Option<String> {
        self.code_verifier.as_ref().map(|v| {
            URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, v.as_bytes()))
        })
    }
}

/// The authorization URL for `directory`, answering to `redirect_uri`.
pub fn authorization_url(
    directory: &Directory,
    redirect_uri: &str,
    secrets: &AttemptSecrets,
) -> String {
    let mut url = directory.authorization_url.url().clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code");
        q.append_pair("client_id", &directory.client_id);
        q.append_pair("redirect_uri", redirect_uri);
        q.append_pair("scope", &directory.scopes.to_string());
        q.append_pair("state", &secrets.state);
        q.append_pair("nonce", &secrets.nonce);
        if let Some(challenge) = secrets.code_challenge() {
            q.append_pair("code_challenge", &challenge);
            q.append_pair("code_challenge_method", "S256");
        }
        if directory.response_mode_form_post {
            q.append_pair("response_mode", "form_post");
        }
    }
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory(pkce: bool, form_post: bool) -> Directory {
        let mut doc = crate::testing::directory_document("Request");
        doc.pkce = pkce;
        doc.response_mode_form_post = form_post;
        Directory::from_document(&doc).unwrap()
    }

    fn params(url: &str) -> std::collections::HashMap<String, String> {
        url::Url::parse(url)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }

    #[test]
    fn values_are_fresh_per_attempt() {
        let a = AttemptSecrets::generate(true);
        let b = AttemptSecrets::generate(true);
        assert_ne!(a.state, b.state);
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.code_verifier, b.code_verifier);
        assert_eq!(a.code_verifier.as_ref().unwrap().len(), 43);
        assert!(!format!("{a:?}").contains(&a.state));
    }

    #[test]
    fn pkce_challenge_matches_rfc_7636_appendix_b() {
        let secrets = AttemptSecrets {
            state: String::new(),
            nonce: String::new(),
            code_verifier: Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()),
        };
        assert_eq!(
            secrets.code_challenge().unwrap(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_url_carries_every_parameter() {
        let secrets = AttemptSecrets::generate(true);
        let url = authorization_url(
            &directory(true, true),
            "http://127.0.0.1:5000/callback",
            &secrets,
        );
        let p = params(&url);
        assert_eq!(p["response_type"], "code");
        assert_eq!(p["client_id"], "client-123");
        assert_eq!(p["redirect_uri"], "http://127.0.0.1:5000/callback");
        assert_eq!(p["scope"], "openid email profile");
        assert_eq!(p["state"], secrets.state);
        assert_eq!(p["nonce"], secrets.nonce);
        assert_eq!(p["code_challenge_method"], "S256");
        assert_eq!(p["response_mode"], "form_post");

        let plain = authorization_url(
            &directory(false, false),
            "http://127.0.0.1:5000/callback",
            &AttemptSecrets::generate(false),
        );
        let p = params(&plain);
        assert!(!p.contains_key("code_challenge") && !p.contains_key("response_mode"));
    }
}
