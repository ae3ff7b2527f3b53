-- Evently schema v1 (PostgreSQL). Instants are epoch milliseconds (UTC); money is integer minor units.
CREATE TABLE users (
  id UUID PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  full_name TEXT NOT NULL,
  phone TEXT,
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE refresh_tokens (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL REFERENCES users(id),
  family_id UUID NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE venues (
  id UUID PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  capacity BIGINT NOT NULL,
  layout_config TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE events (
  id UUID PRIMARY KEY,
  venue_id UUID NOT NULL REFERENCES venues(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  cancelled_at BIGINT,
  seat_version BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX events_start ON events(start_time);
CREATE INDEX events_venue ON events(venue_id, start_time);

-- A section of the seat layout; its name is the price tier.
CREATE TABLE event_sections (
  event_id UUID NOT NULL REFERENCES events(id),
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  price BIGINT NOT NULL,
  rows_json TEXT NOT NULL,
  seats_per_row BIGINT NOT NULL,
  seat_count BIGINT NOT NULL,
  available BIGINT NOT NULL,
  PRIMARY KEY (event_id, position),
  UNIQUE (event_id, name)
);

CREATE TABLE seats (
  id UUID PRIMARY KEY,
  event_id UUID NOT NULL REFERENCES events(id),
  section_position BIGINT NOT NULL,
  row_position BIGINT NOT NULL,
  row_label TEXT NOT NULL,
  seat_number BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'held', 'booked')),
  booking_id UUID,
  offer_id UUID,
  updated_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (event_id, section_position, row_position, seat_number)
);
CREATE INDEX seats_event_status ON seats(event_id, status);
CREATE INDEX seats_booking ON seats(booking_id) WHERE booking_id IS NOT NULL;

CREATE TABLE booking_code_counters (
  day TEXT PRIMARY KEY,
  last_value BIGINT NOT NULL
);

CREATE TABLE bookings (
  id UUID PRIMARY KEY,
  event_id UUID NOT NULL REFERENCES events(id),
  user_id UUID NOT NULL REFERENCES users(id),
  booking_code TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'expired')),
  total_amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  cancelled_at BIGINT,
  refund_status TEXT,
  refund_amount BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX bookings_user ON bookings(user_id, created_at);
CREATE INDEX bookings_event ON bookings(event_id, status);
CREATE INDEX bookings_pending_expiry ON bookings(expires_at) WHERE status = 'pending';
CREATE INDEX bookings_created ON bookings(created_at);

CREATE TABLE booking_seats (
  booking_id UUID NOT NULL REFERENCES bookings(id),
  event_id UUID NOT NULL,
  seat_id UUID NOT NULL REFERENCES seats(id),
  section_name TEXT NOT NULL,
  row_label TEXT NOT NULL,
  seat_number BIGINT NOT NULL,
  price BIGINT NOT NULL,
  PRIMARY KEY (booking_id, seat_id)
);

CREATE TABLE payments (
  id UUID PRIMARY KEY,
  booking_id UUID NOT NULL REFERENCES bookings(id),
  event_id UUID NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  method TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'refunded')),
  gateway_reference TEXT,
  failure_reason TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX payments_booking ON payments(booking_id);

CREATE TABLE refunds (
  id UUID PRIMARY KEY,
  booking_id UUID NOT NULL REFERENCES bookings(id),
  payment_id UUID NOT NULL REFERENCES payments(id),
  event_id UUID NOT NULL,
  amount BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  completed_at BIGINT
);
CREATE INDEX refunds_due ON refunds(next_attempt_at) WHERE status = 'processing';

CREATE TABLE idempotency_keys (
  user_id UUID NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  response_status BIGINT,
  response_headers TEXT,
  response_body TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_expiry ON idempotency_keys(expires_at);

CREATE TABLE waitlist_entries (
  id UUID PRIMARY KEY,
  event_id UUID NOT NULL REFERENCES events(id),
  user_id UUID NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'converted', 'left', 'lapsed')),
  notify_email BIGINT NOT NULL DEFAULT 1,
  notify_sms BIGINT NOT NULL DEFAULT 0,
  offer_expires_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX waitlist_active ON waitlist_entries(event_id, user_id)
  WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_queue ON waitlist_entries(event_id, status, created_at);

CREATE TABLE notifications (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  event_id UUID,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

CREATE TABLE outbox (
  id UUID PRIMARY KEY,
  notification_id UUID NOT NULL REFERENCES notifications(id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
