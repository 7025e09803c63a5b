import type { Environment } from "../core/env";
import { newSecret, sha256Hex } from "../core/ids";

/** How long an emailed code may be used. */
export const CODE_TTL_MS = 10 * 60 * 1000;
/** How long the owner's one-click link from the workspace may be used. */
export const HANDOFF_TTL_MS = 2 * 60 * 1000;

/** Where a code signs in: one environment of one app, for one email. */
export interface CodeTarget {
  appId: string;
  environment: Environment;
  email: string;
}

/**
 * A new six-digit code for `target`, replacing any earlier unused one. Only a SHA-256 of the code salted with its
 * row id is stored, so a database copy gives no code away.
 */
export async function issueCode(db: D1Database, target: CodeTarget, now = Date.now()): Promise<string> {
  const code = String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, "0");
  const id = `vc_${newSecret(10)}`;
  await db.batch([
    db
      .prepare(
        "UPDATE visitor_codes SET used_at = ? WHERE app_id = ? AND environment = ? AND email = ? AND used_at IS NULL",
      )
      .bind(now, target.appId, target.environment, target.email),
    db
      .prepare(
        "INSERT INTO visitor_codes (id, app_id, environment, email, code_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(id, target.appId, target.environment, target.email, await codeHash(id, code), now + CODE_TTL_MS),
  ]);
  return code;
}

/** Uses up `code` if it is the live code of `target`: true once, false for any wrong, old or reused code. */
export async function redeemCode(db: D1Database, target: CodeTarget, code: string, now = Date.now()): Promise<boolean> {
  const rows = await db
    .prepare(
      "SELECT id, code_hash AS hash FROM visitor_codes WHERE app_id = ? AND environment = ? AND email = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(target.appId, target.environment, target.email, now)
    .all<{ id: string; hash: string }>();
  for (const row of rows.results) {
    if (!sameText(await codeHash(row.id, code.trim()), row.hash)) continue;
    return useOnce(db, row.id, now);
  }
  return false;
}

/** A one-time token (`<id>.<secret>`) that signs `target.email` in once within HANDOFF_TTL_MS. */
export async function issueHandoff(db: D1Database, target: CodeTarget, now = Date.now()): Promise<string> {
  const id = `vh_${newSecret(10)}`;
  const secret = newSecret(32);
  await db
    .prepare(
      "INSERT INTO visitor_codes (id, app_id, environment, email, code_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id, target.appId, target.environment, target.email, await codeHash(id, secret), now + HANDOFF_TTL_MS)
    .run();
  return `${id}.${secret}`;
}

/** The email a hand-off token was issued for, using it up; null when it is unknown, expired, used or for elsewhere. */
export async function redeemHandoff(
  db: D1Database,
  place: Omit<CodeTarget, "email">,
  token: string,
  now = Date.now(),
): Promise<string | null> {
  const [id = "", secret = ""] = token.split(".");
  if (!id.startsWith("vh_") || secret === "") return null;
  const row = await db
    .prepare(
      "SELECT email, code_hash AS hash FROM visitor_codes WHERE id = ? AND app_id = ? AND environment = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(id, place.appId, place.environment, now)
    .first<{ email: string; hash: string }>();
  if (!row || !sameText(await codeHash(id, secret), row.hash)) return null;
  return (await useOnce(db, id, now)) ? row.email : null;
}

// Two requests with the same code race here: exactly one sees its update change the row.
async function useOnce(db: D1Database, id: string, now: number): Promise<boolean> {
  const used = await db
    .prepare("UPDATE visitor_codes SET used_at = ? WHERE id = ? AND used_at IS NULL")
    .bind(now, id)
    .run();
  return used.meta.changes === 1;
}

function codeHash(id: string, code: string): Promise<string> {
  return sha256Hex(`visitor-code:${id}:${code}`);
}

// Compared in constant time, so response timing says nothing about how much of a hash matched.
function sameText(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
