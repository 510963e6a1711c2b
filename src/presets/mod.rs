//! Provider presets (C12): what the console knows of each identity provider, as data — the
//! values a person gives (a tenant, a domain, a realm…), each checked with an example, and what
//! follows from them: the discovery URL and issuer, the endpoints, the scopes, the claim that
//! holds the immutable user id, whether the provider matches redirect URIs exactly, and its
//! known quirks (DESIGN §3.5). No provider is named anywhere else in the code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directory::{
    loopback_redirect, ClaimMapping, ClaimMappings, ClaimSource, DirectoryDocument, FieldError,
    StaffRule,
};
use guide::{Guide, Slots};

pub mod guide;
mod guides;

/// What a preset's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A host name: letters, digits, dots and dashes, at least one dot ("contoso.okta.com").
    Host,
    /// A host name, or one label a preset turns into a host ("myapp").
    HostOrLabel,
    /// An Entra tenant: its directory (tenant) ID, a GUID, or a verified domain.
    Tenant,
    /// An AWS region ("eu-west-1").
    Region,
    /// A Cognito user pool id ("eu-west-1_AbCdEf123").
    UserPool,
    /// An https (or loopback http) URL without query or fragment.
    BaseUrl,
    /// One path segment: letters, digits, `-`, `_`, `.` ("master", "default").
    Segment,
}

/// One value a preset asks for.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Param {
    /// The `--param` key (`tenant`, `domain`…).
    pub key: &'static str,
    /// What it is, in people's words.
    pub label: &'static str,
    /// A valid example.
    pub example: &'static str,
    /// Whether it may be left out.
    pub optional: bool,
    #[serde(skip)]
    shape: Shape,
}

/// What a preset derives from its values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// Where discovery starts.
    pub discovery: String,
    /// The issuer ID tokens carry, when it follows from the values alone.
    pub issuer: Option<String>,
    /// The authorization endpoint.
    pub authorization: String,
    /// The token endpoint.
    pub token: String,
    /// The userinfo endpoint.
    pub userinfo: Option<String>,
    /// The key set.
    pub jwks: String,
}

/// One identity provider.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Preset {
    /// The id `ssoctl` takes (`entra`, `okta`…).
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The values it asks for.
    pub params: &'static [Param],
    /// The claim that holds the immutable user id.
    pub external_id_claim: &'static str,
    /// Whether the provider matches redirect URIs exactly, port included: the test sign-in
    /// then needs a fixed port registered with it.
    pub exact_redirect: bool,
    /// What to know about it, one sentence each.
    pub quirks: &'static [&'static str],
    /// The staff rule that suits it, when it has a natural claim for staff.
    pub staff_suggestion: Option<StaffSuggestion>,
    /// The provider-side steps, with `{key}` placeholders (see [`guide`]).
    #[serde(skip)]
    steps: &'static [&'static str],
    #[serde(skip)]
    endpoints: fn(&Values) -> Endpoints,
    /// Whether an issuer or discovery URL is this provider's.
    #[serde(skip)]
    recognise: fn(&url::Url) -> bool,
}

/// A staff rule a preset suggests: staff users carry `claim` with `value` in it (the guide
/// says how to set that up at the provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StaffSuggestion {
    /// The claim.
    pub claim: &'static str,
    /// The value staff users have in it.
    pub value: &'static str,
}

impl StaffSuggestion {
    /// The rule.
    pub fn rule(&self) -> StaffRule {
        StaffRule::ClaimEquals {
            claim: self.claim.to_owned(),
            value: self.value.to_owned(),
        }
    }
}

/// A preset as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresetInfo {
    /// Its id.
    pub id: String,
    /// The provider's name.
    pub name: String,
    /// The values it asks for.
    pub params: Vec<PresetParam>,
    /// The claim that holds the immutable user id.
    pub external_id_claim: String,
    /// Whether the provider matches redirect URIs exactly, port included.
    pub exact_redirect: bool,
    /// What to know about it.
    pub quirks: Vec<String>,
    /// The staff rule that suits it, if any.
    pub staff_suggestion: Option<StaffRule>,
}

/// One value a preset asks for, as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresetParam {
    /// Its key.
    pub key: String,
    /// What it is.
    pub label: String,
    /// A valid example.
    pub example: String,
    /// Whether it may be left out.
    pub optional: bool,
}

/// The test sign-in port a preset's directory starts with.
pub const TEST_PORT: u16 = 47613;

/// What a guide needs of the directory it is for.
#[derive(Debug, Clone)]
pub struct GuideFor<'a> {
    /// Its name.
    pub name: &'a str,
    /// The sign-in service's redirect URL for it, or why there is none yet.
    pub redirect_url: Result<String, String>,
    /// Its fixed test sign-in port.
    pub test_redirect_port: Option<u16>,
}

/// A preset's checked values, by key.
pub type Values = BTreeMap<&'static str, String>;

const fn param(
    key: &'static str,
    label: &'static str,
    example: &'static str,
    shape: Shape,
) -> Param {
    Param {
        key,
        label,
        example,
        optional: false,
        shape,
    }
}

/// Every preset, in the order a person meets them.
pub const PRESETS: [Preset; 7] = [
    Preset {
        id: "entra",
        name: "Microsoft Entra ID",
        params: &[param(
            "tenant",
            "the directory (tenant) ID, a verified domain of the tenant, or common or organizations for many tenants",
            "72f988bf-86f1-41af-91ab-2d7cd011db47",
            Shape::Tenant,
        )],
        external_id_claim: "oid",
        exact_redirect: true,
        quirks: &[
            "Entra does not list code_challenge_methods_supported, yet supports PKCE with S256: keep PKCE on.",
            "The issuer carries the tenant ID: a tenant given by domain gets its issuer from discovery; the multi-tenant endpoints (common, organizations) publish {tenantid} in it.",
            "oid is the user's immutable id in the tenant; sub differs per application.",
        ],
        staff_suggestion: Some(StaffSuggestion { claim: "roles", value: "Staff" }),
        steps: guides::ENTRA,
        recognise: |u| u.host_str() == Some("login.microsoftonline.com"),
        endpoints: |v| {
            let base = format!("https://login.microsoftonline.com/{}", v["tenant"]);
            Endpoints {
                discovery: format!("{base}/v2.0"),
                issuer: is_guid(&v["tenant"]).then(|| format!("{base}/v2.0")),
                authorization: format!("{base}/oauth2/v2.0/authorize"),
                token: format!("{base}/oauth2/v2.0/token"),
                userinfo: Some("https://graph.microsoft.com/oidc/userinfo".to_owned()),
                jwks: format!("{base}/discovery/v2.0/keys"),
            }
        },
    },
    Preset {
        id: "okta",
        name: "Okta",
        params: &[
            param("domain", "the Okta domain", "contoso.okta.com", Shape::Host),
            Param {
                optional: true,
                ..param(
                    "authorization_server",
                    "org (the default), default, or a custom authorization server's id",
                    "default",
                    Shape::Segment,
                )
            },
        ],
        external_id_claim: "sub",
        exact_redirect: true,
        quirks: &[
            "The org authorization server (issuer https://<domain>) and custom ones (issuer https://<domain>/oauth2/<id>) have different issuers and endpoints; tokens of one do not validate at the other.",
        ],
        staff_suggestion: Some(StaffSuggestion { claim: "groups", value: "Staff" }),
        steps: guides::OKTA,
        recognise: |u| host_ends(u, &[".okta.com", ".oktapreview.com", ".okta-emea.com"]),
        endpoints: |v| {
            let (issuer, base) = match v.get("authorization_server").map(String::as_str) {
                None | Some("org") => {
                    let issuer = format!("https://{}", v["domain"]);
                    (issuer.clone(), format!("{issuer}/oauth2/v1"))
                }
                Some(server) => {
                    let issuer = format!("https://{}/oauth2/{server}", v["domain"]);
                    (issuer.clone(), format!("{issuer}/v1"))
                }
            };
            Endpoints {
                discovery: issuer.clone(),
                issuer: Some(issuer),
                authorization: format!("{base}/authorize"),
                token: format!("{base}/token"),
                userinfo: Some(format!("{base}/userinfo")),
                jwks: format!("{base}/keys"),
            }
        },
    },
    Preset {
        id: "google",
        name: "Google Workspace",
        params: &[Param {
            optional: true,
            ..param(
                "hosted_domain",
                "the Workspace domain whose users may sign in",
                "contoso.com",
                Shape::Host,
            )
        }],
        external_id_claim: "sub",
        exact_redirect: false,
        quirks: &[
            "Any Google account can sign in unless the hd claim is checked: with a Workspace domain, expect hd to equal it.",
        ],
        staff_suggestion: None,
        steps: guides::GOOGLE,
        recognise: |u| u.host_str() == Some("accounts.google.com"),
        endpoints: |_| Endpoints {
            discovery: "https://accounts.google.com".to_owned(),
            issuer: Some("https://accounts.google.com".to_owned()),
            authorization: "https://accounts.google.com/o/oauth2/v2/auth".to_owned(),
            token: "https://oauth2.googleapis.com/token".to_owned(),
            userinfo: Some("https://openidconnect.googleapis.com/v1/userinfo".to_owned()),
            jwks: "https://www.googleapis.com/oauth2/v3/certs".to_owned(),
        },
    },
    Preset {
        id: "cognito",
        name: "Amazon Cognito",
        params: &[
            param("region", "the AWS region of the user pool", "eu-west-1", Shape::Region),
            param("user_pool_id", "the user pool id", "eu-west-1_AbCdEf123", Shape::UserPool),
            param(
                "domain",
                "the hosted UI domain: its prefix, or a custom domain",
                "contoso-login",
                Shape::HostOrLabel,
            ),
        ],
        external_id_claim: "sub",
        exact_redirect: true,
        quirks: &[
            "The hosted UI's domain (the authorization, token and userinfo endpoints) is not the issuer's host (cognito-idp.<region>.amazonaws.com).",
        ],
        staff_suggestion: Some(StaffSuggestion { claim: "cognito:groups", value: "Staff" }),
        steps: guides::COGNITO,
        recognise: |u| u.host_str().is_some_and(|h| h.starts_with("cognito-idp.") && h.ends_with(".amazonaws.com")),
        endpoints: |v| {
            let issuer = format!(
                "https://cognito-idp.{}.amazonaws.com/{}",
                v["region"], v["user_pool_id"]
            );
            let domain = &v["domain"];
            let host = if domain.contains('.') {
                domain.clone()
            } else {
                format!("{domain}.auth.{}.amazoncognito.com", v["region"])
            };
            Endpoints {
                discovery: issuer.clone(),
                jwks: format!("{issuer}/.well-known/jwks.json"),
                issuer: Some(issuer),
                authorization: format!("https://{host}/oauth2/authorize"),
                token: format!("https://{host}/oauth2/token"),
                userinfo: Some(format!("https://{host}/oauth2/userInfo")),
            }
        },
    },
    Preset {
        id: "auth0",
        name: "Auth0",
        params: &[param("domain", "the Auth0 domain of the tenant", "contoso.eu.auth0.com", Shape::Host)],
        external_id_claim: "sub",
        exact_redirect: false,
        quirks: &["Auth0's issuer ends with a slash (https://<domain>/); without it every ID token is refused."],
        staff_suggestion: None,
        steps: guides::AUTH0,
        recognise: |u| host_ends(u, &[".auth0.com"]),
        endpoints: |v| {
            let base = format!("https://{}", v["domain"]);
            Endpoints {
                discovery: base.clone(),
                issuer: Some(format!("{base}/")),
                authorization: format!("{base}/authorize"),
                token: format!("{base}/oauth/token"),
                userinfo: Some(format!("{base}/userinfo")),
                jwks: format!("{base}/.well-known/jwks.json"),
            }
        },
    },
    Preset {
        id: "keycloak",
        name: "Keycloak",
        params: &[
            param("base_url", "the server's address", "https://sso.contoso.com", Shape::BaseUrl),
            param("realm", "the realm", "customers", Shape::Segment),
        ],
        external_id_claim: "sub",
        exact_redirect: false,
        quirks: &[
            "Keycloak before version 17 serves everything under /auth (https://<host>/auth/realms/<realm>): include /auth in the address for those.",
        ],
        staff_suggestion: Some(StaffSuggestion { claim: "roles", value: "Staff" }),
        steps: guides::KEYCLOAK,
        recognise: |u| u.path().contains("/realms/"),
        endpoints: |v| {
            let issuer = format!("{}/realms/{}", v["base_url"], v["realm"]);
            let base = format!("{issuer}/protocol/openid-connect");
            Endpoints {
                discovery: issuer.clone(),
                issuer: Some(issuer),
                authorization: format!("{base}/auth"),
                token: format!("{base}/token"),
                userinfo: Some(format!("{base}/userinfo")),
                jwks: format!("{base}/certs"),
            }
        },
    },
    Preset {
        id: "generic",
        name: "Any OpenID Connect provider",
        params: &[param("issuer", "the provider's issuer", "https://login.contoso.com", Shape::BaseUrl)],
        external_id_claim: "sub",
        exact_redirect: false,
        quirks: &["The endpoints come from the provider's discovery document: run Discover."],
        staff_suggestion: None,
        steps: guides::GENERIC,
        recognise: |_| false,
        endpoints: |v| Endpoints {
            discovery: v["issuer"].clone(),
            issuer: Some(v["issuer"].clone()),
            ..Endpoints::default()
        },
    },
];

/// The preset whose provider serves this issuer or discovery URL, when one does.
pub fn recognise(url: &url::Url) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| (p.recognise)(url))
}

fn host_ends(url: &url::Url, suffixes: &[&str]) -> bool {
    url.host_str()
        .is_some_and(|h| suffixes.iter().any(|s| h.ends_with(s)))
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id.trim())
}

impl Preset {
    /// Checks `given` (key, value) against the preset's values: each missing, unknown or
    /// malformed one is reported, naming it and showing an example.
    pub fn values(&self, given: &[(String, String)]) -> Result<Values, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut values = Values::new();
        for (key, _) in given {
            if !self.params.iter().any(|p| p.key == key) {
                let known: Vec<&str> = self.params.iter().map(|p| p.key).collect();
                errors.push(FieldError::new(
                    key,
                    format!(
                        "{} takes no value \"{key}\"; it takes {}",
                        self.name,
                        known.join(", ")
                    ),
                ));
            }
        }
        for p in self.params {
            let value = given
                .iter()
                .rev()
                .find(|(k, _)| k == p.key)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty());
            match value {
                None if p.optional => {}
                None => errors.push(FieldError::new(
                    p.key,
                    format!("give {}: {} (for example {})", p.key, p.label, p.example),
                )),
                Some(value) => match check(p.shape, value) {
                    Ok(value) => {
                        values.insert(p.key, value);
                    }
                    Err(why) => errors.push(FieldError::new(
                        p.key,
                        format!(
                            "\"{value}\" is not {}: {why} (for example {})",
                            p.label, p.example
                        ),
                    )),
                },
            }
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(errors)
        }
    }

    /// What the values make of the endpoints.
    pub fn endpoints(&self, values: &Values) -> Endpoints {
        (self.endpoints)(values)
    }

    /// The preset as the app shows it.
    pub fn info(&self) -> PresetInfo {
        PresetInfo {
            id: self.id.to_owned(),
            name: self.name.to_owned(),
            params: self
                .params
                .iter()
                .map(|p| PresetParam {
                    key: p.key.to_owned(),
                    label: p.label.to_owned(),
                    example: p.example.to_owned(),
                    optional: p.optional,
                })
                .collect(),
            external_id_claim: self.external_id_claim.to_owned(),
            exact_redirect: self.exact_redirect,
            quirks: self.quirks.iter().map(|q| (*q).to_owned()).collect(),
            staff_suggestion: self.staff_suggestion.map(|s| s.rule()),
        }
    }

    /// The provider-side steps for the directory `dir`, with its values filled in.
    pub fn guide(&self, values: &Values, dir: &GuideFor<'_>) -> Guide {
        let mut slots = Slots::default();
        for p in self.params {
            match values.get(p.key) {
                Some(value) => slots.value(p.key, p.key, value.clone()),
                None => slots.missing(p.key, p.key, format!("not given: {}", p.label)),
            };
        }
        slots
            .value_or(
                "issuer",
                "Issuer",
                self.endpoints(values)
                    .issuer
                    .ok_or_else(|| "the issuer comes from discovery".to_owned()),
            )
            .value("name", "Application name", dir.name)
            .value_or("redirect_url", "Redirect URI", dir.redirect_url.clone())
            .value_or(
                "loopback_redirect",
                "Test sign-in redirect URI",
                dir.test_redirect_port
                    .map(loopback_redirect)
                    .ok_or_else(|| "give the directory a fixed test sign-in port first".to_owned()),
            );
        Guide {
            title: format!("{}: register SSO Console's sign-in at {}", dir.name, self.name),
            intro: format!(
                "For the administrator of {}. These steps register the sign-in of \"{}\" and the console's test sign-in, and give the client ID and secret to enter in the console. No secret is in this guide.",
                self.name, dir.name
            ),
            steps: self.steps.iter().map(|t| slots.fill(t)).collect(),
            notes: self.quirks.iter().map(|q| (*q).to_owned()).collect(),
        }
    }

    /// A new directory's document prefilled from `values`: endpoints, issuer, scopes, claim
    /// mappings and a fixed test sign-in port, so that the loopback redirect the guide asks
    /// to register is exact. Name, logo, client ID and secret are the person's to give.
    pub fn document(&self, values: &Values) -> DirectoryDocument {
        let e = self.endpoints(values);
        let claim = |name: &str| ClaimMapping {
            claim: name.to_owned(),
            source: ClaimSource::IdToken,
        };
        let defaults = ClaimMappings::default();
        DirectoryDocument {
            discovery_domain: Some(e.discovery),
            authorization_url: e.authorization,
            token_url: e.token,
            userinfo_url: e.userinfo,
            issuer: e.issuer,
            jwks_uri: Some(e.jwks).filter(|j| !j.is_empty()),
            claims: ClaimMappings {
                external_id: claim(self.external_id_claim),
                ..defaults
            },
            test_redirect_port: Some(TEST_PORT),
            ..DirectoryDocument::default()
        }
    }
}

/// Entra's tenant words for many tenants at once.
const MULTI_TENANT: [&str; 3] = ["common", "organizations", "consumers"];

fn is_guid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok() && text.len() == 36
}

/// Checks one value; answers it as it is to be used (lower-cased host, no trailing slash).
fn check(shape: Shape, value: &str) -> Result<String, String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let host = |v: &str| -> Result<String, String> {
        if v.contains("://") || v.contains('/') {
            return Err("give the host name alone, without https:// or a path".to_owned());
        }
        let v = v.to_ascii_lowercase();
        if !v.contains('.') || !v.split('.').all(label_ok) {
            return Err(
                "a host name has letters, digits and dashes, in parts between dots".to_owned(),
            );
        }
        Ok(v)
    };
    match shape {
        Shape::Host => host(value),
        Shape::HostOrLabel if !value.contains('.') => {
            let v = value.to_ascii_lowercase();
            if label_ok(&v) {
                Ok(v)
            } else {
                Err("a domain prefix has letters, digits and dashes only".to_owned())
            }
        }
        Shape::HostOrLabel => host(value),
        Shape::Tenant if is_guid(value) => Ok(value.to_ascii_lowercase()),
        // The multi-tenant endpoints: their issuer is a template, {tenantid}.
        Shape::Tenant if MULTI_TENANT.contains(&value.to_ascii_lowercase().as_str()) => {
            Ok(value.to_ascii_lowercase())
        }
        Shape::Tenant => host(value).map_err(|_| {
            "a tenant is its directory (tenant) ID, a GUID, a verified domain such as contoso.onmicrosoft.com, or common or organizations".to_owned()
        }),
        Shape::Region => {
            let parts: Vec<&str> = value.split('-').collect();
            let ok = parts.len() >= 3
                && parts[..parts.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
                && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
                && !parts[parts.len() - 1].is_empty();
            if ok {
                Ok(value.to_owned())
            } else {
                Err("an AWS region looks like eu-west-1".to_owned())
            }
        }
        Shape::UserPool => match value.split_once('_') {
            Some((region, id))
                if check(Shape::Region, region).is_ok()
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Ok(value.to_owned())
            }
            _ => Err("a user pool id is its region, an underscore and letters and digits".to_owned()),
        },
        Shape::BaseUrl => {
            let url = crate::directory::EndpointUrl::parse(value)?;
            let text = url.as_str().trim_end_matches('/').to_owned();
            if text.contains('?') || text.contains('#') {
                return Err("give the address without a query or fragment".to_owned());
            }
            Ok(text)
        }
        Shape::Segment => {
            if !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                Ok(value.to_owned())
            } else {
                Err("use letters, digits, '-', '_' and '.' only".to_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests;
