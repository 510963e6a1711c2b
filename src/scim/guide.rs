//! Provisioning guides (C12): what the customer's administrator does at Microsoft Entra ID or
//! Okta so that it provisions users to this SCIM connection — the steps of seeds 001–003, with
//! the connection's tenant URL and mapping set filled in. The bearer token is never in a guide:
//! the administrator is told where it goes, not what it is.

use super::connection::ScimConnectionDocument;
use super::mapping::Provider;
use crate::presets::guide::{Guide, Slots};

const ENTRA: &[&str] = &[
    "Sign in to the Microsoft Entra admin center and open Identity → Applications → Enterprise applications → New application → Create your own application. Name it {name}, choose \"Integrate any other application you don't find in the gallery (Non-gallery)\" and click Create.",
    "In the application, open Provisioning → Get started (or New configuration) and set Provisioning Mode to Automatic.",
    "Under Admin Credentials, enter the Tenant URL {tenant_url} and, as Secret Token, the SCIM token you were given separately. Click Test Connection: a confirmation appears at the top right; when it fails, check both values. Then click Save.",
    "Open Mappings → Provision Microsoft Entra ID Users and set the attribute mappings as the mapping set {mappings} lists them (the console exports it as JSON, and checks it in a dry run).",
    "Open Users and groups → Add user/group and assign the users and groups to provision.",
    "Back in Provisioning, set Scope to \"Sync only assigned users and groups\" and Provisioning Status to On, then Save. Entra provisions about every 40 minutes; the provisioning logs show each action.",
];

const OKTA: &[&str] = &[
    "Sign in to the Okta Admin Console and open Applications → Applications. Open the app integration {name}, or create it with Create App Integration.",
    "On its General tab, under App Settings, tick Enable SCIM provisioning and click Save.",
    "Open Provisioning → Integration → Edit. SCIM connector base URL: {tenant_url}. Unique identifier field for users: userName. Supported provisioning actions: Push New Users, Push Profile Updates and Push Groups. Authentication Mode: HTTP Header, with the SCIM token you were given separately as Authorization. Click Test Connector Configuration, then Save.",
    "Open Provisioning → To App → Edit, enable Create Users, Update User Attributes and Deactivate Users, and Save.",
    "Under the app's attribute mappings (Provisioning → To App), map the attributes as the mapping set {mappings} lists them (the console exports it as JSON, and checks it in a dry run).",
    "Assign the people and groups to provision on the Assignments tab, and the groups to push on the Push Groups tab.",
];

const GENERIC: &[&str] = &[
    "In the identity provider's provisioning settings, give the SCIM 2.0 base URL {tenant_url} and, as the bearer token, the SCIM token you were given separately.",
    "Run the provider's connection test, then map the attributes as the mapping set {mappings} lists them.",
    "Assign the users and groups to provision and turn provisioning on.",
];

/// The provisioning guide of the SCIM connection `doc`, for the provider its mapping set is
/// written for.
pub fn provisioning_guide(doc: &ScimConnectionDocument) -> Guide {
    let provider = doc.mappings.provider;
    let mut slots = Slots::default();
    let name = doc.name.trim();
    if name.is_empty() {
        slots.missing("name", "Application name", "name the connection first");
    } else {
        slots.value("name", "Application name", name);
    }
    let tenant_url = doc.tenant_url.trim();
    if tenant_url.is_empty() {
        slots.missing("tenant_url", "Tenant URL", "enter the tenant URL first");
    } else {
        slots.value("tenant_url", "Tenant URL", tenant_url);
    }
    let mappings = doc.mappings.name.trim();
    if mappings.is_empty() {
        slots.missing(
            "mappings",
            "Mapping set",
            "choose or write the attribute mappings first",
        );
    } else {
        slots.value("mappings", "Mapping set", mappings);
    }
    let steps = match provider {
        Provider::Entra => ENTRA,
        Provider::Okta => OKTA,
        Provider::Generic => GENERIC,
    };
    Guide {
        title: format!(
            "{}: provisioning from {} over SCIM",
            if name.is_empty() { "SCIM" } else { name },
            provider.label()
        ),
        intro: format!(
            "For the administrator of {}. These steps make it create, update and deactivate users at the SCIM endpoint. The SCIM token is not in this guide: it is given separately.",
            provider.label()
        ),
        steps: steps.iter().map(|t| slots.fill(t)).collect(),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::templates::template;

    fn connection(template_id: &str) -> ScimConnectionDocument {
        ScimConnectionDocument {
            id: None,
            name: "Learning platform".into(),
            tenant_url: "https://scim.example.com/scim/v2".into(),
            directory_id: None,
            notes: "token: keep me out".into(),
            mappings: template(template_id).unwrap().document,
        }
    }

    #[test]
    fn entra_and_okta_guides_name_the_tenant_url_the_test_and_the_mapping_set() {
        for (id, test_button) in [
            ("entra-default", "Test Connection"),
            ("learning-platform-okta", "Test Connector Configuration"),
        ] {
            let doc = connection(id);
            let guide = provisioning_guide(&doc);
            let values: Vec<&str> = guide.values().into_iter().map(|(_, v)| v).collect();
            assert_eq!(
                values,
                [
                    "Learning platform",
                    "https://scim.example.com/scim/v2",
                    doc.mappings.name.as_str()
                ],
                "{id}"
            );
            let text = guide.to_markdown();
            assert!(text.contains("`https://scim.example.com/scim/v2`"), "{id}");
            assert!(text.contains(test_button), "{id}");
            assert!(!text.contains("keep me out"), "{id}: notes stay out");
        }
        let entra = provisioning_guide(&connection("entra-default")).to_markdown();
        assert!(entra.contains("Sync only assigned users and groups"));
        assert!(entra.contains("Provisioning Status to On"));
    }

    #[test]
    fn what_is_not_filled_in_yet_is_said() {
        let mut doc = connection("entra-default");
        doc.tenant_url = " ".into();
        let text: String = provisioning_guide(&doc)
            .steps
            .iter()
            .map(crate::presets::guide::Step::plain)
            .collect();
        assert!(text.contains("[Tenant URL: enter the tenant URL first]"));
    }
}
