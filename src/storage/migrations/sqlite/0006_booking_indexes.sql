-- Refund lookups by payment (every "was this charge refunded?" check on the booking path).
CREATE INDEX IF NOT EXISTS refunds_payment ON refunds(payment_id);
