-- AI in apps (kiln/ai), reserved before it is spent: a call first reserves its estimate (input from its size, plus
-- the most it may answer) with a conditional UPDATE, so concurrent calls can never together pass a budget, then
-- settles to the provider's own count. And the operator's model, shared by every owner without a key of their own,
-- is capped per owner (all their apps together) per calendar month (KILN_AI_OWNER_MONTHLY_TOKENS).

-- Tokens of calls under way (reserved, not yet settled) in the app's month.
ALTER TABLE app_ai_usage ADD COLUMN reserved_tokens INTEGER NOT NULL DEFAULT 0;

-- One row per owner and month (`YYYY-MM`, UTC): tokens their apps used of the operator's model, and those reserved.
CREATE TABLE owner_ai_usage (
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  used_tokens INTEGER NOT NULL DEFAULT 0,
  reserved_tokens INTEGER NOT NULL DEFAULT 0,
  calls INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (owner_id, month)
);
