//! The test group's steps: created, the test user added, read without its members, the user
//! removed, and the group deleted.

use reqwest::Method;
use serde_json::{json, Value as Json};

use super::judge::no_id;
use super::run::{resource_path, returned_id, Req, Run, WRITE_STEPS};
use crate::findings::Finding;
use crate::scim::path::{field, CORE_GROUP};
use crate::scim::payload::{self, Quirks};

/// What the group steps leave for the clean-up.
pub(super) struct GroupsLeft {
    /// The test group's id, while it is still on the server.
    pub(super) created_group: Option<String>,
    /// A test group that may exist without the dry run knowing its id.
    pub(super) group_left: Option<String>,
}

/// Runs the group steps, those with the test user only when `created_user` is there.
pub(super) async fn steps(
    run: &mut Run<'_>,
    tag: &str,
    quirks: Quirks,
    created_user: Option<&str>,
) -> GroupsLeft {
    let mut created_group: Option<String> = None;
    let mut group_left: Option<String> = None;
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
    match (&created_group, created_user) {
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
                read_group_without_members(run, &path).await;
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
    GroupsLeft {
        created_group,
        group_left,
    }
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
