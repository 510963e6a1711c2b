-- Connection health (C17). One row per directory that has been checked, probed or tested: the
-- outcome of each, never a claim, a token or a secret.
CREATE TABLE directory_health (
    directory_id        TEXT    NOT NULL PRIMARY KEY REFERENCES directories (id) ON DELETE CASCADE,
    -- RFC 3339 times; NULL until that has happened once.
    checked_at          TEXT,
    -- ok, warnings, errors, failed or skipped.
    check_status        TEXT,
    -- The first error, or why the document could not be had.
    check_problem       TEXT,
    -- What the last check that fetched the document saw of it: its canonical fingerprint, the
    -- fields compared and the key set's kids and thumbprints (public data), as JSON.
    snapshot_json       TEXT,
    probed_at           TEXT,
    -- accepted, refused, unknown or no_secret.
    probe_verdict       TEXT,
    signed_in_at        TEXT,
    sign_in_succeeded   INTEGER,
    -- The step that ended a failed sign-in, in people's words.
    sign_in_failed_step TEXT,
    -- The kid of the key that signed the last successful sign-in's ID token.
    signing_kid         TEXT
);

-- What changed at a directory's provider between two checks, newest last; a few dozen kept.
CREATE TABLE directory_changes (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    directory_id TEXT    NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
    changed_at   TEXT    NOT NULL,
    -- error, warning or info.
    severity     TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    message      TEXT    NOT NULL
);
CREATE INDEX directory_changes_by_directory ON directory_changes (directory_id, id);
