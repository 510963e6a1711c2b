//! Domain suffixes: the email domains routed straight to a directory (DESIGN §3.1, §3.2).

use std::fmt;

/// An email domain in its ASCII (punycode) form, lower-cased, without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainSuffix(String);

impl DomainSuffix {
    /// Normalises and checks one domain: trims, lower-cases, drops one trailing dot, converts an
    /// internationalised name to its ASCII form, and checks each label.
    pub fn parse(value: &str) -> Result<Self, String> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err("an entry is empty; remove the extra comma".into());
        }
        if let Some(c) = trimmed
            .chars()
            .find(|c| matches!(c, '@' | '/' | ':' | '*' | ' ' | '\t'))
        {
            return Err(format!(
                "\"{trimmed}\" contains '{c}'; enter only the domain part of the email address, such as example.org"
            ));
        }
        let without_dot = trimmed.strip_suffix('.').unwrap_or(trimmed);
        let ascii = idna::domain_to_ascii(without_dot)
            .map_err(|_| format!("\"{trimmed}\" is not a valid domain name"))?;
        check_labels(&ascii)
            .map_err(|why| format!("\"{trimmed}\" is not a valid domain name: {why}"))?;
        Ok(Self(ascii))
    }

    /// Splits a comma-separated list and parses each entry; duplicates are reported.
    pub fn parse_list<S: AsRef<str>>(entries: &[S]) -> Result<Vec<Self>, String> {
        // A blank field means "no domains"; a blank entry beside others is a stray comma.
        if let [only] = entries {
            if only.as_ref().trim().is_empty() {
                return Ok(Vec::new());
            }
        }
        let mut out: Vec<Self> = Vec::new();
        for entry in entries.iter().flat_map(|e| e.as_ref().split(',')) {
            let suffix = Self::parse(entry)?;
            if out.contains(&suffix) {
                return Err(format!("\"{suffix}\" is listed twice; list it once"));
            }
            out.push(suffix);
        }
        Ok(out)
    }

    /// The domain, ASCII form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an email address's domain is exactly this domain.
    pub fn matches_email(&self, email: &str) -> bool {
        email
            .rsplit_once('@')
            .and_then(|(_, domain)| Self::parse(domain).ok())
            .is_some_and(|d| d == *self)
    }
}

impl fmt::Display for DomainSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_labels(ascii: &str) -> Result<(), String> {
    if ascii.len() > 253 {
        return Err("longer than 253 characters".into());
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err("it needs at least two labels, such as example.org".into());
    }
    for label in &labels {
        if label.is_empty() {
            return Err("it has an empty label (two dots in a row)".into());
        }
        if label.len() > 63 {
            return Err(format!(
                "the label \"{label}\" is longer than 63 characters"
            ));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!(
                "the label \"{label}\" may hold only letters, digits and hyphens"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "the label \"{label}\" starts or ends with a hyphen"
            ));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("the last label is all digits; enter a domain name, not an IP address".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_suffix_normalisation_and_rules() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("example.org", Ok("example.org")),
            ("  Example.ORG  ", Ok("example.org")),
            ("example.org.", Ok("example.org")),
            ("members.example.com", Ok("members.example.com")),
            ("bücher.example", Ok("xn--bcher-kva.example")),
            ("xn--bcher-kva.example", Ok("xn--bcher-kva.example")),
            ("", Err("empty")),
            ("localhost", Err("two labels")),
            ("exa mple.org", Err("contains")),
            ("user@example.org", Err("contains '@'")),
            ("-bad.example", Err("hyphen")),
            ("bad-.example", Err("hyphen")),
            ("a..example", Err("empty label")),
            ("under_score.example", Err("only letters")),
            ("*.example.org", Err("contains '*'")),
            ("10.0.0.1", Err("IP address")),
        ];
        for (input, want) in cases {
            match (DomainSuffix::parse(input), want) {
                (Ok(got), Ok(w)) => assert_eq!(got.as_str(), *w, "{input:?}"),
                (Err(got), Err(w)) => assert!(got.contains(w), "{input:?}: {got}"),
                (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn comma_separated_list_is_split_trimmed_and_checked() {
        let list = DomainSuffix::parse_list(&["example.org, Members.Example.com"]).unwrap();
        let names: Vec<&str> = list.iter().map(DomainSuffix::as_str).collect();
        assert_eq!(names, ["example.org", "members.example.com"]);
        assert!(DomainSuffix::parse_list(&[""]).unwrap().is_empty());
        assert!(DomainSuffix::parse_list::<&str>(&[]).unwrap().is_empty());
        assert!(DomainSuffix::parse_list(&["example.org,,example.com"])
            .unwrap_err()
            .contains("empty"));
        assert!(DomainSuffix::parse_list(&["example.org", "EXAMPLE.org"])
            .unwrap_err()
            .contains("twice"));
    }

    #[test]
    fn spaces_dots_internationalised_names_and_bad_labels_are_normalised_or_refused() {
        let long_label = format!("{}.example", "a".repeat(64));
        let label_63 = format!("{}.example", "a".repeat(63));
        let too_long = format!("{}example", "abcdefghi.".repeat(25));
        let cases: Vec<(&str, &str, Result<&str, &str>)> = vec![
            (
                "tabs and spaces around",
                " example.org\t",
                Ok("example.org"),
            ),
            ("space inside", "example .org", Err("contains ' '")),
            ("two trailing dots", "example.org..", Err("empty label")),
            ("leading dot", ".example.org", Err("empty label")),
            ("only a dot", ".", Err("two labels")),
            (
                "IDN in capitals",
                "BÜCHER.Example",
                Ok("xn--bcher-kva.example"),
            ),
            (
                "IDN with a trailing dot",
                "bücher.example.",
                Ok("xn--bcher-kva.example"),
            ),
            (
                "IDN top-level domain",
                "例え.テスト",
                Ok("xn--r8jz45g.xn--zckzah"),
            ),
            (
                "full-width letters",
                "ｅｘａｍｐｌｅ.org",
                Ok("example.org"),
            ),
            (
                "ideographic full stop",
                "example\u{3002}org",
                Ok("example.org"),
            ),
            (
                "invalid punycode",
                "xn--zz.example",
                Err("not a valid domain name"),
            ),
            (
                "empty punycode label",
                "xn--.example",
                Err("not a valid domain name"),
            ),
            (
                "punctuation in a label",
                "ex!ample.org",
                Err("only letters, digits and hyphens"),
            ),
            ("label of only a hyphen", "-.org", Err("hyphen")),
            (
                "inner double hyphen",
                "ab--cd.example",
                Ok("ab--cd.example"),
            ),
            ("label of 63 characters", &label_63, Ok(&label_63)),
            (
                "label of 64 characters",
                &long_label,
                Err("longer than 63 characters"),
            ),
            (
                "name over 253 characters",
                &too_long,
                Err("longer than 253 characters"),
            ),
            (
                "URL instead of a domain",
                "https://example.org",
                Err("contains ':'"),
            ),
        ];
        for (name, input, want) in cases {
            match (DomainSuffix::parse(input), want) {
                (Ok(got), Ok(w)) => assert_eq!(got.as_str(), w, "{name}"),
                (Err(got), Err(w)) => assert!(got.contains(w), "{name}: {got}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn empty_entries_are_stray_commas_unless_the_whole_field_is_blank() {
        type Case = (
            &'static str,
            Vec<&'static str>,
            Result<Vec<&'static str>, &'static str>,
        );
        let cases: Vec<Case> = vec![
            ("blank field", vec!["   "], Ok(vec![])),
            ("no entries", vec![], Ok(vec![])),
            (
                "spaces around commas",
                vec!["a.org , b.org"],
                Ok(vec!["a.org", "b.org"]),
            ),
            ("trailing comma", vec!["a.org,"], Err("empty")),
            ("leading comma", vec![",a.org"], Err("empty")),
            ("only a comma", vec![" , "], Err("empty")),
            ("blank piece before", vec!["", "a.org"], Err("empty")),
            ("blank piece after", vec!["a.org", " "], Err("empty")),
            (
                "IDN listed in both forms",
                vec!["bücher.example, xn--bcher-kva.example"],
                Err("listed twice"),
            ),
        ];
        for (name, input, want) in cases {
            let got = DomainSuffix::parse_list(&input);
            match (got, want) {
                (Ok(got), Ok(w)) => {
                    let got: Vec<&str> = got.iter().map(DomainSuffix::as_str).collect();
                    assert_eq!(got, w, "{name}");
                }
                (Err(got), Err(w)) => assert!(got.contains(w), "{name}: {got}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn email_matches_exact_domain_only() {
        let d = DomainSuffix::parse("example.org").unwrap();
        assert!(d.matches_email("Ann@Example.org"));
        assert!(!d.matches_email("ann@sub.example.org"));
        assert!(!d.matches_email("ann@example.org.evil.com"));
        assert!(!d.matches_email("no-at-sign"));
    }
}
