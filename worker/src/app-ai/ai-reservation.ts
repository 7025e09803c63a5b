// Tokens held for an AI call before it is sent, and settled to what the provider counted after. Each hold is one
// conditional UPDATE (`… WHERE used + reserved + ? <= budget`), which D1 runs one at a time, so calls made at the
// same moment can never together pass the app's budget or its owner's shared allowance (migration 0023).
import { budgetExceededMessage, DEFAULT_MONTHLY_TOKENS, readAiBudget, usageMonth } from "./ai-budget";
import { ownerAllowanceExceededMessage } from "./owner-allowance";

/** The least answer worth sending a call for; an app that asked for less gets what it asked. */
export const MIN_ANSWER_TOKENS = 64;

// A hold that lost a race for the last tokens is tried again with what is left then.
const RESERVE_ATTEMPTS = 3;

/** Tokens held for one call: its input estimate and the most it may answer, in the month they were held. */
export interface AiReservation {
  appId: string;
  /** The owner whose shared allowance holds them too; null with the owner's own key or the demo model. */
  sharedOwnerId: string | null;
  month: string;
  inputTokens: number;
  /** The answer's limit for the model: what was asked, cut to what is left (at least MIN_ANSWER_TOKENS). */
  outputTokens: number;
}

/** What a call asks to hold: whose tokens, and how many it may use at most. */
export interface ReservationAsk {
  appId: string;
  /** The owner and their monthly allowance, when the operator's shared model answers. */
  shared: { ownerId: string; monthlyTokens: number } | null;
  inputTokens: number;
  maxOutputTokens: number;
}

/** A hold either made, or refused with the words the app is told (which limit, how much, what the owner can do). */
export type ReservationResult =
  | { ok: true; reservation: AiReservation }
  | { ok: false; limit: "app" | "owner"; message: string };

/**
 * Input tokens of a call, from its size: a UTF-8 byte a third of a token, which errs high for English (about four
 * characters a token) and holds for scripts whose characters take several bytes and tokens each.
 */
export function estimateInputTokens(texts: readonly string[]): number {
  const bytes = texts.reduce((sum, text) => sum + new TextEncoder().encode(text).byteLength, 0);
  // Each message carries a few tokens of framing (its role, separators).
  return Math.ceil(bytes / 3) + 8 * texts.length + 16;
}

/** Holds `ask`'s tokens in the app's month (and the owner's shared allowance), or says which limit refused it. */
export async function reserveAiTokens(
  db: D1Database,
  ask: ReservationAsk,
  now = new Date(),
): Promise<ReservationResult> {
  const month = usageMonth(now);
  const stamp = now.toISOString();
  const least = Math.min(ask.maxOutputTokens, MIN_ANSWER_TOKENS);
  let refused: ReservationResult = { ok: false, limit: "app", message: "" };
  for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
    const left = await tokensLeft(db, ask, month);
    const room = Math.min(left.app, left.owner);
    const outputTokens = Math.min(ask.maxOutputTokens, room - ask.inputTokens);
    if (outputTokens < least) {
      const limit = left.owner < left.app ? "owner" : "app";
      return refusal(db, ask, limit, { tokens: ask.inputTokens + least, left: room, month }, now);
    }
    const amount = ask.inputTokens + outputTokens;
    if (ask.shared && !(await holdOwner(db, ask.shared, month, amount, stamp))) {
      refused = await refusal(db, ask, "owner", { tokens: amount, left: left.owner, month }, now);
      continue;
    }
    if (!(await holdApp(db, ask.appId, month, amount, stamp))) {
      // Handed back at once: the owner's hold only ever made a concurrent call wait, never let one through.
      if (ask.shared) await release(db, { ...ask, month, outputTokens }, stamp);
      refused = await refusal(db, ask, "app", { tokens: amount, left: left.app, month }, now);
      continue;
    }
    return {
      ok: true,
      reservation: {
        appId: ask.appId,
        sharedOwnerId: ask.shared?.ownerId ?? null,
        month,
        inputTokens: ask.inputTokens,
        outputTokens,
      },
    };
  }
  return refused;
}

/**
 * Replaces the hold with what the call used (`spent`, the provider's own count): the rest is released, and a call
 * that used no tokens (never reached a model) is not counted as a call.
 */
export async function settleAiTokens(
  db: D1Database,
  reservation: AiReservation,
  spent: { inputTokens: number; outputTokens: number },
  now = new Date(),
): Promise<void> {
  const held = reservation.inputTokens + reservation.outputTokens;
  const calls = spent.inputTokens + spent.outputTokens > 0 ? 1 : 0;
  const stamp = now.toISOString();
  const statements = [
    db
      .prepare(
        `UPDATE app_ai_usage SET reserved_tokens = MAX(reserved_tokens - ?3, 0), input_tokens = input_tokens + ?4,
           output_tokens = output_tokens + ?5, calls = calls + ?6, updated_at = ?7 WHERE app_id = ?1 AND month = ?2`,
      )
      .bind(reservation.appId, reservation.month, held, spent.inputTokens, spent.outputTokens, calls, stamp),
  ];
  if (reservation.sharedOwnerId !== null)
    statements.push(
      db
        .prepare(
          `UPDATE owner_ai_usage SET reserved_tokens = MAX(reserved_tokens - ?3, 0), used_tokens = used_tokens + ?4,
             calls = calls + ?5, updated_at = ?6 WHERE owner_id = ?1 AND month = ?2`,
        )
        .bind(reservation.sharedOwnerId, reservation.month, held, spent.inputTokens + spent.outputTokens, calls, stamp),
    );
  await db.batch(statements);
}

/** This month's tokens the owner's apps used of the operator's model (held ones not included). */
export async function ownerSharedUsage(db: D1Database, ownerId: string, now = new Date()): Promise<number> {
  const row = await db
    .prepare("SELECT used_tokens AS used FROM owner_ai_usage WHERE owner_id = ? AND month = ?")
    .bind(ownerId, usageMonth(now))
    .first<{ used: number }>();
  return row?.used ?? 0;
}

async function tokensLeft(db: D1Database, ask: ReservationAsk, month: string): Promise<{ app: number; owner: number }> {
  const app = db
    .prepare(
      `SELECT COALESCE((SELECT monthly_tokens FROM app_ai_budgets WHERE app_id = ?1), ?3)
         - COALESCE((SELECT input_tokens + output_tokens + reserved_tokens FROM app_ai_usage WHERE app_id = ?1 AND month = ?2), 0) AS left`,
    )
    .bind(ask.appId, month, DEFAULT_MONTHLY_TOKENS);
  if (!ask.shared) return { app: (await app.first<{ left: number }>())?.left ?? 0, owner: Number.POSITIVE_INFINITY };
  const owner = db
    .prepare(
      "SELECT ?3 - COALESCE((SELECT used_tokens + reserved_tokens FROM owner_ai_usage WHERE owner_id = ?1 AND month = ?2), 0) AS left",
    )
    .bind(ask.shared.ownerId, month, ask.shared.monthlyTokens);
  const [appLeft, ownerLeft] = await db.batch<{ left: number }>([app, owner]);
  return { app: appLeft?.results[0]?.left ?? 0, owner: ownerLeft?.results[0]?.left ?? 0 };
}

async function holdApp(db: D1Database, appId: string, month: string, amount: number, stamp: string): Promise<boolean> {
  const [, held] = await db.batch([
    db
      .prepare("INSERT INTO app_ai_usage (app_id, month, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(appId, month, stamp),
    db
      .prepare(
        `UPDATE app_ai_usage SET reserved_tokens = reserved_tokens + ?3, updated_at = ?4 WHERE app_id = ?1 AND month = ?2
           AND input_tokens + output_tokens + reserved_tokens + ?3 <= COALESCE((SELECT monthly_tokens FROM app_ai_budgets WHERE app_id = ?1), ?5)`,
      )
      .bind(appId, month, amount, stamp, DEFAULT_MONTHLY_TOKENS),
  ]);
  return (held?.meta.changes ?? 0) > 0;
}

async function holdOwner(
  db: D1Database,
  shared: { ownerId: string; monthlyTokens: number },
  month: string,
  amount: number,
  stamp: string,
): Promise<boolean> {
  const [, held] = await db.batch([
    db
      .prepare("INSERT INTO owner_ai_usage (owner_id, month, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(shared.ownerId, month, stamp),
    db
      .prepare(
        `UPDATE owner_ai_usage SET reserved_tokens = reserved_tokens + ?3, updated_at = ?4 WHERE owner_id = ?1
           AND month = ?2 AND used_tokens + reserved_tokens + ?3 <= ?5`,
      )
      .bind(shared.ownerId, month, amount, stamp, shared.monthlyTokens),
  ]);
  return (held?.meta.changes ?? 0) > 0;
}

async function release(
  db: D1Database,
  hold: Pick<ReservationAsk, "shared" | "inputTokens"> & { month: string; outputTokens: number },
  stamp: string,
): Promise<void> {
  if (!hold.shared) return;
  await db
    .prepare(
      "UPDATE owner_ai_usage SET reserved_tokens = MAX(reserved_tokens - ?3, 0), updated_at = ?4 WHERE owner_id = ?1 AND month = ?2",
    )
    .bind(hold.shared.ownerId, hold.month, hold.inputTokens + hold.outputTokens, stamp)
    .run();
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
