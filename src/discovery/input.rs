//! What people paste into "Discovery Domain", turned into the URL of the discovery document
//! (OpenID Connect Discovery 1.0 §4): a bare host, an issuer with or without a trailing slash,
//! the full well-known URL, an Entra tenant authority.

use crate::directory::is_loopback_host;

/// The path suffix of an OpenID Provider's configuration document.
pub const WELL_KNOWN: &str = "/.well-known/openid-configuration";

/// Turns pasted input into the discovery document's URL.
///
/// A missing scheme becomes `https://` (`http://` for loopback hosts, which is what local and test
/// providers use); the well-known suffix is appended unless present; path segments such as
/// `/realms/x` or `/<tenant>/v2.0` are kept; a fragment is dropped.
pub fn discovery_url(input: &str) -> Result<url::Url, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("enter a domain or URL, such as login.example.com or https://idp.example.com/realms/staff".into());
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(format!(
            "\"{trimmed}\" contains spaces; paste only the domain or URL"
        ));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        let probe = url::Url::parse(&format!("http://{trimmed}"))
            .map_err(|e| format!("\"{trimmed}\" is not a domain or URL ({e})"))?;
        let scheme = if is_loopback_host(&probe) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{trimmed}")
    };
    let mut url = url::Url::parse(&with_scheme)
        .map_err(|e| format!("\"{trimmed}\" is not a valid URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(format!(
                "\"{trimmed}\" uses http://; providers publish their metadata over https:// (http is allowed only on 127.0.0.1, ::1 and localhost)"
            ))
        }
        other => return Err(format!("\"{trimmed}\" uses the {other}: scheme; use https://")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("\"{trimmed}\" has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "\"{trimmed}\" carries a user name or password; remove them"
        ));
    }
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_owned();
    if path.ends_with(WELL_KNOWN) {
        url.set_path(&path);
    } else {
        url.set_path(&format!("{path}{WELL_KNOWN}"));
    }
    Ok(url)
}

/// The issuer a document fetched from `document_url` must declare (Discovery §4.3): the URL
/// without the well-known suffix.
pub fn expected_issuer(document_url: &url::Url) -> String {
    let mut base = document_url.clone();
    base.set_query(None);
    let text = base.as_str().to_owned();
    text.strip_suffix(WELL_KNOWN)
        .map(str::to_owned)
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_inputs_become_discovery_urls() {
        let wk = WELL_KNOWN;
        let cases: &[(&str, &str)] = &[
            ("login.example.com", "https://login.example.com/.well-known/openid-configuration"),
            ("  login.example.com/  ", "https://login.example.com/.well-known/openid-configuration"),
            ("https://login.example.com", "https://login.example.com/.well-known/openid-configuration"),
            ("https://auth.example.com/", "https://auth.example.com/.well-known/openid-configuration"),
            (
                "https://idp.example.com/realms/staff",
                "https://idp.example.com/realms/staff/.well-known/openid-configuration",
            ),
            (
                "idp.example.com/realms/staff/",
                "https://idp.example.com/realms/staff/.well-known/openid-configuration",
            ),
            (
                "login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
            ),
            (
                "https://login.example.com/.well-known/openid-configuration",
                "https://login.example.com/.well-known/openid-configuration",
            ),
            (
                "https://login.example.com/.well-known/openid-configuration/",
                "https://login.example.com/.well-known/openid-configuration",
            ),
            ("127.0.0.1:4000", "http://127.0.0.1:4000/.well-known/openid-configuration"),
            ("localhost:4000/", "http://localhost:4000/.well-known/openid-configuration"),
            ("http://127.0.0.1:4000/oidc", "http://127.0.0.1:4000/oidc/.well-known/openid-configuration"),
            ("https://login.example.com/#x", "https://login.example.com/.well-known/openid-configuration"),
        ];
        for (input, want) in cases {
            assert_eq!(
                discovery_url(input).map(String::from).as_deref(),
                Ok(*want),
                "{input:?} {wk}"
            );
        }
    }

    #[test]
    fn unusable_inputs_say_why() {
        let cases: &[(&str, &str)] = &[
            ("", "enter a domain"),
            ("login example.com", "spaces"),
            ("http://login.example.com", "uses http://"),
            ("ftp://login.example.com", "ftp: scheme"),
            ("https://user:pw@login.example.com", "user name or password"),
            ("https://", "not a valid URL"),
        ];
        for (input, want) in cases {
            let err = discovery_url(input).unwrap_err();
            assert!(err.contains(want), "{input:?}: {err}");
        }
    }

    #[test]
    fn expected_issuer_is_the_url_without_the_suffix() {
        let url = discovery_url("https://idp.example.com/realms/staff").unwrap();
        assert_eq!(
            expected_issuer(&url),
            "https://idp.example.com/realms/staff"
        );
        let url = discovery_url("https://login.example.com").unwrap();
        assert_eq!(expected_issuer(&url), "https://login.example.com");
    }
}
