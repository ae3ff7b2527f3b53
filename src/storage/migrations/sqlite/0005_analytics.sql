-- Per-day roll-ups kept in step with bookings inside the same transactions, so the dashboard
-- reads a few thousand rows instead of scanning a million bookings.
CREATE TABLE daily_event_stats (
  day TEXT NOT NULL,
  event_id TEXT NOT NULL,
  holds INTEGER NOT NULL DEFAULT 0,
  confirmations INTEGER NOT NULL DEFAULT 0,
  cancellations INTEGER NOT NULL DEFAULT 0,
  abandoned INTEGER NOT NULL DEFAULT 0,
  expirations INTEGER NOT NULL DEFAULT 0,
  revenue INTEGER NOT NULL DEFAULT 0,
  refunds INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event_id)
);
CREATE INDEX daily_event_stats_event ON daily_event_stats(event_id, day);

CREATE TABLE daily_tier_stats (
  day TEXT NOT NULL,
  event_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  seats_sold INTEGER NOT NULL DEFAULT 0,
  seats_refunded INTEGER NOT NULL DEFAULT 0,
  revenue INTEGER NOT NULL DEFAULT 0,
  refunds INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event_id, tier)
);

-- Seats currently sold per section (confirmed bookings), for utilization without counting seats.
ALTER TABLE event_sections ADD COLUMN sold INTEGER NOT NULL DEFAULT 0;
