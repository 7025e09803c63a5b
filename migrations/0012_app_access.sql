-- Who may use each environment of an app (worker/src/access). No row: the
-- environment's default (access-rule.ts DEFAULT_ACCESS).
CREATE TABLE app_access (
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  -- "public" | "signed_in" | "invited" | "domains" | "owner"
  rule TEXT NOT NULL,
  -- For "domains": ["example.com", ...], lower case.
  domains_json TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (app_id, environment)
);

-- People the owner invited to an app (both environments), each with roles the
-- app declares (`export const roles`).
CREATE TABLE app_visitors (
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  roles_json TEXT NOT NULL DEFAULT '[]',
  invited_at TEXT NOT NULL,
  PRIMARY KEY (app_id, email)
);

-- One-time sign-in codes sent to visitors by email: only a salted SHA-256 of
-- the code is stored; single use, short-lived.
CREATE TABLE visitor_codes (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  email TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX visitor_codes_lookup ON visitor_codes(app_id, environment, email);

-- Mail Kiln sent while no mail service is configured (npm start): shown to the
-- operator in the workspace and printed on the console instead of delivered.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  -- The app the mail is about (its owner sees it in the builder).
  app_id TEXT REFERENCES apps(id) ON DELETE CASCADE,
  to_email TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX outbox_app ON outbox(app_id, created_at);
