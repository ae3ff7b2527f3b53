-- Refresh tokens past their expiry are deleted by a periodic job (they can no longer be spent,
-- and a family's live tokens expire later than its spent ones); this index finds them.
CREATE INDEX IF NOT EXISTS refresh_tokens_expiry ON refresh_tokens(expires_at);
