-- Dashboard roll-ups that do not grow with the number of events (issue 7). The per-(day, event)
-- rows of 0005 stay for one event's figures and for cutting top events to a date range.
--
-- Global per-day figures and per-day category figures are split into shards picked from the
-- event id and summed on read: a single row per day would be a lock every booking of every
-- event waits for; with 16 shards two events on sale at once share a row about one time in 16
-- (one event's own bookings already serialize on its (day, event) row). Which shard a row lands
-- in never changes a sum, so the backfill below puts history into shard 0.
CREATE TABLE daily_stats (
  day TEXT NOT NULL,
  shard BIGINT NOT NULL,
  holds BIGINT NOT NULL DEFAULT 0,
  confirmations BIGINT NOT NULL DEFAULT 0,
  cancellations BIGINT NOT NULL DEFAULT 0,
  abandoned BIGINT NOT NULL DEFAULT 0,
  expirations BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, shard)
);

CREATE TABLE daily_category_stats (
  day TEXT NOT NULL,
  tier TEXT NOT NULL,
  shard BIGINT NOT NULL,
  seats_sold BIGINT NOT NULL DEFAULT 0,
  seats_refunded BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, tier, shard)
);

-- All-time figures per event: top events over a range are these minus the (day, event) rows
-- outside the range when that is the smaller side.
CREATE TABLE event_stats (
  event_id UUID PRIMARY KEY,
  holds BIGINT NOT NULL DEFAULT 0,
  confirmations BIGINT NOT NULL DEFAULT 0,
  cancellations BIGINT NOT NULL DEFAULT 0,
  abandoned BIGINT NOT NULL DEFAULT 0,
  expirations BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0
);

INSERT INTO daily_stats (day, shard, holds, confirmations, cancellations, abandoned,
                         expirations, revenue, refunds)
SELECT day, 0, SUM(holds), SUM(confirmations), SUM(cancellations), SUM(abandoned),
       SUM(expirations), SUM(revenue), SUM(refunds)
FROM daily_event_stats GROUP BY day;

INSERT INTO daily_category_stats (day, tier, shard, seats_sold, seats_refunded, revenue, refunds)
SELECT day, tier, 0, SUM(seats_sold), SUM(seats_refunded), SUM(revenue), SUM(refunds)
FROM daily_tier_stats GROUP BY day, tier;

INSERT INTO event_stats (event_id, holds, confirmations, cancellations, abandoned, expirations,
                         revenue, refunds)
SELECT event_id, SUM(holds), SUM(confirmations), SUM(cancellations), SUM(abandoned),
       SUM(expirations), SUM(revenue), SUM(refunds)
FROM daily_event_stats GROUP BY event_id;
