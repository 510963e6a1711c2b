//! The result of a test sign-in: the claims of each source, the checks, the step that failed
//! and where the time went.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::trace::SignInTrace;
use super::verify::Check;
use crate::claims::{ClaimSet, Unavailable};
use crate::directory::ClaimSource;

/// The step of a test sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignInStep {
    /// Opening the browser and waiting for the person.
    Browser,
    /// The provider's redirect back to the console.
    Callback,
    /// Exchanging the code for tokens.
    Token,
    /// Checking the ID token.
    IdToken,
    /// Calling userinfo.
    Userinfo,
}

/// The step that ended the attempt, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepFailure {
    /// Where it failed.
    pub step: SignInStep,
    /// What happened.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// The provider's `error`, when it sent one.
    pub provider_error: Option<String>,
    /// The provider's `error_description`, when it sent one.
    pub provider_error_description: Option<String>,
}

/// Where a source's claims stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceStatus {
    /// Signature and claims checked.
    Verified,
    /// Shown, but a check failed or could not run.
    Unverified,
    /// A token that is not a JWT: nothing to show.
    Opaque,
    /// The source was not asked for (no userinfo URL, no token returned…).
    NotRequested,
    /// Asking for it failed.
    Failed,
    /// Received over TLS from the provider (userinfo), not signed.
    Received,
}

/// The claims of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceClaims {
    /// Where it stands.
    pub status: SourceStatus,
    /// Why, in a sentence.
    pub status_detail: String,
    /// The JOSE header, for JWTs.
    #[ts(type = "Record<string, unknown> | null")]
    pub header: Option<Map<String, Value>>,
    /// The claims, when there are any to show.
    #[ts(type = "Record<string, unknown> | null")]
    pub claims: Option<Map<String, Value>>,
    /// The raw token or answer, shown on request.
    pub raw: Option<String>,
}

impl SourceClaims {
    pub(super) fn not_requested(detail: impl Into<String>) -> Self {
        Self {
            status: SourceStatus::NotRequested,
            status_detail: detail.into(),
            header: None,
            claims: None,
            raw: None,
        }
    }
}

/// Where the time went, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInTimings {
    /// From the callback arriving to the result being ready.
    pub callback_to_result_ms: f64,
    /// The token request, network included.
    pub token_ms: f64,
    /// The userinfo request, network included.
    pub userinfo_ms: f64,
    /// Waiting for the key set after the token response (0 when it was already there).
    pub key_set_wait_ms: f64,
    /// The console's own work: parsing and verifying.
    pub processing_ms: f64,
}

/// The whole result of a test sign-in. Lives in memory only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInResult {
    /// The directory's name.
    pub directory_name: String,
    /// The redirect URI used.
    pub redirect_uri: String,
    /// Whether everything worked and every check passed.
    pub succeeded: bool,
    /// The step that ended the attempt, when one did.
    pub failure: Option<StepFailure>,
    /// The ID token.
    pub id_token: SourceClaims,
    /// The access token (decoded for display only: its audience is another API).
    pub access_token: SourceClaims,
    /// The userinfo answer.
    pub userinfo: SourceClaims,
    /// The ID token checks, one line each, plus the userinfo subject check.
    pub checks: Vec<Check>,
    /// The token response without the tokens (token_type, expires_in, scope…).
    #[ts(type = "Record<string, unknown>")]
    pub token_response: Map<String, Value>,
    /// Where the time went.
    pub timings: SignInTimings,
    /// Every step taken, with its timing and parameters (secrets removed).
    #[serde(default)]
    pub trace: SignInTrace,
}

impl SignInStep {
    /// The step in people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Browser => "Sign-in in the browser",
            Self::Callback => "Redirect back",
            Self::Token => "Token request",
            Self::IdToken => "ID token",
            Self::Userinfo => "Userinfo",
        }
    }
}

impl SourceStatus {
    /// The status in people's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Unverified => "not verified",
            Self::Opaque => "opaque",
            Self::NotRequested => "not received",
            Self::Failed => "failed",
            Self::Received => "received",
        }
    }
}

/// What a cancelled attempt's failure says.
pub(super) const CANCELLED: &str = "the test sign-in was cancelled";

impl SignInResult {
    /// Whether the person running it cancelled it (which says nothing of the connection).
    pub fn was_cancelled(&self) -> bool {
        self.failure
            .as_ref()
            .is_some_and(|f| f.step == SignInStep::Browser && f.message == CANCELLED)
    }

    /// The step that made it fail, in people's words: the step that ended it, or the ID token
    /// checks when it ran to the end and a check failed. `None` when it succeeded.
    pub fn failed_step(&self) -> Option<&'static str> {
        match &self.failure {
            Some(f) => Some(f.step.label()),
            None if !self.succeeded => Some("ID token checks"),
            None => None,
        }
    }

    /// The `kid` in the ID token's header, when it has one.
    pub fn signing_kid(&self) -> Option<&str> {
        self.id_token.header.as_ref()?.get("kid")?.as_str()
    }

    /// The claims of this sign-in as the evaluation reads them: each source's claims, or why
    /// it brought none.
    pub fn claim_set(&self) -> ClaimSet {
        let mut set = ClaimSet::default();
        let sources: [(ClaimSource, &SourceClaims); 3] = [
            (ClaimSource::AccessToken, &self.access_token),
            (ClaimSource::IdToken, &self.id_token),
            (ClaimSource::Userinfo, &self.userinfo),
        ];
        for (source, claims) in sources {
            match (&claims.claims, claims.status) {
                (Some(c), _) => set.set_claims(source, c.clone()),
                (None, SourceStatus::Opaque) => {
                    set.set_unavailable(source, Unavailable::OpaqueAccessToken);
                }
                (None, SourceStatus::Failed) => set.set_unavailable(
                    source,
                    Unavailable::Failed {
                        message: claims.status_detail.clone(),
                    },
                ),
                (None, _) => set.set_unavailable(source, Unavailable::NotRequested),
            }
        }
        set
    }
}
