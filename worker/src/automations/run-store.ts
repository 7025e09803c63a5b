// Run records in D1. A run is one cron slot, webhook delivery or manual start;
// its attempts (each with its own request id, which ties it to the app's logs
// and egress calls) are rows of their own.
import type { Environment } from "../core/env";
import { newId } from "../core/ids";
import type { Run, RunStatus, RunAttempt } from "../core/api-shapes/automations";

/** Largest input or output kept with a run, in bytes of JSON. */
export const MAX_RUN_DATA_BYTES = 64 * 1024;

/** A run as the API shows it (core/api-shapes/automations.ts). */
export type RunRecord = Run;

/** A run about to be recorded. */
export type NewRun = Pick<
  RunRecord,
  "appId" | "environment" | "automation" | "trigger" | "triggerKey" | "scheduledAt" | "maxAttempts"
> & {
  status: "queued" | "skipped";
  input?: unknown;
  /** Why a skipped run did not start. */
  reason?: string;
};

const COLUMNS = `id, app_id AS appId, environment, automation, trigger, trigger_key AS triggerKey, scheduled_at AS scheduledAt, status, attempt,
  max_attempts AS maxAttempts, next_attempt_at AS nextAttemptAt, idempotency_key AS idempotencyKey, version, input_json AS input,
  output_json AS output, error, created_at AS createdAt, started_at AS startedAt, ended_at AS endedAt`;

type Row = Omit<RunRecord, "input" | "output"> & { input: string | null; output: string | null };
const fromRow = (row: Row): RunRecord => ({ ...row, input: parse(row.input), output: parse(row.output) });

function parse(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

/** JSON of a run's data, cut to a preview when it is larger than the bound. */
export function boundedJson(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes <= MAX_RUN_DATA_BYTES) return text;
  return JSON.stringify({ truncated: true, bytes, start: text.slice(0, 4096) });
}

/**
 * The statement that records a run unless its trigger key was recorded
 * already (`meta.changes` is 0 then): how a slot or delivery happens once.
 * The id is chosen here, so the caller knows it before the batch runs.
 */
export function insertRun(db: D1Database, run: NewRun, now: Date): { id: string; statement: D1PreparedStatement } {
  const id = newId("run");
  const statement = db
    .prepare(
      `INSERT INTO automation_runs (id, app_id, environment, automation, trigger, trigger_key, scheduled_at, status, max_attempts, idempotency_key,
         input_json, error, created_at, ended_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
       ON CONFLICT (app_id, environment, automation, trigger_key) DO NOTHING`,
    )
    .bind(
      id,
      run.appId,
      run.environment,
      run.automation,
      run.trigger,
      run.triggerKey,
      run.scheduledAt,
      run.status,
      run.maxAttempts,
      // Stable for the run's life: every retry hands the app (and Stripe) the same key.
      `${run.appId}:${run.automation}:${run.triggerKey}`,
      run.input === undefined ? null : boundedJson(run.input),
      run.reason ?? null,
      now.toISOString(),
      run.status === "skipped" ? now.toISOString() : null,
    );
  return { id, statement };
}

/** One run, or null. */
export async function findRun(db: D1Database, runId: string): Promise<RunRecord | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM automation_runs WHERE id = ?`).bind(runId).first<Row>();
  return row ? fromRow(row) : null;
}

/** The run recorded for a trigger key, or null. */
export async function findRunByKey(
  db: D1Database,
  appId: string,
  environment: Environment,
  automation: string,
  triggerKey: string,
): Promise<RunRecord | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS} FROM automation_runs WHERE app_id = ? AND environment = ? AND automation = ? AND trigger_key = ?`,
    )
    .bind(appId, environment, automation, triggerKey)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/** Filters of the run listing. */
export interface RunQuery {
  automation?: string | undefined;
  status?: RunStatus | undefined;
  /** Only runs created before this run (paging back in time). */
  before?: string | undefined;
  limit: number;
}

/** An app's runs, newest first. */
export async function listRuns(db: D1Database, appId: string, query: RunQuery): Promise<RunRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM automation_runs
       WHERE app_id = ?1 AND (?2 IS NULL OR automation = ?2) AND (?3 IS NULL OR status = ?3)
         AND (?4 IS NULL OR created_at < (SELECT created_at FROM automation_runs WHERE id = ?4))
       ORDER BY created_at DESC, id DESC LIMIT ?5`,
    )
    .bind(appId, query.automation ?? null, query.status ?? null, query.before ?? null, query.limit)
    .all<Row>();
  return results.map(fromRow);
}

/** The attempts of a run, first first. */
export async function listAttempts(db: D1Database, runId: string): Promise<RunAttempt[]> {
  const { results } = await db
    .prepare(
      `SELECT attempt, request_id AS requestId, version, status, error, started_at AS startedAt, ended_at AS endedAt
       FROM automation_run_attempts WHERE run_id = ? ORDER BY attempt`,
    )
    .bind(runId)
    .all<RunAttempt>();
  return results;
}

/** Names of an app's automations (in `environment`) with a run still going: queued, running or waiting to retry. */
export async function automationsWithRunGoing(
  db: D1Database,
  appIds: string[],
  environment: Environment,
): Promise<Set<string>> {
  const apps = [...new Set(appIds)];
  const going = new Set<string>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < apps.length; i += 90) {
    const chunk = apps.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT DISTINCT app_id AS appId, automation FROM automation_runs
         WHERE environment = ? AND status IN ('queued', 'running', 'retrying') AND app_id IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(environment, ...chunk)
      .all<{ appId: string; automation: string }>();
    for (const row of results) going.add(`${row.appId}:${row.automation}`);
  }
  return going;
}

/**
 * Takes the next attempt of a run if it is waiting for one now; null when
 * another dispatcher took it, it finished, or its retry is not due yet.
 */
export async function claimAttempt(
  db: D1Database,
  runId: string,
  version: string,
  now: Date,
): Promise<{ run: RunRecord; requestId: string } | null> {
  const stamp = now.toISOString();
  const row = await db
    .prepare(
      `UPDATE automation_runs SET status = 'running', attempt = attempt + 1, version = ?1, next_attempt_at = NULL, error = NULL,
         started_at = COALESCE(started_at, ?2)
       WHERE id = ?3 AND status IN ('queued', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= ?2)
       RETURNING ${COLUMNS}`,
    )
    .bind(version, stamp, runId)
    .first<Row>();
  if (!row) return null;
  const requestId = newId("req");
  await db
    .prepare(
      "INSERT INTO automation_run_attempts (run_id, attempt, request_id, version, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
    )
    .bind(runId, row.attempt, requestId, version, stamp)
    .run();
  return { run: fromRow(row), requestId };
}

/** How an attempt ended: done (with output), or failed and either retried at `retryAt` or given up. */
export type AttemptOutcome = { ok: true; output: unknown } | { ok: false; error: string; retryAt: Date | null };

/** Records the end of the current attempt of a run. */
export async function finishAttempt(db: D1Database, run: RunRecord, outcome: AttemptOutcome, now: Date): Promise<void> {
  const stamp = now.toISOString();
  const attemptStatus = outcome.ok ? "succeeded" : "failed";
  const runUpdate = outcome.ok
    ? db
        .prepare("UPDATE automation_runs SET status = 'succeeded', output_json = ?, ended_at = ? WHERE id = ?")
        .bind(boundedJson(outcome.output), stamp, run.id)
    : outcome.retryAt
      ? db
          .prepare("UPDATE automation_runs SET status = 'retrying', error = ?, next_attempt_at = ? WHERE id = ?")
          .bind(outcome.error, outcome.retryAt.toISOString(), run.id)
      : db
          .prepare("UPDATE automation_runs SET status = 'failed', error = ?, ended_at = ? WHERE id = ?")
          .bind(outcome.error, stamp, run.id);
  await db.batch([
    runUpdate,
    db
      .prepare(
        "UPDATE automation_run_attempts SET status = ?, error = ?, ended_at = ? WHERE run_id = ? AND attempt = ?",
      )
      .bind(attemptStatus, outcome.ok ? null : outcome.error, stamp, run.id, run.attempt),
  ]);
}

/** Runs left `running` since before `startedBefore` (Kiln stopped during them): their attempt is over. */
export async function abandonedRuns(db: D1Database, startedBefore: Date, limit: number): Promise<RunRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM automation_runs r WHERE status = 'running'
         AND (SELECT started_at FROM automation_run_attempts a WHERE a.run_id = r.id AND a.attempt = r.attempt) < ? LIMIT ?`,
    )
    .bind(startedBefore.toISOString(), limit)
    .all<Row>();
  return results.map(fromRow);
}

/** Runs waiting to start: retries that are due, and queued runs whose dispatch was lost (older than `queuedBefore`). */
export async function runsToRedispatch(
  db: D1Database,
  now: Date,
  queuedBefore: Date,
  limit: number,
): Promise<{ id: string; appId: string; automation: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, app_id AS appId, automation FROM automation_runs
       WHERE (status = 'retrying' AND next_attempt_at <= ?1) OR (status = 'queued' AND created_at < ?2)
       ORDER BY created_at LIMIT ?3`,
    )
    .bind(now.toISOString(), queuedBefore.toISOString(), limit)
    .all<{ id: string; appId: string; automation: string }>();
  return results;
}
