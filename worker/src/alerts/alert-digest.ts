// When to send: the first occurrence of a problem at once; further ones within the hour counted and sent as one
// digest when the hour ends (the minute cron flushes); a recovery says so. Sixty failures an hour are two
// messages, not sixty. Each decision is one atomic statement on `alert_streaks`, so concurrent runs agree.
import type { AlertKind } from "../core/api-shapes/alerts";
import { type AlertDeliveryEnv, deliverAlert } from "./alert-delivery";
import { DIGEST_WINDOW_MS } from "./alert-messages";

/** One occurrence of a problem: an automation's final failure, a pause, a revoked connection. */
export interface Occurrence {
  kind: AlertKind;
  /** The app it is about; null for an owner's connection (then `ownerId` says whose). */
  appId: string | null;
  ownerId?: string;
  subject: string;
  detail: string;
}

/** Digests sent per flush at most (the next minute's flush takes the rest). */
export const MAX_DIGESTS_PER_FLUSH = 50;

interface Owner {
  ownerId: string;
  appName: string | null;
}

async function ownerOf(db: D1Database, occurrence: Pick<Occurrence, "appId" | "ownerId">): Promise<Owner | null> {
  if (occurrence.appId === null) return occurrence.ownerId ? { ownerId: occurrence.ownerId, appName: null } : null;
  const row = await db
    .prepare("SELECT owner_id AS ownerId, name AS appName FROM apps WHERE id = ?")
    .bind(occurrence.appId)
    .first<Owner>();
  return row ?? null;
}

/**
 * Records an occurrence and alerts the owner at once when it opens a new window; within an open window it is only
 * counted. Never throws: an alert that cannot be sent must not undo what raised it (the failure is logged).
 */
export async function raiseAlert(env: AlertDeliveryEnv, occurrence: Occurrence, now = new Date()): Promise<void> {
  try {
    const owner = await ownerOf(env.DB, occurrence);
    if (!owner) return;
    const stamp = now.toISOString();
    const ends = new Date(now.getTime() + DIGEST_WINDOW_MS).toISOString();
    // SQLite evaluates every SET expression against the old row, so each CASE sees the window as it was.
    const row = await env.DB.prepare(
      `INSERT INTO alert_streaks (user_id, app_id, kind, subject, window_started_at, window_ends_at, pending, carried, detail, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7, ?5)
       ON CONFLICT (user_id, app_id, kind, subject) DO UPDATE SET
         carried = CASE WHEN window_ends_at <= ?5 THEN pending ELSE carried END,
         pending = CASE WHEN window_ends_at <= ?5 THEN 0 ELSE pending + 1 END,
         window_started_at = CASE WHEN window_ends_at <= ?5 THEN ?5 ELSE window_started_at END,
         window_ends_at = CASE WHEN window_ends_at <= ?5 THEN ?6 ELSE window_ends_at END,
         detail = ?7, updated_at = ?5
       RETURNING window_started_at = ?5 AS opened, carried`,
    )
      .bind(owner.ownerId, occurrence.appId ?? "", occurrence.kind, occurrence.subject, stamp, ends, occurrence.detail)
      .first<{ opened: number; carried: number }>();
    if (row?.opened !== 1) return;
    const carried =
      row.carried > 0 ? `\n\n(It also happened ${row.carried} more times before this that no alert reported yet.)` : "";
    await deliverAlert(
      env,
      owner.ownerId,
      {
        ...occurrence,
        ...owner,
        phase: "first",
        detail: `${occurrence.detail}${carried}`,
        occurrences: 1,
        since: stamp,
      },
      now,
    );
  } catch (error) {
    console.warn(`alerts: could not raise ${occurrence.kind} (${(error as Error).name}: ${(error as Error).message})`);
  }
}

/**
 * Sends the digest of every window that ended with occurrences not yet reported, and opens a new window for each
 * (so a problem that goes on gets one message an hour). Run by the minute cron; answers how many were sent.
 */
export async function flushAlertDigests(env: AlertDeliveryEnv, now = new Date()): Promise<number> {
  const stamp = now.toISOString();
  const { results } = await env.DB.prepare(
    `SELECT user_id AS userId, app_id AS appId, kind, subject, pending FROM alert_streaks
     WHERE pending > 0 AND window_ends_at <= ? ORDER BY window_ends_at LIMIT ?`,
  )
    .bind(stamp, MAX_DIGESTS_PER_FLUSH)
    .all<{ userId: string; appId: string; kind: AlertKind; subject: string; pending: number }>();
  let sent = 0;
  for (const due of results) {
    // Claimed by one flush only: a second one running at the same time finds the window moved on.
    const claimed = await env.DB.prepare(
      `UPDATE alert_streaks SET pending = 0, window_started_at = ?1, window_ends_at = ?2, updated_at = ?1
       WHERE user_id = ?3 AND app_id = ?4 AND kind = ?5 AND subject = ?6 AND pending = ?7 AND window_ends_at <= ?1
       RETURNING detail`,
    )
      .bind(
        stamp,
        new Date(now.getTime() + DIGEST_WINDOW_MS).toISOString(),
        due.userId,
        due.appId,
        due.kind,
        due.subject,
        due.pending,
      )
      .first<{ detail: string }>();
    if (!claimed) continue;
    const appId = due.appId === "" ? null : due.appId;
    const owner = await ownerOf(env.DB, { appId, ownerId: due.userId });
    if (!owner) continue;
    await deliverAlert(
      env,
      due.userId,
      {
        kind: due.kind,
        phase: "digest",
        appId,
        appName: owner.appName,
        subject: due.subject,
        detail: claimed.detail,
        occurrences: due.pending,
        since: new Date(now.getTime() - DIGEST_WINDOW_MS).toISOString(),
      },
      now,
    );
    sent++;
  }
  return sent;
}

/**
 * The problem is over (an automation's run succeeded): forgets its streak and, if there was one, tells the owner
 * it works again, with the failures no alert reported yet. Never throws.
 */
export async function resolveAlert(
  env: AlertDeliveryEnv,
  problem: Pick<Occurrence, "kind" | "appId" | "ownerId" | "subject">,
  now = new Date(),
): Promise<void> {
  try {
    // One statement when there was no streak (every successful run asks): the owner is looked up only for a message.
    const gone = await env.DB.prepare(
      `DELETE FROM alert_streaks WHERE app_id = ?1 AND kind = ?2 AND subject = ?3 AND (?4 IS NULL OR user_id = ?4)
       RETURNING pending + carried AS unreported, window_started_at AS since, detail`,
    )
      .bind(problem.appId ?? "", problem.kind, problem.subject, problem.ownerId ?? null)
      .first<{ unreported: number; since: string; detail: string }>();
    if (!gone) return;
    const owner = await ownerOf(env.DB, problem);
    if (!owner) return;
    await deliverAlert(
      env,
      owner.ownerId,
      {
        ...problem,
        ...owner,
        phase: "recovered",
        detail: gone.detail,
        occurrences: gone.unreported,
        since: gone.since,
      },
      now,
    );
  } catch (error) {
    console.warn(`alerts: could not resolve ${problem.kind} (${(error as Error).name}: ${(error as Error).message})`);
  }
}
