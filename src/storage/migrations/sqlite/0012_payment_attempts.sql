-- Every charge is recorded as an attempt before the gateway is called (its id is the gateway's
-- Idempotency-Key), so a charge that a crash separated from its booking is found again and
-- settled: recorded with the booking's confirmation, or voided by the reconciler.
CREATE TABLE payment_attempts (
  id TEXT PRIMARY KEY,
  booking_id TEXT NOT NULL REFERENCES bookings(id),
  user_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  gateway TEXT NOT NULL,
  method TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('started', 'recorded', 'voided', 'failed')),
  gateway_reference TEXT,
  created_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  settled_at INTEGER
);
CREATE INDEX payment_attempts_open ON payment_attempts(lease_until) WHERE state = 'started';
CREATE INDEX payment_attempts_booking ON payment_attempts(booking_id);

-- A succeeded payment is an authorization until it is captured (gateways with a two-step flow);
-- the capture job takes those of confirmed bookings. Earlier payments were captured at once.
ALTER TABLE payments ADD COLUMN attempt_id TEXT;
ALTER TABLE payments ADD COLUMN captured_at INTEGER;
ALTER TABLE payments ADD COLUMN capture_lease_until INTEGER NOT NULL DEFAULT 0;
UPDATE payments SET captured_at = created_at WHERE status IN ('succeeded', 'refunded');
CREATE INDEX payments_to_capture ON payments(created_at)
  WHERE status = 'succeeded' AND captured_at IS NULL;
