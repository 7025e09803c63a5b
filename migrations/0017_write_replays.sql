-- Writes a retried automation run already made to a service with no idempotency key of its own (Google, Airtable):
-- the egress proxy answers a repeat from here instead of sending it again (worker/src/egress/write-replay.ts).
CREATE TABLE write_replays (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  write_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  content_type TEXT,
  body BLOB NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (app_id, environment, write_key, request_hash)
);
CREATE INDEX write_replays_app ON write_replays(app_id, id DESC);

-- The audit names such an answer `replayed` (egress_calls' outcomes are checked, so the table is made again).
CREATE TABLE egress_calls_next (
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
  outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'replayed', 'blocked', 'not_connected', 'rate_limited', 'failed')),
  status INTEGER,
  duration_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
INSERT INTO egress_calls_next SELECT id, app_id, environment, version, request_id, connector, method, host, path, outcome, status, duration_ms, bytes, created_at FROM egress_calls;
DROP TABLE egress_calls;
ALTER TABLE egress_calls_next RENAME TO egress_calls;
CREATE INDEX egress_calls_app ON egress_calls(app_id, id DESC);
