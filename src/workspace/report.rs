//! Diagnostics reports (C16) of stored directories and SCIM connections: the stored parts read
//! here, the secrets read from the keyring only to make sure they appear nowhere in the report.

use super::{Workspace, WorkspaceError};
use crate::directory::DirectoryId;
use crate::discovery::{self, discovery_input};
use crate::http::HttpClient;
use crate::ids::ScimConnectionId;
use crate::mapping::{self, MappedField, MappingOutcome};
use crate::report::{Parts, RedactOptions, Report, ScimPart};
use crate::routing::{self, EmailAddress};
use crate::signin::SignInResult;
use crate::store::directories;
use crate::store::scim::ScimError;

impl Workspace {
    /// The report of a directory: its document, a fresh discovery judged against it and, when
    /// given, a test sign-in with the evaluation of its claims and the routing of the
    /// signed-in user's email.
    pub async fn directory_report(
        &self,
        id: DirectoryId,
        sign_in: Option<SignInResult>,
        http: &HttpClient,
        options: RedactOptions,
    ) -> Result<Report, WorkspaceError> {
        let mut conn = self.store.read().await?;
        let stored = directories::get(&mut conn, id).await?;
        drop(conn);
        let document = stored.directory.to_document();
        let discovery = match discovery_input(&document) {
            Some(input) => Some(
                discovery::discover(http, &input, Some(&document))
                    .await
                    .map_err(|e| e.to_string()),
            ),
            None => Some(Err(
                "the directory has neither a discovery domain nor an issuer to discover from"
                    .to_owned(),
            )),
        };
        let (evaluation, routing) = match &sign_in {
            Some(result) => {
                let evaluation = mapping::evaluate(&stored.directory, &result.claim_set());
                let email = evaluation
                    .mappings
                    .iter()
                    .find(|m| m.field == MappedField::Email)
                    .and_then(|m| match &m.outcome {
                        MappingOutcome::Resolved { value, .. } => EmailAddress::parse(value).ok(),
                        _ => None,
                    });
                let routing = match email {
                    Some(email) => Some(routing::simulate(
                        &email,
                        &self.routing_directories().await?,
                    )),
                    None => None,
                };
                (Some(evaluation), routing)
            }
            None => (None, None),
        };
        let secrets = self.stored_secret(&stored).await?.into_iter().collect();
        Ok(Report::build(
            Parts {
                directory: Some(document),
                discovery,
                sign_in,
                evaluation,
                routing,
                scim: None,
                secrets,
            },
            options,
        )?)
    }

    /// The report of a SCIM connection's checks: the connection with its mappings, and the
    /// checks given. Its bearer token appears nowhere in it.
    pub async fn scim_report(
        &self,
        id: ScimConnectionId,
        mut checks: ScimPart,
        options: RedactOptions,
    ) -> Result<Report, ScimError> {
        let detail = self.scim_connection(id).await?;
        let token = self.scim_token(id).await?;
        checks.connection = Some(detail.document);
        Ok(Report::build(
            Parts {
                scim: Some(checks),
                secrets: token.into_iter().collect(),
                ..Parts::default()
            },
            options,
        )?)
    }
}
