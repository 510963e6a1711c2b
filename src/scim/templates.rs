//! Ready-made mapping sets from the source documents, and sample source users (Entra- and
//! Okta-shaped) to preview them with.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use super::mapping::{
    ApplyOn, AttributeMapping, MappingDocument, MappingSource, Provider, MAPPING_FORMAT,
    MAPPING_VERSION,
};
use super::path::ENTERPRISE_USER;

/// The learning platform's extension (seed 002).
pub const ILMS_USER: &str = "urn:ietf:params:scim:schemas:extension:ilms:2.0:User";
/// The folders extension of the platform of seed 001.
pub const FOLDERS_EXTENSION: &str =
    "urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName";
/// The metadata extension of the platform of seed 001: one attribute per metadata key.
pub const METADATA_EXTENSION: &str = "urn:ietf:params:scim:schemas:extension:2.0:Metadata";

/// Entra's default expression for `active`: the opposite of the soft-deleted flag.
pub const ENTRA_ACTIVE: &str =
    "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")";

/// A ready-made mapping set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimMappingTemplate")]
pub struct MappingTemplate {
    /// A stable id (`entra-default`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is for and where it comes from.
    pub description: String,
    /// The mappings.
    pub document: MappingDocument,
}

/// A sample source user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ScimSampleUser")]
pub struct SampleUser {
    /// A stable id (`entra-adele-vance`).
    pub id: String,
    /// Who it is and what it shows.
    pub name: String,
    /// Whose shape the JSON has.
    pub provider: Provider,
    /// The user as the provider holds it.
    #[ts(type = "unknown")]
    pub user: Json,
}

struct Builder(Vec<AttributeMapping>);

impl Builder {
    fn push(mut self, target: &str, source: MappingSource) -> Self {
        self.0.push(AttributeMapping {
            target: target.into(),
            source,
            default_value: None,
            match_precedence: None,
            apply: ApplyOn::Always,
        });
        self
    }
    fn direct(self, target: &str, attribute: &str) -> Self {
        self.push(
            target,
            MappingSource::Direct {
                attribute: attribute.into(),
            },
        )
    }
    fn constant(self, target: &str, value: &str) -> Self {
        self.push(
            target,
            MappingSource::Constant {
                value: value.into(),
            },
        )
    }
    fn expression(self, target: &str, expression: &str) -> Self {
        self.push(
            target,
            MappingSource::Expression {
                expression: expression.into(),
            },
        )
    }
    fn matching(mut self, precedence: u32) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.match_precedence = Some(precedence);
        }
        self
    }
    fn default_value(mut self, value: &str) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.default_value = Some(value.into());
        }
        self
    }
    fn document(self, name: &str, provider: Provider) -> MappingDocument {
        MappingDocument {
            format: MAPPING_FORMAT.into(),
            version: MAPPING_VERSION,
            name: name.into(),
            provider,
            mappings: self.0,
        }
    }
}

fn enterprise(attribute: &str) -> String {
    format!("{ENTERPRISE_USER}:{attribute}")
}

fn ilms(attribute: &str) -> String {
    format!("{ILMS_USER}:{attribute}")
}

/// Every template.
pub fn templates() -> Vec<MappingTemplate> {
    vec![
        MappingTemplate {
            id: "entra-default".into(),
            name: "Entra ID defaults (non-gallery app)".into(),
            description: "The attribute mappings Entra proposes for a new non-gallery SCIM application (\"customappsso\"): userName from userPrincipalName as the matching attribute, active from the soft-delete flag, names, work email and phones, and the enterprise extension's employee number, department and manager.".into(),
            document: Builder(Vec::new())
                .direct("userName", "userPrincipalName")
                .matching(1)
                .expression("active", ENTRA_ACTIVE)
                .direct("displayName", "displayName")
                .direct("title", "jobTitle")
                .direct("emails[type eq \"work\"].value", "mail")
                .direct("preferredLanguage", "preferredLanguage")
                .direct("name.givenName", "givenName")
                .direct("name.familyName", "surname")
                .expression("name.formatted", "Join(\" \", [givenName], [surname])")
                .direct("addresses[type eq \"work\"].locality", "city")
                .direct("addresses[type eq \"work\"].postalCode", "postalCode")
                .direct("addresses[type eq \"work\"].country", "country")
                .direct("phoneNumbers[type eq \"work\"].value", "telephoneNumber")
                .direct("phoneNumbers[type eq \"mobile\"].value", "mobile")
                .direct("externalId", "mailNickname")
                .direct(&enterprise("employeeNumber"), "employeeId")
                .direct(&enterprise("department"), "department")
                .direct(&enterprise("manager.value"), "manager")
                .document("Entra ID defaults", Provider::Entra),
        },
        MappingTemplate {
            id: "learning-platform-entra".into(),
            name: "Learning platform (seed 002), Entra".into(),
            description: "The learning platform's Entra setup: users matched by work email (precedence 1) instead of userPrincipalName, the required extension attribute region as a Constant (it must be one of the platform's preconfigured values), division from employeeOrgData.division, department and manager in the enterprise extension. The guide names the manager target \"manager.id\"; RFC 7643 calls that sub-attribute manager.value, which is what this template writes.".into(),
            document: Builder(Vec::new())
                .direct("emails[type eq \"work\"].value", "mail")
                .matching(1)
                .direct("userName", "userPrincipalName")
                .expression("active", ENTRA_ACTIVE)
                .direct("name.givenName", "givenName")
                .direct("name.familyName", "surname")
                .direct("displayName", "displayName")
                .direct("externalId", "objectId")
                .constant(&ilms("region"), "EMEA")
                .direct(&enterprise("division"), "employeeOrgData.division")
                .direct(&enterprise("department"), "department")
                .direct(&enterprise("manager.value"), "manager")
                .document("Learning platform, Entra", Provider::Entra),
        },
        MappingTemplate {
            id: "learning-platform-okta".into(),
            name: "Learning platform (seed 002), Okta".into(),
            description: "The learning platform's Okta setup: userName as the unique identifier, region, division and department as \"Same value for all users\" (Constants), and the manager's name and email in the platform's own extension.".into(),
            document: Builder(Vec::new())
                .direct("userName", "login")
                .matching(1)
                .direct("name.givenName", "firstName")
                .direct("name.familyName", "lastName")
                .direct("emails[type eq \"work\"].value", "email")
                .constant(&ilms("region"), "AMER")
                .constant(&enterprise("division"), "Research")
                .constant(&enterprise("department"), "Computing")
                .direct(&ilms("manager.displayName"), "manager")
                .direct(&ilms("manager.email"), "managerEmail")
                .document("Learning platform, Okta", Provider::Okta),
        },
        MappingTemplate {
            id: "workspace-platform-entra".into(),
            name: "Folders and metadata platform (seed 001), Entra".into(),
            description: "The platform of seed 001: the email as userName (it must be unique), first and last name, userType Premium or Standard from companyName with Standard as the default, the web portal role from the app role assignment, folders from a comma-separated attribute with Split([jobTitle], \",\"), and metadata keys as attributes of the Metadata extension.".into(),
            document: Builder(Vec::new())
                .direct("userName", "mail")
                .matching(1)
                .expression("active", ENTRA_ACTIVE)
                .direct("name.givenName", "givenName")
                .direct("name.familyName", "surname")
                .direct("emails[type eq \"work\"].value", "mail")
                .direct("userType", "companyName")
                .default_value("Standard")
                .expression(
                    "roles[primary eq \"True\"].value",
                    "SingleAppRoleAssignment([appRoleAssignments])",
                )
                .expression(&format!("{FOLDERS_EXTENSION}:folders"), "Split([jobTitle], \",\")")
                .direct(&format!("{METADATA_EXTENSION}:Office"), "physicalDeliveryOfficeName")
                .direct(&format!("{METADATA_EXTENSION}:Region"), "extensionAttribute1")
                .document("Folders and metadata platform, Entra", Provider::Entra),
        },
    ]
}

/// The template with this id.
pub fn template(id: &str) -> Option<MappingTemplate> {
    templates().into_iter().find(|t| t.id == id)
}

const SAMPLES: [(&str, &str, Provider, &str); 3] = [
    (
        "entra-adele-vance",
        "Adele Vance (Entra): every attribute set, Premium, two folders, a manager",
        Provider::Entra,
        include_str!("samples/entra-adele-vance.json"),
    ),
    (
        "entra-zoe-angstrom",
        "Zoë Ångström (Entra): diacritics, no company name, no division, no manager, folders with spaces",
        Provider::Entra,
        include_str!("samples/entra-zoe-angstrom.json"),
    ),
    (
        "okta-grace-hopper",
        "Grace Hopper (Okta): an Okta user profile",
        Provider::Okta,
        include_str!("samples/okta-grace-hopper.json"),
    ),
];

/// Every sample user.
pub fn sample_users() -> Vec<SampleUser> {
    SAMPLES
        .iter()
        .filter_map(|(id, name, provider, text)| {
            Some(SampleUser {
                id: (*id).into(),
                name: (*name).into(),
                provider: *provider,
                user: serde_json::from_str(text).ok()?,
            })
        })
        .collect()
}

/// The sample user with this id.
pub fn sample_user(id: &str) -> Option<SampleUser> {
    sample_users().into_iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::preview::{preview, PreviewOptions};

    #[test]
    fn every_template_passes_its_own_checks() {
        for template in templates() {
            template
                .document
                .check()
                .unwrap_or_else(|e| panic!("{}: {e:?}", template.id));
        }
    }

    #[test]
    fn every_sample_user_is_valid_json() {
        assert_eq!(sample_users().len(), SAMPLES.len());
    }

    #[test]
    fn the_learning_platform_sends_region_division_and_manager() {
        let set = template("learning-platform-entra")
            .unwrap()
            .document
            .check()
            .unwrap();
        let user = sample_user("entra-adele-vance").unwrap().user;
        let result = preview(&set, &user, None, None, PreviewOptions::default());
        let body = &result.create.body;
        assert_eq!(body[ILMS_USER]["region"], "EMEA");
        assert_eq!(body[ENTERPRISE_USER]["division"], "EMEA North");
        assert_eq!(
            body[ENTERPRISE_USER]["manager"]["value"],
            "d8e2b7a4-1c3f-4e6a-9b5d-7f0a2c4e6b81"
        );
        assert_eq!(body["active"], true);
        let schemas = body["schemas"].as_array().unwrap();
        assert_eq!(schemas.len(), 3, "{schemas:?}");
        assert_eq!(
            result.matching_query.unwrap().path,
            "/Users?filter=emails[type eq \"work\"].value eq \"adele.vance@contoso.com\""
        );
    }

    #[test]
    fn the_seed_001_platform_splits_folders_and_defaults_the_user_type() {
        let set = template("workspace-platform-entra")
            .unwrap()
            .document
            .check()
            .unwrap();
        let zoe = sample_user("entra-zoe-angstrom").unwrap().user;
        let result = preview(&set, &zoe, None, None, PreviewOptions::default());
        let body = &result.create.body;
        assert_eq!(body["userType"], "Standard");
        assert_eq!(
            body[FOLDERS_EXTENSION]["folders"],
            serde_json::json!(["Folder 1", " Folder 2", " Folder 3"])
        );
        assert_eq!(body["roles"][0]["value"], "Admin");
        assert_eq!(
            body["roles"][0]["primary"], true,
            "typed as the RFC's boolean"
        );
        assert!(result
            .findings
            .iter()
            .any(|f| f.code == "values_with_spaces"));
        let adele = sample_user("entra-adele-vance").unwrap().user;
        let result = preview(&set, &adele, None, None, PreviewOptions::default());
        assert_eq!(result.create.body["userType"], "Premium");
        assert_eq!(result.create.body[METADATA_EXTENSION]["Office"], "18/2111");
    }
}
