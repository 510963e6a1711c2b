//! The expression language, table by table: every function, nesting, quoting, nulls, and
//! syntax errors with their positions.

use serde_json::json;

use super::SourceUser;
use super::*;

fn user() -> SourceUser {
    SourceUser(json!({
        "givenName": "Zoë",
        "surname": "Ångström",
        "displayName": "Zoë Ångström",
        "mail": "zoe.angstrom@contoso.com",
        "userPrincipalName": "zoe@contoso.onmicrosoft.com",
        "department": "  Sales  ",
        "jobTitle": "Folder 1,Folder 2,Folder 3",
        "companyName": "Premium",
        "country": "US",
        "accountEnabled": true,
        "IsSoftDeleted": false,
        "employeeId": 4711,
        "blank": "",
        "otherMails": ["a@x.example", "b@x.example"],
        "appRoleAssignments": ["Admin"],
        "telephoneNumber": "+1 555 0100",
        "employeeOrgData": { "division": "EMEA North" },
        "quote": "say \"hi\""
    }))
}

fn eval(text: &str) -> Result<Value, String> {
    let expression = Expression::parse(text).map_err(|e| format!("syntax {e}"))?;
    expression
        .evaluate(&user())
        .map_err(|e| format!("eval {e}"))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn every_function_evaluates_as_entra_documents_it() {
    let cases: Vec<(&str, Value)> = vec![
        // Append
        ("Append([givenName], \"-ext\")", text("Zoë-ext")),
        ("Append([missing], \"-ext\")", Value::Null),
        ("Append([givenName], )", text("Zoë")),
        // Coalesce
        (
            "Coalesce([missing], [blank], [mail])",
            text("zoe.angstrom@contoso.com"),
        ),
        ("Coalesce([missing], \"fallback\")", text("fallback")),
        ("Coalesce([missing], [blank])", Value::Null),
        // IIF and =
        (
            "IIF([country]=\"US\", \"domestic\", \"abroad\")",
            text("domestic"),
        ),
        (
            "IIF([country]=\"FR\", \"domestic\", \"abroad\")",
            text("abroad"),
        ),
        ("IIF([accountEnabled], \"on\", \"off\")", text("on")),
        ("IIF(\"False\", \"on\", \"off\")", text("off")),
        (
            "IIF(IsPresent([missing]), [missing], \"none\")",
            text("none"),
        ),
        // IsNull, IsNullOrEmpty, IsPresent, Not
        ("IsNull([missing])", Value::Bool(true)),
        ("IsNull([blank])", Value::Bool(false)),
        ("IsNullOrEmpty([blank])", Value::Bool(true)),
        ("IsNullOrEmpty([mail])", Value::Bool(false)),
        ("IsPresent([mail])", Value::Bool(true)),
        ("IsPresent([blank])", Value::Bool(false)),
        ("Not([IsSoftDeleted])", Value::Bool(true)),
        ("Not(IsPresent([mail]))", Value::Bool(false)),
        // Join
        ("Join(\" \", [givenName], [surname])", text("Zoë Ångström")),
        (
            "Join(\",\", [otherMails], [missing], [mail])",
            text("a@x.example,b@x.example,zoe.angstrom@contoso.com"),
        ),
        ("Join(\",\", [missing])", Value::Null),
        // Left
        ("Left([givenName], 2)", text("Zo")),
        ("Left([givenName], 0)", text("")),
        ("Left([givenName], -1)", text("Zoë")),
        ("Left([givenName], 99)", text("Zoë")),
        ("Left([missing], 3)", text("")),
        ("Left([givenName], \"1\")", text("Z")),
        // Mid
        ("Mid([mail], 1, 3)", text("zoe")),
        ("Mid([mail], 5, 8)", text("angstrom")),
        ("Mid([givenName], 3, 10)", text("ë")),
        ("Mid([givenName], 9, 2)", text("")),
        ("Mid([missing], 1, 2)", Value::Null),
        // NormalizeDiacritics
        ("NormalizeDiacritics([displayName])", text("Zoe Angstrom")),
        ("NormalizeDiacritics(\"Łódź Øre\")", text("Lodz Ore")),
        ("NormalizeDiacritics([missing])", Value::Null),
        // Replace
        (
            "Replace([mail], \"@contoso.com\", , , \"@fabrikam.com\", , )",
            text("zoe.angstrom@fabrikam.com"),
        ),
        (
            "Replace([telephoneNumber], , \"[^0-9+]\", , \"\", , )",
            text("+15550100"),
        ),
        (
            "Replace([mail], , \"(?<local>[^@]+)@\", \"local\", \"anon\", , )",
            text("anon@contoso.com"),
        ),
        (
            "Replace([missing], , \"(?<user>[^@]+)@\", \"user\", , [mail], )",
            text("zoe.angstrom"),
        ),
        (
            "Replace([givenName], , \"(?<user>[^@]+)@\", \"user\", , [mail], )",
            text("Zoë"),
        ),
        (
            "Replace([givenName], \"{name}\", , , , , \"Hello {name}!\")",
            text("Hello Zoë!"),
        ),
        ("Replace([missing], \"a\", , , \"b\", , )", Value::Null),
        // SingleAppRoleAssignment
        (
            "SingleAppRoleAssignment([appRoleAssignments])",
            text("Admin"),
        ),
        ("SingleAppRoleAssignment([missing])", Value::Null),
        // Split
        (
            "Split([jobTitle], \",\")",
            list(&["Folder 1", "Folder 2", "Folder 3"]),
        ),
        ("Split(\"a, b\", \",\")", list(&["a", " b"])),
        ("Split([missing], \",\")", Value::Null),
        // StripSpaces
        ("StripSpaces([telephoneNumber])", text("+15550100")),
        // Switch
        (
            "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")",
            text("True"),
        ),
        (
            "Switch([country], \"Other\", \"US\", \"United States\", \"FR\", \"France\")",
            text("United States"),
        ),
        (
            "Switch([companyName], \"Standard\", \"Gold\", \"Premium\")",
            text("Standard"),
        ),
        ("Switch([missing], \"none\", \"x\", \"y\")", text("none")),
        // ToLower, ToUpper (culture accepted and ignored)
        ("ToLower([displayName])", text("zoë ångström")),
        ("ToLower([givenName], \"en-US\")", text("zoë")),
        ("ToUpper([givenName])", text("ZOË")),
        (
            "ToUpper([otherMails])",
            list(&["A@X.EXAMPLE", "B@X.EXAMPLE"]),
        ),
        // Trim
        ("Trim([department])", text("Sales")),
        ("Trim([missing])", Value::Null),
    ];
    for (source, expected) in cases {
        assert_eq!(eval(source), Ok(expected), "{source}");
    }
}

#[test]
fn calls_nest_and_names_are_case_insensitive() {
    let cases: Vec<(&str, Value)> = vec![
        (
            "ToLower(Join(\".\", NormalizeDiacritics([givenName]), NormalizeDiacritics([surname])))",
            text("zoe.angstrom"),
        ),
        (
            "Append(Left(ToLower(StripSpaces([displayName])), 3), Mid([mail], 4, 1))",
            text("zoë."),
        ),
        (
            "IIF(IsPresent(Trim([department])), Trim([department]), \"Unassigned\")",
            text("Sales"),
        ),
        ("split(trim(\" a;b \"), \";\")", list(&["a", "b"])),
        ("Join(\"|\", Split([jobTitle], \",\"))", text("Folder 1|Folder 2|Folder 3")),
        ("Coalesce(Switch([country], , \"FR\", \"France\"), \"elsewhere\")", text("elsewhere")),
        ("[employeeOrgData.division]", text("EMEA North")),
        ("[employeeId]", text("4711")),
    ];
    for (source, expected) in cases {
        assert_eq!(eval(source), Ok(expected), "{source}");
    }
}

#[test]
fn text_literals_keep_escaped_quotes_and_other_backslashes() {
    let cases: Vec<(&str, Value)> = vec![
        (r#""say \"hi\"""#, text("say \"hi\"")),
        (r#""back\\slash""#, text("back\\slash")),
        (r#""\d+""#, text("\\d+")),
        (r#"[quote]="say \"hi\"""#, Value::Bool(true)),
        (r#"Append("", "")"#, text("")),
        (
            "\"commas, (and) [brackets]\"",
            text("commas, (and) [brackets]"),
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(eval(source), Ok(expected), "{source}");
    }
}

#[test]
fn nulls_compare_and_propagate() {
    let cases: Vec<(&str, Value)> = vec![
        ("[missing]", Value::Null),
        ("[missing]=[alsoMissing]", Value::Bool(true)),
        ("[missing]=\"\"", Value::Bool(false)),
        ("IIF([missing], \"yes\", \"no\")", text("no")),
        ("IsNull(Coalesce(, ))", Value::Bool(true)),
        ("ToUpper([missing])", Value::Null),
        ("Join(\"-\", , [givenName], )", text("Zoë")),
    ];
    for (source, expected) in cases {
        assert_eq!(eval(source), Ok(expected), "{source}");
    }
}

#[test]
fn syntax_errors_name_the_character_and_the_fix() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("Split([jobTitle], \",\"", 22, "not closed; add the )"),
        ("Split([jobTitle] \",\")", 18, "expected , or )"),
        ("Split([jobTitle, \",\")", 7, "not closed; add the ]"),
        ("Split([], \",\")", 7, "empty attribute reference"),
        (
            "Join(\" \", [givenName], \"x)",
            24,
            "the text is not closed",
        ),
        ("Splt([jobTitle], \",\")", 1, "did you mean Split?"),
        ("Frobnicate([x])", 1, "unknown function Frobnicate"),
        (
            "givenName",
            1,
            "write a source attribute in brackets: [givenName]",
        ),
        ("Split([jobTitle])", 1, "Split takes 2 arguments"),
        (
            "Replace([mail], \"a\", \"b\")",
            1,
            "leave the unused ones empty",
        ),
        (
            "Switch([country], \"x\", \"US\")",
            1,
            "the last key has no value",
        ),
        ("IIF([a], [b], [c], [d])", 1, "IIF takes 3 arguments"),
        ("Trim([a]) Trim([b])", 11, "after the end of the expression"),
        ("Trim([a]]", 9, "a ] without its ["),
        ("Trim(@)", 6, "unexpected character '@'"),
        ("Split([jobTitle], “,”)", 19, "typographic quote"),
        ("Left([a], 99999999999999999999)", 11, "too large"),
        ("=[a]", 1, "expected a value"),
        ("[a]=", 5, "ends too early"),
        ("Trim", 5, "expected ( after Trim"),
    ];
    for (source, position, message) in cases {
        let error = Expression::parse(source).expect_err(source);
        assert_eq!(error.position, *position, "{source}: {error}");
        assert!(
            error.message.contains(message),
            "{source}: {} does not say {message}",
            error.message
        );
    }
}

#[test]
fn positions_count_characters_not_bytes() {
    let error = Expression::parse("Join(\"ÅÅÅ\", [a] [b])").unwrap_err();
    assert_eq!(error.position, 17, "{error}");
}

#[test]
fn evaluation_errors_name_the_argument() {
    let cases: &[(&str, usize, &str)] = &[
        ("Mid([mail], 0, 2)", 13, "positions start at 1"),
        ("Mid([mail], 1, -2)", 16, "cannot be negative"),
        ("Left([mail], \"two\")", 14, "whole number"),
        ("IIF([mail], \"a\", \"b\")", 5, "must be true or false"),
        ("Split([mail], \"\")", 15, "delimiter is empty"),
        (
            "Replace([mail], , \"(\", , \"x\", , )",
            19,
            "not a valid regular expression",
        ),
        (
            "Replace([mail], , \"(?<a>x)\", \"b\", \"x\", , )",
            30,
            "no group named \"b\"",
        ),
        (
            "Replace([mail], , , , \"x\", , )",
            1,
            "needs an oldValue or a regexPattern",
        ),
        ("Append([mail], [otherMails])", 16, "list of values"),
        ("ToLower([mail], [accountEnabled])", 17, "culture"),
    ];
    for (source, position, message) in cases {
        let error = eval(source).expect_err(source);
        assert!(error.contains(message), "{source}: {error}");
        assert!(
            error.contains(&format!("at character {position}:")),
            "{source}: {error}"
        );
    }
}

#[test]
fn hostile_input_is_refused_without_exhausting_the_stack() {
    let deep = format!("{}[a]{}", "Trim(".repeat(600), ")".repeat(600));
    let error = Expression::parse(&deep).unwrap_err();
    assert!(error.message.contains("nested more than"), "{error}");
    let deep = format!("{}[a]{}", "Trim(".repeat(20), ")".repeat(20));
    assert!(Expression::parse(&deep).is_ok());
    let long = format!("\"{}\"", "x".repeat(MAX_LENGTH));
    assert!(Expression::parse(&long)
        .unwrap_err()
        .message
        .contains("limit"));
}

#[test]
fn referenced_attributes_are_listed_once_in_order() {
    let expression = Expression::parse(
        "Join(\" \", [givenName], IIF(IsPresent([surname]), [surname], [givenName]))",
    )
    .unwrap();
    assert_eq!(expression.attributes(), ["givenName", "surname"]);
}

#[test]
fn every_function_is_listed_with_its_signature() {
    let listed = functions();
    assert_eq!(listed.len(), Function::ALL.len());
    for info in listed {
        assert!(info.signature.starts_with(&info.name), "{info:?}");
        assert!(!info.summary.is_empty());
    }
}

#[test]
fn a_value_that_grows_past_the_limit_stops_the_evaluation_in_bounded_time() {
    // Each Replace of the empty string triples the text: 32 levels would need petabytes.
    let mut expression = "\"abc\"".to_owned();
    for _ in 0..32 {
        expression = format!("Replace({expression}, , \"\", , \"ab\", , )");
    }
    let started = std::time::Instant::now();
    let error = eval(&expression).unwrap_err();
    assert!(
        error.contains("longer than 64 KiB") && error.contains("Replace"),
        "{error}"
    );
    // For the record only (the bound is the size check, not a time limit).
    eprintln!("stopped after {} ms", started.elapsed().as_millis());
}
