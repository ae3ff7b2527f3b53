-- Idempotency keys are answered in the transaction of the change they answer for: a key is
-- claimed by that transaction (`claim`: the write it belongs to, while the transaction runs) and
-- committed with its answer, so no key is ever left running. Claims of the old design that
-- are still running were left by a node that died; their requests run again on a retry.
ALTER TABLE idempotency_keys ADD COLUMN claim TEXT;
DELETE FROM idempotency_keys WHERE state = 'running';
