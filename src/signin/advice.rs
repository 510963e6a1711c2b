//! What to tell the person when the provider refuses: the redirect URI to register, and PKCE
//! to turn on.

/// What to register at the provider. A random port changes on every attempt, so registering
/// it would not help the next one: a fixed port is what to register then.
pub(super) fn register_advice(redirect_uri: &str, fixed_port: bool) -> String {
    if fixed_port {
        return format!("register this exact redirect URI at the provider: {redirect_uri}");
    }
    "this attempt listened on a random port, which changes every time: set a Fixed test redirect port for this directory (under Advanced; \"test_redirect_port\" in its document), register http://127.0.0.1:<that port>/callback at the provider, and test again".to_owned()
}

/// What to do when the provider demands PKCE, in the app's words and the document's.
pub(super) const PKCE_ADVICE: &str = "the provider requires PKCE: turn Enable PKCE on for this directory (\"pkce\": true in its document) and test again";

/// Whether a provider's error text is about PKCE (Okta, Auth0, Keycloak and Entra word it
/// differently).
pub(super) fn mentions_pkce(description: Option<&str>) -> bool {
    description.is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        [
            "pkce",
            "code_challenge",
            "code challenge",
            "proof key",
            "code_verifier",
        ]
        .iter()
        .any(|word| d.contains(word))
    })
}
