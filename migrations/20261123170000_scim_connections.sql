-- SCIM connections (C14). The bearer token is never stored here: only whether the OS keyring
-- holds one. Deleting the linked directory unlinks the connection.
CREATE TABLE scim_connections (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    revision      INTEGER NOT NULL,
    tenant_url    TEXT    NOT NULL,
    directory_id  TEXT    REFERENCES directories (id) ON DELETE SET NULL,
    notes         TEXT    NOT NULL,
    mappings_json TEXT    NOT NULL,
    token_stored  INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX scim_connections_by_directory ON scim_connections (directory_id);
