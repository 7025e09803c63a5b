-- Every event of a chat turn, in order, as it was streamed (worker/src/chat/turn-log.ts): a tab that lost its stream
-- resumes from the last one it saw, and the history shows each turn's steps and cards as they were live.
CREATE TABLE chat_turn_events (
  turn_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  data_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (turn_id, seq)
);
CREATE INDEX chat_turn_events_by_app ON chat_turn_events(app_id, turn_id);
