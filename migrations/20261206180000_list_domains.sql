-- The list shows each directory's domain suffixes and searches them: kept with the directory,
-- comma-joined in their order, so that the list and its search read one index and nothing else.
-- The domain_suffixes table stays the one that lets a domain route to one directory only (its
-- unique index) and says which directory that is; a save writes both.
ALTER TABLE directories ADD COLUMN domains TEXT NOT NULL DEFAULT '';

UPDATE directories SET domains = coalesce(
    (SELECT group_concat(domain, ',') FROM
        (SELECT domain FROM domain_suffixes s WHERE s.directory_id = directories.id
         ORDER BY position)),
    '');

DROP INDEX directories_list;
CREATE INDEX directories_list ON directories (
    name, id, client_id, is_hidden, client_secret_stored, client_secret_expires_on, revision,
    logo_placeholder, domains
);
