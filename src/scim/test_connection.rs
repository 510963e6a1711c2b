//! The "Test Connection" of Microsoft Entra ID and the "Test Connector Configuration" of Okta,
//! reproduced request for request, with what each answer means and what the provider would say.
//!
//! Modelled on public accounts of what the providers send:
//! - Entra's Test Connection: one `GET /Users?filter=externalId eq "<random GUID>"` with an
//!   `ADSCIMVersion: 5.0` header, expecting 200 and an empty ListResponse (a request logged by a
//!   SCIM server in MicrosoftDocs/azure-docs#21660). Entra reports most failures — a 404 for a
//!   wrong base path, a 500 — as "You appear to have entered invalid credentials"
//!   (MicrosoftDocs/azure-docs#54231, grokability/snipe-it#13968).
//! - Entra's provisioning cycle looks each user up with `filter=userName eq "…"` before creating
//!   it (Microsoft's SCIM endpoint tutorial, "use-scim-to-provision-users-and-groups"); newer
//!   tenants also filter on `externalId` (OctopusDeploy/Issues#9841).
//! - Okta's Test Connector Configuration: `GET /Users?startIndex=1&count=2`, expecting a
//!   ListResponse with `Resources`, `totalResults`, `startIndex` and `itemsPerPage` (Okta's SCIM
//!   test suite, okta-scim-beta "Test API Credentials"; Delinea's Okta SCIM endpoint reference);
//!   Okta also reads the provider configuration when an app is configured (Okta's SCIM
//!   messages reference), here `GET /ServiceProviderConfig`.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::client::{error_detail, BaseUrl, Exchange, Response, ScimClient};
use super::mapping::Provider;
use super::path::{field, LIST_RESPONSE};
use crate::findings::{has_errors, Finding, Severity};

/// The header Entra adds to its Test Connection request.
pub const ENTRA_VERSION_HEADER: (&str, &str) = ("ADSCIMVersion", "5.0");
/// What Entra shows when its Test Connection fails, whatever the cause.
pub const ENTRA_INVALID_CREDENTIALS: &str = "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account.";

/// One request of a provider's test, and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimConnectionCheck")]
pub struct ConnectionCheck {
    /// Whose request this is.
    pub provider: Provider,
    /// What the provider uses it for.
    pub purpose: String,
    /// The request and the answer.
    pub exchange: Exchange,
    /// What is wrong with the answer (empty when all is well).
    pub findings: Vec<Finding>,
    /// Whether the provider would accept the answer.
    pub passed: bool,
}

/// What a provider would conclude.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimProviderVerdict")]
pub struct ProviderVerdict {
    /// The provider.
    pub provider: Provider,
    /// Whether its test would succeed.
    pub passed: bool,
    /// What it would say, and the real cause when it fails.
    pub summary: String,
}

/// The whole test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimTestConnectionReport")]
pub struct TestConnectionReport {
    /// The tenant URL tested.
    pub base_url: String,
    /// Whether a bearer token was sent.
    pub token_sent: bool,
    /// Each request, in the order sent.
    pub checks: Vec<ConnectionCheck>,
    /// When the base path looks wrong and another one answered as a SCIM endpoint: that URL.
    pub suggested_base_url: Option<String>,
    /// Entra's and Okta's conclusions.
    pub verdicts: Vec<ProviderVerdict>,
    /// Whether every provider's test would pass.
    pub passed: bool,
}

/// Runs both providers' tests against the endpoint.
pub async fn test_connection(client: &ScimClient) -> TestConnectionReport {
    let mut checks = Vec::new();
    let guid = uuid::Uuid::new_v4().to_string();
    let external_filter = format!("externalId eq \"{guid}\"");
    let response = client
        .send(
            Method::GET,
            "/Users",
            &[("filter", external_filter.as_str())],
            None,
            &[ENTRA_VERSION_HEADER],
        )
        .await;
    checks.push(check(
        Provider::Entra,
        "Entra's Test Connection: look up a user by a random externalId; expects 200 and no user",
        &response,
        client,
        Expect::EmptyFilter,
    ));

    let user_name = format!(
        "sso-console-check-{}@example.invalid",
        uuid::Uuid::new_v4().simple()
    );
    let name_filter = format!("userName eq \"{user_name}\"");
    let response = client
        .get("/Users", &[("filter", name_filter.as_str())])
        .await;
    checks.push(check(
        Provider::Entra,
        "Entra's provisioning cycle: look up a user by userName before creating it; expects 200 and no user",
        &response,
        client,
        Expect::EmptyFilter,
    ));

    let response = client
        .get("/Users", &[("startIndex", "1"), ("count", "2")])
        .await;
    checks.push(check(
        Provider::Okta,
        "Okta's Test Connector Configuration: list the first users; expects 200 and a ListResponse",
        &response,
        client,
        Expect::List,
    ));

    let response = client.get("/ServiceProviderConfig", &[]).await;
    checks.push(check(
        Provider::Okta,
        "Okta reads the service provider configuration to learn what the server supports",
        &response,
        client,
        Expect::Configuration,
    ));

    let not_found = checks
        .iter()
        .any(|c| c.exchange.status == Some(404) && c.exchange.path.starts_with("/Users"));
    let suggested_base_url = if not_found {
        guess_base_url(client, &mut checks).await
    } else {
        None
    };
    if let Some(url) = &suggested_base_url {
        for c in checks.iter_mut().filter(|c| c.exchange.status == Some(404)) {
            for f in c
                .findings
                .iter_mut()
                .filter(|f| f.code == "wrong_base_path")
            {
                f.fix =
                    format!("set the tenant URL to {url}: that address answers as a SCIM endpoint");
            }
        }
    }
    let verdicts = vec![entra_verdict(&checks), okta_verdict(&checks)];
    TestConnectionReport {
        base_url: client.base().to_string(),
        token_sent: client.has_token(),
        passed: verdicts.iter().all(|v| v.passed),
        checks,
        suggested_base_url,
        verdicts,
    }
}

/// What a request's answer must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A filter on a value no user has: 200 and an empty ListResponse.
    EmptyFilter,
    /// A page of users: 200 and a ListResponse.
    List,
    /// The service provider configuration: 200 and a JSON object (its absence is a warning).
    Configuration,
}

fn check(
    provider: Provider,
    purpose: &str,
    response: &Response,
    client: &ScimClient,
    expect: Expect,
) -> ConnectionCheck {
    let findings = judge(response, client, expect);
    ConnectionCheck {
        provider,
        purpose: purpose.into(),
        exchange: response.exchange.clone(),
        passed: !has_errors(&findings),
        findings,
    }
}

/// Everything wrong with one answer (pure: no network).
pub fn judge(response: &Response, client: &ScimClient, expect: Expect) -> Vec<Finding> {
    let mut findings = Vec::new();
    let path = response.exchange.path.clone();
    let Some(http) = &response.http else {
        findings.push(transport_finding(response, client));
        return findings;
    };
    let status = http.status;
    let detail = error_detail(response.json.as_ref())
        .map(|d| format!(" The server says: {d}"))
        .unwrap_or_default();
    let media = response.media_type().unwrap_or_default();
    let html = http.is_html_page();
    if !status.is_success() {
        let code = status.as_u16();
        let finding = match code {
            401 if !client.has_token() => Finding::error(
                "token_missing",
                format!("the server wants a bearer token (401 Unauthorized) and none was given.{detail}"),
                "give the secret token from the application's SCIM settings",
            ),
            401 => Finding::error(
                "token_rejected",
                format!("the server refused the bearer token (401 Unauthorized).{detail}"),
                "copy the secret token again from the application; check it was not regenerated or expired, and that it is the SCIM token, not an API key of another kind",
            ),
            403 => Finding::error(
                "token_forbidden",
                format!("the server knows the token but does not allow it to read users (403 Forbidden).{detail}"),
                "give the token's account provisioning rights in the application, or generate a SCIM token there",
            ),
            404 if expect == Expect::Configuration => Finding::warning(
                "configuration_missing",
                "there is no /ServiceProviderConfig (404): clients cannot learn what the server supports",
                "serve /ServiceProviderConfig (RFC 7644 §4); Okta and the console's review read it",
            ),
            404 => Finding::error(
                "wrong_base_path",
                format!("{} answers 404 Not Found: there is no SCIM endpoint at {}{path_only}.{detail}", path, client.base(), path_only = path.split('?').next().unwrap_or(&path)),
                base_path_advice(client.base()),
            ),
            405 => Finding::error(
                "method_not_allowed",
                format!("the server does not allow GET on {path} (405 Method Not Allowed).{detail}"),
                "check the tenant URL: it must be the SCIM base, to which /Users is appended",
            ),
            400 if detail.to_lowercase().contains("filter") => Finding::error(
                "filter_refused",
                format!("the server refuses the filter of {path} (400 Bad Request).{detail}"),
                "support filtering users with eq on userName and externalId: Entra looks every user up this way",
            ),
            300..=399 => Finding::error(
                "redirected",
                format!(
                    "the server redirects ({code}) to {}; providers do not follow redirects",
                    http.location().unwrap_or("an unnamed location")
                ),
                "use the final URL (often https:// instead of http://, or with a trailing path) as the tenant URL",
            ),
            500..=599 => Finding::error(
                "server_error",
                format!("the server failed ({}).{detail}", status_text(status)),
                "look at the application's own logs for this request; the URL and the token may well be right",
            ),
            _ => Finding::error(
                "unexpected_status",
                format!("{path} answered {}; a SCIM endpoint answers 200.{detail}", status_text(status)),
                "check the tenant URL and the token",
            ),
        };
        findings.push(finding.about(path.clone()));
        // A 401, 403 or 404 already says what is wrong (the token, the rights, the path): a
        // sign-in or error page in its body is how many servers word that, not a sign that the
        // tenant URL is a web site.
        if html && !matches!(code, 401 | 403 | 404) {
            findings.push(not_scim(&path));
        }
        return findings;
    }
    if html {
        findings.push(not_scim(&path));
        return findings;
    }
    match media.as_str() {
        "application/scim+json" => {}
        "application/json" => findings.push(
            Finding::warning(
                "json_media_type",
                format!("{path} answers with Content-Type application/json; SCIM's media type is application/scim+json (RFC 7644 §3.1)"),
                "Entra and Okta accept both; answer application/scim+json for stricter clients",
            )
            .about(path.clone()),
        ),
        "" => findings.push(
            Finding::warning(
                "no_media_type",
                format!("{path} answers without a Content-Type"),
                "answer Content-Type: application/scim+json",
            )
            .about(path.clone()),
        ),
        other => findings.push(
            Finding::error(
                "not_json",
                format!("{path} answers with Content-Type {other}, not JSON"),
                "the tenant URL must point at the SCIM API, which answers application/scim+json",
            )
            .about(path.clone()),
        ),
    }
    let Some(json) = &response.json else {
        findings.push(
            Finding::error(
                "invalid_json",
                format!("the body of {path} is not JSON"),
                "the tenant URL must point at the SCIM API",
            )
            .about(path),
        );
        return findings;
    };
    if expect == Expect::Configuration {
        if !json.is_object() {
            findings.push(
                Finding::error(
                    "invalid_configuration",
                    "the service provider configuration is not a JSON object",
                    "",
                )
                .about(path),
            );
        }
        return findings;
    }
    findings.extend(judge_list(json, &path, expect));
    findings
}

/// Checks a ListResponse body.
pub fn judge_list(json: &Json, path: &str, expect: Expect) -> Vec<Finding> {
    let mut findings = Vec::new();
    let about = |f: Finding| f.about(path.to_owned());
    if !json.is_object() {
        findings.push(about(Finding::error(
            "not_a_list_response",
            format!("{path} answers JSON that is not an object, so not a ListResponse"),
            "answer a ListResponse: {\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"], \"totalResults\": 0, \"Resources\": []}",
        )));
        return findings;
    }
    let listed = field(json, "schemas")
        .and_then(Json::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(LIST_RESPONSE)));
    if !listed {
        findings.push(about(Finding::warning(
            "list_response_schema_missing",
            format!("the answer's schemas do not name {LIST_RESPONSE}"),
            format!("add \"schemas\": [\"{LIST_RESPONSE}\"]"),
        )));
    }
    let total = field(json, "totalResults");
    let total = match total {
        Some(Json::Number(n)) => n.as_u64(),
        Some(other) => {
            findings.push(about(Finding::error(
                "bad_total_results",
                format!("totalResults is {other}, not a whole number"),
                "send totalResults as a number",
            )));
            None
        }
        None => {
            findings.push(about(Finding::error(
                "missing_total_results",
                "the ListResponse has no totalResults, which RFC 7644 §3.4.2 requires and Entra reads",
                "add \"totalResults\": the number of matching users (0 when none)",
            )));
            None
        }
    };
    let resources = field(json, "Resources");
    match resources {
        Some(Json::Array(items)) => {
            if expect == Expect::EmptyFilter && !items.is_empty() {
                findings.push(about(Finding::error(
                    "filter_ignored",
                    format!("the filter matches a value no user has, yet the server returned {} user(s): it ignores the filter", items.len()),
                    "implement filter=… eq \"…\"; otherwise Entra takes the first user returned as the match and updates the wrong person",
                )));
            }
        }
        Some(_) => findings.push(about(Finding::error(
            "bad_resources",
            "Resources is not a list",
            "send \"Resources\": [ … ]",
        ))),
        None if total.unwrap_or(0) > 0 => findings.push(about(Finding::error(
            "missing_resources",
            "the ListResponse counts users but has no Resources",
            "send the users in \"Resources\": [ … ]",
        ))),
        None => findings.push(about(Finding::warning(
            "missing_resources_empty",
            "the empty ListResponse leaves out Resources; RFC 7644 allows it, but some clients read the list without checking",
            "send \"Resources\": [] when nothing matches",
        ))),
    }
    if expect == Expect::EmptyFilter
        && total.is_some_and(|t| t > 0)
        && !findings.iter().any(|f| f.code == "filter_ignored")
    {
        findings.push(about(Finding::error(
            "filter_ignored",
            "the filter matches a value no user has, yet totalResults is not 0",
            "implement filter=… eq \"…\"",
        )));
    }
    if expect == Expect::List {
        for name in ["startIndex", "itemsPerPage"] {
            if !field(json, name).is_some_and(Json::is_number) {
                findings.push(about(Finding::warning(
                    "missing_paging",
                    format!("the ListResponse has no numeric {name}; Okta's tests check it"),
                    format!("send \"{name}\" as a number"),
                )));
            }
        }
    }
    findings
}

/// "503 Service Unavailable", or the bare code when it has no standard reason phrase.
fn status_text(status: reqwest::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn not_scim(path: &str) -> Finding {
    Finding::error(
        "not_scim_endpoint",
        format!("{path} answers with an HTML page (a sign-in page or a web site), not a SCIM API"),
        "use the SCIM tenant URL from the application's provisioning settings, not the address of its web site",
    )
    .about(path)
}

fn transport_finding(response: &Response, client: &ScimClient) -> Finding {
    let path = response.exchange.path.clone();
    let message = response.exchange.error.clone().unwrap_or_default();
    match &response.error {
        Some(crate::http::HttpError::Timeout { .. }) => Finding::error(
            "timeout",
            format!("{path} got no complete answer within {} s", client.timeout().as_secs_f32()),
            "check that the server is up and not overloaded; Entra gives up after a similar wait",
        ),
        Some(crate::http::HttpError::Connect { .. }) => Finding::error(
            "unreachable",
            format!("cannot connect: {message}"),
            "check the host name and port of the tenant URL, and that the server is reachable from here",
        ),
        Some(crate::http::HttpError::Certificate { .. }) => Finding::error(
            "certificate",
            message,
            "fix the certificate as the message says; Entra and Okta provision from the internet and accept only certificates from public certificate authorities",
        ),
        Some(crate::http::HttpError::TooLarge { .. }) => Finding::error(
            "too_large",
            message,
            "answer a page of users, not all of them",
        ),
        Some(crate::http::HttpError::Refused { .. }) => Finding::error(
            "refused_url",
            message,
            "nothing was sent: a SCIM endpoint is reached over https:// (http:// only on this computer)",
        ),
        _ => Finding::error("transport", message, "check the tenant URL"),
    }
    .about(path)
}

fn base_path_advice(base: &BaseUrl) -> String {
    let path = url::Url::parse(base.as_str())
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    if path.to_lowercase().ends_with("/users") {
        return format!(
            "remove /Users from the tenant URL ({}): the provider appends it",
            base
        );
    }
    "the tenant URL must be the SCIM base to which /Users is appended, often ending in /scim/v2 or /v2; copy it again from the application's SCIM settings".into()
}

/// Candidate base URLs for a 404: without a trailing `/Users`, and with the usual suffixes.
pub fn candidate_base_urls(base: &BaseUrl) -> Vec<BaseUrl> {
    let text = base.as_str();
    let lower = text.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    if lower.ends_with("/users") {
        out.push(text[..text.len() - "/users".len()].to_owned());
    } else if lower.ends_with("/scim") {
        out.push(format!("{text}/v2"));
    } else if !lower.ends_with("/v2") {
        out.push(format!("{text}/scim/v2"));
        out.push(format!("{text}/v2"));
        out.push(format!("{text}/scim"));
    }
    // One level up, for a base path with a segment too many ("/scim" where the API is at "/").
    if let Ok(url) = url::Url::parse(text) {
        let path = url.path().trim_end_matches('/');
        if let Some((parent, _)) = path.rsplit_once('/').filter(|_| !path.is_empty()) {
            let mut up = url.clone();
            up.set_path(parent);
            let up = up.as_str().trim_end_matches('/').to_owned();
            if !out.contains(&up) {
                out.push(up);
            }
        }
    }
    out.into_iter()
        .filter_map(|c| BaseUrl::parse(&c).ok())
        .take(4)
        .collect()
}

async fn guess_base_url(client: &ScimClient, checks: &mut Vec<ConnectionCheck>) -> Option<String> {
    for candidate in candidate_base_urls(client.base()) {
        let other = client.with_base(candidate.clone());
        let response = other
            .get("/Users", &[("startIndex", "1"), ("count", "1")])
            .await;
        let answers_scim = match response.code() {
            Some(200) => response.json.as_ref().is_some_and(|j| {
                field(j, "totalResults").is_some() || field(j, "Resources").is_some()
            }),
            Some(401 | 403) => response.media_type().is_some_and(|m| m.contains("json")),
            _ => false,
        };
        let mut exchange = response.exchange.clone();
        exchange.path = format!("{} (tried at {candidate})", exchange.path);
        checks.push(ConnectionCheck {
            provider: Provider::Generic,
            purpose: format!("Looking for the SCIM base path: is it {candidate}?"),
            exchange,
            findings: Vec::new(),
            passed: answers_scim,
        });
        if answers_scim {
            return Some(candidate.to_string());
        }
    }
    None
}

fn first_error(checks: &[&ConnectionCheck]) -> Option<String> {
    checks
        .iter()
        .flat_map(|c| c.findings.iter())
        .find(|f| f.severity == Severity::Error)
        .map(|f| {
            if f.fix.is_empty() {
                f.message.clone()
            } else {
                format!("{} ({})", f.message, f.fix)
            }
        })
}

fn entra_verdict(checks: &[ConnectionCheck]) -> ProviderVerdict {
    let entra: Vec<&ConnectionCheck> = checks
        .iter()
        .filter(|c| c.provider == Provider::Entra)
        .collect();
    let (test, sync) = entra.split_at(entra.len().min(1));
    if let Some(cause) = first_error(test) {
        let token_problem = test
            .iter()
            .flat_map(|c| c.findings.iter())
            .any(|f| f.code.starts_with("token"));
        let real = if token_problem {
            format!("here the credentials are indeed the problem: {cause}")
        } else {
            format!("the real cause is not the credentials: {cause}")
        };
        return ProviderVerdict {
            provider: Provider::Entra,
            passed: false,
            summary: format!("Entra would report this as 'invalid credentials' (\"{ENTRA_INVALID_CREDENTIALS}\"); {real}"),
        };
    }
    if let Some(cause) = first_error(sync) {
        return ProviderVerdict {
            provider: Provider::Entra,
            passed: false,
            summary: format!("Entra's Test Connection would succeed, but provisioning would fail at the first user: {cause}"),
        };
    }
    ProviderVerdict {
        provider: Provider::Entra,
        passed: true,
        summary:
            "Entra's Test Connection would succeed, and its user lookups are answered correctly."
                .into(),
    }
}

fn okta_verdict(checks: &[ConnectionCheck]) -> ProviderVerdict {
    let okta: Vec<&ConnectionCheck> = checks
        .iter()
        .filter(|c| c.provider == Provider::Okta)
        .collect();
    match first_error(&okta) {
        Some(cause) => ProviderVerdict {
            provider: Provider::Okta,
            passed: false,
            summary: format!("Okta's Test Connector Configuration would fail: {cause}"),
        },
        None => ProviderVerdict {
            provider: Provider::Okta,
            passed: true,
            summary: "Okta's Test Connector Configuration would succeed.".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_responses_are_judged_field_by_field() {
        let good = json!({"schemas": [LIST_RESPONSE], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []});
        assert_eq!(judge_list(&good, "/Users", Expect::List), []);
        let cases: &[(Json, Expect, &[&str])] = &[
            (
                json!({"schemas": [LIST_RESPONSE], "Resources": []}),
                Expect::EmptyFilter,
                &["missing_total_results"],
            ),
            (
                json!({"schemas": [LIST_RESPONSE], "totalResults": 0}),
                Expect::EmptyFilter,
                &["missing_resources_empty"],
            ),
            (
                json!({"schemas": [LIST_RESPONSE], "totalResults": 3}),
                Expect::EmptyFilter,
                &["missing_resources", "filter_ignored"],
            ),
            (
                json!({"schemas": [LIST_RESPONSE], "totalResults": 1, "Resources": [{"id": "1"}]}),
                Expect::EmptyFilter,
                &["filter_ignored"],
            ),
            (
                json!({"totalResults": "0", "Resources": {}}),
                Expect::EmptyFilter,
                &[
                    "list_response_schema_missing",
                    "bad_total_results",
                    "bad_resources",
                ],
            ),
            (
                json!({"schemas": [LIST_RESPONSE], "totalResults": 0, "Resources": []}),
                Expect::List,
                &["missing_paging", "missing_paging"],
            ),
            (json!([1, 2]), Expect::List, &["not_a_list_response"]),
        ];
        for (body, expect, codes) in cases {
            let found: Vec<String> = judge_list(body, "/Users", *expect)
                .into_iter()
                .map(|f| f.code)
                .collect();
            assert_eq!(found, *codes, "{body}");
        }
    }

    #[test]
    fn base_path_candidates_follow_the_usual_layouts() {
        let names = |url: &str| -> Vec<String> {
            candidate_base_urls(&BaseUrl::parse(url).unwrap())
                .into_iter()
                .map(|b| b.to_string())
                .collect()
        };
        assert_eq!(
            names("https://app.example.com"),
            [
                "https://app.example.com/scim/v2",
                "https://app.example.com/v2",
                "https://app.example.com/scim"
            ]
        );
        assert_eq!(
            names("https://app.example.com/scim"),
            ["https://app.example.com/scim/v2", "https://app.example.com"]
        );
        assert_eq!(
            names("https://app.example.com/api/v2"),
            ["https://app.example.com/api"]
        );
        assert_eq!(
            names("https://app.example.com/scim/v2/Users"),
            ["https://app.example.com/scim/v2"]
        );
    }
}
