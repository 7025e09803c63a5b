-- Times an app version brought the app runner down (or ran past a budget the
-- supervisor enforces), and the versions paused because of it.
CREATE TABLE app_incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  environment TEXT NOT NULL,
  version TEXT NOT NULL,
  request_id TEXT,
  reason TEXT NOT NULL CHECK (reason IN ('time_budget', 'memory_budget', 'crash')),
  message TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX app_incidents_version ON app_incidents(app_id, version, created_at);

CREATE TABLE quarantines (
  app_id TEXT NOT NULL,
  version TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (app_id, version)
);
