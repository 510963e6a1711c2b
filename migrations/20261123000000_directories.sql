-- Directory connections (DESIGN §3.1). The client secret is never stored here: only whether the
-- OS keyring holds one.
CREATE TABLE directories (
    id                        TEXT    NOT NULL PRIMARY KEY,
    name                      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    revision                  INTEGER NOT NULL,
    logo_png                  BLOB    NOT NULL,
    discovery_domain          TEXT,
    authorization_url         TEXT    NOT NULL,
    token_url                 TEXT    NOT NULL,
    userinfo_url              TEXT,
    issuer                    TEXT,
    jwks_uri                  TEXT,
    scopes                    TEXT    NOT NULL,
    client_id                 TEXT    NOT NULL,
    client_secret_stored      INTEGER NOT NULL DEFAULT 0,
    client_secret_expires_on  TEXT,
    pkce                      INTEGER NOT NULL,
    response_mode_form_post   INTEGER NOT NULL,
    token_endpoint_basic_auth INTEGER NOT NULL,
    new_contact_member_type   TEXT    NOT NULL,
    new_contact_status        TEXT    NOT NULL,
    claims_json               TEXT    NOT NULL,
    staff_json                TEXT    NOT NULL,
    is_hidden                 INTEGER NOT NULL,
    test_redirect_port        INTEGER,
    created_at                TEXT    NOT NULL,
    updated_at                TEXT    NOT NULL
);

-- One row per domain suffix: the primary key makes "a domain belongs to one directory only" a
-- rule of the database, whoever writes.
CREATE TABLE domain_suffixes (
    domain       TEXT    NOT NULL PRIMARY KEY,
    directory_id TEXT    NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL
);
CREATE INDEX domain_suffixes_by_directory ON domain_suffixes (directory_id, position);

-- Workspace settings, such as the sign-in service URL.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
