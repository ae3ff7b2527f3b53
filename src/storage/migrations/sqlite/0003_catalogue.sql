-- Catalogue search and listing (SQLite).
-- events.search_text is name and description case-folded by the application (one folding for
-- both engines); a trigram FTS5 index over it answers substring searches (GLOB, case-sensitive
-- on the folded text). Triggers keep the index in step with the events table.
ALTER TABLE events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE events SET search_text = lower(name) || char(31) || lower(description);

CREATE VIRTUAL TABLE events_search USING fts5(
  event_id UNINDEXED, search_text, tokenize = 'trigram case_sensitive 1');
INSERT INTO events_search (event_id, search_text) SELECT id, search_text FROM events;

CREATE TRIGGER events_search_insert AFTER INSERT ON events BEGIN
  INSERT INTO events_search (event_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER events_search_update AFTER UPDATE OF search_text ON events
  WHEN old.search_text IS NOT new.search_text BEGIN
  DELETE FROM events_search WHERE event_id = old.id;
  INSERT INTO events_search (event_id, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
  DELETE FROM events_search WHERE event_id = old.id;
END;

CREATE INDEX venues_name ON venues(name, id);
