-- Waitlist offers, live seat maps and notification delivery (PostgreSQL).
-- An entry of an event that is cancelled is closed as 'cancelled'.
ALTER TABLE waitlist_entries DROP CONSTRAINT IF EXISTS waitlist_entries_status_check;
ALTER TABLE waitlist_entries ADD CONSTRAINT waitlist_entries_status_check
  CHECK (status IN ('waiting', 'offered', 'converted', 'left', 'lapsed', 'cancelled'));
-- The seats of an offer; offers due to lapse; a user's entries; due deliveries per channel.
CREATE INDEX IF NOT EXISTS seats_offer ON seats(offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS waitlist_offers_due ON waitlist_entries(offer_expires_at)
  WHERE status = 'offered';
CREATE INDEX IF NOT EXISTS waitlist_user ON waitlist_entries(user_id, created_at);
CREATE INDEX IF NOT EXISTS outbox_channel_due ON outbox(channel, next_attempt_at)
  WHERE status = 'pending';
