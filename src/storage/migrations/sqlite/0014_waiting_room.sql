-- The waiting room (CONTRACT.md, On-sale). An event's queue settings live on its row (all NULL:
-- no queue), so the hold batch's event read, under the event's lock, says whether a hold needs
-- an admission. queue_enabled is 0 or 1.
ALTER TABLE events ADD COLUMN queue_enabled INTEGER CHECK (queue_enabled IN (0, 1));
ALTER TABLE events ADD COLUMN queue_admit_per_minute INTEGER
  CHECK (queue_admit_per_minute BETWEEN 1 AND 600000);
ALTER TABLE events ADD COLUMN queue_window_seconds INTEGER
  CHECK (queue_window_seconds BETWEEN 60 AND 3600);
ALTER TABLE events ADD COLUMN queue_opens_before_seconds INTEGER
  CHECK (queue_opens_before_seconds BETWEEN 0 AND 86400);
-- One ticket per user and event. Waiting tickets are admitted in order_key order: a random key
-- below 2^62 for a join before the sale start, 2^62 + its arrival number after it.
CREATE TABLE queue_tickets (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  order_key INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'admitted', 'expired', 'left', 'sold_out')),
  joined_at INTEGER NOT NULL,
  admitted_at INTEGER,
  admission_expires_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX queue_tickets_user ON queue_tickets(event_id, user_id);
CREATE INDEX queue_tickets_waiting ON queue_tickets(event_id, order_key) WHERE status = 'waiting';
CREATE INDEX queue_tickets_admitted ON queue_tickets(event_id, admission_expires_at)
  WHERE status = 'admitted';
-- Per event: the admission lock (FOR UPDATE on PostgreSQL; SQLite has one writer), the admission
-- allowance spent so far (admitted, or let go while nobody waited), and the joins since the sale
-- start (their arrival numbers). How many were admitted is counted from the tickets.
CREATE TABLE queue_admissions (
  event_id TEXT PRIMARY KEY REFERENCES events(id),
  spent INTEGER NOT NULL DEFAULT 0,
  arrivals INTEGER NOT NULL DEFAULT 0
);
-- The admission job's list of queues whose sale has started.
CREATE INDEX events_queue ON events(sale_starts_at) WHERE queue_enabled = 1;
