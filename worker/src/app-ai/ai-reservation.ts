// Tokens held for an AI call before it is sent, and settled to what the provider counted after. Each hold is one row
// of ai_holds (migration 0023), inserted by one conditional INSERT that D1 runs alone: calls made at the same moment
// can never together pass the app's budget or its owner's shared allowance, and a hold counts against both or
// neither. A hold nobody settled (the call was torn down) stops counting when it expires, and the cron deletes it.
import { budgetExceededMessage, DEFAULT_MONTHLY_TOKENS, readAiBudget, usageMonth } from "./ai-budget";
import { ownerAllowanceExceededMessage } from "./owner-allowance";

/** The least answer worth sending a call for; an app that asked for less gets what it asked. */
export const MIN_ANSWER_TOKENS = 64;

/** How long a hold outlives its call's timeout: time to settle, and for clocks of different processes to differ. */
export const HOLD_MARGIN_MS = 60_000;

// A hold that lost a race for the last tokens is tried again with what is left then.
const RESERVE_ATTEMPTS = 3;

/** Tokens held for one call: its input estimate and the most it may answer, in the month they were held. */
export interface AiReservation {
  /** The hold's row: settling deletes it. */
  holdId: string;
  appId: string;
  /** The owner whose shared allowance holds them too; null with the owner's own key or the demo model. */
  sharedOwnerId: string | null;
  month: string;
  inputTokens: number;
  /** The answer's limit for the model: what was asked, cut to what is left (at least MIN_ANSWER_TOKENS). */
  outputTokens: number;
}

/** What a call asks to hold: whose tokens, how many it may use at most, and how long it may take. */
export interface ReservationAsk {
  appId: string;
  /** The owner and their monthly allowance, when the operator's shared model answers. */
  shared: { ownerId: string; monthlyTokens: number } | null;
  inputTokens: number;
  maxOutputTokens: number;
  /** The call's timeout: the hold expires HOLD_MARGIN_MS after it, settled or not. */
  callMs: number;
}

/** A hold either made, or refused with the words the app is told (which limit, how much, what the owner can do). */
export type ReservationResult =
  | { ok: true; reservation: AiReservation }
  | { ok: false; limit: "app" | "owner"; message: string };

/** Holds `ask`'s tokens in the app's month (and the owner's shared allowance), or says which limit refused it. */
export async function reserveAiTokens(
  db: D1Database,
  ask: ReservationAsk,
  now = new Date(),
): Promise<ReservationResult> {
  const month = usageMonth(now);
  const least = Math.min(ask.maxOutputTokens, MIN_ANSWER_TOKENS);
  let left = await tokensLeft(db, ask, month, now);
  for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
    const outputTokens = Math.min(ask.maxOutputTokens, Math.min(left.app, left.owner) - ask.inputTokens);
    if (outputTokens < least) break;
    const holdId = `aih_${crypto.randomUUID()}`;
    if (await insertHold(db, ask, { holdId, month, tokens: ask.inputTokens + outputTokens }, now))
      return {
        ok: true,
        reservation: {
          holdId,
          appId: ask.appId,
          sharedOwnerId: ask.shared?.ownerId ?? null,
          month,
          inputTokens: ask.inputTokens,
          outputTokens,
        },
      };
    left = await tokensLeft(db, ask, month, now);
  }
  const room = Math.min(left.app, left.owner);
  const limit = left.owner < left.app ? "owner" : "app";
  return refusal(db, ask, limit, { tokens: ask.inputTokens + least, left: room, month }, now);
}

/**
 * Replaces the hold with what the call used (`spent`, the provider's own count): its row is deleted (again: a no-op)
 * and the usage added, and a call that used no tokens (never reached a model) is not counted as a call.
 */
export async function settleAiTokens(
  db: D1Database,
  reservation: AiReservation,
  spent: { inputTokens: number; outputTokens: number },
  now = new Date(),
): Promise<void> {
  const total = spent.inputTokens + spent.outputTokens;
  const stamp = now.toISOString();
  const statements = [db.prepare("DELETE FROM ai_holds WHERE id = ?").bind(reservation.holdId)];
  if (total > 0) {
    statements.push(
      db
        .prepare(
          `INSERT INTO app_ai_usage (app_id, month, input_tokens, output_tokens, calls, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT (app_id, month) DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
             output_tokens = output_tokens + excluded.output_tokens, calls = calls + 1, updated_at = excluded.updated_at`,
        )
        .bind(reservation.appId, reservation.month, spent.inputTokens, spent.outputTokens, stamp),
    );
    if (reservation.sharedOwnerId !== null)
      statements.push(
        db
          .prepare(
            `INSERT INTO owner_ai_usage (owner_id, month, used_tokens, calls, updated_at) VALUES (?1, ?2, ?3, 1, ?4)
               ON CONFLICT (owner_id, month) DO UPDATE SET used_tokens = used_tokens + excluded.used_tokens,
               calls = calls + 1, updated_at = excluded.updated_at`,
          )
          .bind(reservation.sharedOwnerId, reservation.month, total, stamp),
      );
  }
  await db.batch(statements);
}

/** Deletes holds past their expiry (their calls were torn down before settling); they already count for nothing. */
export async function purgeExpiredAiHolds(db: D1Database, now = new Date()): Promise<number> {
  const result = await db.prepare("DELETE FROM ai_holds WHERE expires_at <= ?").bind(now.toISOString()).run();
  return result.meta.changes ?? 0;
}

/** This month's tokens the owner's apps used of the operator's model (held ones not included). */
export async function ownerSharedUsage(db: D1Database, ownerId: string, now = new Date()): Promise<number> {
  const row = await db
    .prepare("SELECT used_tokens AS used FROM owner_ai_usage WHERE owner_id = ? AND month = ?")
    .bind(ownerId, usageMonth(now))
    .first<{ used: number }>();
  return row?.used ?? 0;
}

// What is spent of a month: used, and held by unexpired holds. ?1 the app, ?2 the owner, ?3 the month, ?4 now.
const APP_SPENT = `COALESCE((SELECT input_tokens + output_tokens FROM app_ai_usage WHERE app_id = ?1 AND month = ?3), 0)
  + (SELECT COALESCE(SUM(tokens), 0) FROM ai_holds WHERE app_id = ?1 AND month = ?3 AND expires_at > ?4)`;
const OWNER_SPENT = `COALESCE((SELECT used_tokens FROM owner_ai_usage WHERE owner_id = ?2 AND month = ?3), 0)
  + (SELECT COALESCE(SUM(tokens), 0) FROM ai_holds WHERE owner_id = ?2 AND month = ?3 AND expires_at > ?4)`;
// ?5 Kiln's default app budget, ?6 the owner's allowance.
const APP_BUDGET = "COALESCE((SELECT monthly_tokens FROM app_ai_budgets WHERE app_id = ?1), ?5)";

async function tokensLeft(
  db: D1Database,
  ask: ReservationAsk,
  month: string,
  now: Date,
): Promise<{ app: number; owner: number }> {
  const row = await db
    .prepare(
      `SELECT ${APP_BUDGET} - (${APP_SPENT}) AS app, CASE WHEN ?2 IS NULL THEN NULL ELSE ?6 - (${OWNER_SPENT}) END AS owner`,
    )
    .bind(
      ask.appId,
      ask.shared?.ownerId ?? null,
      month,
      now.toISOString(),
      DEFAULT_MONTHLY_TOKENS,
      ask.shared?.monthlyTokens ?? 0,
    )
    .first<{ app: number; owner: number | null }>();
  return { app: row?.app ?? 0, owner: row?.owner ?? Number.POSITIVE_INFINITY };
}

// One statement: the row lands only if both the app's month and (shared model) the owner's can take `tokens`.
async function insertHold(
  db: D1Database,
  ask: ReservationAsk,
  hold: { holdId: string; month: string; tokens: number },
  now: Date,
): Promise<boolean> {
  const expires = new Date(now.getTime() + ask.callMs + HOLD_MARGIN_MS).toISOString();
  const result = await db
    .prepare(
      `INSERT INTO ai_holds (id, app_id, owner_id, month, tokens, expires_at, created_at)
         SELECT ?7, ?1, ?2, ?3, ?8, ?9, ?4
         WHERE ${APP_SPENT} + ?8 <= ${APP_BUDGET} AND (?2 IS NULL OR ${OWNER_SPENT} + ?8 <= ?6)`,
    )
    .bind(
      ask.appId,
      ask.shared?.ownerId ?? null,
      hold.month,
      now.toISOString(),
      DEFAULT_MONTHLY_TOKENS,
      ask.shared?.monthlyTokens ?? 0,
      hold.holdId,
      hold.tokens,
      expires,
    )
    .run();
  return (result.meta.changes ?? 0) > 0;
}

async function refusal(
  db: D1Database,
  ask: ReservationAsk,
  limit: "app" | "owner",
  needed: { tokens: number; left: number; month: string },
  now: Date,
): Promise<ReservationResult> {
  if (limit === "owner" && ask.shared) {
    const used = await ownerSharedUsage(db, ask.shared.ownerId, now);
    const message = ownerAllowanceExceededMessage({
      ...needed,
      used,
      needed: needed.tokens,
      monthlyTokens: ask.shared.monthlyTokens,
    });
    return { ok: false, limit, message };
  }
  return { ok: false, limit: "app", message: budgetExceededMessage(await readAiBudget(db, ask.appId, now), needed) };
}
