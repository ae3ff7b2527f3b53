-- Waitlist offers, live seat maps and notification delivery (SQLite).
-- An entry of an event that is cancelled is closed as 'cancelled'; SQLite changes a CHECK
-- constraint by rebuilding the table (nothing references waitlist_entries).
CREATE TABLE waitlist_entries_v4 (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL
    CHECK (status IN ('waiting', 'offered', 'converted', 'left', 'lapsed', 'cancelled')),
  notify_email INTEGER NOT NULL DEFAULT 1,
  notify_sms INTEGER NOT NULL DEFAULT 0,
  offer_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO waitlist_entries_v4 (id, event_id, user_id, status, notify_email, notify_sms,
  offer_expires_at, created_at, updated_at)
  SELECT id, event_id, user_id, status, notify_email, notify_sms, offer_expires_at, created_at,
  updated_at FROM waitlist_entries;
DROP TABLE waitlist_entries;
ALTER TABLE waitlist_entries_v4 RENAME TO waitlist_entries;
CREATE UNIQUE INDEX waitlist_active ON waitlist_entries(event_id, user_id)
  WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_queue ON waitlist_entries(event_id, status, created_at);
-- The seats of an offer; offers due to lapse; a user's entries; due deliveries per channel.
CREATE INDEX IF NOT EXISTS seats_offer ON seats(offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS waitlist_offers_due ON waitlist_entries(offer_expires_at)
  WHERE status = 'offered';
CREATE INDEX IF NOT EXISTS waitlist_user ON waitlist_entries(user_id, created_at);
CREATE INDEX IF NOT EXISTS outbox_channel_due ON outbox(channel, next_attempt_at)
  WHERE status = 'pending';
