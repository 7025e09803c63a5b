-- OAuth for MCP clients of Kiln's own /mcp (worker/src/mcp/oauth): clients registered dynamically (RFC 7591),
-- one-time authorization codes, and access and refresh tokens, each granted by one owner. Codes and tokens are
-- stored as SHA-256 hashes only. A user's codes and tokens go with their account.
CREATE TABLE owner_mcp_clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  redirect_uris_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE owner_mcp_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES owner_mcp_clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX owner_mcp_codes_user ON owner_mcp_codes(user_id);

-- kind 'access': the bearer token /mcp takes (1 hour); kind 'refresh': spent once for a new pair (30 days).
CREATE TABLE owner_mcp_tokens (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
  client_id TEXT NOT NULL REFERENCES owner_mcp_clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX owner_mcp_tokens_user ON owner_mcp_tokens(user_id, expires_at);
