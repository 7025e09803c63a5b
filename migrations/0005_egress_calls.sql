-- One row per outbound call an app made (or tried to make) through the
-- egress proxy. Never a credential, a header value or a query value.
CREATE TABLE egress_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  version TEXT NOT NULL,
  request_id TEXT,
  connector TEXT,
  method TEXT NOT NULL,
  host TEXT NOT NULL,
  -- Path, with the names of query parameters but not their values.
  path TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'blocked', 'not_connected', 'rate_limited', 'failed')),
  status INTEGER,
  duration_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX egress_calls_app ON egress_calls(app_id, id DESC);
