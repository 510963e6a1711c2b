//! Validated field types of a directory connection (DESIGN §3.1). Each constructor checks its rule,
//! so a value of these types is valid wherever it appears.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A field that failed its rule, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The document's field name; dotted for nested fields (`claims.email.claim`).
    pub field: String,
    /// What was wrong and what to do, for a person.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl FieldError {
    /// One sentence for a list of field errors, as an error message shows them.
    pub fn describe_all(errors: &[FieldError]) -> String {
        match errors {
            [one] => one.to_string(),
            many => format!(
                "{} fields need attention: {}",
                many.len(),
                many.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The longest directory name accepted.
pub const NAME_MAX_CHARS: usize = 100;

/// A directory's friendly name: trimmed, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryName(String);

impl DirectoryName {
    /// Checks and trims a name.
    pub fn parse(value: &str) -> Result<Self, String> {
        let trimmed = value.trim();
        let chars = trimmed.chars().count();
        if chars == 0 {
            return Err("enter a name for the directory".into());
        }
        if chars > NAME_MAX_CHARS {
            return Err(format!(
                "the name is {chars} characters long; shorten it to at most {NAME_MAX_CHARS}"
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(
                "the name contains a control character (tab, line break…); remove it".into(),
            );
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DirectoryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An endpoint URL: absolute `https://`, or `http://` on a loopback host only. The text is kept
/// as typed (trimmed): issuers are compared character for character, and parsing would add a
/// trailing slash to a bare origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl {
    url: url::Url,
    text: String,
}

impl EndpointUrl {
    /// Checks a URL against the endpoint rules of DESIGN §3.1.
    pub fn parse(value: &str) -> Result<Self, String> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err("enter a URL".into());
        }
        let url = url::Url::parse(trimmed).map_err(|e| {
            format!("\"{trimmed}\" is not a valid absolute URL ({e}); it should look like https://login.example.com/authorize")
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_host(&url) => {}
            "http" => {
                return Err(format!(
                    "\"{trimmed}\" uses http://; use https:// (plain http is allowed only for 127.0.0.1, ::1 and localhost)"
                ))
            }
            other => {
                return Err(format!("\"{trimmed}\" uses the {other}: scheme; use an https:// URL"))
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("\"{trimmed}\" has no host name"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "\"{trimmed}\" carries a user name or password; remove the credentials from the URL"
            ));
        }
        if url.fragment().is_some() {
            return Err(format!("\"{trimmed}\" has a #fragment; remove it"));
        }
        Ok(Self {
            url,
            text: trimmed.to_owned(),
        })
    }

    /// The URL as typed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed URL.
    pub fn url(&self) -> &url::Url {
        &self.url
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether a URL's host is 127.0.0.0/8, ::1 or localhost.
pub fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The scopes requested: space-separated tokens as RFC 6749 §3.3 defines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Splits and checks a space-separated scope list.
    pub fn parse(value: &str) -> Result<Self, String> {
        let tokens: Vec<String> = value.split_whitespace().map(str::to_owned).collect();
        if tokens.is_empty() {
            return Err(format!(
                "enter the scopes, for most providers \"{}\"",
                super::DEFAULT_SCOPES
            ));
        }
        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        if let Some(bad) = tokens.iter().find(|t| {
            t.chars()
                .any(|c| !matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E'))
        }) {
            return Err(format!(
                "the scope \"{bad}\" has a character scopes cannot contain (quotes, backslashes or non-ASCII)"
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = tokens.iter().find(|t| !seen.insert(t.as_str())) {
            return Err(format!("the scope \"{dup}\" is listed twice; list it once"));
        }
        Ok(Self(tokens))
    }

    /// Whether `openid` is requested (without it the provider sends no ID token).
    pub fn has_openid(&self) -> bool {
        self.0.iter().any(|t| t == "openid")
    }

    /// The scope tokens.
    pub fn tokens(&self) -> &[String] {
        &self.0
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

/// Checks a short free-text value that must be present and printable (client id, claim names).
pub fn required_token(value: &str, what: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(format!("enter the {what}"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(format!("the {what} is longer than {max_chars} characters"));
    }
    if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "the {what} \"{trimmed}\" contains spaces or control characters"
        ));
    }
    Ok(trimmed.to_owned())
}

/// Checks an optional free-text value: trimmed, bounded, no control characters.
pub fn optional_text(value: &str, what: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max_chars {
        return Err(format!("the {what} is longer than {max_chars} characters"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(format!("the {what} contains a control character"));
    }
    Ok(trimmed.to_owned())
}

/// The lowest fixed test port accepted: lower ports need administrator rights to listen on.
pub const MIN_TEST_PORT: u16 = 1024;

/// Checks a fixed loopback port for test sign-ins.
pub fn test_port(value: u16) -> Result<u16, String> {
    if value < MIN_TEST_PORT {
        return Err(format!(
            "port {value} needs administrator rights; choose a port from {MIN_TEST_PORT} to 65535"
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_url_rules() {
        let cases: &[(&str, bool)] = &[
            ("https://login.example.com/authorize", true),
            ("  https://login.example.com/authorize  ", true),
            ("http://127.0.0.1:8080/auth", true),
            ("http://127.5.6.7/auth", true),
            ("http://localhost:3000/auth", true),
            ("http://[::1]:3000/auth", true),
            ("http://login.example.com/authorize", false),
            ("http://10.0.0.1/authorize", false),
            ("ftp://login.example.com/", false),
            ("login.example.com/authorize", false),
            ("/authorize", false),
            ("", false),
            ("https://", false),
            ("https://user:pw@login.example.com/", false),
            ("https://login.example.com/a#frag", false),
            ("javascript:alert(1)", false),
        ];
        for (input, ok) in cases {
            assert_eq!(EndpointUrl::parse(input).is_ok(), *ok, "{input:?}");
        }
    }

    #[test]
    fn an_issuer_keeps_its_exact_text() {
        assert_eq!(
            EndpointUrl::parse(" http://127.0.0.1:4000 ")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:4000"
        );
        assert_eq!(
            EndpointUrl::parse("https://tenant.auth0.com/")
                .unwrap()
                .as_str(),
            "https://tenant.auth0.com/"
        );
    }

    #[test]
    fn http_outside_loopback_is_rejected_with_what_to_do() {
        let err = EndpointUrl::parse("http://idp.example.com/token").unwrap_err();
        assert!(err.contains("use https://"), "{err}");
    }

    #[test]
    fn name_rules() {
        let long = "x".repeat(101);
        let exact = "y".repeat(100);
        let cases: &[(&str, Option<&str>)] = &[
            ("  Contoso  ", Some("Contoso")),
            ("", None),
            ("   ", None),
            (&long, None),
            (&exact, Some(&exact)),
            ("bad\tname", None),
            ("Ünïcödé directory", Some("Ünïcödé directory")),
        ];
        for (input, want) in cases {
            let got = DirectoryName::parse(input).ok();
            assert_eq!(got.as_ref().map(DirectoryName::as_str), *want, "{input:?}");
        }
    }

    #[test]
    fn scope_rules() {
        assert!(Scopes::parse("openid email profile").unwrap().has_openid());
        assert!(!Scopes::parse("email profile").unwrap().has_openid());
        assert_eq!(
            Scopes::parse("  openid   email ").unwrap().to_string(),
            "openid email"
        );
        assert!(Scopes::parse("").is_err());
        assert!(Scopes::parse("openid openid").is_err());
        assert!(Scopes::parse("openid \"x\"").is_err());
        assert!(Scopes::parse("openid api://contoso/.default").is_ok());
    }

    #[test]
    fn test_port_below_1024_is_rejected() {
        assert!(test_port(80).is_err());
        assert_eq!(test_port(53682), Ok(53682));
    }
}
