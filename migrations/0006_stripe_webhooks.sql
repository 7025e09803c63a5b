-- Stripe webhook endpoints: one per app per environment. The signing secret
-- is sealed in vault_secrets under the endpoint's id.
CREATE TABLE stripe_webhooks (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL CHECK (environment IN ('preview', 'live')),
  secret_last4 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (app_id, environment)
);

-- Every Stripe event an endpoint accepted, so a redelivery is never handed to the app twice.
CREATE TABLE stripe_webhook_events (
  webhook_id TEXT NOT NULL REFERENCES stripe_webhooks(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  -- processing: being delivered now; delivered: the app handled it; no_handler: the version has none.
  status TEXT NOT NULL CHECK (status IN ('processing', 'delivered', 'no_handler')),
  received_at TEXT NOT NULL,
  PRIMARY KEY (webhook_id, event_id)
);
