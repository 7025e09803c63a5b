-- Credentials owners connect (Stripe and Airtable keys, Google OAuth tokens)
-- and the vault that holds them encrypted. No secret is stored in clear here.

-- One sealed secret per record that owns one (a connection, a pending OAuth
-- flow). AES-256-GCM under a random data key; the data key is wrapped by the
-- master key named by key_id (a fingerprint, never the key). owner_id and
-- record_id are bound into the ciphertext.
CREATE TABLE vault_secrets (
  record_id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  scheme TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  iv TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  key_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX vault_secrets_key ON vault_secrets(key_id);
CREATE INDEX vault_secrets_owner ON vault_secrets(owner_id);

-- An owner's connection to a service; the owner's apps use it. One per
-- connector per owner: connecting again replaces the credential.
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  connector TEXT NOT NULL CHECK (connector IN ('stripe', 'airtable', 'google')),
  status TEXT NOT NULL CHECK (status IN ('connected', 'needs_reconnect')),
  -- What the owner should do when status is needs_reconnect.
  status_message TEXT,
  -- Backed by a local fake's credentials (npm start's demo mode).
  demo INTEGER NOT NULL DEFAULT 0,
  -- Last 4 characters of the key, or of the Google refresh token; all the API ever shows.
  secret_last4 TEXT NOT NULL,
  -- The account at the service, when its check call names it (the Google email).
  account TEXT,
  -- Google: granted scopes (space-separated) and when the access token expires.
  scopes TEXT,
  access_expires_at TEXT,
  -- Bumped on every credential change, so concurrent refreshes cannot overwrite each other.
  secret_version INTEGER NOT NULL DEFAULT 1,
  last_checked_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner_id, connector)
);

-- OAuth authorizations started but not finished; the PKCE verifier is in
-- vault_secrets under this id, the state only as a SHA-256.
CREATE TABLE oauth_flows (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  connector TEXT NOT NULL,
  state_hash TEXT NOT NULL UNIQUE,
  redirect_uri TEXT NOT NULL,
  return_to TEXT,
  demo INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX oauth_flows_owner ON oauth_flows(owner_id);
