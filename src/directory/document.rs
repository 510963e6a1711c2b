//! The directory document: the one JSON shape of a directory connection (DESIGN §7.1).
//!
//! This is the transport shape used by `ssoctl`, export bundles and the UI. It holds what a person
//! typed, unchecked; [`super::Directory`] is the validated form. The client secret is never part of
//! it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a claim is read from in the provider's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClaimSource {
    /// The access token, when it is a JWT.
    AccessToken,
    /// The ID token.
    IdToken,
    /// The userinfo endpoint's answer.
    Userinfo,
}

impl ClaimSource {
    /// The database and JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::IdToken => "id_token",
            Self::Userinfo => "userinfo",
        }
    }

    /// Parses the database and JSON spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "access_token" => Some(Self::AccessToken),
            "id_token" => Some(Self::IdToken),
            "userinfo" => Some(Self::Userinfo),
            _ => None,
        }
    }
}

/// One claim mapping: which claim, read from which source. The five mappings are always required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimMapping {
    /// The claim's name, as the provider spells it (`oid`, `sub`, `email`…).
    pub claim: String,
    /// Where the claim is read from.
    pub source: ClaimSource,
}

impl ClaimMapping {
    fn id_token(claim: &str) -> Self {
        Self {
            claim: claim.to_owned(),
            source: ClaimSource::IdToken,
        }
    }
}

/// The five claim mappings of seed 000's "User and Claim Settings".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimMappings {
    /// The immutable user id; prefixed with the directory id to form the external ID.
    pub external_id: ClaimMapping,
    /// The username.
    pub username: ClaimMapping,
    /// The primary email address.
    pub email: ClaimMapping,
    /// The first name.
    pub first_name: ClaimMapping,
    /// The last name.
    pub last_name: ClaimMapping,
}

impl Default for ClaimMappings {
    fn default() -> Self {
        Self {
            external_id: ClaimMapping::id_token("sub"),
            username: ClaimMapping::id_token("email"),
            email: ClaimMapping::id_token("email"),
            first_name: ClaimMapping::id_token("given_name"),
            last_name: ClaimMapping::id_token("family_name"),
        }
    }
}

impl ClaimMappings {
    /// The mappings with their field names, in the order seed 000 lists them.
    pub fn named(&self) -> [(&'static str, &ClaimMapping); 5] {
        [
            ("external_id", &self.external_id),
            ("username", &self.username),
            ("email", &self.email),
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
        ]
    }
}

/// How the sign-in service decides that a user is a staff user (seed 000).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
#[ts(export)]
pub enum StaffRule {
    /// The directory holds public users only.
    #[default]
    None,
    /// The directory holds staff users only.
    Always,
    /// Staff when a claim with this name exists in any source, even empty.
    ClaimExists {
        /// The claim's name.
        claim: String,
    },
    /// Staff when a claim with this name has exactly this value in any source.
    ClaimEquals {
        /// The claim's name.
        claim: String,
        /// The value, compared exactly (case-sensitive).
        value: String,
    },
}

impl StaffRule {
    /// The rule in the editor's words (the UI's `staffRuleText` says the same).
    pub fn describe(&self) -> String {
        match self {
            Self::None => "None: only public users".to_owned(),
            Self::Always => "Always: only staff users".to_owned(),
            Self::ClaimExists { claim } => format!("If claim type exists: `{claim}`"),
            Self::ClaimEquals { claim, value } => {
                format!("If claim type matches exactly: `{claim}` = {value:?}")
            }
        }
    }
}

/// The directory document of DESIGN §7.1, as typed by a person or read from a file.
///
/// Unknown fields are ignored so that a document written by a newer version still imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryDocument {
    /// The directory's UUID; absent on create.
    #[serde(default)]
    pub id: Option<String>,
    /// Friendly name, unique.
    #[serde(default)]
    pub name: String,
    /// The logo, a 245×36 PNG, base64; empty when none was chosen.
    #[serde(default)]
    pub logo_png_base64: String,
    /// Where discovery starts: a host, an issuer or a well-known URL.
    #[serde(default)]
    pub discovery_domain: Option<String>,
    /// The provider's authorization endpoint.
    #[serde(default)]
    pub authorization_url: String,
    /// The provider's token endpoint.
    #[serde(default)]
    pub token_url: String,
    /// The provider's userinfo endpoint, when it has one.
    #[serde(default)]
    pub userinfo_url: Option<String>,
    /// The issuer ID tokens must carry, when set.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The provider's key set.
    #[serde(default)]
    pub jwks_uri: Option<String>,
    /// Space-separated scopes.
    #[serde(default = "default_scopes")]
    pub scopes: String,
    /// The client id registered at the provider.
    #[serde(default)]
    pub client_id: String,
    /// The day the client secret expires, `YYYY-MM-DD`.
    #[serde(default)]
    pub client_secret_expires_on: Option<String>,
    /// Use PKCE (S256).
    #[serde(default = "default_true")]
    pub pkce: bool,
    /// Ask for `response_mode=form_post` instead of query.
    #[serde(default)]
    pub response_mode_form_post: bool,
    /// Authenticate at the token endpoint with HTTP Basic instead of the request body.
    #[serde(default)]
    pub token_endpoint_basic_auth: bool,
    /// Member type given to contacts created on first sign-in.
    #[serde(default)]
    pub new_contact_member_type: String,
    /// Status given to contacts created on first sign-in.
    #[serde(default)]
    pub new_contact_status: String,
    /// The five claim mappings.
    #[serde(default)]
    pub claims: ClaimMappings,
    /// Staff user identification.
    #[serde(default)]
    pub staff: StaffRule,
    /// Hidden from the directory selection screen.
    #[serde(default)]
    pub is_hidden: bool,
    /// Email domains routed straight to this directory.
    #[serde(default)]
    pub domain_suffixes: Vec<String>,
    /// A fixed loopback port for test sign-ins, for providers that match redirect URIs exactly.
    #[serde(default)]
    pub test_redirect_port: Option<u16>,
}

fn default_scopes() -> String {
    super::DEFAULT_SCOPES.to_owned()
}

fn default_true() -> bool {
    true
}

impl Default for DirectoryDocument {
    /// A new directory with the defaults of seed 000.
    fn default() -> Self {
        Self {
            id: None,
            name: String::new(),
            logo_png_base64: String::new(),
            discovery_domain: None,
            authorization_url: String::new(),
            token_url: String::new(),
            userinfo_url: None,
            issuer: None,
            jwks_uri: None,
            scopes: default_scopes(),
            client_id: String::new(),
            client_secret_expires_on: None,
            pkce: true,
            response_mode_form_post: false,
            token_endpoint_basic_auth: false,
            new_contact_member_type: String::new(),
            new_contact_status: String::new(),
            claims: ClaimMappings::default(),
            staff: StaffRule::None,
            is_hidden: false,
            domain_suffixes: Vec::new(),
            test_redirect_port: None,
        }
    }
}
