-- Guided setup (C18). A placeholder logo is told in the list without reading the logos.
ALTER TABLE directories ADD COLUMN logo_placeholder INTEGER NOT NULL DEFAULT 0;

-- One row per guided setup, from the provider's choice on: the directory's id is reserved
-- before the directory exists, so that its redirect URL can be registered at the provider
-- first. The draft document never holds the client secret (that goes to the keyring with the
-- directory); the steps are what the flow recorded of each, as JSON.
CREATE TABLE setups (
    id            TEXT NOT NULL PRIMARY KEY,
    preset        TEXT NOT NULL,
    -- The preset's values, a JSON object.
    values_json   TEXT NOT NULL,
    -- The directory document (DESIGN §7.1) as it stands before the directory is saved.
    draft_json    TEXT NOT NULL,
    -- {"step": {"at": RFC 3339, "ok": bool, "detail": "…"}}
    steps_json    TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A setup ends with its directory.
CREATE TRIGGER setups_end_with_their_directory AFTER DELETE ON directories
BEGIN
    DELETE FROM setups WHERE id = old.id;
END;

-- The list and its search read these columns of every directory: from this index alone, never
-- the rows with their logos (two or three to a page), which would multiply the pages read by
-- ten at 10,000 directories.
CREATE INDEX directories_list ON directories (
    name, id, client_id, is_hidden, client_secret_stored, client_secret_expires_on, revision,
    logo_placeholder
);

-- A directory's domain suffixes in order, read from the index alone.
DROP INDEX domain_suffixes_by_directory;
CREATE INDEX domain_suffixes_in_order ON domain_suffixes (directory_id, position, domain);
