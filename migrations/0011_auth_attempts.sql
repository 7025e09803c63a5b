-- Failed sign-in attempts, counted per key in fixed windows, so guessing
-- passwords (and, later, visitors' sign-in codes) meets a 429. A key is the
-- SHA-256 of "<scope>:<value>" (an email or a client address): neither is
-- stored in clear.
CREATE TABLE auth_attempts (
  key TEXT PRIMARY KEY,
  -- Start of the current window, in seconds since the epoch.
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);
