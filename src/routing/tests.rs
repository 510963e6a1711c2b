use super::*;
use crate::findings::Severity;

fn dir(name: &str, hidden: bool, domains: &[&str], staff: StaffRule) -> RoutingDirectory {
    RoutingDirectory {
        id: format!("id-{}", name.to_lowercase()),
        name: name.into(),
        is_hidden: hidden,
        domain_suffixes: domains.iter().map(|d| (*d).to_owned()).collect(),
        staff,
    }
}

fn public(name: &str) -> RoutingDirectory {
    dir(name, false, &[], StaffRule::None)
}

fn staff_hidden(name: &str, domains: &[&str]) -> RoutingDirectory {
    dir(name, true, domains, StaffRule::Always)
}

/// The rule's name and the directories it names, for comparing.
fn outcome(route: &Route) -> (String, Vec<String>) {
    let rule = serde_json::to_value(route).unwrap()["rule"]
        .as_str()
        .unwrap()
        .to_owned();
    let named = match route {
        Route::DomainSuffix { directory, .. } | Route::SingleVisibleDirectory { directory } => {
            vec![directory.name.clone()]
        }
        Route::SelectionScreen { choices } => choices.iter().map(|d| d.name.clone()).collect(),
        Route::NobodyCanSignIn { reason } => match reason {
            NoRoute::NoDirectories => Vec::new(),
            NoRoute::NoVisibleDirectory { hidden } => {
                hidden.iter().map(|d| d.name.clone()).collect()
            }
        },
        Route::ConflictingDomain { directories, .. } => {
            directories.iter().map(|d| d.name.clone()).collect()
        }
    };
    (rule, named)
}

#[test]
fn routing_applies_the_rules_of_design_3_2_in_order() {
    let staff_public = vec![staff_hidden("Staff", &["example.org"]), public("Members")];
    let three_visible = vec![
        public("Zeta"),
        dir("alpha", false, &["alpha.example"], StaffRule::None),
        public("Beta"),
        dir("Hidden", true, &["hidden.example"], StaffRule::None),
    ];
    let idn = vec![
        dir("Books", true, &["xn--bcher-kva.example"], StaffRule::None),
        public("P"),
    ];
    let conflict = vec![
        dir("A", false, &["example.org"], StaffRule::None),
        dir("B", false, &["example.org"], StaffRule::None),
    ];
    // (behaviour, directories, email, rule, directories named, can sign in, explanation part)
    type Case<'a> = (
        &'a str,
        &'a [RoutingDirectory],
        &'a str,
        &'a str,
        &'a [&'a str],
        bool,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "no directory at all",
            &[],
            "ann@example.org",
            "nobody_can_sign_in",
            &[],
            false,
            "There is no directory",
        ),
        (
            "single visible directory",
            &staff_public[1..],
            "ann@example.com",
            "single_visible_directory",
            &["Members"],
            true,
            "the only directory not hidden",
        ),
        (
            "hidden staff directory by suffix",
            &staff_public,
            "boss@example.org",
            "domain_suffix",
            &["Staff"],
            true,
            "(hidden)",
        ),
        (
            "others go to the one visible directory",
            &staff_public,
            "ann@gmail.com",
            "single_visible_directory",
            &["Members"],
            true,
            "only directory not hidden",
        ),
        (
            "suffix match is case-insensitive",
            &staff_public,
            "Boss@EXAMPLE.org",
            "domain_suffix",
            &["Staff"],
            true,
            "no other directory can be chosen",
        ),
        (
            "trailing dot in the email domain",
            &staff_public,
            "boss@example.org.",
            "domain_suffix",
            &["Staff"],
            true,
            "example.org",
        ),
        (
            "subdomains do not match",
            &staff_public,
            "boss@mail.example.org",
            "single_visible_directory",
            &["Members"],
            true,
            "",
        ),
        (
            "selection screen lists visible ones by name",
            &three_visible,
            "ann@other.example",
            "selection_screen",
            &["alpha", "Beta", "Zeta"],
            true,
            "3 directories are not hidden",
        ),
        (
            "suffix bypasses the selection screen",
            &three_visible,
            "ann@alpha.example",
            "domain_suffix",
            &["alpha"],
            true,
            "selection screen is skipped",
        ),
        (
            "hidden directory reached by suffix among many",
            &three_visible,
            "ann@hidden.example",
            "domain_suffix",
            &["Hidden"],
            true,
            "(hidden)",
        ),
        (
            "internationalised domain",
            &idn,
            "ann@BÜCHER.example",
            "domain_suffix",
            &["Books"],
            true,
            "bücher.example",
        ),
        (
            "only hidden directories, no match",
            &staff_public[..1],
            "ann@gmail.com",
            "nobody_can_sign_in",
            &["Staff"],
            false,
            "every directory is hidden",
        ),
        (
            "only hidden directories, match",
            &staff_public[..1],
            "ann@example.org",
            "domain_suffix",
            &["Staff"],
            true,
            "",
        ),
        (
            "a domain in two directories",
            &conflict,
            "ann@example.org",
            "conflicting_domain",
            &["A", "B"],
            false,
            "one directory only",
        ),
    ];
    for (name, directories, email, rule, named, can, explanation) in cases {
        let email = EmailAddress::parse(email).unwrap();
        let decision = simulate(&email, directories);
        let (got_rule, got_named) = outcome(&decision.route);
        assert_eq!(got_rule, rule, "{name}: {}", decision.explanation);
        assert_eq!(got_named, named, "{name}");
        assert_eq!(decision.can_sign_in, can, "{name}");
        assert!(
            decision.explanation.contains(explanation),
            "{name}: {}",
            decision.explanation
        );
    }
}

#[test]
fn near_misses_and_staff_directories_are_noted() {
    let dirs = vec![staff_hidden("Staff", &["example.org"]), public("Members")];
    let sub = simulate(&EmailAddress::parse("a@mail.example.org").unwrap(), &dirs);
    assert!(
        sub.notes[0].contains("match the whole domain exactly"),
        "{:?}",
        sub.notes
    );
    let staff = simulate(&EmailAddress::parse("a@example.org").unwrap(), &dirs);
    assert!(staff
        .notes
        .iter()
        .any(|n| n.contains("every user as staff")));
    assert_eq!(staff.domain, "example.org");
}

#[test]
fn invalid_email_addresses_are_refused_with_the_reason() {
    let cases: &[(&str, &str)] = &[
        ("", "enter an email address"),
        ("   ", "enter an email address"),
        ("ann", "has no @"),
        ("ann@", "nothing after the @"),
        ("@example.org", "nothing before the @"),
        ("a@b@example.org", "more than one @"),
        ("Ann <ann@example.org>", "contains a space"),
        ("ann@localhost", "at least two labels"),
        ("ann@exa_mple.org", "only letters, digits and hyphens"),
        ("ann@-bad.example", "hyphen"),
        ("ann@example..org", "empty label"),
        ("ann@10.0.0.1", "IP address"),
    ];
    for (input, message) in cases {
        let e = EmailAddress::parse(input).unwrap_err();
        assert!(e.to_string().contains(message), "{input:?}: {e}");
    }
    let quoted = EmailAddress::parse("\"a@b\"@Example.ORG").unwrap();
    assert_eq!(quoted.domain(), "example.org");
    let idn = EmailAddress::parse(" ann@bücher.example ").unwrap();
    assert_eq!(idn.domain(), "xn--bcher-kva.example");
    assert_eq!(idn.domain_unicode(), "bücher.example");
    assert_eq!(idn.as_str(), "ann@bücher.example");
}

fn codes(report: &RoutingReport, severity: Severity) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.code.as_str())
        .collect()
}

fn as_codes(codes: &[RoutingFindingCode]) -> Vec<&'static str> {
    codes.iter().map(|c| c.as_str()).collect()
}

#[test]
fn the_routing_check_finds_what_cannot_work() {
    use RoutingFindingCode::*;
    // (behaviour, directories, errors, warnings, ok, nobody can sign in)
    type Case = (
        &'static str,
        Vec<RoutingDirectory>,
        Vec<RoutingFindingCode>,
        Vec<RoutingFindingCode>,
        bool,
        bool,
    );
    let cases: Vec<Case> = vec![
        (
            "no directories",
            vec![],
            vec![NoDirectories],
            vec![],
            false,
            true,
        ),
        (
            "one public directory",
            vec![public("Members")],
            vec![],
            vec![],
            true,
            false,
        ),
        (
            "several visible",
            vec![public("A"), public("B")],
            vec![],
            vec![],
            true,
            false,
        ),
        (
            "the staff/public pattern of seed 000",
            vec![staff_hidden("Staff", &["example.org"]), public("Members")],
            vec![],
            vec![],
            true,
            false,
        ),
        (
            "everything hidden, no domains",
            vec![dir("A", true, &[], StaffRule::None)],
            vec![NoVisibleDirectory],
            vec![HiddenWithoutDomains],
            false,
            true,
        ),
        (
            "everything hidden, some domains",
            vec![staff_hidden("Staff", &["example.org"])],
            vec![],
            vec![NoVisibleDirectory],
            true,
            false,
        ),
        (
            "hidden directory without domains is unreachable",
            vec![public("Members"), dir("Lost", true, &[], StaffRule::None)],
            vec![],
            vec![HiddenWithoutDomains],
            true,
            false,
        ),
        (
            "staff directory visible and without domains",
            vec![dir("Staff", false, &[], StaffRule::Always)],
            vec![],
            vec![StaffDirectoryVisible, StaffDirectoryWithoutDomains],
            true,
            false,
        ),
        (
            "staff directory visible with its domain",
            vec![
                dir("Staff", false, &["example.org"], StaffRule::Always),
                public("Members"),
            ],
            vec![],
            vec![StaffDirectoryVisible],
            true,
            false,
        ),
        (
            "hidden staff directory without domains",
            vec![staff_hidden("Staff", &[]), public("Members")],
            vec![],
            vec![HiddenWithoutDomains],
            true,
            false,
        ),
        (
            "a domain in two directories",
            vec![
                dir("A", false, &["example.org"], StaffRule::None),
                dir("B", true, &["Example.org"], StaffRule::None),
            ],
            vec![DomainInSeveralDirectories],
            vec![],
            false,
            false,
        ),
        (
            "a stored domain that no longer parses",
            vec![dir("A", false, &["bad_domain.example"], StaffRule::None)],
            vec![],
            vec![InvalidStoredDomain],
            true,
            false,
        ),
    ];
    for (name, directories, errors, warnings, ok, nobody) in cases {
        let report = check(&directories);
        assert_eq!(
            codes(&report, Severity::Error),
            as_codes(&errors),
            "{name}: {:#?}",
            report.findings
        );
        assert_eq!(
            codes(&report, Severity::Warning),
            as_codes(&warnings),
            "{name}: {:#?}",
            report.findings
        );
        assert_eq!(report.ok, ok, "{name}");
        assert_eq!(report.nobody_can_sign_in, nobody, "{name}");
        assert_eq!(
            report.findings.last().map(|f| f.code.as_str()),
            Some(OtherDomains.as_str()),
            "{name}: the last finding says where other users go"
        );
    }
}

#[test]
fn the_routing_check_reports_domains_visible_directories_and_the_pattern() {
    let report = check(&[
        public("Members"),
        staff_hidden("Staff", &["example.org", "example.com"]),
    ]);
    let domains: Vec<(&str, &str)> = report
        .domains
        .iter()
        .map(|d| (d.domain.as_str(), d.directory.name.as_str()))
        .collect();
    assert_eq!(
        domains,
        [("example.com", "Staff"), ("example.org", "Staff")]
    );
    assert_eq!(report.visible.len(), 1);
    assert!(matches!(
        report.other_domains,
        Route::SingleVisibleDirectory { .. }
    ));
    let pattern = report
        .findings
        .iter()
        .find(|f| f.code == RoutingFindingCode::StaffPublicPattern.as_str())
        .expect("pattern recognised");
    assert!(pattern.message.contains("everyone else to \"Members\""));
    assert_eq!(
        report.summary,
        "Routing works (2 directories, 1 visible, 2 domain suffix(es))"
    );

    let only_staff_visible = check(&[dir("Staff", false, &[], StaffRule::Always)]);
    let visible = only_staff_visible
        .findings
        .iter()
        .find(|f| f.code == RoutingFindingCode::StaffDirectoryVisible.as_str())
        .unwrap();
    assert!(visible.message.contains("only visible directory"));
}
