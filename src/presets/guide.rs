//! Setup guides (C12): numbered steps for a provider's admin portal, with the values to type
//! there — this directory's redirect URL, the test sign-in's loopback redirect, the tenant… —
//! filled in, each one a person can copy. A guide is written from step texts with `{key}`
//! placeholders; it never holds a secret, so it can be sent to the customer's administrator as
//! Markdown or HTML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::html::escape;

/// One piece of a step: words, or a value to type or paste at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, rename = "GuidePart")]
pub enum Part {
    /// Words.
    Text {
        /// The words.
        text: String,
    },
    /// A value to copy.
    Value {
        /// What it is ("Redirect URI").
        label: String,
        /// The value.
        value: String,
    },
    /// A value the guide cannot give yet, and why.
    Missing {
        /// What it is.
        label: String,
        /// What to do so that it exists.
        why: String,
    },
}

/// One numbered step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "GuideStep")]
pub struct Step {
    /// The step's words and values, in order.
    pub parts: Vec<Part>,
}

/// A guide for one side of a setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Guide {
    /// Its title ("Register SSO Console's sign-in at Microsoft Entra ID").
    pub title: String,
    /// Who does it and what it gives.
    pub intro: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// What to know about the provider, one sentence each.
    pub notes: Vec<String>,
}

/// The values a guide's placeholders stand for, by key: each a [`Part::Value`] or a
/// [`Part::Missing`].
#[derive(Debug, Clone, Default)]
pub struct Slots(BTreeMap<String, Part>);

impl Slots {
    /// Sets `{key}` to a value.
    pub fn value(&mut self, key: &str, label: &str, value: impl Into<String>) -> &mut Self {
        self.0.insert(
            key.to_owned(),
            Part::Value {
                label: label.to_owned(),
                value: value.into(),
            },
        );
        self
    }

    /// Sets `{key}` to a value not known yet.
    pub fn missing(&mut self, key: &str, label: &str, why: impl Into<String>) -> &mut Self {
        self.0.insert(
            key.to_owned(),
            Part::Missing {
                label: label.to_owned(),
                why: why.into(),
            },
        );
        self
    }

    /// Sets `{key}` to `value` when there is one, else says why not.
    pub fn value_or(&mut self, key: &str, label: &str, value: Result<String, String>) -> &mut Self {
        match value {
            Ok(value) => self.value(key, label, value),
            Err(why) => self.missing(key, label, why),
        }
    }

    /// `template` as a step: each `{key}` with a slot becomes that slot; any other brace is
    /// kept as it is written.
    pub fn fill(&self, template: &str) -> Step {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let slot = rest[open + 1..].find('}').and_then(|close| {
                self.0
                    .get(&rest[open + 1..open + 1 + close])
                    .zip(Some(close))
            });
            match slot {
                Some((slot, close)) => {
                    text.push_str(&rest[..open]);
                    if !text.is_empty() {
                        parts.push(Part::Text {
                            text: std::mem::take(&mut text),
                        });
                    }
                    parts.push(slot.clone());
                    rest = &rest[open + close + 2..];
                }
                None => {
                    text.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text { text });
        }
        Step { parts }
    }
}

impl Step {
    /// The step as plain words, values as they are.
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text { text } => text.clone(),
                Part::Value { value, .. } => value.clone(),
                Part::Missing { label, why } => format!("[{label}: {why}]"),
            })
            .collect()
    }
}

impl Guide {
    /// Every value the guide gives, in order, once each.
    pub fn values(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for part in self.steps.iter().flat_map(|s| &s.parts) {
            if let Part::Value { label, value } = part {
                if !out.iter().any(|(_, v)| v == value) {
                    out.push((label, value));
                }
            }
        }
        out
    }

    /// The guide as Markdown: values in code spans, so that they are copied exactly.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n\n{}\n\n", self.title, self.intro);
        for (n, step) in self.steps.iter().enumerate() {
            out.push_str(&format!("{}. ", n + 1));
            for part in &step.parts {
                match part {
                    Part::Text { text } => out.push_str(text),
                    Part::Value { value, .. } => out.push_str(&code_span(value)),
                    Part::Missing { label, why } => out.push_str(&format!("*({label}: {why})*")),
                }
            }
            out.push('\n');
        }
        if !self.notes.is_empty() {
            out.push_str("\n## Good to know\n\n");
            for note in &self.notes {
                out.push_str(&format!("- {note}\n"));
            }
        }
        out
    }

    /// The guide as a page of HTML that stands alone: every text escaped.
    pub fn to_html(&self) -> String {
        let mut body = format!(
            "<h1>{}</h1>\n<p>{}</p>\n<ol>\n",
            escape(&self.title),
            escape(&self.intro)
        );
        for step in &self.steps {
            body.push_str("<li>");
            for part in &step.parts {
                match part {
                    Part::Text { text } => body.push_str(&escape(text)),
                    Part::Value { label, value } => body.push_str(&format!(
                        "<code title=\"{}\">{}</code>",
                        escape(label),
                        escape(value)
                    )),
                    Part::Missing { label, why } => {
                        body.push_str(&format!("<em>({}: {})</em>", escape(label), escape(why)))
                    }
                }
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ol>\n");
        if !self.notes.is_empty() {
            body.push_str("<h2>Good to know</h2>\n<ul>\n");
            for note in &self.notes {
                body.push_str(&format!("<li>{}</li>\n", escape(note)));
            }
            body.push_str("</ul>\n");
        }
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
             <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#1f2937}}\
             li{{margin:.5em 0}}code{{background:#eef1f5;padding:.1em .3em;border-radius:3px;word-break:break-all}}</style>\n\
             </head>\n<body>\n{body}</body>\n</html>\n",
            escape(&self.title)
        )
    }
}

/// `value` as a Markdown code span that holds it exactly, backticks included.
fn code_span(value: &str) -> String {
    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{value}{fence}")
    } else {
        format!("{fence} {value} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Slots {
        let mut s = Slots::default();
        s.value(
            "redirect_url",
            "Redirect URI",
            "https://app.example/callback/1",
        )
        .missing("loopback", "Loopback redirect", "set a test port");
        s
    }

    #[test]
    fn placeholders_become_values_and_other_braces_stay() {
        let step = slots().fill("Add {redirect_url} and {loopback}; keep {unknown} and { as is.");
        assert_eq!(
            step.parts,
            vec![
                Part::Text {
                    text: "Add ".into()
                },
                Part::Value {
                    label: "Redirect URI".into(),
                    value: "https://app.example/callback/1".into()
                },
                Part::Text {
                    text: " and ".into()
                },
                Part::Missing {
                    label: "Loopback redirect".into(),
                    why: "set a test port".into()
                },
                Part::Text {
                    text: "; keep {unknown} and { as is.".into()
                },
            ]
        );
    }

    #[test]
    fn markdown_and_html_hold_every_value_exactly_and_escape_the_rest() {
        let mut s = slots();
        s.value("odd", "Odd", "a`b<c>");
        let guide = Guide {
            title: "Set up <Contoso>".into(),
            intro: "For the administrator.".into(),
            steps: vec![s.fill("Register {redirect_url}."), s.fill("Type {odd}.")],
            notes: vec!["Keep PKCE on & S256.".into()],
        };
        let md = guide.to_markdown();
        assert!(md.contains("1. Register `https://app.example/callback/1`."));
        assert!(md.contains("2. Type `` a`b<c> ``."));
        assert!(md.contains("- Keep PKCE on & S256."));
        let html = guide.to_html();
        assert!(html.contains("<h1>Set up &lt;Contoso&gt;</h1>"));
        assert!(html.contains("<code title=\"Odd\">a`b&lt;c&gt;</code>"));
        assert!(!html.contains("<Contoso>"));
        assert_eq!(
            guide.values(),
            vec![
                ("Redirect URI", "https://app.example/callback/1"),
                ("Odd", "a`b<c>")
            ]
        );
    }
}
