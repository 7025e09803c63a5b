-- Visitors signing in to an app with Google (worker/src/access/google-sign-in.ts):
-- the flows started on an app's sign-in page and not yet finished. The state
-- travels in the URL and is kept only as a hash; the PKCE verifier is sealed in
-- the vault under the flow's id (owner: the app's owner). Used at most once.
CREATE TABLE visitor_google_flows (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  state_hash TEXT NOT NULL UNIQUE,
  next TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX visitor_google_flows_expiry ON visitor_google_flows(expires_at);
