-- Identity: the admin user list is ordered newest first; profile stats read refunds per
-- booking; sessions can be listed per user. IF NOT EXISTS: another issue may add the same.
CREATE INDEX IF NOT EXISTS users_created ON users(created_at, id);
CREATE INDEX IF NOT EXISTS refunds_booking ON refunds(booking_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user_id);
