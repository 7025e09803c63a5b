-- The conversation that builds each app: one row per turn (a person's message
-- and what Kiln answered). A turn that produced code names the version it
-- deployed to preview and a one-line summary of what changed; a turn that
-- failed keeps the plain-words reason, so the history explains itself.
CREATE TABLE chat_turns (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  -- "model": an LLM wrote the code; "template": no model configured, a template was adapted.
  mode TEXT NOT NULL,
  model TEXT,
  message TEXT NOT NULL,
  -- "running" while the stream is open, then "built", "question" or "failed".
  status TEXT NOT NULL,
  plan TEXT,
  question TEXT,
  summary TEXT,
  failure TEXT,
  version TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  -- The files the turn wrote (paths only; the text is in the version's source).
  files_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX chat_turns_by_app ON chat_turns(app_id, created_at);
