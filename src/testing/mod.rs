//! Fixtures shared by the unit tests, the integration tests and the benchmarks.
//! Built only for tests and with the `testing` feature, so the product never contains them.

pub mod png;
pub mod tokens;

use crate::directory::DirectoryDocument;

/// A valid directory document named `name`, with a real 245×36 logo and loopback endpoints.
pub fn directory_document(name: &str) -> DirectoryDocument {
    let logo = png::encode(
        crate::logo::LOGO_WIDTH,
        crate::logo::LOGO_HEIGHT,
        png::Kind::Rgba,
    );
    DirectoryDocument {
        name: name.to_owned(),
        logo_png_base64: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, logo),
        authorization_url: "https://login.example.com/authorize".into(),
        token_url: "https://login.example.com/token".into(),
        userinfo_url: Some("https://login.example.com/userinfo".into()),
        issuer: Some("https://login.example.com".into()),
        client_id: "client-123".into(),
        ..DirectoryDocument::default()
    }
}
