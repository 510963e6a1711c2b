//! Guided setup (C18): from a provider's choice to a tested connection, one step after another,
//! each of which can be left and resumed. The setup lives under the id its directory will have,
//! so that the redirect URL exists before the provider's values do; every step uses the
//! capabilities the console already has (presets, discovery, the directory's save, the test
//! sign-in, the claims evaluation, routing) and the state of each is read from what they left:
//! the directory, its health, or what the flow recorded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{redirect_url, HealthState, Workspace, WorkspaceError};
use crate::directory::{DirectoryDocument, DirectoryId, DirectoryName, FieldError, StaffRule};
use crate::discovery::{self, DiscoveryReport, Prefill};
use crate::findings::has_errors;
use crate::http::HttpClient;
use crate::logo::{self, Logo};
use crate::presets::guide::Guide;
use crate::presets::{self, GuideFor, Preset, Values};
use crate::sensitive::SecretString;
use crate::store::directories::{self, now};
use crate::store::health::HealthRow;
use crate::store::{setups, StoreError};

/// The steps of a guided setup, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SetupStepId {
    /// The provider's values.
    Values,
    /// Discovery, its findings and the endpoints it found, confirmed.
    Discovery,
    /// The steps at the provider, with the URLs to register.
    Provider,
    /// The client ID and secret.
    Credentials,
    /// The directory saved.
    Save,
    /// A test sign-in in the browser.
    TestSignIn,
    /// The claim mappings and the staff rule against the test's claims.
    Evaluation,
    /// Routing an email address to the directory.
    Routing,
}

impl SetupStepId {
    /// Every step, in order.
    pub const ALL: [Self; 8] = [
        Self::Values,
        Self::Discovery,
        Self::Provider,
        Self::Credentials,
        Self::Save,
        Self::TestSignIn,
        Self::Evaluation,
        Self::Routing,
    ];

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Values => "Provider values",
            Self::Discovery => "Discovery",
            Self::Provider => "Steps at the provider",
            Self::Credentials => "Client ID and secret",
            Self::Save => "Save",
            Self::TestSignIn => "Test sign-in",
            Self::Evaluation => "Claims and staff",
            Self::Routing => "Routing",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepState {
    /// Done, and it went well.
    Done,
    /// Done, and something needs fixing: the detail says what.
    Attention,
    /// Not done yet.
    NotYet,
}

/// One step of a setup and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupStep {
    /// Which step.
    pub step: SetupStepId,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub state: StepState,
    /// What was found or what to do, in a sentence.
    pub detail: String,
    /// When it was last done, RFC 3339.
    pub at: Option<String>,
}

/// A guided setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Setup {
    /// The directory's id (reserved until it is saved).
    pub id: String,
    /// The preset's id.
    pub preset: String,
    /// The provider's name.
    pub provider: String,
    /// The preset's values, by key.
    pub values: BTreeMap<String, String>,
    /// The directory as it stands: the draft until it is saved, then the saved one.
    pub document: DirectoryDocument,
    /// Whether the directory is saved.
    pub saved: bool,
    /// The redirect URL to register, once the sign-in service URL is set.
    pub redirect_url: Option<String>,
    /// The staff rule the provider suits, if any.
    pub staff_suggestion: Option<StaffRule>,
    /// The steps, in order.
    pub steps: Vec<SetupStep>,
    /// Every step is done.
    pub complete: bool,
    /// Started, RFC 3339.
    pub created_at: String,
    /// Last changed, RFC 3339.
    pub updated_at: String,
}

/// A setup in a list: to resume it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupSummary {
    /// The directory's id.
    pub id: String,
    /// The directory's name.
    pub name: String,
    /// The provider's name.
    pub provider: String,
    /// Whether the directory is saved.
    pub saved: bool,
    /// The first step not done, if any.
    pub next: Option<String>,
    /// Last changed, RFC 3339.
    pub updated_at: String,
}

/// What the flow recorded of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Recorded {
    at: String,
    ok: bool,
    detail: String,
}

/// The `steps_json` of a setup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Records {
    #[serde(default)]
    steps: BTreeMap<SetupStepId, Recorded>,
    /// The endpoints the last discovery found, until they are confirmed.
    #[serde(default)]
    pending: Option<Prefill>,
}

/// A setup as read from storage.
struct Loaded {
    id: DirectoryId,
    preset: &'static Preset,
    values: Values,
    draft: DirectoryDocument,
    records: Records,
    created_at: String,
    updated_at: String,
}

fn corrupt(id: &str, detail: impl std::fmt::Display) -> WorkspaceError {
    WorkspaceError::Store(StoreError::Corrupt {
        id: id.to_owned(),
        detail: format!("its guided setup cannot be read: {detail}"),
    })
}

impl Workspace {
    /// Starts a guided setup with `preset` and its values for a directory called `name`: the
    /// draft is the preset's document with `logo`, or a placeholder logo with the name in it,
    /// under a new id. Nothing is stored when a value or the name is refused.
    pub async fn start_setup(
        &self,
        preset: &str,
        given: &[(String, String)],
        name: &str,
        logo: Option<Logo>,
    ) -> Result<Setup, WorkspaceError> {
        let Some(preset) = presets::find(preset) else {
            let known: Vec<&str> = presets::PRESETS.iter().map(|p| p.id).collect();
            return Err(WorkspaceError::Invalid(vec![FieldError::new(
                "preset",
                format!(
                    "there is no provider preset \"{}\"; choose one of {}",
                    preset.trim(),
                    known.join(", ")
                ),
            )]));
        };
        let mut errors = Vec::new();
        let values = preset.values(given).map_err(|e| errors.extend(e)).ok();
        let name = match DirectoryName::parse(name) {
            Ok(name) => Some(name),
            Err(message) => {
                errors.push(FieldError::new("name", message));
                None
            }
        };
        if let Some(name) = &name {
            let mut conn = self.store.read().await?;
            if directories::find(&mut conn, name.as_str()).await.is_ok() {
                errors.push(FieldError::new(
                    "name",
                    format!("a directory is already called \"{name}\"; choose another name"),
                ));
            }
        }
        let (Some(values), Some(name), true) = (values, name, errors.is_empty()) else {
            return Err(WorkspaceError::Invalid(errors));
        };
        let id = DirectoryId::new();
        let draft = DirectoryDocument {
            id: Some(id.to_string()),
            name: name.to_string(),
            logo_png_base64: logo
                .unwrap_or_else(|| logo::placeholder(name.as_str()))
                .to_base64(),
            ..preset.document(&values)
        };
        setups::insert(
            self.store.pool(),
            &id.to_string(),
            preset.id,
            &to_json(&values),
            &to_json(&draft),
        )
        .await?;
        tracing::info!(directory = %id, preset = preset.id, "guided setup started");
        self.setup(id).await
    }

    /// The setup `id` and where each of its steps stands.
    pub async fn setup(&self, id: DirectoryId) -> Result<Setup, WorkspaceError> {
        let loaded = self.load_setup(id).await?;
        self.describe(loaded).await
    }

    /// Every setup, the most recently changed first.
    pub async fn setups(&self) -> Result<Vec<SetupSummary>, WorkspaceError> {
        let mut out = Vec::new();
        for row in setups::all(self.store.pool()).await? {
            let Ok(id) = DirectoryId::parse(&row.id) else {
                continue;
            };
            let setup = self.setup(id).await?;
            out.push(SetupSummary {
                id: setup.id,
                name: setup.document.name,
                provider: setup.provider,
                saved: setup.saved,
                next: setup
                    .steps
                    .iter()
                    .find(|s| s.state != StepState::Done)
                    .map(|s| s.title.clone()),
                updated_at: setup.updated_at,
            });
        }
        Ok(out)
    }

    /// Runs discovery for the setup `id` from its discovery URL; the endpoints found wait for
    /// [`Workspace::confirm_setup_discovery`]. The outcome is recorded either way.
    pub async fn setup_discovery(
        &self,
        id: DirectoryId,
        http: &HttpClient,
    ) -> Result<DiscoveryReport, WorkspaceError> {
        let mut loaded = self.load_setup(id).await?;
        let input = loaded.draft.discovery_domain.clone().unwrap_or_default();
        let outcome = discovery::discover(http, &input, Some(&loaded.draft)).await;
        let (recorded, report) = match outcome {
            Ok(report) => {
                let first_error = report
                    .findings
                    .iter()
                    .find(|f| f.severity == crate::findings::Severity::Error);
                let ok = !has_errors(&report.findings);
                loaded.records.pending = ok.then(|| report.prefill.clone());
                let detail = match first_error {
                    Some(f) => f.message.clone(),
                    None => format!(
                        "{} found at {}; confirm the endpoints it found",
                        loaded.preset.name, report.document_url
                    ),
                };
                (Recorded::now(false, detail), Ok(report))
            }
            Err(e) => {
                loaded.records.pending = None;
                (
                    Recorded::now(false, e.to_string()),
                    Err(WorkspaceError::Discovery(e)),
                )
            }
        };
        loaded
            .records
            .steps
            .insert(SetupStepId::Discovery, recorded);
        self.save_setup(&loaded).await?;
        report
    }

    /// Takes the endpoints the last discovery found into the draft (or the saved directory).
    pub async fn confirm_setup_discovery(&self, id: DirectoryId) -> Result<Setup, WorkspaceError> {
        let mut loaded = self.load_setup(id).await?;
        let Some(prefill) = loaded.records.pending.take() else {
            return Err(WorkspaceError::Invalid(vec![FieldError::new(
                "discovery",
                "run discovery first: there are no endpoints without errors to confirm",
            )]));
        };
        let saved = self.saved(id).await?;
        if let Some(detail) = saved {
            let doc = prefill.apply_to(&detail.document);
            self.update(id, Some(detail.revision), &doc, None).await?;
        } else {
            loaded.draft = prefill.apply_to(&loaded.draft);
        }
        loaded.records.steps.insert(
            SetupStepId::Discovery,
            Recorded::now(
                true,
                "the endpoints discovery found are in the directory".into(),
            ),
        );
        self.save_setup(&loaded).await?;
        self.setup(id).await
    }

    /// Records that the steps at the provider are done.
    pub async fn confirm_setup_provider(&self, id: DirectoryId) -> Result<Setup, WorkspaceError> {
        self.record_setup_step(
            id,
            SetupStepId::Provider,
            true,
            "the administrator registered the URLs at the provider".into(),
        )
        .await
    }

    /// Records how the flow's claims evaluation or routing check went. The other steps' states
    /// come from what they left, so they cannot be recorded.
    pub async fn record_setup_step(
        &self,
        id: DirectoryId,
        step: SetupStepId,
        ok: bool,
        detail: String,
    ) -> Result<Setup, WorkspaceError> {
        if !matches!(
            step,
            SetupStepId::Provider | SetupStepId::Evaluation | SetupStepId::Routing
        ) {
            return Err(WorkspaceError::Invalid(vec![FieldError::new(
                "step",
                format!(
                    "\"{}\" is done by doing it, not by recording it",
                    step.title()
                ),
            )]));
        }
        let mut loaded = self.load_setup(id).await?;
        loaded.records.steps.insert(step, Recorded::now(ok, detail));
        self.save_setup(&loaded).await?;
        self.setup(id).await
    }

    /// Saves the setup's directory with its client ID, secret and the secret's expiry: created
    /// under the reserved id the first time, updated after. All or nothing.
    pub async fn save_setup_directory(
        &self,
        id: DirectoryId,
        client_id: &str,
        client_secret: &SecretString,
        client_secret_expires_on: Option<String>,
    ) -> Result<Setup, WorkspaceError> {
        let loaded = self.load_setup(id).await?;
        match self.saved(id).await? {
            Some(detail) => {
                let doc = DirectoryDocument {
                    client_id: client_id.to_owned(),
                    client_secret_expires_on,
                    ..detail.document
                };
                let secret = (!client_secret.is_empty()).then_some(client_secret);
                self.update(id, Some(detail.revision), &doc, secret).await?;
            }
            None => {
                let doc = DirectoryDocument {
                    client_id: client_id.to_owned(),
                    client_secret_expires_on,
                    ..loaded.draft.clone()
                };
                self.insert_with_secret(id, &doc, client_secret).await?;
            }
        }
        self.save_setup(&loaded).await?;
        self.setup(id).await
    }

    /// Forgets the setup `id`; a directory it saved stays.
    pub async fn discard_setup(&self, id: DirectoryId) -> Result<(), WorkspaceError> {
        self.load_setup(id).await?;
        Ok(setups::delete(self.store.pool(), &id.to_string()).await?)
    }

    /// The provider-side guide of the setup `id`.
    pub async fn setup_guide(&self, id: DirectoryId) -> Result<Guide, WorkspaceError> {
        let loaded = self.load_setup(id).await?;
        let document = match self.saved(id).await? {
            Some(detail) => detail.document,
            None => loaded.draft.clone(),
        };
        self.guide_for(id, loaded.preset, &loaded.values, &document)
            .await
    }

    /// The provider-side guide of a saved directory: its setup's preset and values when it had
    /// one, else the preset its provider is recognised as (its values left to fill in), else the
    /// guide for any OpenID Connect provider.
    pub async fn guide(&self, name_or_id: &str) -> Result<Guide, WorkspaceError> {
        let detail = self.find(name_or_id).await?;
        let id = DirectoryId::parse(detail.document.id.as_deref().unwrap_or_default())
            .map_err(|e| corrupt(name_or_id, e))?;
        if let Ok(loaded) = self.load_setup(id).await {
            return self
                .guide_for(id, loaded.preset, &loaded.values, &detail.document)
                .await;
        }
        let doc = &detail.document;
        let url = [doc.issuer.as_deref(), doc.discovery_domain.as_deref()]
            .into_iter()
            .flatten()
            .find_map(|u| discovery::discovery_url(u).ok());
        let preset = url
            .as_ref()
            .and_then(presets::recognise)
            .or_else(|| presets::find("generic"))
            .ok_or_else(|| corrupt(name_or_id, "no generic preset"))?;
        let mut values = Values::new();
        if preset.id == "generic" {
            if let Some(issuer) = doc.issuer.clone() {
                values.insert("issuer", issuer);
            }
        }
        self.guide_for(id, preset, &values, doc).await
    }

    async fn guide_for(
        &self,
        id: DirectoryId,
        preset: &Preset,
        values: &Values,
        document: &DirectoryDocument,
    ) -> Result<Guide, WorkspaceError> {
        let base = self.settings().await?.sign_in_service_url;
        Ok(preset.guide(
            values,
            &GuideFor {
                name: &document.name,
                redirect_url: base.map(|b| redirect_url(&b, id)).ok_or_else(|| {
                    "set the sign-in service URL in Settings first; the redirect URL follows from it"
                        .to_owned()
                }),
                test_redirect_port: document.test_redirect_port,
            },
        ))
    }

    async fn load_setup(&self, id: DirectoryId) -> Result<Loaded, WorkspaceError> {
        let key = id.to_string();
        let mut conn = self.store.read().await?;
        let row = setups::get(&mut conn, &key)
            .await?
            .ok_or_else(|| WorkspaceError::NoSetup(key.clone()))?;
        let preset = presets::find(&row.preset)
            .ok_or_else(|| corrupt(&key, format!("no preset \"{}\"", row.preset)))?;
        let given: BTreeMap<String, String> =
            serde_json::from_str(&row.values_json).map_err(|e| corrupt(&key, e))?;
        let pairs: Vec<(String, String)> = given.into_iter().collect();
        let values = preset
            .values(&pairs)
            .map_err(|e| corrupt(&key, FieldError::describe_all(&e)))?;
        Ok(Loaded {
            id,
            preset,
            values,
            draft: serde_json::from_str(&row.draft_json).map_err(|e| corrupt(&key, e))?,
            records: serde_json::from_str(&row.steps_json).map_err(|e| corrupt(&key, e))?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    async fn save_setup(&self, loaded: &Loaded) -> Result<(), WorkspaceError> {
        let mut conn = self.store.read().await?;
        let key = loaded.id.to_string();
        if setups::update(
            &mut conn,
            &key,
            &to_json(&loaded.draft),
            &to_json(&loaded.records),
        )
        .await?
        {
            Ok(())
        } else {
            Err(WorkspaceError::NoSetup(key))
        }
    }

    /// The saved directory `id`, if it is saved.
    async fn saved(
        &self,
        id: DirectoryId,
    ) -> Result<Option<super::DirectoryDetail>, WorkspaceError> {
        match self.get(id).await {
            Ok(detail) => Ok(Some(detail)),
            Err(WorkspaceError::Store(StoreError::NotFound(_))) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn describe(&self, loaded: Loaded) -> Result<Setup, WorkspaceError> {
        let saved = self.saved(loaded.id).await?;
        let health = match &saved {
            Some(detail) => HealthState::from_row(
                self.health_rows()
                    .await?
                    .get(&loaded.id.to_string())
                    .unwrap_or(&HealthRow::default()),
                detail.secret_expiry,
            ),
            None => HealthState::default(),
        };
        let document = saved
            .as_ref()
            .map_or_else(|| loaded.draft.clone(), |d| d.document.clone());
        let recorded = |step: SetupStepId, not_yet: &str| match loaded.records.steps.get(&step) {
            Some(r) => (
                if r.ok {
                    StepState::Done
                } else {
                    StepState::Attention
                },
                r.detail.clone(),
                Some(r.at.clone()),
            ),
            None => (StepState::NotYet, not_yet.to_owned(), None),
        };
        let values_text = loaded
            .values
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let steps = SetupStepId::ALL
            .into_iter()
            .map(|step| {
                let (state, detail, at) = match step {
                    SetupStepId::Values => (
                        StepState::Done,
                        if values_text.is_empty() {
                            loaded.preset.name.to_owned()
                        } else {
                            format!("{}: {values_text}", loaded.preset.name)
                        },
                        Some(loaded.created_at.clone()),
                    ),
                    SetupStepId::Discovery => match loaded.records.steps.get(&step) {
                        // Found without errors but not confirmed yet.
                        Some(r) if !r.ok && loaded.records.pending.is_some() => {
                            (StepState::NotYet, r.detail.clone(), Some(r.at.clone()))
                        }
                        _ => recorded(step, "run discovery to check the provider's metadata"),
                    },
                    SetupStepId::Provider => recorded(
                        step,
                        "follow the steps at the provider, with the URLs to register",
                    ),
                    SetupStepId::Credentials => match &saved {
                        Some(d) if d.has_client_secret => (
                            StepState::Done,
                            format!(
                                "client ID {}; the secret is in the keyring",
                                d.document.client_id
                            ),
                            Some(d.updated_at.clone()),
                        ),
                        _ => (
                            StepState::NotYet,
                            "enter the client ID and secret the provider gave".to_owned(),
                            None,
                        ),
                    },
                    SetupStepId::Save => match &saved {
                        Some(d) => (
                            StepState::Done,
                            "the directory is saved".to_owned(),
                            Some(d.created_at.clone()),
                        ),
                        None => (
                            StepState::NotYet,
                            "save the directory to test it".to_owned(),
                            None,
                        ),
                    },
                    SetupStepId::TestSignIn => match &health.last_sign_in {
                        Some(s) if s.succeeded => (
                            StepState::Done,
                            "the last test sign-in succeeded".to_owned(),
                            Some(s.at.clone()),
                        ),
                        Some(s) => (
                            StepState::Attention,
                            format!(
                                "the last test sign-in failed: {}",
                                s.failed_step.as_deref().unwrap_or("see the test's result")
                            ),
                            Some(s.at.clone()),
                        ),
                        None => (
                            StepState::NotYet,
                            "sign in once as a user of the provider".to_owned(),
                            None,
                        ),
                    },
                    SetupStepId::Evaluation => recorded(
                        step,
                        "check the claim mappings and the staff rule against the test's claims",
                    ),
                    SetupStepId::Routing => recorded(
                        step,
                        "check which directory an email address of the customer goes to",
                    ),
                };
                SetupStep {
                    step,
                    title: step.title().to_owned(),
                    state,
                    detail,
                    at,
                }
            })
            .collect::<Vec<_>>();
        let base = self.settings().await?.sign_in_service_url;
        Ok(Setup {
            id: loaded.id.to_string(),
            preset: loaded.preset.id.to_owned(),
            provider: loaded.preset.name.to_owned(),
            values: loaded
                .values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            saved: saved.is_some(),
            redirect_url: base.map(|b| redirect_url(&b, loaded.id)),
            staff_suggestion: loaded.preset.staff_suggestion.map(|s| s.rule()),
            complete: steps.iter().all(|s| s.state == StepState::Done),
            steps,
            document,
            created_at: loaded.created_at,
            updated_at: loaded.updated_at,
        })
    }
}

impl Recorded {
    fn now(ok: bool, detail: String) -> Self {
        Self {
            at: now(),
            ok,
            detail,
        }
    }
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
