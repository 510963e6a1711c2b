use serde_json::{json, Value};

use super::*;
use crate::claims::parse_pasted;
use crate::directory::{ClaimMapping, DirectoryDocument, StaffRule};
use crate::testing;

const ID: &str = "531b5f5e-2a2a-4b73-b109-3f17f7f34e36";

fn directory(edit: impl FnOnce(&mut DirectoryDocument)) -> Directory {
    let mut doc = testing::directory_document("Contoso");
    doc.id = Some(ID.into());
    edit(&mut doc);
    Directory::from_document(&doc).expect("valid test directory")
}

fn claims(value: Value) -> ClaimSet {
    parse_pasted(&value.to_string())
        .expect("valid claims")
        .claims
}

fn status(outcome: &MappingOutcome) -> String {
    serde_json::to_value(outcome).unwrap()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

type DocEdit = fn(&mut DirectoryDocument);

#[test]
fn each_mapping_outcome_says_what_the_sign_in_would_do() {
    let keep: DocEdit = |_| {};
    let no_userinfo: DocEdit = |d| d.userinfo_url = None;
    let no_openid: DocEdit = |d| d.scopes = "email profile".into();
    // (behaviour, last name mapping, claims, directory edit, status, value, message part)
    type Case = (
        &'static str,
        (&'static str, ClaimSource),
        Value,
        DocEdit,
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "present string",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": "Lee"}}),
            keep,
            "resolved",
            Some("Lee"),
            "Last name = \"Lee\"",
        ),
        (
            "missing but in userinfo",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"sub": "1"}, "userinfo": {"family_name": "Lee"}}),
            keep,
            "missing",
            None,
            "`family_name` is not in the ID token; it is in Userinfo — change the source?",
        ),
        (
            "missing everywhere",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"sub": "1"}}),
            keep,
            "missing",
            None,
            "nor in any other source; sign-in would fail",
        ),
        (
            "missing, differs in case",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"Family_Name": "Lee"}}),
            keep,
            "missing",
            None,
            "`Family_Name` is in the ID token: claim names are case-sensitive",
        ),
        (
            "empty string",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": ""}}),
            keep,
            "empty",
            None,
            "present but holds an empty string; sign-in would fail",
        ),
        (
            "white space only",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": "  "}}),
            keep,
            "empty",
            None,
            "only white space",
        ),
        (
            "null",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": null}}),
            keep,
            "empty",
            None,
            "holds null",
        ),
        (
            "empty array",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": []}}),
            keep,
            "empty",
            None,
            "an empty array",
        ),
        (
            "opaque access token",
            ("family_name", ClaimSource::AccessToken),
            json!({"id_token": {"family_name": "Lee"}, "access_token": "opaque"}),
            keep,
            "source_unavailable",
            None,
            "the access token is opaque (not a JWT): its claims cannot be read; sign-in would fail. It is in the ID token — change the source?",
        ),
        (
            "userinfo without a userinfo URL",
            ("family_name", ClaimSource::Userinfo),
            json!({"id_token": {"sub": "1"}, "userinfo": {"family_name": "Lee"}}),
            no_userinfo,
            "source_unavailable",
            None,
            "the directory has no Userinfo URL",
        ),
        (
            "in userinfo, but no userinfo URL to reach it",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"sub": "1"}, "userinfo": {"family_name": "Lee"}}),
            no_userinfo,
            "missing",
            None,
            "Userinfo holds `family_name`, but the directory has no Userinfo URL",
        ),
        (
            "no openid scope, no ID token",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": "Lee"}}),
            no_openid,
            "source_unavailable",
            None,
            "the scopes lack openid",
        ),
        (
            "source not provided",
            ("family_name", ClaimSource::Userinfo),
            json!({"id_token": {"sub": "1"}}),
            keep,
            "source_unavailable",
            None,
            "the claims given hold nothing for Userinfo",
        ),
        (
            "array takes the first element",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": ["Lee", "Li"]}}),
            keep,
            "resolved",
            Some("Lee"),
            "the first element of `family_name`",
        ),
        (
            "number is taken as text",
            ("employee_no", ClaimSource::IdToken),
            json!({"id_token": {"employee_no": 12345}}),
            keep,
            "resolved",
            Some("12345"),
            "is a number; the sign-in service takes it as the text \"12345\"",
        ),
        (
            "boolean is taken as text",
            ("flag", ClaimSource::IdToken),
            json!({"id_token": {"flag": true}}),
            keep,
            "resolved",
            Some("true"),
            "is a boolean",
        ),
        (
            "object cannot be used",
            ("address", ClaimSource::Userinfo),
            json!({"userinfo": {"address": {"country": "NL"}}}),
            keep,
            "unusable",
            None,
            "is an object; a mapping needs a single text value",
        ),
        (
            "array of objects cannot be used",
            ("family_name", ClaimSource::IdToken),
            json!({"id_token": {"family_name": [{"v": 1}]}}),
            keep,
            "unusable",
            None,
            "first element is an object",
        ),
    ];
    for (name, (claim, source), given, edit, want_status, want_value, message) in cases {
        let dir = directory(|d| {
            d.claims.last_name = ClaimMapping {
                claim: claim.into(),
                source,
            };
            edit(d);
        });
        let eval = evaluate(&dir, &claims(given));
        let m = &eval.mappings[4];
        assert_eq!(m.field, MappedField::LastName, "{name}");
        assert_eq!(status(&m.outcome), want_status, "{name}: {}", m.message);
        assert_eq!(m.ok, want_status == "resolved", "{name}");
        if let Some(value) = want_value {
            assert!(
                matches!(&m.outcome, MappingOutcome::Resolved { value: v, .. } if v == value),
                "{name}: {:?}",
                m.outcome
            );
        }
        assert!(m.message.contains(message), "{name}: {}", m.message);
    }
}

#[test]
fn an_array_value_is_resolved_with_a_warning_and_conversions_are_named() {
    let dir = directory(|d| d.claims.email.claim = "emails".into());
    let eval = evaluate(
        &dir,
        &claims(json!({"id_token": {"emails": ["a@example.org", "b@example.org"]}})),
    );
    let email = &eval.mappings[2];
    assert_eq!(
        email.outcome,
        MappingOutcome::Resolved {
            value: "a@example.org".into(),
            taken_as: TakenAs::FirstElement { count: 2 }
        }
    );
    assert!(email.warning.as_deref().unwrap().contains("array of 2"));
}

#[test]
fn failing_mappings_suggest_claims_seen_and_sign_in_fails_naming_them() {
    let dir = directory(|_| {});
    let eval = evaluate(
        &dir,
        &claims(json!({
            "id_token": {"sub": "abc", "upn": "ann@example.org", "given_name": "Ann"},
            "userinfo": {"surname": "Lee"}
        })),
    );
    assert!(!eval.sign_in_succeeds);
    assert_eq!(
        eval.summary,
        "Sign-in would fail: 3 of 5 required mappings cannot be resolved (Username, Email, Last name)"
    );
    let email = &eval.mappings[2];
    assert_eq!(email.suggestions[0].claim, "upn");
    assert_eq!(email.suggestions[0].source, ClaimSource::IdToken);
    let last = &eval.mappings[4];
    assert_eq!(last.suggestions[0].claim, "surname");
    assert_eq!(last.suggestions[0].source, ClaimSource::Userinfo);
    assert!(eval.mappings[0].ok && eval.mappings[0].suggestions.is_empty());
}

#[test]
fn claim_name_suggestions_put_the_usual_names_first_and_leave_protocol_claims_out() {
    let set = claims(json!({"id_token": {
        "zoneinfo": "Europe/Amsterdam", "iss": "https://x", "nonce": "n", "exp": 1,
        "sub": "abc", "oid": "def", "email": "a@example.org"
    }}));
    assert_eq!(
        suggest_claim_names(&set, ClaimSource::IdToken, MappedField::ExternalId),
        ["oid", "sub", "email", "zoneinfo"]
    );
    assert!(suggest_claim_names(&set, ClaimSource::Userinfo, MappedField::Email).is_empty());
}

#[test]
fn external_id_is_directory_id_semicolon_claim_value_with_the_matching_rule() {
    let dir = directory(|d| d.claims.external_id.claim = "oid".into());
    let eval = evaluate(
        &dir,
        &claims(json!({"id_token": {
            "oid": "3522ec95-d540-4f11-992f-915efcd00862",
            "email": "ann@example.org", "given_name": "Ann", "family_name": "Lee"
        }})),
    );
    assert!(eval.sign_in_succeeds, "{}", eval.summary);
    let x = &eval.external_id;
    assert_eq!(
        x.external_id.as_deref(),
        Some("531b5f5e-2a2a-4b73-b109-3f17f7f34e36;3522ec95-d540-4f11-992f-915efcd00862")
    );
    assert!(x
        .matching
        .contains("matches it by primary email (\"ann@example.org\")"));
    assert!(x.matching.contains("even if the email changes"));
    assert!(x.warning.is_none());
    assert_eq!(
        compose(crate::directory::DirectoryId::parse(ID).unwrap(), "x"),
        format!("{ID};x")
    );
}

#[test]
fn external_id_preview_covers_unsaved_directories_and_failing_claims() {
    let unsaved = directory(|d| d.id = None);
    let given = claims(json!({"id_token": {"sub": "abc"}}));
    let x = evaluate(&unsaved, &given).external_id;
    assert_eq!(x.claim_value.as_deref(), Some("abc"));
    assert!(x.external_id.is_none());
    assert!(x.matching.contains("<directory id>;abc"));

    let missing = evaluate(&directory(|_| {}), &claims(json!({"id_token": {}}))).external_id;
    assert!(missing.external_id.is_none());
    assert!(missing.matching.starts_with("No external ID can be formed"));
}

#[test]
fn a_mutable_external_id_claim_is_warned_about_with_the_provider_s_immutable_claim() {
    let entra_auth: DocEdit = |d| {
        d.authorization_url =
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
                .into();
        d.issuer = None;
    };
    let plain: DocEdit = |_| {};
    // (behaviour, external id claim, directory edit, extra id token claims, warning?, suggestion, note?)
    type Case = (
        &'static str,
        &'static str,
        DocEdit,
        Value,
        bool,
        Option<&'static str>,
        bool,
    );
    let cases: Vec<Case> = vec![
        (
            "email elsewhere",
            "email",
            plain,
            json!({}),
            true,
            Some("sub"),
            false,
        ),
        (
            "upn on Entra",
            "upn",
            entra_auth,
            json!({}),
            true,
            Some("oid"),
            false,
        ),
        (
            "preferred_username, Entra seen in iss",
            "preferred_username",
            plain,
            json!({"iss": "https://login.microsoftonline.com/tid/v2.0"}),
            true,
            Some("oid"),
            false,
        ),
        (
            "unique_name",
            "unique_name",
            plain,
            json!({}),
            true,
            Some("sub"),
            false,
        ),
        (
            "sub elsewhere is fine",
            "sub",
            plain,
            json!({}),
            false,
            None,
            false,
        ),
        (
            "oid on Entra is fine",
            "oid",
            entra_auth,
            json!({}),
            false,
            None,
            false,
        ),
        (
            "sub on Entra gets a note",
            "sub",
            entra_auth,
            json!({}),
            false,
            Some("oid"),
            true,
        ),
    ];
    for (name, claim, edit, extra, warned, suggestion, noted) in cases {
        let dir = directory(|d| {
            d.claims.external_id.claim = claim.into();
            edit(d);
        });
        let mut id_token = json!({
            "sub": "abc", "oid": "def", "email": "a@example.org", "upn": "a@example.org",
            "preferred_username": "a@example.org", "unique_name": "a@example.org"
        });
        for (k, v) in extra.as_object().unwrap() {
            id_token[k] = v.clone();
        }
        let x = evaluate(&dir, &claims(json!({ "id_token": id_token }))).external_id;
        assert_eq!(x.warning.is_some(), warned, "{name}: {:?}", x.warning);
        assert_eq!(x.suggested_claim.as_deref(), suggestion, "{name}");
        assert_eq!(x.note.is_some(), noted, "{name}");
        if let Some(s) = suggestion {
            assert_eq!(x.suggested_claim_seen.as_ref().unwrap().claim, s, "{name}");
            if warned {
                assert!(
                    x.warning.as_deref().unwrap().contains(&format!("`{s}`")),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn staff_identification_follows_each_mode_across_all_sources() {
    let exists = |c: &str| StaffRule::ClaimExists { claim: c.into() };
    let equals = |c: &str, v: &str| StaffRule::ClaimEquals {
        claim: c.into(),
        value: v.into(),
    };
    let keep: DocEdit = |_| {};
    let no_userinfo: DocEdit = |d| d.userinfo_url = None;
    // (behaviour, rule, claims, directory edit, staff?, deciding source, reason or hint part)
    type Case = (
        &'static str,
        StaffRule,
        Value,
        DocEdit,
        bool,
        Option<ClaimSource>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "none",
            StaffRule::None,
            json!({"id_token": {"roles": "Staff"}}),
            keep,
            false,
            None,
            "public users only",
        ),
        (
            "always",
            StaffRule::Always,
            json!({"id_token": {}}),
            keep,
            true,
            None,
            "staff license",
        ),
        (
            "exists",
            exists("staff"),
            json!({"id_token": {"staff": "yes"}}),
            keep,
            true,
            Some(ClaimSource::IdToken),
            "exists in the ID token",
        ),
        (
            "exists but empty counts",
            exists("staff"),
            json!({"id_token": {"staff": ""}}),
            keep,
            true,
            Some(ClaimSource::IdToken),
            "even an empty one",
        ),
        (
            "exists as null counts",
            exists("staff"),
            json!({"userinfo": {"staff": null}}),
            keep,
            true,
            Some(ClaimSource::Userinfo),
            "exists in Userinfo",
        ),
        (
            "exists: the access token is checked first",
            exists("staff"),
            json!({"access_token": {"staff": 1}, "id_token": {"staff": 2}}),
            keep,
            true,
            Some(ClaimSource::AccessToken),
            "exists in the access token",
        ),
        (
            "exists: absent",
            exists("staff"),
            json!({"id_token": {"sub": "1"}}),
            keep,
            false,
            None,
            "in none of the sources",
        ),
        (
            "exists: name differs in case",
            exists("staff"),
            json!({"id_token": {"Staff": "x"}}),
            keep,
            false,
            None,
            "claim names are case-sensitive",
        ),
        (
            "equals exactly",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": "Staff"}}),
            keep,
            true,
            Some(ClaimSource::IdToken),
            "equals \"Staff\"",
        ),
        (
            "equals: array membership",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": ["Reader", "Staff"]}}),
            keep,
            true,
            Some(ClaimSource::IdToken),
            "one element equals it",
        ),
        (
            "equals: array without it",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": ["Reader"]}}),
            keep,
            false,
            None,
            "never equals \"Staff\" exactly",
        ),
        (
            "equals: case differs",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": "staff"}}),
            keep,
            false,
            None,
            "differs from \"Staff\" only in letter case",
        ),
        (
            "equals: case differs in an array",
            equals("roles", "Staff"),
            json!({"userinfo": {"roles": ["STAFF"]}}),
            keep,
            false,
            None,
            "set the Staff Claim Value to \"STAFF\"",
        ),
        (
            "equals: number compared as text",
            equals("level", "1"),
            json!({"id_token": {"level": 1}}),
            keep,
            true,
            Some(ClaimSource::IdToken),
            "compared as text",
        ),
        (
            "equals: empty is not equal",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": ""}}),
            keep,
            false,
            None,
            "never equals",
        ),
        (
            "equals: later source decides when the first differs",
            equals("roles", "Staff"),
            json!({"id_token": {"roles": "Reader"}, "userinfo": {"roles": "Staff"}}),
            keep,
            true,
            Some(ClaimSource::Userinfo),
            "in Userinfo equals",
        ),
        (
            "equals: userinfo unreadable without a URL",
            equals("roles", "Staff"),
            json!({"id_token": {"sub": "1"}, "userinfo": {"roles": "Staff"}}),
            no_userinfo,
            false,
            None,
            "Userinfo was not checked: the directory has no Userinfo URL",
        ),
    ];
    for (name, rule, given, edit, want_staff, source, text) in cases {
        let dir = directory(|d| {
            d.staff = rule.clone();
            edit(d);
        });
        let staff = evaluate(&dir, &claims(given)).staff;
        assert_eq!(staff.is_staff, want_staff, "{name}: {}", staff.reason);
        assert_eq!(
            staff.decided_by.as_ref().map(|d| d.source),
            source,
            "{name}"
        );
        let all = format!("{} {}", staff.reason, staff.hints.join(" "));
        assert!(all.contains(text), "{name}: {all}");
        if matches!(
            rule,
            StaffRule::ClaimExists { .. } | StaffRule::ClaimEquals { .. }
        ) {
            assert_eq!(staff.checks.len(), 3, "{name}: every source is checked");
        }
    }
}

#[test]
fn a_successful_evaluation_summarises_role_and_external_id_and_lists_sources() {
    let dir = directory(|d| {
        d.staff = StaffRule::ClaimEquals {
            claim: "roles".into(),
            value: "Staff".into(),
        }
    });
    let eval = evaluate(
        &dir,
        &claims(json!({
            "id_token": {"sub": "abc", "email": "ann@example.org", "given_name": "Ann",
                          "family_name": "Lee", "roles": ["Staff"]},
            "access_token": "opaque"
        })),
    );
    assert!(eval.sign_in_succeeds);
    assert_eq!(
        eval.summary,
        format!("Sign-in would succeed as staff, with external ID {ID};abc")
    );
    assert_eq!(eval.sources.len(), 3);
    assert!(!eval.sources[0].available);
    assert_eq!(
        eval.sources[0].unavailable,
        Some(Unavailable::OpaqueAccessToken)
    );
    assert!(eval.sources[1].claim_names.contains(&"roles".to_owned()));
    assert_eq!(eval.directory_id.as_deref(), Some(ID));
}
