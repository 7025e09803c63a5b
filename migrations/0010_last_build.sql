-- The outcome of each app's most recent build (a hand save, a chat or template
-- turn, each repair attempt): one row per app, replaced by every build. A failed
-- build's diagnostics are otherwise only in the failing response, so the Code
-- tab could not show them after a reload or after a chat turn built the code.
CREATE TABLE app_last_builds (
  app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
  -- "ok": deployed to preview; "failed": a step refused the code; "needs_confirmation":
  -- the code built but would remove preview data, so it waits for the person's go-ahead.
  status TEXT NOT NULL,
  -- The step that refused it (deploy-source.ts' DeployStage); null when ok.
  stage TEXT,
  message TEXT,
  -- [{ file, line, column, message }], 1-based editor coordinates.
  diagnostics_json TEXT NOT NULL DEFAULT '[]',
  -- The version the build made (ok), or null.
  version TEXT,
  -- What preview serves after this build (the new version, or the one still serving).
  preview_version TEXT,
  user_id TEXT NOT NULL,
  built_at TEXT NOT NULL
);
