-- Secrets and rows kept in step (DESIGN §4). `directories.client_secret_stored` and
-- `scim_connections.token_stored` now hold the version of the secret's keyring entry (0: none;
-- 1: the entry every secret had before), so a replaced secret is written to an entry never used
-- before and the row switches to it in one commit.
-- This table lists keyring entries that may exist without a row naming them: written before
-- their row commits, or given up by a row that moved on or was deleted. Each is removed from
-- the keyring once no row names it: after the save that listed it, or when the console opens
-- the database and finds it listed for longer than any save takes (a crash left it).
CREATE TABLE secret_cleanup (
    entry     TEXT    NOT NULL PRIMARY KEY,
    -- Unix seconds.
    listed_at INTEGER NOT NULL
);
