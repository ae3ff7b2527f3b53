-- Every hold, confirmation and release changes a seat's status. The (event_id, status) index
-- made each of those writes update one more index, and led SQLite's planner away from the
-- primary key; the unique (event_id, section, row, seat) index already serves reads by event.
DROP INDEX IF EXISTS seats_event_status;
