-- Automations: what each version declares, what the live one schedules, and
-- a record of every run (cron slot, webhook delivery, manual start).

-- The automations a version's code exports (settings only, as JSON).
ALTER TABLE versions ADD COLUMN automations_json TEXT NOT NULL DEFAULT '[]';

-- The automations of each app's live version: the minute tick reads the due
-- ones. A name the live version stops declaring is kept (active = 0) with its
-- history; declaring it again brings back the same webhook URL.
CREATE TABLE automations (
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  cron TEXT,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  -- Secret part of the webhook URL (/api/hooks/automations/<id>); null without a webhook trigger.
  webhook_id TEXT UNIQUE,
  missed TEXT NOT NULL DEFAULT 'run_once',
  attempts INTEGER NOT NULL DEFAULT 3,
  active INTEGER NOT NULL DEFAULT 1,
  -- The oldest fire time not dispatched yet (ISO-8601, UTC); null when it has no schedule.
  next_slot_at TEXT,
  -- Slots in a row whose run failed; 3 or more marks the automation as failing.
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (app_id, name)
);
CREATE INDEX automations_due ON automations(active, next_slot_at);

-- One row per run. The unique trigger key makes each cron slot (cron:<time>),
-- webhook delivery (webhook:<delivery id>, stripe:<event id>) and manual start
-- happen once, however many ticks or deliveries ask for it.
CREATE TABLE automation_runs (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  automation TEXT NOT NULL,
  trigger TEXT NOT NULL,
  trigger_key TEXT NOT NULL,
  scheduled_at TEXT,
  -- queued | running | retrying | succeeded | failed | skipped
  status TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  next_attempt_at TEXT,
  idempotency_key TEXT NOT NULL,
  version TEXT,
  input_json TEXT,
  output_json TEXT,
  -- Why it failed or was skipped, in plain words.
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  UNIQUE (app_id, environment, automation, trigger_key)
);
CREATE INDEX automation_runs_by_app ON automation_runs(app_id, created_at);
CREATE INDEX automation_runs_by_automation ON automation_runs(app_id, automation, created_at);
CREATE INDEX automation_runs_pending ON automation_runs(status, next_attempt_at);

-- Each attempt of a run: its request id ties it to the app's logs and its egress calls.
CREATE TABLE automation_run_attempts (
  run_id TEXT NOT NULL REFERENCES automation_runs(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  version TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  PRIMARY KEY (run_id, attempt)
);
