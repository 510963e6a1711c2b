//! Directory connections (C1): the document people edit and the validated directory the store
//! keeps (DESIGN §3.1).

mod document;
mod domain_suffix;
mod fields;

pub use crate::ids::DirectoryId;
pub use document::{ClaimMapping, ClaimMappings, ClaimSource, DirectoryDocument, StaffRule};
pub use domain_suffix::DomainSuffix;
pub use fields::{
    is_loopback_host, DirectoryName, EndpointUrl, FieldError, Scopes, NAME_MAX_CHARS,
};

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use crate::expiry;
use crate::logo::Logo;

/// A directory named in an answer: a route, a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryRef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Hidden from the selection screen.
    pub is_hidden: bool,
}

/// The scopes most OpenID Connect providers expect (seed 000).
pub const DEFAULT_SCOPES: &str = "openid email profile";

const CLIENT_ID_MAX: usize = 255;
const CLAIM_NAME_MAX: usize = 200;
const TEXT_MAX: usize = 100;
const DISCOVERY_MAX: usize = 2048;

/// A directory that passed every rule of DESIGN §3.1.
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    /// Set once the directory has been saved.
    pub id: Option<DirectoryId>,
    /// Unique friendly name.
    pub name: DirectoryName,
    /// The checked logo.
    pub logo: Logo,
    /// Where discovery starts, as typed.
    pub discovery_domain: Option<String>,
    /// Authorization endpoint.
    pub authorization_url: EndpointUrl,
    /// Token endpoint.
    pub token_url: EndpointUrl,
    /// Userinfo endpoint.
    pub userinfo_url: Option<EndpointUrl>,
    /// Expected issuer.
    pub issuer: Option<EndpointUrl>,
    /// Key set URL.
    pub jwks_uri: Option<EndpointUrl>,
    /// Requested scopes.
    pub scopes: Scopes,
    /// Client id at the provider.
    pub client_id: String,
    /// When the client secret expires.
    pub client_secret_expires_on: Option<Date>,
    /// PKCE S256 on.
    pub pkce: bool,
    /// form_post response mode on.
    pub response_mode_form_post: bool,
    /// HTTP Basic at the token endpoint on.
    pub token_endpoint_basic_auth: bool,
    /// Member type for new contacts.
    pub new_contact_member_type: String,
    /// Status for new contacts.
    pub new_contact_status: String,
    /// The five claim mappings, claim names trimmed.
    pub claims: ClaimMappings,
    /// Staff identification, claim names trimmed.
    pub staff: StaffRule,
    /// Hidden from the selection screen.
    pub is_hidden: bool,
    /// Normalised domain suffixes.
    pub domain_suffixes: Vec<DomainSuffix>,
    /// Fixed loopback port for test sign-ins.
    pub test_redirect_port: Option<u16>,
}

/// Collects field errors so that a person sees all of them at once.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn field<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|message| self.errors.push(FieldError::new(field, message)))
            .ok()
    }

    fn optional_url(&mut self, field: &str, value: &Option<String>) -> Option<Option<EndpointUrl>> {
        match value.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(text) => self.field(field, EndpointUrl::parse(text)).map(Some),
        }
    }

    fn claim_name(&mut self, field: &str, value: &str) -> Option<String> {
        self.field(
            field,
            fields::required_token(value, "claim name", CLAIM_NAME_MAX),
        )
    }
}

impl Directory {
    /// Validates a document; on failure every failing field is reported.
    pub fn from_document(doc: &DirectoryDocument) -> Result<Self, Vec<FieldError>> {
        Self::validate(doc, None)
    }

    /// Validates a document whose logo was checked already: when it was saved, or when the
    /// bundle that brings it was read. The document's own logo text is not read again.
    pub(crate) fn with_checked_logo(
        doc: &DirectoryDocument,
        logo: Logo,
    ) -> Result<Self, Vec<FieldError>> {
        Self::validate(doc, Some(logo))
    }

    fn validate(
        doc: &DirectoryDocument,
        stored_logo: Option<Logo>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut c = Checker::default();
        let id = match doc.id.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(text) => c.field("id", DirectoryId::parse(text)).map(Some),
        };
        let name = c.field("name", DirectoryName::parse(&doc.name));
        let logo = c.field(
            "logo_png_base64",
            if let Some(logo) = stored_logo {
                Ok(logo)
            } else if doc.logo_png_base64.trim().is_empty() {
                Err("choose a logo: a 245×36 px PNG file under 1 MB".to_owned())
            } else {
                Logo::from_base64(&doc.logo_png_base64).map_err(|e| e.to_string())
            },
        );
        let discovery_domain = c.field(
            "discovery_domain",
            fields::optional_text(
                doc.discovery_domain.as_deref().unwrap_or(""),
                "discovery domain",
                DISCOVERY_MAX,
            )
            .map(|s| Some(s).filter(|s| !s.is_empty())),
        );
        let authorization_url = c.field(
            "authorization_url",
            EndpointUrl::parse(&doc.authorization_url),
        );
        let token_url = c.field("token_url", EndpointUrl::parse(&doc.token_url));
        let userinfo_url = c.optional_url("userinfo_url", &doc.userinfo_url);
        let issuer = c.optional_url("issuer", &doc.issuer);
        let jwks_uri = c.optional_url("jwks_uri", &doc.jwks_uri);
        let scopes = c.field("scopes", Scopes::parse(&doc.scopes));
        let client_id = c.field(
            "client_id",
            fields::required_token(&doc.client_id, "client ID", CLIENT_ID_MAX),
        );
        let expires = match doc.client_secret_expires_on.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(text) => c
                .field("client_secret_expires_on", expiry::parse_date(text))
                .map(Some),
        };
        let member_type = c.field(
            "new_contact_member_type",
            fields::optional_text(&doc.new_contact_member_type, "member type", TEXT_MAX),
        );
        let status = c.field(
            "new_contact_status",
            fields::optional_text(&doc.new_contact_status, "status", TEXT_MAX),
        );
        let mut claims = doc.claims.clone();
        for (name, mapping) in [
            ("external_id", &mut claims.external_id),
            ("username", &mut claims.username),
            ("email", &mut claims.email),
            ("first_name", &mut claims.first_name),
            ("last_name", &mut claims.last_name),
        ] {
            if let Some(claim) = c.claim_name(&format!("claims.{name}.claim"), &mapping.claim) {
                mapping.claim = claim;
            }
        }
        let staff = match &doc.staff {
            StaffRule::None => Some(StaffRule::None),
            StaffRule::Always => Some(StaffRule::Always),
            StaffRule::ClaimExists { claim } => c
                .claim_name("staff.claim", claim)
                .map(|claim| StaffRule::ClaimExists { claim }),
            StaffRule::ClaimEquals { claim, value } => {
                let claim = c.claim_name("staff.claim", claim);
                let value = c.field(
                    "staff.value",
                    if value.is_empty() {
                        Err(
                            "enter the value the claim must have; it is compared exactly"
                                .to_owned(),
                        )
                    } else {
                        Ok(value.clone())
                    },
                );
                claim
                    .zip(value)
                    .map(|(claim, value)| StaffRule::ClaimEquals { claim, value })
            }
        };
        let domain_suffixes = c.field(
            "domain_suffixes",
            DomainSuffix::parse_list(&doc.domain_suffixes),
        );
        let test_redirect_port = match doc.test_redirect_port {
            None => Some(None),
            Some(port) => c
                .field("test_redirect_port", fields::test_port(port))
                .map(Some),
        };

        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        // Every field above is Some when no error was recorded.
        let missing = || vec![FieldError::new("document", "internal validation error")];
        Ok(Self {
            id: id.ok_or_else(missing)?,
            name: name.ok_or_else(missing)?,
            logo: logo.ok_or_else(missing)?,
            discovery_domain: discovery_domain.ok_or_else(missing)?,
            authorization_url: authorization_url.ok_or_else(missing)?,
            token_url: token_url.ok_or_else(missing)?,
            userinfo_url: userinfo_url.ok_or_else(missing)?,
            issuer: issuer.ok_or_else(missing)?,
            jwks_uri: jwks_uri.ok_or_else(missing)?,
            scopes: scopes.ok_or_else(missing)?,
            client_id: client_id.ok_or_else(missing)?,
            client_secret_expires_on: expires.ok_or_else(missing)?,
            pkce: doc.pkce,
            response_mode_form_post: doc.response_mode_form_post,
            token_endpoint_basic_auth: doc.token_endpoint_basic_auth,
            new_contact_member_type: member_type.ok_or_else(missing)?,
            new_contact_status: status.ok_or_else(missing)?,
            claims,
            staff: staff.ok_or_else(missing)?,
            is_hidden: doc.is_hidden,
            domain_suffixes: domain_suffixes.ok_or_else(missing)?,
            test_redirect_port: test_redirect_port.ok_or_else(missing)?,
        })
    }

    /// The document of this directory (DESIGN §7.1).
    pub fn to_document(&self) -> DirectoryDocument {
        let url = |u: &Option<EndpointUrl>| u.as_ref().map(ToString::to_string);
        DirectoryDocument {
            id: self.id.map(|id| id.to_string()),
            name: self.name.to_string(),
            logo_png_base64: self.logo.to_base64(),
            discovery_domain: self.discovery_domain.clone(),
            authorization_url: self.authorization_url.to_string(),
            token_url: self.token_url.to_string(),
            userinfo_url: url(&self.userinfo_url),
            issuer: url(&self.issuer),
            jwks_uri: url(&self.jwks_uri),
            scopes: self.scopes.to_string(),
            client_id: self.client_id.clone(),
            client_secret_expires_on: self.client_secret_expires_on.map(expiry::format_date),
            pkce: self.pkce,
            response_mode_form_post: self.response_mode_form_post,
            token_endpoint_basic_auth: self.token_endpoint_basic_auth,
            new_contact_member_type: self.new_contact_member_type.clone(),
            new_contact_status: self.new_contact_status.clone(),
            claims: self.claims.clone(),
            staff: self.staff.clone(),
            is_hidden: self.is_hidden,
            domain_suffixes: self
                .domain_suffixes
                .iter()
                .map(ToString::to_string)
                .collect(),
            test_redirect_port: self.test_redirect_port,
        }
    }

    /// Advice that does not block saving: things that will likely break sign-in.
    pub fn warnings(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if !self.scopes.has_openid() {
            out.push(FieldError::new(
                "scopes",
                "\"openid\" is not among the scopes; without it the provider sends no ID token. Add openid",
            ));
        }
        let external = self.claims.external_id.claim.as_str();
        if MUTABLE_CLAIMS.contains(&external) {
            out.push(FieldError::new(
                "claims.external_id.claim",
                format!(
                    "\"{external}\" can change (for example when a person's email changes), so the same person would get a new account. Map the External ID to an immutable claim: oid for Microsoft Entra, sub elsewhere"
                ),
            ));
        }
        out
    }
}

/// `http://127.0.0.1:<port>/callback`: where the test sign-in's listener on `port` takes the
/// provider's answer, the URL to register at the provider.
pub fn loopback_redirect(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// The names a copy of `name` may take, in the order to try them: "X (copy)", "X (copy 2)"…
/// up to "X (copy 999)", each cut to fit [`NAME_MAX_CHARS`].
pub fn copy_names(name: &str) -> impl Iterator<Item = String> + '_ {
    (1..1000).map(move |n| {
        let suffix = if n == 1 {
            " (copy)".to_owned()
        } else {
            format!(" (copy {n})")
        };
        let keep = NAME_MAX_CHARS.saturating_sub(suffix.chars().count());
        format!("{}{suffix}", name.chars().take(keep).collect::<String>())
    })
}

/// Claims that change over a person's life and so must not identify them (DESIGN §3.3).
pub const MUTABLE_CLAIMS: [&str; 5] = ["email", "preferred_username", "upn", "unique_name", "name"];

#[cfg(test)]
mod tests;
