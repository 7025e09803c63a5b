-- AI in apps (kiln/ai), held before it is spent: a call first holds its estimate (input from its size and framing,
-- plus the most it may answer) as one row of ai_holds, inserted only if the app's month and, on the operator's shared
-- model, its owner's month can still take it (one conditional INSERT, so concurrent calls can never together pass
-- either limit, and a call holds against both or neither). Settling deletes the row and adds the provider's count.
-- A hold whose settle never ran (the caller went away, the process died) stops counting at `expires_at`, and the
-- minute cron deletes it. The operator's model is capped per owner (all their apps together) per calendar month
-- (KILN_AI_OWNER_MONTHLY_TOKENS).

-- One row per call under way. owner_id: set when the operator's shared model answers (it counts against the owner's
-- allowance too); null with the owner's own key or the demo model. month: `YYYY-MM`, UTC, of the hold.
CREATE TABLE ai_holds (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  owner_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  tokens INTEGER NOT NULL CHECK (tokens > 0),
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX ai_holds_app ON ai_holds (app_id, month, expires_at);
CREATE INDEX ai_holds_owner ON ai_holds (owner_id, month, expires_at) WHERE owner_id IS NOT NULL;
CREATE INDEX ai_holds_expiry ON ai_holds (expires_at);

-- One row per owner and month (`YYYY-MM`, UTC): tokens their apps used of the operator's model.
CREATE TABLE owner_ai_usage (
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  used_tokens INTEGER NOT NULL DEFAULT 0,
  calls INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (owner_id, month)
);
