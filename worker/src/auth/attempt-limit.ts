import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/ids";

/** How many failures one key may have in a window before further attempts are refused. */
export interface AttemptRule {
  /** What the value is (`login-email`, `login-ip`, …); part of the stored key, so scopes never share a count. */
  scope: string;
  limit: number;
  windowSeconds: number;
}

/** One thing attempts are counted against: a rule and the value it applies to (an email, a client address). */
export interface AttemptKey {
  rule: AttemptRule;
  value: string;
}

/** 429 for a key past its limit; `retryAfterSeconds` is when its window ends. */
export class TooManyAttemptsError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "too_many_requests", `Too many failed attempts. Wait ${inWords(retryAfterSeconds)} and try again.`, {
      retryAfterSeconds,
    });
  }
}

/** Throws TooManyAttemptsError when any key has used up its failures in its current window. */
export async function refuseWhenLimited(db: D1Database, keys: AttemptKey[], now = new Date()): Promise<void> {
  if (keys.length === 0) return;
  const at = seconds(now);
  const stored = await Promise.all(keys.map(storedKey));
  const rows = await db
    .prepare(
      `SELECT key, window_start AS windowStart, failures FROM auth_attempts WHERE key IN (${stored.map(() => "?").join(", ")})`,
    )
    .bind(...stored)
    .all<{ key: string; windowStart: number; failures: number }>();
  let wait = 0;
  for (const row of rows.results) {
    const { rule } = keys[stored.indexOf(row.key)]!;
    const left = row.windowStart + rule.windowSeconds - at;
    if (left > 0 && row.failures >= rule.limit) wait = Math.max(wait, left);
  }
  if (wait > 0) throw new TooManyAttemptsError(wait);
}

/** Counts one failure against every key (a new window starts when the last one has ended). */
export async function recordFailure(db: D1Database, keys: AttemptKey[], now = new Date()): Promise<void> {
  const at = seconds(now);
  const statements = await Promise.all(
    keys.map(async (key) =>
      db
        .prepare(
          `INSERT INTO auth_attempts (key, window_start, failures) VALUES (?1, ?2, 1)
           ON CONFLICT(key) DO UPDATE SET
             failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END`,
        )
        .bind(await storedKey(key), at, key.rule.windowSeconds),
    ),
  );
  if (statements.length > 0) await db.batch(statements);
}

function storedKey(key: AttemptKey): Promise<string> {
  return sha256Hex(`${key.rule.scope}:${key.value}`);
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function inWords(totalSeconds: number): string {
  if (totalSeconds < 60) return `${totalSeconds} seconds`;
  const minutes = Math.ceil(totalSeconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}
