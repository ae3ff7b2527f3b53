-- Every charge is recorded as an attempt before the gateway is called (its id is the gateway's
-- Idempotency-Key), so a charge that a crash separated from its booking is found again and
-- settled: recorded with the booking's confirmation, or voided by the reconciler.
CREATE TABLE payment_attempts (
  id UUID PRIMARY KEY,
  booking_id UUID NOT NULL REFERENCES bookings(id),
  user_id UUID NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  gateway TEXT NOT NULL,
  method TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('started', 'recorded', 'voided', 'failed')),
  gateway_reference TEXT,
  created_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  settled_at BIGINT
);
CREATE INDEX payment_attempts_open ON payment_attempts(lease_until) WHERE state = 'started';
CREATE INDEX payment_attempts_booking ON payment_attempts(booking_id);

-- A succeeded payment is an authorization until it is captured (gateways with a two-step flow);
-- the capture job takes those of confirmed bookings. Earlier payments were captured at once.
ALTER TABLE payments ADD COLUMN attempt_id UUID;
ALTER TABLE payments ADD COLUMN captured_at BIGINT;
ALTER TABLE payments ADD COLUMN capture_lease_until BIGINT NOT NULL DEFAULT 0;
UPDATE payments SET captured_at = created_at WHERE status IN ('succeeded', 'refunded');
CREATE INDEX payments_to_capture ON payments(created_at)
  WHERE status = 'succeeded' AND captured_at IS NULL;
