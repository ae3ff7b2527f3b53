-- Per-day roll-ups kept in step with bookings inside the same transactions, so the dashboard
-- reads a few thousand rows instead of scanning a million bookings.
CREATE TABLE daily_event_stats (
  day TEXT NOT NULL,
  event_id UUID NOT NULL,
  holds BIGINT NOT NULL DEFAULT 0,
  confirmations BIGINT NOT NULL DEFAULT 0,
  cancellations BIGINT NOT NULL DEFAULT 0,
  abandoned BIGINT NOT NULL DEFAULT 0,
  expirations BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event_id)
);
CREATE INDEX daily_event_stats_event ON daily_event_stats(event_id, day);

CREATE TABLE daily_tier_stats (
  day TEXT NOT NULL,
  event_id UUID NOT NULL,
  tier TEXT NOT NULL,
  seats_sold BIGINT NOT NULL DEFAULT 0,
  seats_refunded BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event_id, tier)
);

-- Seats currently sold per section (confirmed bookings), for utilization without counting seats.
ALTER TABLE event_sections ADD COLUMN sold BIGINT NOT NULL DEFAULT 0;
