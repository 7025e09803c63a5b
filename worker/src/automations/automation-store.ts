// The automations table: what the live version of each app schedules, and
// how each automation is doing. Publishing syncs it; the minute tick reads it.
import { newId } from "../core/ids";
import { parseStoredAutomations } from "./declarations";
import type { AutomationDeclaration, MissedSlotPolicy } from "../core/api-shapes/automations";
import { nextFireTime } from "./schedule";

/** Slots that failed in a row before an automation is marked failing. */
export const FAILING_AFTER = 3;

/** An automation of an app's live version, with its scheduling state. */
export interface ScheduledAutomation {
  appId: string;
  name: string;
  version: string;
  cron: string | null;
  timezone: string;
  webhookId: string | null;
  missed: MissedSlotPolicy;
  attempts: number;
  active: boolean;
  nextSlotAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
}

const COLUMNS = `app_id AS appId, name, version, cron, timezone, webhook_id AS webhookId, missed, attempts, active,
  next_slot_at AS nextSlotAt, consecutive_failures AS consecutiveFailures, last_error AS lastError`;

type Row = Omit<ScheduledAutomation, "active"> & { active: number };
const fromRow = (row: Row): ScheduledAutomation => ({ ...row, active: row.active === 1 });

/**
 * Makes the table match what a newly live version declares. A kept name keeps
 * its webhook URL and failure count; a new or changed schedule starts at its
 * next fire time after `now` (no catching up on slots before it was live);
 * names no longer declared are deactivated, their history kept.
 */
export async function syncLiveAutomations(
  db: D1Database,
  appId: string,
  version: string,
  declared: AutomationDeclaration[],
  now: Date,
): Promise<void> {
  const existing = new Map((await listAutomations(db, appId)).map((a) => [a.name, a]));
  const statements: D1PreparedStatement[] = [];
  const stamp = now.toISOString();
  for (const automation of declared) {
    const before = existing.get(automation.name);
    const sameSchedule = before?.active && before.cron === automation.cron && before.timezone === automation.timezone;
    const nextSlotAt = sameSchedule ? before.nextSlotAt : firstSlotAfter(automation, now);
    const webhookId = automation.webhook ? (before?.webhookId ?? newId("hook")) : (before?.webhookId ?? null);
    statements.push(
      db
        .prepare(
          `INSERT INTO automations (app_id, name, version, cron, timezone, webhook_id, missed, attempts, active, next_slot_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)
           ON CONFLICT (app_id, name) DO UPDATE SET version = ?3, cron = ?4, timezone = ?5, webhook_id = ?6, missed = ?7, attempts = ?8,
             active = 1, next_slot_at = ?9, updated_at = ?10`,
        )
        .bind(
          appId,
          automation.name,
          version,
          automation.cron,
          automation.timezone,
          webhookId,
          automation.missed,
          automation.attempts,
          nextSlotAt,
          stamp,
        ),
    );
  }
  const kept = new Set(declared.map((a) => a.name));
  for (const name of existing.keys()) {
    if (!kept.has(name)) {
      statements.push(
        db
          .prepare(
            "UPDATE automations SET active = 0, next_slot_at = NULL, updated_at = ? WHERE app_id = ? AND name = ?",
          )
          .bind(stamp, appId, name),
      );
    }
  }
  if (statements.length > 0) await db.batch(statements);
}

function firstSlotAfter(automation: AutomationDeclaration, now: Date): string | null {
  if (automation.cron === null) return null;
  return nextFireTime({ cron: automation.cron, timezone: automation.timezone }, now)?.toISOString() ?? null;
}

/** The automations a stored version declares (its code's `automations`), or null when there is no such version. */
export async function automationsOfVersion(
  db: D1Database,
  appId: string,
  version: string,
): Promise<AutomationDeclaration[] | null> {
  const row = await db
    .prepare("SELECT automations_json AS automations FROM versions WHERE app_id = ? AND version = ?")
    .bind(appId, version)
    .first<{ automations: string }>();
  return row ? parseStoredAutomations(row.automations) : null;
}

/** Every automation an app's live version has declared, active ones first. */
export async function listAutomations(db: D1Database, appId: string): Promise<ScheduledAutomation[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM automations WHERE app_id = ? ORDER BY active DESC, name`)
    .bind(appId)
    .all<Row>();
  return results.map(fromRow);
}

/** One automation of an app's live version, or null. */
export async function findAutomation(db: D1Database, appId: string, name: string): Promise<ScheduledAutomation | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM automations WHERE app_id = ? AND name = ?`)
    .bind(appId, name)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/** The active automation behind a webhook URL, or null. */
export async function findByWebhook(db: D1Database, webhookId: string): Promise<ScheduledAutomation | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM automations WHERE webhook_id = ? AND active = 1`)
    .bind(webhookId)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/** Active scheduled automations with a slot due at `now`, oldest slot first. */
export async function dueAutomations(db: D1Database, now: Date, limit: number): Promise<ScheduledAutomation[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM automations WHERE active = 1 AND next_slot_at IS NOT NULL AND next_slot_at <= ? ORDER BY next_slot_at LIMIT ?`,
    )
    .bind(now.toISOString(), limit)
    .all<Row>();
  return results.map(fromRow);
}

/** Moves an automation's next slot forward, unless another tick already did. */
export function advanceSlot(
  db: D1Database,
  automation: ScheduledAutomation,
  nextSlotAt: string | null,
): D1PreparedStatement {
  return db
    .prepare("UPDATE automations SET next_slot_at = ? WHERE app_id = ? AND name = ? AND next_slot_at IS ?")
    .bind(nextSlotAt, automation.appId, automation.name, automation.nextSlotAt);
}

/** Records how a slot's run ended: a success clears the failure count, a failure adds to it. */
export async function recordSlotOutcome(
  db: D1Database,
  appId: string,
  name: string,
  error: string | null,
): Promise<void> {
  if (error === null) {
    await db
      .prepare("UPDATE automations SET consecutive_failures = 0, last_error = NULL WHERE app_id = ? AND name = ?")
      .bind(appId, name)
      .run();
    return;
  }
  await db
    .prepare(
      "UPDATE automations SET consecutive_failures = consecutive_failures + 1, last_error = ? WHERE app_id = ? AND name = ?",
    )
    .bind(error, appId, name)
    .run();
}
