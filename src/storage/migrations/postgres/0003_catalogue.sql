-- Catalogue search and listing (PostgreSQL).
-- events.search_text is name and description case-folded by the application (one folding for
-- both engines); a pg_trgm GIN index answers substring searches (LIKE on the folded text).
ALTER TABLE events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE events SET search_text = lower(name) || chr(31) || lower(description);

-- pg_trgm is a trusted extension (a database owner may create it). It lives in one schema
-- per database; the operator class is looked up wherever it was installed.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
DO $$
DECLARE
  trgm_schema TEXT;
BEGIN
  SELECT n.nspname INTO trgm_schema FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX events_search ON events USING gin (search_text %I.gin_trgm_ops)',
                 trgm_schema);
END $$;

CREATE INDEX venues_name ON venues(name, id);
