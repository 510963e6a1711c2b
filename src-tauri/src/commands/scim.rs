//! SCIM provisioning check (C14): SCIM connections, Test Connection, endpoint review, mapping
//! templates and samples, expression checks, preview and the lifecycle dry run.

use serde_json::Value as Json;
use sso_console::directory::FieldError;
use sso_console::error_kind::{ErrorKind, FrontEnd};
use sso_console::http::HttpClient;
use sso_console::scim::expression::{self, ExpressionCheck, FunctionInfo};
use sso_console::scim::templates::{self, MappingTemplate, SampleUser};
use sso_console::scim::{
    DryRunOptions, DryRunReport, EndpointReview, MappingDocument, Preview, PreviewOptions,
    ScimConnectionDetail, ScimConnectionDocument, ScimConnectionId, ScimConnectionSummary,
    TestConnectionReport,
};
use sso_console::sensitive::SecretString;
use sso_console::workspace::ScimError;
use sso_console::Workspace;
use tauri::State;

use super::cancel::{cancellable, CancelSlot, DryRun, ScimCheck};
use super::report::LastResults;
use crate::error::CommandError;

type Result<T> = std::result::Result<T, CommandError>;

impl From<ScimError> for CommandError {
    fn from(error: ScimError) -> Self {
        let fields = error.fields();
        Self {
            kind: error.kind(),
            message: error.message(FrontEnd::App),
            field: fields.first().map(|f| f.field.clone()),
            fields,
        }
    }
}

fn connection_id(id: &str) -> Result<ScimConnectionId> {
    ScimConnectionId::parse(id).map_err(|message| CommandError::new(ErrorKind::NotFound, message))
}

fn invalid(fields: Vec<FieldError>) -> CommandError {
    ScimError::Invalid(fields).into()
}

#[tauri::command]
pub async fn list_scim_connections(ws: State<'_, Workspace>) -> Result<Vec<ScimConnectionSummary>> {
    Ok(ws.scim_connections().await?)
}

#[tauri::command]
pub async fn get_scim_connection(
    ws: State<'_, Workspace>,
    id: String,
) -> Result<ScimConnectionDetail> {
    Ok(ws.scim_connection(connection_id(&id)?).await?)
}

#[tauri::command]
pub fn new_scim_connection_template() -> ScimConnectionDocument {
    ScimConnectionDocument::default()
}

#[tauri::command]
pub async fn create_scim_connection(
    ws: State<'_, Workspace>,
    document: ScimConnectionDocument,
    token: String,
) -> Result<ScimConnectionDetail> {
    Ok(ws
        .create_scim_connection(&document, &SecretString::new(token))
        .await?)
}

#[tauri::command]
pub async fn update_scim_connection(
    ws: State<'_, Workspace>,
    id: String,
    expected_revision: i64,
    document: ScimConnectionDocument,
    token: Option<String>,
) -> Result<ScimConnectionDetail> {
    let token = token.map(SecretString::new);
    Ok(ws
        .update_scim_connection(
            connection_id(&id)?,
            Some(expected_revision),
            &document,
            token.as_ref(),
        )
        .await?)
}

#[tauri::command]
pub async fn delete_scim_connection(ws: State<'_, Workspace>, id: String) -> Result<()> {
    ws.delete_scim_connection(connection_id(&id)?).await?;
    Ok(())
}

#[tauri::command]
pub async fn test_scim_connection(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<ScimCheck>>,
    last: State<'_, LastResults>,
    id: String,
) -> Result<TestConnectionReport> {
    let id = connection_id(&id)?;
    let report = cancellable(&control, "Test Connection", async {
        Ok(ws.test_scim_connection(id, &http).await?)
    })
    .await?;
    last.scim(id, |p| p.test_connection = Some(report.clone()));
    Ok(report)
}

#[tauri::command]
pub async fn review_scim_endpoint(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<ScimCheck>>,
    last: State<'_, LastResults>,
    id: String,
) -> Result<EndpointReview> {
    let id = connection_id(&id)?;
    let review = cancellable(&control, "The endpoint review", async {
        Ok(ws.review_scim_endpoint(id, &http).await?)
    })
    .await?;
    last.scim(id, |p| p.review = Some(review.clone()));
    Ok(review)
}

/// Cancels the Test Connection or review under way; neither changes anything on the server.
#[tauri::command]
pub fn cancel_scim_check(control: State<'_, CancelSlot<ScimCheck>>) {
    control.cancel();
}

#[tauri::command]
pub fn scim_mapping_templates() -> Vec<MappingTemplate> {
    templates::templates()
}

#[tauri::command]
pub fn scim_sample_users() -> Vec<SampleUser> {
    templates::sample_users()
}

#[tauri::command]
pub fn scim_expression_functions() -> Vec<FunctionInfo> {
    expression::functions()
}

#[tauri::command]
pub fn check_scim_expression(expression: String, user: Option<Json>) -> ExpressionCheck {
    expression::check(&expression, user.as_ref())
}

#[tauri::command]
pub fn check_scim_mappings(document: MappingDocument) -> Vec<FieldError> {
    document.check().err().unwrap_or_default()
}

#[tauri::command]
pub fn import_scim_mappings(json: String) -> Result<MappingDocument> {
    let document = MappingDocument::from_json(&json).map_err(invalid)?;
    document.check().map_err(invalid)?;
    Ok(document)
}

#[tauri::command]
pub fn export_scim_mappings(document: MappingDocument) -> String {
    document.to_json()
}

/// What the customer's administrator does at the provider the connection's mappings are
/// written for, with its tenant URL and mapping set filled in (never its token).
#[tauri::command]
pub fn scim_provisioning_guide(document: ScimConnectionDocument) -> super::setup::GuideText {
    super::setup::GuideText::of(sso_console::scim::guide::provisioning_guide(&document))
}

#[tauri::command]
pub async fn preview_scim_user(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    id: Option<String>,
    mappings: MappingDocument,
    user: Json,
    changed_user: Option<Json>,
    options: PreviewOptions,
) -> Result<Preview> {
    let id = id.as_deref().map(connection_id).transpose()?;
    Ok(ws
        .preview_scim_user(id, &mappings, &user, changed_user.as_ref(), options, &http)
        .await?)
}

#[tauri::command]
pub async fn run_scim_dry_run(
    ws: State<'_, Workspace>,
    http: State<'_, HttpClient>,
    control: State<'_, CancelSlot<DryRun>>,
    last: State<'_, LastResults>,
    id: String,
    user: Json,
    options: DryRunOptions,
) -> Result<DryRunReport> {
    let id = connection_id(&id)?;
    // Not dropped when cancelled: the run stops after the request under way and still
    // deletes what it created; its report says it was cancelled.
    let cancel = control.start();
    let report = ws.dry_run_scim(id, &user, options, &http, &cancel).await?;
    last.scim(id, |p| p.dry_run = Some(report.clone()));
    Ok(report)
}

/// Cancels the dry run under way (see [`run_scim_dry_run`]).
#[tauri::command]
pub fn cancel_scim_dry_run(control: State<'_, CancelSlot<DryRun>>) {
    control.cancel();
}
