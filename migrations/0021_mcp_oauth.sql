-- OAuth for MCP clients of an app host's /mcp (worker/src/access/mcp-oauth): clients registered dynamically (RFC 7591),
-- one-time authorization codes and refresh tokens, each bound to one app environment. Codes and refresh tokens are
-- stored as SHA-256 hashes only; access tokens live beside visitor sessions in the app environment's own database.
CREATE TABLE mcp_oauth_clients (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  name TEXT NOT NULL,
  redirect_uris_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX mcp_oauth_clients_app ON mcp_oauth_clients(app_id, environment);

CREATE TABLE mcp_oauth_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES mcp_oauth_clients(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  email TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE mcp_oauth_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES mcp_oauth_clients(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  email TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX mcp_oauth_refresh_tokens_app ON mcp_oauth_refresh_tokens(app_id, environment, email);
