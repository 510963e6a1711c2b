//! The judging of the server's answers: each status against the ones RFC 7644 gives, the user
//! read back against what was sent, and the deactivated user as its filter finds it.

use reqwest::Method;
use serde_json::Value as Json;

use crate::findings::Finding;
use crate::scim::client::{error_detail, Response, ScimClient};
use crate::scim::mapping::MappedValue;
use crate::scim::path::{field, TargetPath};
use crate::scim::schema::resources;

/// Judges a step's answer by its status against `expected`: whether the step worked, and what
/// was found. Another success than the one the RFC gives works, with a warning. `patch_taken`
/// is the first PATCH the server took, when one was.
pub(super) fn judge_status(
    client: &ScimClient,
    patch_taken: Option<&str>,
    response: &Response,
    method: &Method,
    expected: &[u16],
) -> (bool, Vec<Finding>) {
    let mut findings = Vec::new();
    let ok = match response.code() {
        Some(code) if expected.contains(&code) => true,
        Some(code)
            if (200..300).contains(&code) && expected.iter().any(|e| (200..300).contains(e)) =>
        {
            findings.push(Finding::warning(
                "unexpected_success_status",
                format!(
                    "{} answered {code}; RFC 7644 says {}",
                    response.exchange.summary(),
                    expected
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                "answer with the status the RFC gives; some providers check it",
            ));
            true
        }
        _ => {
            findings.push(status_finding(
                client,
                patch_taken,
                response,
                method.as_str(),
                expected,
            ));
            false
        }
    };
    (ok, findings)
}

/// What an answer other than the expected ones means, and what to do about it. `patch_taken`
/// is the first PATCH the server took, so that a refused one is not called a server without
/// PATCH.
fn status_finding(
    client: &ScimClient,
    patch_taken: Option<&str>,
    response: &Response,
    method: &str,
    expected: &[u16],
) -> Finding {
    let summary = response.exchange.summary();
    let detail = error_detail(response.json.as_ref())
        .map(|d| format!(" The server says: {}", client.redact(&d)))
        .unwrap_or_default();
    let wanted = expected
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" or ");
    match response.code() {
        None => Finding::error(
            "no_answer",
            summary,
            "check that the server is up; a provider retries later and reports the failure",
        ),
        Some(401) => Finding::error("token_rejected", format!("{summary}: the token was refused.{detail}"), "check the secret token"),
        Some(403) => Finding::error("token_forbidden", format!("{summary}: the token may not do this.{detail}"), "give the token's account provisioning rights"),
        Some(405 | 501) if method == "PATCH" => match patch_taken {
            Some(taken) => Finding::error(
                "patch_operation_unsupported",
                format!("{summary}: the server refuses this PATCH, although it took {taken}: it supports PATCH, but not this operation.{detail}"),
                "support this PATCH operation too: Entra updates, deactivates and changes group members with PATCH only",
            ),
            None => Finding::error(
                "patch_unsupported",
                format!("{summary}: the server refuses PATCH on this resource.{detail}"),
                "support PATCH: Entra updates, deactivates and changes group members with PATCH only",
            ),
        },
        Some(405 | 501) => Finding::error(
            "method_unsupported",
            format!("{summary}: the server does not support {method} here.{detail}"),
            format!("support {method} on this endpoint"),
        ),
        Some(409) => Finding::error(
            "conflict",
            format!("{summary}: the server says these values are already in use.{detail}"),
            "a user with the same userName or email exists; Entra would match it instead of creating one — check the matching attribute",
        ),
        Some(404) => Finding::error("not_found", format!("{summary}, expected {wanted}.{detail}"), "check the tenant URL and that the server keeps what it created"),
        Some(400) => Finding::error(
            "bad_request",
            format!("{summary}: the server refused the request.{detail}"),
            "compare the request body with the server's schemas (see the preview)",
        ),
        Some(code) if code >= 500 => Finding::error("server_error", format!("{summary}.{detail}"), "look at the application's logs for this request"),
        Some(_) => Finding::error("unexpected_status", format!("{summary}, expected {wanted}.{detail}"), ""),
    }
}

/// A created resource without an id: the provider could not address it again.
pub(super) fn no_id(what: &str) -> Finding {
    Finding::error(
        "no_id",
        format!(
            "the created {what} came back without an id; the provider could not address it again"
        ),
        "return the created resource with its id (RFC 7644 §3.3)",
    )
}

/// Differences between what was sent and what the server returns.
pub(super) fn compare_stored(values: &[MappedValue], stored: Option<&Json>) -> Vec<Finding> {
    let Some(stored) = stored else {
        return vec![Finding::error(
            "invalid_json",
            "the user read back is not JSON",
            "",
        )];
    };
    let mut findings = Vec::new();
    for value in values.iter().filter(|v| !v.value.is_null()) {
        let Ok(path) = TargetPath::parse(&value.target) else {
            continue;
        };
        match path.get(stored) {
            None => findings.push(
                Finding::warning(
                    "not_kept",
                    format!("{} was sent but is not in the user read back", value.target),
                    "check that the server stores this attribute (and returns it by default)",
                )
                .about(value.target.clone()),
            ),
            Some(returned) if !same(returned, &value.value) => findings.push(
                Finding::warning(
                    "changed_by_server",
                    format!(
                        "{} was sent as {} and reads back as {returned}",
                        value.target, value.value
                    ),
                    "",
                )
                .about(value.target.clone()),
            ),
            Some(_) => {}
        }
    }
    findings
}

fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::String(x), Json::String(y)) => x.eq_ignore_ascii_case(y),
        (Json::Bool(x), Json::String(y)) | (Json::String(y), Json::Bool(x)) => {
            y.eq_ignore_ascii_case(if *x { "true" } else { "false" })
        }
        _ => a == b,
    }
}

/// What is wrong with the deactivated user as the matching filter lists it (not found, still
/// active, no `active` to tell); `None` when it is found inactive.
pub(super) fn judge_deactivated(list: Option<&Json>, id: &str) -> Option<Finding> {
    let found = list.map(resources).unwrap_or_default();
    let Some(user) = found
        .iter()
        .find(|r| field(r, "id").and_then(Json::as_str) == Some(id))
    else {
        return Some(Finding::error(
            "not_found_by_filter",
            "the deactivated user is not found by its matching attribute",
            "keep deactivated users findable by filter: Entra looks them up to reactivate them",
        ));
    };
    match field(user, "active") {
        Some(Json::Bool(false)) => None,
        Some(Json::String(s)) if s.eq_ignore_ascii_case("false") => None,
        Some(other) => Some(Finding::error(
            "still_active",
            format!("after the deactivation, active is {other}"),
            "apply PATCH replace active=false (Entra may send it as \"False\")",
        )),
        None => Some(Finding::warning(
            "active_not_returned",
            "the user read back has no active attribute, so the deactivation cannot be confirmed",
            "return active",
        )),
    }
}
