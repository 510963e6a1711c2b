//! The test user's steps: looked up by its matching attribute, created, read back, updated,
//! then deactivated, found inactive, deleted and confirmed gone.

use reqwest::Method;
use serde_json::Value as Json;

use super::judge::{compare_stored, judge_deactivated, no_id};
use super::run::{resource_path, returned_id, Req, Run, WRITE_STEPS};
use super::sample::tag_values;
use crate::findings::Finding;
use crate::scim::expression::SourceUser;
use crate::scim::mapping::{MappedValue, MappingSet, Operation, Provider};
use crate::scim::path::field;
use crate::scim::payload::{self, Quirks};
use crate::scim::preview;
use crate::scim::schema::{resources, ServerSchemas};

/// Looks the user up by its matching attribute, as the provider does before creating it:
/// whether a user matching it exists on the server already.
pub(super) async fn find(run: &mut Run<'_>, filter: Option<&(String, String)>) -> bool {
    let mut exists = false;
    match filter {
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
    exists
}

/// Creates the user: its id, when the server returned one, and whether a user may exist all
/// the same (created without an id, or no answer or a server failure).
pub(super) async fn create(run: &mut Run<'_>, body: &Json) -> (Option<String>, bool) {
    let mut created_user: Option<String> = None;
    let mut user_maybe_created = false;
    let (response, ok) = run
        .step(
            WRITE_STEPS[0],
            Req::send(Method::POST, "/Users", body),
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
    (created_user, user_maybe_created)
}

/// Reads the created user back by id and compares it with what was sent.
pub(super) async fn read_back(
    run: &mut Run<'_>,
    created_user: Option<&str>,
    values: &[MappedValue],
) {
    match created_user {
        Some(id) => {
            let path = resource_path("/Users", id);
            let (response, ok) = run
                .step(WRITE_STEPS[1], Req::get(&path, &[]), &[200], false)
                .await;
            if ok {
                for finding in compare_stored(values, response.json.as_ref()) {
                    run.add_finding(finding);
                }
            }
        }
        None => run.skip(WRITE_STEPS[1], "no user was created"),
    }
}

/// Changes one text value of the created user, as the provider sends it. `tag` is the tag on
/// the created user's values, `None` when they were sent as they are.
pub(super) async fn update(
    run: &mut Run<'_>,
    created_user: Option<&str>,
    set: &MappingSet,
    source: &SourceUser,
    tag: Option<&str>,
    schemas: Option<&ServerSchemas>,
    quirks: Quirks,
) {
    match created_user {
        Some(id) => {
            let change = preview::synthesize_change(set, source).and_then(|(_, changed)| {
                let (mut before, _) = set.evaluate(source, Operation::Update);
                let (mut after, _) = set.evaluate(&changed, Operation::Update);
                // The user was created with tagged values: a PUT of the whole user must keep
                // them, or it would rename the test user after a real one.
                if let Some(tag) = tag {
                    tag_values(set, &mut before, tag);
                    tag_values(set, &mut after, tag);
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
}

/// Deactivates the created user, finds it inactive by the matching filter, deletes it and
/// confirms it is gone; `created_user` is cleared once the delete succeeded. Returns what to
/// report when the server still serves the user after its delete.
pub(super) async fn deactivate_and_delete(
    run: &mut Run<'_>,
    created_user: &mut Option<String>,
    filter: Option<&(String, String)>,
    provider: Provider,
    quirks: Quirks,
) -> Option<String> {
    // A user the server still serves after a successful DELETE: a leftover all the same.
    let mut still_there: Option<String> = None;
    match created_user.clone() {
        Some(id) => {
            let path = resource_path("/Users", &id);
            let body = payload::patch_request(payload::deactivate_operations(provider, quirks));
            run.step(
                WRITE_STEPS[8],
                Req::send(Method::PATCH, &path, &body),
                &[200, 204],
                false,
            )
            .await;
            match filter {
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
                *created_user = None;
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
    still_there
}
