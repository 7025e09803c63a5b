-- Visitors' passkeys (worker/src/access/passkeys): one row per credential,
-- scoped to the app host it was made on (its RP ID). Only the public key is
-- kept; a sign-in checks the authenticator's signature with it.
CREATE TABLE visitor_passkeys (
  credential_id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  email TEXT NOT NULL,
  -- The public key as a JWK, and its COSE algorithm (-7 ES256, -257 RS256).
  public_key_json TEXT NOT NULL,
  algorithm INTEGER NOT NULL,
  sign_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  last_used_at TEXT
);
CREATE INDEX visitor_passkeys_email ON visitor_passkeys(app_id, environment, email);

-- Challenges issued to a browser for one ceremony (register or sign in): single
-- use, five minutes. A challenge is public; the signature over it is the proof.
CREATE TABLE visitor_passkey_challenges (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
  -- Who is adding a passkey (register only).
  email TEXT,
  challenge TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
