-- Per-user lookups of recent audit events (e.g. keys refused in the last hour).
CREATE INDEX audit_events_user ON audit_events(user_id, action, created_at);
