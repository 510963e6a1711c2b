//! The report as a self-contained web page (C16): one HTML5 file that reads well on screen and
//! printed, and that nothing in it can turn against the person who opens it.
//!
//! A report is full of what providers sent — claim values, error descriptions, discovery
//! documents, SCIM answers — so the page trusts none of it:
//! - there is no script at all, and a strict Content-Security-Policy, the first thing in its
//!   head, tells the browser to run none and fetch nothing;
//! - every value from the report goes through [`escape`] and is placed as text, never in an
//!   attribute; the one exception is the directory's logo, emitted as a `data:` image only when
//!   its text is nothing but base64.

use serde_json::{Map, Value};

use super::{Redaction, Report, ScimPart};
use crate::directory::{ClaimSource, DirectoryDocument};
use crate::discovery::{DiscoveryReport, FieldChange, KeySetOutcome, KeySetSummary};
use crate::findings::{Finding, Severity};
use crate::html::escape;
use crate::mapping::{
    ClaimSuggestion, ClaimsEvaluation, ExternalIdPreview, MappedField, MappingResult,
    SourceSummary, StaffCheck, StaffDecision,
};
use crate::routing::{Route, RouteDecision};
use crate::scim::client::{Exchange, Header};
use crate::scim::connection::ScimConnectionDocument;
use crate::scim::lifecycle::{DryRunReport, DryRunStep, StepStatus};
use crate::scim::mapping::MappingSource;
use crate::scim::review::EndpointReview;
use crate::scim::test_connection::TestConnectionReport;
use crate::signin::{
    Check, CheckOutcome, SignInResult, SignInTimings, SignInTrace, SourceClaims, SourceStatus,
    StepFailure, TraceParameter,
};

/// The page's Content-Security-Policy: no script, nothing fetched, inline style only and
/// `data:` images (the logo) only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src data:; base-uri 'none'; form-action 'none'";

/// The page's title and first heading.
const TITLE: &str = "SSO Console diagnostics report";

/// What stands for a value that is not there.
const NOT_SET: &str = "<span class=\"none\">—</span>";

/// The report as one HTML page.
pub fn render(report: &Report) -> String {
    let sections = [
        Some(header(report)),
        report.directory.as_ref().map(directory),
        discovery(report),
        report.sign_in.as_ref().map(sign_in),
        report.evaluation.as_ref().map(evaluation),
        report.routing.as_ref().map(routing),
        report.scim.as_ref().map(scim),
    ];
    let body: String = sections.into_iter().flatten().collect();
    let title = match subject_name(report) {
        Some(name) => format!("{TITLE}: {}", escape(name)),
        None => TITLE.to_owned(),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n{body}</body>\n</html>\n"
    )
}

// ----- Building blocks. Each takes report values as they are and escapes them; each returns
// ----- HTML.

/// A section with its heading; `content` is HTML.
fn section(id: &'static str, title: &str, content: &str) -> String {
    format!(
        "<section id=\"{id}\">\n<h2>{}</h2>\n{content}</section>\n",
        escape(title)
    )
}

/// A sub-heading within a section.
fn h3(title: &str) -> String {
    format!("<h3>{}</h3>\n", escape(title))
}

/// A paragraph of text.
fn paragraph(text: &str) -> String {
    format!("<p>{}</p>\n", escape(text))
}

/// A two-column table: each row's name (escaped here, as it may be a provider's claim name)
/// and its value, already HTML.
fn kv_table(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"kv\">\n<tbody>\n");
    for (name, value) in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>\n",
            escape(name)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A column of a [`table`].
#[derive(Clone, Copy)]
enum Column {
    /// The console's own short words, numbers or badges: wrapped between words only.
    Label(&'static str),
    /// Values of any length, a provider's included: wrapped anywhere.
    Value(&'static str),
}

/// A table with column headings; the cells are HTML, one per column.
fn table(columns: &[Column], rows: &[Vec<String>]) -> String {
    let class = |c: &Column| match c {
        Column::Label(_) => " class=\"label\"",
        Column::Value(_) => "",
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for column in columns {
        let (Column::Label(name) | Column::Value(name)) = column;
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            class(column),
            escape(name)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (n, cell) in row.iter().enumerate() {
            let class = columns.get(n).map_or("", class);
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A preformatted block: documents, bodies, notes.
fn pre(text: &str) -> String {
    format!("<pre>{}</pre>", escape(text))
}

/// A bulleted list of texts.
fn list(items: &[String]) -> String {
    let mut out = String::from("<ul>\n");
    for item in items {
        out.push_str(&format!("<li>{}</li>\n", escape(item)));
    }
    out.push_str("</ul>\n");
    out
}

/// A text, or the mark of a missing one.
fn text_or_none(text: Option<&str>) -> String {
    text.map_or_else(|| NOT_SET.to_owned(), escape)
}

/// A text, or the mark of a missing one when it is empty.
fn text_or_blank(text: &str) -> String {
    text_or_none(Some(text).filter(|t| !t.trim().is_empty()))
}

/// A text in code type.
fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// A claim's or a field's value: text as it is, anything else as compact JSON.
fn json_value(value: &Value) -> String {
    match value {
        Value::String(s) if !s.is_empty() => escape(s),
        other => code(&serde_json::to_string(other).unwrap_or_default()),
    }
}

/// A small coloured label. `tone` is one of the stylesheet's `s-…` classes, never a value.
fn badge(tone: Tone, word: &str) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        tone.class(),
        escape(word)
    )
}

fn yes_no(value: bool) -> String {
    (if value { "yes" } else { "no" }).to_owned()
}

fn ok_badge(ok: bool) -> String {
    if ok {
        badge(Tone::Pass, "ok")
    } else {
        badge(Tone::Fail, "failed")
    }
}

/// Milliseconds, to a tenth.
fn ms(value: f64) -> String {
    format!("{value:.1}")
}

/// The colours of the page.
#[derive(Clone, Copy)]
enum Tone {
    Pass,
    Fail,
    Warn,
    Info,
    Skip,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Self::Pass => "s-pass",
            Self::Fail => "s-fail",
            Self::Warn => "s-warn",
            Self::Info => "s-info",
            Self::Skip => "s-skip",
        }
    }

    fn of_severity(severity: Severity) -> Self {
        match severity {
            Severity::Error => Self::Fail,
            Severity::Warning => Self::Warn,
            Severity::Info => Self::Info,
        }
    }
}

/// Findings, the most serious first as they come, each with its severity, message and fix.
fn findings(list: &[Finding]) -> String {
    if list.is_empty() {
        return "<p class=\"none\">No findings.</p>\n".to_owned();
    }
    let mut out = String::from("<ul class=\"findings\">\n");
    for f in list {
        let tone = Tone::of_severity(f.severity);
        out.push_str(&format!(
            "<li class=\"{}\">{} {}",
            tone.class(),
            badge(tone, f.severity.as_str()),
            escape(&f.message)
        ));
        if let Some(subject) = &f.subject {
            out.push_str(&format!(
                " <span class=\"subject\">[{}]</span>",
                escape(subject)
            ));
        }
        if let Some(field) = &f.field {
            out.push_str(&format!(
                " <span class=\"muted\">field {}</span>",
                code(field)
            ));
        }
        if !f.directories.is_empty() {
            let names: Vec<&str> = f.directories.iter().map(|d| d.name.as_str()).collect();
            out.push_str(&format!(
                "<div class=\"muted\">Directories: {}</div>",
                escape(&names.join(", "))
            ));
        }
        if !f.fix.is_empty() {
            out.push_str(&format!("<div class=\"fix\">Fix: {}</div>", escape(&f.fix)));
        }
        out.push_str(&format!(
            "<div class=\"code\">{}</div></li>\n",
            escape(&f.code)
        ));
    }
    out.push_str("</ul>\n");
    out
}

/// Name and value pairs (trace parameters, headers), one a line.
fn pairs<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let lines: Vec<String> = items
        .into_iter()
        .map(|(name, value)| format!("<li>{}: {}</li>", code(name), escape(value)))
        .collect();
    if lines.is_empty() {
        NOT_SET.to_owned()
    } else {
        format!("<ul class=\"pairs\">{}</ul>", lines.concat())
    }
}

/// A claims or header object as a table, or a line saying it is empty.
fn object_table(object: &Map<String, Value>, empty: &str) -> String {
    if object.is_empty() {
        return format!("<p class=\"none\">{}</p>\n", escape(empty));
    }
    let rows: Vec<(&str, String)> = object
        .iter()
        .map(|(name, value)| (name.as_str(), json_value(value)))
        .collect();
    kv_table(&rows)
}

/// A box that stands out, for what failed; `content` is HTML.
fn failure_box(content: &str) -> String {
    format!("<div class=\"box s-fail\">\n{content}</div>\n")
}

// ----- The logo.

/// The logo as an image, only when its text is base64 and nothing else: it is the one report
/// value placed in an attribute.
fn logo(directory: &DirectoryDocument) -> Option<String> {
    let data = directory.logo_png_base64.as_str();
    is_base64(data).then(|| {
        format!("<img class=\"logo\" alt=\"The directory's logo\" src=\"data:image/png;base64,{data}\">")
    })
}

/// Whether `text` is non-empty standard base64: letters, digits, `+` and `/`, with at most two
/// `=` of padding at the end.
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !body.is_empty()
        && text.len() - body.len() <= 2
        && text.len() % 4 == 0
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

// ----- The sections.

/// The name the report is about: the directory's, or the SCIM connection's.
fn subject_name(report: &Report) -> Option<&str> {
    let name = report
        .directory
        .as_ref()
        .map(|d| d.name.as_str())
        .or_else(|| report.sign_in.as_ref().map(|s| s.directory_name.as_str()))
        .or_else(|| {
            report
                .evaluation
                .as_ref()
                .map(|e| e.directory_name.as_str())
        })
        .or_else(|| {
            report
                .scim
                .as_ref()
                .and_then(|s| s.connection.as_ref())
                .map(|c| c.name.as_str())
        })?;
    (!name.trim().is_empty()).then_some(name)
}

fn header(report: &Report) -> String {
    let mut out = String::from("<header>\n");
    if let Some(img) = report.directory.as_ref().and_then(logo) {
        out.push_str(&format!("<div class=\"logo\">{img}</div>\n"));
    }
    out.push_str(&format!("<h1>{}</h1>\n", escape(TITLE)));
    if let Some(name) = subject_name(report) {
        out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(name)));
    }
    out.push_str(&kv_table(&[
        ("Created", escape(&report.created_at)),
        ("SSO Console version", escape(&report.app_version)),
        ("Platform", escape(&report.platform)),
        (
            "Report format",
            escape(&format!("{} {}", report.format, report.version)),
        ),
    ]));
    out.push_str(&redaction(&report.redaction));
    out.push_str("</header>\n");
    out
}

fn redaction(r: &Redaction) -> String {
    let mut content = String::from("<h2>What was removed</h2>\n");
    if r.always_removed.is_empty() {
        content.push_str("<p class=\"none\">The report does not say what was removed.</p>\n");
    } else {
        content.push_str("<p>Always removed:</p>\n");
        content.push_str(&list(&r.always_removed));
    }
    let replaced = |yes: bool| {
        if yes {
            "replaced by placeholders"
        } else {
            "kept as they are"
        }
    };
    content.push_str(&paragraph(&format!(
        "Personal data (e-mail addresses, names, phone numbers, postal addresses, free-text claims): {}.",
        replaced(r.personal_data)
    )));
    content.push_str(&paragraph(&format!(
        "User identifiers (sub, oid): {}.",
        replaced(r.identifiers)
    )));
    if r.placeholders > 0 {
        content.push_str(&paragraph(&format!(
            "{} distinct value(s) were replaced; the same value has the same placeholder throughout.",
            r.placeholders
        )));
    }
    format!("<aside class=\"box redaction\">\n{content}</aside>\n")
}

fn directory(d: &DirectoryDocument) -> String {
    let logo_row = if d.logo_png_base64.is_empty() {
        NOT_SET.to_owned()
    } else if is_base64(&d.logo_png_base64) {
        "shown at the top".to_owned()
    } else {
        "not shown: its text is not base64".to_owned()
    };
    let rows = [
        ("Name", escape(&d.name)),
        ("ID", text_or_none(d.id.as_deref())),
        ("Logo", logo_row),
        (
            "Discovery domain",
            text_or_none(d.discovery_domain.as_deref()),
        ),
        ("Authorization URL", escape(&d.authorization_url)),
        ("Token URL", escape(&d.token_url)),
        ("Userinfo URL", text_or_none(d.userinfo_url.as_deref())),
        ("Issuer", text_or_none(d.issuer.as_deref())),
        ("JWKS URI", text_or_none(d.jwks_uri.as_deref())),
        ("Client ID", escape(&d.client_id)),
        (
            "Client secret expires on",
            text_or_none(d.client_secret_expires_on.as_deref()),
        ),
        ("Scopes", escape(&d.scopes)),
        ("PKCE (S256)", yes_no(d.pkce)),
        (
            "Response mode",
            (if d.response_mode_form_post {
                "form_post"
            } else {
                "query"
            })
            .to_owned(),
        ),
        (
            "Token endpoint authentication",
            (if d.token_endpoint_basic_auth {
                "HTTP Basic"
            } else {
                "client secret in the request body"
            })
            .to_owned(),
        ),
        ("Claim mappings", claim_mappings(d)),
        ("Staff users", escape(&d.staff.describe())),
        ("Hidden from the selection screen", yes_no(d.is_hidden)),
        (
            "Domain suffixes",
            if d.domain_suffixes.is_empty() {
                NOT_SET.to_owned()
            } else {
                escape(&d.domain_suffixes.join(", "))
            },
        ),
        (
            "Test redirect port",
            d.test_redirect_port
                .map_or_else(|| "any free port".to_owned(), |p| p.to_string()),
        ),
        (
            "New contacts' member type",
            text_or_blank(&d.new_contact_member_type),
        ),
        ("New contacts' status", text_or_blank(&d.new_contact_status)),
    ];
    section("directory", "Directory", &kv_table(&rows))
}

fn claim_mappings(d: &DirectoryDocument) -> String {
    let lines: Vec<String> = MappedField::ALL
        .into_iter()
        .map(|field| {
            let m = field.of(&d.claims);
            format!(
                "<li>{}: {} in {}</li>",
                escape(field.label()),
                code(&m.claim),
                escape(source_name(m.source))
            )
        })
        .collect();
    format!("<ul class=\"pairs\">{}</ul>", lines.concat())
}

/// A source's name as a heading says it.
fn source_name(source: ClaimSource) -> &'static str {
    match source {
        ClaimSource::AccessToken => "Access token",
        ClaimSource::IdToken => "ID token",
        ClaimSource::Userinfo => "Userinfo",
    }
}

fn discovery(report: &Report) -> Option<String> {
    let content = match (&report.discovery, &report.discovery_error) {
        (Some(d), _) => discovery_report(d),
        (None, Some(error)) => {
            failure_box(&paragraph(&format!("Discovery could not run: {error}")))
        }
        (None, None) => return None,
    };
    Some(section("discovery", "Discovery", &content))
}

fn discovery_report(d: &DiscoveryReport) -> String {
    let mut out = kv_table(&[
        ("Document URL", escape(&d.document_url)),
        ("Time on the network", format!("{} ms", d.elapsed_ms)),
    ]);
    out.push_str(&h3("Findings"));
    out.push_str(&findings(&d.findings));
    out.push_str(&h3("Key set"));
    out.push_str(&key_set(&d.key_set));
    if !d.changes.is_empty() {
        out.push_str(&h3("What discovery would change in the directory"));
        out.push_str(&changes(&d.changes));
    }
    out.push_str(&h3("The metadata document"));
    out.push_str(&pre(&d.raw_document));
    out.push('\n');
    out
}

fn key_set(outcome: &KeySetOutcome) -> String {
    match outcome {
        KeySetOutcome::NotFetched => {
            "<p class=\"none\">Not fetched: there is no jwks_uri.</p>\n".to_owned()
        }
        KeySetOutcome::Failed { message } => failure_box(&paragraph(&format!(
            "The key set could not be read: {message}"
        ))),
        KeySetOutcome::Fetched { summary } => key_set_summary(summary),
    }
}

fn key_set_summary(summary: &KeySetSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .keys
        .iter()
        .map(|k| {
            vec![
                text_or_none(k.kid.as_deref()),
                text_or_none(k.kty.as_deref()),
                text_or_none(k.alg.as_deref()),
                text_or_none(k.key_use.as_deref()),
                text_or_none(k.crv.as_deref()),
                if k.usable_for_signatures {
                    badge(Tone::Pass, "yes")
                } else {
                    badge(Tone::Skip, "no")
                },
                text_or_none(k.problem.as_deref()),
            ]
        })
        .collect();
    let mut out = paragraph(&format!(
        "{} of {} key(s) can verify signatures.",
        summary.signing_keys,
        summary.keys.len()
    ));
    out.push_str(&table(
        &[
            Column::Value("kid"),
            Column::Value("kty"),
            Column::Value("alg"),
            Column::Value("use"),
            Column::Value("crv"),
            Column::Label("Usable"),
            Column::Value("Problem"),
        ],
        &rows,
    ));
    out
}

fn changes(list: &[FieldChange]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                code(&c.field),
                text_or_none(c.old.as_deref()),
                escape(&c.new),
            ]
        })
        .collect();
    table(
        &[
            Column::Value("Field"),
            Column::Value("Now"),
            Column::Value("Discovered"),
        ],
        &rows,
    )
}

fn sign_in(s: &SignInResult) -> String {
    let verdict = if s.succeeded {
        badge(Tone::Pass, "succeeded")
    } else {
        badge(Tone::Fail, "failed")
    };
    let mut out = kv_table(&[
        ("Result", verdict),
        ("Directory", escape(&s.directory_name)),
        ("Redirect URI", escape(&s.redirect_uri)),
        ("Started", text_or_blank(&s.trace.started_at)),
    ]);
    if let Some(f) = &s.failure {
        out.push_str(&failure(f));
    }
    if !s.trace.steps.is_empty() {
        out.push_str(&h3("Steps"));
        out.push_str(&trace(&s.trace));
    }
    out.push_str(&h3("Checks"));
    out.push_str(&checks(&s.checks));
    out.push_str(&h3("Claims by source"));
    for (title, source) in [
        ("ID token", &s.id_token),
        ("Access token", &s.access_token),
        ("Userinfo", &s.userinfo),
    ] {
        out.push_str(&source_claims(title, source));
    }
    out.push_str(&h3("Token response"));
    out.push_str(&object_table(
        &s.token_response,
        "No token response fields were kept.",
    ));
    out.push_str(&h3("Timings"));
    out.push_str(&timings(&s.timings));
    section("sign-in", "Test sign-in", &out)
}

fn failure(f: &StepFailure) -> String {
    let mut rows = vec![
        ("Failed at", escape(f.step.label())),
        ("What happened", escape(&f.message)),
        ("What to do", escape(&f.hint)),
    ];
    if let Some(e) = &f.provider_error {
        rows.push(("Provider's error", code(e)));
    }
    if let Some(d) = &f.provider_error_description {
        rows.push(("Provider's description", escape(d)));
    }
    failure_box(&kv_table(&rows))
}

fn trace(t: &SignInTrace) -> String {
    let params =
        |list: &[TraceParameter]| pairs(list.iter().map(|p| (p.name.as_str(), p.value.as_str())));
    let rows: Vec<Vec<String>> = t
        .steps
        .iter()
        .map(|step| {
            let request = match (&step.method, &step.url) {
                (Some(m), Some(u)) => code(&format!("{m} {u}")),
                (None, Some(u)) => code(u),
                (Some(m), None) => code(m),
                (None, None) => NOT_SET.to_owned(),
            };
            vec![
                escape(step.kind.label()),
                ms(step.started_ms),
                ms(step.duration_ms),
                request,
                params(&step.sent),
                params(&step.received),
                format!("{} {}", ok_badge(step.ok), escape(&step.outcome)),
            ]
        })
        .collect();
    table(
        &[
            Column::Label("Step"),
            Column::Label("Start (ms)"),
            Column::Label("Duration (ms)"),
            Column::Value("Request"),
            Column::Value("Sent"),
            Column::Value("Received"),
            Column::Value("Outcome"),
        ],
        &rows,
    )
}

fn checks(list: &[Check]) -> String {
    if list.is_empty() {
        return "<p class=\"none\">No checks ran.</p>\n".to_owned();
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let (tone, word) = match c.outcome {
                CheckOutcome::Pass => (Tone::Pass, "passed"),
                CheckOutcome::Fail => (Tone::Fail, "failed"),
                CheckOutcome::Warn => (Tone::Warn, "passed, with a remark"),
                CheckOutcome::Skip => (Tone::Skip, "skipped"),
            };
            vec![
                escape(c.name.as_str()),
                badge(tone, word),
                escape(&c.detail),
            ]
        })
        .collect();
    table(
        &[
            Column::Label("Check"),
            Column::Label("Outcome"),
            Column::Value("Detail"),
        ],
        &rows,
    )
}

fn source_claims(title: &str, s: &SourceClaims) -> String {
    let tone = match s.status {
        SourceStatus::Verified | SourceStatus::Received => Tone::Pass,
        SourceStatus::Unverified => Tone::Warn,
        SourceStatus::Failed => Tone::Fail,
        SourceStatus::Opaque => Tone::Info,
        SourceStatus::NotRequested => Tone::Skip,
    };
    let mut out = format!(
        "<div class=\"source\">\n<h4>{} {}</h4>\n",
        escape(title),
        badge(tone, s.status.label())
    );
    if !s.status_detail.is_empty() {
        out.push_str(&paragraph(&s.status_detail));
    }
    if let Some(header) = &s.header {
        out.push_str("<p class=\"caption\">JOSE header</p>\n");
        out.push_str(&object_table(header, "The header is empty."));
    }
    if let Some(claims) = &s.claims {
        out.push_str("<p class=\"caption\">Claims</p>\n");
        out.push_str(&object_table(claims, "No claims."));
    }
    out.push_str("</div>\n");
    out
}

fn timings(t: &SignInTimings) -> String {
    let row = |value: f64| format!("{} ms", ms(value));
    kv_table(&[
        ("Callback to result", row(t.callback_to_result_ms)),
        ("Token request", row(t.token_ms)),
        ("Userinfo request", row(t.userinfo_ms)),
        ("Waiting for the key set", row(t.key_set_wait_ms)),
        ("The console's own work", row(t.processing_ms)),
    ])
}

fn evaluation(e: &ClaimsEvaluation) -> String {
    let verdict = if e.sign_in_succeeds {
        badge(Tone::Pass, "would succeed")
    } else {
        badge(Tone::Fail, "would fail")
    };
    let mut out = format!("<p>{verdict} {}</p>\n", escape(&e.summary));
    if !e.sources.is_empty() {
        out.push_str(&h3("Sources"));
        out.push_str(&sources(&e.sources));
    }
    out.push_str(&h3("Claim mappings"));
    out.push_str(&mappings(&e.mappings));
    out.push_str(&h3("External ID"));
    out.push_str(&external_id(&e.external_id));
    out.push_str(&h3("Staff user identification"));
    out.push_str(&staff(&e.staff));
    section("evaluation", "Evaluation", &out)
}

fn sources(list: &[SourceSummary]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                escape(source_name(s.source)),
                if s.available {
                    badge(Tone::Pass, "usable")
                } else {
                    badge(Tone::Skip, "not usable")
                },
                escape(&s.message),
            ]
        })
        .collect();
    table(
        &[
            Column::Label("Source"),
            Column::Label("Usable"),
            Column::Value("What the sign-in service sees"),
        ],
        &rows,
    )
}

fn mappings(list: &[MappingResult]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|m| {
            let mut message = escape(&m.message);
            if let Some(w) = &m.warning {
                message.push_str(&format!("<div class=\"warn-note\">{}</div>", escape(w)));
            }
            if !m.suggestions.is_empty() {
                message.push_str(&format!(
                    "<div class=\"muted\">Could be mapped instead:</div>{}",
                    suggestions(&m.suggestions)
                ));
            }
            vec![
                escape(&m.label),
                code(&m.claim),
                escape(source_name(m.source)),
                ok_badge(m.ok),
                message,
            ]
        })
        .collect();
    table(
        &[
            Column::Label("Field"),
            Column::Value("Claim"),
            Column::Label("Source"),
            Column::Label("Result"),
            Column::Value("What was found"),
        ],
        &rows,
    )
}

fn suggestions(list: &[ClaimSuggestion]) -> String {
    let lines: Vec<String> = list
        .iter()
        .map(|s| {
            format!(
                "<li>{} in {}: {}</li>",
                code(&s.claim),
                escape(source_name(s.source)),
                escape(&s.value)
            )
        })
        .collect();
    format!("<ul class=\"pairs\">{}</ul>", lines.concat())
}

fn external_id(x: &ExternalIdPreview) -> String {
    let mut rows = vec![
        (
            "Claim",
            format!("{} in {}", code(&x.claim), escape(source_name(x.source))),
        ),
        ("Directory ID", text_or_none(x.directory_id.as_deref())),
        ("Claim value", text_or_none(x.claim_value.as_deref())),
        ("External ID", text_or_none(x.external_id.as_deref())),
        ("Matching", escape(&x.matching)),
        ("Microsoft Entra ID", yes_no(x.provider_is_entra)),
    ];
    if let Some(w) = &x.warning {
        rows.push((
            "Warning",
            format!("<span class=\"warn-note\">{}</span>", escape(w)),
        ));
    }
    if let Some(c) = &x.suggested_claim {
        rows.push(("Suggested claim", code(c)));
    }
    if let Some(seen) = &x.suggested_claim_seen {
        rows.push((
            "Suggested claim seen",
            format!(
                "{} in {}: {}",
                code(&seen.claim),
                escape(source_name(seen.source)),
                escape(&seen.value)
            ),
        ));
    }
    if let Some(n) = &x.note {
        rows.push(("Note", escape(n)));
    }
    kv_table(&rows)
}

fn staff(s: &StaffDecision) -> String {
    let mut rows = vec![
        ("Rule", escape(&s.rule.describe())),
        (
            "Signs in as",
            (if s.is_staff { "staff" } else { "a public user" }).to_owned(),
        ),
        ("Why", escape(&s.reason)),
    ];
    if let Some(by) = &s.decided_by {
        rows.push((
            "Decided by",
            format!(
                "{} in {} = {}",
                code(&by.claim),
                escape(source_name(by.source)),
                json_value(&by.value)
            ),
        ));
    }
    if !s.hints.is_empty() {
        rows.push(("Worth a look", list(&s.hints)));
    }
    let mut out = kv_table(&rows);
    if !s.checks.is_empty() {
        let rows: Vec<Vec<String>> = s
            .checks
            .iter()
            .map(|c| {
                vec![
                    escape(source_name(c.source)),
                    staff_check(c.source, &c.check),
                ]
            })
            .collect();
        out.push_str(&table(
            &[Column::Label("Source"), Column::Value("What it holds")],
            &rows,
        ));
    }
    out
}

fn staff_check(source: ClaimSource, check: &StaffCheck) -> String {
    match check {
        StaffCheck::Unavailable { reason } => escape(&reason.describe(source)),
        StaffCheck::Absent => "no claim of that name".to_owned(),
        StaffCheck::Present { value } => format!("present: {}", json_value(value)),
        StaffCheck::Equal { value } => format!("the value: {}", json_value(value)),
        StaffCheck::NotEqual {
            value,
            differs_only_in_case,
        } => {
            let mut out = format!("another value: {}", json_value(value));
            if let Some(near) = differs_only_in_case {
                out.push_str(&format!(
                    " ({} differs only in letter case)",
                    escape(&format!("{near:?}"))
                ));
            }
            out
        }
    }
}

fn routing(r: &RouteDecision) -> String {
    let rule = match &r.route {
        Route::DomainSuffix { .. } => "the domain is a directory's domain suffix",
        Route::SingleVisibleDirectory { .. } => "the only directory not hidden",
        Route::SelectionScreen { .. } => "the selection screen",
        Route::NobodyCanSignIn { .. } => "nobody can sign in",
        Route::ConflictingDomain { .. } => "several directories list the domain",
    };
    let domain = if r.domain == r.domain_unicode {
        escape(&r.domain)
    } else {
        format!("{} ({})", escape(&r.domain_unicode), escape(&r.domain))
    };
    let mut rows = vec![
        ("Email", escape(&r.email)),
        ("Domain", domain),
        ("Rule", escape(rule)),
        (
            "Can sign in",
            if r.can_sign_in {
                badge(Tone::Pass, "yes")
            } else {
                badge(Tone::Fail, "no")
            },
        ),
        ("Explanation", escape(&r.explanation)),
    ];
    if !r.notes.is_empty() {
        rows.push(("Notes", list(&r.notes)));
    }
    section("routing", "Routing", &kv_table(&rows))
}

fn scim(s: &ScimPart) -> String {
    let mut out = String::new();
    if let Some(c) = &s.connection {
        out.push_str(&scim_connection(c));
    }
    if let Some(t) = &s.test_connection {
        out.push_str(&test_connection(t));
    }
    if let Some(r) = &s.review {
        out.push_str(&review(r));
    }
    if let Some(d) = &s.dry_run {
        out.push_str(&dry_run(d));
    }
    if out.is_empty() {
        out.push_str("<p class=\"none\">No SCIM checks are in this report.</p>\n");
    }
    section("scim", "SCIM", &out)
}

fn scim_connection(c: &ScimConnectionDocument) -> String {
    let mut out = h3("Connection");
    out.push_str(&kv_table(&[
        ("Name", escape(&c.name)),
        ("Tenant URL", escape(&c.tenant_url)),
        ("Linked directory", text_or_none(c.directory_id.as_deref())),
        (
            "Notes",
            if c.notes.trim().is_empty() {
                NOT_SET.to_owned()
            } else {
                pre(&c.notes)
            },
        ),
        ("Mappings written for", escape(c.mappings.provider.label())),
    ]));
    if !c.mappings.mappings.is_empty() {
        let rows: Vec<Vec<String>> = c
            .mappings
            .mappings
            .iter()
            .map(|m| {
                let source = match &m.source {
                    MappingSource::Direct { attribute } => format!("Direct {}", code(attribute)),
                    MappingSource::Constant { value } => format!("Constant {}", code(value)),
                    MappingSource::Expression { expression } => {
                        format!("Expression {}", code(expression))
                    }
                };
                vec![
                    code(&m.target),
                    source,
                    text_or_none(m.default_value.as_deref()),
                    m.match_precedence
                        .map_or_else(|| NOT_SET.to_owned(), |p| p.to_string()),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                Column::Value("Attribute"),
                Column::Value("Source"),
                Column::Value("Default"),
                Column::Label("Matching precedence"),
            ],
            &rows,
        ));
    }
    out
}

fn test_connection(t: &TestConnectionReport) -> String {
    let mut out = h3("Test Connection");
    let mut rows = vec![
        ("Tenant URL", escape(&t.base_url)),
        ("Bearer token sent", yes_no(t.token_sent)),
        ("Result", ok_badge(t.passed)),
    ];
    if let Some(u) = &t.suggested_base_url {
        rows.push(("A SCIM endpoint answered at", escape(u)));
    }
    out.push_str(&kv_table(&rows));
    if !t.verdicts.is_empty() {
        let rows: Vec<Vec<String>> = t
            .verdicts
            .iter()
            .map(|v| {
                vec![
                    escape(v.provider.label()),
                    ok_badge(v.passed),
                    escape(&v.summary),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                Column::Label("Provider"),
                Column::Label("Result"),
                Column::Value("What it would say"),
            ],
            &rows,
        ));
    }
    for check in &t.checks {
        out.push_str(&format!(
            "<div class=\"step\">\n<h4>{}: {} {}</h4>\n",
            escape(check.provider.label()),
            escape(&check.purpose),
            ok_badge(check.passed)
        ));
        out.push_str(&findings(&check.findings));
        out.push_str(&exchange(&check.exchange));
        out.push_str("</div>\n");
    }
    out
}

fn review(r: &EndpointReview) -> String {
    let mut out = h3("Endpoint review");
    out.push_str(&kv_table(&[
        ("Tenant URL", escape(&r.base_url)),
        ("Result", ok_badge(r.passed)),
    ]));
    out.push_str(&findings(&r.findings));
    for e in &r.exchanges {
        out.push_str(&exchange(e));
    }
    out
}

fn dry_run(d: &DryRunReport) -> String {
    let mut out = h3("Lifecycle dry run");
    let mut rows = vec![
        ("Tenant URL", escape(&d.base_url)),
        (
            "Options",
            escape(&format!(
                "read only: {}; Entra's quirks: {}; values kept as they are: {}",
                yes_no(d.options.read_only),
                yes_no(d.options.entra_quirks),
                yes_no(d.options.keep_values)
            )),
        ),
        ("Test user", text_or_none(d.test_user_name.as_deref())),
        ("Result", ok_badge(d.passed)),
        ("Cancelled", yes_no(d.cancelled)),
        ("Cleaned up", yes_no(d.cleaned_up)),
    ];
    if !d.leftovers.is_empty() {
        rows.push(("Left on the server", list(&d.leftovers)));
    }
    out.push_str(&kv_table(&rows));
    for (n, step) in d.steps.iter().enumerate() {
        out.push_str(&dry_run_step(n + 1, step));
    }
    out
}

fn dry_run_step(n: usize, step: &DryRunStep) -> String {
    let (tone, word) = match step.status {
        StepStatus::Passed => (Tone::Pass, "passed"),
        StepStatus::Warning => (Tone::Warn, "warning"),
        StepStatus::Failed => (Tone::Fail, "failed"),
        StepStatus::Skipped => (Tone::Skip, "skipped"),
    };
    let cleanup = if step.cleanup {
        " <span class=\"muted\">(clean-up)</span>"
    } else {
        ""
    };
    let mut out = format!(
        "<div class=\"step\">\n<h4>{n}. {} {}{cleanup}</h4>\n",
        escape(&step.name),
        badge(tone, word)
    );
    if let Some(note) = &step.note {
        out.push_str(&paragraph(note));
    }
    if !step.findings.is_empty() {
        out.push_str(&findings(&step.findings));
    }
    if let Some(e) = &step.exchange {
        out.push_str(&exchange(e));
    }
    out.push_str("</div>\n");
    out
}

/// One SCIM request and its answer.
fn exchange(e: &Exchange) -> String {
    let headers = |list: &[Header]| pairs(list.iter().map(|h| (h.name.as_str(), h.value.as_str())));
    let answer = match (e.status, &e.error) {
        (Some(status), _) => {
            escape(format!("{status} {}", e.reason.as_deref().unwrap_or_default()).trim_end())
        }
        (None, Some(error)) => format!("no answer: {}", escape(error)),
        (None, None) => "no answer".to_owned(),
    };
    let mut rows = vec![
        ("Request", code(&format!("{} {}", e.method, e.url))),
        ("Request headers", headers(&e.request_headers)),
    ];
    if let Some(body) = &e.request_body {
        rows.push(("Request body", pre(body)));
    }
    rows.push(("Answer", answer));
    rows.push(("Time", format!("{} ms", e.duration_ms)));
    if let Some(t) = &e.response_content_type {
        rows.push(("Content type", code(t)));
    }
    if let Some(body) = &e.response_body {
        rows.push(("Response body", pre(body)));
    }
    format!("<div class=\"exchange\">\n{}</div>\n", kv_table(&rows))
}

/// The stylesheet: calm type in the system's fonts, tables for claims, checks and steps,
/// colours for severities, and a print layout.
const STYLE: &str = r#"
:root {
  color-scheme: light;
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --info: #0969da; --skip: #6e7781;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 68rem; padding: 2rem 1.5rem 4rem;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff;
}
h1 { font-size: 1.7rem; font-weight: 600; margin: 0 0 .2rem; letter-spacing: -.01em; }
h2 {
  font-size: 1.3rem; font-weight: 600; margin: 2.6rem 0 .8rem;
  padding-bottom: .3rem; border-bottom: 1px solid var(--line);
}
aside h2 { font-size: 1rem; margin: 0 0 .4rem; padding: 0; border: 0; }
h3 { font-size: 1.08rem; font-weight: 600; margin: 1.8rem 0 .5rem; }
h4 { font-size: .98rem; font-weight: 600; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
ul { margin: .3rem 0; padding-left: 1.3rem; }
.subtitle { font-size: 1.15rem; color: var(--muted); margin: 0 0 1rem; }
.logo img { display: block; max-width: 245px; height: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td {
  text-align: left; vertical-align: top; padding: .4rem .6rem;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere;
}
thead th {
  background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line);
  overflow-wrap: normal;
}
th.label, td.label { overflow-wrap: normal; }
table.kv th { width: 15rem; font-weight: 500; color: var(--muted); }
td table { margin: 0; }
code, pre {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: .86em;
}
code { background: var(--soft); border-radius: 3px; padding: 0 .2em; overflow-wrap: anywhere; }
pre {
  background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .6rem .8rem; margin: .4rem 0; white-space: pre-wrap; overflow-wrap: anywhere;
}
td pre { margin: 0; }
.badge {
  display: inline-block; padding: 0 .5rem; border: 1px solid currentColor; border-radius: 999px;
  font-size: .76rem; font-weight: 600; line-height: 1.55; white-space: nowrap; vertical-align: .05em;
}
.badge.s-pass { color: var(--pass); } .badge.s-fail { color: var(--fail); }
.badge.s-warn { color: var(--warn); } .badge.s-info { color: var(--info); }
.badge.s-skip { color: var(--skip); }
.none, .muted, .code, .caption { color: var(--muted); }
.caption { font-size: .85rem; font-weight: 600; margin: .8rem 0 0; }
.code { font-size: .78rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.fix { margin-top: .15rem; }
.warn-note { color: var(--warn); margin-top: .2rem; }
.findings { list-style: none; padding: 0; margin: .5rem 0 1rem; }
.findings li {
  border-left: 4px solid var(--line); background: var(--soft);
  padding: .45rem .8rem; margin: .4rem 0; border-radius: 0 6px 6px 0;
}
.findings li.s-fail { border-left-color: var(--fail); }
.findings li.s-warn { border-left-color: var(--warn); }
.findings li.s-info { border-left-color: var(--info); }
.pairs { list-style: none; padding: 0; margin: 0; }
.pairs li { margin: 0 0 .15rem; }
.box {
  border: 1px solid var(--line); border-radius: 8px; background: var(--soft);
  padding: .8rem 1rem; margin: 1rem 0;
}
.box.s-fail { border-color: var(--fail); background: #fff5f5; }
.source, .step, .exchange { margin: 1rem 0; }
.exchange table.kv th { width: 11rem; }
@page { margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; color: #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { margin-top: 1.6rem; }
  h2, h3, h4, .caption { break-after: avoid; page-break-after: avoid; }
  tr, .findings li, .box, .badge { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  pre { background: none; border-color: #bbb; }
  code { background: none; padding: 0; }
  .box, .findings li { background: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Parts, RedactOptions};

    const HOSTILE_CLAIM: &str = "<img src=x onerror=alert(1)>";
    const HOSTILE_DESCRIPTION: &str = "bad <b>request</b><script>alert('x')</script>";

    /// A report with hostile text in every part a provider or a person controls.
    fn hostile_report(logo: &str) -> Report {
        let evil = |place: &str| {
            format!("<script>window.__pwned='{place}'</script>\"' onload=alert(1) <img src=x onerror=alert(2)>")
        };
        let finding = |place: &str| {
            serde_json::json!({
                "severity": "error", "code": evil(place), "message": evil(place), "fix": evil(place),
                "field": evil(place), "subject": evil(place),
                "directories": [{"id": evil(place), "name": evil(place), "is_hidden": false}]
            })
        };
        let exchange = serde_json::json!({
            "method": evil("method"), "path": evil("path"), "url": evil("url"),
            "request_headers": [{"name": evil("header"), "value": evil("header value")}],
            "request_body": evil("request body"), "status": 200, "reason": evil("reason"),
            "duration_ms": 3, "response_content_type": evil("type"),
            "response_body": "</pre><iframe src=http://127.0.0.1:9/></iframe>", "error": null
        });
        let sign_in = serde_json::json!({
            "directory_name": evil("directory"), "redirect_uri": evil("redirect"),
            "succeeded": false,
            "failure": {
                "step": "token", "message": evil("message"), "hint": evil("hint"),
                "provider_error": evil("error"), "provider_error_description": HOSTILE_DESCRIPTION
            },
            "id_token": {
                "status": "unverified", "status_detail": evil("detail"),
                "header": {"alg": evil("alg"), "<kid>": evil("kid")},
                "claims": {"name": HOSTILE_CLAIM, "groups": [evil("group")], "nested": {"a": evil("nested")}},
                "raw": null
            },
            "access_token": {"status": "opaque", "status_detail": evil("opaque"), "header": null, "claims": null, "raw": null},
            "userinfo": {"status": "received", "status_detail": "", "header": null,
                "claims": {"<script>": evil("userinfo")}, "raw": null},
            "checks": [{"name": "Signature", "outcome": "fail", "detail": evil("check")}],
            "token_response": {"token_type": evil("token type")},
            "timings": {"callback_to_result_ms": 1.0, "token_ms": 2.0, "userinfo_ms": 3.0,
                "key_set_wait_ms": 0.0, "processing_ms": 0.5},
            "trace": {"started_at": evil("started"), "steps": [{
                "kind": "token_request", "started_ms": 1.0, "duration_ms": 2.0,
                "method": "POST", "url": evil("trace url"),
                "sent": [{"name": evil("sent"), "value": evil("sent value")}],
                "received": [{"name": "error_description", "value": HOSTILE_DESCRIPTION}],
                "ok": false, "outcome": evil("outcome")
            }]}
        });
        let discovery = serde_json::json!({
            "document_url": evil("document url"),
            "metadata": {},
            "raw_document": "{\"issuer\": \"</pre><script>window.__pwned=1</script>\"}",
            "key_set": {"state": "fetched", "summary": {"keys": [{
                "kid": evil("kid"), "kty": evil("kty"), "alg": evil("alg"), "key_use": evil("use"),
                "crv": null, "usable_for_signatures": false, "problem": evil("problem")
            }], "signing_keys": 0}},
            "prefill": {},
            "changes": [{"field": evil("field"), "old": evil("old"), "new": evil("new")}],
            "findings": [finding("discovery")],
            "elapsed_ms": 4
        });
        let mut directory = crate::testing::directory_document(&evil("name"));
        directory.logo_png_base64 = logo.to_owned();
        directory.discovery_domain = Some(evil("discovery domain"));
        directory.domain_suffixes = vec![evil("suffix")];
        directory.staff = crate::directory::StaffRule::ClaimEquals {
            claim: evil("staff claim"),
            value: evil("staff value"),
        };
        let scim = serde_json::json!({
            "connection": {"name": evil("scim"), "tenant_url": evil("tenant"), "notes": evil("notes")},
            "test_connection": {
                "base_url": evil("base"), "token_sent": true,
                "checks": [{"provider": "entra", "purpose": evil("purpose"), "exchange": exchange,
                    "findings": [finding("test connection")], "passed": false}],
                "suggested_base_url": evil("suggested"),
                "verdicts": [{"provider": "okta", "passed": false, "summary": evil("verdict")}],
                "passed": false
            },
            "review": {"base_url": evil("review"), "exchanges": [exchange], "support": null,
                "resource_types": [], "schemas": [], "findings": [finding("review")], "passed": false},
            "dry_run": {
                "base_url": evil("dry run"),
                "options": {"read_only": false, "entra_quirks": true, "keep_values": false},
                "test_user_name": evil("user"),
                "steps": [{"name": evil("step"), "status": "failed", "exchange": exchange,
                    "findings": [finding("step")], "note": evil("note"), "cleanup": true}],
                "cleaned_up": false, "leftovers": [evil("leftover")], "passed": false, "cancelled": false
            }
        });
        let routing = serde_json::json!({
            "email": evil("email"), "domain": evil("domain"), "domain_unicode": evil("unicode"),
            "route": {"rule": "nobody_can_sign_in", "reason": {"kind": "no_directories"}},
            "can_sign_in": false, "explanation": evil("explanation"), "notes": [evil("routing note")]
        });
        let mut report = Report::build(
            Parts {
                directory: Some(directory),
                discovery: Some(Ok(serde_json::from_value(discovery).unwrap())),
                sign_in: Some(serde_json::from_value(sign_in).unwrap()),
                routing: Some(serde_json::from_value(routing).unwrap()),
                scim: Some(serde_json::from_value(scim).unwrap()),
                ..Parts::default()
            },
            RedactOptions::default(),
        )
        .unwrap();
        report.created_at = evil("created");
        report.platform = evil("platform");
        report.redaction.always_removed.push(evil("removed"));
        report
    }

    /// Every tag of the page, from `<` to `>`: values are escaped, so every `<` is the page's.
    fn tags(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect()
    }

    /// The attributes of a tag the page wrote: `name="value"` pairs after the tag's name.
    fn attributes(tag: &str) -> Vec<(&str, &str)> {
        if tag.starts_with(['/', '!']) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut rest = tag.split_once(' ').map_or("", |(_, r)| r);
        while let Some((name, after)) = rest.trim_start().split_once("=\"") {
            let (value, after) = after.split_once('"').unwrap_or((after, ""));
            out.push((name.trim(), value));
            rest = after;
        }
        assert!(rest.trim().is_empty(), "a bare attribute in <{tag}>");
        out
    }

    #[test]
    fn a_hostile_claim_and_error_description_appear_only_escaped() {
        let html = render(&hostile_report(""));
        assert!(
            !html.contains(HOSTILE_CLAIM),
            "the claim is markup in the page"
        );
        assert!(
            html.contains(&escape(HOSTILE_CLAIM)),
            "the claim is not shown"
        );
        assert!(!html.contains(HOSTILE_DESCRIPTION));
        assert!(html.contains(&escape(HOSTILE_DESCRIPTION)));
        assert!(!html.contains("<b>request"));
        assert!(!html.contains("</pre><script>"));
        assert!(!html.contains("<iframe"));
        // An object claim is compact JSON, escaped.
        assert!(html.contains(&escape(r#"{"a":"<script>"#)), "{html}");
    }

    #[test]
    fn a_hostile_report_has_no_script_and_no_event_attribute() {
        let html = render(&hostile_report("x\" onerror=\"alert(1)"));
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("<iframe"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
        for tag in tags(&html) {
            for (name, value) in attributes(tag) {
                assert!(!name.starts_with("on"), "an event attribute in <{tag}>");
                assert!(
                    [
                        "class",
                        "scope",
                        "id",
                        "lang",
                        "http-equiv",
                        "content",
                        "charset",
                        "name"
                    ]
                    .contains(&name),
                    "an unexpected attribute in <{tag}>"
                );
                assert!(!value.contains(['<', '>', '"']), "<{tag}>");
            }
        }
    }

    #[test]
    fn the_content_security_policy_is_the_first_thing_in_head() {
        let html = render(&hostile_report(""));
        let head = html.split("<head>").nth(1).unwrap_or_default();
        let first = head.trim_start();
        assert!(
            first.starts_with(&format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
            )),
            "{first}"
        );
        assert_eq!(
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
        );
        assert!(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"));
        assert!(html.contains("@media print"));
        assert!(html.starts_with("<!doctype html>"));
    }

    #[test]
    fn only_a_base64_logo_is_an_image() {
        for bad in [
            "x\" onerror=\"alert(1)",
            "iVBORw0KGgo=\" onerror=\"alert(1)",
            "iVBO RwKG",
            "abc",
            "====",
            "iVBORw0KGgo===",
        ] {
            let html = render(&hostile_report(bad));
            assert!(!html.contains("<img"), "{bad:?} made an image");
            assert!(
                html.contains("not shown: its text is not base64"),
                "{bad:?}"
            );
        }
        let html = render(&hostile_report("iVBORw0KGgoAAAANSUhEUg=="));
        assert!(html.contains("src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==\""));
        assert_eq!(html.matches("<img").count(), 1);
        assert!(is_base64("iVBORw0KGgo+/w=="));
        assert!(!is_base64(""));
    }

    #[test]
    fn an_empty_report_has_only_its_header() {
        let report = Report::build(Parts::default(), RedactOptions::default()).unwrap();
        let html = render(&report);
        assert!(html.contains("<h1>SSO Console diagnostics report</h1>"));
        assert!(html.contains("What was removed"));
        for id in [
            "directory",
            "discovery",
            "sign-in",
            "evaluation",
            "routing",
            "scim",
        ] {
            assert!(!html.contains(&format!("<section id=\"{id}\"")), "{id}");
        }
    }
}
