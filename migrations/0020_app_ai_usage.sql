-- AI inside apps (kiln/ai): each app's monthly token budget, set by its owner, and the tokens its calls used per
-- calendar month (UTC), counted from the provider's own usage (input + output). The egress proxy refuses a call
-- once the month's total has reached the budget.

-- No row: Kiln's default budget (worker/src/app-ai/ai-budget.ts).
CREATE TABLE app_ai_budgets (
  app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
  monthly_tokens INTEGER NOT NULL CHECK (monthly_tokens >= 0),
  updated_at TEXT NOT NULL
);

-- One row per app and month (`YYYY-MM`), added to after every call that reached a model.
CREATE TABLE app_ai_usage (
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  calls INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (app_id, month)
);

-- An owner's own AI key is a connection like a Stripe key: the connector check of 0003 widened to 'ai'. SQLite
-- cannot change a CHECK in place, so the table is rebuilt with the same columns and rows.
PRAGMA defer_foreign_keys = true;
CREATE TABLE connections_new (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  connector TEXT NOT NULL CHECK (connector IN ('stripe', 'airtable', 'google', 'ai')),
  status TEXT NOT NULL CHECK (status IN ('connected', 'needs_reconnect')),
  status_message TEXT,
  demo INTEGER NOT NULL DEFAULT 0,
  secret_last4 TEXT NOT NULL,
  account TEXT,
  scopes TEXT,
  access_expires_at TEXT,
  secret_version INTEGER NOT NULL DEFAULT 1,
  last_checked_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner_id, connector)
);
INSERT INTO connections_new SELECT id, owner_id, connector, status, status_message, demo, secret_last4, account, scopes,
  access_expires_at, secret_version, last_checked_at, created_at, updated_at FROM connections;
DROP TABLE connections;
ALTER TABLE connections_new RENAME TO connections;
