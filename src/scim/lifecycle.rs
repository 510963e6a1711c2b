//! The lifecycle dry run (C14): a test user and a test group taken through what a provider does
//! to them — find, create, read, update, group membership, deactivate, delete — against the
//! live endpoint, every request logged with the token redacted.
//!
//! It never touches existing data: the identifying values of the sample user (userName,
//! externalId, emails and the matching attribute) get a unique tag unless told otherwise, and
//! when the lookup finds someone, nothing is written. Whatever it created is deleted at the
//! end, even after a failed step, and the report says what could not be.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::client::{error_detail, Exchange, Response, ScimClient};
use super::finding::{has_errors, Finding};
use super::mapping::{MappedValue, MappingSet, Operation, SourceUser};
use super::path::{field, TargetPath, CORE_GROUP};
use super::payload::{self, Quirks};
use super::preview;
use super::schema::resources;
use super::schema::ServerSchemas;

/// How the dry run goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunOptions")]
pub struct DryRunOptions {
    /// Send GET requests only: look the user up and list users and groups, write nothing.
    pub read_only: bool,
    /// Write PATCH requests as Entra does (`"Replace"`, booleans as `"False"`, member removal
    /// by value).
    pub entra_quirks: bool,
    /// Send the sample user's identifying values as they are, without the unique tag. Only
    /// for a user known not to exist on the server.
    pub keep_values: bool,
}

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScimStepStatus")]
pub enum StepStatus {
    /// As a provider expects.
    Passed,
    /// Works, with something worth knowing.
    Warning,
    /// Not as a provider expects.
    Failed,
    /// Not run, with the reason in `note`.
    Skipped,
}

/// One step of the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunStep")]
pub struct DryRunStep {
    /// What the step does ("create the user").
    pub name: String,
    /// How it went.
    pub status: StepStatus,
    /// The request and answer, when one was sent.
    pub exchange: Option<Exchange>,
    /// What was found.
    pub findings: Vec<Finding>,
    /// Why it was skipped, or what it established.
    pub note: Option<String>,
    /// Whether it is part of the final clean-up.
    pub cleanup: bool,
}

/// The dry run's log and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimDryRunReport")]
pub struct DryRunReport {
    /// The tenant URL.
    pub base_url: String,
    /// The options used.
    pub options: DryRunOptions,
    /// The test user's userName as sent (tagged).
    pub test_user_name: Option<String>,
    /// Every step, clean-up included, in order.
    pub steps: Vec<DryRunStep>,
    /// Whether everything created was deleted again.
    pub cleaned_up: bool,
    /// What is left on the server and should be deleted by hand.
    pub leftovers: Vec<String>,
    /// Whether no step failed (and the run was not cancelled).
    pub passed: bool,
    /// Whether the run was cancelled: the steps after it were not sent, and the clean-up
    /// still deleted what had been created.
    pub cancelled: bool,
}

/// A request of a step.
struct Req<'a> {
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    body: Option<&'a Json>,
}

impl<'a> Req<'a> {
    fn get(path: &'a str, query: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method: Method::GET,
            path,
            query,
            body: None,
        }
    }
    fn send(method: Method, path: &'a str, body: &'a Json) -> Self {
        Self {
            method,
            path,
            query: &[],
            body: Some(body),
        }
    }
    fn delete(path: &'a str) -> Self {
        Self {
            method: Method::DELETE,
            path,
            query: &[],
            body: None,
        }
    }
}

struct Run<'a> {
    client: &'a ScimClient,
    cancel: &'a CancellationToken,
    steps: Vec<DryRunStep>,
    /// The first PATCH the server took ("PATCH /Users/…"), so a refused one elsewhere is not
    /// called a server without PATCH.
    patch_taken: Option<String>,
}

impl Run<'_> {
    fn skip(&mut self, name: &str, reason: &str) {
        self.steps.push(DryRunStep {
            name: name.into(),
            status: StepStatus::Skipped,
            exchange: None,
            findings: Vec::new(),
            note: Some(reason.into()),
            cleanup: false,
        });
    }

    /// Whether the last step was left out because the run was cancelled.
    fn last_not_sent(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| s.status == StepStatus::Skipped && s.note.as_deref() == Some(NOT_SENT))
    }

    /// Sends a request, judges its status against `expected` and records the step. Once the
    /// run is cancelled only clean-up steps are sent; the others are recorded as not sent.
    async fn step(
        &mut self,
        name: &str,
        request: Req<'_>,
        expected: &[u16],
        cleanup: bool,
    ) -> (Response, bool) {
        let Req {
            method,
            path,
            query,
            body,
        } = request;
        if !cleanup && self.cancel.is_cancelled() {
            self.skip(name, NOT_SENT);
            return (Response::not_sent(method, path), false);
        }
        let response = self
            .client
            .send(method.clone(), path, query, body, &[])
            .await;
        let mut findings = Vec::new();
        let ok = match response.code() {
            Some(code) if expected.contains(&code) => true,
            Some(code)
                if (200..300).contains(&code)
                    && expected.iter().any(|e| (200..300).contains(e)) =>
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
                findings.push(self.status_finding(&response, method.as_str(), expected));
                false
            }
        };
        if ok && method == Method::PATCH && self.patch_taken.is_none() {
            self.patch_taken = Some(format!("PATCH {path}"));
        }
        let status = if !ok {
            StepStatus::Failed
        } else if findings.is_empty() {
            StepStatus::Passed
        } else {
            StepStatus::Warning
        };
        self.steps.push(DryRunStep {
            name: name.into(),
            status,
            exchange: Some(response.exchange.clone()),
            findings,
            note: None,
            cleanup,
        });
        (response, ok)
    }

    fn last(&mut self) -> Option<&mut DryRunStep> {
        self.steps.last_mut()
    }

    fn add_finding(&mut self, finding: Finding) {
        if let Some(step) = self.last() {
            match finding.severity {
                super::finding::Severity::Error => step.status = StepStatus::Failed,
                super::finding::Severity::Warning if step.status == StepStatus::Passed => {
                    step.status = StepStatus::Warning
                }
                _ => {}
            }
            step.findings.push(finding);
        }
    }

    fn status_finding(&self, response: &Response, method: &str, expected: &[u16]) -> Finding {
        let summary = response.exchange.summary();
        let detail = error_detail(response.json.as_ref())
            .map(|d| format!(" The server says: {}", self.client.redact(&d)))
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
            Some(405 | 501) if method == "PATCH" => match &self.patch_taken {
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
}

/// Whether a target identifies a user, so that the dry run tags its value.
pub fn is_identifying(target: &TargetPath) -> bool {
    target.schema.is_none()
        && ["userName", "externalId", "emails"]
            .iter()
            .any(|a| target.attribute.eq_ignore_ascii_case(a))
}

/// Adds the tag to a value: before the `@` of an address, else at the end.
fn tagged(value: &str, tag: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => format!("{local}+{tag}@{domain}"),
        None => format!("{value}-{tag}"),
    }
}

fn tag_values(set: &MappingSet, values: &mut [MappedValue], tag: &str) {
    for value in values.iter_mut() {
        let identifying = set
            .mappings
            .iter()
            .find(|m| m.index == value.index)
            .is_some_and(|m| m.match_precedence.is_some() || is_identifying(&m.target));
        if let (true, Json::String(s)) = (identifying, &value.value) {
            value.value = Json::String(tagged(s, tag));
        }
    }
}

fn returned_id(response: &Response) -> Option<String> {
    match response.json.as_ref().and_then(|j| field(j, "id")) {
        Some(Json::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn resource_path(collection: &str, id: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("{collection}/{}", encoded.replace('+', "%20"))
}

/// What a step left out by a cancel says.
const NOT_SENT: &str = "not sent: the dry run was cancelled";

/// Runs the dry run. `schemas` (from a review) types the values as the server declares them.
pub async fn dry_run(
    client: &ScimClient,
    set: &MappingSet,
    user: &Json,
    schemas: Option<&ServerSchemas>,
    options: DryRunOptions,
) -> DryRunReport {
    dry_run_until(
        client,
        set,
        user,
        schemas,
        options,
        &CancellationToken::new(),
    )
    .await
}

/// [`dry_run`], until `cancel` is cancelled: the request under way then completes (so that
/// what it created is known), no further step is sent, and the clean-up deletes what the run
/// created, as it does after a failure.
pub async fn dry_run_until(
    client: &ScimClient,
    set: &MappingSet,
    user: &Json,
    schemas: Option<&ServerSchemas>,
    options: DryRunOptions,
    cancel: &CancellationToken,
) -> DryRunReport {
    let quirks = Quirks {
        entra: options.entra_quirks,
    };
    let mut run = Run {
        client,
        cancel,
        steps: Vec::new(),
        patch_taken: None,
    };
    let source = SourceUser(user.clone());
    let tag = format!(
        "ssocheck{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let (mut values, evaluation) = set.evaluate(&source, Operation::Create);
    if !options.keep_values {
        tag_values(set, &mut values, &tag);
    }
    let body = payload::user_resource(&values, set.provider, schemas);
    let test_user_name = body
        .get("userName")
        .and_then(Json::as_str)
        .map(str::to_owned);
    let mut created_user: Option<String> = None;
    let mut user_maybe_created = false;
    let mut created_group: Option<String> = None;
    // A user the server still serves after a successful DELETE: a leftover all the same.
    let mut still_there: Option<String> = None;
    // A test group that may exist without the dry run knowing its id.
    let mut group_left: Option<String> = None;

    if has_errors(&evaluation) {
        run.steps.push(DryRunStep {
            name: "evaluate the mappings for the sample user".into(),
            status: StepStatus::Failed,
            exchange: None,
            findings: evaluation,
            note: Some("fix the mappings first; nothing was sent".into()),
            cleanup: false,
        });
        return finish(client, run, options, test_user_name, Vec::new());
    }

    // 1. Find by the matching attribute, as the provider does before creating.
    let filter = preview::matching_filter(set, &values);
    let mut exists = false;
    match &filter {
        Some((filter, _)) => {
            let (response, ok) = run
                .step(
                    "find the user by its matching attribute",
                    Req::get("/Users", &[("filter", filter.as_str())]),
                    &[200],
                    false,
                )
                .await;
            if ok {
                let found = response.json.as_ref().map(resources).unwrap_or_default();
                let total = response
                    .json
                    .as_ref()
                    .and_then(|j| field(j, "totalResults"))
                    .and_then(Json::as_u64)
                    .unwrap_or(found.len() as u64);
                if total > 0 || !found.is_empty() {
                    exists = true;
                    run.add_finding(Finding::error(
                        "user_exists",
                        format!("a user matching {filter} already exists on the server; the dry run never changes existing users"),
                        "use a sample user that does not exist there, or leave the unique tag on",
                    ));
                }
            }
        }
        None => run.skip(
            "find the user by its matching attribute",
            "the sample user has no value for the matching attribute",
        ),
    }

    if options.read_only {
        run.step(
            "list users (read-only)",
            Req::get("/Users", &[("startIndex", "1"), ("count", "1")]),
            &[200],
            false,
        )
        .await;
        run.step(
            "list groups (read-only)",
            Req::get("/Groups", &[("startIndex", "1"), ("count", "1")]),
            &[200],
            false,
        )
        .await;
        for name in WRITE_STEPS {
            run.skip(name, "read-only run");
        }
        return finish(client, run, options, test_user_name, Vec::new());
    }
    if exists
        || run
            .steps
            .last()
            .is_some_and(|s| s.status == StepStatus::Failed)
    {
        for name in WRITE_STEPS {
            run.skip(
                name,
                "the lookup failed or found an existing user, so nothing is written",
            );
        }
        return finish(client, run, options, test_user_name, Vec::new());
    }

    // 2. Create.
    let (response, ok) = run
        .step(
            WRITE_STEPS[0],
            Req::send(Method::POST, "/Users", &body),
            &[201],
            false,
        )
        .await;
    if ok {
        created_user = returned_id(&response);
        if created_user.is_none() {
            run.add_finding(no_id("user"));
            // It exists all the same: the clean-up looks for it.
            user_maybe_created = true;
        }
    } else if !run.last_not_sent() && response.code().is_none_or(|c| c >= 500) {
        // No answer or a server failure: the user may exist anyway.
        user_maybe_created = true;
    }

    // 3. Read it back.
    match &created_user {
        Some(id) => {
            let path = resource_path("/Users", id);
            let (response, ok) = run
                .step(WRITE_STEPS[1], Req::get(&path, &[]), &[200], false)
                .await;
            if ok {
                for finding in compare_stored(&values, response.json.as_ref()) {
                    run.add_finding(finding);
                }
            }
        }
        None => run.skip(WRITE_STEPS[1], "no user was created"),
    }

    // 4. Update.
    match &created_user {
        Some(id) => {
            let change = preview::synthesize_change(set, &source).and_then(|(_, changed)| {
                let (mut before, _) = set.evaluate(&source, Operation::Update);
                let (mut after, _) = set.evaluate(&changed, Operation::Update);
                // The user was created with tagged values: a PUT of the whole user must keep
                // them, or it would rename the test user after a real one.
                if !options.keep_values {
                    tag_values(set, &mut before, &tag);
                    tag_values(set, &mut after, &tag);
                }
                payload::user_update(set.provider, &before, &after, schemas, quirks)
            });
            match change {
                None => run.skip(
                    WRITE_STEPS[2],
                    "no mapping reads a text attribute that can be changed",
                ),
                Some(update) => {
                    let method = match update {
                        payload::UserUpdate::Patch(_) => Method::PATCH,
                        payload::UserUpdate::Put(_) => Method::PUT,
                    };
                    let body = update.into_body(id);
                    let path = resource_path("/Users", id);
                    run.step(
                        WRITE_STEPS[2],
                        Req::send(method, &path, &body),
                        &[200, 204],
                        false,
                    )
                    .await;
                }
            }
        }
        None => run.skip(WRITE_STEPS[2], "no user was created"),
    }

    // 5–9. Groups.
    let group_body = json!({
        "schemas": [CORE_GROUP],
        "displayName": format!("SSO Console check {tag}"),
        "externalId": uuid::Uuid::new_v4().to_string(),
    });
    let (response, ok) = run
        .step(
            WRITE_STEPS[3],
            Req::send(Method::POST, "/Groups", &group_body),
            &[201],
            false,
        )
        .await;
    let group_name = group_body["displayName"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if ok {
        created_group = returned_id(&response);
        if created_group.is_none() {
            run.add_finding(no_id("group"));
            group_left = Some(format!(
                "the test group \"{group_name}\" was created but came back without an id; find it on the server and delete it by hand"
            ));
        }
    } else if !run.last_not_sent() && response.code().is_none_or(|c| c >= 500) {
        group_left = Some(format!(
            "the test group \"{group_name}\" may have been created ({}); look for it on the server and delete it by hand",
            response.exchange.summary()
        ));
    } else if response.code() == Some(404) {
        run.add_finding(Finding::warning(
            "groups_unsupported",
            "the server has no /Groups endpoint: groups cannot be provisioned",
            "turn group provisioning off in the provider",
        ));
    }
    match (&created_group, &created_user) {
        (Some(group), Some(user)) => {
            let path = resource_path("/Groups", group);
            let add = payload::patch_request(vec![json!({
                "op": quirks.op("add"),
                "path": "members",
                "value": [{ "value": user }],
            })]);
            let (_, added) = run
                .step(
                    WRITE_STEPS[4],
                    Req::send(Method::PATCH, &path, &add),
                    &[200, 204],
                    false,
                )
                .await;
            // Read while the group has its member: a server that ignores excludedAttributes
            // then shows it, where an empty group would pass whatever the server does.
            if added {
                read_group_without_members(&mut run, &path).await;
            } else {
                run.skip(
                    WRITE_STEPS[5],
                    "the user could not be added to the group, and an empty group cannot show whether excludedAttributes is honoured",
                );
            }
            let remove = if quirks.entra {
                json!({ "op": quirks.op("remove"), "path": "members", "value": [{ "value": user }] })
            } else {
                json!({ "op": "remove", "path": format!("members[value eq \"{user}\"]") })
            };
            let remove = payload::patch_request(vec![remove]);
            let (response, ok) = run
                .step(
                    WRITE_STEPS[6],
                    Req::send(Method::PATCH, &path, &remove),
                    &[200, 204],
                    false,
                )
                .await;
            if !ok && quirks.entra && response.code() == Some(400) {
                run.add_finding(Finding::error(
                    "entra_member_removal_refused",
                    "the server refuses the member removal as Entra sends it: op Remove, path members, the member named in value. Entra removes group members only this way",
                    "accept a remove operation on members that names them in value, as Microsoft's SCIM guidance shows",
                ));
            }
        }
        _ => {
            for step in &WRITE_STEPS[4..7] {
                run.skip(step, "needs both the test group and the test user");
            }
        }
    }
    match &created_group {
        Some(group) => {
            let path = resource_path("/Groups", group);
            let (_, ok) = run
                .step(WRITE_STEPS[7], Req::delete(&path), &[204], false)
                .await;
            if ok {
                created_group = None;
            }
        }
        None => run.skip(WRITE_STEPS[7], "no group was created"),
    }

    // 10–13. Deactivate, confirm, delete, confirm.
    match created_user.clone() {
        Some(id) => {
            let path = resource_path("/Users", &id);
            let body = payload::patch_request(payload::deactivate_operations(set.provider, quirks));
            run.step(
                WRITE_STEPS[8],
                Req::send(Method::PATCH, &path, &body),
                &[200, 204],
                false,
            )
            .await;
            match &filter {
                Some((filter, _)) => {
                    let (response, ok) = run
                        .step(
                            WRITE_STEPS[9],
                            Req::get("/Users", &[("filter", filter.as_str())]),
                            &[200],
                            false,
                        )
                        .await;
                    if ok {
                        if let Some(finding) = judge_deactivated(response.json.as_ref(), &id) {
                            run.add_finding(finding);
                        }
                    }
                }
                None => run.skip(
                    WRITE_STEPS[9],
                    "the user has no matching value to filter on",
                ),
            }
            let (_, deleted) = run
                .step(WRITE_STEPS[10], Req::delete(&path), &[204], false)
                .await;
            if deleted {
                created_user = None;
                let (response, _) = run
                    .step(WRITE_STEPS[11], Req::get(&path, &[]), &[404], false)
                    .await;
                if response.code() == Some(200) {
                    run.add_finding(Finding::error(
                        "still_there",
                        "the user can still be read after DELETE answered success",
                        "delete the user for real, or answer 404 for deleted users (Entra deletes 30 days after a soft delete)",
                    ));
                    // Not cleaned up, whatever the DELETE answered: the user is still served.
                    still_there = Some(format!(
                        "the test user {id} is still served after DELETE answered success; delete it on the server by hand (GET {} still answers 200)",
                        response.exchange.url
                    ));
                }
            } else {
                run.skip(WRITE_STEPS[11], "the delete failed");
            }
        }
        None => {
            for name in &WRITE_STEPS[8..] {
                run.skip(name, "no user was created");
            }
        }
    }

    // Clean-up of whatever is still there.
    let mut leftovers: Vec<String> = still_there.into_iter().chain(group_left).collect();
    if let Some(group) = &created_group {
        cleanup(&mut run, "/Groups", group, "group", &mut leftovers).await;
    }
    if let Some(user) = &created_user {
        cleanup(&mut run, "/Users", user, "user", &mut leftovers).await;
    } else if user_maybe_created {
        if let Some((filter, _)) = &filter {
            let (response, ok) = run
                .step(
                    "clean-up: look for a user the failed create may have left",
                    Req::get("/Users", &[("filter", filter.as_str())]),
                    &[200],
                    true,
                )
                .await;
            if ok {
                let ids: Vec<String> = response
                    .json
                    .as_ref()
                    .map(resources)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| field(r, "id").and_then(Json::as_str).map(str::to_owned))
                    .collect();
                for id in ids {
                    cleanup(&mut run, "/Users", &id, "user", &mut leftovers).await;
                }
            } else {
                leftovers.push(format!(
                    "the create may have left a user matching {filter}; the server could not be asked — look for it and delete it by hand"
                ));
            }
        } else {
            leftovers.push(format!(
                "the create may have left the test user {}; the mappings give nothing to look it up by — look for it on the server and delete it by hand",
                test_user_name.as_deref().unwrap_or("(no userName)")
            ));
        }
    }
    finish(client, run, options, test_user_name, leftovers)
}

/// A created resource without an id: the provider could not address it again.
fn no_id(what: &str) -> Finding {
    Finding::error(
        "no_id",
        format!(
            "the created {what} came back without an id; the provider could not address it again"
        ),
        "return the created resource with its id (RFC 7644 §3.3)",
    )
}

/// Reads the group, which has one member, asking to leave the members out.
async fn read_group_without_members(run: &mut Run<'_>, path: &str) {
    let (response, ok) = run
        .step(
            WRITE_STEPS[5],
            Req::get(path, &[("excludedAttributes", "members")]),
            &[200],
            false,
        )
        .await;
    let returned = response
        .json
        .as_ref()
        .and_then(|j| field(j, "members"))
        .and_then(Json::as_array)
        .map_or(0, Vec::len);
    if ok && returned > 0 {
        run.add_finding(Finding::warning(
            "excluded_attributes_ignored",
            format!(
                "the server ignores excludedAttributes=members: the group came back with its {returned} member{}",
                if returned == 1 { "" } else { "s" }
            ),
            "honour excludedAttributes: Entra uses it to avoid reading large groups",
        ));
    }
}

/// The write steps, in order (for skipping them by name).
const WRITE_STEPS: [&str; 12] = [
    "create the user",
    "read the user back by id",
    "update the user (PATCH, or Okta's PUT)",
    "create a group",
    "add the user to the group",
    "read the group without its members (excludedAttributes=members)",
    "remove the user from the group",
    "delete the group",
    "deactivate the user (active = false)",
    "confirm the deactivation with the matching filter",
    "delete the user",
    "confirm the user is gone (404)",
];

async fn cleanup(
    run: &mut Run<'_>,
    collection: &str,
    id: &str,
    what: &str,
    leftovers: &mut Vec<String>,
) {
    let path = resource_path(collection, id);
    let (response, ok) = run
        .step(
            &format!("clean-up: delete the test {what} {id}"),
            Req::delete(&path),
            &[204, 404],
            true,
        )
        .await;
    if !ok {
        leftovers.push(format!(
            "the test {what} {id} could not be deleted ({}); delete it by hand: DELETE {}",
            response.exchange.summary(),
            response.exchange.url
        ));
    }
}

fn finish(
    client: &ScimClient,
    run: Run<'_>,
    options: DryRunOptions,
    test_user_name: Option<String>,
    leftovers: Vec<String>,
) -> DryRunReport {
    let cancelled = run.cancel.is_cancelled();
    let passed = !cancelled
        && !run.steps.iter().any(|s| s.status == StepStatus::Failed)
        && leftovers.is_empty();
    DryRunReport {
        cancelled,
        base_url: client.base().to_string(),
        options,
        test_user_name,
        cleaned_up: leftovers.is_empty(),
        leftovers,
        steps: run.steps,
        passed,
    }
}

/// Differences between what was sent and what the server returns.
fn compare_stored(values: &[MappedValue], stored: Option<&Json>) -> Vec<Finding> {
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

fn judge_deactivated(list: Option<&Json>, id: &str) -> Option<Finding> {
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
