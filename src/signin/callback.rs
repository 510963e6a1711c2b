//! The redirect back judged: the issuer and the response mode it came with, and the failure
//! to report when it carries an error instead of a code.

use super::advice::{mentions_pkce, register_advice, PKCE_ADVICE};
use super::listener::{Callback, CallbackError, CallbackMethod};
use super::result::{SignInStep, StepFailure};
use super::verify::{Check, CheckName, CheckOutcome};
use crate::directory::Directory;

/// The response mode the provider answered with against the one the directory asks for: the
/// sign-in service takes only the one that is configured, so a provider that ignores
/// `response_mode=form_post` (or posts when asked for a query) would fail in production.
pub(super) fn response_mode_check(callback: &Callback, directory: &Directory) -> Check {
    let answered = if callback.method == CallbackMethod::Post {
        "form_post"
    } else {
        "query"
    };
    let asked = if directory.response_mode_form_post {
        "form_post"
    } else {
        "query"
    };
    if answered == asked {
        return Check {
            name: CheckName::ResponseMode,
            outcome: CheckOutcome::Pass,
            detail: format!("the provider answered with {answered}, as asked"),
        };
    }
    let what_to_do = if directory.response_mode_form_post {
        "the provider ignored response_mode=form_post: turn \"Enable Response Mode Form Post\" off for this directory, or configure the provider to honour form_post"
    } else {
        "the provider posted the answer although no form_post was asked for: turn \"Enable Response Mode Form Post\" on for this directory, or configure the provider to redirect with a query string"
    };
    Check {
        name: CheckName::ResponseMode,
        outcome: CheckOutcome::Fail,
        detail: format!(
            "asked for {asked}, the provider answered with {answered}; the sign-in service expects {asked} and would fail: {what_to_do}"
        ),
    }
}

/// RFC 9207: an `iss` in the redirect must be the expected issuer; a mismatch ends the attempt.
pub(super) fn redirect_issuer_check(callback: &Callback, directory: &Directory) -> Option<Check> {
    let iss = callback.iss.as_ref()?;
    let want = directory.issuer.as_ref()?.to_string();
    Some(if *iss == want {
        Check {
            name: CheckName::RedirectIssuer,
            outcome: CheckOutcome::Pass,
            detail: iss.clone(),
        }
    } else {
        Check {
            name: CheckName::RedirectIssuer,
            outcome: CheckOutcome::Fail,
            detail: format!(
                "the redirect came from issuer \"{iss}\", the directory expects \"{want}\""
            ),
        }
    })
}

pub(super) fn callback_failure(
    e: &CallbackError,
    redirect_uri: &str,
    fixed_port: bool,
) -> StepFailure {
    let (provider_error, description) = match e {
        CallbackError::Provider { error, description } => {
            (Some(error.clone()), description.clone())
        }
        _ => (None, None),
    };
    let hint = match provider_error.as_deref() {
        Some("access_denied") => "the person declined, or the provider denied access to this application (is the user assigned to it?)".to_owned(),
        Some(_) if mentions_pkce(description.as_deref()) => {
            PKCE_ADVICE.to_owned()
        }
        Some("invalid_request" | "invalid_redirect_uri") if description.as_deref().is_some_and(|d| d.contains("redirect_uri") || d.to_ascii_lowercase().contains("redirect uri")) => {
            register_advice(redirect_uri, fixed_port)
        }
        Some("unauthorized_client") => "enable the authorization code flow for this client at the provider".to_owned(),
        Some(_) => "the provider's message above says what it refused: fix that at the provider or in this directory, then test again".to_owned(),
        None => "start the test again".to_owned(),
    };
    StepFailure {
        step: SignInStep::Callback,
        message: e.to_string(),
        hint,
        provider_error,
        provider_error_description: description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider_error(error: &str, description: &str) -> CallbackError {
        CallbackError::Provider {
            error: error.into(),
            description: Some(description.into()),
        }
    }

    #[test]
    fn a_random_port_is_never_the_one_to_register() {
        let uri = "http://127.0.0.1:37113/callback";
        let e = provider_error("invalid_request", "redirect_uri is not registered");
        let random = callback_failure(&e, uri, false).hint;
        assert!(!random.contains("37113"), "{random}");
        assert!(random.contains("Fixed test redirect port"), "{random}");
        let fixed = callback_failure(&e, uri, true).hint;
        assert!(fixed.contains(uri), "{fixed}");
    }

    #[test]
    fn a_pkce_demand_says_to_turn_pkce_on() {
        for description in [
            "PKCE code challenge is required",
            "Missing parameter: code_challenge",
            "Proof Key for Code Exchange is required for cross-origin authorization code redemption",
        ] {
            let e = provider_error("invalid_request", description);
            let hint = callback_failure(&e, "http://127.0.0.1:1/callback", true).hint;
            assert!(hint.contains("turn Enable PKCE on"), "{description}: {hint}");
        }
        let other = callback_failure(&provider_error("server_error", "boom"), "x", true).hint;
        assert!(!other.contains("see the provider's message"), "{other}");
    }
}
