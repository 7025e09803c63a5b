-- Platform records. Per-app data lives in Durable Objects, bundles in R2.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Browser sessions; only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens for scripts; only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE apps (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  preview_version TEXT,
  live_version TEXT,
  -- Non-secret configuration values the app reads as env.CONFIG.
  config_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
CREATE INDEX apps_owner ON apps(owner_id);

-- Immutable versions, named by the hash of their source.
CREATE TABLE versions (
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  number INTEGER NOT NULL,
  tables_json TEXT NOT NULL,
  warnings_json TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (app_id, version)
);

-- Every time a version became the preview or live one.
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  version TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('upload', 'publish', 'rollback')),
  deployed_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX deployments_app ON deployments(app_id, environment, id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT,
  app_id TEXT,
  action TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX audit_events_app ON audit_events(app_id, id);

-- Console output, uncaught errors and blocked network calls of app requests.
CREATE TABLE app_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  environment TEXT NOT NULL,
  version TEXT,
  request_id TEXT,
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  timestamp TEXT NOT NULL
);
CREATE INDEX app_logs_app ON app_logs(app_id, id);
CREATE INDEX app_logs_request ON app_logs(app_id, request_id);
