//! The lifecycle dry run (C14): a test user and a test group taken through what a provider does
//! to them — find, create, read, update, group membership, deactivate, delete — against the
//! live endpoint, every request logged with the token redacted.
//!
//! It never touches existing data: the identifying values of the sample user (userName,
//! externalId, emails and the matching attribute) get a unique tag unless told otherwise, and
//! when the lookup finds someone, nothing is written. Whatever it created is deleted at the
//! end, even after a failed step, and the report says what could not be.

mod cleanup;
mod groups;
mod judge;
mod report;
mod run;
mod sample;
mod users;

pub use report::{DryRunOptions, DryRunReport, DryRunStep, StepStatus};

use serde_json::Value as Json;
use tokio_util::sync::CancellationToken;

use groups::GroupsLeft;
use run::{finish, Req, Run, WRITE_STEPS};
use sample::tag_values;

use super::client::ScimClient;
use super::expression::SourceUser;
use super::mapping::{MappingSet, Operation};
use super::payload::{self, Quirks};
use super::preview;
use super::schema::ServerSchemas;
use crate::findings::has_errors;

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
    let mut run = Run::new(client, cancel);
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
    let exists = users::find(&mut run, filter.as_ref()).await;

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
    let (mut created_user, user_maybe_created) = users::create(&mut run, &body).await;

    // 3. Read it back.
    users::read_back(&mut run, created_user.as_deref(), &values).await;

    // 4. Update.
    // The created user's values carry the tag unless they were sent as they are.
    let value_tag = (!options.keep_values).then_some(tag.as_str());
    users::update(
        &mut run,
        created_user.as_deref(),
        set,
        &source,
        value_tag,
        schemas,
        quirks,
    )
    .await;

    // 5–9. Groups.
    let GroupsLeft {
        created_group,
        group_left,
    } = groups::steps(&mut run, &tag, quirks, created_user.as_deref()).await;

    // 10–13. Deactivate, confirm, delete, confirm.
    let still_there = users::deactivate_and_delete(
        &mut run,
        &mut created_user,
        filter.as_ref(),
        set.provider,
        quirks,
    )
    .await;

    // Clean-up of whatever is still there.
    let mut leftovers: Vec<String> = still_there.into_iter().chain(group_left).collect();
    if let Some(group) = &created_group {
        cleanup::delete(&mut run, "/Groups", group, "group", &mut leftovers).await;
    }
    if let Some(user) = &created_user {
        cleanup::delete(&mut run, "/Users", user, "user", &mut leftovers).await;
    } else if user_maybe_created {
        cleanup::look_for_failed_create(
            &mut run,
            filter.as_ref(),
            test_user_name.as_deref(),
            &mut leftovers,
        )
        .await;
    }
    finish(client, run, options, test_user_name, leftovers)
}
