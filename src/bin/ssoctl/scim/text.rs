//! The reports of the SCIM checks as text for a terminal.

use sso_console::findings::{Finding, Severity};
use sso_console::report::ScimPart;
use sso_console::scim::client::Exchange;
use sso_console::scim::lifecycle::{DryRunReport, StepStatus};
use sso_console::scim::preview::{self, Preview};
use sso_console::scim::review::{self, EndpointReview};
use sso_console::scim::test_connection::TestConnectionReport;

pub(super) fn findings_text(findings: &[Finding], indent: &str) -> String {
    findings
        .iter()
        .map(|f| format!("{indent}{}\n", f.line()))
        .collect()
}

pub(super) fn mark(passed: bool) -> &'static str {
    if passed {
        "PASS"
    } else {
        "FAIL"
    }
}

pub(super) fn test_text(report: &TestConnectionReport) -> String {
    let mut text = format!(
        "Test Connection of {}{}\n\n",
        report.base_url,
        if report.token_sent {
            ""
        } else {
            " (no bearer token sent)"
        }
    );
    for check in &report.checks {
        text.push_str(&format!(
            "{} [{}] {}\n    {}\n",
            mark(check.passed),
            check.provider.label(),
            check.purpose,
            check.exchange.summary()
        ));
        text.push_str(&findings_text(&check.findings, "    "));
    }
    if let Some(url) = &report.suggested_base_url {
        text.push_str(&format!("\nThe SCIM endpoint seems to be at {url}\n"));
    }
    text.push('\n');
    for verdict in &report.verdicts {
        text.push_str(&format!("{} {}\n", mark(verdict.passed), verdict.summary));
    }
    text
}

pub(super) fn review_text(report: &EndpointReview) -> String {
    let mut text = format!("Endpoint review of {}\n\n", report.base_url);
    for exchange in &report.exchanges {
        text.push_str(&format!("  {}\n", exchange.summary()));
    }
    if let Some(s) = &report.support {
        let yes = |b: bool| if b { "yes" } else { "no" };
        text.push_str(&format!(
            "\nSupports: PATCH {}, filter {}{}, bulk {}, sort {}, ETag {}, changePassword {}\nAuthentication: {}\n",
            yes(s.patch),
            yes(s.filter),
            s.filter_max_results.map(|m| format!(" (max {m})")).unwrap_or_default(),
            yes(s.bulk),
            yes(s.sort),
            yes(s.etag),
            yes(s.change_password),
            if s.authentication_schemes.is_empty() {
                "none announced".into()
            } else {
                s.authentication_schemes.join(", ")
            }
        ));
    }
    for rt in &report.resource_types {
        let extensions: Vec<String> = rt
            .schema_extensions
            .iter()
            .map(|e| {
                format!(
                    "{}{}",
                    e.schema,
                    if e.required { " (required)" } else { "" }
                )
            })
            .collect();
        text.push_str(&format!(
            "\nResource type {} at {}: {}{}",
            rt.name,
            rt.endpoint,
            rt.schema,
            if extensions.is_empty() {
                String::new()
            } else {
                format!(" + {}", extensions.join(", "))
            }
        ));
    }
    text.push('\n');
    for schema in &report.schemas {
        text.push_str(&format!(
            "\nSchema {} ({}{}{})\n",
            schema.definition.id,
            schema.kind.label(),
            if schema.required_on_users && schema.kind != review::SchemaKind::CoreUser {
                ", required on users"
            } else {
                ""
            },
            if schema.used_by_mappings {
                ", used by the mappings"
            } else {
                ""
            }
        ));
        for a in &schema.definition.attributes {
            text.push_str(&attribute_line(a, "  "));
            for sub in &a.sub_attributes {
                text.push_str(&attribute_line(sub, "      ."));
            }
        }
    }
    text.push_str(&format!("\n{} findings\n", report.findings.len()));
    text.push_str(&findings_text(&report.findings, "  "));
    text
}

pub(super) fn attribute_line(
    a: &sso_console::scim::schema::AttributeDefinition,
    indent: &str,
) -> String {
    let mut flags = vec![a.attribute_type.clone()];
    if a.multi_valued {
        flags.push("multi-valued".into());
    }
    if a.required {
        flags.push("required".into());
    }
    flags.push(a.mutability.clone());
    let mut line = format!("{indent}{:<24} {}", a.name, flags.join(", "));
    if !a.canonical_values.is_empty() {
        line.push_str(&format!(" [{}]", a.canonical_values.join(", ")));
    }
    line.push('\n');
    line
}

pub(super) fn preview_text(result: &Preview) -> String {
    let mut text = String::from("Mapped values\n");
    for v in &result.values {
        let value = if v.value.is_null() {
            format!("(nothing sent: {})", v.note.clone().unwrap_or_default())
        } else {
            v.value.to_string()
        };
        text.push_str(&format!(
            "  {:<60} {}{}\n      from {}\n",
            v.target,
            value,
            if v.used_default { " (default)" } else { "" },
            v.source
        ));
    }
    let mut request = |title: &str, r: &preview::PreviewRequest| {
        text.push_str(&format!("\n{title}: {} {}\n", r.method, r.path));
        if !r.body.is_null() {
            text.push_str(&serde_json::to_string_pretty(&r.body).unwrap_or_default());
            text.push('\n');
        }
    };
    if let Some(query) = &result.matching_query {
        request("Lookup", query);
    }
    request("Create", &result.create);
    if let Some(update) = &result.update {
        request(
            &match &result.changed_attribute {
                Some(a) => format!("Update (source attribute {a} changed)"),
                None => "Update".into(),
            },
            update,
        );
    }
    request("Deactivate", &result.deactivate);
    text.push_str(&format!(
        "\nChecked against {}: {} finding(s)\n",
        result.validated_against,
        result.findings.len()
    ));
    text.push_str(&findings_text(&result.findings, "  "));
    text
}

pub(super) fn exchange_bodies(exchange: &Exchange) -> String {
    let mut text = String::new();
    if let Some(body) = &exchange.request_body {
        text.push_str(&format!(
            "      request: {}\n",
            body.replace('\n', "\n      ")
        ));
    }
    if let Some(body) = &exchange.response_body {
        text.push_str(&format!(
            "      response: {}\n",
            body.replace('\n', "\n      ")
        ));
    }
    text
}

pub(super) fn run_text(report: &DryRunReport, bodies: bool) -> String {
    let mut text = format!(
        "Lifecycle dry run against {}{}\n",
        report.base_url,
        if report.options.read_only {
            " (read-only)"
        } else {
            ""
        }
    );
    if let Some(name) = &report.test_user_name {
        text.push_str(&format!("Test user: {name}\n"));
    }
    text.push('\n');
    for step in &report.steps {
        let status = match step.status {
            StepStatus::Passed => "PASS",
            StepStatus::Warning => "WARN",
            StepStatus::Failed => "FAIL",
            StepStatus::Skipped => "SKIP",
        };
        text.push_str(&format!("{status} {}\n", step.name));
        if let Some(exchange) = &step.exchange {
            text.push_str(&format!("    {}\n", exchange.summary()));
            if bodies {
                text.push_str(&exchange_bodies(exchange));
            }
        }
        if let Some(note) = &step.note {
            text.push_str(&format!("    {note}\n"));
        }
        text.push_str(&findings_text(&step.findings, "    "));
    }
    text.push('\n');
    if report.cancelled {
        text.push_str("Cancelled: the steps after the request under way were not sent.\n");
    }
    if report.options.read_only {
        text.push_str(
            "Read-only run: nothing was created on the server, so there was nothing to clean up.\n",
        );
    } else if report.cleaned_up {
        text.push_str("Everything the dry run created was deleted again.\n");
    } else {
        text.push_str("NOT CLEANED UP — delete by hand:\n");
        for leftover in &report.leftovers {
            text.push_str(&format!("  {leftover}\n"));
        }
    }
    let failed = report
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .count();
    let errors = report
        .steps
        .iter()
        .flat_map(|s| &s.findings)
        .filter(|f| f.severity == Severity::Error)
        .count();
    text.push_str(&format!(
        "{} — {failed} step(s) failed, {errors} error(s)\n",
        mark(report.passed)
    ));
    text
}

/// The SCIM part of a saved report, as people read it.
pub(crate) fn part_text(part: &ScimPart) -> String {
    let mut out = String::new();
    if let Some(c) = &part.connection {
        out.push_str(&format!(
            "\nSCIM connection \"{}\" at {}\n",
            c.name, c.tenant_url
        ));
    }
    if let Some(t) = &part.test_connection {
        out.push('\n');
        out.push_str(&test_text(t));
    }
    if let Some(r) = &part.review {
        out.push('\n');
        out.push_str(&review_text(r));
    }
    if let Some(d) = &part.dry_run {
        out.push('\n');
        out.push_str(&run_text(d, true));
    }
    out
}
