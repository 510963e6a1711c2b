//! Userinfo: the claims the provider's userinfo endpoint answers with, and the check that they
//! are about the ID token's user.

use serde_json::Value;

use super::result::{SignInResult, SourceClaims, SourceStatus};
use super::verify::{Check, CheckName, CheckOutcome};
use crate::claims::decode_unverified;
use crate::directory::Directory;
use crate::http::HttpClient;

pub(super) async fn fetch_userinfo(
    client: &HttpClient,
    directory: &Directory,
    access_token: Option<&str>,
) -> SourceClaims {
    let Some(url) = &directory.userinfo_url else {
        return SourceClaims::not_requested(
            "no userinfo URL is configured; claims there cannot be mapped",
        );
    };
    let Some(token) = access_token else {
        return SourceClaims::not_requested("no access token to call userinfo with");
    };
    let failed = |detail: String| SourceClaims {
        status: SourceStatus::Failed,
        status_detail: detail,
        header: None,
        claims: None,
        raw: None,
    };
    let request = client
        .request(reqwest::Method::GET, url.as_str())
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "application/json, application/jwt");
    let response = match client.send(request).await {
        Ok(r) => r,
        Err(e) => return failed(e.to_string()),
    };
    if !response.status.is_success() {
        let challenge = response
            .headers
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        let why = if response.status.as_u16() == 401 {
            "the provider refused the access token at userinfo — typical when the access token is a JWT meant for another API (resource indicators/audience); request a token for userinfo, or map these claims from the ID token"
        } else {
            "check the Userinfo URL"
        };
        return failed(format!(
            "userinfo answered {}{challenge}: {why}",
            response.status
        ));
    }
    let raw = response.text();
    if response.media_type().as_deref() == Some("application/jwt") {
        return match decode_unverified(&raw) {
            Ok(jwt) => SourceClaims {
                status: SourceStatus::Unverified,
                status_detail: "a signed userinfo JWT, decoded for display".into(),
                header: Some(jwt.header),
                claims: Some(jwt.payload),
                raw: Some(raw),
            },
            Err(e) => failed(format!("userinfo answered a JWT that cannot be read: {e}")),
        };
    }
    match serde_json::from_str::<Value>(&raw) {
        Ok(Value::Object(claims)) => SourceClaims {
            status: SourceStatus::Received,
            status_detail: "received from the provider's userinfo endpoint".into(),
            header: None,
            claims: Some(claims),
            raw: Some(raw),
        },
        _ => failed("userinfo did not answer with a JSON object".into()),
    }
}

/// Userinfo's `sub` must be the ID token's (OpenID Connect Core §5.3.2).
pub(super) fn userinfo_subject_check(result: &SignInResult) -> Option<Check> {
    let id_sub = result.id_token.claims.as_ref()?.get("sub")?.as_str()?;
    let info = result.userinfo.claims.as_ref()?;
    Some(match info.get("sub").and_then(Value::as_str) {
        Some(sub) if sub == id_sub => Check { name: CheckName::UserinfoSubject, outcome: CheckOutcome::Pass, detail: "userinfo's sub matches the ID token's".into() },
        Some(sub) => Check {
            name: CheckName::UserinfoSubject,
            outcome: CheckOutcome::Fail,
            detail: format!("userinfo is about \"{sub}\", the ID token about \"{id_sub}\": the userinfo answer is not about this user"),
        },
        None => Check { name: CheckName::UserinfoSubject, outcome: CheckOutcome::Fail, detail: "userinfo has no sub".into() },
    })
}
