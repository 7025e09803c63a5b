-- OAuth for MCP clients of Kiln's own /mcp (worker/src/mcp/oauth): clients registered dynamically (RFC 7591),
-- grants (one owner's consent to one client: a family of codes and tokens, revoked as one, ending at expires_at
-- whatever the rotation), one-time authorization codes, and access and refresh tokens. Codes and tokens are stored
-- as SHA-256 hashes only. A user's grants, codes and tokens go with their account; a grant's codes and tokens with it.
CREATE TABLE owner_mcp_clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  redirect_uris_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- created_at, expires_at (absolute: 90 days from consent) and last_used_at are epoch milliseconds.
CREATE TABLE owner_mcp_grants (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES owner_mcp_clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX owner_mcp_grants_user ON owner_mcp_grants(user_id, expires_at);
CREATE INDEX owner_mcp_grants_client ON owner_mcp_grants(client_id);

-- A used code is kept while its grant lives: presented again, it revokes the grant (OAuth 2.1 section 4.1.3).
CREATE TABLE owner_mcp_codes (
  code_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES owner_mcp_grants(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES owner_mcp_clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX owner_mcp_codes_user ON owner_mcp_codes(user_id);
CREATE INDEX owner_mcp_codes_grant ON owner_mcp_codes(grant_id);

-- kind 'access': the bearer token /mcp takes (1 hour); kind 'refresh': spent once for a new pair (30 days, never past
-- its grant's end). A spent refresh token is kept (used_at) until it expires: presented again, it revokes the grant.
CREATE TABLE owner_mcp_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES owner_mcp_grants(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
  client_id TEXT NOT NULL REFERENCES owner_mcp_clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX owner_mcp_tokens_user ON owner_mcp_tokens(user_id, expires_at);
CREATE INDEX owner_mcp_tokens_grant ON owner_mcp_tokens(grant_id);
