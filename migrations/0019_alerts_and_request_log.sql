-- Knowing when something breaks: where each owner's alerts go, the digest state
-- that turns sixty failures an hour into two messages, the alerts sent, and a
-- request log per app derived from the app isolates' tail events.

-- Where an owner's alerts go. No row: email on, no webhook. The webhook's signing
-- secret is sealed in vault_secrets under the record id `alerts:<user id>`.
CREATE TABLE alert_settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email_enabled INTEGER NOT NULL DEFAULT 1,
  webhook_url TEXT,
  updated_at TEXT NOT NULL
);

-- One open problem per owner, app, kind and subject (an automation's name, a
-- version, a connection id). The first occurrence is sent at once and opens a
-- window; further ones within it are counted and sent as one digest when it ends.
CREATE TABLE alert_streaks (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  window_started_at TEXT NOT NULL,
  window_ends_at TEXT NOT NULL,
  -- Occurrences since the last message sent.
  pending INTEGER NOT NULL DEFAULT 0,
  -- Occurrences a new window took over from an ended one the digest had not sent yet.
  carried INTEGER NOT NULL DEFAULT 0,
  -- The latest occurrence's detail, in words.
  detail TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, app_id, kind, subject)
);
CREATE INDEX alert_streaks_due ON alert_streaks(window_ends_at) WHERE pending > 0;

-- Alerts sent (at once, digests, recoveries), newest kept per owner.
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  -- first | digest | recovered
  phase TEXT NOT NULL,
  occurrences INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  -- sent | off | failed (email); sent | none | failed (webhook)
  email_status TEXT NOT NULL,
  webhook_status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX alerts_by_user ON alerts(user_id, created_at);

-- Requests an app isolate answered (visitors, automation runs, Stripe events), taken
-- from its tail events off the request path: every error, and up to 10 others a
-- second per app (logs/request-ledger.ts). Path only: query strings may carry secrets.
CREATE TABLE app_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  environment TEXT NOT NULL,
  version TEXT,
  request_id TEXT,
  -- visit | automation | stripe
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  -- Null when the isolate ended without an answer (outcome says why).
  status INTEGER,
  outcome TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  timestamp TEXT NOT NULL
);
CREATE INDEX app_requests_app ON app_requests(app_id, id);
CREATE INDEX app_requests_time ON app_requests(app_id, timestamp);

-- Every request counted per app, environment and minute (the chart): exact even when
-- app_requests keeps only the errors and a sample of a busy app's visits.
CREATE TABLE app_request_minutes (
  app_id TEXT NOT NULL,
  environment TEXT NOT NULL,
  -- ISO time the minute starts.
  minute TEXT NOT NULL,
  requests INTEGER NOT NULL,
  server_errors INTEGER NOT NULL,
  client_errors INTEGER NOT NULL,
  PRIMARY KEY (app_id, minute, environment)
);

-- Rows keyed by app ids without a foreign key (a tail batch may still carry a deleted
-- app's requests: it must not fail) go with their app.
CREATE TRIGGER app_requests_app_deleted AFTER DELETE ON apps BEGIN
  DELETE FROM app_requests WHERE app_id = OLD.id;
  DELETE FROM app_request_minutes WHERE app_id = OLD.id;
  DELETE FROM alert_streaks WHERE app_id = OLD.id;
END;
