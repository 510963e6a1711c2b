//! The clean-up: what the run created and did not delete in its own steps is deleted at the
//! end, even after a failed step or a cancel, and what could not be is said in the leftovers.

use serde_json::Value as Json;

use super::run::{resource_path, Req, Run};
use crate::scim::path::field;
use crate::scim::schema::resources;

/// Deletes the test resource `id` of `collection`, or says in `leftovers` what to delete by
/// hand.
pub(super) async fn delete(
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

/// Looks for a user that a failed create may have left, by the matching filter, and deletes
/// what it finds; without a filter to look it up by, says to look for it by hand.
pub(super) async fn look_for_failed_create(
    run: &mut Run<'_>,
    filter: Option<&(String, String)>,
    test_user_name: Option<&str>,
    leftovers: &mut Vec<String>,
) {
    if let Some((filter, _)) = filter {
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
                delete(run, "/Users", &id, "user", leftovers).await;
            }
        } else {
            leftovers.push(format!(
                "the create may have left a user matching {filter}; the server could not be asked — look for it and delete it by hand"
            ));
        }
    } else {
        leftovers.push(format!(
            "the create may have left the test user {}; the mappings give nothing to look it up by — look for it on the server and delete it by hand",
            test_user_name.unwrap_or("(no userName)")
        ));
    }
}
