-- Offline preparation (C13): what each directory and SCIM connection was when it was last
-- exported or imported here (the SHA-256 of its document, no secret), so that an import can
-- tell an item saved here since from one that was not.
CREATE TABLE sync_points (
    item_id     TEXT NOT NULL PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    synced_at   TEXT NOT NULL
);
