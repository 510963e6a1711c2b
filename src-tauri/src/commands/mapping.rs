//! Claim mapping and routing previews: what the sign-in service would decide for pasted claims,
//! and where it sends an email address.

use sso_console::claims::{self, ClaimsError, PastedClaims};
use sso_console::directory::DirectoryId;
use sso_console::error_kind::ErrorKind;
use sso_console::mapping::ClaimsEvaluation;
use sso_console::routing::{EmailAddress, RouteDecision, RoutingReport};
use sso_console::Workspace;
use tauri::State;

use crate::error::CommandError;

type Result<T> = std::result::Result<T, CommandError>;

fn invalid(kind: ErrorKind, field: &str, message: String) -> CommandError {
    let mut error = CommandError::invalid_field(field, message);
    error.kind = kind;
    error
}

fn pasted(claims_json: &str) -> Result<PastedClaims> {
    claims::parse_pasted(claims_json)
        .map_err(|e: ClaimsError| invalid(ErrorKind::InvalidClaims, "claims_json", e.to_string()))
}

/// Where the sign-in service would send `email`, and why. An invalid address fails with kind
/// `invalid_email` on field `email`.
#[tauri::command]
pub async fn simulate_route(ws: State<'_, Workspace>, email: String) -> Result<RouteDecision> {
    let email = EmailAddress::parse(&email)
        .map_err(|e| invalid(ErrorKind::InvalidEmail, "email", e.to_string()))?;
    Ok(ws.simulate_route(&email).await?)
}

/// The routing of all stored directories, judged.
#[tauri::command]
pub async fn check_routing(ws: State<'_, Workspace>) -> Result<RoutingReport> {
    Ok(ws.check_routing().await?)
}

/// Reads pasted claims (grouped by source, a bare object, or a JWT) without evaluating them.
/// Malformed input fails with kind `invalid_claims` on field `claims_json`.
#[tauri::command]
pub fn parse_claims(claims_json: String) -> Result<PastedClaims> {
    pasted(&claims_json)
}

/// A stored directory's mappings, external ID and staff identification against pasted claims.
#[tauri::command]
pub async fn evaluate_claims(
    ws: State<'_, Workspace>,
    id: String,
    claims_json: String,
) -> Result<ClaimsEvaluation> {
    let id = DirectoryId::parse(&id)
        .map_err(|message| CommandError::new(ErrorKind::NotFound, message))?;
    let input = pasted(&claims_json)?;
    Ok(ws.evaluate_claims(&id.to_string(), &input.claims).await?)
}
