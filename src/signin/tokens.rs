//! The two tokens as sources of claims: the ID token verified, the access token decoded for
//! display only.

use super::keys::ProviderKeys;
use super::result::{SourceClaims, SourceStatus};
use super::verify::{verify_id_token, Check, CheckName, CheckOutcome, Expectations};
use crate::claims::decode_unverified;
use crate::directory::Directory;
use crate::sensitive::SecretString;

pub(super) fn access_token_source(token: Option<&str>) -> SourceClaims {
    let Some(token) = token else {
        return SourceClaims::not_requested("the token response held no access token");
    };
    if !token.contains('.') {
        // Most providers' access tokens are opaque by design: nothing is wrong with them.
        return SourceClaims {
            status: SourceStatus::Opaque,
            status_detail: "an opaque token, not a JWT: only the provider can read it, as intended; map claims from the ID token or userinfo".into(),
            header: None,
            claims: None,
            raw: Some(token.to_owned()),
        };
    }
    match decode_unverified(token) {
        Ok(jwt) => SourceClaims {
            status: SourceStatus::Unverified,
            status_detail:
                "a JWT, decoded for display only: it is meant for another API, which verifies it"
                    .into(),
            header: Some(jwt.header),
            claims: Some(jwt.payload),
            raw: Some(token.to_owned()),
        },
        Err(e) => SourceClaims {
            status: SourceStatus::Opaque,
            status_detail: format!(
                "{e}: only the provider can read it; map claims from the ID token or userinfo"
            ),
            header: None,
            claims: None,
            raw: Some(token.to_owned()),
        },
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn id_token_source(
    raw: &str,
    directory: &Directory,
    secret: &SecretString,
    nonce: &str,
    access_token: Option<&str>,
    provider: &ProviderKeys,
    now: i64,
) -> (SourceClaims, Vec<Check>) {
    let jwt = match decode_unverified(raw) {
        Ok(jwt) => jwt,
        Err(e) => {
            let check = Check {
                name: CheckName::IdToken,
                outcome: CheckOutcome::Fail,
                detail: e.to_string(),
            };
            let source = SourceClaims {
                status: SourceStatus::Failed,
                status_detail: e.to_string(),
                header: None,
                claims: None,
                raw: Some(raw.to_owned()),
            };
            return (source, vec![check]);
        }
    };
    let issuer = directory.issuer.as_ref().map(ToString::to_string);
    let expectations = Expectations {
        client_id: &directory.client_id,
        client_secret: secret.expose(),
        issuer: issuer.as_deref(),
        nonce,
        access_token,
        keys: provider.keys.as_deref().map_err(Clone::clone),
        id_token_signing_algs: provider.signing_algs.as_deref().map_err(Clone::clone),
        now,
    };
    let checks = verify_id_token(&jwt, &expectations);
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Fail)
        .map(|c| c.name.as_str())
        .collect();
    let (status, detail) = if failed.is_empty() {
        let skipped: Vec<String> = checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Skip)
            .map(|c| {
                format!(
                    "{} not checked ({})",
                    c.name.as_str().to_lowercase(),
                    c.detail
                )
            })
            .collect();
        let mut detail = "signature and claims checked".to_owned();
        if !skipped.is_empty() {
            detail.push_str("; ");
            detail.push_str(&skipped.join("; "));
        }
        (SourceStatus::Verified, detail)
    } else {
        (
            SourceStatus::Unverified,
            format!(
                "not trustworthy: {} failed — the claims are shown so you can see what was sent",
                failed.join(", ")
            ),
        )
    };
    (
        SourceClaims {
            status,
            status_detail: detail,
            header: Some(jwt.header),
            claims: Some(jwt.payload),
            raw: Some(raw.to_owned()),
        },
        checks,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opaque_access_token_is_not_called_cut_off() {
        let source = access_token_source(Some("2YotnFZFEjr1zCsicMWpAA"));
        assert_eq!(source.status, SourceStatus::Opaque);
        assert!(
            source.status_detail.contains("an opaque token"),
            "{}",
            source.status_detail
        );
        assert!(
            !source.status_detail.contains("cut off"),
            "{}",
            source.status_detail
        );
        // A broken JWT is still named as one.
        let broken = access_token_source(Some("eyJhbGciOiJSUzI1NiJ9.e30"));
        assert!(
            broken.status_detail.contains("3"),
            "{}",
            broken.status_detail
        );
    }
}
