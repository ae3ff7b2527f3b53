-- An event's terms of sale: when the sale starts (NULL: on sale from the moment it exists) and
-- how many seats one user's live bookings may hold (NULL: no limit). The hold batch reads both
-- with the event's lock; the limit is counted over the user's bookings of the event.
ALTER TABLE events ADD COLUMN sale_starts_at BIGINT;
ALTER TABLE events ADD COLUMN max_tickets_per_user INTEGER
  CHECK (max_tickets_per_user BETWEEN 1 AND 100);
CREATE INDEX bookings_event_user ON bookings(event_id, user_id);
